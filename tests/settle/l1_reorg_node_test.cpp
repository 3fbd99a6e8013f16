// Issue 6: "an anvil reorg that drops a deposit does not put that deposit in a batch", end to end
// into a real node. The L1 side is anvil (evm_snapshot / evm_revert make the reorg) with the same
// 47-byte log emitter as l1_watcher_test.cpp (emitter_fixture.hpp) standing in for ZkammRollup's PriorityOpQueued
// events; the watcher feeds a node through node_sink, and the node's batches and balances are
// checked: the reorged deposit (111) appears nowhere, the canonical one (222) does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "common/test_keys.hpp"
#include "emitter_fixture.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "settle/l1_watcher.hpp"
#include "settle/rollup_abi.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;

class ReorgNodeTest : public EmitterTest {
 protected:
  void SetUp() override {
    EmitterTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    dir_ = fs::temp_directory_path() / ("zkamm-settle-reorg-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    EmitterTest::TearDown();
  }

  fs::path dir_;
};

TEST_F(ReorgNodeTest, ReorgedDepositNeverReachesABatch) {
  node::NodeConfig nc;
  nc.data_dir = dir_.string();
  nc.batch_slots = 1;
  nc.batch_timeout = std::chrono::milliseconds(50);
  nc.block_time = std::chrono::milliseconds(20);
  nc.domain.chain_id = 31337;
  node::Node node(nc);
  ASSERT_EQ(node.error(), "");
  WatcherConfig wc;
  wc.rollup = emitter_;
  wc.confirmations = 2;
  wc.from_block = 1;
  L1Watcher w(*rpc_, node_sink(node), wc);

  const hash::PrivateKey key = zkamm::testing::test_key(1);
  const auto packed = ec::pack_point(hash::eddsa_public_key(key));
  l1::Bytes32 pk{};
  std::copy(packed.begin(), packed.end(), pk.begin());
  emit_op(0, tx::TxType::CreateAccount, 1, 0, 0, pk);
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 1u);

  auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  emit_op(1, tx::TxType::Deposit, 1, 0, 111);  // one confirmation only: then reorged away
  EXPECT_EQ(poll(w), 0u);
  ASSERT_TRUE(rpc_->evm_revert(*snap).ok());
  ASSERT_TRUE(sender_->resync_nonce().ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 0u);
  emit_op(1, tx::TxType::Deposit, 1, 0, 222);  // the canonical serial 1
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 1u);

  ASSERT_TRUE(node.flush());
  for (int i = 0; i < 500 && node.status().last_root_batch < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(node.status().last_batch, 2u);
  std::vector<uint64_t> deposits;
  for (uint64_t n = 1; n <= 2; ++n) {
    auto b = node.batch(n);
    ASSERT_TRUE(b.has_value());
    for (const auto& s : b->slots)
      if (const auto* d = std::get_if<tx::Deposit>(&s.tx)) deposits.push_back(static_cast<uint64_t>(d->amount));
  }
  EXPECT_EQ(deposits, (std::vector<uint64_t>{222}));
  auto acct = node.account(1);
  ASSERT_TRUE(acct.has_value());
  EXPECT_EQ(acct->balances.at(0), (ff::U256{222, 0, 0, 0}));
  node.stop();
}

}  // namespace
}  // namespace zkamm::settle::testing
