#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "ec/pairing.hpp"
#include "common/seed.hpp"

namespace zkamm::ec {
namespace {

using PairVec = std::vector<std::pair<G1Affine, G2Affine>>;

TEST(Pairing, BilinearAndNonDegenerate) {
  auto rng = zkamm::testing::seeded_rng("Pairing.Bilinear", 10);
  const G1Affine p = G1::generator().to_affine();
  const G2Affine q = G2::generator().to_affine();
  const Fq12 e = pairing(p, q);
  EXPECT_FALSE(e.is_one());
  EXPECT_TRUE(e.pow(Fr::kModulus).is_one());  // lands in the order-r subgroup of Fq12*
  for (int i = 0; i < 2; ++i) {
    const Fr a = Fr::random(rng), b = Fr::random(rng);
    const Fq12 lhs = pairing((G1::generator() * a).to_affine(), (G2::generator() * b).to_affine());
    EXPECT_EQ(lhs, e.pow((a * b).to_canonical()));
    EXPECT_EQ(pairing((G1::generator() * (a * b)).to_affine(), q), lhs);
    EXPECT_EQ(pairing(p, (G2::generator() * (a * b)).to_affine()), lhs);
  }
}

TEST(Pairing, InverseAndProducts) {
  auto rng = zkamm::testing::seeded_rng("Pairing.Products", 11);
  const G1Affine p = (G1::generator() * Fr::random(rng)).to_affine();
  const G2Affine q = (G2::generator() * Fr::random(rng)).to_affine();
  EXPECT_TRUE((pairing(p, q) * pairing(-p, q)).is_one());
  EXPECT_TRUE((pairing(p, q) * pairing(p, -q)).is_one());
  EXPECT_TRUE(pairing(G1Affine{}, q).is_one());
  EXPECT_TRUE(pairing(p, G2Affine{}).is_one());

  EXPECT_TRUE(pairing_product_is_one(PairVec{{p, q}, {-p, q}}));
  EXPECT_FALSE(pairing_product_is_one(PairVec{{p, q}, {p, q}}));
  EXPECT_FALSE(pairing_product_is_one(PairVec{{p, q}}));
  EXPECT_TRUE(pairing_product_is_one(PairVec{}));
  EXPECT_TRUE(pairing_product_is_one(PairVec{{G1Affine{}, q}, {p, G2Affine{}}}));
  // e(aP, Q) e(P, -aQ) = 1 and a Groth16-shaped 4-pair product.
  const Fr a = Fr::random(rng), b = Fr::random(rng), c = Fr::random(rng);
  const G1Affine ap = (G1(p) * a).to_affine();
  const G2Affine aq = (G2(q) * a).to_affine();
  EXPECT_TRUE(pairing_product_is_one(PairVec{{ap, q}, {p, -aq}}));
  // e(aP, bQ) = e(cP, Q) e((ab - c)P, Q)
  const G1Affine cp = (G1(p) * c).to_affine();
  const G1Affine rest = (G1(p) * (a * b - c)).to_affine();
  const G2Affine bq = (G2(q) * b).to_affine();
  EXPECT_TRUE(pairing_product_is_one(PairVec{{-ap, bq}, {cp, q}, {rest, q}, {G1Affine{}, bq}}));
  EXPECT_FALSE(pairing_product_is_one(PairVec{{-ap, bq}, {cp, q}, {cp, q}}));
  EXPECT_EQ(multi_miller_loop(PairVec{{p, q}, {ap, bq}}), miller_loop(p, q) * miller_loop(ap, bq));
}

TEST(Pairing, PsiActsAsQOnG2) {
  // psi has eigenvalue q mod r = 6x^2 on G2 (trace t = 6x^2 + 1).
  const G2 g = G2::generator();
  const U256 six_x2 = ff::U256{0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};
  EXPECT_EQ(G2(g2_psi(g.to_affine())), g.mul(six_x2));
}

}  // namespace
}  // namespace zkamm::ec
