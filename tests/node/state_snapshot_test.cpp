// State snapshots at batch ends (docs/NODE.md "Store"): a batch's pre-state (the prover's witness
// rebuild after a restart or a failover, the batcher at start-up) is replayed from the newest
// snapshot before it instead of from genesis. The independent check is the full replay from
// genesis (replay_blocks), itself checked against the state records in tree_persist_test.cpp:
// - every batch's pre-state equals the full replay's, and with block 1 deleted from the store the
//   batches after a snapshot still get theirs (so the replay did start there) while the earlier
//   ones cannot;
// - a damaged snapshot falls back to an older one (or genesis) with the same result;
// - old snapshots are deleted, but the newest one of a batch finalized on L1 is kept.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

#include "node/replay.hpp"
#include "node/store.hpp"
#include "node_test_util.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;

using testing::kAccounts;

NodeConfig snapshot_config(const std::string& dir) {
  NodeConfig cfg = testing::test_config(dir);
  cfg.state_snapshot_batches = 2;
  cfg.state_snapshot_interval = 0ms;
  cfg.state_snapshots_kept = 2;
  return cfg;
}

/// The last tx of batch k.
TxPos batch_end(const Store& store, uint64_t k) {
  TxPos end{};
  const auto b = store.batch(k);
  EXPECT_TRUE(b) << "batch " << k;
  if (b)
    for (const auto& s : b->slots)
      if (s.block != 0) end = TxPos{s.block, s.position};
  return end;
}

/// The state at the end of every batch 0..last, replayed from genesis (the reference).
std::vector<state::State> full_replays(const std::string& dir, uint64_t last) {
  std::string err;
  auto store = Store::open(dir, err);
  EXPECT_TRUE(store) << err;
  std::vector<state::State> out;
  if (!store) return out;
  for (uint64_t k = 0; k <= last; ++k) {
    const TxPos end = k == 0 ? TxPos{} : batch_end(*store, k);
    auto s = end.block == 0 ? replay_blocks(*store, testing::test_domain(), 0)
                            : replay_blocks(*store, testing::test_domain(), end.block, end);
    EXPECT_TRUE(s) << "batch " << k;
    out.push_back(s ? std::move(*s) : state::State());
  }
  return out;
}

std::vector<uint64_t> snapshots_in(const std::string& dir) {
  std::string err;
  auto store = Store::open(dir, err);
  EXPECT_TRUE(store) << err;
  return store ? store->state_snapshots() : std::vector<uint64_t>{};
}

void write_raw(const std::string& dir, const std::function<void(rocksdb::WriteBatch&)>& f) {
  std::string err;
  auto store = Store::open(dir, err);
  ASSERT_TRUE(store) << err;
  rocksdb::WriteBatch wb;
  f(wb);
  ASSERT_TRUE(store->write(wb, true));
}

std::string key64(char prefix, uint64_t v) {
  std::string k(1, prefix);
  for (int i = 7; i >= 0; --i) k.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return k;
}

/// A chain of several batches with snapshots every 2 batches, stopped; returns its last batch.
uint64_t make_chain(const NodeConfig& cfg, int swaps) {
  auto n = std::make_unique<Node>(cfg);
  EXPECT_EQ(n->error(), "");
  EXPECT_EQ(n->load_genesis_json(testing::test_genesis(kAccounts)), "");
  testing::swaps_soft(*n, swaps, kAccounts);
  n->stop();
  EXPECT_EQ(n->status().last_root_batch, n->status().last_batch);
  return n->status().last_batch;
}

/// Every batch's pre-state from `n` equals the full replay's.
void expect_pre_states(const Node& n, const std::vector<state::State>& ref, uint64_t last) {
  for (uint64_t k = 1; k <= last; ++k) {
    const auto s = n.state_before_batch(k);
    ASSERT_TRUE(s) << "batch " << k;
    EXPECT_TRUE(*s == ref[k - 1]) << "batch " << k;
  }
}

