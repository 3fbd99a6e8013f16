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
#include "snark/backend.hpp"
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

/// One `zkamm devnet` run: each section of the old single function is a step here, in order
/// (start_l1, deploy, start_operator, scenario, bench_once, keep_running); members are the
/// objects the steps share, destroyed in reverse order (the operator before the L1).
class DevnetRun {
 public:
  DevnetRun(const DevnetOptions& o, const std::atomic<bool>& stop, std::ostream& out)
      : o_(o), stop_(stop), out_(out), ctx_{out, ""} {}

  int run() {
    if (!prepare_dirs() || !start_l1() || !deploy() || !start_operator()) return 1;
    bool ok = true;
    if (o_.scenario) ok = scenario();
    if (ok && o_.once && o_.bench && o_.bench_accounts > 0 && !stop_.load()) ok = bench_once();
    if (!o_.once && ok) ok = keep_running();
    operator_->stop();
    anvil_.stop();
    return ok ? 0 : 1;
  }

 private:
  bool prepare_dirs() {
    nm_ = o_.node_modules.empty() ? o_.repo + "/node_modules" : o_.node_modules;
    cache_ = o_.cache_dir.empty() ? o_.repo + "/.zkamm-cache" : o_.cache_dir;
    work_ = o_.work_dir;
    if (work_.empty()) {
      std::string tmpl = (fs::temp_directory_path() / "zkamm-devnet-XXXXXX").string();
      if (::mkdtemp(tmpl.data()) == nullptr) return ctx_.fail("cannot create a work folder");
      work_ = tmpl;
    }
    std::error_code ec;
    fs::create_directories(work_, ec);
    fs::create_directories(cache_, ec);
    return true;
  }

  // ---- L1 ----
  bool start_l1() {
    if (auto e = anvil_.start(anvil_binary(nm_), work_ + "/anvil.log"); !e.empty()) return ctx_.fail(e);
    out_ << "devnet: anvil " << anvil_.url() << std::endl;
    rpc_ = l1::RpcClient::create(anvil_.url(), std::chrono::seconds(30));
    auto chain = rpc_->chain_id();
    if (!chain) return ctx_.fail("eth_chainId: " + chain.error().message);
    chain_ = *chain;
    op_key_ = l1::PrivateKey::from_hex(kAnvilKeys[0]);
    so_.poll_interval = std::chrono::milliseconds(20);
    op_.emplace(*rpc_, *op_key_, chain_, so_);
    return true;
  }

  // ---- keys and contracts: what `zkamm deploy` does (settle/deploy.hpp) ----
  bool deploy() {
    DeployConfig dc;
    dc.slots = o_.slots;
    dc.swap_batches = o_.swap_batches;
    dc.priority_deadline_s = o_.priority_deadline_s;
    dc.priority_batch_s = o_.priority_batch_s;
    dc.timestamp_window_s = o_.timestamp_window_s;
    dc.keys_dir = cache_;
    dep_ = deploy_rollup(*rpc_, *op_, chain_, dc, out_);
    if (!dep_.ok()) return ctx_.fail(dep_.error);
    Deployment& deployment = *dep_.deployment;
    swap_keys_ = dep_.swap_keys ? &*dep_.swap_keys : nullptr;
    rollup_ = deployment.rollup;
    params_ = dep_.keys->params;
    out_ << "devnet: ZkammRollup " << l1::to_checksum_address(rollup_) << " (verifier "
         << l1::to_checksum_address(deployment.verifier)
         << (swap_keys_ ? ", swap verifier " + l1::to_checksum_address(deployment.swap_verifier) : std::string()) << ")"
         << std::endl;
    // Two test tokens (anyone may mint), as `zkamm deploy --test-tokens TKA,TKB`.
    if (auto e = deploy_test_tokens(*op_, deployment, {"TKA", "TKB"}, out_); !e.empty()) return ctx_.fail(e);
    for (const auto& [id, addr] : deployment.tokens) {
      tokens_.push_back(addr);
      out_ << "devnet: token " << id << " " << (id == 1 ? "TKA" : "TKB") << " " << l1::to_checksum_address(addr) << std::endl;
    }
    // The devnet's deployment file, as `zkamm deploy` writes it (docs/OPERATOR.md).
    if (auto e = write_deployment(deployment, work_ + "/deployment.json"); !e.empty()) return ctx_.fail(e);
    out_ << "devnet: deployment " << work_ << "/deployment.json" << std::endl;
    return true;
  }

