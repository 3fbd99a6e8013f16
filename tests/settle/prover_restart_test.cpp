// The prover across node restarts (no L1): stored proofs are loaded, not made again (Groth16
// proofs are randomised, so a re-proof would differ in bytes), and batches the node recorded
// while no prover ran get witnesses rebuilt from the block log and proofs that verify against the
// node's own public input. The stored form round-trips and its reader rejects truncations.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <thread>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "node/store.hpp"
#include "settle/prover.hpp"
#include "settle_fixture.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;

node::NodeConfig config(const TempDir& d) {
  node::NodeConfig c;
  c.data_dir = d.path.string();
  c.batch_slots = 1;
  c.batch_timeout = std::chrono::milliseconds(50);
  c.block_time = std::chrono::milliseconds(20);
  c.domain.chain_id = 31337;
  return c;
}

tx::Tx deposit(uint64_t serial, uint32_t account, tx::Amount amount) {
  tx::Deposit d;
  d.serial = serial;
  d.account = account;
  d.token = 0;
  d.amount = amount;
  return d;
}

bool wait_batches(node::Node& node, uint64_t n) {
  for (int i = 0; i < 500 && node.status().last_root_batch < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return node.status().last_root_batch >= n;
}

TEST(ProverRestart, StoredProofsAreReusedAndUnprovenBatchesAreRebuilt) {
  const BatchKeys& k = keys_n1();
  TempDir dir("prover-restart");
  std::string proof1;
  {
    node::Node node(config(dir));
    ASSERT_EQ(node.error(), "");
    Prover prover(node, k);
    ASSERT_TRUE(node.submit_priority(create_account(0, 1)).accepted);
    ASSERT_TRUE(prover.wait_proved(1, std::chrono::seconds(120))) << prover.error();
    prover.stop();
    auto rec = node.settle_record("proof/1");
    ASSERT_TRUE(rec.has_value());
    proof1 = *rec;
    // No prover from here: batches 2 and 3 are recorded with roots but not proven.
    ASSERT_TRUE(node.submit_priority(deposit(1, 1, 777)).accepted);
    ASSERT_TRUE(node.submit_priority(create_account(2, 2)).accepted);
    ASSERT_TRUE(wait_batches(node, 3));
    node.stop();
  }
  node::Node node(config(dir));
  ASSERT_EQ(node.error(), "");
  Prover prover(node, k);
  EXPECT_GE(prover.last_proved(), 1u);  // loaded, not proven again
  ASSERT_TRUE(prover.wait_proved(3, std::chrono::seconds(120))) << prover.error();
  EXPECT_EQ(prover.error(), "");
  EXPECT_EQ(node.settle_record("proof/1"), proof1);
  const auto all = prover.proved_after(0);
  ASSERT_EQ(all.size(), 3u);
  for (uint64_t n = 1; n <= 3; ++n) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b && b->root_ready);
    EXPECT_EQ(all[n - 1].number, n);
    EXPECT_EQ(p->new_root, b->header.new_root);
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(k.vk, pub, p->proof)) << "batch " << n;
  }
  EXPECT_EQ(prover.proved_after(2).size(), 1u);
  prover.stop();

  // The stored form: round trip, and every truncation rejected.
  const auto p = decode_proved(proof1);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(encode_proved(*p), proof1);
  for (std::size_t cut : {std::size_t{0}, std::size_t{7}, std::size_t{100}, std::size_t{200}, proof1.size() - 20}) {
    EXPECT_FALSE(decode_proved(std::string_view(proof1).substr(0, cut)).has_value()) << cut;
  }
}

// The pre-state of an unproven batch comes from the newest state snapshot before it
// (NodeConfig::state_snapshot_batches): with block 1 deleted from the store, a replay from genesis
// is impossible, and the rebuilt witnesses still give proofs that verify.
TEST(ProverRestart, WitnessesAreRebuiltFromAStateSnapshotNotFromGenesis) {
  const BatchKeys& k = keys_n1();
  TempDir dir("prover-snapshot");
  node::NodeConfig cfg = config(dir);
  cfg.state_snapshot_batches = 1;
  cfg.state_snapshot_interval = std::chrono::milliseconds(0);
  cfg.state_snapshots_kept = 8;
  {
    node::Node node(cfg);
    ASSERT_EQ(node.error(), "");
    ASSERT_TRUE(node.submit_priority(create_account(0, 1)).accepted);
    ASSERT_TRUE(wait_batches(node, 1));
    ASSERT_TRUE(node.submit_priority(deposit(1, 1, 777)).accepted);
    ASSERT_TRUE(node.submit_priority(create_account(2, 2)).accepted);
    ASSERT_TRUE(wait_batches(node, 3));
    node.stop();
    EXPECT_EQ(node.batch(1)->slots[0].block, 1u) << "batch 1 is block 1's tx";
  }
  {
    std::string err;
    auto store = node::Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    const auto snaps = store->state_snapshots();
    ASSERT_FALSE(snaps.empty());
    EXPECT_EQ(snaps.front(), 1u);
    rocksdb::WriteBatch wb;
    (void)wb.Delete(std::string("b") + std::string(7, '\0') + std::string(1, '\1'));
    ASSERT_TRUE(store->write(wb, true));
    ASSERT_FALSE(store->block(1)) << "block 1 is gone";
  }
  node::Node node(cfg);
  ASSERT_EQ(node.error(), "");
  Prover prover(node, k);
  ASSERT_TRUE(prover.wait_proved(3, std::chrono::seconds(120))) << prover.error();
  EXPECT_EQ(prover.error(), "");
  for (uint64_t n = 2; n <= 3; ++n) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b && b->root_ready);
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(k.vk, pub, p->proof)) << "batch " << n;
  }
  prover.stop();
}

