// The batch key cache under concurrent callers. On a clean build `ctest -j` starts several node
// fault tests at once and each calls load_or_setup for the same cache entry; a dev setup is
// random, so two callers that both make a key end up proving with different keys while the
// cache files (the .zkey and the .Verifier.sol that the tests compile and deploy) hold only the
// last writer's: the other one's proofs are all rejected on L1 ("zkamm: invalid proof", seen as
// a reverted proveBatch in NodeFaultTest.KilledBetweenCommitAndProveFinishesWithoutResending).
// Two threads starting together hit that window every time (both build the R1CS, then both find
// the entry missing long before either one's setup is written), so this test fails
// deterministically without the cache lock.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <thread>

#include "hash/sha256.hpp"
#include "settle/batch_keys.hpp"
#include "settle_fixture.hpp"
#include "snark/solidity_verifier.hpp"

namespace zkamm::settle::testing {
namespace {

/// sha256 (hex) of a file, "" when it cannot be read.
std::string file_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return digest_hex(hash::sha256(std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
}

/// sha256 (hex) of the Solidity verifier of a key, as load_or_setup writes it for a universal
/// batch of n slots: it holds the whole verification key.
std::string verifier_digest(const BatchKeys& k, uint32_t n) {
  const auto sol = snark::export_solidity_verifier(k.vk, "BatchGroth16Verifier", snark::BatchCircuitId{0, n});
  if (!sol) return "";
  return digest_hex(hash::sha256(std::span(reinterpret_cast<const uint8_t*>(sol->data()), sol->size())));
}

TEST(BatchKeys, ConcurrentCallersOfOneCacheEntryAllGetTheKeyInItsFiles) {
  TempDir dir("keys-concurrent");  // a cold cache of its own
  batch::BatchParams params;
  params.num_slots = 1;
  params.domain.chain_id = 31337;
  KeysResult r[2];
  {
    std::thread a([&] { r[0] = load_or_setup(params, dir.path.string()); });
    std::thread b([&] { r[1] = load_or_setup(params, dir.path.string()); });
    a.join();
    b.join();
  }
  ASSERT_TRUE(r[0].ok()) << r[0].error;
  ASSERT_TRUE(r[1].ok()) << r[1].error;
  EXPECT_NE(r[0].keys->reused, r[1].keys->reused) << "one caller makes the key, the other reuses it";

  const std::string vk0 = verifier_digest(*r[0].keys, 1), vk1 = verifier_digest(*r[1].keys, 1);
  ASSERT_NE(vk0, "");
  EXPECT_EQ(vk0, vk1) << "the two callers got different verification keys";
  // What a deployment compiles: it must check the proofs of every caller's proving key.
  EXPECT_EQ(file_digest(r[0].keys->verifier_path), vk0);
  EXPECT_EQ(file_digest(r[1].keys->verifier_path), vk1);

  // A later caller reuses the entry as written.
  KeysResult again = load_or_setup(params, dir.path.string());
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_TRUE(again.keys->reused);
  EXPECT_EQ(verifier_digest(*again.keys, 1), vk0);
}

}  // namespace
}  // namespace zkamm::settle::testing
