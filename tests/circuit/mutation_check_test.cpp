// The free-wire checker: it must flag deliberately under-constrained toy circuits, and it must
// find no free wire in any gadget of this module (each run at a small size, inputs excluded).
#include <gtest/gtest.h>

#include <random>

#include "circuit/bits.hpp"
#include "circuit/comparators.hpp"
#include "circuit/mutation_check.hpp"
#include "circuit/sha256.hpp"
#include "common/seed.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

std::vector<uint32_t> free_after(const ConstraintSystem& cs, uint32_t first) {
  EXPECT_TRUE(cs.is_satisfied());
  return find_free_wires(cs, first, zkamm::testing::test_seed()).free_wires;
}

TEST(MutationCheck, FindsUnderConstrainedToyWires) {
  ConstraintSystem cs;
  const Variable x = cs.alloc(Fr::from_u64(3));
  const Variable y = cs.mul(x, x);                   // constrained: y = x * x
  const Variable loose = cs.alloc(Fr::from_u64(9));  // claims to be x * x, in no constraint
  const Variable b = cs.alloc(Fr::one());            // an XOR output whose defining constraint
  assert_boolean(cs, b);                             // was forgotten: only its booleanity is left
  const Variable z = cs.alloc(Fr::zero());           // in a constraint that reads 0 * z = 0
  cs.enforce(Lc{}, z, Lc{});
  const auto report = find_free_wires(cs, x.index + 1, zkamm::testing::test_seed());
  EXPECT_EQ(report.checked, 4U);
  EXPECT_EQ(report.free_wires, (std::vector<uint32_t>{loose.index, b.index, z.index}));
  (void)y;
}

// Removing the one constraint that ties a helper to the rest of a correct gadget is caught.
TEST(MutationCheck, FindsHelperCutLooseFromGadget) {
  ConstraintSystem good;
  const Variable x = good.alloc(Fr::from_u64(11));
  const Variable out = logical_xor(good, alloc_bit(good, true), alloc_bit(good, false));
  EXPECT_TRUE(find_free_wires(good, x.index + 1).free_wires.empty());
  // The same XOR, stated without its defining constraint (booleanity only).
  ConstraintSystem bad;
  const Variable a = alloc_bit(bad, true);
  const Variable c = alloc_bit(bad, false);
  const Variable o = alloc_bit(bad, true);
  (void)a;
  (void)c;
  const auto report = find_free_wires(bad, 1);
  EXPECT_EQ(report.free_wires, (std::vector<uint32_t>{a.index, c.index, o.index}));
  (void)out;
}

TEST(MutationCheck, PublicWiresAreSkipped) {
  ConstraintSystem cs;
  const Variable p = cs.alloc_public(Fr::from_u64(4));
  const Variable q = cs.alloc(Fr::from_u64(2));
  cs.enforce(q, q, p);
  const auto report = find_free_wires(cs);
  EXPECT_EQ(report.checked, 1U);  // q only
  EXPECT_TRUE(report.free_wires.empty());
}

TEST(MutationCheck, BitsGadgetsHaveNoFreeWire) {
  auto rng = zkamm::testing::seeded_rng("MutationCheck.BitsGadgetsHaveNoFreeWire");
  ConstraintSystem cs;
  const Variable x = cs.alloc(Fr::from_u64(rng() & 0xffff));
  const Variable y = cs.alloc(Fr::random(rng));
  const uint32_t first = y.index + 1;
  (void)to_bits(cs, x, 16);
  (void)to_bits_strict(cs, y);
  (void)to_bits_strict(cs, cs.alloc(-Fr::one()));  // r - 1: the scan's eq stays 1 to the end
  EXPECT_TRUE(free_after(cs, first).empty());
}

TEST(MutationCheck, ComparatorGadgetsHaveNoFreeWire) {
  auto rng = zkamm::testing::seeded_rng("MutationCheck.ComparatorGadgetsHaveNoFreeWire");
  ConstraintSystem cs;
  const Variable a = cs.alloc(Fr::from_u64(rng() & 0xff));
  const Variable b = cs.alloc(Fr::from_u64(rng() & 0xff));
  const Variable nz = cs.alloc(Fr::random(rng) + Fr::one());
  const Variable c = alloc_bit(cs, (rng() & 1) != 0);
  const Variable d = alloc_bit(cs, (rng() & 1) != 0);
  const uint32_t first = d.index + 1;
  range_check(cs, a, 8);
  (void)less_than(cs, a, b, 8);
  (void)less_or_equal(cs, a, b, 8);
  assert_less_or_equal(cs, a, Lc::constant(255), 8);
  assert_less_than(cs, a, Lc::constant(256), 9);
  (void)is_zero(cs, nz);
  (void)is_equal(cs, a, Lc(a) + Lc::constant(1));
  (void)select(cs, c, a, b);
  (void)logical_and(cs, c, d);
  (void)logical_or(cs, c, d);
  (void)logical_xor(cs, c, d);
  EXPECT_TRUE(free_after(cs, first).empty());
}

// is_zero(0): the inverse helper meets only x = 0, so any value satisfies it. The checker reports
// exactly that wire; the output itself stays pinned (circomlib's IsZero has the same property).
TEST(MutationCheck, IsZeroOfZeroLeavesOnlyTheInverseFree) {
  ConstraintSystem cs;
  const Variable x = cs.alloc(Fr::zero());
  const Variable out = is_zero(cs, x);
  EXPECT_EQ(cs.value(out), Fr::one());
  EXPECT_EQ(free_after(cs, x.index + 1), std::vector<uint32_t>{out.index - 1});
}

TEST(MutationCheck, Sha256HasNoFreeWire) {
  auto rng = zkamm::testing::seeded_rng("MutationCheck.Sha256HasNoFreeWire");
  ConstraintSystem cs;
  std::vector<Lc> bytes;
  for (int i = 0; i < 70; ++i) bytes.emplace_back(cs.alloc(Fr::from_u64(rng() & 0xff)));  // 2 blocks
  const uint32_t first = static_cast<uint32_t>(cs.num_variables());
  (void)sha256_bytes(cs, bytes);
  const auto report = find_free_wires(cs, first, zkamm::testing::test_seed());
  EXPECT_GT(report.checked, 40000U);
  EXPECT_TRUE(report.free_wires.empty()) << report.free_wires.size() << " free, first " << report.free_wires[0];
}

}  // namespace
}  // namespace zkamm::circuit