TEST(ProverRestart, NodeL1StatusIsMonotonePersistedAndShownPerTx) {
  TempDir dir("node-l1");
  node::Hash h{};
  {
    node::Node node(config(dir));
    ASSERT_EQ(node.error(), "");
    const auto r = node.submit_priority(create_account(0, 1));
    ASSERT_TRUE(r.accepted);
    h = r.hash;
    ASSERT_TRUE(wait_batches(node, 1));
    EXPECT_EQ(node.tx_info(h).status, node::TxStatus::kSoft);
    EXPECT_EQ(node.batch_l1(1)->stage, node::TxStatus::kSoft);
    EXPECT_FALSE(node.batch_l1(2).has_value());
    EXPECT_FALSE(node.set_batch_l1_status(2, node::TxStatus::kCommitted, 1));  // not recorded
    EXPECT_FALSE(node.set_batch_l1_status(1, node::TxStatus::kSoft, 1));       // not an L1 stage
    std::vector<node::TxStatus> seen;
    std::mutex mu;
    const auto sub = node.on_tx_status(h, [&](const node::TxInfo& ti) {
      std::lock_guard lk(mu);
      seen.push_back(ti.status);
    });
    node::Hash tx1{};
    tx1[0] = 0xc1;
    const auto wait_seen = [&](std::size_t n) {
      for (int i = 0; i < 6000; ++i) {
        {
          std::lock_guard lk(mu);
          if (seen.size() >= n) return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    };
    ASSERT_TRUE(node.set_batch_l1_status(1, node::TxStatus::kCommitted, 1000, tx1));
    wait_seen(2);  // the notification reads the status when it runs: one stage at a time here
    ASSERT_TRUE(node.set_batch_l1_status(1, node::TxStatus::kCommitted, 2000));  // idempotent: kept 1000
    ASSERT_TRUE(node.set_batch_l1_status(1, node::TxStatus::kProven, 3000));
    ASSERT_TRUE(node.set_batch_l1_status(1, node::TxStatus::kCommitted, 4000));  // never goes back
    const node::TxInfo ti = node.tx_info(h);
    EXPECT_EQ(ti.status, node::TxStatus::kProven);
    EXPECT_EQ(ti.times.committed, 1000u);
    EXPECT_EQ(ti.times.proven, 3000u);
    EXPECT_EQ(ti.times.finalized, 0u);
    EXPECT_EQ(node.status().last_committed, 1u);
    EXPECT_EQ(node.status().last_proven, 1u);
    EXPECT_EQ(node.status().last_finalized, 0u);
    wait_seen(3);
    node.unsubscribe(sub);
    std::lock_guard lk(mu);
    EXPECT_EQ(seen, (std::vector<node::TxStatus>{node::TxStatus::kSoft, node::TxStatus::kCommitted, node::TxStatus::kProven}));
    node.stop();
  }
  node::Node node(config(dir));  // persisted across a restart
  ASSERT_EQ(node.error(), "");
  auto l1 = node.batch_l1(1);
  ASSERT_TRUE(l1.has_value());
  EXPECT_EQ(l1->stage, node::TxStatus::kProven);
  EXPECT_EQ(l1->committed, 1000u);
  EXPECT_EQ(l1->commit_tx[0], 0xc1);
  ASSERT_TRUE(node.set_batch_l1_status(1, node::TxStatus::kFinalized, 5000));
  EXPECT_EQ(node.tx_info(h).status, node::TxStatus::kFinalized);
  EXPECT_EQ(node.status().last_finalized, 1u);
}

}  // namespace
}  // namespace zkamm::settle::testing
