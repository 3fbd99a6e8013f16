// The pubdata slots the rollup contract reads (deposit, full_exit of an L1 or an LP token,
// withdraw, create_account), as the C++ encoder (tx/public_data.hpp) writes them, for the
// Solidity side's named offsets (contracts/src/BatchFormat.sol): contracts/src/generated/
// SlotFixture.sol holds each encoded slot with its field values, and contracts/test/
// BatchFormat.t.sol decodes each with BatchFormat's offsets, field by field (run by
// e2e.contracts). This test fails when the encoder no longer writes the committed bytes;
// ZKAMM_UPDATE_FIXTURES=1 rewrites the file instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "common/fixture.hpp"
#include "tx/json.hpp"
#include "tx/public_data.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {
namespace {

/// One slot and the values the contract must read from it (0 where the type has no such field).
struct SlotCase {
  Tx tx;
  Executed ex;
  uint32_t account = 0;
  uint16_t token = 0;     ///< deposit, full_exit (the LP token for an LP exit), withdraw
  Amount amount = 0;      ///< deposit, full_exit of an L1 token, withdraw
  L1Address to{};         ///< withdraw
  PackedPubKey pubkey{};  ///< create_account
  uint16_t token0 = 0;    ///< full_exit of an LP token
  Amount amount0 = 0;
  uint16_t token1 = 0;
  Amount amount1 = 0;
};

constexpr uint32_t kMaxAccount = kAccountLimit - 1;
constexpr uint16_t kMaxToken = kTokenLimit - 1;
constexpr Amount kMaxAmount = ~Amount{0};

// Fixed seed: the fixture is committed, so it must not change from run to run. One draw per
// statement (the order in which g++ and clang evaluate operands differs).
std::vector<SlotCase> fixture_slots() {
  std::mt19937_64 rng(22);
  auto amount = [&rng] {
    const Amount hi = rng();
    const Amount lo = rng();
    return (hi << 64) | lo;
  };
  std::vector<SlotCase> out;
  auto deposit = [&](uint32_t account, uint16_t token, Amount a) {
    SlotCase c;
    c.tx = Deposit{.serial = 7, .account = account, .token = token, .amount = a};
    c.ex.amount_in = a;
    c.account = account, c.token = token, c.amount = a;
    out.push_back(c);
  };
  auto full_exit = [&](uint32_t account, uint16_t token, Amount a) {
    SlotCase c;
    c.tx = FullExit{.serial = 8, .account = account, .token = token};
    c.ex.amount_in = a;
    c.account = account, c.token = token, c.amount = a;
    out.push_back(c);
  };
  auto lp_exit = [&](uint32_t account, uint16_t lp, uint16_t t0, Amount a0, uint16_t t1, Amount a1) {
    SlotCase c;
    c.tx = FullExit{.serial = 9, .account = account, .token = lp};
    c.ex.token0 = t0, c.ex.amount_in = a0, c.ex.token1 = t1, c.ex.amount_out = a1;
    c.account = account, c.token = lp, c.token0 = t0, c.amount0 = a0, c.token1 = t1, c.amount1 = a1;
    out.push_back(c);
  };
  auto withdraw = [&](uint32_t account, uint16_t token, Amount a, const L1Address& to) {
    SlotCase c;
    c.tx = Withdraw{.account = account, .token = token, .amount = a, .l1_address = to, .nonce = 3};
    c.account = account, c.token = token, c.amount = a, c.to = to;
    out.push_back(c);
  };
  auto create_account = [&](uint32_t account, const PackedPubKey& key) {
    SlotCase c;
    c.tx = CreateAccount{.serial = 10, .account = account, .pubkey = key};
    c.account = account, c.pubkey = key;
    out.push_back(c);
  };
  L1Address ones;
  ones.fill(0xff);
  PackedPubKey key_ones;
  key_ones.fill(0xff);
  // Extremes: every field 0, then every field at its largest.
  deposit(0, 0, 0);
  deposit(kMaxAccount, kMaxToken, kMaxAmount);
  full_exit(kMaxAccount, 511, kMaxAmount);
  lp_exit(kMaxAccount, kMaxToken, 511, kMaxAmount, 511, kMaxAmount);
  lp_exit(1, kFirstLpTokenId, 0, 0, 0, 0);  // the pool does not exist: tokens and amounts 0
  withdraw(0, 0, 0, L1Address{});
  withdraw(kMaxAccount, kMaxToken, kMaxAmount, ones);
  create_account(kMaxAccount, key_ones);
  // Distinct bytes in every field, so a field read at a wrong offset shows.
  for (int i = 0; i < 3; ++i) {
    const uint32_t account = static_cast<uint32_t>(rng() % kAccountLimit);
    const uint16_t token = static_cast<uint16_t>(rng() % kFirstLpTokenId);
    const Amount a = amount();
    deposit(account, token, a);
    const Amount b = amount();
    full_exit(account, token, b);
    const uint16_t lp = static_cast<uint16_t>(kFirstLpTokenId + rng() % (kTokenLimit - kFirstLpTokenId));
    const uint16_t t0 = static_cast<uint16_t>(rng() % kFirstLpTokenId);
    const uint16_t t1 = static_cast<uint16_t>(rng() % kFirstLpTokenId);
    const Amount a0 = amount();
    const Amount a1 = amount();
    lp_exit(account, lp, t0, a0, t1, a1);
    L1Address to;
    for (auto& x : to) x = static_cast<uint8_t>(rng());
    const Amount w = amount();
    withdraw(account, token, w, to);
    PackedPubKey key;
    for (auto& x : key) x = static_cast<uint8_t>(rng());
    create_account(account, key);
  }
  return out;
}

template <class Bytes>
std::string hex(const Bytes& b) {
  return to_hex0x(b.data(), b.size()).substr(2);  // Solidity's hex"..." takes no 0x
}

std::string decimal(Amount a) {
  if (a == 0) return "0";
  std::string s;
  for (; a != 0; a /= 10) s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(a % 10)));
  return s;
}

