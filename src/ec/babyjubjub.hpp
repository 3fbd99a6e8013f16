#pragma once
// Baby Jubjub: the twisted Edwards curve a*x^2 + y^2 = 1 + d*x^2*y^2 over the BN254 scalar field
// with a = 168700, d = 168696 (EIP-2494, https://eips.ethereum.org/EIPS/eip-2494; circomlib
// babyjub.circom / circomlibjs babyjub.js). Order 8*l; Base8 generates the prime-order subgroup.
// Points are kept in extended coordinates (X:Y:T:Z), x = X/Z, y = Y/Z, x*y = T/Z (Hisil, Wong,
// Carter, Dawson, "Twisted Edwards Curves Revisited", ASIACRYPT 2008); the addition law is
// complete because a is a square and d is not.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

#include "ff/bn254.hpp"

namespace zkamm::ec {

/// The curve coefficients a and d (EIP-2494), for the circuit gadgets (added by gadgets-b).
inline constexpr uint64_t kBabyJubA = 168700;
inline constexpr uint64_t kBabyJubD = 168696;

/// The prime order l of Baby Jubjub's large subgroup (EIP-2494).
struct BabyJubScalarSpec {
  // l = 2736030358979909402780800718157159386076813972158567259200215660948447373041
  static constexpr ff::U256 kModulus{0x677297dc392126f1ULL, 0xab3eedb83920ee0aULL, 0x370a08b6d0302b0bULL,
                                     0x060c89ce5c263405ULL};
};
/// Scalars modulo l (EdDSA's r, S, private scalars).
using BabyJubScalar = ff::Fp<BabyJubScalarSpec>;

struct BabyJubAffine {
  ff::Fr x;
  ff::Fr y;

  /// The neutral element (0, 1).
  static BabyJubAffine identity() noexcept { return {ff::Fr::zero(), ff::Fr::one()}; }
  /// circomlib's Generator (order 8*l).
  static BabyJubAffine generator() noexcept;
  /// circomlib's Base8 = 8 * Generator (order l): the base of keys and signatures.
  static BabyJubAffine base8() noexcept;

  bool is_identity() const noexcept { return x.is_zero() && y.is_one(); }
  bool is_on_curve() const noexcept;
  /// On the curve and l * P == O.
  bool is_in_subgroup() const noexcept;
  /// On the curve and 8 * P == O (the eight points of the cofactor torsion, identity included).
  bool has_small_order() const noexcept;
  BabyJubAffine operator-() const noexcept { return {-x, y}; }
  friend bool operator==(const BabyJubAffine&, const BabyJubAffine&) = default;
};

/// A point in extended twisted Edwards coordinates.
class BabyJubPoint {
 public:
  BabyJubPoint() noexcept : x_(ff::Fr::zero()), y_(ff::Fr::one()), t_(ff::Fr::zero()), z_(ff::Fr::one()) {}
  explicit BabyJubPoint(const BabyJubAffine& p) noexcept : x_(p.x), y_(p.y), t_(p.x * p.y), z_(ff::Fr::one()) {}

  static BabyJubPoint identity() noexcept { return {}; }

  /// Complete addition (add-2008-hwcd).
  friend BabyJubPoint operator+(const BabyJubPoint& p, const BabyJubPoint& q) noexcept;
  BabyJubPoint& operator+=(const BabyJubPoint& q) noexcept { return *this = *this + q; }
  /// Doubling (dbl-2008-hwcd); valid for every point.
  BabyJubPoint dbl() const noexcept;
  BabyJubPoint operator-() const noexcept;
  friend BabyJubPoint operator-(const BabyJubPoint& p, const BabyJubPoint& q) noexcept { return p + (-q); }

  /// scalar * this for any 256-bit scalar (not reduced: the cofactor part matters off the subgroup).
  BabyJubPoint mul(const ff::U256& scalar) const noexcept;

  bool is_identity() const noexcept { return x_.is_zero() && y_ == z_; }
  /// Projective equality.
  friend bool operator==(const BabyJubPoint& p, const BabyJubPoint& q) noexcept {
    return p.x_ * q.z_ == q.x_ * p.z_ && p.y_ * q.z_ == q.y_ * p.z_;
  }
  BabyJubAffine to_affine() const noexcept;

 private:
  friend struct BabyJubBase8Table;
  ff::Fr x_, y_, t_, z_;
};

/// scalar * P (circomlibjs mulPointEscalar); any 256-bit scalar.
BabyJubAffine mul(const BabyJubAffine& p, const ff::U256& scalar) noexcept;
/// P + Q (circomlibjs addPoint).
BabyJubAffine add(const BabyJubAffine& p, const BabyJubAffine& q) noexcept;

/// scalar * Base8 with a precomputed fixed-base table (built on first use); any 256-bit scalar.
BabyJubPoint mul_base8(const ff::U256& scalar) noexcept;

/// a * Base8 + b * Q (the verification equation's two products), interleaved doublings.
BabyJubPoint mul_base8_add(const ff::U256& a, const BabyJubAffine& q, const ff::U256& b) noexcept;

/// circomlibjs packPoint: y as 32 little-endian bytes, bit 255 set when x > (r-1)/2.
std::array<uint8_t, 32> pack_point(const BabyJubAffine& p) noexcept;

/// circomlibjs unpackPoint, stricter: rejects y >= r (circomlibjs accepts y == r and reduces),
/// y with no x on the curve, and x == 0 (circomlibjs rejects it too: its Euler test fails on 0,
/// so the identity and (0, -1) do not unpack). Returns the point whose x has the packed sign.
std::optional<BabyJubAffine> unpack_point(const uint8_t* in32) noexcept;
/// unpack_point for each in[i] (32 readable bytes each) into out[i]; out.size() == in.size().
/// The denominators share one inversion (Montgomery's trick), so each point costs about one square
/// root instead of a square root and an inversion.
void unpack_points(std::span<const uint8_t* const> in, std::span<std::optional<BabyJubAffine>> out) noexcept;

}  // namespace zkamm::ec