  // ---- the operator: node, prover, sender, watcher, RPC (settle/operator.hpp) ----
  bool start_operator() {
    OperatorConfig oc;
    oc.deployment = *dep_.deployment;
    oc.l1_url = anvil_.url();
    oc.node.data_dir = work_ + "/node";
    oc.node.batch_timeout = o_.batch_timeout;
    oc.node.refuse_remove_liquidity_of = o_.refuse_remove_liquidity_of;
    oc.rpc.server.host = o_.rpc_host;
    oc.rpc.server.port = o_.rpc_port;
    oc.l1_tx = so_;
    oc.confirmations = o_.confirmations;
    oc.watch_interval = std::chrono::milliseconds(100);
    oc.prover_jobs = o_.prover_jobs;
    oc.local_provers = o_.local_provers;
    oc.log_prefix = "devnet";
    if (o_.censor_full_exits) {
      oc.wrap_sink = [out = &out_](WatcherSink s) { return censoring_sink(std::move(s), *out); };
    }
    operator_ = std::make_unique<Operator>(oc, *dep_.keys, swap_keys_, *op_key_, out_);
    if (auto e = operator_->start(); !e.empty()) return ctx_.fail(e);
    out_ << "devnet: L2 RPC http://" << o_.rpc_host << ":" << operator_->rpc_port() << std::endl;
    return true;
  }

  bool healthy() {
    if (auto e = operator_->health(); !e.empty()) return ctx_.fail(e);
    return true;
  }

  // ---- scenario: L1 deposits -> L2 pool + swap + withdraw -> proven batches -> L1 withdraw ----
  /// What the scenario's steps share.
  struct Scenario {
    l1::PrivateKey u1, u2;
    std::optional<l1::TxSender> s1{}, s2{};
    L2User a{}, b{};
    tx::Amount mint1 = amount_of(1000), mint2 = amount_of(100), dep2a = amount_of(100), eth2 = amount_of(1);
    tx::Amount swap_in = amount_of(10), swap_out = 0;
    std::vector<node::Hash> hashes{};
    uint64_t last_batch = 0;
  };

  bool scenario() {
    Scenario sc{*l1::PrivateKey::from_hex(kAnvilKeys[1]), *l1::PrivateKey::from_hex(kAnvilKeys[2])};
    bool ok = scenario_deposits(sc);
    ok = ok && scenario_l2(sc);
    ok = ok && scenario_wait_executed(sc);
    ok = ok && scenario_withdraw(sc);
    print_figures();
    if (ok) out_ << "devnet: scenario PASS" << std::endl;
    return ok;
  }

  /// "" passes; else fails the run with `what: err`.
  bool step(const std::string& what, const std::string& err) { return err.empty() || ctx_.fail(what + ": " + err); }

