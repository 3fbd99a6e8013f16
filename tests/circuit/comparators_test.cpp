// Range checks, comparators, equality and boolean gadgets against native arithmetic, with
// exhaustive searches over small witnesses showing that no assignment of the helper wires makes
// a comparator lie, and tampered outputs that the constraints reject.
#include <gtest/gtest.h>

#include <random>

#include "circuit/comparators.hpp"
#include "circuit/random_bits.hpp"
#include "common/seed.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using ff::U256;
using snark::ConstraintSystem;
using snark::Variable;

Fr fr(const U256& v) { return Fr::from_canonical_unchecked(v); }
Fr fr_bool(bool b) { return b ? Fr::one() : Fr::zero(); }

/// Wires allocated after `first` (the gadget's helpers).
std::vector<Variable> wires_from(const ConstraintSystem& cs, size_t first) {
  std::vector<Variable> out;
  for (size_t i = first; i < cs.num_variables(); ++i) out.push_back(Variable{static_cast<uint32_t>(i)});
  return out;
}

/// Calls visit() for every 0/1 assignment of `wires` (restoring nothing).
template <class F>
void for_each_assignment(ConstraintSystem& cs, const std::vector<Variable>& wires, F visit) {
  for (uint64_t m = 0; m < (uint64_t{1} << wires.size()); ++m) {
    for (size_t i = 0; i < wires.size(); ++i) cs.set_value(wires[i], fr_bool(((m >> i) & 1) != 0));
    visit();
  }
}

TEST(Comparators, RangeCheckMatchesNative) {
  auto rng = zkamm::testing::seeded_rng("Comparators.RangeCheckMatchesNative");
  for (int iter = 0; iter < 40; ++iter) {
    const size_t n = 1 + rng() % 253;
    const U256 x = random_bits(rng, n);
    // 2^n plus a random value below 2^n (below 2^64 when n = 253, so that it stays below r).
    U256 over = random_bits(rng, n < 253 ? n : 64);
    over[n / 64] |= uint64_t{1} << (n % 64);
    for (const auto& [value, ok] : {std::pair{fr(x), true}, std::pair{fr(over), false}, std::pair{-Fr::one(), false}}) {
      ConstraintSystem cs;
      const Variable xv = cs.alloc(value);
      range_check(cs, xv, n);
      EXPECT_EQ(cs.num_constraints(), n);
      EXPECT_EQ(cs.is_satisfied(), ok) << "n=" << n;
    }
  }
}

// n = 4: for x < 32 some assignment of the 3 helper bits satisfies the system iff x < 16.
TEST(Comparators, RangeCheckExhaustiveSmall) {
  for (uint64_t x = 0; x < 32; ++x) {
    ConstraintSystem cs;
    const Variable xv = cs.alloc(Fr::from_u64(x));
    const size_t first = cs.num_variables();
    range_check(cs, xv, 4);
    const auto helpers = wires_from(cs, first);
    ASSERT_EQ(helpers.size(), 3U);
    int satisfying = 0;
    for_each_assignment(cs, helpers, [&] { satisfying += cs.is_satisfied() ? 1 : 0; });
    EXPECT_EQ(satisfying, x < 16 ? 1 : 0) << "x=" << x;
  }
}

TEST(Comparators, LessThanMatchesNative) {
  auto rng = zkamm::testing::seeded_rng("Comparators.LessThanMatchesNative");
  for (int iter = 0; iter < 60; ++iter) {
    const size_t n = 1 + rng() % 252;
    const U256 a = random_bits(rng, n);
    const U256 b = iter % 3 == 0 ? a : random_bits(rng, n);
    ConstraintSystem cs;
    const Variable av = cs.alloc(fr(a)), bv = cs.alloc(fr(b));
    const Lc lt = less_than(cs, av, bv, n);
    EXPECT_EQ(cs.num_constraints(), n + 1);
    const Lc le = less_or_equal(cs, av, bv, n);
    EXPECT_EQ(cs.num_constraints(), 2 * (n + 1));
    EXPECT_EQ(cs.eval(lt), fr_bool(ff::less_than(a, b)));
    EXPECT_EQ(cs.eval(le), fr_bool(!ff::less_than(b, a)));
    EXPECT_TRUE(cs.is_satisfied());
    // The same order, asserted.
    ConstraintSystem as;
    const Variable aa = as.alloc(fr(a)), ab = as.alloc(fr(b));
    assert_less_than(as, aa, ab, n);
    EXPECT_EQ(as.is_satisfied(), ff::less_than(a, b));
    ConstraintSystem ls;
    const Variable la = ls.alloc(fr(a)), lb = ls.alloc(fr(b));
    assert_less_or_equal(ls, la, lb, n);
    EXPECT_EQ(ls.is_satisfied(), !ff::less_than(b, a));
    EXPECT_EQ(ls.num_constraints(), n);
  }
}

