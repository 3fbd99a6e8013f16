#pragma once
// AnvilTest plus a 47-byte log emitter that stands in for ZkammRollup: it emits whatever
// TokenAdded / PriorityOpQueued log a test asks for, so the L1 watcher tests control serials and
// blocks exactly; the event layouts are ZkammRollup's (settle/rollup_abi.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "anvil_fixture.hpp"
#include "l1/abi.hpp"
#include "settle/l1_watcher.hpp"
#include "settle/rollup_abi.hpp"
#include "tx/tx.hpp"

namespace zkamm::settle::testing {

// Runtime: calldata = k (32 B, 2 or 3) || k topics (32 B each) || data; emits LOG2 or LOG3.
//   CALLDATACOPY(0, 0, size); if mload(0) == 2 goto two;
//   LOG3(0x80, size - 0x80, mload(0x20), mload(0x40), mload(0x60)); STOP
//   two: LOG2(0x60, size - 0x60, mload(0x20), mload(0x40)); STOP
// Init code: CODECOPY(0, 12, 47); RETURN(0, 47).
inline constexpr const char* kEmitterInit =
    "0x602f600c60003960" "2f6000f3"
    "3660006000376000516002146020576060516040516020516080360360" "80a3005b6040516020516060360360" "60a200";

/// v as a big-endian 32-byte word.
inline l1::Bytes32 word(uint64_t v) {
  l1::Bytes32 w{};
  for (int i = 0; i < 8; ++i) w[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return w;
}

class EmitterTest : public AnvilTest {
 protected:
  void SetUp() override {
    AnvilTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto a = sender_->deploy(*l1::from_hex(kEmitterInit));
    ASSERT_TRUE(a.ok()) << a.error().message;
    emitter_ = *a;
    auto code = rpc_->get_code(emitter_);
    ASSERT_TRUE(code.ok());
    ASSERT_EQ(code->size(), 47u);
  }

  /// One log with these topics (2 or 3) and data, in its own L1 block.
  void emit(const std::vector<l1::Bytes32>& topics, const l1::Bytes& data) {
    l1::Bytes cd;
    const l1::Bytes32 k = word(topics.size());
    cd.insert(cd.end(), k.begin(), k.end());
    for (const auto& t : topics) cd.insert(cd.end(), t.begin(), t.end());
    cd.insert(cd.end(), data.begin(), data.end());
    l1::TxRequest req;
    req.to = emitter_;
    req.data = cd;
    req.gas_limit = 100000;
    auto r = sender_->send_and_wait(req);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->logs.size(), 1u);
  }
  /// TokenAdded(id, address 0x00..id).
  void emit_token(uint16_t id) {
    l1::Address a{};
    a[19] = static_cast<uint8_t>(id);
    l1::Bytes32 t{};
    std::copy(a.begin(), a.end(), t.begin() + 12);
    emit({rollup_abi::token_added().topic0(), word(id), t}, {});
  }
  /// PriorityOpQueued(serial, type, account, token, amount, pubkey, l1 address 0, expiry 0).
  void emit_op(uint64_t serial, tx::TxType type, uint32_t account, uint16_t token, uint64_t amount,
               const l1::Bytes32& pubkey = {}) {
    std::vector<l1::abi::Type> ts;
    for (const char* t : {"uint8", "uint32", "uint16", "uint128", "bytes32", "address", "uint64"}) ts.push_back(*l1::abi::parse_type(t));
    using l1::abi::Value;
    const std::vector<Value> vs = {Value::uint(static_cast<uint64_t>(type)), Value::uint(account), Value::uint(token),
                                   Value::uint(amount), Value::bytes32(pubkey), Value::address(l1::Address{}), Value::uint(0)};
    emit({rollup_abi::priority_op_queued().topic0(), word(serial)}, *l1::abi::encode(ts, vs));
  }
  /// One watcher poll; the number of events it delivered.
  size_t poll(L1Watcher& w) {
    auto r = w.poll_once();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : 0;
  }

  l1::Address emitter_{};
};

}  // namespace zkamm::settle::testing