  bool scenario_deposits(Scenario& sc) {
    sc.s1.emplace(*rpc_, sc.u1, chain_, so_);
    sc.s2.emplace(*rpc_, sc.u2, chain_, so_);
    l1::TxSender& s1 = *sc.s1;
    l1::TxSender& s2 = *sc.s2;
    sc.a.key = wallet_key(1);
    sc.b.key = wallet_key(2);
    sc.a.pub = hash::eddsa_public_key(sc.a.key);
    sc.b.pub = hash::eddsa_public_key(sc.b.key);
    const auto mint = [&](size_t t, const l1::PrivateKey& to, tx::Amount v) {
      return step("mint", send_tx(*op_, tokens_[t], call("mint(address,uint256)", {Value::address(to.address()), Value::uint(u256_of(v))})));
    };
    const auto approve = [&](l1::TxSender& s, size_t t, tx::Amount v) {
      return step("approve", send_tx(s, tokens_[t], call("approve(address,uint256)", {Value::address(rollup_), Value::uint(u256_of(v))})));
    };
    const auto deposit = [&](l1::TxSender& s, uint32_t account, uint16_t token, tx::Amount v) {
      return step("deposit", send_tx(s, rollup_,
                                     call("deposit(uint32,uint16,uint128)", {Value::uint(account), Value::uint(token), Value::uint(u256_of(v))})));
    };
    bool ok = mint(0, sc.u1, sc.mint1) && mint(1, sc.u1, sc.mint1) && mint(0, sc.u2, sc.mint2) && approve(s1, 0, sc.mint1) &&
              approve(s1, 1, sc.mint1) && approve(s2, 0, sc.mint2) &&
              step("registerAccount", send_tx(s1, rollup_, register_account_call(sc.a.key, params_.domain, sc.u1.address()))) &&
              deposit(s1, 1, 1, amount_of(500)) && deposit(s1, 1, 2, amount_of(500)) &&
              step("registerAndDepositETH",
                   send_tx(s2, rollup_, register_account_call(sc.b.key, params_.domain, sc.u2.address(), true), sc.eth2)) &&
              deposit(s2, 2, 1, sc.dep2a);
    sc.a.account = 1;
    sc.b.account = 2;
    // With confirmations > 1 the last events need more blocks: mine them.
    for (uint64_t i = 1; ok && i < o_.confirmations; ++i) (void)rpc_->evm_mine();
    node::Node& node = operator_->node();
    if (ok && !wait_until([&] { return node.next_priority_serial() >= 6 || !healthy(); }, std::chrono::seconds(60), stop_)) {
      ok = ctx_.fail("the watcher did not deliver the 6 priority ops (next serial " + std::to_string(node.next_priority_serial()) + ")");
    }
    ok = ok && healthy();
    out_ << "devnet: L1 deposits credited on L2 (accounts 1, 2)" << std::endl;
    return ok;
  }

  bool scenario_l2(Scenario& sc) {
    node::Node& node = operator_->node();
    const uint64_t deadline = unix_seconds() + 3600;
    bool ok = true;
    const auto l2 = [&](L2User& u, tx::Tx t, const char* what) {
      if (!ok) return;
      if (!tx::sign(t, u.key, params_.domain)) {
        ok = ctx_.fail(std::string("sign ") + what);
        return;
      }
      const node::TxInfo info = node.submit_and_wait(t, std::chrono::seconds(30));
      if (info.status != node::TxStatus::kSoft) {
        ok = ctx_.fail(std::string(what) + ": " + std::string(node::to_string(info.status)) + " " + info.reason);
        return;
      }
      ++u.nonce;
      sc.hashes.push_back(info.hash);
      out_ << "devnet: L2 " << what << " soft in block " << info.block << std::endl;
    };
    L2User& a = sc.a;
    L2User& b = sc.b;
    l2(a, tx::CreatePool{a.account, 1, 2, a.nonce, {}}, "create_pool(TKA, TKB)");
    l2(a, tx::AddLiquidity{a.account, 1, 2, amount_of(400), amount_of(400), 0, 0, deadline, a.nonce, {}}, "add_liquidity(400, 400)");
    const node::Quote q = node.quote_exact_in(1, 2, u256_of(sc.swap_in));
    sc.swap_out = (static_cast<tx::Amount>(q.amount_out[1]) << 64) | q.amount_out[0];
    l2(b, tx::SwapExactIn{b.account, 1, 2, sc.swap_in, sc.swap_out, deadline, b.nonce, {}}, "swap_exact_in(10 TKA)");
    const l1::Address b_l1 = sc.u2.address();  // address() returns a copy: keep one
    l2(b, tx::Withdraw{b.account, 2, sc.swap_out, b_l1, b.nonce, {}}, "withdraw(TKB)");
    l2(b, tx::Withdraw{b.account, 1, sc.dep2a - sc.swap_in, b_l1, b.nonce, {}}, "withdraw(TKA)");
    l2(b, tx::Withdraw{b.account, 0, sc.eth2 / 2, b_l1, b.nonce, {}}, "withdraw(ETH)");
    return ok;
  }

