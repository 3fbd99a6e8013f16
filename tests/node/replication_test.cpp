// Block replication in one process over loopback TCP: followers store and re-execute every
// block of the leader (same hashes, terms and state roots), quorum soft finality waits for a
// majority, a follower is promoted and the other follows it, and a follower whose log is not the
// leader's is refused.
#include <gtest/gtest.h>

#include <thread>

#include "node/replication.hpp"
#include "node_test_util.hpp"
#include "state/commitment.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;
using namespace testing;
constexpr tx::Amount kE18 = 1'000'000'000'000'000'000ull;

ff::Fr root_of(const Node& n) { return state::StateTrees::build(n.state_copy()).root(); }

/// Waits (bounded) until `n` has block `number` durably.
bool wait_head(const Node& n, uint64_t number, std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (n.status().head_block < number) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

struct Member {
  TempDir dir;
  std::unique_ptr<Node> node;
  std::shared_ptr<ReplicationServer> server;  // while it leads
  std::unique_ptr<ReplicationClient> client;  // while it follows
};

/// A leader with a replication server for a group of `group` nodes (term `term`).
void start_leader(Member& m, uint32_t group, uint64_t term, bool quorum) {
  m.server = std::make_shared<ReplicationServer>(group, term);
  std::string err;
  ASSERT_TRUE(m.server->listen("127.0.0.1", 0, err)) << err;
  NodeConfig c = test_config(m.dir.str());
  c.term = term;
  c.replicator = m.server;
  c.quorum_soft = quorum;
  m.node = std::make_unique<Node>(c);
  ASSERT_EQ(m.node->error(), "");
  m.server->attach(m.node.get());
}

void start_follower(Member& m, const Member& leader, uint64_t term) {
  NodeConfig c = test_config(m.dir.str());
  c.follower = true;
  m.node = std::make_unique<Node>(c);
  ASSERT_EQ(m.node->error(), "");
  m.client = std::make_unique<ReplicationClient>(*m.node, "127.0.0.1", leader.server->port(), term);
}

TEST(Replication, FollowersStoreAndReexecuteEveryBlock) {
  Member a, b, c;
  start_leader(a, 3, 1, /*quorum=*/true);
  start_follower(b, a, 1);
  start_follower(c, a, 1);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(4)), "");
  for (uint32_t i = 0; i < 20; ++i)
    ASSERT_TRUE(a.node->submit(swap(2 + i % 3, i / 3, kE18 + i)).accepted);
  const TxInfo last = a.node->submit_and_wait(swap(2, 7, kE18), 10s);
  ASSERT_EQ(last.status, TxStatus::kSoft) << last.reason;
  const uint64_t head = a.node->status().head_block;
  ASSERT_TRUE(wait_head(*b.node, head));
  ASSERT_TRUE(wait_head(*c.node, head));
  for (uint64_t n = 1; n <= head; ++n) {
    const auto x = a.node->block(n), y = b.node->block(n), z = c.node->block(n);
    ASSERT_TRUE(x && y && z) << n;
    EXPECT_EQ(x->header.hash, y->header.hash);
    EXPECT_EQ(x->header.hash, z->header.hash);
    EXPECT_EQ(y->header.term, 1u);
  }
  EXPECT_EQ(root_of(*a.node), root_of(*b.node));
  EXPECT_EQ(root_of(*a.node), root_of(*c.node));
  EXPECT_EQ(b.node->num_tokens(), a.node->num_tokens());
  // reads are local, sends need a leader
  EXPECT_EQ(b.node->tx_info(last.hash).status, TxStatus::kSoft);
  EXPECT_EQ(b.node->submit(swap(3, 7, kE18)).code, RejectCode::kNotLeader);
  EXPECT_FALSE(b.node->add_token(state::L1Address{9}));
}

