// Fq2, Fq6, Fq12: ring axioms, inverses and Frobenius on seeded random elements (self-checks of
// the towers' algebra; the pairing tests in tests/ec and the EIP-197 vectors check them end to end).
#include <gtest/gtest.h>

#include "ff/fq12.hpp"
#include "common/seed.hpp"

namespace zkamm::ff {
namespace {

template <class T>
class TowerField : public ::testing::Test {};
using Towers = ::testing::Types<Fq2, Fq6, Fq12>;
TYPED_TEST_SUITE(TowerField, Towers);

TYPED_TEST(TowerField, RingAxiomsAndInverse) {
  using F = TypeParam;
  auto rng = zkamm::testing::seeded_rng("TowerField.Axioms", 20);
  for (int i = 0; i < 10; ++i) {
    const F a = F::random(rng), b = F::random(rng), c = F::random(rng);
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ((a + b) - b, a);
    EXPECT_EQ(a + (-a), F::zero());
    EXPECT_EQ(a * F::one(), a);
    EXPECT_EQ(a * F::zero(), F::zero());
    EXPECT_EQ(a.square(), a * a);
    EXPECT_TRUE((a * a.inverse()).is_one());
    EXPECT_EQ((a * b).inverse(), a.inverse() * b.inverse());
    EXPECT_FALSE(a == b);
  }
  EXPECT_TRUE(F::zero().inverse().is_zero());
  EXPECT_TRUE(F::one().is_one());
}

TEST(Fq2, UnitAndNonResidue) {
  const Fq2 u{Fq::zero(), Fq::one()};
  EXPECT_EQ(u.square(), -Fq2::one());  // u^2 = -1
  auto rng = zkamm::testing::seeded_rng("Fq2.NonResidue", 21);
  const Fq2 a = Fq2::random(rng);
  EXPECT_EQ(a.mul_by_xi(), a * Fq2::xi());
  EXPECT_EQ(a.conjugate(), a.pow(Fq::kModulus));  // Frobenius
  const Fq2 s = a.square();
  const auto r = s.sqrt();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->square(), s);
  // xi is not a square nor a cube in Fq2 (else the towers would not be fields).
  EXPECT_FALSE(Fq2::xi().sqrt().has_value());
}

TEST(Fq6, VCubedIsXi) {
  const Fq6 v{Fq2{}, Fq2::one(), Fq2{}};
  EXPECT_EQ(v * v * v, (Fq6{Fq2::xi(), Fq2{}, Fq2{}}));
  auto rng = zkamm::testing::seeded_rng("Fq6.Sparse", 22);
  const Fq6 a = Fq6::random(rng);
  const Fq2 b0 = Fq2::random(rng), b1 = Fq2::random(rng);
  EXPECT_EQ(a.mul_by_01(b0, b1), (a * Fq6{b0, b1, Fq2{}}));
  EXPECT_EQ(a.mul_by_1(b1), (a * Fq6{Fq2{}, b1, Fq2{}}));
  EXPECT_EQ(a.mul_by_v(), a * v);
}

TEST(Fq12, FrobeniusSparseAndCyclotomic) {
  const Fq12 w{Fq6{}, Fq6::one()};
  EXPECT_EQ(w.square(), (Fq12{Fq6{Fq2{}, Fq2::one(), Fq2{}}, Fq6{}}));  // w^2 = v
  auto rng = zkamm::testing::seeded_rng("Fq12.Frobenius", 23);
  const Fq12 a = Fq12::random(rng), b = Fq12::random(rng);
  // frobenius(1) is a^q: check against exponentiation by q directly.
  EXPECT_EQ(a.frobenius(1), a.pow(Fq::kModulus));
  EXPECT_EQ(a.frobenius(2), a.pow(Fq::kModulus).pow(Fq::kModulus));
  EXPECT_EQ(a.frobenius(3), a.frobenius(1).frobenius(2));
  EXPECT_EQ(a.frobenius(6), a.conjugate());
  EXPECT_EQ(a.frobenius(12), a);
  EXPECT_EQ((a * b).frobenius(1), a.frobenius(1) * b.frobenius(1));
  const Fq2 d0 = Fq2::random(rng), d3 = Fq2::random(rng), d4 = Fq2::random(rng);
  EXPECT_EQ(a.mul_by_034(d0, d3, d4), (a * Fq12{Fq6{d0, Fq2{}, Fq2{}}, Fq6{d3, d4, Fq2{}}}));
  // Elements of the cyclotomic subgroup: a^((q^6 - 1)(q^2 + 1)).
  Fq12 c = a.conjugate() * a.inverse();
  c = c.frobenius(2) * c;
  EXPECT_EQ(c.cyclotomic_square(), c.square());
  EXPECT_EQ(c.conjugate(), c.inverse());
}

}  // namespace
}  // namespace zkamm::ff