  // ---- wait for the batches holding them to be executed on L1 ----
  bool scenario_wait_executed(Scenario& sc) {
    node::Node& node = operator_->node();
    L1Sender& sender = operator_->sender();
    const auto batched = [&] {
      for (const auto& h : sc.hashes) {
        auto info = node.tx_info(h);
        if (!info.batch) return false;
        sc.last_batch = std::max(sc.last_batch, *info.batch);
      }
      return true;
    };
    if (!wait_until([&] { return batched() || !healthy(); }, std::chrono::seconds(60), stop_))
      return ctx_.fail("transactions not batched");
    if (!wait_until([&] { return sender.last_executed() >= sc.last_batch || !healthy(); }, std::chrono::seconds(600), stop_))
      return ctx_.fail("batch " + std::to_string(sc.last_batch) + " not executed on L1");
    return healthy();
  }

  bool scenario_withdraw(Scenario& sc) {
    node::Node& node = operator_->node();
    out_ << "devnet: batches 1.." << sc.last_batch << " executed on L1" << std::endl;
    bool ok = true;
    // The sender told the node each stage (report_to_node): every scenario tx reads finalized.
    const auto all_final = [&] {
      for (const auto& h : sc.hashes)
        if (node.tx_info(h).status != node::TxStatus::kFinalized) return false;
      return node.status().last_finalized >= sc.last_batch;
    };
    if (!wait_until(all_final, std::chrono::seconds(10), stop_)) ok = ctx_.fail("the node does not report the txs finalized");
    else out_ << "devnet: node reports every scenario tx finalized (last_finalized " << node.status().last_finalized << ")" << std::endl;
    const l1::Address u2 = sc.u2.address();
    const l1::U256 eth_before = *rpc_->get_balance(u2);
    uint64_t g1 = 0, g2 = 0, g3 = 0;
    l1::TxSender& s2 = *sc.s2;
    ok = ok && step("withdraw(TKB)", send_tx(s2, rollup_, call("withdraw(uint16)", {Value::uint(2)}), 0, &g1)) &&
         step("withdraw(TKA)", send_tx(s2, rollup_, call("withdraw(uint16)", {Value::uint(1)}), 0, &g2)) &&
         step("withdraw(ETH)", send_tx(s2, rollup_, call("withdraw(uint16)", {Value::uint(0)}), 0, &g3));
    if (!ok) return false;
    auto bal_b = view_u256(*rpc_, tokens_[1], "balanceOf(address)", {Value::address(u2)});
    auto bal_a = view_u256(*rpc_, tokens_[0], "balanceOf(address)", {Value::address(u2)});
    const tx::Amount want_a = sc.mint2 - sc.dep2a + (sc.dep2a - sc.swap_in);
    if (!bal_b || *bal_b != u256_of(sc.swap_out)) ok = ctx_.fail("TKB balance after withdraw != " + dec(sc.swap_out));
    if (!bal_a || *bal_a != u256_of(want_a)) ok = ctx_.fail("TKA balance after withdraw != " + dec(want_a));
    // The e2e script re-checks these with cast (an independent reader).
    out_ << "devnet: check " << l1::to_checksum_address(tokens_[1]) << " " << l1::to_checksum_address(u2) << " " << dec(sc.swap_out)
         << std::endl;
    out_ << "devnet: check " << l1::to_checksum_address(tokens_[0]) << " " << l1::to_checksum_address(u2) << " " << dec(want_a)
         << std::endl;
    out_ << "devnet: L1 withdraw gas: TKB " << g1 << ", TKA " << g2 << ", ETH " << g3 << "; ETH before "
         << ff::to_decimal(eth_before) << std::endl;
    return ok;
  }

