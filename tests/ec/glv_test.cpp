// The GLV constants and scalar split of ec/glv.hpp, checked from their defining properties
// (not against a copy of the constants): cube roots of unity, [lambda] P == phi(P) on both
// groups, k == s1 k1 + s2 k2 lambda with |k_i| < 2^127 at the edges and on random scalars.
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "ec/glv.hpp"

namespace zkamm::ec {
namespace {

Fr lambda() { return *Fr::from_canonical(kGlvLambda); }

TEST(Glv, LambdaIsAPrimitiveCubeRootOfUnityModR) {
  const Fr l = lambda();
  EXPECT_FALSE(l == Fr::one());
  EXPECT_EQ(l * l * l, Fr::one());
  EXPECT_TRUE((l * l + l + Fr::one()).is_zero());
  // lambda = 36 x^3 + 18 x^2 + 6 x + 1 for the BN parameter x.
  const Fr x = Fr::from_u64(4965661367192848881ULL);
  EXPECT_EQ(Fr::from_u64(36) * x * x * x + Fr::from_u64(18) * x * x + Fr::from_u64(6) * x + Fr::one(), l);
}

TEST(Glv, BetaIsAPrimitiveCubeRootOfUnityModQ) {
  EXPECT_FALSE(kGlvBeta == Fq::one());
  EXPECT_EQ(kGlvBeta * kGlvBeta * kGlvBeta, Fq::one());
  EXPECT_EQ(kGlvBeta * kGlvBeta, kGlvBetaSquared);
  EXPECT_TRUE((kGlvBetaSquared + kGlvBeta + Fq::one()).is_zero());
}

template <class T>
class GlvEndo : public ::testing::Test {};
using Groups = ::testing::Types<G1, G2>;
TYPED_TEST_SUITE(GlvEndo, Groups);

TYPED_TEST(GlvEndo, PhiIsMultiplicationByLambda) {
  using P = TypeParam;
  auto rng = zkamm::testing::seeded_rng("GlvEndo.PhiIsMultiplicationByLambda");
  EXPECT_TRUE(glv_endo(typename P::Affine{}).infinity);
  std::vector<typename P::Affine> points = {P::Affine::generator()};
  for (int i = 0; i < 6; ++i) points.push_back(P::generator().mul(Fr::random(rng).to_canonical()).to_affine());
  for (const auto& p : points) {
    const auto e = glv_endo(p);
    EXPECT_TRUE(e.is_in_subgroup());
    EXPECT_EQ(P(e), P(p).mul(kGlvLambda));
    EXPECT_EQ(P(glv_endo(e)), P(p).mul((lambda() * lambda()).to_canonical()));
  }
}

/// k == s1 k1 + s2 k2 lambda (mod r), both halves below 2^127.
void check_split(const U256& k) {
  const GlvSplit s = glv_split(k);
  ASSERT_LE(ff::bit_length(s.k1), kGlvHalfBits) << "k[0]=" << k[0];
  ASSERT_LE(ff::bit_length(s.k2), kGlvHalfBits) << "k[0]=" << k[0];
  Fr k1 = *Fr::from_canonical(s.k1), k2 = *Fr::from_canonical(s.k2);
  if (s.neg1) k1 = -k1;
  if (s.neg2) k2 = -k2;
  ASSERT_EQ(k1 + k2 * lambda(), *Fr::from_canonical(k)) << "k[0]=" << k[0] << " k[3]=" << k[3];
}

TEST(Glv, SplitSmallAndLargeScalars) {
  for (uint64_t d = 0; d < 2000; ++d) {
    check_split(U256{d, 0, 0, 0});
    U256 k{};
    ff::sub_with_borrow(k, Fr::kModulus, U256{d + 1, 0, 0, 0});  // r - 1 - d
    check_split(k);
  }
  // Around lambda, lambda^2, (r - 1) / 2 and powers of two.
  const Fr l = lambda();
  for (const Fr& centre : {l, l * l, Fr::from_u64(2).inverse() * -Fr::one()}) {
    for (int64_t d = -50; d <= 50; ++d) {
      const Fr off = d < 0 ? -Fr::from_u64(static_cast<uint64_t>(-d)) : Fr::from_u64(static_cast<uint64_t>(d));
      check_split((centre + off).to_canonical());
    }
  }
  for (unsigned b = 0; b < 254; ++b) {
    U256 k{};
    k[b / 64] = uint64_t{1} << (b % 64);
    check_split(k);
    U256 below{};
    ff::sub_with_borrow(below, k, U256{1, 0, 0, 0});
    check_split(below);
  }
}

TEST(Glv, SplitAtTheRoundingEdges) {
  // k (2x + 1) / r = c + 1/2 puts the first Babai coefficient on its rounding edge:
  // k = (2c + 1) floor(r / (2 (2x + 1))), plus small offsets either side.
  U256 step = Fr::kModulus;
  ff::div_small(step, 9931322734385697763ULL);  // 2x + 1
  ff::div_small(step, 2);
  const Fr s = *Fr::from_canonical(step);
  auto rng = zkamm::testing::seeded_rng("Glv.SplitAtTheRoundingEdges");
  for (int i = 0; i < 300; ++i) {
    const uint64_t c = i < 100 ? static_cast<uint64_t>(i) : uint64_t{rng()} % uint64_t{9931322734385697763ULL};
    const Fr edge = Fr::from_u64(2 * (c % (uint64_t{1} << 62)) + 1) * s;
    for (int64_t d = -3; d <= 3; ++d) {
      const Fr off = d < 0 ? -Fr::from_u64(static_cast<uint64_t>(-d)) : Fr::from_u64(static_cast<uint64_t>(d));
      check_split((edge + off).to_canonical());
    }
  }
}

TEST(Glv, SplitRandomScalars) {
  auto rng = zkamm::testing::seeded_rng("Glv.SplitRandomScalars");
  for (int i = 0; i < 100000; ++i) check_split(Fr::random(rng).to_canonical());
}

TYPED_TEST(GlvEndo, SplitScalarMultiplication) {
  using P = TypeParam;
  auto rng = zkamm::testing::seeded_rng("GlvEndo.SplitScalarMultiplication");
  const auto p = P::generator().mul(Fr::random(rng).to_canonical()).to_affine();
  U256 r_minus_1{};
  ff::sub_with_borrow(r_minus_1, Fr::kModulus, U256{1, 0, 0, 0});
  std::vector<U256> ks = {U256{}, U256{1, 0, 0, 0}, r_minus_1, kGlvLambda};
  for (int i = 0; i < 8; ++i) ks.push_back(Fr::random(rng).to_canonical());
  for (const U256& k : ks) {
    const GlvSplit s = glv_split(k);
    const auto a = s.neg1 ? -p : p;
    const auto e = s.neg2 ? -glv_endo(p) : glv_endo(p);
    EXPECT_EQ(P(a).mul(s.k1) + P(e).mul(s.k2), P(p).mul(k));
  }
}

}  // namespace
}  // namespace zkamm::ec
