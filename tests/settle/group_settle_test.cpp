// Issue 23: the settle layer of a sequencer group (docs/NODE.md "Sequencer group"), in process
// against anvil. Three nodes replicate over loopback (quorum soft finality); each runs a
// settle::Operator in group mode, which proves, sends to L1 and reads deposits only while its
// member leads (the fence the test holds: which member leads). The leader is taken down while its
// batches are being settled; a follower is promoted and its operator resumes from L1's counters.
// anvil is the oracle: every batch is committed and executed exactly once (one BatchCommitted
// and one BatchExecuted per number, no BatchesReverted, no operator transaction reverted), and
// both surviving members end with L1's lastExecutedRoot as their state root; the follower shows
// the batches finalized from L1's counters.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "anvil_fixture.hpp"
#include "common/test_keys.hpp"
#include "l1/abi.hpp"
#include "node/replication.hpp"
#include "settle/deploy.hpp"
#include "settle/l1_calls.hpp"
#include "settle/l1_sender.hpp"
#include "settle/operator.hpp"
#include "settle/rollup_events.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// anvil's default account 1 (a public test key): registers the L2 accounts.

struct GroupMember {
  fs::path dir;
  std::shared_ptr<node::ReplicationServer> server;
  std::unique_ptr<node::Node> node;
  std::unique_ptr<node::ReplicationClient> client;
  std::ostringstream log;
  std::unique_ptr<Operator> op;
};

class GroupSettleTest : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    DeployConfig dc;
    dc.slots = 1;
    dc.swap_batches = false;
    dc.timestamp_window_s = 86400;
    dc.keys_dir = std::string(ZKAMM_BINARY_DIR) + "/settle-test-keys";
    std::ostringstream log;
    DeployOutcome dep = deploy_rollup(*rpc_, *sender_, 31337, dc, log);
    ASSERT_TRUE(dep.ok()) << dep.error << "\n" << log.str();
    deployment_ = *dep.deployment;
    keys_ = std::move(dep.keys);
    root_ = fs::temp_directory_path() / ("zkamm-group-settle-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override {
    release_ = true;  // a fence held stalled lets go, so that its operator can stop
    for (auto& m : members_) {
      if (m.op) m.op->stop();
      m.client.reset();
      m.op.reset();
      m.node.reset();
      m.server.reset();
    }
    if (!root_.empty()) fs::remove_all(root_);
    AnvilTest::TearDown();
  }

  node::NodeConfig node_config(const fs::path& dir) const {
    node::NodeConfig c;
    c.data_dir = dir.string();
    c.batch_slots = 1;
    c.batch_timeout = 50ms;
    c.block_time = 20ms;
    c.domain = deployment_.domain();
    c.replicator = nullptr;
    c.quorum_soft = true;
    return c;
  }

  /// Member i: a follower (replicating from member `leader`) or the first leader (term 1).
  void start_member(int i, int leader) {
    GroupMember& m = members_[static_cast<size_t>(i)];
    char name[16];
    std::snprintf(name, sizeof name, "m%d", i);  // not "m" + to_string: g++ 12's -Wrestrict false positive
    m.dir = root_ / name;
    m.server = std::make_shared<node::ReplicationServer>(3, i == leader ? 1 : 0);
    std::string err;
    ASSERT_TRUE(m.server->listen("127.0.0.1", 0, err)) << err;
    node::NodeConfig c = node_config(m.dir);
    c.replicator = m.server;
    c.follower = i != leader;
    c.term = i == leader ? 1 : 0;
    m.node = std::make_unique<node::Node>(c);
    ASSERT_EQ(m.node->error(), "");
    m.server->attach(m.node.get());
    OperatorConfig oc;
    oc.deployment = deployment_;
    oc.l1_url = anvil_.url();
    oc.node = c;
    oc.watch_interval = 50ms;
    oc.l1_tx.poll_interval = 20ms;
    oc.group_node = m.node.get();
    oc.settle.one_transaction = one_transaction_;
    oc.is_leader = [this, i] {
      const bool lead = leader_.load() == i;
      // A stall right after the fence said yes (a SIGSTOP there): the test's worst moment.
      if (lead && i == stall_member_ && ++fence_calls_ == stall_at_call_) {
        stalled_ = true;
        while (!release_.load()) std::this_thread::sleep_for(2ms);
      }
      return lead;
    };
    oc.log_prefix = name;
    m.op = std::make_unique<Operator>(oc, *keys_, nullptr, *l1::PrivateKey::from_hex(kAnvilKey0), m.log);
    ASSERT_EQ(m.op->start(), "");
  }

  void follow(int i, int leader, uint64_t term) {
    members_[static_cast<size_t>(i)].client = std::make_unique<node::ReplicationClient>(
        *members_[static_cast<size_t>(i)].node, "127.0.0.1", members_[static_cast<size_t>(leader)].server->port(), term);
  }

  /// Three members, 1 and 2 following member 0, which leads term 1 and settles.
  void start_group_led_by_member_0() {
    ASSERT_NO_FATAL_FAILURE(start_member(0, 0));
    ASSERT_NO_FATAL_FAILURE(start_member(1, 0));
    ASSERT_NO_FATAL_FAILURE(start_member(2, 0));
    follow(1, 0, 1);
    follow(2, 0, 1);
    leader_ = 0;
    members_[0].op->lead();
  }

  /// registerAccount of accounts [from, to] from anvil account 1: one CreateAccount priority op
  /// (one one-slot batch) each.
  void register_accounts(uint32_t from, uint32_t to) {
    l1::SenderOptions so;
    so.poll_interval = 10ms;
    l1::TxSender user(*rpc_, *l1::PrivateKey::from_hex(kAnvilKey1), 31337, so);
    for (uint32_t i = from; i <= to; ++i) {
      l1::TxRequest req;
      req.to = deployment_.rollup;
      req.data = register_account_call(zkamm::testing::test_key(i), deployment_.domain(), user.address());
      auto r = user.send_and_wait(req);
      ASSERT_TRUE(r.ok()) << r.error().message;
    }
  }

  ChainView chain() {
    auto v = read_chain_view(*rpc_, deployment_.rollup);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : ChainView{};
  }

  std::map<uint64_t, int> count_events(const char* event) { return count_batch_events(*rpc_, deployment_, event); }

  bool wait_until(const std::function<bool()>& done, std::chrono::seconds limit) {
    const auto until = Clock::now() + limit;
    while (!done()) {
      if (Clock::now() > until) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }

  Deployment deployment_;
  std::optional<BatchKeys> keys_;
  fs::path root_;
  GroupMember members_[3];
  std::atomic<int> leader_{-1};
  bool one_transaction_ = true;
  // The fence of member stall_member_ blocks in its stall_at_call_-th call (after deciding yes)
  // until release_.
  int stall_member_ = -1, stall_at_call_ = 0;
  std::atomic<int> fence_calls_{0};
  std::atomic<bool> stalled_{false}, release_{false};
};

