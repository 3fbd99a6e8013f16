// Bit decomposition gadgets against native integer arithmetic (ff::U256), plus soundness checks:
// out-of-range values, exhaustive search over small witnesses, and the x + r alias.
#include <gtest/gtest.h>

#include <random>

#include "circuit/bits.hpp"
#include "circuit/random_bits.hpp"
#include "common/seed.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using ff::U256;
using snark::ConstraintSystem;
using snark::Variable;

TEST(Bits, ToBitsMatchesNative) {
  auto rng = zkamm::testing::seeded_rng("Bits.ToBitsMatchesNative");
  for (int iter = 0; iter < 40; ++iter) {
    const size_t n = 1 + rng() % 253;
    const U256 x = random_bits(rng, n);
    ConstraintSystem cs;
    const Variable xv = cs.alloc(Fr::from_canonical_unchecked(x));
    const size_t before = cs.num_constraints();
    const auto bits = to_bits(cs, xv, n);
    ASSERT_EQ(bits.size(), n);
    EXPECT_EQ(cs.num_constraints() - before, n + 1);
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(cs.value(bits[i]), ff::test_bit(x, static_cast<unsigned>(i)) ? Fr::one() : Fr::zero());
    }
    EXPECT_EQ(cs.eval(from_bits(bits)), Fr::from_canonical_unchecked(x));
    EXPECT_TRUE(cs.is_satisfied()) << "n=" << n;
  }
}

TEST(Bits, ToBitsRejectsOutOfRange) {
  auto rng = zkamm::testing::seeded_rng("Bits.ToBitsRejectsOutOfRange");
  for (int iter = 0; iter < 20; ++iter) {
    const size_t n = 1 + rng() % 253;
    // x = 2^n + (random below 2^n), and x = -1 (r - 1).
    // 2^n plus a random value below 2^n (below 2^64 when n = 253, so that it stays below r).
    U256 x = random_bits(rng, n < 253 ? n : 64);
    x[n / 64] |= uint64_t{1} << (n % 64);
    for (const Fr& value : {Fr::from_canonical_unchecked(x), -Fr::one()}) {
      ConstraintSystem cs;
      const Variable xv = cs.alloc(value);
      (void)to_bits(cs, xv, n);
      EXPECT_FALSE(cs.is_satisfied()) << "n=" << n;
    }
  }
}

// For n = 3 no assignment of the bit wires satisfies the system unless x < 8, and then only the
// true bits do.
TEST(Bits, ToBitsExhaustiveSmall) {
  for (uint64_t x = 0; x < 16; ++x) {
    ConstraintSystem cs;
    const Variable xv = cs.alloc(Fr::from_u64(x));
    const auto bits = to_bits(cs, xv, 3);
    int satisfying = 0;
    for (uint64_t guess = 0; guess < 8; ++guess) {
      for (size_t i = 0; i < 3; ++i) cs.set_value(bits[i], Fr::from_u64((guess >> i) & 1));
      if (cs.is_satisfied()) {
        ++satisfying;
        EXPECT_EQ(guess, x);
      }
    }
    EXPECT_EQ(satisfying, x < 8 ? 1 : 0) << "x=" << x;
  }
}

TEST(Bits, AssertBooleanAndAllocBit) {
  ConstraintSystem cs;
  const Variable b0 = alloc_bit(cs, false);
  const Variable b1 = alloc_bit(cs, true);
  EXPECT_EQ(cs.value(b0), Fr::zero());
  EXPECT_EQ(cs.value(b1), Fr::one());
  EXPECT_TRUE(cs.is_satisfied());
  cs.set_value(b1, Fr::from_u64(2));
  EXPECT_FALSE(cs.is_satisfied());
  cs.set_value(b1, -Fr::one());
  EXPECT_FALSE(cs.is_satisfied());
}

TEST(Bits, BitKinds) {
  ConstraintSystem cs;
  const Variable w = alloc_bit(cs, true);
  const Bit b = Bit::of(w);
  EXPECT_TRUE(b.value(cs));
  EXPECT_FALSE((!b).value(cs));
  EXPECT_EQ(cs.eval((!b).lc()), Fr::zero());
  EXPECT_TRUE((!!b).kind == Bit::Kind::kWire);
  const Bit c = Bit::constant_bit(true);
  EXPECT_TRUE(c.value(cs));
  EXPECT_EQ(cs.eval(c.lc()), Fr::one());
  EXPECT_FALSE((!c).value(cs));
  const std::vector<Bit> bits = {c, !b, b};  // 1 + 0 * 2 + 1 * 4
  EXPECT_EQ(cs.eval(from_bits(bits)), Fr::from_u64(5));
}

