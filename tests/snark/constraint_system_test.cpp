#include "snark/constraint_system.hpp"

#include <gtest/gtest.h>

namespace zkamm::snark {
namespace {

using ff::Fr;

// x^3 + x + 5 = out, the classic example circuit (self-made).
struct CubicCircuit {
  Variable out, x, x2, x3;
  explicit CubicCircuit(ConstraintSystem& cs, uint64_t x_value) {
    const Fr xv = Fr::from_u64(x_value);
    out = cs.alloc_public(xv * xv * xv + xv + Fr::from_u64(5));
    x = cs.alloc(xv);
    x2 = cs.mul(x, x);
    x3 = cs.mul(x2, x);
    cs.enforce_equal(LinearExpr(x3) + x + LinearExpr::constant(5), out);
  }
};

TEST(ConstraintSystem, BuildsSatisfiedCircuitInIden3Order) {
  ConstraintSystem cs;
  const Variable priv = cs.alloc(Fr::from_u64(7));  // allocated before the public wire on purpose
  CubicCircuit c(cs, 3);
  cs.enforce(priv, ConstraintSystem::one(), LinearExpr::constant(7));
  EXPECT_TRUE(cs.is_satisfied());
  EXPECT_EQ(cs.num_constraints(), 4u);

  const R1cs r = cs.to_r1cs();
  const auto w = cs.witness();
  EXPECT_EQ(r.num_public(), 1u);
  EXPECT_EQ(w[0], Fr::one());
  EXPECT_EQ(w[1], Fr::from_u64(35));  // the public output moved to wire 1
  EXPECT_TRUE(r.is_satisfied(w));
  EXPECT_EQ(cs.public_inputs(), std::vector<Fr>{Fr::from_u64(35)});
}

TEST(ConstraintSystem, TamperedWitnessIsRejected) {
  ConstraintSystem cs;
  CubicCircuit c(cs, 3);
  cs.set_value(c.x2, Fr::from_u64(10));
  ASSERT_TRUE(cs.first_unsatisfied().has_value());
  EXPECT_EQ(*cs.first_unsatisfied(), 0u);
  EXPECT_FALSE(cs.to_r1cs().is_satisfied(cs.witness()));
}

TEST(ConstraintSystem, RepeatedWiresAreMergedAndZeroTermsDropped) {
  ConstraintSystem cs;
  const Variable a = cs.alloc(Fr::from_u64(2));
  LinearExpr lc = LinearExpr(a) + a - a;  // 1*a after merging
  lc += LinearExpr(a) * Fr::zero();
  cs.enforce(lc, lc, LinearExpr::constant(4));
  const R1cs r = cs.to_r1cs();
  ASSERT_EQ(r.constraints.size(), 1u);
  ASSERT_EQ(r.constraints[0].a.size(), 1u);
  EXPECT_EQ(r.constraints[0].a[0].coeff, Fr::one());
  EXPECT_TRUE(r.is_satisfied(cs.witness()));
}

TEST(ConstraintSystem, WitnessOnlyModeComputesTheSameWitness) {
  ConstraintSystem full, fast(ConstraintSystem::Mode::kWitnessOnly);
  CubicCircuit a(full, 11), b(fast, 11);
  EXPECT_EQ(full.witness(), fast.witness());
  EXPECT_EQ(full.num_constraints(), fast.num_constraints());
}

}  // namespace
}  // namespace zkamm::snark
