#include <gtest/gtest.h>

#include <vector>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "common/seed.hpp"

namespace zkamm::ec {
namespace {

template <class T>
class GroupLaw : public ::testing::Test {};
using Groups = ::testing::Types<G1, G2>;
TYPED_TEST_SUITE(GroupLaw, Groups);

template <class P, class Rng>
P random_point(Rng& rng) {
  return P::generator().mul(Fr::random(rng).to_canonical());
}

TYPED_TEST(GroupLaw, GeneratorOnCurveAndOrderR) {
  using P = TypeParam;
  const auto g = P::generator().to_affine();
  EXPECT_TRUE(g.is_on_curve());
  EXPECT_TRUE(g.is_in_subgroup());
  EXPECT_TRUE(P::generator().mul(Fr::kModulus).is_identity());
  EXPECT_FALSE(P::generator().mul(U256{1, 0, 0, 0}).is_identity());
  // Small multiples against repeated addition (also a regression test for the field asm's
  // memory operands, which once read stale limbs in exactly this inlined pattern).
  P acc = P::identity();
  for (uint64_t k = 0; k < 20; ++k) {
    EXPECT_EQ(P::generator().mul(U256{k, 0, 0, 0}), acc) << k;
    EXPECT_EQ(P::generator().mul(U256{k, 0, 0, 0}).to_affine(), acc.to_affine()) << k;
    acc = acc.add_mixed(P::Affine::generator());
  }
  U256 r_minus_1{};
  ff::sub_with_borrow(r_minus_1, Fr::kModulus, U256{1, 0, 0, 0});
  EXPECT_EQ(P::generator().mul(r_minus_1), -P::generator());
}

TYPED_TEST(GroupLaw, AxiomsOnRandomPoints) {
  using P = TypeParam;
  auto rng = zkamm::testing::seeded_rng("GroupLaw.Axioms");
  for (int iter = 0; iter < 8; ++iter) {
    const P a = random_point<P>(rng), b = random_point<P>(rng), c = random_point<P>(rng);
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a + P::identity(), a);
    EXPECT_EQ(P::identity() + a, a);
    EXPECT_TRUE((a + (-a)).is_identity());
    EXPECT_EQ(a + a, a.dbl());
    const P a2 = P(a.to_affine());  // same point, different Z
    EXPECT_EQ(a + a2, a.dbl());
    EXPECT_EQ(a.add_mixed(b.to_affine()), a + b);
    EXPECT_EQ(a.add_mixed(a.to_affine()), a.dbl());
    EXPECT_TRUE(a.add_mixed((-a).to_affine()).is_identity());
    EXPECT_EQ(P::identity().add_mixed(b.to_affine()), b);
    EXPECT_EQ(a.add_mixed(typename P::Affine{}), a);
    EXPECT_TRUE(a.to_affine().is_on_curve());
    EXPECT_EQ((-a).to_affine(), -(a.to_affine()));
    // Scalar multiplication is a homomorphism from Fr.
    const Fr s = Fr::random(rng), t = Fr::random(rng);
    EXPECT_EQ(a * (s + t), a * s + a * t);
    EXPECT_EQ((a * s) * t, a * (s * t));
    EXPECT_FALSE(a == b);
  }
  EXPECT_TRUE(P::identity().dbl().is_identity());
  EXPECT_TRUE(P::identity().to_affine().infinity);
  EXPECT_TRUE(P::identity().mul(U256{5, 0, 0, 0}).is_identity());
  EXPECT_TRUE(P::generator().mul(U256{}).is_identity());
}

TYPED_TEST(GroupLaw, BatchToAffine) {
  using P = TypeParam;
  auto rng = zkamm::testing::seeded_rng("GroupLaw.BatchToAffine", 1);
  std::vector<P> pts;
  for (int i = 0; i < 9; ++i) pts.push_back(i % 4 == 2 ? P::identity() : random_point<P>(rng));
  std::vector<typename P::Affine> out(pts.size());
  P::batch_to_affine(pts, out);
  for (size_t i = 0; i < pts.size(); ++i) EXPECT_EQ(out[i], pts[i].to_affine()) << i;
}

TEST(G2, TwistCoefficient) {
  EXPECT_EQ(G2Config::b() * ff::Fq2::xi(), (ff::Fq2{Fq::from_u64(3), Fq::zero()}));
}

// A partial cofactor (not a multiple of 2q - r): its multiples stay outside G2 unless unlucky;
// whatever happens, the fast test must agree with [r]P == O.
constexpr U256 kTwistCofactorLow{0x1234567890abcdefULL, 0, 0, 0};

TEST(G2, SubgroupCheckRejectsTwistPointOutsideSubgroup) {
  auto rng = zkamm::testing::seeded_rng("G2.SubgroupCheck", 2);
  int found = 0;
  while (found < 3) {
    const ff::Fq2 x = ff::Fq2::random(rng);
    const auto y = (x.square() * x + G2Config::b()).sqrt();
    if (!y) continue;
    const G2Affine p{x, *y};
    ASSERT_TRUE(p.is_on_curve());
    // The twist has order r * c with c a large cofactor, so a random point is outside G2.
    EXPECT_FALSE(p.is_in_subgroup());
    EXPECT_FALSE(G2(p).mul(Fr::kModulus).is_identity());
    // Clearing the cofactor c = 2q - r (#E'(Fq2) = r (2q - r)) lands in G2: both checks agree.
    const G2Affine cleared = G2(p).mul(kTwistCofactorLow).to_affine();
    U256 two_q_minus_r{};
    ff::add_with_carry(two_q_minus_r, Fq::kModulus, Fq::kModulus);
    ff::sub_with_borrow(two_q_minus_r, two_q_minus_r, Fr::kModulus);
    const G2Affine in_g2 = G2(p).mul(two_q_minus_r).to_affine();
    EXPECT_TRUE(in_g2.is_in_subgroup());
    EXPECT_TRUE(G2(in_g2).mul(Fr::kModulus).is_identity());
    EXPECT_EQ(cleared.is_in_subgroup(), G2(cleared).mul(Fr::kModulus).is_identity());
    ++found;
  }
  const G2Affine off{G2Config::generator_x(), G2Config::generator_x()};
  EXPECT_FALSE(off.is_on_curve());
  EXPECT_FALSE(off.is_in_subgroup());
}

TEST(G1, OffCurveRejected) {
  const G1Affine p{Fq::from_u64(1), Fq::from_u64(3)};
  EXPECT_FALSE(p.is_on_curve());
  EXPECT_FALSE(p.is_in_subgroup());
  EXPECT_TRUE(G1Affine{}.is_in_subgroup());
}

}  // namespace
}  // namespace zkamm::ec
