#pragma once
// Shared by the settle tests that run a real node with the 1-slot batch circuit: its keys
// (made once by a dev setup, cached under the build folder), a temporary data folder, and a
// CreateAccount priority operation with a self-generated key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "settle/batch_keys.hpp"
#include "tx/tx.hpp"

namespace zkamm::settle::testing {

inline const std::string kTestKeyDir = std::string(ZKAMM_BINARY_DIR) + "/settle-test-keys";

/// Keys of the 1-slot batch circuit for chain 31337 (rollup address zero).
inline const BatchKeys& keys_n1() {
  static const BatchKeys k = [] {
    batch::BatchParams p;
    p.num_slots = 1;
    p.domain.chain_id = 31337;
    KeysResult r = load_or_setup(p, kTestKeyDir);
    EXPECT_TRUE(r.ok()) << r.error;
    return *r.keys;
  }();
  return k;
}

/// Keys of the 1-slot swap-batch circuit for the same domain.
inline const BatchKeys& swap_keys_n1() {
  static const BatchKeys k = [] {
    batch::BatchParams p = keys_n1().params;
    p.kind = batch::BatchKind::Swap;
    KeysResult r = load_or_setup(p, kTestKeyDir);
    EXPECT_TRUE(r.ok()) << r.error;
    return *r.keys;
  }();
  return k;
}

/// A fresh folder under the temp dir, removed at both ends of its life.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const char* tag)
      : path(std::filesystem::temp_directory_path() /
             (std::string("zkamm-settle-") + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

/// CreateAccount of `account` with the self-generated key whose first byte is the account.
inline tx::Tx create_account(uint64_t serial, uint32_t account) {
  hash::PrivateKey k{};
  k[0] = static_cast<uint8_t>(account);
  tx::CreateAccount c;
  c.serial = serial;
  c.account = account;
  c.pubkey = ec::pack_point(hash::eddsa_public_key(k));
  return c;
}

}  // namespace zkamm::settle::testing