TEST(Bits, StrictMatchesNative) {
  auto rng = zkamm::testing::seeded_rng("Bits.StrictMatchesNative");
  std::vector<Fr> values = {Fr::zero(), Fr::one(), -Fr::one(), Fr::from_canonical_unchecked(U256{0, 0, 0, 1ULL << 61})};
  for (int i = 0; i < 12; ++i) values.push_back(Fr::random(rng));
  for (const Fr& x : values) {
    ConstraintSystem cs;
    const Variable xv = cs.alloc(x);
    const size_t before = cs.num_constraints();
    const auto bits = to_bits_strict(cs, xv);
    ASSERT_EQ(bits.size(), 254U);
    EXPECT_EQ(cs.num_constraints() - before, to_bits_strict_constraint_count());
    const U256 canonical = x.to_canonical();
    for (size_t i = 0; i < 254; ++i) {
      EXPECT_EQ(cs.value(bits[i]), ff::test_bit(canonical, static_cast<unsigned>(i)) ? Fr::one() : Fr::zero());
    }
    EXPECT_TRUE(cs.is_satisfied()) << x.to_decimal();
  }
}

// The bits of x + r (which still pack to x in the field) must be rejected by the comparison with
// r - 1, while booleanity and packing alone (the first 255 constraints) accept them.
TEST(Bits, StrictRejectsAlias) {
  auto rng = zkamm::testing::seeded_rng("Bits.StrictRejectsAlias");
  U256 limit{};  // 2^254 - r: every x below it has x + r < 2^254
  U256 two254{0, 0, 0, 1ULL << 62};
  ff::sub_with_borrow(limit, two254, Fr::kModulus);
  std::vector<U256> xs = {U256{}, U256{1, 0, 0, 0}};
  U256 last{};
  ff::sub_with_borrow(last, limit, U256{1, 0, 0, 0});
  xs.push_back(last);
  for (int i = 0; i < 10; ++i) {
    U256 x = random_bits(rng, 252);
    if (!ff::less_than(x, limit)) continue;
    xs.push_back(x);
  }
  for (const U256& x : xs) {
    ConstraintSystem cs;
    const Variable xv = cs.alloc(Fr::from_canonical_unchecked(x));
    const auto bits = to_bits_strict(cs, xv);
    ASSERT_TRUE(cs.is_satisfied());
    U256 alias{};
    ff::add_with_carry(alias, x, Fr::kModulus);
    for (size_t i = 0; i < 254; ++i) {
      cs.set_value(bits[i], ff::test_bit(alias, static_cast<unsigned>(i)) ? Fr::one() : Fr::zero());
    }
    EXPECT_EQ(cs.eval(from_bits(bits)), Fr::from_canonical_unchecked(x));  // packing still holds
    const auto bad = cs.first_unsatisfied();
    ASSERT_TRUE(bad.has_value());
    EXPECT_GE(*bad, 255U);  // only the comparison with r - 1 catches it
  }
}

// Every (c, x) pair for 5-bit numbers: accepted exactly when x <= c.
TEST(Bits, LeConstantExhaustiveSmall) {
  for (uint64_t c = 0; c < 32; ++c) {
    for (uint64_t x = 0; x < 32; ++x) {
      ConstraintSystem cs;
      std::vector<Variable> bits;
      for (unsigned i = 0; i < 5; ++i) bits.push_back(alloc_bit(cs, ((x >> i) & 1) != 0));
      assert_bits_le_constant(cs, bits, U256{c, 0, 0, 0});
      EXPECT_EQ(cs.is_satisfied(), x <= c) << "x=" << x << " c=" << c;
    }
  }
}

TEST(Bits, LeConstantRandomWide) {
  auto rng = zkamm::testing::seeded_rng("Bits.LeConstantRandomWide");
  for (int iter = 0; iter < 40; ++iter) {
    const size_t n = 1 + rng() % 254;
    const U256 c = random_bits(rng, n);
    // Half the time x shares a long prefix with c, to reach the low positions of the scan.
    U256 x = random_bits(rng, n);
    if (iter % 2 == 0) {
      x = c;
      const unsigned flip = static_cast<unsigned>(rng() % n);
      x[flip / 64] ^= uint64_t{1} << (flip % 64);
    }
    ConstraintSystem cs;
    std::vector<Variable> bits;
    for (size_t i = 0; i < n; ++i) bits.push_back(alloc_bit(cs, ff::test_bit(x, static_cast<unsigned>(i))));
    assert_bits_le_constant(cs, bits, c);
    EXPECT_EQ(cs.is_satisfied(), !ff::less_than(c, x)) << "n=" << n;
  }
}

}  // namespace
}  // namespace zkamm::circuit
