// FrX8 (eight lanes; AVX-512 IFMA radix-2^52 kernel when built with it) against a slow GMP
// reference (independent oracle) and the scalar Fr: edge values 0, 1, 2, p-1, p-2, (p-1)/2, values
// whose lane representation x * 2^260 mod p is 0, 1, p-1, p-2, 2^52-1, 2^208 (boundary cases of
// the radix-2^52 reduction), and seeded random values.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "ff/fr_x8.hpp"
#include "common/seed.hpp"
#include "ff/gmp_reference.hpp"

namespace zkamm::ff {
namespace {

const mpz_class kP = to_mpz(Fr::kModulus);

Fr fr(const mpz_class& v) { return Fr::from_canonical_unchecked(from_mpz(v)); }

std::vector<mpz_class> samples(uint64_t salt, int n_random) {
  std::vector<mpz_class> out = {0, 1, 2, kP - 1, kP - 2, (kP - 1) / 2, (kP + 1) / 2};
  // x with x * 2^260 mod p equal to k: x = k * 2^-260 mod p.
  mpz_class r_inv, two260 = mpz_class(1) << 260;
  mpz_invert(r_inv.get_mpz_t(), two260.get_mpz_t(), kP.get_mpz_t());
  const std::vector<mpz_class> lane_values = {1, kP - 1, kP - 2, (mpz_class(1) << 52) - 1, mpz_class(1) << 208,
                                              (mpz_class(1) << 253) - 1};
  for (const mpz_class& k : lane_values) {
    out.push_back(k * r_inv % kP);
  }
  auto rng = testing::seeded_rng("FrX8", salt);
  for (int i = 0; i < n_random; ++i) out.push_back(to_mpz(Fr::random(rng).to_canonical()));
  return out;
}

// Every (a, b) pair of the samples, eight pairs per FrX8 operation.
TEST(FrX8, MulAndAddMatchGmpAndScalar) {
  const auto xs = samples(1, 25);
  std::vector<std::pair<mpz_class, mpz_class>> pairs;
  for (const auto& a : xs) {
    for (const auto& b : xs) pairs.emplace_back(a, b);
  }
  while (pairs.size() % 8) pairs.emplace_back(kP - 1, kP - 1);
  for (size_t g = 0; g < pairs.size(); g += 8) {
    std::array<Fr, 8> a, b;
    for (size_t l = 0; l < 8; ++l) {
      a[l] = fr(pairs[g + l].first);
      b[l] = fr(pairs[g + l].second);
    }
    const FrX8 va = FrX8::load(a.data()), vb = FrX8::load(b.data());
    const auto prod = (va * vb).to_array();
    const auto sum = (va + vb).to_array();
    const auto sq = va.square().to_array();
    for (size_t l = 0; l < 8; ++l) {
      const auto& [x, y] = pairs[g + l];
      EXPECT_EQ(to_mpz(prod[l].to_canonical()), mpz_class(x * y % kP)) << x << " * " << y;
      EXPECT_EQ(to_mpz(sum[l].to_canonical()), mpz_class((x + y) % kP)) << x << " + " << y;
      EXPECT_EQ(to_mpz(sq[l].to_canonical()), mpz_class(x * x % kP)) << x << "^2";
      EXPECT_EQ(prod[l], a[l] * b[l]);
      EXPECT_EQ(sum[l], a[l] + b[l]);
    }
  }
}

TEST(FrX8, LoadStoreRoundTrip) {
  const auto xs = samples(2, 9);
  for (size_t g = 0; g + 8 <= xs.size(); g += 8) {
    std::array<Fr, 8> a;
    for (size_t l = 0; l < 8; ++l) a[l] = fr(xs[g + l]);
    EXPECT_EQ(FrX8::load(a.data()).to_array(), a);
  }
}

// Long chains of lazily reduced results fed back as inputs (what Poseidon does): x <- x^2 * y + x,
// 2000 steps, against the scalar Fr, with edge values in some lanes.
TEST(FrX8, LongChainsMatchScalar) {
  auto rng = testing::seeded_rng("FrX8.LongChains", 3);
  std::array<Fr, 8> x, y;
  for (size_t l = 0; l < 8; ++l) {
    x[l] = Fr::random(rng);
    y[l] = Fr::random(rng);
  }
  x[0] = Fr::zero() - Fr::one();
  y[1] = Fr::zero() - Fr::one();
  y[2] = Fr::zero();
  FrX8 vx = FrX8::load(x.data());
  const FrX8 vy = FrX8::load(y.data());
  for (int i = 0; i < 2000; ++i) {
    vx = vx.square() * vy + vx;
    for (size_t l = 0; l < 8; ++l) x[l] = x[l].square() * y[l] + x[l];
  }
  EXPECT_EQ(vx.to_array(), x);
}

TEST(FrX8, Limbs52RoundTrip) {
  auto rng = testing::seeded_rng("FrX8.Limbs52", 4);
  for (int i = 0; i < 100; ++i) {
    const U256 v{rng(), rng(), rng(), rng()};
    const auto l = x8::to_limbs52(v);
    for (uint64_t limb : l) EXPECT_LT(limb, uint64_t{1} << 52);
    EXPECT_EQ(x8::from_limbs52(l), v);
  }
}

}  // namespace
}  // namespace zkamm::ff
