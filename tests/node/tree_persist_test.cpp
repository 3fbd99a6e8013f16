// The batcher's persisted state trees and its bounded backlog (docs/NODE.md "Store", "Batcher").
// The independent check of every stored tree is state::StateTrees::build over the state records
// (build is checked against a dense recomputation and the circuit's Merkle gadget in tests/state):
// - a restart loads the trees of the last batch instead of rebuilding them (NodeStatus::
//   trees_restored), with the same root and paths;
// - the trees are written every K batches and at stop; kill -9 after blocks are durable and
//   batches recorded but before their trees are written: the restart loads the older trees,
//   brings them up from the batch records and batches the remaining blocks;
// - a corrupted tree record falls back to a rebuild;
// - a stalled batcher makes submit reject with kBatcherBehind instead of queueing without bound,
//   and stop() with a backlog returns after its drain budget, the rest batched at the next start.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "node/replay.hpp"
#include "node/store.hpp"
#include "node_test_util.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;

using testing::kAccounts;

std::unique_ptr<Node> genesis_node(const NodeConfig& cfg) {
  auto n = std::make_unique<Node>(cfg);
  EXPECT_EQ(n->error(), "");
  EXPECT_EQ(n->load_genesis_json(testing::test_genesis(kAccounts)), "");
  return n;
}

/// Checks the stored trees against a rebuild from the stored state records, root and every path
/// the genesis accounts, tokens and pool use; returns the stored trees' batch.
uint64_t check_stored_trees(const std::string& dir) {
  std::string err;
  auto store = Store::open(dir, err);
  EXPECT_TRUE(store) << err;
  if (!store) return 0;
  const auto at = store->tree_batch();
  EXPECT_TRUE(at);
  state::StateTrees loaded;
  EXPECT_TRUE(store->load_trees(loaded));
  const auto s = load_state(*store);
  EXPECT_TRUE(s);
  if (!s || !at) return 0;
  const state::StateTrees fresh = state::StateTrees::build(*s);
  EXPECT_EQ(loaded.root(), fresh.root());
  for (state::AccountIndex a = 0; a <= kAccounts + 1; ++a) {
    EXPECT_EQ(loaded.account_path(a), fresh.account_path(a)) << "account " << a;
    for (state::TokenId t = 0; t < 4; ++t) EXPECT_EQ(loaded.balance_path(a, t), fresh.balance_path(a, t)) << a << "/" << t;
  }
  EXPECT_EQ(loaded.balance_path(1, state::kFirstLpToken), fresh.balance_path(1, state::kFirstLpToken));
  for (uint32_t p = 0; p < 3; ++p) EXPECT_EQ(loaded.pool_path(p), fresh.pool_path(p)) << "pool " << p;
  const auto b = store->batch(*at);
  EXPECT_TRUE(b && b->root_ready);
  if (b) {
    EXPECT_EQ(b->header.new_root, loaded.root()) << "the trees are those of batch " << *at;
  }
  return *at;
}

/// Every soft tx is in exactly one batch slot, the roots chain, and the last root is the state's.
void check_batches_cover_the_log(Node& n) {
  const NodeStatus st = n.status();
  EXPECT_EQ(st.last_root_batch, st.last_batch);
  uint64_t slots = 0;
  ff::Fr prev = state::StateTrees::build(state::State()).root();
  for (uint64_t k = 1; k <= st.last_batch; ++k) {
    const auto b = n.batch(k);
    ASSERT_TRUE(b) << "batch " << k;
    EXPECT_EQ(b->header.old_root, prev) << "batch " << k;
    prev = b->header.new_root;
    for (const auto& s : b->slots) slots += s.block != 0 ? 1 : 0;
  }
  EXPECT_EQ(slots, st.soft_txs);
  EXPECT_EQ(prev, st.state_root);
  EXPECT_EQ(state::StateTrees::build(n.state_copy()).root(), st.state_root);
}

TEST(TreePersist, RestartLoadsTheTreesInsteadOfRebuilding) {
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  ff::Fr root;
  {
    auto n = genesis_node(cfg);
    EXPECT_FALSE(n->status().trees_restored) << "a new store has no trees to load";
    testing::swaps_soft(*n, 10, kAccounts);
    n->stop();
    root = n->status().state_root;
    EXPECT_EQ(n->status().batcher_backlog_batches, 0u);
  }
  EXPECT_GT(check_stored_trees(cfg.data_dir), 0u);
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    EXPECT_TRUE(n.status().trees_restored);
    EXPECT_EQ(n.status().state_root, root);
    testing::swaps_soft(n, 9, kAccounts);
    n.stop();
    check_batches_cover_the_log(n);
  }
  check_stored_trees(cfg.data_dir);
  Node n(cfg);
  EXPECT_TRUE(n.status().trees_restored);
}