  // ---- figures ----
  void print_figures() {
    L1Sender& sender = operator_->sender();
    Prover& prover = operator_->prover();
    out_ << "devnet: figures (batch: closed->committed / ->proven / ->executed; gas commit / prove / execute, or of one "
            "commitProveExecute; local prove)"
         << std::endl;
    for (uint64_t n = 1; n <= sender.last_executed(); ++n) {
      auto st = sender.state(n);
      auto pb = prover.proved(n);
      if (!st) continue;
      const bool swap_batch = pb && tx::batch_header_kind(pb->header).value_or(tx::BatchKind::Universal) == tx::BatchKind::Swap;
      out_ << "devnet: batch " << n << (swap_batch ? " (swap batch)" : "") << ": " << fmt_ms(st->closed_ms, st->committed_ms)
           << " / " << fmt_ms(st->closed_ms, st->proven_ms) << " / " << fmt_ms(st->closed_ms, st->executed_ms) << "; gas ";
      if (st->gas_settle > 0) out_ << st->gas_settle << " (commitProveExecute)";
      else out_ << st->gas_commit << " / " << st->gas_prove << " / " << st->gas_execute;
      if (pb)
        out_ << "; witness " << static_cast<int64_t>(pb->witness_ms) << " ms, prove+verify " << static_cast<int64_t>(pb->prove_ms)
             << " ms (" << snark::default_backend().name() << ")";
      out_ << std::endl;
    }
  }

  // ---- --once: the paper's experiment against this devnet's own RPC (docs/BENCH.md) ----
  bool bench_once() {
    BenchFundingConfig bf;
    bf.accounts = o_.bench_accounts;
    bf.keys_path = work_ + "/bench-accounts.json";
    bf.rollup = rollup_;
    bf.tokens = tokens_;
    bf.chain_id = chain_;
    bf.confirmations = o_.confirmations;
    bf.domain = params_.domain;
    auto bench_rpc = l1::RpcClient::create(anvil_.url(), std::chrono::seconds(30));
    if (auto e = fund_bench_accounts(bf, *bench_rpc, operator_->node(), stop_, out_); !e.empty())
      return ctx_.fail("bench accounts: " + e);
    if (!healthy()) return false;
    L1Sender& sender = operator_->sender();
    Prover& prover = operator_->prover();
    DevnetBenchTarget bt;
    bt.url = "http://" + std::string(o_.rpc_host == "0.0.0.0" ? "127.0.0.1" : o_.rpc_host) + ":" +
             std::to_string(operator_->rpc_port());
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
    bt.healthy = [this] { return operator_->health().empty(); };
    if (!o_.bench(bt)) return ctx_.fail("the bench failed (see above)");
    if (!healthy()) return false;
    out_ << "devnet: bench PASS" << std::endl;
    return true;
  }

  bool keep_running() {
    out_ << "devnet: running; Ctrl-C to stop" << std::endl;
    while (!stop_.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (!healthy()) return false;
    }
    return true;
  }

  const DevnetOptions& o_;
  const std::atomic<bool>& stop_;
  std::ostream& out_;
  Ctx ctx_;
  std::string nm_, cache_, work_;
  AnvilProcess anvil_;
  std::unique_ptr<l1::RpcClient> rpc_;
  uint64_t chain_ = 0;
  std::optional<l1::PrivateKey> op_key_;
  l1::SenderOptions so_;
  std::optional<l1::TxSender> op_;
  DeployOutcome dep_;
  const BatchKeys* swap_keys_ = nullptr;
  l1::Address rollup_{};
  batch::BatchParams params_;
  std::vector<l1::Address> tokens_;
  std::unique_ptr<Operator> operator_;
};

}  // namespace

int run_devnet(const DevnetOptions& o, const std::atomic<bool>& stop, std::ostream& out) {
  return DevnetRun(o, stop, out).run();
}

}  // namespace zkamm::settle
