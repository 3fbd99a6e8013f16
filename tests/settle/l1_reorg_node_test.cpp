// Issue 6: "an anvil reorg that drops a deposit does not put that deposit in a batch", end to end
// into a real node. The L1 side is anvil (evm_snapshot / evm_revert make the reorg) with the same
// 47-byte log emitter as l1_watcher_test.cpp standing in for ZkammRollup's PriorityOpQueued
// events; the watcher feeds a node through node_sink, and the node's batches and balances are
// checked: the reorged deposit (111) appears nowhere, the canonical one (222) does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "anvil_fixture.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "settle/l1_watcher.hpp"
#include "settle/rollup_abi.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;
using l1::abi::Value;

// Emits LOG2/LOG3 with the topics and data in its calldata (l1_watcher_test.cpp has the listing).
constexpr const char* kEmitterInit =
    "0x602f600c60003960" "2f6000f3"
    "3660006000376000516002146020576060516040516020516080360360" "80a3005b6040516020516060360360" "60a200";

l1::Bytes32 word(uint64_t v) {
  l1::Bytes32 w{};
  for (int i = 0; i < 8; ++i) w[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return w;
}

class ReorgNodeTest : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto a = sender_->deploy(*l1::from_hex(kEmitterInit));
    ASSERT_TRUE(a.ok()) << a.error().message;
    emitter_ = *a;
    dir_ = fs::temp_directory_path() / ("zkamm-settle-reorg-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    fs::remove_all(dir_);
    AnvilTest::TearDown();
  }

  void emit_op(uint64_t serial, tx::TxType type, uint32_t account, uint64_t amount, const l1::Bytes32& pk = {}) {
    std::vector<l1::abi::Type> ts;
    for (const char* t : {"uint8", "uint32", "uint16", "uint128", "bytes32", "address", "uint64"}) ts.push_back(*l1::abi::parse_type(t));
    const std::vector<Value> vs = {Value::uint(static_cast<uint64_t>(type)), Value::uint(account), Value::uint(0),
                                   Value::uint(amount), Value::bytes32(pk), Value::address(l1::Address{}), Value::uint(0)};
    const std::vector<l1::Bytes32> topics = {rollup_abi::priority_op_queued().topic0(), word(serial)};
    l1::Bytes cd;
    const l1::Bytes32 k = word(topics.size());
    cd.insert(cd.end(), k.begin(), k.end());
    for (const auto& t : topics) cd.insert(cd.end(), t.begin(), t.end());
    const l1::Bytes data = *l1::abi::encode(ts, vs);
    cd.insert(cd.end(), data.begin(), data.end());
    l1::TxRequest req;
    req.to = emitter_;
    req.data = cd;
    req.gas_limit = 100000;
    auto r = sender_->send_and_wait(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  size_t poll(L1Watcher& w) {
    auto r = w.poll_once();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : 0;
  }

  l1::Address emitter_{};
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

  hash::PrivateKey key{};
  key[0] = 1;
  const auto packed = ec::pack_point(hash::eddsa_public_key(key));
  l1::Bytes32 pk{};
  std::copy(packed.begin(), packed.end(), pk.begin());
  emit_op(0, tx::TxType::CreateAccount, 1, 0, pk);
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 1u);

  auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  emit_op(1, tx::TxType::Deposit, 1, 111);  // one confirmation only: then reorged away
  EXPECT_EQ(poll(w), 0u);
  ASSERT_TRUE(rpc_->evm_revert(*snap).ok());
  ASSERT_TRUE(sender_->resync_nonce().ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 0u);
  emit_op(1, tx::TxType::Deposit, 1, 222);  // the canonical serial 1
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
