#include "settle/devnet.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "hash/sha256.hpp"
#include "l1/abi.hpp"
#include "l1/sender.hpp"
#include "node/codec.hpp"
#include "node/node.hpp"
#include "node/rpc_service.hpp"
#include "settle/anvil.hpp"
#include "settle/batch_keys.hpp"
#include "settle/deploy.hpp"
#include "settle/devnet_bench.hpp"
#include "settle/l1_calls.hpp"
#include "settle/operator.hpp"
#include "tx/batch_header.hpp"

namespace zkamm::settle {
namespace {

namespace fs = std::filesystem;
using l1::abi::Value;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// anvil's default accounts 0-2: public test keys of every anvil/hardhat node (never real funds).
constexpr const char* kAnvilKeys[] = {
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
};

constexpr uint64_t kEth = 1'000'000'000'000'000'000ULL;  // 10^18

l1::U256 u256_of(tx::Amount a) { return l1::U256{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }
tx::Amount amount_of(uint64_t units) { return static_cast<tx::Amount>(units) * kEth; }

std::string dec(tx::Amount a) { return ff::to_decimal(u256_of(a)); }

struct Ctx {
  std::ostream& out;
  std::string failure;
  bool fail(const std::string& what) {
    if (failure.empty()) failure = what;
    out << "devnet: error: " << what << std::endl;
    return false;
  }
};

/// Sends and waits; "" or the error.
std::string send_tx(l1::TxSender& s, const l1::Address& to, const l1::Bytes& data, tx::Amount value = 0,
                    uint64_t* gas = nullptr) {
  l1::TxRequest req;
  req.to = to;
  req.data = data;
  req.value = u256_of(value);
  auto r = s.send_and_wait(req);
  if (!r) return r.error().message;
  if (gas) *gas = r->gas_used;
  return "";
}

l1::Result<l1::U256> view_u256(l1::RpcClient& rpc, const l1::Address& to, const char* sig, std::vector<Value> args) {
  l1::CallRequest c;
  c.to = to;
  c.data = call(sig, std::move(args));
  auto r = rpc.call(c);
  if (!r) return r.error();
  if (r->size() < 32) return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, "short return data", ""};
  return ff::from_bytes_be(r->data());
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout, const std::atomic<bool>& stop) {
  const auto end = Clock::now() + timeout;
  while (Clock::now() < end && !stop.load()) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pred();
}

uint64_t unix_seconds() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

struct L2User {
  hash::PrivateKey key{};
  ec::BabyJubAffine pub;
  uint32_t account = 0;
  uint32_t nonce = 0;
};

/// DEVNET ONLY: a reproducible L2 key, sha256("zkamm-devnet-l2-key" || be32(i)).
hash::PrivateKey wallet_key(uint32_t i) {
  std::string m = "zkamm-devnet-l2-key";
  for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<char>(i >> s));
  const auto d = hash::sha256({reinterpret_cast<const uint8_t*>(m.data()), m.size()});
  hash::PrivateKey k{};
  std::copy(d.begin(), d.end(), k.begin());
  return k;
}

/// TEST ONLY (--censor-full-exits): an operator that stops serving the L1 queue at the first
/// FullExit. That op and every later one (the queue is served in order) never reach the node, so
/// no batch consumes them and their deadlines pass: the escape hatch's end-to-end test
/// (tests/e2e/exodus_e2e.sh). The watcher runs the sink on one thread.
WatcherSink censoring_sink(WatcherSink inner, std::ostream& out) {
  struct Censor {
    std::optional<uint64_t> from;  // first dropped serial
    uint64_t dropped = 0;
  };
  auto c = std::make_shared<Censor>();
  WatcherSink s = inner;
  s.next_priority_serial = [inner, c] { return c->from ? *c->from + c->dropped : inner.next_priority_serial(); };
  s.submit_priority = [inner, c, &out](const tx::Tx& op) -> std::string {
    const bool full_exit = tx::type_of(op) == tx::TxType::FullExit;
    if (!c->from && !full_exit) return inner.submit_priority(op);
    uint64_t serial = 0;
    std::visit(
        [&](const auto& x) {
          if constexpr (requires { x.serial; }) serial = x.serial;
        },
        op);
    if (!c->from) c->from = serial;
    ++c->dropped;
    out << "devnet: censoring priority op " << serial << (full_exit ? " (full exit)" : " (queued after a censored full exit)")
        << std::endl;
    return "";
  };
  return s;
}

std::string fmt_ms(TimeMs from, TimeMs to) {
  if (from == 0 || to == 0) return "-";
  return std::to_string(static_cast<int64_t>(to) - static_cast<int64_t>(from)) + " ms";
}

}  // namespace