/// The operator's transaction count on L1 (mined).
uint64_t operator_nonce(l1::RpcClient& rpc) {
  auto n = rpc.get_transaction_count(l1::PrivateKey::from_hex(kAnvilKey0)->address(), l1::BlockTag::latest());
  return n.ok() ? *n : 0;
}

TEST_F(GroupSettleTest, OnlyTheLeaderSettlesAndTheNextLeaderResumesFromL1) {
  ASSERT_NO_FATAL_FAILURE(start_group_led_by_member_0());
  ASSERT_NO_FATAL_FAILURE(register_accounts(1, 4));
  // Mid-settlement: L1 has some of the leader's batches, not all of them.
  ASSERT_TRUE(wait_until([&] { return chain().last_executed >= 1; }, 120s)) << members_[0].log.str();

  // The leader goes (fenced first, as etcd's lease would), with whatever it had in flight.
  leader_ = -1;
  members_[0].op->stop();
  members_[0].op.reset();
  members_[0].node.reset();
  members_[0].server.reset();
  const ChainView at_failover = chain();
  members_[1].client.reset();
  members_[2].client.reset();
  members_[1].server->set_term(2);
  ASSERT_TRUE(members_[1].node->promote(2));
  follow(2, 1, 2);
  leader_ = 1;
  members_[1].op->lead();
  ASSERT_NO_FATAL_FAILURE(register_accounts(5, 6));

  node::Node& b = *members_[1].node;
  node::Node& c = *members_[2].node;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto s = b.status();
        return s.next_priority_serial >= 6 && s.batcher_backlog_batches == 0 && s.last_batch >= 6 &&
               chain().last_executed == s.last_batch;
      },
      120s))
      << members_[1].log.str() << "\nL1 executed " << chain().last_executed << ", b's batches " << b.status().last_batch;
  const uint64_t batches = b.status().last_batch;
  std::cout << "L1 at the failover: executed " << at_failover.last_executed << " of " << batches << " batches" << std::endl;
  EXPECT_LT(at_failover.last_executed, batches) << "the failover came after the whole settlement";

  // Every batch once on L1: committed and executed exactly once, nothing reverted.
  const ChainView v = chain();
  EXPECT_EQ(v.last_committed, batches);
  EXPECT_EQ(v.last_proven, batches);
  const auto committed = count_events("BatchCommitted(uint256 indexed,uint256,uint256,bytes32,uint64,uint32)");
  const auto executed = count_events("BatchExecuted(uint256 indexed,uint256)");
  EXPECT_TRUE(count_events("BatchesReverted(uint256)").empty());
  for (uint64_t n = 1; n <= batches; ++n) {
    EXPECT_EQ(committed.count(n) ? committed.at(n) : 0, 1) << "batch " << n;
    EXPECT_EQ(executed.count(n) ? executed.at(n) : 0, 1) << "batch " << n;
  }
  EXPECT_EQ(committed.size(), batches);
  // No operator transaction reverted (a duplicate step would revert on the contract).
  const std::string op = l1::to_hex(l1::PrivateKey::from_hex(kAnvilKey0)->address());
  EXPECT_GT(expect_operator_txs_succeeded(*rpc_, deployment_.deploy_block, op), 0);

  // Both members hold the same batches and L1's root.
  ASSERT_TRUE(wait_until([&] { return c.status().last_batch == batches && c.status().last_root_batch == batches; }, 30s));
  const l1::Bytes root = last_executed_root(*rpc_, deployment_);
  ASSERT_EQ(root.size(), 32u);
  const auto l1_root = ff::Fr::from_bytes_be(root.data());
  ASSERT_TRUE(l1_root.has_value());
  EXPECT_EQ(b.status().state_root, *l1_root);
  EXPECT_EQ(c.status().state_root, *l1_root);
  for (uint64_t n = 1; n <= batches; ++n) EXPECT_EQ(b.batch(n)->header.new_root, c.batch(n)->header.new_root) << n;
  // The follower learns the L1 stages from L1's counters.
  EXPECT_TRUE(wait_until([&] { return c.status().last_finalized == batches; }, 30s)) << c.status().last_finalized;
  // Only the leaders' operators sent anything: the follower's log says nothing about L1 steps.
  EXPECT_EQ(members_[2].log.str().find("on L1"), std::string::npos) << members_[2].log.str();
}

}  // namespace
}  // namespace zkamm::settle::testing

