#include "circuit/bits.hpp"

#include <array>

namespace zkamm::circuit {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

const Fr& pow2(unsigned k) noexcept {
  static const std::array<Fr, 254> table = [] {
    std::array<Fr, 254> t{};
    t[0] = Fr::one();
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1].dbl();
    return t;
  }();
  return table[k];
}

const Fr& inv_pow2(unsigned k) noexcept {
  static const std::array<Fr, 254> table = [] {
    std::array<Fr, 254> t{};
    t[0] = Fr::one();
    const Fr half = Fr::from_u64(2).inverse();
    for (size_t i = 1; i < t.size(); ++i) t[i] = t[i - 1] * half;
    return t;
  }();
  return table[k];
}

Bit Bit::operator!() const noexcept {
  switch (kind) {
    case Kind::kConstant: return constant_bit(!constant);
    case Kind::kWire: return Bit{Kind::kNotWire, false, wire};
    case Kind::kNotWire: return Bit{Kind::kWire, false, wire};
  }
  return *this;
}

Lc Bit::lc() const {
  switch (kind) {
    case Kind::kConstant: return Lc::constant(constant ? 1 : 0);
    case Kind::kWire: return Lc(wire);
    case Kind::kNotWire: return Lc::constant(1) - Lc(wire);
  }
  return {};
}

bool Bit::value(const ConstraintSystem& cs) const noexcept {
  switch (kind) {
    case Kind::kConstant: return constant;
    case Kind::kWire: return !cs.value(wire).is_zero();
    case Kind::kNotWire: return cs.value(wire).is_zero();
  }
  return false;
}

void assert_boolean(ConstraintSystem& cs, const Lc& v) { cs.enforce(v, v - Lc::constant(1), Lc{}); }

Variable alloc_bit(ConstraintSystem& cs, bool b) {
  const Variable v = cs.alloc(b ? Fr::one() : Fr::zero());
  assert_boolean(cs, v);
  return v;
}

namespace {

/// n boolean wires holding the low n bits of x's value, packed against x (n + 1 constraints).
std::vector<Variable> decompose(ConstraintSystem& cs, const Lc& x, size_t n) {
  const ff::U256 v = cs.eval(x).to_canonical();
  std::vector<Variable> bits;
  bits.reserve(n);
  for (size_t i = 0; i < n; ++i) bits.push_back(alloc_bit(cs, ff::test_bit(v, static_cast<unsigned>(i))));
  cs.enforce_equal(from_bits(bits), x);
  return bits;
}

}  // namespace

std::vector<Variable> to_bits(ConstraintSystem& cs, const Lc& x, size_t n) { return decompose(cs, x, n); }

Lc from_bits(std::span<const Variable> bits) {
  Lc out;
  for (size_t i = 0; i < bits.size(); ++i) out.add_term(bits[i], pow2(static_cast<unsigned>(i)));
  return out;
}

Lc from_bits(std::span<const Bit> bits) {
  Lc out;
  for (size_t i = 0; i < bits.size(); ++i) out += bits[i].lc() * pow2(static_cast<unsigned>(i));
  return out;
}

// Scan from the most significant bit keeping eq = [the bits above equal c's bits above]. Where c
// has a one, eq becomes eq * b (a zero there makes the number smaller, and eq drops to 0); over a
// run of zeros of c, a one in the bits while eq holds would make the number larger, so
// eq * (sum of the run's bits) = 0 (one constraint per run: the bits are booleans and the sum is
// tiny, so it is zero only if each bit is).
void assert_bits_le_constant(ConstraintSystem& cs, std::span<const Variable> bits, const ff::U256& c) {
  const size_t n = bits.size();
  // Lowest position in range where c has a zero: below it no zero run needs eq any more.
  size_t lowest_zero = n;
  for (size_t i = 0; i < n; ++i) {
    if (!ff::test_bit(c, static_cast<unsigned>(i))) {
      lowest_zero = i;
      break;
    }
  }
  if (lowest_zero == n) return;  // c >= 2^n - 1: every n-bit number qualifies
  Lc eq = Lc::constant(1);
  bool eq_is_one = true;
  size_t i = n;
  while (i > 0) {
    const bool ci = ff::test_bit(c, static_cast<unsigned>(i - 1));
    if (ci) {
      if (i - 1 < lowest_zero) break;  // no zero of c below: nothing left to enforce
      if (eq_is_one) {
        eq = Lc(bits[i - 1]);
        eq_is_one = false;
      } else {
        eq = Lc(cs.mul(eq, bits[i - 1]));
      }
      --i;
    } else {
      Lc run;
      while (i > 0 && !ff::test_bit(c, static_cast<unsigned>(i - 1))) {
        run += Lc(bits[i - 1]);
        --i;
      }
      cs.enforce(eq, run, Lc{});
    }
  }
}

std::vector<Variable> to_bits_strict(ConstraintSystem& cs, const Lc& x) {
  std::vector<Variable> bits = decompose(cs, x, 254);
  ff::U256 r_minus_1 = ff::Fr::kModulus;
  r_minus_1[0] -= 1;  // r is odd: no borrow
  assert_bits_le_constant(cs, bits, r_minus_1);
  return bits;
}

size_t to_bits_strict_constraint_count() noexcept { return 255 + 152; }

}  // namespace zkamm::circuit