/// The address as a Solidity expression (a 40-digit hex number would need the EIP-55 checksum).
std::string address_literal(const L1Address& a) { return "address(bytes20(hex\"" + hex(a) + "\"))"; }

std::string slot_fixture_text() {
  const auto cs = fixture_slots();
  std::ostringstream o;
  o << "// SPDX-License-Identifier: MIT\n"
       "// Generated by tests/tx/slot_fixture_test.cpp (the C++ encoder, src/tx/public_data.hpp);\n"
       "// ZKAMM_UPDATE_FIXTURES=1 ctest -R '^tx\\.SlotFixture' rewrites it. Do not edit.\n"
       "pragma solidity ^0.8.20;\n\n"
       "/// Pubdata slots of the types the rollup reads, as the C++ encoder writes them, with the field\n"
       "/// values it encoded (contracts/test/BatchFormat.t.sol decodes each with BatchFormat's offsets).\n"
       "library SlotFixture {\n"
       "    struct Case {\n"
       "        bytes encoded;\n"
       "        uint8 opType;\n"
       "        uint32 account;\n"
       "        uint16 token;\n"
       "        uint128 amount;\n"
       "        address to;\n"
       "        bytes32 pubkey;\n"
       "        uint16 token0;\n"
       "        uint128 amount0;\n"
       "        uint16 token1;\n"
       "        uint128 amount1;\n"
       "    }\n\n"
       "    uint256 internal constant COUNT = "
    << cs.size()
    << ";\n\n"
       "    function get(uint256 i) internal pure returns (Case memory c) {\n";
  for (size_t i = 0; i < cs.size(); ++i) {
    const SlotCase& c = cs[i];
    std::vector<uint8_t> slot;
    append_slot_public_data(slot, c.tx, c.ex);
    o << "        " << (i == 0 ? "if" : "} else if") << " (i == " << i << ") {\n"
      << "            c.encoded = hex\"" << hex(slot) << "\";\n"
      << "            c.opType = " << static_cast<int>(type_of(c.tx)) << ";\n"
      << "            c.account = " << c.account << ";\n"
      << "            c.token = " << c.token << ";\n"
      << "            c.amount = " << decimal(c.amount) << ";\n"
      << "            c.to = " << address_literal(c.to) << ";\n"
      << "            c.pubkey = hex\"" << hex(c.pubkey) << "\";\n"
      << "            c.token0 = " << c.token0 << ";\n"
      << "            c.amount0 = " << decimal(c.amount0) << ";\n"
      << "            c.token1 = " << c.token1 << ";\n"
      << "            c.amount1 = " << decimal(c.amount1) << ";\n";
  }
  o << "        } else {\n"
       "            revert(\"SlotFixture: no such case\");\n"
       "        }\n"
       "    }\n"
       "}\n";
  return o.str();
}

TEST(SlotFixture, CoversEveryOnChainTypeWithFullSlots) {
  const auto cs = fixture_slots();
  bool seen[kTxTypeCount] = {};
  for (const SlotCase& c : cs) {
    std::vector<uint8_t> slot;
    append_slot_public_data(slot, c.tx, c.ex);
    EXPECT_EQ(slot.size(), kSlotPublicDataBytes);
    seen[static_cast<size_t>(type_of(c.tx))] = true;
  }
  for (TxType t : {TxType::Deposit, TxType::FullExit, TxType::Withdraw, TxType::CreateAccount})
    EXPECT_TRUE(seen[static_cast<size_t>(t)]) << type_name(t);
}

TEST(SlotFixture, SolidityFixtureIsWhatTheEncoderWrites) {
  const std::filesystem::path path =
      std::filesystem::path(ZKAMM_SOURCE_DIR) / "contracts" / "src" / "generated" / "SlotFixture.sol";
  zkamm::testing::expect_fixture_file(path, slot_fixture_text(), "^tx\\.SlotFixture");
}

}  // namespace
}  // namespace zkamm::tx