TEST(StateSnapshot, EveryBatchPreStateEqualsTheFullReplayAndStartsAtTheNewestSnapshotBeforeIt) {
  testing::TempDir dir;
  const NodeConfig cfg = snapshot_config(dir.str() + "/db");
  const uint64_t last = make_chain(cfg, 28);
  ASSERT_GE(last, 8u);
  const auto ref = full_replays(cfg.data_dir, last);
  ASSERT_EQ(ref.size(), last + 1);
  const auto snaps = snapshots_in(cfg.data_dir);
  ASSERT_EQ(snaps.size(), 2u) << "nothing finalized on L1: the two newest are kept";
  EXPECT_LT(snaps[0], snaps[1]);
  EXPECT_GE(snaps[1] + 2, last) << "one at least every 2 batches";
  {
    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    for (const uint64_t k : snaps) {
      const auto s = store->state_snapshot(k);
      ASSERT_TRUE(s) << "snapshot " << k;
      EXPECT_TRUE(*s == ref[k]) << "snapshot " << k << " is the state at its batch's end";
    }
  }
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    expect_pre_states(n, ref, last);
    n.stop();
  }
  // Without block 1 the log no longer replays from genesis: only a replay that starts at a
  // snapshot still gives a pre-state, and it is the same.
  write_raw(cfg.data_dir, [](rocksdb::WriteBatch& wb) { (void)wb.Delete(key64('b', 1)); });
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  for (uint64_t k = 1; k <= last; ++k) {
    const auto s = n.state_before_batch(k);
    if (k > 1 && k - 1 < snaps[0]) {
      EXPECT_FALSE(s) << "batch " << k << " is before every snapshot: it needs block 1";
    } else {
      ASSERT_TRUE(s) << "batch " << k;
      EXPECT_TRUE(*s == ref[k - 1]) << "batch " << k;
    }
  }
}

TEST(StateSnapshot, ADamagedSnapshotFallsBackToAnOlderOneOrGenesis) {
  testing::TempDir dir;
  const NodeConfig cfg = snapshot_config(dir.str() + "/db");
  const uint64_t last = make_chain(cfg, 20);
  const auto ref = full_replays(cfg.data_dir, last);
  const auto snaps = snapshots_in(cfg.data_dir);
  ASSERT_EQ(snaps.size(), 2u);
  // The newest cut short, the older one's account count made huge: neither decodes.
  write_raw(cfg.data_dir, [&](rocksdb::WriteBatch& wb) {
    (void)wb.Put(key64('z', snaps[1]), "\x00\x00\x00\x05short");
    (void)wb.Put(key64('z', snaps[0]), std::string("\xff\xff\xff\xff", 4));
  });
  {
    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    EXPECT_FALSE(store->state_snapshot(snaps[0]));
    EXPECT_FALSE(store->state_snapshot(snaps[1]));
  }
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  expect_pre_states(n, ref, last);
}

TEST(StateSnapshot, OldSnapshotsAreDeletedButTheNewestOfAFinalizedBatchIsKept) {
  testing::TempDir dir;
  const NodeConfig cfg = snapshot_config(dir.str() + "/db");
  auto n = std::make_unique<Node>(cfg);
  ASSERT_EQ(n->error(), "");
  ASSERT_EQ(n->load_genesis_json(testing::test_genesis(kAccounts)), "");
  testing::swaps_soft(*n, 12, kAccounts);
  ASSERT_TRUE(n->flush());
  // Every batch so far settled on L1 (as the L1 sender reports it).
  const uint64_t finalized = n->status().last_batch;
  ASSERT_GE(finalized, 2u);
  for (const TxStatus st : {TxStatus::kCommitted, TxStatus::kProven, TxStatus::kFinalized})
    ASSERT_TRUE(n->set_batch_l1_status(finalized, st, 1));
  testing::swaps_soft(*n, 24, kAccounts);
  n->stop();
  const uint64_t last = n->status().last_batch;
  n.reset();
  ASSERT_GE(last, finalized + 6);
  const auto snaps = snapshots_in(cfg.data_dir);
  ASSERT_EQ(snaps.size(), 3u) << "the newest at or before batch " << finalized << " and the two newest";
  EXPECT_LE(snaps[0], finalized);
  EXPECT_GE(snaps[0] + 2, finalized);
  EXPECT_GT(snaps[1], finalized);
  const auto ref = full_replays(cfg.data_dir, last);
  Node m(cfg);
  ASSERT_EQ(m.error(), "");
  const auto s = m.state_before_batch(finalized + 1);
  ASSERT_TRUE(s);
  EXPECT_TRUE(*s == ref[finalized]);
}

}  // namespace
}  // namespace zkamm::node
