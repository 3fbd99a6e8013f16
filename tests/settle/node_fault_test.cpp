// Node faults (issue 6): the node, the prover, the L1 watcher and the L1 sender run in a forked
// child against anvil and die at a test-only fault point (ZKAMM_FAULT, settle/l1_sender.hpp: the
// child _exits like a kill -9, no destructors); a second child on the same data directory must
// finish the pipeline. anvil is the oracle: every batch ends executed with the contract's counters
// right, and the operator's mined nonce count shows each commit/prove/execute was sent exactly
// once (a duplicate would revert on the contract but still take a nonce). The stored proof of a
// batch proven before the kill is byte-equal after the restart (Groth16 proofs are randomised,
// so a second proving would differ).
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

#include "common/test_keys.hpp"
#include "anvil_fixture.hpp"
#include "hash/eddsa.hpp"
#include "l1/abi.hpp"
#include "settle/batch_keys.hpp"
#include "settle/deploy.hpp"
#include "settle/l1_calls.hpp"
#include "settle/l1_sender.hpp"
#include "settle/l1_watcher.hpp"
#include "settle/prover.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;
using l1::abi::Value;
using Clock = std::chrono::steady_clock;

// anvil's default account 1 (a public test key): registers the L2 accounts, so the operator's
// (account 0's) nonce counts only rollup steps after the deployment.
// The rollup's timestampWindow here (the devnet's default).
constexpr uint64_t kTimestampWindow = 86400;

