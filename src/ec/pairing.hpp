#pragma once
// The optimal ate pairing on BN254 (Vercauteren, "Optimal pairings", IEEE TIT 2010), with the
// loop, line functions and final exponentiation of Beuchat, Gonzalez-Diaz, Mitsunari, Okamoto,
// Rodriguez-Henriquez, Teruya, "High-Speed Software Implementation of the Optimal Ate Pairing
// over Barreto-Naehrig Curves", Pairing 2010 (ePrint 2010/354). The result is the value of
// e(P, Q)^(2x(6x^2 + 3x + 1)) that the Fuentes-Castaneda et al. hard part computes (as libff,
// arkworks and snarkjs/ffjavascript do): a non-degenerate bilinear pairing, so products and
// equalities of pairings are what they would be with the plain exponent.
#include <span>
#include <utility>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/fq12.hpp"

namespace zkamm::ec {

using ff::Fq12;

/// Miller loop f_{6x+2,Q}(P) times the two Frobenius lines; points at infinity give 1.
/// P on G1, Q in G2 (callers check subgroup membership when decoding).
Fq12 miller_loop(const G1Affine& p, const G2Affine& q) noexcept;
/// The product of the Miller loops of all pairs, sharing the squarings of f.
Fq12 multi_miller_loop(std::span<const std::pair<G1Affine, G2Affine>> pairs) noexcept;
/// f^((q^12 - 1) / r * 2x(6x^2 + 3x + 1)); f non-zero.
Fq12 final_exponentiation(const Fq12& f) noexcept;
/// e(P, Q).
Fq12 pairing(const G1Affine& p, const G2Affine& q) noexcept;
/// prod e(P_i, Q_i) == 1, with one final exponentiation (the EIP-197 check).
bool pairing_product_is_one(std::span<const std::pair<G1Affine, G2Affine>> pairs) noexcept;

}  // namespace zkamm::ec
