// Exit without the operator, end to end on anvil (issue 16). An operator process (node, prover,
// L1 watcher and sender with the 1-slot circuit, real Groth16 proofs) plays a devnet scenario:
// three users register and deposit ETH and two ERC-20s, two pools get LP positions, swaps, a
// transfer and a withdrawal settle on L1 (commitProveExecute). It records the state at its last
// executed batch (the oracle), then leaves work in flight: one batch committed, reverted,
// committed again (commitBatch), proven and executed by hand, then a deposit, a swap and a
// withdrawal committed and never proven. It is killed with SIGKILL and its data directory
// deleted. A user's full exit misses its deadline, a third party activates exodus, and a replica
// built from anvil alone (sync::Follower + Replica) must reach L1's lastExecutedRoot and hold the
// oracle's state; `zkamm wallet exodus-exit --all --withdraw` against the replica's JSON-RPC (sent
// by the third party) must pay every owner, to the wei, every balance and LP share of that state;
// the in-flight deposit is refunded, and the rollup's holdings end at what the locked
// MINIMUM_LIQUIDITY and the LP rounding leave. A replica whose input has one byte of one batch's
// public data altered stops with the root mismatch naming the batch, and an L1 reorg (anvil
// snapshot/revert) is undone by the journal.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "hash/eddsa.hpp"
#include "l1/abi.hpp"
#include "node/codec.hpp"
#include "settle/deploy.hpp"
#include "settle/anvil_fixture.hpp"
#include "settle/batch_keys.hpp"
#include "settle/l1_calls.hpp"
#include "settle/l1_sender.hpp"
#include "settle/l1_watcher.hpp"
#include "node/rpc_client.hpp"
#include "settle/prover.hpp"
#include "settle/rollup_abi.hpp"
#include "state/uint.hpp"
#include "sync/l1_follower.hpp"
#include "sync/replica.hpp"
#include "sync/sync_rpc.hpp"
#include "tx/message.hpp"