class NodeFaultTest : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The deployment `zkamm deploy` makes (settle/deploy.hpp), one-slot batches, no swap circuit.
    DeployConfig dc;
    dc.slots = 1;
    dc.swap_batches = false;
    dc.timestamp_window_s = kTimestampWindow;
    dc.keys_dir = std::string(ZKAMM_BINARY_DIR) + "/settle-test-keys";
    std::ostringstream log;
    DeployOutcome dep = deploy_rollup(*rpc_, *sender_, 31337, dc, log);
    ASSERT_TRUE(dep.ok()) << dep.error << "\n" << log.str();
    rollup_ = dep.deployment->rollup;
    params_ = dep.keys->params;
    keys_ = std::move(dep.keys);
    deploy_block_ = dep.deployment->deploy_block;
    const l1::Address op = sender_->address();
    auto n = rpc_->get_transaction_count(op, l1::BlockTag::latest());
    ASSERT_TRUE(n.ok());
    op_nonce_ = *n;
    data_dir_ = (fs::temp_directory_path() / ("zkamm-node-fault-" + std::to_string(::getpid()))).string();
    fs::remove_all(data_dir_);
  }

  void TearDown() override {
    if (!data_dir_.empty()) fs::remove_all(data_dir_);
    AnvilTest::TearDown();
  }

  node::NodeConfig node_config() const {
    node::NodeConfig c;
    c.data_dir = data_dir_;
    c.batch_slots = 1;
    c.batch_timeout = std::chrono::milliseconds(50);
    c.block_time = std::chrono::milliseconds(20);
    c.domain = params_.domain;
    return c;
  }

  /// k registerAccount calls from account 1: k CreateAccount priority ops = k one-slot batches.
  void register_accounts(uint32_t k) {
    l1::SenderOptions so;
    so.poll_interval = std::chrono::milliseconds(10);
    l1::TxSender user(*rpc_, *l1::PrivateKey::from_hex(kAnvilKey1), 31337, so);
    for (uint32_t i = 1; i <= k; ++i) {
      const hash::PrivateKey key = zkamm::testing::test_key(i);
      l1::TxRequest req;
      req.to = rollup_;
      req.data = register_account_call(key, params_.domain, user.address());
      auto r = user.send_and_wait(req);
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
  }

  /// The child: node + prover + watcher + sender until `want` batches are finalized (0), or a
  /// failure / timeout (1), or a fault point (86, from inside the sender).
  int child_main(uint64_t want) {
    node::Node node(node_config());
    if (!node.error().empty()) return std::cerr << "child: node: " << node.error() << std::endl, 1;
    Prover prover(node, *keys_);
    auto rpc = l1::RpcClient::create(anvil_.url());
    auto watch_rpc = l1::RpcClient::create(anvil_.url());
    l1::SenderOptions so;
    so.poll_interval = std::chrono::milliseconds(20);
    l1::TxSender op(*rpc, *l1::PrivateKey::from_hex(kAnvilKey0), 31337, so);
    L1SenderConfig sc;
    sc.rollup = rollup_;
    sc.one_transaction = one_transaction_;
    sc.max_batches_per_transaction = max_batches_per_transaction_;
    use_node_journal(sc, node);
    L1Sender sender(*rpc, op, sc);
    report_to_node(sender, node);
    bool sender_started = !start_sender_when_all_proved_;
    if (sender_started) {
      prover.on_proved([&](const ProvedBatch& p) { sender.enqueue(p); });
      resume_from_store(sender, prover, node);
      sender.start();
    }
    WatcherConfig wc;
    wc.rollup = rollup_;
    wc.from_block = deploy_block_;
    wc.poll_interval = std::chrono::milliseconds(50);
    L1Watcher watcher(*watch_rpc, node_sink(node), wc);
    watcher.start();
    const auto end = Clock::now() + std::chrono::seconds(120);
    int rc = 1;
    while (Clock::now() < end) {
      if (!sender_started && prover.proved(want).has_value()) {
        resume_from_store(sender, prover, node);  // every proof is queued before the sender runs
        sender.start();
        sender_started = true;
      }
      if (node.status().last_finalized >= want) {
        rc = 0;
        break;
      }
      if (!prover.error().empty() || !sender.error().empty() || !watcher.error().empty()) {
        std::cerr << "child: halted: prover '" << prover.error() << "' sender '" << sender.error() << "' watcher '"
                  << watcher.error() << "'" << std::endl;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    watcher.stop();
    sender.stop();
    prover.stop();
    node.stop();
    return rc;
  }

  /// Runs child_main in a forked process with ZKAMM_FAULT = fault (or unset); its exit code, or
  /// -1 when it had to be killed after 180 s.
  int run_child(uint64_t want, const char* fault) {
    std::cout.flush();
    std::cerr.flush();
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (fault != nullptr) ::setenv("ZKAMM_FAULT", fault, 1);
      else ::unsetenv("ZKAMM_FAULT");
      ::_exit(child_main(want));
    }
    const auto end = Clock::now() + std::chrono::seconds(180);
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (Clock::now() > end) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  ChainView chain() {
    L1SenderConfig sc;
    sc.rollup = rollup_;
    L1Sender s(*rpc_, *sender_, sc);
    auto v = s.chain_view();
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : ChainView{};
  }

  uint64_t op_nonce(const l1::BlockTag& tag = l1::BlockTag::latest()) {
    auto n = rpc_->get_transaction_count(sender_->address(), tag);
    EXPECT_TRUE(n.ok());
    return n.ok() ? *n : 0;
  }

  std::optional<std::string> record(const std::string& key) {
    node::Node node(node_config());
    EXPECT_EQ(node.error(), "");
    auto r = node.settle_record(key);
    node.stop();
    return r;
  }
  std::optional<std::string> stored_proof(uint64_t n) { return record("proof/" + std::to_string(n)); }
  /// The node's L1 record of batch n.
  std::optional<node::BatchL1Info> batch_l1(uint64_t n) {
    node::Node node(node_config());
    EXPECT_EQ(node.error(), "");
    auto r = node.batch_l1(n);
    node.stop();
    return r;
  }
  /// The tx hash of the sender's journal record `key` ("<nonce> <tx hash>"), which must hold the
  /// test's first operator nonce: the transaction the child sent before it was killed.
  std::string journalled_hash(const std::string& key) {
    const auto rec = record(key);
    EXPECT_TRUE(rec.has_value()) << key;
    if (!rec) return "";
    EXPECT_EQ(rec->substr(0, rec->find(' ')), std::to_string(op_nonce_));
    return rec->substr(rec->find(' ') + 1);
  }

  /// The end state after `batches` batches: all executed with `operator_txs` operator
  /// transactions in all (none sent twice), every batch and its txs finalized in the node's store.
  void expect_all_finalized(uint64_t batches, uint64_t operator_txs) {
    const ChainView v = chain();
    EXPECT_EQ(v.last_committed, batches);
    EXPECT_EQ(v.last_proven, batches);
    EXPECT_EQ(v.last_executed, batches);
    EXPECT_EQ(op_nonce(), op_nonce_ + operator_txs) << "an L1 step was sent twice";
    node::Node node(node_config());
    ASSERT_EQ(node.error(), "");
    const node::NodeStatus s = node.status();
    EXPECT_EQ(s.last_finalized, batches);
    EXPECT_EQ(s.last_committed, batches);
    for (uint64_t n = 1; n <= batches; ++n) {
      auto l1 = node.batch_l1(n);
      ASSERT_TRUE(l1.has_value());
      EXPECT_EQ(l1->stage, node::TxStatus::kFinalized);
      EXPECT_NE(l1->finalized, 0u);
      EXPECT_NE(l1->execute_tx, node::Hash{});
      auto b = node.batch(n);
      ASSERT_TRUE(b.has_value());
      const node::TxInfo ti = node.tx_info(b->slots[0].hash);
      EXPECT_EQ(ti.status, node::TxStatus::kFinalized);
      EXPECT_NE(ti.times.finalized, 0u);
    }
    node.stop();
  }

  batch::BatchParams params_;
  std::optional<BatchKeys> keys_;
  l1::Address rollup_{};
  uint64_t deploy_block_ = 0;
  uint64_t op_nonce_ = 0;
  std::string data_dir_;
  bool one_transaction_ = true;  ///< the children's L1SenderConfig::one_transaction
  bool start_sender_when_all_proved_ = false;  ///< the child's sender starts with every batch proven
  unsigned max_batches_per_transaction_ = 4;
};

// Killed inside the three calls; the restarted sender finishes batch 1 with proveBatch and
// executeBatch (commitProveExecute needs nothing pending on L1) and settles batch 2 in one call.
TEST_F(NodeFaultTest, KilledBetweenCommitAndProveFinishesWithoutResending) {
  register_accounts(2);
  one_transaction_ = false;
  ASSERT_EQ(run_child(2, "after-commit"), 86);
  ChainView v = chain();
  EXPECT_EQ(v.last_committed, 1u);
  EXPECT_EQ(v.last_proven, 0u);
  EXPECT_EQ(op_nonce(), op_nonce_ + 1);
  const auto proof1 = stored_proof(1);
  ASSERT_TRUE(proof1.has_value()) << "the proof must be stored before the commit";

  one_transaction_ = true;
  ASSERT_EQ(run_child(2, nullptr), 0);
  expect_all_finalized(2, 1 + 2 + 1);
  EXPECT_EQ(stored_proof(1), proof1) << "batch 1 was proven again after the restart";
  const auto l1 = batch_l1(2);
  ASSERT_TRUE(l1.has_value());
  EXPECT_EQ(l1->commit_tx, l1->execute_tx) << "batch 2 should be settled by one commitProveExecute";

  // L1Sender on its own: a batch the contract already shows costs no transaction.
  const auto p = decode_proved(*proof1);
  ASSERT_TRUE(p.has_value());
  L1SenderConfig sc;
  sc.rollup = rollup_;
  L1Sender s(*rpc_, *sender_, sc);
  EXPECT_EQ(s.process(*p), "");
  EXPECT_EQ(op_nonce(), op_nonce_ + 4);
  EXPECT_EQ(s.state(1)->stage, L1Stage::kExecuted);
  // Negative: a batch beyond the next one is refused before anything is sent.
  ProvedBatch gap = *p;
  gap.number = 4;
  EXPECT_NE(s.process(gap).find("committed only up to 2"), std::string::npos);
  EXPECT_EQ(op_nonce(), op_nonce_ + 4);
}

// ZkammRollup refuses a batch whose timestamp lags the committing L1 block by more than its
// timestampWindow: the sender names the batch and the window and sends nothing, on both paths.
TEST_F(NodeFaultTest, SenderRefusesABatchOlderThanTheTimestampWindow) {
  auto block = rpc_->get_block_by_number(l1::BlockTag::latest());
  ASSERT_TRUE(block.ok() && block->has_value());
  const uint64_t now = (*block)->timestamp;
  ProvedBatch p;
  p.number = 1;
  p.header.assign(node::kBatchHeaderBytes, 0);
  p.pubdata.assign(42, 0);
  const auto set_timestamp = [&p](uint64_t t) {
    for (size_t i = 0; i < 8; ++i) p.header[8 + i] = static_cast<uint8_t>(t >> (56 - 8 * i));
  };
  set_timestamp(now - kTimestampWindow - 1);
  for (const bool one_transaction : {true, false}) {
    L1SenderConfig sc;
    sc.rollup = rollup_;
    sc.one_transaction = one_transaction;
    L1Sender s(*rpc_, *sender_, sc);
    const std::string e = s.process(p);
    EXPECT_NE(e.find("batch 1: timestamp " + std::to_string(now - kTimestampWindow - 1)), std::string::npos) << e;
    EXPECT_NE(e.find("timestampWindow of 86400 s"), std::string::npos) << e;
  }
  // within the margin of the window: still refused (the transaction lands some blocks later)
  set_timestamp(now - kTimestampWindow + 30);
  L1SenderConfig sc;
  sc.rollup = rollup_;
  L1Sender s(*rpc_, *sender_, sc);
  EXPECT_NE(s.process(p).find("timestampWindow"), std::string::npos);
  EXPECT_EQ(op_nonce(), op_nonce_) << "nothing may be sent";
  // Well inside the window the sender goes on to L1, which refuses this dummy batch otherwise.
  set_timestamp(now);
  const std::string e = s.process(p);
  EXPECT_EQ(e.find("timestampWindow"), std::string::npos) << e;
  EXPECT_NE(e.find("zkamm: num_slots"), std::string::npos) << e;
}

TEST_F(NodeFaultTest, KilledAfterSendingBeforeTheReceiptWaitsForThatTransaction) {
  register_accounts(2);
  one_transaction_ = false;
  // No mining: the commit stays in anvil's mempool when the child dies right after sending it.
  ASSERT_TRUE(rpc_->evm_set_automine(false).ok());
  ASSERT_EQ(run_child(2, "after-send-committed"), 86);
  EXPECT_EQ(chain().last_committed, 0u);
  EXPECT_EQ(op_nonce(), op_nonce_);
  EXPECT_EQ(op_nonce(l1::BlockTag::pending()), op_nonce_ + 1) << "the commit should be pending";
  // The journal holds "<nonce> <tx hash>" of that pending commit.
  const std::string pending_hash = journalled_hash("sender/l1tx/1/committed");
  // Blocks every second from now: the pending commit is mined while the new child runs.
  ASSERT_TRUE(rpc_->request("evm_setIntervalMining", nlohmann::json::array({1})).ok());
  ASSERT_EQ(run_child(2, nullptr), 0);
  expect_all_finalized(2, 6);
  // Batch 1 was committed by the very transaction sent before the kill.
  const auto l1 = batch_l1(1);
  ASSERT_TRUE(l1.has_value());
  EXPECT_EQ(l1::to_hex(l1->commit_tx), pending_hash);
}

// The one-transaction path: killed right after commitProveExecute was sent, before it is mined;
// the transaction is mined before the restart, so the restarted sender finds batch 1 executed on
// L1 and reports it with that transaction from the journal (the wait for a still-pending one is
// the three-call test above), then settles batch 2 in one call: two operator transactions.
TEST_F(NodeFaultTest, KilledAfterSendingCommitProveExecuteReportsItAfterTheRestart) {
  register_accounts(2);
  max_batches_per_transaction_ = 1;  // one transaction per batch, however fast batch 2 is proven
  ASSERT_TRUE(rpc_->evm_set_automine(false).ok());
  ASSERT_EQ(run_child(2, "after-send-settled"), 86);
  EXPECT_EQ(chain().last_committed, 0u);
  EXPECT_EQ(op_nonce(l1::BlockTag::pending()), op_nonce_ + 1) << "commitProveExecute should be pending";
  const std::string pending_hash = journalled_hash("sender/l1tx/1/settled");
  ASSERT_TRUE(rpc_->evm_mine().ok());
  ASSERT_TRUE(rpc_->evm_set_automine(true).ok());
  EXPECT_EQ(chain().last_executed, 1u);
  ASSERT_EQ(run_child(2, nullptr), 0);
  expect_all_finalized(2, 2);
  const auto l1 = batch_l1(1);
  ASSERT_TRUE(l1.has_value());
  EXPECT_EQ(l1::to_hex(l1->execute_tx), pending_hash);
  EXPECT_EQ(l1::to_hex(l1->commit_tx), pending_hash);
}

// Batches already proven when the sender gets to them go to L1 together: one commitProveExecute
// (the contract's batched pairing check) settles both, one operator transaction in all.
TEST_F(NodeFaultTest, BatchesProvenTogetherSettleInOneTransaction) {
  register_accounts(2);
  start_sender_when_all_proved_ = true;
  ASSERT_EQ(run_child(2, nullptr), 0);
  expect_all_finalized(2, 1);
  const auto b1 = batch_l1(1), b2 = batch_l1(2);
  ASSERT_TRUE(b1.has_value() && b2.has_value());
  EXPECT_EQ(b1->execute_tx, b2->execute_tx);
  EXPECT_NE(b1->execute_tx, node::Hash{});
}

}  // namespace
}  // namespace zkamm::settle::testing
