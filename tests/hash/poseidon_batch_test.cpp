// Batched Poseidon (eight lanes, IFMA kernel when built with it) against the scalar poseidon(),
// which circomlibjs_oracle_test checks against circomlibjs: every width the project uses
// (1..6 inputs) plus 16, every batch size 1..17 (tails and padding) and 64, random and edge inputs.
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "common/seed.hpp"
#include "hash/poseidon_batch.hpp"

namespace zkamm::hash {
namespace {

std::vector<Fr> random_inputs(std::mt19937_64& rng, size_t n) {
  std::vector<Fr> v(n);
  for (auto& x : v) x = Fr::random(rng);
  return v;
}

TEST(PoseidonBatch, ManyMatchesScalarEveryWidthAndSize) {
  auto rng = zkamm::testing::seeded_rng("PoseidonBatch.Many", 1);
  for (size_t k : {1u, 2u, 3u, 4u, 5u, 6u, 16u}) {
    for (size_t n : {1u, 2u, 3u, 7u, 8u, 9u, 15u, 16u, 17u, 64u}) {
      std::vector<Fr> in = random_inputs(rng, n * k);
      if (n > 2) {
        for (size_t e = 0; e < k; ++e) {
          in[e] = Fr::zero() - Fr::one();  // p - 1 everywhere in row 0
          in[k + e] = Fr::zero();          // zeros in row 1
        }
      }
      std::vector<Fr> out(n);
      poseidon_many(in, k, out);
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(out[i], poseidon(std::span<const Fr>(in.data() + i * k, k))) << "k=" << k << " n=" << n << " i=" << i;
      }
    }
  }
}

template <size_t K>
void check_batch(std::mt19937_64& rng, size_t n) {
  std::vector<std::array<Fr, K>> in(n);
  for (auto& row : in) {
    for (auto& x : row) x = Fr::random(rng);
  }
  std::vector<Fr> out(n);
  poseidon_batch<K>(in, out);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(out[i], poseidon(std::span<const Fr>(in[i]))) << "K=" << K << " i=" << i;
}

TEST(PoseidonBatch, TypedBatchMatchesScalar) {
  auto rng = zkamm::testing::seeded_rng("PoseidonBatch.Typed", 2);
  for (size_t n : {0u, 1u, 5u, 8u, 13u, 24u}) {
    check_batch<2>(rng, n);
    check_batch<4>(rng, n);
    check_batch<5>(rng, n);
    check_batch<6>(rng, n);
  }
}

TEST(PoseidonBatch, X8MatchesScalar) {
  auto rng = zkamm::testing::seeded_rng("PoseidonBatch.X8", 3);
  for (size_t k = 1; k <= kPoseidonMaxInputs; ++k) {
    const std::vector<Fr> in = random_inputs(rng, 8 * k);
    std::array<Fr, 8> out;
    poseidon_x8(in.data(), k, out.data());
    for (size_t l = 0; l < 8; ++l) EXPECT_EQ(out[l], poseidon(std::span<const Fr>(in.data() + l * k, k))) << "k=" << k;
  }
}

}  // namespace
}  // namespace zkamm::hash
