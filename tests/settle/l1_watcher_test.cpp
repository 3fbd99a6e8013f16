// The L1 watcher against anvil (the oracle for logs, confirmations and reorgs via
// evm_snapshot/evm_revert). The rollup is stood in for by the log emitter of
// emitter_fixture.hpp, so each test controls serials and blocks exactly.
#include <gtest/gtest.h>

#include <map>

#include "emitter_fixture.hpp"

namespace zkamm::settle::testing {
namespace {

using l1::abi::Value;

struct Recorded {
  std::vector<std::string> events;  // "token <id>" / "op <serial> <type> <account> <amount>"
  uint64_t next_serial = 0;
};

WatcherSink recording_sink(Recorded& r) {
  WatcherSink s;
  s.next_priority_serial = [&r] { return r.next_serial; };
  s.add_token = [&r](uint16_t id, const l1::Address&) {
    r.events.push_back("token " + std::to_string(id));
    return std::string();
  };
  s.submit_priority = [&r](const tx::Tx& op) {
    std::string e;
    std::visit(
        [&](const auto& t) {
          using T = std::decay_t<decltype(t)>;
          if constexpr (std::is_same_v<T, tx::Deposit>) {
            e = "op " + std::to_string(t.serial) + " deposit " + std::to_string(t.account) + " " +
                std::to_string(static_cast<uint64_t>(t.amount));
          } else if constexpr (std::is_same_v<T, tx::CreateAccount>) {
            e = "op " + std::to_string(t.serial) + " create " + std::to_string(t.account) + " " + std::to_string(t.pubkey[0]);
          } else if constexpr (std::is_same_v<T, tx::FullExit>) {
            e = "op " + std::to_string(t.serial) + " exit " + std::to_string(t.account) + " " + std::to_string(t.token);
          }
        },
        op);
    r.events.push_back(e);
    ++r.next_serial;
    return std::string();
  };
  return s;
}

class WatcherTest : public EmitterTest {
 protected:
  WatcherConfig config(uint64_t confirmations) {
    WatcherConfig c;
    c.rollup = emitter_;
    c.confirmations = confirmations;
    c.from_block = 1;
    return c;
  }
};

TEST_F(WatcherTest, DeliversInOrderOnlyAfterConfirmations) {
  Recorded rec;
  L1Watcher w(*rpc_, recording_sink(rec), config(2));
  emit_token(1);  // block b: 1 confirmation
  EXPECT_EQ(poll(w), 0u);
  emit_op(0, tx::TxType::CreateAccount, 1, 0, 0, l1::Bytes32{0xab});  // b + 1
  EXPECT_EQ(poll(w), 1u);                                // the token's block has 2 now
  EXPECT_EQ(rec.events, (std::vector<std::string>{"token 1"}));
  emit_op(1, tx::TxType::Deposit, 1, 1, 5000);
  emit_op(2, tx::TxType::FullExit, 1, 1, 0);
  EXPECT_EQ(poll(w), 2u);
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 1u);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"token 1", "op 0 create 1 171", "op 1 deposit 1 5000", "op 2 exit 1 1"}));
  EXPECT_EQ(poll(w), 0u);  // nothing is delivered twice
  EXPECT_EQ(w.stats().priority_ops, 3u);
}

TEST_F(WatcherTest, ReorgedEventBelowConfirmationsIsNeverDelivered) {
  Recorded rec;
  L1Watcher w(*rpc_, recording_sink(rec), config(2));
  auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  emit_op(0, tx::TxType::Deposit, 1, 0, 111);  // will be reorged away with 1 confirmation
  EXPECT_EQ(poll(w), 0u);
  ASSERT_TRUE(rpc_->evm_revert(*snap).ok());
  ASSERT_TRUE(sender_->resync_nonce().ok());  // the reverted transaction's nonce is free again
  ASSERT_TRUE(rpc_->evm_mine().ok());
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 0u);
  emit_op(0, tx::TxType::Deposit, 1, 0, 222);  // the canonical serial 0
  ASSERT_TRUE(rpc_->evm_mine().ok());
  EXPECT_EQ(poll(w), 1u);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"op 0 deposit 1 222"}));
}

TEST_F(WatcherTest, ReorgBelowTheProcessedBlockHalts) {
  Recorded rec;
  L1Watcher w(*rpc_, recording_sink(rec), config(1));
  auto snap = rpc_->evm_snapshot();
  ASSERT_TRUE(snap.ok());
  emit_op(0, tx::TxType::Deposit, 1, 0, 111);
  EXPECT_EQ(poll(w), 1u);  // delivered with 1 confirmation
  ASSERT_TRUE(rpc_->evm_revert(*snap).ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(rpc_->evm_mine().ok());
  auto r = w.poll_once();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("reorg"), std::string::npos) << r.error().message;
}

TEST_F(WatcherTest, SkipsSerialsTheNodeHasAndRejectsGaps) {
  Recorded rec;
  rec.next_serial = 1;  // serial 0 is already on the L2 (restart)
  L1Watcher w(*rpc_, recording_sink(rec), config(1));
  emit_op(0, tx::TxType::Deposit, 1, 0, 1);
  emit_op(1, tx::TxType::Deposit, 1, 0, 2);
  EXPECT_EQ(poll(w), 1u);
  EXPECT_EQ(rec.events, (std::vector<std::string>{"op 1 deposit 1 2"}));
  EXPECT_EQ(w.stats().skipped, 1u);
  emit_op(5, tx::TxType::Deposit, 1, 0, 3);  // serials 2..4 missing
  auto r = w.poll_once();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("gap"), std::string::npos);
}

TEST(PriorityOpFromLog, RejectsUnknownTypeAndForeignLogs) {
  std::vector<l1::abi::Type> ts;
  for (const char* t : {"uint8", "uint32", "uint16", "uint128", "bytes32", "address", "uint64"}) ts.push_back(*l1::abi::parse_type(t));
  l1::Log log;
  log.topics = {rollup_abi::priority_op_queued().topic0(), word(7)};
  const auto enc = [&](uint64_t type) {
    return *l1::abi::encode(ts, std::vector<Value>{Value::uint(type), Value::uint(3), Value::uint(2), Value::uint(9),
                                                    Value::bytes32(l1::Bytes32{}), Value::address(l1::Address{}), Value::uint(0)});
  };
  log.data = enc(1);
  auto op = priority_op_from_log(log);
  ASSERT_TRUE(op.has_value());
  const auto& d = std::get<tx::Deposit>(*op);
  EXPECT_EQ(d.serial, 7u);
  EXPECT_EQ(d.account, 3u);
  EXPECT_EQ(d.token, 2u);
  EXPECT_EQ(static_cast<uint64_t>(d.amount), 9u);
  log.data = enc(3);  // a transfer is never queued on L1
  EXPECT_FALSE(priority_op_from_log(log).has_value());
  log.data = enc(1);
  log.topics[0] = rollup_abi::token_added().topic0();
  EXPECT_FALSE(priority_op_from_log(log).has_value());
}

}  // namespace
}  // namespace zkamm::settle::testing
