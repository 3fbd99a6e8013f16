#pragma once
// Range checks, comparisons, equality and boolean logic. Costs match circomlib where circomlib
// states one (LessThan(n): n + 1, IsZero: 2); a range check costs n by keeping its top bit as a
// linear combination instead of a wire. Results that circomlib computes linearly (LessThan's
// out = 1 - bit) are returned as linear combinations, so they cost no wire either.
#include <cstddef>

#include "circuit/bits.hpp"
#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

/// Enforces x < 2^n (n constraints, n - 1 wires). Precondition: 1 <= n <= 253.
void range_check(snark::ConstraintSystem& cs, const Lc& x, size_t n);

/// [a < b] (n + 1 constraints, circomlib LessThan). Precondition: a, b < 2^n, enforced elsewhere;
/// 1 <= n <= 252.
Lc less_than(snark::ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n);
/// [a <= b] (n + 1 constraints). Precondition: as less_than.
Lc less_or_equal(snark::ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n);
/// Enforces a < b (n constraints). Precondition: a, b < 2^n, enforced elsewhere; 1 <= n <= 252.
void assert_less_than(snark::ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n);
/// Enforces a <= b (n constraints). Precondition: as assert_less_than.
void assert_less_or_equal(snark::ConstraintSystem& cs, const Lc& a, const Lc& b, size_t n);

/// [x == 0] (2 constraints: out = 1 - x * inv, x * out = 0). When x = 0 the helper inv only
/// meets x = 0, so any value of it satisfies the system (it is set to 0); out is still unique.
snark::Variable is_zero(snark::ConstraintSystem& cs, const Lc& x);
/// [a == b] (2 constraints).
snark::Variable is_equal(snark::ConstraintSystem& cs, const Lc& a, const Lc& b);
/// Enforces a == b (1 constraint).
void assert_equal(snark::ConstraintSystem& cs, const Lc& a, const Lc& b);

/// cond ? a : b (1 constraint). Precondition: cond is constrained boolean.
snark::Variable select(snark::ConstraintSystem& cs, const Lc& cond, const Lc& a, const Lc& b);

/// Boolean logic (1 constraint each, not: none). Precondition: inputs constrained boolean.
snark::Variable logical_and(snark::ConstraintSystem& cs, const Lc& a, const Lc& b);
snark::Variable logical_or(snark::ConstraintSystem& cs, const Lc& a, const Lc& b);
snark::Variable logical_xor(snark::ConstraintSystem& cs, const Lc& a, const Lc& b);
Lc logical_not(const Lc& a);

}  // namespace zkamm::circuit