TEST(Replication, QuorumSoftWaitsForAMajority) {
  Member a, b;
  start_leader(a, 3, 1, /*quorum=*/true);
  // Alone in a group of three, nothing the leader seals turns soft.
  tx::CreateAccount ca;
  ca.account = 1;
  ca.pubkey = ec::pack_point(hash::eddsa_public_key(test_key(1)));
  ca.serial = 0;
  ASSERT_TRUE(a.node->submit_priority(ca).accepted);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(a.node->status().head_block, 0u);
  EXPECT_EQ(a.node->durable_head(), 1u);  // on the leader's disk, not acknowledged
  start_follower(b, a, 1);
  ASSERT_TRUE(wait_head(*a.node, 1));
  EXPECT_EQ(b.node->block(1)->header.hash, a.node->block(1)->header.hash);
}

TEST(Replication, PromotedFollowerLeadsAndTheOtherFollowsIt) {
  Member a, b, c;
  start_leader(a, 3, 1, true);
  start_follower(b, a, 1);
  start_follower(c, a, 1);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(3)), "");
  ASSERT_EQ(a.node->submit_and_wait(swap(2, 0, kE18), 10s).status, TxStatus::kSoft);
  const uint64_t head = a.node->status().head_block;
  // The leader goes; b has every block the majority had and takes over with term 2.
  a.client.reset();
  a.node.reset();
  a.server.reset();
  ASSERT_TRUE(wait_head(*b.node, head));
  b.client.reset();
  c.client.reset();
  b.server = std::make_shared<ReplicationServer>(3, 2);
  std::string err;
  ASSERT_TRUE(b.server->listen("127.0.0.1", 0, err)) << err;
  // The node was built as a follower without a replicator: a fresh one takes the role (the
  // cluster layer restarts the node object as leader on the same data dir).
  b.node.reset();
  NodeConfig cfg = test_config(b.dir.str());
  cfg.term = 2;
  cfg.replicator = b.server;
  cfg.quorum_soft = true;
  b.node = std::make_unique<Node>(cfg);
  ASSERT_EQ(b.node->error(), "");
  b.server->attach(b.node.get());
  c.client = std::make_unique<ReplicationClient>(*c.node, "127.0.0.1", b.server->port(), 2);
  const TxInfo t = b.node->submit_and_wait(swap(3, 0, kE18), 10s);
  ASSERT_EQ(t.status, TxStatus::kSoft) << t.reason;
  ASSERT_TRUE(wait_head(*c.node, t.block));
  EXPECT_EQ(c.node->block(t.block)->header.term, 2u);
  EXPECT_EQ(c.node->block(t.block)->header.hash, b.node->block(t.block)->header.hash);
  EXPECT_EQ(root_of(*b.node), root_of(*c.node));
}

TEST(Replication, PromoteInPlaceAfterTheQueuedBlocks) {
  Member a, b;
  start_leader(a, 2, 1, true);
  start_follower(b, a, 1);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(2)), "");
  const uint64_t head = a.node->status().head_block;
  ASSERT_TRUE(wait_head(*b.node, head));
  b.client.reset();
  a.node.reset();
  b.node->promote(5);
  const TxInfo t = b.node->submit_and_wait(swap(2, 0, kE18), 10s);
  ASSERT_EQ(t.status, TxStatus::kSoft) << t.reason;
  EXPECT_EQ(b.node->block(t.block)->header.term, 5u);
  EXPECT_EQ(t.block, head + 1);
}

TEST(Replication, LeaderRefusesAFollowerWithAnotherLog) {
  Member a, b;
  start_leader(a, 2, 1, false);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(2)), "");
  // b builds its own chain (a different genesis) and then tries to follow a.
  {
    NodeConfig c = test_config(b.dir.str());
    Node solo(c);
    ASSERT_EQ(solo.load_genesis_json(test_genesis(3)), "");
  }
  start_follower(b, a, 1);
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (b.client->refused().empty() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
  EXPECT_NE(b.client->refused(), "");
}

TEST(Replication, FollowerRefusesAnOlderTermLeader) {
  Member a, b;
  start_leader(a, 2, 1, false);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(2)), "");
  start_follower(b, a, 3);  // b was told term 3: a (term 1) is deposed
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (b.client->stale().empty() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
  EXPECT_NE(b.client->stale(), "");
  EXPECT_EQ(b.client->refused(), "");  // not a divergence: it waits for the term's leader
  EXPECT_EQ(b.node->status().head_block, 0u);
}

}  // namespace
}  // namespace zkamm::node
