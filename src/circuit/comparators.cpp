#include "circuit/comparators.hpp"

#include <array>

namespace zkamm::circuit {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

namespace {

/// Decomposes x into n - 1 boolean wires and a top bit kept as the linear combination
/// (x - low) / 2^(n-1), itself constrained boolean: x = low + 2^(n-1) * top with every piece a
/// bit, so x < 2^n (n constraints). Returns the top bit. Precondition: 1 <= n <= 254 and, for a
/// unique decomposition, n <= 253.
Lc decompose_top_linear(ConstraintSystem& cs, const Lc& x, size_t n) {
  const ff::U256 v = cs.eval(x).to_canonical();
  Lc rest = x;
  for (size_t i = 0; i + 1 < n; ++i) {
    const Variable b = alloc_bit(cs, ff::test_bit(v, static_cast<unsigned>(i)));
    rest.add_term(b, -pow2(static_cast<unsigned>(i)));
  }
  Lc top = rest * inv_pow2(static_cast<unsigned>(n - 1));
  assert_boolean(cs, top);
  return top;
}

}  // namespace

void range_check(ConstraintSystem& cs, const Lc& x, size_t n) { (void)decompose_top_linear(cs, x, n); }

// a + 2^n - b lies in [1, 2^(n+1)) for n-bit a and b; its bit n is set exactly when a >= b.
Lc less_than(ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n) {
  const Lc top = decompose_top_linear(cs, a + Lc::constant(pow2(static_cast<unsigned>(n))) - b, n + 1);
  return Lc::constant(1) - top;
}

// a <= b iff a < b + 1; a + 2^n - b - 1 still lies in [0, 2^(n+1)).
Lc less_or_equal(ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n) {
  const Lc m = a + Lc::constant(pow2(static_cast<unsigned>(n)) - Fr::one()) - b;
  return Lc::constant(1) - decompose_top_linear(cs, m, n + 1);
}

// b - a - 1 is in [0, 2^n) when a < b; otherwise it is -k for some k in [1, 2^n], which is
// r - k >= r - 2^252 > 2^n as a field element, so no n-bit decomposition exists.
void assert_less_than(ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n) {
  range_check(cs, b - a - Lc::constant(1), n);
}

void assert_less_or_equal(ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n) { range_check(cs, b - a, n); }

Variable is_zero(ConstraintSystem& cs, const Lc& x) {
  const Fr xv = cs.eval(x);
  const Variable inv = cs.alloc(xv.is_zero() ? Fr::zero() : xv.inverse());
  const Variable out = cs.alloc(xv.is_zero() ? Fr::one() : Fr::zero());
  cs.enforce(x, inv, Lc::constant(1) - Lc(out));
  cs.enforce(x, out, Lc{});
  return out;
}

Variable is_equal(ConstraintSystem& cs, const Lc& a, const Lc& b) { return is_zero(cs, a - b); }

void assert_equal(ConstraintSystem& cs, const Lc& a, const Lc& b) { cs.enforce_equal(a, b); }

Variable select(ConstraintSystem& cs, const Lc& cond, const Lc& a, const Lc& b) {
  const Fr bv = cs.eval(b);
  const Variable out = cs.alloc(cs.eval(cond) * (cs.eval(a) - bv) + bv);
  cs.enforce(cond, a - b, Lc(out) - b);
  return out;
}

Variable logical_and(ConstraintSystem& cs, const Lc& a, const Lc& b) { return cs.mul(a, b); }

Variable logical_or(ConstraintSystem& cs, const Lc& a, const Lc& b) {
  const Fr av = cs.eval(a), bv = cs.eval(b);
  const Variable out = cs.alloc(av + bv - av * bv);
  cs.enforce(a, b, a + b - Lc(out));
  return out;
}

Variable logical_xor(ConstraintSystem& cs, const Lc& a, const Lc& b) {
  const Fr av = cs.eval(a), bv = cs.eval(b);
  const Variable out = cs.alloc(av + bv - (av * bv).dbl());
  cs.enforce(a * Fr::from_u64(2), b, a + b - Lc(out));
  return out;
}

Lc logical_not(const Lc& a) { return Lc::constant(1) - a; }

}  // namespace zkamm::circuit