TEST(TreePersist, CheckpointsEveryKBatchesAndAtStop) {
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  cfg.tree_checkpoint_batches = 3;
  cfg.tree_checkpoint_interval = std::chrono::hours(1);
  uint64_t last = 0;
  {
    auto n = genesis_node(cfg);
    testing::swaps_soft(*n, 10, kAccounts);
    n->stop();
    last = n->status().last_root_batch;
    EXPECT_GT(last, 3u);
  }
  {
    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    EXPECT_EQ(store->tree_batch(), last) << "stop writes the trees of the last batch";
  }
  check_stored_trees(cfg.data_dir);
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  EXPECT_TRUE(n.status().trees_restored);
  testing::swaps_soft(n, 7, kAccounts);
  n.stop();
  check_batches_cover_the_log(n);
}

TEST(TreePersist, CorruptTreeRecordFallsBackToARebuild) {
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  ff::Fr root;
  {
    auto n = genesis_node(cfg);
    testing::swaps_soft(*n, 4, kAccounts);
    n->stop();
    root = n->status().state_root;
  }
  {
    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    rocksdb::WriteBatch wb;
    // The load checks the root against the batch's: a node below it that was changed behind the
    // node's back is not detected at open (RocksDB's block checksums cover media corruption).
    const state::TreeNodeChange bad{state::TreeKind::kAccounts, 0,
                                    state::NodeChange{state::kAccountTreeDepth, 0, ff::Fr::from_u64(12345), false}};
    Store::put_tree_nodes(wb, std::span(&bad, 1));
    ASSERT_TRUE(store->write_trees(wb));
  }
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    EXPECT_FALSE(n.status().trees_restored) << "the loaded root differs from the last batch's: rebuilt";
    EXPECT_EQ(n.status().state_root, root);
    testing::swaps_soft(n, 4, kAccounts);
    n.stop();
    check_batches_cover_the_log(n);
  }
  check_stored_trees(cfg.data_dir);  // the rebuild stored the trees whole again
  Node n(cfg);
  EXPECT_TRUE(n.status().trees_restored);
}

[[noreturn]] void stalled_child(const NodeConfig& cfg, int ready_fd) {
  Node n(cfg);
  if (!n.error().empty()) ::_exit(3);
  const uint64_t last_good = n.status().last_batch + 1;
  n.set_batch_hook([last_good](state::State& s, state::StateTrees& t, const BatchJob& job) -> std::optional<ff::Fr> {
    while (job.batch.header.number > last_good) std::this_thread::sleep_for(1s);  // killed here
    return apply_batch(s, t, job);
  });
  for (int i = 0; i < 12; ++i) {
    const uint32_t a = 1 + static_cast<uint32_t>(i) % kAccounts;
    if (n.submit_and_wait(testing::swap(a, static_cast<uint32_t>(n.account(a)->nonce), 500 + i), 5s).status !=
        TxStatus::kSoft)
      ::_exit(4);
  }
  for (int i = 0; i < 500 && n.status().last_batch < last_good; ++i) std::this_thread::sleep_for(10ms);
  if (n.status().last_batch != last_good) ::_exit(5);
  const char ok = 1;
  if (::write(ready_fd, &ok, 1) != 1) ::_exit(6);
  for (;;) std::this_thread::sleep_for(1s);
}

TEST(TreePersist, KillNineBeforeTheTreeWriteCatchesUpFromTheBlocks) {
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  // No checkpoint between the genesis node's stop and the kill: the restart must bring the stored
  // trees up from the batch records as well as batch the unbatched blocks.
  cfg.tree_checkpoint_batches = 1000;
  cfg.tree_checkpoint_interval = std::chrono::hours(1);
  { genesis_node(cfg)->stop(); }
  int pipe_fd[2];
  ASSERT_EQ(::pipe(pipe_fd), 0);
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(pipe_fd[0]);
    stalled_child(cfg, pipe_fd[1]);
  }
  ::close(pipe_fd[1]);
  char c = 0;
  const bool ready = ::read(pipe_fd[0], &c, 1) == 1;
  ::close(pipe_fd[0]);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(ready) << "child exited with " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  uint64_t tree_batch = 0, head_txs = 0;
  {
    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    tree_batch = store->tree_batch().value_or(0);
    EXPECT_LT(tree_batch, store->last_batch()) << "the killed node wrote no checkpoint after the genesis node's";
    head_txs = store->head().soft_txs;
  }
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    EXPECT_TRUE(n.status().trees_restored);
    EXPECT_GE(n.status().last_batch, tree_batch);  // the batcher may already be catching up
    EXPECT_GT(n.status().soft_txs, 0u);
    EXPECT_EQ(n.status().soft_txs, head_txs);
    n.stop();  // batches the blocks the killed node had not batched
    EXPECT_GT(n.status().last_batch, tree_batch);
    check_batches_cover_the_log(n);
  }
  check_stored_trees(cfg.data_dir);
}

