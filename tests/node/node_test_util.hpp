#pragma once
// Shared helpers for the node tests: temporary data dirs, deterministic test keys (self-generated),
// a small devnet genesis, and signed swaps.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>

#include "common/seed.hpp"
#include "common/test_keys.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "node/node.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"

namespace zkamm::node::testing {

using zkamm::testing::test_seed;

/// A fresh, empty folder under the build tree, removed by the destructor.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = std::filesystem::path(ZKAMM_BINARY_DIR) / "node-test-data" /
           (std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
};

inline tx::Domain test_domain() {
  tx::Domain d;
  d.chain_id = 31337;
  for (std::size_t i = 0; i < d.rollup.size(); ++i) d.rollup[i] = static_cast<uint8_t>(0xa0 + i);
  return d;
}

using zkamm::testing::test_key;

inline std::string hex(std::span<const uint8_t> b) { return tx::to_hex0x(b.data(), b.size()); }

/// Genesis: tokens 1 and 2, accounts 1..n with keys test_key(i) and 10^24 of tokens 1 and 2 each
/// (account 1 also provides the 1-2 pool with reserves 10^21 / 4*10^21).
inline std::string test_genesis(uint32_t accounts) {
  std::string g = R"({"tokens":["0x1111111111111111111111111111111111111111","0x2222222222222222222222222222222222222222"],"accounts":[)";
  for (uint32_t i = 1; i <= accounts; ++i) {
    if (i > 1) g += ",";
    g += R"({"private_key":")" + hex(test_key(i)) +
         R"(","balances":{"1":"1000000000000000000000000","2":"1000000000000000000000000"}})";
  }
  g += R"(],"pools":[{"token_a":1,"token_b":2,"amount_a":"1000000000000000000000","amount_b":"4000000000000000000000","provider":1}]})";
  return g;
}

inline NodeConfig test_config(const std::string& dir) {
  NodeConfig c;
  c.data_dir = dir;
  c.block_time = std::chrono::milliseconds(20);
  c.batch_slots = 4;
  c.batch_timeout = std::chrono::milliseconds(200);
  c.domain = test_domain();
  c.verifier_threads = 1;
  return c;
}

inline tx::Tx swap(uint32_t account, uint32_t nonce, tx::Amount amount_in, tx::Amount min_out = 0,
                   uint64_t deadline = UINT64_MAX, uint16_t token_in = 1, uint16_t token_out = 2) {
  tx::SwapExactIn s;
  s.account = account;
  s.token_in = token_in;
  s.token_out = token_out;
  s.amount_in = amount_in;
  s.amount_out_min = min_out;
  s.deadline = deadline;
  s.nonce = nonce;
  tx::Tx t = s;
  EXPECT_TRUE(tx::sign(t, test_key(account), test_domain()));
  return t;
}

inline tx::Tx sign_as(tx::Tx t, uint32_t key_index) {
  EXPECT_TRUE(tx::sign(t, test_key(key_index), test_domain()));
  return t;
}

/// The accounts of the small genesis, test_genesis(kAccounts), of the store and snapshot tests.
inline constexpr uint32_t kAccounts = 4;

/// One token at 18 decimals.
constexpr tx::Amount kE18 = 1'000'000'000'000'000'000ull;

/// Submits `count` swaps round-robin over accounts 1..accounts (those of test_genesis(accounts))
/// and fails the test unless each becomes soft; `salt` shifts the amounts (1000 + salt + i), so
/// that a second series differs from the first.
inline void swaps_soft(Node& n, int count, uint32_t accounts, int salt = 0) {
  using namespace std::chrono_literals;
  for (int i = 0; i < count; ++i) {
    const uint32_t a = 1 + static_cast<uint32_t>(i) % accounts;
    const auto info = n.submit_and_wait(swap(a, static_cast<uint32_t>(n.account(a)->nonce), 1000 + salt + i), 5s);
    ASSERT_EQ(info.status, TxStatus::kSoft) << "swap " << i << ": " << info.reason;
  }
}

}  // namespace zkamm::node::testing
