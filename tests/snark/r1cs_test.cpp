#include "snark/r1cs.hpp"

#include <gtest/gtest.h>

#include "groth16_test_util.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;
using testing::fr;

TEST(R1cs, PowerChainSatisfied) {
  const auto in = testing::power_chain(5, fr(3));
  EXPECT_EQ(in.witness[1], fr(243));
  EXPECT_TRUE(in.r1cs.is_satisfied(in.witness));
  EXPECT_FALSE(in.r1cs.first_unsatisfied(in.witness).has_value());
}

TEST(R1cs, ReportsFirstViolatedConstraint) {
  auto in = testing::power_chain(5, fr(3));
  in.witness[4] += Fr::one();  // x^3 wrong: constraint 1 (x^2 * x = x^3) and 2 (x^3 * x = x^4) fail
  EXPECT_EQ(in.r1cs.first_unsatisfied(in.witness), std::optional<size_t>{1});
  EXPECT_FALSE(in.r1cs.is_satisfied(in.witness));
}

TEST(R1cs, RepeatedWiresAddUp) {
  const auto in = testing::multi_public(fr(2), fr(5), fr(4), fr(3), fr(99));
  EXPECT_EQ(in.witness[1], (fr(10) + fr(8) + fr(7)) * fr(3));
  EXPECT_TRUE(in.r1cs.is_satisfied(in.witness));
  auto bad = in;
  bad.witness[1] = (fr(10) + fr(4) + fr(7)) * fr(3);  // as if p3 counted once
  EXPECT_EQ(bad.r1cs.first_unsatisfied(bad.witness), std::optional<size_t>{1});
}

TEST(R1cs, RejectsWrongLengthAndWrongOne) {
  auto in = testing::power_chain(3, fr(2));
  auto shorter = in.witness;
  shorter.pop_back();
  EXPECT_FALSE(in.r1cs.is_satisfied(shorter));
  EXPECT_TRUE(in.r1cs.first_unsatisfied(shorter).has_value());
  auto longer = in.witness;
  longer.push_back(Fr::one());
  EXPECT_FALSE(in.r1cs.is_satisfied(longer));
  auto zero_one = in.witness;
  zero_one[0] = Fr::zero();
  EXPECT_FALSE(in.r1cs.is_satisfied(zero_one));
}

TEST(R1cs, RejectsOutOfRangeWire) {
  auto in = testing::power_chain(3, fr(2));
  in.r1cs.constraints[0].c.push_back({in.r1cs.num_wires, Fr::zero()});
  EXPECT_EQ(in.r1cs.first_unsatisfied(in.witness), std::optional<size_t>{0});
}

TEST(R1cs, Evaluate) {
  const LinearCombination lc{{0, fr(2)}, {1, fr(3)}, {1, fr(4)}};
  const std::vector<Fr> w{Fr::one(), fr(10)};
  EXPECT_EQ(evaluate(lc, w), fr(72));
  EXPECT_EQ(evaluate({}, w), Fr::zero());
}

}  // namespace
}  // namespace zkamm::snark
