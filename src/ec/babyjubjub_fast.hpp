#pragma once
// Fast Baby Jubjub arithmetic for EdDSA verification.
//
// Internally the curve a*x^2 + y^2 = 1 + d*x^2*y^2 (a = 168700) is mapped to the isomorphic
// curve -u^2 + y^2 = 1 + d'*u^2*y^2 with u = sqrt(-a)*x and d' = -d/a (Bernstein, Birkner, Joye,
// Lange, Peters, "Twisted Edwards Curves", AFRICACRYPT 2008, section 3: twisted Edwards curves
// whose a-ratio is a square are isomorphic; -a is a square in Fr because r = 1 mod 4 and a is a
// square). The a = -1 form admits the fastest extended-coordinate formulas (Hisil, Wong, Carter,
// Dawson, "Twisted Edwards Curves Revisited", ASIACRYPT 2008: add-2008-hwcd-3, dbl-2008-hwcd);
// they stay complete because -1 is a square and d' (= d/a up to the square -1) is not.
//
// Verification shortens the variable-base scalars to ~126 bits with a half extended Euclid on
// (l, k) (Antipa, Brown, Gallant, Lambert, Struik, Vanstone, "Accelerated Verification of ECDSA
// Signatures", SAC 2005; Pornin, "Optimized Lattice Basis Reduction In Dimension 2, and Fast
// Schnorr and EdDSA Signature Verification", eprint 2020/454), then runs one Straus loop with
// width-5 wNAF for the variable points and width-8 wNAF tables for Base8 and 2^126*Base8.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "ec/babyjubjub.hpp"

namespace zkamm::ec {

/// A signed integer |mag| * (neg ? -1 : 1) with mag < 2^256.
struct BabyJubSigned {
  ff::U256 mag{};
  bool neg = false;
};

/// A short relation c*k == d (mod l) with c odd and |c|, |d| < 2^130 (mostly < 2^126).
struct BabyJubShortRelation {
  BabyJubSigned c;
  BabyJubSigned d;
};

/// For k < l: a short relation from the half extended Euclidean algorithm on (l, k), or nullopt
/// in the rare case that no candidate is short and odd (callers fall back to c = 1, d = k).
std::optional<BabyJubShortRelation> babyjub_short_relation(const ff::U256& k) noexcept;

/// u*Base8 + c*P + d*Q (any u < 2^256, |c|, |d| < 2^255; P, Q on the curve), by the fast path.
/// For tests and tools; verification uses babyjub_verify_equation.
BabyJubAffine babyjub_lincomb(const ff::U256& u, const BabyJubSigned& c, const BabyJubAffine& p,
                              const BabyJubSigned& d, const BabyJubAffine& q) noexcept;

/// scalar * P by width-5 wNAF in the a = -1 model; any scalar < 2^255, P on the curve.
BabyJubAffine babyjub_mul_wnaf(const BabyJubAffine& p, const ff::U256& scalar) noexcept;

/// Whether Base8*s == r8 + (8*a)*hm holds exactly (as points, torsion included).
/// Preconditions: a and r8 on the curve, s < l; hm any 256-bit value.
bool babyjub_verify_equation(const BabyJubAffine& a, const BabyJubAffine& r8, const ff::U256& s,
                             const ff::U256& hm) noexcept;

/// A public key prepared for repeated verification (6 KiB): odd multiples 1..31 of
/// 2^(63*j) * (8*A), j = 0..3, affine, in the a = -1 model. With them (and the same split of
/// Base8, built once) the check needs one Straus loop of 63 doublings over eight 63-bit scalar
/// quarters, no short relation (a fixed-base split in the manner of Lim and Lee, CRYPTO 1994).
/// Building one costs about three verifications, so it pays for keys that sign repeatedly.
class BabyJubPreparedKey {
 public:
  /// Precondition: a is on the curve.
  explicit BabyJubPreparedKey(const BabyJubAffine& a);
  const BabyJubAffine& key() const noexcept { return a_; }
  /// 8*A == O (A of small order).
  bool has_small_order() const noexcept { return small_; }

 private:
  friend bool babyjub_verify_equation(const BabyJubPreparedKey&, const BabyJubAffine&, const ff::U256&,
                                      const ff::U256&) noexcept;
  BabyJubAffine a_;
  bool small_ = false;
  std::vector<std::array<ff::Fr, 3>> table_;  // 4 x 16 entries (y - u, y + u, 2d'uy)
};

/// babyjub_verify_equation with a prepared key; same answers. Preconditions: r8 on the curve,
/// s < l.
bool babyjub_verify_equation(const BabyJubPreparedKey& a, const BabyJubAffine& r8, const ff::U256& s,
                             const ff::U256& hm) noexcept;

}  // namespace zkamm::ec