int run_devnet(const DevnetOptions& o, const std::atomic<bool>& stop, std::ostream& out) {
  Ctx ctx{out, ""};
  const std::string nm = o.node_modules.empty() ? o.repo + "/node_modules" : o.node_modules;
  const std::string cache = o.cache_dir.empty() ? o.repo + "/.zkamm-cache" : o.cache_dir;
  std::string work = o.work_dir;
  if (work.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "zkamm-devnet-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) return ctx.fail("cannot create a work folder"), 1;
    work = tmpl;
  }
  std::error_code ec;
  fs::create_directories(work, ec);
  fs::create_directories(cache, ec);

  // ---- L1 ----
  AnvilProcess anvil;
  if (auto e = anvil.start(anvil_binary(nm), work + "/anvil.log"); !e.empty()) return ctx.fail(e), 1;
  out << "devnet: anvil " << anvil.url() << std::endl;
  auto rpc = l1::RpcClient::create(anvil.url(), std::chrono::seconds(30));
  auto chain = rpc->chain_id();
  if (!chain) return ctx.fail("eth_chainId: " + chain.error().message), 1;
  auto op_key = *l1::PrivateKey::from_hex(kAnvilKeys[0]);
  l1::SenderOptions so;
  so.poll_interval = std::chrono::milliseconds(20);
  l1::TxSender op(*rpc, op_key, *chain, so);

  // ---- keys and contracts: what `zkamm deploy` does (settle/deploy.hpp) ----
  DeployConfig dc;
  dc.slots = o.slots;
  dc.swap_batches = o.swap_batches;
  dc.priority_deadline_s = o.priority_deadline_s;
  dc.priority_batch_s = o.priority_batch_s;
  dc.timestamp_window_s = o.timestamp_window_s;
  dc.keys_dir = cache;
  DeployOutcome dep = deploy_rollup(*rpc, op, *chain, dc, out);
  if (!dep.ok()) return ctx.fail(dep.error), 1;
  Deployment& deployment = *dep.deployment;
  const BatchKeys& keys = *dep.keys;
  const BatchKeys* swap_keys = dep.swap_keys ? &*dep.swap_keys : nullptr;
  const l1::Address rollup_addr = deployment.rollup;
  const l1::Address* rollup = &rollup_addr;
  batch::BatchParams params = keys.params;
  out << "devnet: ZkammRollup " << l1::to_checksum_address(*rollup) << " (verifier " << l1::to_checksum_address(deployment.verifier)
      << (swap_keys ? ", swap verifier " + l1::to_checksum_address(deployment.swap_verifier) : std::string()) << ")" << std::endl;
  // Two test tokens (anyone may mint), as `zkamm deploy --test-tokens TKA,TKB`.
  if (auto e = deploy_test_tokens(op, deployment, {"TKA", "TKB"}, out); !e.empty()) return ctx.fail(e), 1;
  std::vector<l1::Address> tokens;
  for (const auto& [id, addr] : deployment.tokens) {
    tokens.push_back(addr);
    out << "devnet: token " << id << " " << (id == 1 ? "TKA" : "TKB") << " " << l1::to_checksum_address(addr) << std::endl;
  }
  // The devnet's deployment file, as `zkamm deploy` writes it (docs/OPERATOR.md).
  if (auto e = write_deployment(deployment, work + "/deployment.json"); !e.empty()) return ctx.fail(e), 1;
  out << "devnet: deployment " << work << "/deployment.json" << std::endl;

  // ---- the operator: node, prover, sender, watcher, RPC (settle/operator.hpp) ----
  OperatorConfig oc;
  oc.deployment = deployment;
  oc.l1_url = anvil.url();
  oc.node.data_dir = work + "/node";
  oc.node.batch_timeout = o.batch_timeout;
  oc.node.refuse_remove_liquidity_of = o.refuse_remove_liquidity_of;
  oc.rpc.server.host = o.rpc_host;
  oc.rpc.server.port = o.rpc_port;
  oc.l1_tx = so;
  oc.confirmations = o.confirmations;
  oc.watch_interval = std::chrono::milliseconds(100);
  oc.prover_jobs = o.prover_jobs;
  oc.local_provers = o.local_provers;
  oc.log_prefix = "devnet";
  if (o.censor_full_exits) oc.wrap_sink = [&out](WatcherSink s) { return censoring_sink(std::move(s), out); };
  Operator operator_(oc, keys, swap_keys, op_key, out);
  if (auto e = operator_.start(); !e.empty()) return ctx.fail(e), 1;
  node::Node& node = operator_.node();
  Prover& prover = operator_.prover();
  L1Sender& sender = operator_.sender();
  out << "devnet: L2 RPC http://" << o.rpc_host << ":" << operator_.rpc_port() << std::endl;

  const auto healthy = [&]() -> bool {
    if (auto e = operator_.health(); !e.empty()) return ctx.fail(e);
    return true;
  };

  bool ok = true;
  if (o.scenario) {
    // ---- scenario: L1 deposits -> L2 pool + swap + withdraw -> proven batches -> L1 withdraw ----
    auto u1 = *l1::PrivateKey::from_hex(kAnvilKeys[1]);
    auto u2 = *l1::PrivateKey::from_hex(kAnvilKeys[2]);
    l1::TxSender s1(*rpc, u1, *chain, so), s2(*rpc, u2, *chain, so);
    L2User a, b;
    a.key = wallet_key(1);
    b.key = wallet_key(2);
    a.pub = hash::eddsa_public_key(a.key);
    b.pub = hash::eddsa_public_key(b.key);
    const tx::Amount mint1 = amount_of(1000), mint2 = amount_of(100), dep2a = amount_of(100), eth2 = amount_of(1);
    const auto t1 = Value::address(tokens[0]), t2 = Value::address(tokens[1]);
    std::string e;
    const auto step = [&](const std::string& what, const std::string& err) {
      if (!err.empty()) ok = ctx.fail(what + ": " + err);
      return ok;
    };
    step("mint", send_tx(op, tokens[0], call("mint(address,uint256)", {Value::address(u1.address()), Value::uint(u256_of(mint1))}))) &&
        step("mint", send_tx(op, tokens[1], call("mint(address,uint256)", {Value::address(u1.address()), Value::uint(u256_of(mint1))}))) &&
        step("mint", send_tx(op, tokens[0], call("mint(address,uint256)", {Value::address(u2.address()), Value::uint(u256_of(mint2))}))) &&
        step("approve", send_tx(s1, tokens[0], call("approve(address,uint256)", {Value::address(*rollup), Value::uint(u256_of(mint1))}))) &&
        step("approve", send_tx(s1, tokens[1], call("approve(address,uint256)", {Value::address(*rollup), Value::uint(u256_of(mint1))}))) &&
        step("approve", send_tx(s2, tokens[0], call("approve(address,uint256)", {Value::address(*rollup), Value::uint(u256_of(mint2))}))) &&
        step("registerAccount", send_tx(s1, *rollup, register_account_call(a.key, params.domain, u1.address()))) &&
        step("deposit", send_tx(s1, *rollup, call("deposit(uint32,uint16,uint128)", {Value::uint(1), Value::uint(1), Value::uint(u256_of(amount_of(500)))}))) &&
        step("deposit", send_tx(s1, *rollup, call("deposit(uint32,uint16,uint128)", {Value::uint(1), Value::uint(2), Value::uint(u256_of(amount_of(500)))}))) &&
        step("registerAndDepositETH", send_tx(s2, *rollup, register_account_call(b.key, params.domain, u2.address(), true), eth2)) &&
        step("deposit", send_tx(s2, *rollup, call("deposit(uint32,uint16,uint128)", {Value::uint(2), Value::uint(1), Value::uint(u256_of(dep2a))})));
    (void)t1;
    (void)t2;
    a.account = 1;
    b.account = 2;
    // With confirmations > 1 the last events need more blocks: mine them.
    for (uint64_t i = 1; ok && i < o.confirmations; ++i) (void)rpc->evm_mine();
    if (ok && !wait_until([&] { return node.next_priority_serial() >= 6 || !healthy(); }, std::chrono::seconds(60), stop)) {
      ok = ctx.fail("the watcher did not deliver the 6 priority ops (next serial " + std::to_string(node.next_priority_serial()) + ")");
    }
    ok = ok && healthy();
    out << "devnet: L1 deposits credited on L2 (accounts 1, 2)" << std::endl;

    const uint64_t deadline = unix_seconds() + 3600;
    std::vector<node::Hash> hashes;
    const auto l2 = [&](L2User& u, tx::Tx t, const char* what) {
      if (!ok) return;
      if (!tx::sign(t, u.key, params.domain)) {
        ok = ctx.fail(std::string("sign ") + what);
        return;
      }
      const node::TxInfo info = node.submit_and_wait(t, std::chrono::seconds(30));
      if (info.status != node::TxStatus::kSoft) {
        ok = ctx.fail(std::string(what) + ": " + std::string(node::to_string(info.status)) + " " + info.reason);
        return;
      }
      ++u.nonce;
      hashes.push_back(info.hash);
      out << "devnet: L2 " << what << " soft in block " << info.block << std::endl;
    };
    l2(a, tx::CreatePool{a.account, 1, 2, a.nonce, {}}, "create_pool(TKA, TKB)");
    l2(a, tx::AddLiquidity{a.account, 1, 2, amount_of(400), amount_of(400), 0, 0, deadline, a.nonce, {}}, "add_liquidity(400, 400)");
    const tx::Amount swap_in = amount_of(10);
    const node::Quote q = node.quote_exact_in(1, 2, u256_of(swap_in));
    const tx::Amount swap_out = (static_cast<tx::Amount>(q.amount_out[1]) << 64) | q.amount_out[0];
    l2(b, tx::SwapExactIn{b.account, 1, 2, swap_in, swap_out, deadline, b.nonce, {}}, "swap_exact_in(10 TKA)");
    const l1::Address b_l1 = u2.address();  // address() returns a copy: keep one
    l2(b, tx::Withdraw{b.account, 2, swap_out, b_l1, b.nonce, {}}, "withdraw(TKB)");
    l2(b, tx::Withdraw{b.account, 1, dep2a - swap_in, b_l1, b.nonce, {}}, "withdraw(TKA)");
    l2(b, tx::Withdraw{b.account, 0, eth2 / 2, b_l1, b.nonce, {}}, "withdraw(ETH)");

    // ---- wait for the batches holding them to be executed on L1 ----
    uint64_t last_batch = 0;
    if (ok) {
      const auto batched = [&] {
        for (const auto& h : hashes) {
          auto info = node.tx_info(h);
          if (!info.batch) return false;
          last_batch = std::max(last_batch, *info.batch);
        }
        return true;
      };
      if (!wait_until([&] { return batched() || !healthy(); }, std::chrono::seconds(60), stop))
        ok = ctx.fail("transactions not batched");
    }
    if (ok && !wait_until([&] { return sender.last_executed() >= last_batch || !healthy(); }, std::chrono::seconds(600), stop))
      ok = ctx.fail("batch " + std::to_string(last_batch) + " not executed on L1");
    ok = ok && healthy();

    if (ok) {
      out << "devnet: batches 1.." << last_batch << " executed on L1" << std::endl;
      // The sender told the node each stage (report_to_node): every scenario tx reads finalized.
      const auto all_final = [&] {
        for (const auto& h : hashes)
          if (node.tx_info(h).status != node::TxStatus::kFinalized) return false;
        return node.status().last_finalized >= last_batch;
      };
      if (!wait_until(all_final, std::chrono::seconds(10), stop)) ok = ctx.fail("the node does not report the txs finalized");
      else out << "devnet: node reports every scenario tx finalized (last_finalized " << node.status().last_finalized << ")" << std::endl;
      const l1::U256 eth_before = *rpc->get_balance(u2.address());
      uint64_t g1 = 0, g2 = 0, g3 = 0;
      step("withdraw(TKB)", send_tx(s2, *rollup, call("withdraw(uint16)", {Value::uint(2)}), 0, &g1)) &&
          step("withdraw(TKA)", send_tx(s2, *rollup, call("withdraw(uint16)", {Value::uint(1)}), 0, &g2)) &&
          step("withdraw(ETH)", send_tx(s2, *rollup, call("withdraw(uint16)", {Value::uint(0)}), 0, &g3));
      if (ok) {
        auto bal_b = view_u256(*rpc, tokens[1], "balanceOf(address)", {Value::address(u2.address())});
        auto bal_a = view_u256(*rpc, tokens[0], "balanceOf(address)", {Value::address(u2.address())});
        const tx::Amount want_a = mint2 - dep2a + (dep2a - swap_in);
        if (!bal_b || *bal_b != u256_of(swap_out)) ok = ctx.fail("TKB balance after withdraw != " + dec(swap_out));
        if (!bal_a || *bal_a != u256_of(want_a)) ok = ctx.fail("TKA balance after withdraw != " + dec(want_a));
        // The e2e script re-checks these with cast (an independent reader).
        out << "devnet: check " << l1::to_checksum_address(tokens[1]) << " " << l1::to_checksum_address(u2.address()) << " "
            << dec(swap_out) << std::endl;
        out << "devnet: check " << l1::to_checksum_address(tokens[0]) << " " << l1::to_checksum_address(u2.address()) << " "
            << dec(want_a) << std::endl;
        out << "devnet: L1 withdraw gas: TKB " << g1 << ", TKA " << g2 << ", ETH " << g3 << "; ETH before "
            << ff::to_decimal(eth_before) << std::endl;
      }
    }

    // ---- figures ----
    out << "devnet: figures (batch: closed->committed / ->proven / ->executed; gas commit / prove / execute, or of one "
           "commitProveExecute; local prove)"
        << std::endl;
    for (uint64_t n = 1; n <= sender.last_executed(); ++n) {
      auto st = sender.state(n);
      auto pb = prover.proved(n);
      if (!st) continue;
      const bool swap_batch = pb && tx::batch_header_kind(pb->header).value_or(tx::BatchKind::Universal) == tx::BatchKind::Swap;
      out << "devnet: batch " << n << (swap_batch ? " (swap batch)" : "") << ": " << fmt_ms(st->closed_ms, st->committed_ms) << " / "
          << fmt_ms(st->closed_ms, st->proven_ms) << " / " << fmt_ms(st->closed_ms, st->executed_ms) << "; gas ";
      if (st->gas_settle > 0) out << st->gas_settle << " (commitProveExecute)";
      else out << st->gas_commit << " / " << st->gas_prove << " / " << st->gas_execute;
      if (pb) out << "; witness " << static_cast<int64_t>(pb->witness_ms) << " ms, prove+verify " << static_cast<int64_t>(pb->prove_ms) << " ms";
      out << std::endl;
    }
    if (ok) out << "devnet: scenario PASS" << std::endl;
  }

  // ---- --once: the paper's experiment against this devnet's own RPC (docs/BENCH.md) ----
  if (ok && o.once && o.bench && o.bench_accounts > 0 && !stop.load()) {
    BenchFundingConfig bf;
    bf.accounts = o.bench_accounts;
    bf.keys_path = work + "/bench-accounts.json";
    bf.rollup = *rollup;
    bf.tokens = tokens;
    bf.chain_id = *chain;
    bf.confirmations = o.confirmations;
    bf.domain = params.domain;
    auto bench_rpc = l1::RpcClient::create(anvil.url(), std::chrono::seconds(30));
    if (auto e = fund_bench_accounts(bf, *bench_rpc, node, stop, out); !e.empty()) ok = ctx.fail("bench accounts: " + e);
    ok = ok && healthy();
    if (ok) {
      DevnetBenchTarget bt;
      bt.url = "http://" + std::string(o.rpc_host == "0.0.0.0" ? "127.0.0.1" : o.rpc_host) + ":" + std::to_string(operator_.rpc_port());
      bt.keys_path = bf.keys_path;
      bt.batch_figures = [&](uint64_t n) -> std::optional<DevnetBatchFigures> {
        auto st = sender.state(n);
        auto pb = prover.proved(n);
        if (!st && !pb) return std::nullopt;
        DevnetBatchFigures f;
        if (pb) f.witness_ms = pb->witness_ms, f.prove_ms = pb->prove_ms;
        if (st) {
          f.gas_commit = st->gas_commit, f.gas_prove = st->gas_prove, f.gas_execute = st->gas_execute;
          f.gas_settle = st->gas_settle;
        }
        return f;
      };
      bt.healthy = [&] { return operator_.health().empty(); };
      if (!o.bench(bt)) ok = ctx.fail("the bench failed (see above)");
      ok = ok && healthy();
      if (ok) out << "devnet: bench PASS" << std::endl;
    }
  }

  if (!o.once && ok) {
    out << "devnet: running; Ctrl-C to stop" << std::endl;
    while (!stop.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (!healthy()) {
        ok = false;
        break;
      }
    }
  }
  operator_.stop();
  anvil.stop();
  return ok ? 0 : 1;
}

}  // namespace zkamm::settle