// n = 3, every a, b < 8: every satisfying assignment of the helper bits gives the true answer
// (so no witness makes the comparator output the wrong bit), and exactly one exists.
TEST(Comparators, ComparatorsCannotLie) {
  for (uint64_t a = 0; a < 8; ++a) {
    for (uint64_t b = 0; b < 8; ++b) {
      for (int kind = 0; kind < 2; ++kind) {
        ConstraintSystem cs;
        const Variable av = cs.alloc(Fr::from_u64(a)), bv = cs.alloc(Fr::from_u64(b));
        const size_t first = cs.num_variables();
        const Lc out = kind == 0 ? less_than(cs, av, bv, 3) : less_or_equal(cs, av, bv, 3);
        const bool truth = kind == 0 ? a < b : a <= b;
        int satisfying = 0;
        for_each_assignment(cs, wires_from(cs, first), [&] {
          if (!cs.is_satisfied()) return;
          ++satisfying;
          EXPECT_EQ(cs.eval(out), fr_bool(truth)) << a << (kind == 0 ? " < " : " <= ") << b;
        });
        EXPECT_EQ(satisfying, 1);
      }
    }
  }
}

TEST(Comparators, IsZeroAndIsEqual) {
  auto rng = zkamm::testing::seeded_rng("Comparators.IsZeroAndIsEqual");
  for (int iter = 0; iter < 20; ++iter) {
    const Fr x = iter % 4 == 0 ? Fr::zero() : Fr::random(rng);
    ConstraintSystem cs;
    const Variable xv = cs.alloc(x);
    const Variable z = is_zero(cs, xv);
    EXPECT_EQ(cs.num_constraints(), 2U);
    EXPECT_EQ(cs.value(z), fr_bool(x.is_zero()));
    EXPECT_TRUE(cs.is_satisfied());
    // A flipped output is rejected whatever the inverse helper holds.
    const Variable inv{z.index - 1};
    cs.set_value(z, fr_bool(!x.is_zero()));
    for (const Fr& guess : {Fr::zero(), Fr::one(), x.is_zero() ? Fr::one() : x.inverse(), Fr::random(rng)}) {
      cs.set_value(inv, guess);
      EXPECT_FALSE(cs.is_satisfied());
    }

    const Fr y = iter % 2 == 0 ? x : Fr::random(rng);
    ConstraintSystem es;
    const Variable e = is_equal(es, es.alloc(x), es.alloc(y));
    EXPECT_EQ(es.value(e), fr_bool(x == y));
    EXPECT_TRUE(es.is_satisfied());
    es.set_value(e, fr_bool(x != y));
    EXPECT_FALSE(es.is_satisfied());
  }
}

TEST(Comparators, AssertEqual) {
  ConstraintSystem cs;
  const Variable a = cs.alloc(Fr::from_u64(7)), b = cs.alloc(Fr::from_u64(7));
  assert_equal(cs, a, b);
  EXPECT_EQ(cs.num_constraints(), 1U);
  EXPECT_TRUE(cs.is_satisfied());
  cs.set_value(b, Fr::from_u64(8));
  EXPECT_FALSE(cs.is_satisfied());
}

TEST(Comparators, SelectMatchesNative) {
  auto rng = zkamm::testing::seeded_rng("Comparators.SelectMatchesNative");
  for (int cond = 0; cond < 2; ++cond) {
    const Fr a = Fr::random(rng), b = Fr::random(rng);
    ConstraintSystem cs;
    const Variable c = alloc_bit(cs, cond == 1);
    const Variable out = select(cs, c, cs.alloc(a), cs.alloc(b));
    EXPECT_EQ(cs.value(out), cond == 1 ? a : b);
    EXPECT_TRUE(cs.is_satisfied());
    cs.set_value(out, cond == 1 ? b : a);
    EXPECT_FALSE(cs.is_satisfied());
  }
}

TEST(Comparators, BooleanLogicTruthTables) {
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) {
      ConstraintSystem cs;
      const Variable av = alloc_bit(cs, a == 1), bv = alloc_bit(cs, b == 1);
      const Variable o_and = logical_and(cs, av, bv);
      const Variable o_or = logical_or(cs, av, bv);
      const Variable o_xor = logical_xor(cs, av, bv);
      const Lc o_not = logical_not(av);
      EXPECT_EQ(cs.num_constraints(), 5U);
      EXPECT_EQ(cs.value(o_and), fr_bool((a & b) != 0));
      EXPECT_EQ(cs.value(o_or), fr_bool((a | b) != 0));
      EXPECT_EQ(cs.value(o_xor), fr_bool((a ^ b) != 0));
      EXPECT_EQ(cs.eval(o_not), fr_bool(a == 0));
      EXPECT_TRUE(cs.is_satisfied());
      for (const Variable out : {o_and, o_or, o_xor}) {
        const Fr good = cs.value(out);
        cs.set_value(out, Fr::one() - good);
        EXPECT_FALSE(cs.is_satisfied());
        cs.set_value(out, good);
      }
    }
  }
}

}  // namespace
}  // namespace zkamm::circuit
