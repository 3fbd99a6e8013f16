#pragma once
// Baby Jubjub (twisted Edwards, a = 168700, d = 168696, EIP-2494) in-circuit: addition with the
// complete law (circomlib BabyAdd, 6 constraints), doubling (5), on-curve check (3), fixed-base
// multiplication with 3-bit windows of constant tables (9 constraints per 3 bits) and
// variable-base multiplication with 2-bit windows (22 constraints per 2 bits). The addition law is
// complete (a square, d non-square: Bernstein, Lange et al., "Twisted Edwards Curves",
// AFRICACRYPT 2008), so no exceptional case needs a branch and the identity (0, 1) is an ordinary
// point. Points are pairs of linear expressions over the builder's wires.
#include <span>
#include <vector>

#include "ec/babyjubjub.hpp"
#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

using Lc = snark::LinearExpr;

struct PointExpr {
  Lc x;
  Lc y;
};

/// A constant point (no wires).
PointExpr point_constant(const ec::BabyJubAffine& p);
/// The native value of a point expression under the current witness.
ec::BabyJubAffine point_value(const snark::ConstraintSystem& cs, const PointExpr& p);
/// Two fresh private wires holding p (unconstrained: the caller constrains them).
PointExpr alloc_point(snark::ConstraintSystem& cs, const ec::BabyJubAffine& p);

/// p + q; 6 constraints. Precondition: p and q on the curve (then the result is too).
PointExpr point_add(snark::ConstraintSystem& cs, const PointExpr& p, const PointExpr& q);
/// 2p; 5 constraints (the denominators use the curve equation). Precondition: p on the curve.
PointExpr point_double(snark::ConstraintSystem& cs, const PointExpr& p);
/// 8p (three doublings, 15 constraints). Precondition: p on the curve.
PointExpr point_mul_cofactor(snark::ConstraintSystem& cs, const PointExpr& p);
/// Enforces a*x^2 + y^2 = 1 + d*x^2*y^2; 3 constraints.
void assert_on_curve(snark::ConstraintSystem& cs, const PointExpr& p);
/// Enforces p.x != 0 when enabled = 1 (nothing when enabled = 0); 1 constraint. On the curve,
/// x = 0 only at (0, 1) and (0, -1); for p = 8q that means p is the identity.
void assert_x_nonzero(snark::ConstraintSystem& cs, const PointExpr& p, const Lc& enabled);

/// sum bits[i] * 2^i * p. Preconditions: every bits[i] is constrained boolean; p on the curve.
/// 22 constraints per 2 bits (11 for the 2p, 3p table, none for the top window's doubling).
PointExpr scalar_mul(snark::ConstraintSystem& cs, std::span<const snark::Variable> bits_le, const PointExpr& p);
/// sum bits[i] * 2^i * base for a constant base. Precondition: every bits[i] constrained boolean.
/// 9 constraints per 3-bit window (3 for the lookup, 6 for the addition; none for the first add).
PointExpr fixed_base_mul(snark::ConstraintSystem& cs, std::span<const snark::Variable> bits_le, const ec::BabyJubAffine& base);

}  // namespace zkamm::circuit
