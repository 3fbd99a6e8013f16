// Block replication in one process over loopback TCP: followers store and re-execute every
// block of the leader (same hashes, terms and state roots), quorum soft finality waits for a
// majority, a follower is promoted and the other follows it, and a follower whose log is not the
// leader's is refused.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <thread>

#include "node/codec.hpp"
#include "node/replication.hpp"
#include "node_test_util.hpp"
#include "state/commitment.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;
using namespace testing;

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

/// A leader whose own WAL sync waits while `hold` is set (bounded): a slow or stalled disk.
void start_leader_with_held_sync(Member& m, uint32_t group, std::shared_ptr<std::atomic<bool>> hold) {
  m.server = std::make_shared<ReplicationServer>(group, 1);
  std::string err;
  ASSERT_TRUE(m.server->listen("127.0.0.1", 0, err)) << err;
  NodeConfig c = test_config(m.dir.str());
  c.term = 1;
  c.replicator = m.server;
  c.quorum_soft = true;
  c.before_block_sync = [hold] {
    const auto until = std::chrono::steady_clock::now() + 20s;
    while (hold->load() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(1ms);
  };
  m.node = std::make_unique<Node>(c);
  ASSERT_EQ(m.node->error(), "");
  m.server->attach(m.node.get());
}

/// A hand-made follower connection: the handshake of replication.hpp with a member id, then acks
/// of whatever it is told to (it never reads a block: the leader's sends fill the socket buffer).
struct FakeFollower {
  int fd = -1;
  FakeFollower(uint16_t port, uint64_t term, const std::string& member) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    std::string p;
    ByteWriter w(p);
    w.u64(term);
    w.u64(1);  // next block: the follower has none
    w.u32(0);  // tokens
    w.bytes(Hash{});
    w.u8(static_cast<uint8_t>(member.size()));
    w.bytes(std::span(reinterpret_cast<const uint8_t*>(member.data()), member.size()));
    send(repl::kHello, p);
    uint8_t head[5];
    EXPECT_EQ(::recv(fd, head, 5, MSG_WAITALL), 5);
    EXPECT_EQ(head[4], repl::kWelcome);
  }
  ~FakeFollower() { ::close(fd); }
  void send(uint8_t type, const std::string& payload) const {
    std::string f;
    ByteWriter(f).u32(static_cast<uint32_t>(payload.size() + 1));
    f.push_back(static_cast<char>(type));
    f += payload;
    EXPECT_EQ(::send(fd, f.data(), f.size(), MSG_NOSIGNAL), static_cast<ssize_t>(f.size()));
  }
  void ack(uint64_t number) const {
    std::string p;
    ByteWriter(p).u64(number);
    send(repl::kAck, p);
  }
};

