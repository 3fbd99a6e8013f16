#include "snark/ntt.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "groth16_test_util.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;
using zkamm::testing::test_seed;

std::vector<Fr> random_vector(std::mt19937_64& rng, size_t n) {
  std::vector<Fr> v(n);
  for (auto& x : v) x = Fr::random(rng);
  return v;
}

/// O(n^2) evaluation of the polynomial with coefficients `coeffs` at shift * w^i.
std::vector<Fr> naive_dft(const std::vector<Fr>& coeffs, const Fr& w, const Fr& shift) {
  const size_t n = coeffs.size();
  std::vector<Fr> out(n);
  Fr point = shift;
  for (size_t i = 0; i < n; ++i) {
    Fr acc, x = Fr::one();
    for (size_t j = 0; j < n; ++j) {
      acc += coeffs[j] * x;
      x *= point;
    }
    out[i] = acc;
    point *= w;
  }
  return out;
}

Fr pow2k(Fr x, unsigned k) {
  for (unsigned i = 0; i < k; ++i) x = x.square();
  return x;
}

TEST(Ntt, RootOfUnityMatchesSnarkjsDerivation) {
  // Oracle: computed with node BigInt exactly as wasmcurves build_fft.js does (smallest
  // non-residue nr >= 2 with nr^((r-1)/2) != 1, then nr^((r-1)/2^28)); the value also equals
  // arkworks' ark-bn254 Fr TWO_ADIC_ROOT_OF_UNITY (generator 5).
  EXPECT_EQ(fr_smallest_non_residue(), Fr::from_u64(5));
  EXPECT_EQ(root_of_unity(28).to_decimal(),
            "19103219067921713944291392827692070036145651957329286315305642004821462161904");
  EXPECT_TRUE(pow2k(root_of_unity(28), 28).is_one());
  EXPECT_FALSE(pow2k(root_of_unity(28), 27).is_one());
  EXPECT_EQ(pow2k(root_of_unity(28), 27), -Fr::one());
  for (unsigned k = 1; k <= kMaxLogNtt; ++k) {
    EXPECT_TRUE(pow2k(root_of_unity(k), k).is_one()) << k;
    EXPECT_EQ(pow2k(root_of_unity(k), k - 1), -Fr::one()) << k;
  }
  EXPECT_TRUE(root_of_unity(0).is_one());
}

TEST(Ntt, MatchesNaiveDft) {
  std::mt19937_64 rng(test_seed("Ntt.MatchesNaiveDft"));
  for (unsigned log_n = 0; log_n <= 7; ++log_n) {
    const size_t n = size_t{1} << log_n;
    const auto coeffs = random_vector(rng, n);
    auto v = coeffs;
    ntt(v);
    EXPECT_EQ(v, naive_dft(coeffs, root_of_unity(log_n), Fr::one())) << "n=" << n;
    intt(v);
    EXPECT_EQ(v, coeffs) << "n=" << n;
  }
}

TEST(Ntt, CosetMatchesNaiveDft) {
  std::mt19937_64 rng(test_seed("Ntt.CosetMatchesNaiveDft"));
  for (unsigned log_n = 1; log_n <= 6; ++log_n) {
    const size_t n = size_t{1} << log_n;
    const auto coeffs = random_vector(rng, n);
    const Fr shift = root_of_unity(log_n + 1);  // the odd 2n-th roots, as the Groth16 prover uses
    auto v = coeffs;
    coset_ntt(v, shift);
    EXPECT_EQ(v, naive_dft(coeffs, root_of_unity(log_n), shift)) << "n=" << n;
    coset_intt(v, shift);
    EXPECT_EQ(v, coeffs);
  }
}

TEST(Ntt, LargeRoundTripsUseBlockedAndParallelPaths) {
  std::mt19937_64 rng(test_seed("Ntt.LargeRoundTrips"));
  for (unsigned log_n : {12u, 13u, 15u}) {
    const size_t n = size_t{1} << log_n;
    const auto coeffs = random_vector(rng, n);
    auto v = coeffs;
    ntt(v);
    // Spot-check a few evaluations against Horner at w^i.
    const Fr w = root_of_unity(log_n);
    for (size_t i : {size_t{0}, size_t{1}, n / 2 + 3, n - 1}) {
      const Fr x = w.pow(ff::U256{i, 0, 0, 0});
      Fr acc;
      for (size_t j = n; j-- > 0;) acc = acc * x + coeffs[j];
      EXPECT_EQ(v[i], acc) << "n=" << n << " i=" << i;
    }
    intt(v);
    EXPECT_EQ(v, coeffs) << "n=" << n;
    const Fr shift = Fr::random(rng);
    coset_ntt(v, shift);
    coset_intt(v, shift);
    EXPECT_EQ(v, coeffs) << "n=" << n;
  }
}

TEST(Ntt, ScaleByPowers) {
  std::vector<Fr> v(5, Fr::one());
  scale_by_powers(v, Fr::from_u64(3));
  EXPECT_EQ(v, (std::vector<Fr>{Fr::from_u64(1), Fr::from_u64(3), Fr::from_u64(9), Fr::from_u64(27), Fr::from_u64(81)}));
}

TEST(Ntt, IsNttSize) {
  EXPECT_TRUE(is_ntt_size(1));
  EXPECT_TRUE(is_ntt_size(1 << 20));
  EXPECT_TRUE(is_ntt_size(size_t{1} << 28));
  EXPECT_FALSE(is_ntt_size(0));
  EXPECT_FALSE(is_ntt_size(3));
  EXPECT_FALSE(is_ntt_size(size_t{1} << 29));
}

}  // namespace
}  // namespace zkamm::snark