namespace zkamm::sync {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using l1::abi::Value;
using settle::testing::kAnvilKey0;
using Clock = std::chrono::steady_clock;

// anvil's default accounts 1..4 (public test keys of every anvil/hardhat node): the owners of L2
// accounts 1..3 and a third party.
const char* const kUserKeys[] = {"0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
                                 "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
                                 "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"};
const char* const kThirdKey = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
constexpr tx::Amount kE18 = 1'000'000'000'000'000'000ull;

ff::U256 u256(tx::Amount a) { return ff::U256{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }
std::string dec(const ff::U256& v) { return ff::to_decimal(v); }
ff::U256 from_dec(const std::string& s) { return *ff::parse_u256(s); }
ff::U256 add(const ff::U256& a, const ff::U256& b) {
  ff::U256 o;
  EXPECT_TRUE(state::checked_add(o, a, b));
  return o;
}
ff::U256 sub(const ff::U256& a, const ff::U256& b) {
  ff::U256 o;
  EXPECT_TRUE(state::checked_sub(o, a, b));
  return o;
}
ff::U256 mul_div(const ff::U256& a, const ff::U256& b, const ff::U256& c) {
  ff::U256 o;
  EXPECT_TRUE(state::checked_mul(o, a, b));
  return state::div(o, c);
}

class SyncExodusTest : public settle::testing::AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The deployment `zkamm deploy` makes (settle/deploy.hpp), one-slot batches, no swap circuit:
    // the same rollup address and cached 1-slot keys as node_fault_test.
    settle::DeployConfig dc;
    dc.slots = 1;
    dc.swap_batches = false;
    dc.priority_deadline_s = 3600;
    dc.priority_batch_s = 60;
    dc.timestamp_window_s = 86400;
    dc.keys_dir = std::string(ZKAMM_BINARY_DIR) + "/settle-test-keys";
    std::ostringstream log;
    settle::DeployOutcome dep = settle::deploy_rollup(*rpc_, *sender_, 31337, dc, log);
    ASSERT_TRUE(dep.ok()) << dep.error << "\n" << log.str();
    rollup_ = dep.deployment->rollup;
    params_ = dep.keys->params;
    keys_ = std::move(dep.keys);
    deploy_block_ = dep.deployment->deploy_block;
    ASSERT_EQ(settle::deploy_test_tokens(*sender_, *dep.deployment, {"TKA", "TKB"}, log), "") << log.str();
    for (const auto& [id, addr] : dep.deployment->tokens) tokens_.push_back(addr);
    work_ = fs::temp_directory_path() / ("zkamm-sync-exodus-" + std::to_string(::getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
  }

  void TearDown() override {
    if (!work_.empty()) fs::remove_all(work_);
    AnvilTest::TearDown();
  }

  static l1::Receipt send(l1::TxSender& s, const l1::Address& to, l1::Bytes data, tx::Amount value = 0) {
    l1::TxRequest r;
    r.to = to;
    r.data = std::move(data);
    r.value = u256(value);
    auto rc = s.send_and_wait(r);
    EXPECT_TRUE(rc.ok()) << (rc.ok() ? "" : rc.error().message);
    return rc.ok() ? *rc : l1::Receipt{};
  }

  ff::U256 view(const l1::Address& to, const char* sig, std::vector<Value> args = {}) {
    auto f = l1::abi::parse_function(sig);
    l1::CallRequest c;
    c.to = to;
    c.data = *l1::abi::encode_call(*f, args);
    auto out = rpc_->call(c);
    EXPECT_TRUE(out.ok()) << sig;
    auto v = out.ok() ? l1::abi::decode_output(*f, *out) : std::nullopt;
    return v && !v->empty() ? (*v)[0].word : ff::U256{};
  }
  ff::U256 holding(uint16_t token, const l1::Address& who) {
    if (token == 0) return *rpc_->get_balance(who);
    return view(tokens_[token - 1], "balanceOf(address)(uint256)", {Value::address(who)});
  }

  // ---------------------------------------------------------------- the operator's process
  int operator_main() {
    node::NodeConfig nc;
    nc.data_dir = (work_ / "operator").string();
    nc.batch_slots = 1;
    nc.batch_timeout = std::chrono::milliseconds(50);
    nc.block_time = std::chrono::milliseconds(20);
    nc.domain = params_.domain;
    node::Node node(nc);
    if (!node.error().empty()) return std::cerr << "operator: " << node.error() << std::endl, 1;
    settle::Prover prover(node, *keys_);
    auto rpc = l1::RpcClient::create(anvil_.url());
    auto watch_rpc = l1::RpcClient::create(anvil_.url());
    l1::SenderOptions so;
    so.poll_interval = std::chrono::milliseconds(20);
    l1::TxSender op(*rpc, *l1::PrivateKey::from_hex(kAnvilKey0), 31337, so);
    settle::L1SenderConfig sc;
    sc.rollup = rollup_;
    settle::use_node_journal(sc, node);
    settle::L1Sender sender(*rpc, op, sc);
    settle::report_to_node(sender, node);
    prover.on_proved([&](const settle::ProvedBatch& p) { sender.enqueue(p); });
    sender.start();
    settle::WatcherConfig wc;
    wc.rollup = rollup_;
    wc.from_block = deploy_block_;
    wc.poll_interval = std::chrono::milliseconds(50);
    settle::L1Watcher watcher(*watch_rpc, settle::node_sink(node), wc);
    watcher.start();
    const auto halted = [&] { return !prover.error().empty() || !sender.error().empty() || !watcher.error().empty(); };
    const auto wait = [&](const std::function<bool()>& f, const char* what) {
      const auto end = Clock::now() + std::chrono::seconds(240);
      while (!f()) {
        if (halted() || Clock::now() > end) {
          std::cerr << "operator: " << what << ": prover '" << prover.error() << "' sender '" << sender.error() << "' watcher '"
                    << watcher.error() << "'" << std::endl;
          return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return true;
    };
    std::vector<std::unique_ptr<l1::TxSender>> users;
    for (const char* k : kUserKeys) users.push_back(std::make_unique<l1::TxSender>(*rpc, *l1::PrivateKey::from_hex(k), 31337, so));
    std::vector<hash::PrivateKey> l2keys(4);
    for (uint8_t i = 1; i <= 3; ++i) l2keys[i][0] = static_cast<uint8_t>(0x40 + i);
    // ---- L1: mint, approve, register (with ETH), deposit ----
    const ff::U256 lots = u256(1000 * kE18);
    for (size_t i = 0; i < 3; ++i) {
      for (const auto& t : tokens_) {
        send(op, t, settle::call("mint(address,uint256)", {Value::address(users[i]->address()), Value::uint(lots)}));
        send(*users[i], t, settle::call("approve(address,uint256)", {Value::address(rollup_), Value::uint(lots)}));
      }
      send(*users[i], rollup_, settle::register_account_call(l2keys[i + 1], params_.domain, users[i]->address(), true),
           (i == 0 ? 2 : 1) * kE18);
    }
    const auto deposit = [&](size_t u, uint16_t token, tx::Amount a) {
      send(*users[u], rollup_, settle::call("deposit(uint32,uint16,uint128)", {Value::uint(u + 1), Value::uint(token), Value::uint(u256(a))}));
    };
    deposit(0, 1, 600 * kE18);
    deposit(0, 2, 500 * kE18);
    deposit(1, 1, 100 * kE18);
    deposit(2, 2, 200 * kE18);
    if (!wait([&] { return node.next_priority_serial() >= 10; }, "priority ops")) return 1;
    // ---- L2 ----
    std::vector<node::Hash> hashes;
    const auto l2 = [&](uint32_t a, tx::Tx t) {
      std::visit([&](auto& x) {
        if constexpr (requires { x.nonce; }) x.nonce = static_cast<uint32_t>(node.account(a)->nonce);
      }, t);
      if (!tx::sign(t, l2keys[a], params_.domain)) return false;
      const node::TxInfo info = node.submit_and_wait(t, std::chrono::seconds(30));
      if (info.status != node::TxStatus::kSoft) return std::cerr << "operator: L2 tx: " << info.reason << std::endl, false;
      hashes.push_back(info.hash);
      return true;
    };
    const uint64_t dl = ~uint64_t{0} >> 1;
    tx::L1Address u2addr{};
    {
      const l1::Address a = users[1]->address();
      std::copy(a.begin(), a.end(), u2addr.begin());
    }
    const bool ok = l2(1, tx::CreatePool{1, 1, 2, 0, {}}) && l2(1, tx::AddLiquidity{1, 1, 2, 400 * kE18, 400 * kE18, 0, 0, dl, 0, {}}) &&
                    l2(1, tx::CreatePool{1, 0, 1, 0, {}}) && l2(1, tx::AddLiquidity{1, 0, 1, kE18, 100 * kE18, 0, 0, dl, 0, {}}) &&
                    l2(2, tx::SwapExactIn{2, 1, 2, 10 * kE18, 0, dl, 0, {}}) && l2(3, tx::SwapExactIn{3, 2, 1, 20 * kE18, 0, dl, 0, {}}) &&
                    l2(2, tx::AddLiquidity{2, 1, 2, 5 * kE18, 5 * kE18, 0, 0, dl, 0, {}}) &&
                    l2(3, tx::AddLiquidity{3, 0, 1, kE18 / 10, 10 * kE18, 0, 0, dl, 0, {}}) &&
                    l2(2, tx::Withdraw{2, 2, kE18, u2addr, 0, {}}) && l2(1, tx::Transfer{1, 3, 1, 5 * kE18, 0, {}});
    if (!ok) return 1;
    uint64_t last = 0;
    if (!wait([&] {
          for (const auto& h : hashes) {
            auto i = node.tx_info(h);
            if (!i.batch) return false;
            last = std::max(last, *i.batch);
          }
          return true;
        }, "batched"))
      return 1;
    if (!wait([&] { return sender.last_executed() >= last; }, "executed")) return 1;
    sender.stop();
    // ---- phase 2: one more batch committed, reverted, committed, proven and executed by hand ----
    if (!l2(1, tx::SwapExactIn{1, 2, 1, 3 * kE18, 0, dl, 0, {}})) return 1;
    const uint64_t k = last + 1;
    if (!wait([&] { return prover.proved(k).has_value(); }, "proved k")) return 1;
    // The oracle: the operator's own state at batch k, the last batch L1 will execute.
    json oracle = {{"last_executed", k}, {"accounts", json::object()}, {"pools", json::array()}};
    for (uint32_t a = 0; a <= 3; ++a) {
      json b = json::object();
      const std::optional<state::Account> acc = node.account(a);
      for (const auto& [t, v] : acc->balances) b[std::to_string(t)] = dec(v);
      oracle["accounts"][std::to_string(a)] = b;
    }
    for (auto [x, y] : {std::pair{1, 2}, std::pair{0, 1}}) {
      const auto p = *node.pool(x, y);
      oracle["pools"].push_back({{"lp_token", p.lp_token}, {"token0", p.token0}, {"token1", p.token1}, {"reserve0", dec(p.reserve0)},
                                 {"reserve1", dec(p.reserve1)}, {"total_supply", dec(p.total_supply)}});
    }
    const settle::ProvedBatch pk = *prover.proved(k);
    const auto commit = [&](const settle::ProvedBatch& p) {
      send(op, rollup_, *l1::abi::encode_call(settle::rollup_abi::commit_batch(), std::vector<Value>{Value::bytes_value(p.header), Value::bytes_value(p.pubdata)}));
    };
    commit(pk);
    send(op, rollup_, settle::call("revertBatches(uint256)", {Value::uint(k - 1)}));
    commit(pk);
    std::vector<Value> pargs = {Value::uint(k)};
    for (auto& v : settle::proof_args(pk.proof)) pargs.push_back(std::move(v));
    {
      l1::TxRequest r;
      r.to = rollup_;
      r.data = *l1::abi::encode_call(settle::rollup_abi::prove_batch(), pargs);
      r.gas_limit = 1'000'000;
      if (!op.send_and_wait(r).ok()) return std::cerr << "operator: proveBatch failed" << std::endl, 1;
    }
    send(op, rollup_, *l1::abi::encode_call(settle::rollup_abi::execute_batch(), std::vector<Value>{Value::uint(k), Value::bytes_value(pk.pubdata)}));
    // ---- in flight: a deposit, a swap and a withdrawal, committed and never proven on L1 ----
    oracle["deposit_serial"] = node.next_priority_serial();
    deposit(2, 1, 50 * kE18);
    if (!wait([&] { return node.next_priority_serial() > oracle["deposit_serial"].get<uint64_t>(); }, "deposit")) return 1;
    if (!l2(2, tx::SwapExactIn{2, 1, 2, 2 * kE18, 0, dl, 0, {}}) || !l2(2, tx::Withdraw{2, 1, kE18, u2addr, 0, {}})) return 1;
    if (!wait([&] { return prover.proved(k + 3).has_value(); }, "proved k+3")) return 1;
    for (uint64_t n = k + 1; n <= k + 3; ++n) commit(*prover.proved(n));
    std::ofstream(work_ / "oracle.json") << oracle.dump();
    std::ofstream(work_ / "ready") << "ready";
    for (;;) ::pause();  // the operator waits to be killed
  }

  batch::BatchParams params_;
  std::optional<settle::BatchKeys> keys_;
  l1::Address rollup_{};
  uint64_t deploy_block_ = 0;
  std::vector<l1::Address> tokens_;
  fs::path work_;
};

TEST_F(SyncExodusTest, UsersExitWithTheReplicaAfterTheOperatorIsKilled) {
  // ---- the operator runs the scenario, then is killed (-9) and its data deleted ----
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(operator_main());
  const auto end = Clock::now() + std::chrono::seconds(400);
  int status = 0;
  bool ready = false;
  while (!ready && Clock::now() < end && ::waitpid(pid, &status, WNOHANG) == 0) {
    ready = fs::exists(work_ / "ready");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(ready) << "the operator did not finish its scenario";
  fs::remove_all(work_ / "operator");
  ASSERT_FALSE(fs::exists(work_ / "operator"));
  json oracle;
  std::ifstream(work_ / "oracle.json") >> oracle;
  const uint64_t k = oracle["last_executed"].get<uint64_t>();
  ASSERT_EQ(view(rollup_, "lastExecuted()(uint64)"), (ff::U256{k, 0, 0, 0}));
  ASSERT_EQ(view(rollup_, "lastCommitted()(uint64)"), (ff::U256{k + 3, 0, 0, 0}));
  const ff::U256 executed_root = view(rollup_, "lastExecutedRoot()(uint256)");

  // ---- a full exit misses its deadline; a third party freezes the rollup ----
  l1::SenderOptions so;
  so.poll_interval = std::chrono::milliseconds(10);
  std::vector<std::unique_ptr<l1::TxSender>> users;
  for (const char* key : kUserKeys) users.push_back(std::make_unique<l1::TxSender>(*rpc_, *l1::PrivateKey::from_hex(key), 31337, so));
  l1::TxSender third(*rpc_, *l1::PrivateKey::from_hex(kThirdKey), 31337, so);
  send(*users[0], rollup_, settle::call("requestFullExit(uint32,uint16)", {Value::uint(1), Value::uint(1)}));
  ASSERT_TRUE(rpc_->evm_increase_time(2 * 86400).ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  send(third, rollup_, settle::call("activateExodus()", {}));
  ASSERT_EQ(view(rollup_, "exodusMode()(bool)"), (ff::U256{1, 0, 0, 0}));

  // ---- a replica from anvil alone ----
  std::string err;
  auto replica = Replica::open((work_ / "replica").string(), err);
  ASSERT_NE(replica, nullptr) << err;
  auto rpc = l1::RpcClient::create(anvil_.url());
  FollowerConfig fc;
  fc.rollup = rollup_;
  fc.max_range = 7;  // several steps
  Follower follower(*rpc, *replica, fc);
  ASSERT_EQ(follower.init(), "");
  EXPECT_EQ(replica->status().chain->deploy_block, deploy_block_) << "found with eth_getCode";
  ASSERT_EQ(follower.catch_up(std::chrono::seconds(60)), "");
  EXPECT_EQ(replica->meta().last_batch, k);
  EXPECT_EQ(replica->root().to_canonical(), executed_root) << "the rebuilt root must be L1's lastExecutedRoot";
  const auto pending = replica->pending();
  ASSERT_EQ(pending.size(), 3u) << "the in-flight batches wait as pending commits";
  EXPECT_EQ(pending.begin()->first, k + 1);
  for (uint32_t a = 0; a <= 3; ++a) {
    auto acc = replica->account(a);
    ASSERT_TRUE(acc.has_value());
    json b = json::object();
    for (const auto& [t, v] : acc->balances) b[std::to_string(t)] = dec(v);
    EXPECT_EQ(b, oracle["accounts"][std::to_string(a)]) << "account " << a;
  }

  // ---- exits through `zkamm wallet exodus-exit` against the replica's JSON-RPC ----
  node::http::ServerConfig hc;
  hc.port = 0;
  SyncService service(*replica, hc);
  ASSERT_TRUE(service.start(&err)) << err;
  {
    // The explorer on the replica's port (docs/EXPLORER.md): the page, its final batches newest
    // first, and every pool as L1 rebuilt it.
    node::rpc::Client client(node::rpc::Endpoint{"127.0.0.1", service.port()}, std::chrono::seconds(20));
    const auto page = client.get("/");
    EXPECT_EQ(page.first, 200u);
    EXPECT_NE(page.second.find("/explorer/app.js"), std::string::npos);
    const json batches = client.call("zkamm_getBatches", json::array({32}));
    ASSERT_EQ(batches.size(), std::min<uint64_t>(k, 32));
    EXPECT_EQ(batches[0]["number"], k);
    EXPECT_EQ(batches.back()["number"], 1);
    EXPECT_EQ(batches[0]["l1"]["stage"], "finalized");
    const json pools = client.call("zkamm_getPools");
    ASSERT_EQ(pools.size(), oracle["pools"].size());
    for (const json& p : oracle["pools"]) {
      bool found = false;
      for (const json& q : pools)
        found = found || (q["lp_token"] == p["lp_token"] && q["reserve0"] == p["reserve0"] && q["reserve1"] == p["reserve1"] &&
                          q["total_supply"] == p["total_supply"]);
      EXPECT_TRUE(found) << p.dump();
    }
  }
  // Withdrawals executed before the freeze are paid first, so the deltas below are the exits'.
  for (auto& u : users)
    for (uint16_t t = 0; t <= 2; ++t)
      if (view(rollup_, "pendingWithdrawals(address,uint16)(uint256)", {Value::address(u->address()), Value::uint(t)}) != ff::U256{})
        send(third, rollup_, settle::call("withdrawFor(address,uint16)", {Value::address(u->address()), Value::uint(t)}));
  std::vector<std::array<ff::U256, 3>> before(3);
  for (size_t i = 0; i < 3; ++i)
    for (uint16_t t = 0; t <= 2; ++t) before[i][t] = holding(t, users[i]->address());
  const std::string zkamm = std::string(ZKAMM_BINARY_DIR) + "/src/app/zkamm";
  ASSERT_EQ(::access(zkamm.c_str(), X_OK), 0) << zkamm << " not built";
  for (uint32_t a = 1; a <= 3; ++a) {
    const std::string cmd = "ZKAMM_L1_KEY=" + std::string(kThirdKey) + " '" + zkamm + "' wallet exodus-exit --url http://127.0.0.1:" +
                            std::to_string(service.port()) + " --l1 " + anvil_.url() + " --account " + std::to_string(a) +
                            " --all --withdraw > '" + (work_ / ("exit" + std::to_string(a) + ".json")).string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  // Each owner got exactly its balances and its LP shares of the frozen reserves.
  std::array<ff::U256, 3> paid_shares{};
  for (size_t i = 0; i < 3; ++i) {
    std::array<ff::U256, 3> want{};
    for (const auto& [t, v] : oracle["accounts"][std::to_string(i + 1)].items()) {
      const uint32_t token = static_cast<uint32_t>(std::stoul(t));
      const ff::U256 bal = from_dec(v.get<std::string>());
      if (token < 3) {
        want[token] = add(want[token], bal);
        continue;
      }
      for (const json& p : oracle["pools"]) {
        if (p["lp_token"].get<uint32_t>() != token) continue;
        const ff::U256 supply = from_dec(p["total_supply"].get<std::string>());
        for (int side = 0; side < 2; ++side) {
          const uint32_t tk = p[side == 0 ? "token0" : "token1"].get<uint32_t>();
          const ff::U256 share = mul_div(bal, from_dec(p[side == 0 ? "reserve0" : "reserve1"].get<std::string>()), supply);
          want[tk] = add(want[tk], share);
          paid_shares[tk] = add(paid_shares[tk], share);
        }
      }
    }
    for (uint16_t t = 0; t <= 2; ++t)
      EXPECT_EQ(dec(sub(holding(t, users[i]->address()), before[i][t])), dec(want[t])) << "owner of account " << i + 1 << ", token " << t;
  }
  // The in-flight deposit is refunded to its depositor.
  const uint64_t serial = oracle["deposit_serial"].get<uint64_t>();
  send(third, rollup_, settle::call("refundDeposit(uint64)", {Value::uint(serial)}));
  const ff::U256 tka_before = holding(1, users[2]->address());
  send(third, rollup_, settle::call("withdrawFor(address,uint16)", {Value::address(users[2]->address()), Value::uint(1)}));
  EXPECT_EQ(dec(sub(holding(1, users[2]->address()), tka_before)), dec(u256(50 * kE18)));
  // What stays in the rollup: the pools' reserves less the LP shares paid, i.e. what the locked
  // MINIMUM_LIQUIDITY (account 0, no owner) and the rounding down of each share leave.
  std::array<ff::U256, 3> left{};
  for (const json& p : oracle["pools"]) {
    left[p["token0"].get<uint32_t>()] = add(left[p["token0"].get<uint32_t>()], from_dec(p["reserve0"].get<std::string>()));
    left[p["token1"].get<uint32_t>()] = add(left[p["token1"].get<uint32_t>()], from_dec(p["reserve1"].get<std::string>()));
  }
  for (uint16_t t = 0; t <= 2; ++t) {
    const ff::U256 want = sub(left[t], paid_shares[t]);
    EXPECT_EQ(dec(holding(t, rollup_)), dec(want)) << "rollup holdings of token " << t;
    EXPECT_LT(ff::to_decimal(want).size(), 18u) << "only dust may remain (token " << t << ")";
  }

  // ---- an L1 reorg after a journalled step is undone ----
  auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(rpc_->evm_mine().ok());
  ASSERT_EQ(follower.catch_up(std::chrono::seconds(30)), "");
  const Cursor c1 = replica->meta().cursor;
  ASSERT_TRUE(rpc_->evm_revert(*snap).ok());
  // Another chain of the same height and more: its blocks hold a transfer, so their hashes differ.
  {
    l1::TxRequest r;
    r.to = users[0]->address();
    r.value = u256(1);
    ASSERT_TRUE(third.send_and_wait(r).ok());
  }
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(rpc_->evm_mine().ok());
  ASSERT_EQ(follower.catch_up(std::chrono::seconds(30)), "");
  EXPECT_GE(follower.stats().rollbacks, 1u) << "the reorg must be noticed";
  EXPECT_NE(replica->meta().cursor.hash, c1.hash);
  EXPECT_EQ(replica->root().to_canonical(), executed_root);

  // ---- the same from the command line: `zkamm sync --once`, then with one altered byte ----
  const std::string sync_cmd = "'" + zkamm + "' sync --l1 " + anvil_.url() + " --rollup " + l1::to_checksum_address(rollup_) +
                               " --once --data-dir '";
  {
    const std::string out = (work_ / "sync-cli.out").string();
    ASSERT_EQ(std::system((sync_cmd + (work_ / "cli-replica").string() + "' > '" + out + "' 2>&1").c_str()), 0);
    std::ifstream in(out);
    std::string line, last_line;
    while (std::getline(in, line)) last_line = line;
    const json st = json::parse(last_line, nullptr, false);
    ASSERT_FALSE(st.is_discarded()) << last_line;
    EXPECT_EQ(st["last_batch"].get<uint64_t>(), k);
    EXPECT_EQ(st["state_root"].get<std::string>(), fr_hex(*ff::Fr::from_canonical(executed_root)));
  }
  {
    const std::string out = (work_ / "sync-cli-bad.out").string();
    const int rc = std::system((sync_cmd + (work_ / "cli-replica-bad").string() + "' --tamper-pubdata 6:21 > '" + out + "' 2>&1").c_str());
    EXPECT_NE(rc, 0);
    std::ifstream in(out);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("error: batch 6: root mismatch"), std::string::npos) << text;
  }

  // ---- a replica fed one altered byte stops at that batch ----
  FollowerConfig bad = fc;
  const uint64_t victim = 5;  // a deposit batch (registrations and deposits come first)
  bad.tamper = [victim](L1Batch& b) {
    if (b.number == victim && b.pubdata[0] == 1) b.pubdata[21] ^= 0x01;
    if (b.number == victim && b.pubdata[0] != 1) b.pubdata[5] ^= 0x01;
  };
  auto replica2 = Replica::open((work_ / "replica2").string(), err);
  ASSERT_NE(replica2, nullptr) << err;
  Follower follower2(*rpc, *replica2, bad);
  ASSERT_EQ(follower2.init(), "");
  const std::string e = follower2.catch_up(std::chrono::seconds(60));
  EXPECT_NE(e.find("batch " + std::to_string(victim) + ":"), std::string::npos) << e;
  EXPECT_TRUE(e.find("root mismatch") != std::string::npos || e.find("does not replay") != std::string::npos) << e;
  EXPECT_LT(replica2->meta().last_batch, victim);
}

}  // namespace
}  // namespace zkamm::sync