tx::CreateAccount create_account(uint32_t account) {
  tx::CreateAccount ca;
  ca.account = account;
  ca.pubkey = ec::pack_point(hash::eddsa_public_key(test_key(account)));
  ca.serial = account - 1;
  return ca;
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

// The sender looks up the next block and the next L1 token in turn. A token written and a block
// using it published between the two lookups must still reach the follower in the leader's order:
// a sender that paused there (the hook, until genesis' first block is durable) sent the block
// ahead of the token, and the follower diverged.
TEST(Replication, ATokenAndABlockUsingItArrivingBetweenTheSendersLookupsKeepTheirOrder) {
  Member a, b;
  a.server = std::make_shared<ReplicationServer>(2, 1);
  std::atomic<bool> paused{false};
  a.server->set_between_lookups_for_test([&] {
    if (paused.exchange(true)) return;
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (a.node->durable_head() < 1 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(2ms);
  });
  std::string err;
  ASSERT_TRUE(a.server->listen("127.0.0.1", 0, err)) << err;
  NodeConfig cfg = test_config(a.dir.str());
  cfg.term = 1;
  cfg.replicator = a.server;
  a.node = std::make_unique<Node>(cfg);
  ASSERT_EQ(a.node->error(), "");
  a.server->attach(a.node.get());
  start_follower(b, a, 1);
  // The sender paused after its first lookup, before genesis began.
  for (int i = 0; i < 2500 && !paused; ++i) std::this_thread::sleep_for(2ms);
  ASSERT_TRUE(paused);
  // Genesis registers two tokens, each followed at once by blocks that deposit it.
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(4)), "");
  const TxInfo last = a.node->submit_and_wait(swap(2, 0, kE18), 10s);
  ASSERT_EQ(last.status, TxStatus::kSoft) << last.reason;
  const uint64_t head = a.node->status().head_block;
  ASSERT_TRUE(wait_head(*b.node, head)) << b.node->diverged();
  EXPECT_EQ(b.node->diverged(), "");
  EXPECT_EQ(b.node->num_tokens(), a.node->num_tokens());
  EXPECT_EQ(root_of(*a.node), root_of(*b.node));
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

TEST(Replication, ABlockTurnsSoftOnTheFollowersWhileTheLeadersOwnSyncIsStalled) {
  // Raft's leader writes to its disk beside its followers (Ongaro's thesis 10.2.1): two of three
  // durable copies make a block soft even when one of them is not the leader's.
  auto hold = std::make_shared<std::atomic<bool>>(true);
  Member a, b, c;
  start_leader_with_held_sync(a, 3, hold);
  start_follower(b, a, 1);
  start_follower(c, a, 1);
  ASSERT_TRUE(a.node->submit_priority(create_account(1)).accepted);
  ASSERT_TRUE(wait_head(*a.node, 1));
  EXPECT_EQ(a.node->durable_head(), 0u);  // soft, while the leader's own sync still waits
  EXPECT_EQ(b.node->block(1)->header.hash, a.node->block(1)->header.hash);
  hold->store(false);
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (a.node->durable_head() < 1 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(a.node->durable_head(), 1u);
}

TEST(Replication, WithOneFollowerTheLeadersOwnSyncIsStillNeeded) {
  auto hold = std::make_shared<std::atomic<bool>>(true);
  Member a, b;
  start_leader_with_held_sync(a, 3, hold);
  start_follower(b, a, 1);
  ASSERT_TRUE(a.node->submit_priority(create_account(1)).accepted);
  ASSERT_TRUE(wait_head(*b.node, 1));  // the follower has it durably: one vote of the two needed
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(a.node->status().head_block, 0u);
  hold->store(false);
  ASSERT_TRUE(wait_head(*a.node, 1));
}

TEST(Replication, AFollowersAcksCountOnceHoweverManyConnectionsItOpens) {
  // A member that reconnects (or lies) must not stand for a majority alone: its acks count once.
  // spdlog's registry is built on its first use; here that would be two sender threads at once,
  // which ThreadSanitizer reports inside the uninstrumented libspdlog (the node logs from its main
  // thread first).
  spdlog::default_logger_raw();
  auto hold = std::make_shared<std::atomic<bool>>(true);
  Member a;
  start_leader_with_held_sync(a, 3, hold);
  FakeFollower f1(a.server->port(), 1, "f1");
  FakeFollower f1_again(a.server->port(), 1, "f1");
  ASSERT_TRUE(a.node->submit_priority(create_account(1)).accepted);
  f1.ack(1);
  f1_again.ack(1);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(a.node->status().head_block, 0u);  // one member of three, however many connections
  FakeFollower f2(a.server->port(), 1, "f2");
  f2.ack(1);
  ASSERT_TRUE(wait_head(*a.node, 1));  // two members: a majority without the leader's own copy
  EXPECT_EQ(a.node->durable_head(), 0u);
  hold->store(false);
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

/// Waits (bounded) until `n` has recorded batch `number`.
bool wait_batch(const Node& n, uint64_t number, std::chrono::milliseconds limit = 10s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (n.status().last_batch < number) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

/// Every field of batch `n` on x and y is the same (header, roots, slots, pubdata).
void expect_same_batch(const Node& x, const Node& y, uint64_t n) {
  const auto a = x.batch(n), b = y.batch(n);
  ASSERT_TRUE(a && b) << "batch " << n;
  EXPECT_EQ(a->header.number, n);
  EXPECT_EQ(b->header.number, n);
  EXPECT_EQ(a->header.timestamp, b->header.timestamp) << n;
  EXPECT_EQ(a->header.num_tokens, b->header.num_tokens) << n;
  EXPECT_EQ(a->header.priority_first, b->header.priority_first) << n;
  EXPECT_EQ(a->header.priority_count, b->header.priority_count) << n;
  EXPECT_EQ(a->header.kind, b->header.kind) << n;
  ASSERT_TRUE(a->root_ready && b->root_ready) << n;
  EXPECT_EQ(a->header.old_root, b->header.old_root) << n;
  EXPECT_EQ(a->header.new_root, b->header.new_root) << n;
  EXPECT_EQ(a->pubdata, b->pubdata) << n;
  ASSERT_EQ(a->slots.size(), b->slots.size());
  for (std::size_t i = 0; i < a->slots.size(); ++i) {
    EXPECT_EQ(a->slots[i].hash, b->slots[i].hash) << n << "/" << i;
    EXPECT_EQ(a->slots[i].block, b->slots[i].block) << n << "/" << i;
    EXPECT_EQ(a->slots[i].position, b->slots[i].position) << n << "/" << i;
  }
}

/// A follower that leads in place when promoted: its replication server is its replicator from
/// the start (as cluster::Member builds it), waiting for a term.
void start_member(Member& m, const Member& leader, uint64_t term, std::chrono::milliseconds batch_timeout) {
  m.server = std::make_shared<ReplicationServer>(3, 0);
  std::string err;
  ASSERT_TRUE(m.server->listen("127.0.0.1", 0, err)) << err;
  NodeConfig c = test_config(m.dir.str());
  c.follower = true;
  c.replicator = m.server;
  c.quorum_soft = true;
  c.batch_timeout = batch_timeout;
  m.node = std::make_unique<Node>(c);
  ASSERT_EQ(m.node->error(), "");
  m.server->attach(m.node.get());
  m.client = std::make_unique<ReplicationClient>(*m.node, "127.0.0.1", leader.server->port(), term);
}

TEST(Replication, BatchesAreCutByTheLeaderOnlyAndContinueAfterALeaderChange) {
  Member a, b, c;
  // a never times a batch out within the test: it cuts full batches only, and leaves one open.
  a.server = std::make_shared<ReplicationServer>(3, 1);
  std::string err;
  ASSERT_TRUE(a.server->listen("127.0.0.1", 0, err)) << err;
  {
    NodeConfig cfg = test_config(a.dir.str());
    cfg.term = 1;
    cfg.replicator = a.server;
    cfg.quorum_soft = true;
    cfg.batch_timeout = 1h;
    a.node = std::make_unique<Node>(cfg);
    ASSERT_EQ(a.node->error(), "");
    a.server->attach(a.node.get());
  }
  // b and c would time a batch out after 100 ms if they cut batches themselves.
  start_member(b, a, 1, 100ms);
  start_member(c, a, 1, 100ms);
  ASSERT_EQ(a.node->load_genesis_json(test_genesis(4)), "");
  uint32_t nonce[5] = {};
  const auto send = [&](Node& leader, uint32_t k) {
    for (uint32_t i = 0; i < k; ++i) {
      const uint32_t acct = 2 + i % 3;
      ASSERT_TRUE(leader.submit(swap(acct, nonce[acct]++, kE18 + i)).accepted);
    }
  };
  // Genesis (priority ops and pool txs) and swaps: full batches, then two txs left open.
  const uint64_t genesis_txs = a.node->status().soft_txs;
  const uint32_t k = 8 + static_cast<uint32_t>((4 - (genesis_txs + 8) % 4 + 2) % 4);
  send(*a.node, k - 1);
  ASSERT_EQ(a.node->submit_and_wait(swap(4, nonce[4]++, kE18), 10s).status, TxStatus::kSoft);
  const uint64_t total = a.node->status().soft_txs;
  ASSERT_EQ(total % 4, 2u);
  const uint64_t full = total / 4;
  ASSERT_TRUE(wait_batch(*a.node, full));
  const uint64_t head = a.node->status().head_block;
  ASSERT_TRUE(wait_head(*b.node, head));
  ASSERT_TRUE(wait_head(*c.node, head));
  ASSERT_TRUE(wait_batch(*b.node, full));
  ASSERT_TRUE(wait_batch(*c.node, full));
  // The followers' own timeouts passed: still no batch of their own making.
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(a.node->status().last_batch, full);
  EXPECT_EQ(b.node->status().last_batch, full);
  EXPECT_EQ(c.node->status().last_batch, full);
  for (uint64_t n = 1; n <= full; ++n) {
    expect_same_batch(*a.node, *b.node, n);
    expect_same_batch(*a.node, *c.node, n);
  }

  // The leader goes with a batch open; b takes over with term 2 and c follows it.
  a.node.reset();
  a.server.reset();
  b.client.reset();
  c.client.reset();
  b.server->set_term(2);
  ASSERT_TRUE(b.node->promote(2));
  c.client = std::make_unique<ReplicationClient>(*c.node, "127.0.0.1", b.server->port(), 2);
  // b cuts the batch the old leader left open (an empty block carries the cut when idle) ...
  ASSERT_TRUE(wait_batch(*b.node, full + 1));
  ASSERT_TRUE(wait_batch(*c.node, full + 1));
  // ... and goes on cutting under load: full batches and timed-out ones.
  for (int round = 0; round < 3; ++round) {
    send(*b.node, 5);
    std::this_thread::sleep_for(150ms);
  }
  const TxInfo last = b.node->submit_and_wait(swap(2, nonce[2]++, kE18), 10s);
  ASSERT_EQ(last.status, TxStatus::kSoft) << last.reason;
  const auto until2 = std::chrono::steady_clock::now() + 10s;
  while (b.node->tx_info(last.hash).batch == std::nullopt && std::chrono::steady_clock::now() < until2)
    std::this_thread::sleep_for(5ms);
  const uint64_t batches = b.node->status().last_batch;
  ASSERT_GT(batches, full + 2);
  ASSERT_TRUE(wait_batch(*c.node, batches));
  // Every batch is the same on both, numbered without a gap or a duplicate: each starts from the
  // previous one's root, and every soft tx is in exactly one batch.
  std::set<Hash> seen;
  for (uint64_t n = 1; n <= batches; ++n) {
    expect_same_batch(*b.node, *c.node, n);
    const auto x = b.node->batch(n);
    ASSERT_TRUE(x);
    if (n > 1) {
      EXPECT_EQ(x->header.old_root, b.node->batch(n - 1)->header.new_root) << n;
    }
    for (const auto& slot : x->slots) {
      if (slot.block != 0) {
        EXPECT_TRUE(seen.insert(slot.hash).second) << "tx in two batches, batch " << n;
      }
    }
  }
  EXPECT_EQ(seen.size(), b.node->status().soft_txs);
  // Blocks after the failover carry term 2, and some carry its cuts.
  bool carried = false;
  for (uint64_t n = head + 1; n <= b.node->status().head_block; ++n) {
    const auto blk = c.node->block(n);
    ASSERT_TRUE(blk);
    EXPECT_EQ(blk->header.term, 2u);
    carried |= blk->header.close_batch != 0;
  }
  EXPECT_TRUE(carried);
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