TEST(TreePersist, StalledBatcherMakesSubmitRejectUntilItCatchesUp) {
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  { genesis_node(cfg)->stop(); }
  cfg.max_batch_backlog = 2;  // 8 txs with 4-slot batches
  auto n = std::make_unique<Node>(cfg);
  ASSERT_EQ(n->error(), "");
  EXPECT_EQ(n->status().batcher_backlog_batches, 0u);
  std::atomic<bool> release{false};
  n->set_batch_hook([&release](state::State& s, state::StateTrees& t, const BatchJob& job) {
    while (!release.load()) std::this_thread::sleep_for(1ms);
    return apply_batch(s, t, job);
  });
  uint32_t nonce[kAccounts + 1] = {};
  for (uint32_t a = 1; a <= kAccounts; ++a) nonce[a] = static_cast<uint32_t>(n->account(a)->nonce);
  SubmitResult behind;
  int accepted = 0;
  for (int i = 0; i < 200 && behind.code != RejectCode::kBatcherBehind; ++i) {
    const uint32_t a = 1 + static_cast<uint32_t>(i) % kAccounts;
    const SubmitResult r = n->submit(testing::swap(a, nonce[a], 100 + i));
    if (r.accepted) {
      ++nonce[a];
      ++accepted;
      n->flush();
    } else {
      behind = r;
    }
  }
  ASSERT_EQ(behind.code, RejectCode::kBatcherBehind) << "after " << accepted << " swaps";
  EXPECT_NE(behind.reason.find("batcher behind"), std::string::npos) << behind.reason;
  EXPECT_EQ(to_string(RejectCode::kBatcherBehind), "batcher_behind");
  EXPECT_GT(n->status().batcher_backlog_batches, 2u);
  EXPECT_EQ(n->tx_info(behind.hash).code, RejectCode::kBatcherBehind);
  // blocks kept coming: every accepted swap is soft although no batch closed
  EXPECT_GE(accepted, 8);

  release = true;
  for (int i = 0; i < 1000 && n->status().batcher_backlog_batches > 1; ++i) std::this_thread::sleep_for(10ms);
  const uint32_t a = 1;
  EXPECT_TRUE(n->submit(testing::swap(a, nonce[a], 7)).accepted) << "accepted again once the batcher caught up";
  n->stop();
  check_batches_cover_the_log(*n);
}

TEST(TreePersist, StopWithABacklogLeavesTheRestToTheNextStart) {
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  cfg.max_batch_backlog = 0;  // no cap
  cfg.stop_batch_drain = 50ms;
  { genesis_node(cfg)->stop(); }
  uint64_t batches_at_stop = 0, soft = 0;
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    n.set_batch_hook([](state::State& s, state::StateTrees& t, const BatchJob& job) {
      std::this_thread::sleep_for(100ms);  // a slow batcher: 20 batches take two seconds
      return apply_batch(s, t, job);
    });
    uint32_t nonce[kAccounts + 1] = {};
    for (uint32_t a = 1; a <= kAccounts; ++a) nonce[a] = static_cast<uint32_t>(n.account(a)->nonce);
    for (int i = 0; i < 80; ++i) {
      const uint32_t a = 1 + static_cast<uint32_t>(i) % kAccounts;
      ASSERT_TRUE(n.submit(testing::swap(a, nonce[a]++, 100 + i)).accepted);
    }
    ASSERT_TRUE(n.flush());
    n.stop();
    batches_at_stop = n.status().last_batch;
    soft = n.status().soft_txs;
    EXPECT_GT(n.status().batcher_backlog_batches, 0u) << "the drain budget ran out with txs left";
  }
  cfg.stop_batch_drain = 10s;
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  EXPECT_TRUE(n.status().trees_restored);
  EXPECT_EQ(n.status().soft_txs, soft);
  n.stop();
  EXPECT_GT(n.status().last_batch, batches_at_stop);
  check_batches_cover_the_log(n);
}

}  // namespace
}  // namespace zkamm::node