namespace zkamm::settle::testing {
namespace {

// The fence's window (issue 23): the old leader's sender asked the fence, was told yes, and then
// stalled (a SIGSTOP, a long pause) with its transaction about to be signed. Meanwhile a new
// leader proved and settled everything. When the old sender runs again its transaction must not
// reach L1: it is pinned to the nonce it read with L1's counters, which the new leader's
// transactions used, so L1 refuses it; the sender re-reads, finds the step done and sends
// nothing. The stall is on proveBatch (three calls per batch), which has an explicit gas limit,
// so no gas estimate on the new state stands in for the fence. Before the fix the old sender
// took a fresh nonce after the fence and its proveBatch was mined and reverted.
TEST_F(GroupSettleTest, ALeaderStalledPastTheFenceSendsNothingWhenItRunsAgain) {
  one_transaction_ = false;
  stall_member_ = 0;
  stall_at_call_ = 2;  // batch 1: commitBatch (call 1), proveBatch (call 2)
  ASSERT_NO_FATAL_FAILURE(start_group_led_by_member_0());
  ASSERT_NO_FATAL_FAILURE(register_accounts(1, 2));
  ASSERT_TRUE(wait_until([&] { return stalled_.load(); }, 120s)) << members_[0].log.str();
  ASSERT_EQ(chain().last_committed, 1u);
  ASSERT_EQ(chain().last_proven, 0u);

  // The failover, with the old leader stalled inside its send (its watcher stopped, as the
  // process's would be): member 1 leads, settles batch 1 and the rest.
  members_[0].op->watcher().stop();
  leader_ = 1;
  members_[1].client.reset();
  members_[2].client.reset();
  members_[1].server->set_term(2);
  ASSERT_TRUE(members_[1].node->promote(2));
  follow(2, 1, 2);
  members_[1].op->lead();
  ASSERT_NO_FATAL_FAILURE(register_accounts(3, 4));
  node::Node& b = *members_[1].node;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto s = b.status();
        return s.next_priority_serial >= 4 && s.batcher_backlog_batches == 0 && s.last_batch >= 4 &&
               chain().last_executed == s.last_batch;
      },
      120s))
      << members_[1].log.str();
  const uint64_t batches = b.status().last_batch;
  const uint64_t nonce_before = operator_nonce(*rpc_);

  // The old leader runs again: its proveBatch of batch 1 was built for L1 as it was.
  release_ = true;
  ASSERT_TRUE(wait_until([&] { return members_[0].op->sender().state(1) && members_[0].op->sender().state(1)->stage == L1Stage::kExecuted; }, 60s))
      << members_[0].log.str();
  EXPECT_EQ(operator_nonce(*rpc_), nonce_before) << "the stalled leader's transaction reached L1\n" << members_[0].log.str();

  const ChainView v = chain();
  EXPECT_EQ(v.last_committed, batches);
  EXPECT_EQ(v.last_executed, batches);
  const auto committed = count_events("BatchCommitted(uint256 indexed,uint256,uint256,bytes32,uint64,uint32)");
  const auto proven = count_events("BatchProven(uint256 indexed)");
  const auto executed = count_events("BatchExecuted(uint256 indexed,uint256)");
  EXPECT_TRUE(count_events("BatchesReverted(uint256)").empty());
  for (uint64_t n = 1; n <= batches; ++n) {
    EXPECT_EQ(committed.count(n) ? committed.at(n) : 0, 1) << "batch " << n;
    EXPECT_EQ(proven.count(n) ? proven.at(n) : 0, 1) << "batch " << n;
    EXPECT_EQ(executed.count(n) ? executed.at(n) : 0, 1) << "batch " << n;
  }
  (void)expect_operator_txs_succeeded(*rpc_, deployment_.deploy_block,
                                      l1::to_hex(l1::PrivateKey::from_hex(kAnvilKey0)->address()));
}

}  // namespace
}  // namespace zkamm::settle::testing
