#pragma once
// EdDSA-Poseidon signature verification over Baby Jubjub in-circuit: circomlib's
// EdDSAPoseidonVerifier (eddsaposeidon.circom) semantics, made strict. With enabled = 1 it
// enforces exactly
//   A and R8 on the curve,  8*A != O,  8*R8 != O,  S < l (S's 251 bits compared with l - 1),
//   hm = Poseidon(R8.x, R8.y, A.x, A.y, M) taken as an integer < r (strict 254-bit decomposition),
//   S * Base8 == R8 + hm * (8 * A),
// which is circomlibjs verifyPoseidon's equation (Base8*S == R8 + A*(8*hm)) plus the small-order
// rejections of hash::eddsa_verify_poseidon. We keep circomlib's equation rather than the fully
// cofactored 8*S*Base8 == 8*R8 + 8*hm*A: the latter also accepts R8 + T for any torsion point T
// (malleable signatures) and needs three more doublings.
// With enabled = 0 only the on-curve and S < l checks remain (padding slots use any valid point).
#include "circuit/babyjubjub_gadget.hpp"

namespace zkamm::circuit {

struct EddsaSignatureExpr {
  PointExpr r8;
  Lc s;
};

/// Enforces a valid signature of msg under public key a when enabled = 1. Precondition: enabled
/// is constrained boolean (a constant 1 by default).
void eddsa_poseidon_verify(snark::ConstraintSystem& cs, const PointExpr& a, const Lc& msg,
                           const EddsaSignatureExpr& sig, const Lc& enabled = Lc::constant(1));

}  // namespace zkamm::circuit
