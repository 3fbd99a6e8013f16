#pragma once
// Short Weierstrass curves y^2 = x^3 + b (a = 0) over a field F: one implementation shared by
// BN254's G1 (over Fq) and G2 (over Fq2). Cfg supplies `using Field`, `static Field b()`,
// `static Field generator_x()/generator_y()` and `static bool in_subgroup(const AffinePoint<Cfg>&)`.
// Jacobian formulas from the Explicit-Formulas Database (hyperelliptic.org/EFD, g1p/shortw-jacobian-0):
// add-2007-bl, madd-2007-bl and dbl-2009-l, made complete by branching on the special cases.
#include <cstddef>
#include <span>
#include <vector>

#include "ff/bn254.hpp"

namespace zkamm::ec {

using ff::Fq;
using ff::Fr;
using ff::U256;

/// Affine point; default-constructed = the point at infinity.
template <class Cfg>
struct AffinePoint {
  using Field = typename Cfg::Field;
  Field x{}, y{};
  bool infinity = true;

  constexpr AffinePoint() noexcept = default;
  constexpr AffinePoint(const Field& px, const Field& py) noexcept : x(px), y(py), infinity(false) {}

  static constexpr AffinePoint identity() noexcept { return AffinePoint{}; }
  static constexpr AffinePoint generator() noexcept { return AffinePoint{Cfg::generator_x(), Cfg::generator_y()}; }

  constexpr bool is_identity() const noexcept { return infinity; }
  /// True for the point at infinity and for (x, y) with y^2 = x^3 + b.
  constexpr bool is_on_curve() const noexcept {
    if (infinity) return true;
    return y.square() == x.square() * x + Cfg::b();
  }
  /// On the curve and in the order-r subgroup.
  bool is_in_subgroup() const noexcept { return is_on_curve() && (infinity || Cfg::in_subgroup(*this)); }

  constexpr AffinePoint operator-() const noexcept {
    if (infinity) return *this;
    return AffinePoint{x, -y};
  }
  friend constexpr bool operator==(const AffinePoint& a, const AffinePoint& b) noexcept {
    if (a.infinity || b.infinity) return a.infinity == b.infinity;
    return a.x == b.x && a.y == b.y;
  }
};

/// Jacobian point (X / Z^2, Y / Z^3); Z = 0 is the identity.
template <class Cfg>
struct JacobianPoint {
  using Field = typename Cfg::Field;
  using Affine = AffinePoint<Cfg>;
  Field x{}, y{}, z{};

  constexpr JacobianPoint() noexcept : x(Field::one()), y(Field::one()), z() {}
  constexpr JacobianPoint(const Field& px, const Field& py, const Field& pz) noexcept : x(px), y(py), z(pz) {}
  constexpr explicit JacobianPoint(const Affine& a) noexcept
      : x(a.infinity ? Field::one() : a.x), y(a.infinity ? Field::one() : a.y), z(a.infinity ? Field() : Field::one()) {}

  static constexpr JacobianPoint identity() noexcept { return JacobianPoint{}; }
  static constexpr JacobianPoint generator() noexcept { return JacobianPoint{Affine::generator()}; }

  constexpr bool is_identity() const noexcept { return z.is_zero(); }

  constexpr JacobianPoint operator-() const noexcept { return JacobianPoint{x, -y, z}; }

  /// dbl-2009-l (2M + 5S); the identity doubles to itself (Z3 = 2 Y1 Z1 = 0).
  constexpr JacobianPoint dbl() const noexcept {
    const Field a = x.square();
    const Field b = y.square();
    const Field c = b.square();
    const Field d = ((x + b).square() - a - c).dbl();
    const Field e = a.dbl() + a;
    const Field f = e.square();
    JacobianPoint r;
    r.x = f - d.dbl();
    r.y = e * (d - r.x) - c.dbl().dbl().dbl();
    r.z = (y * z).dbl();
    return r;
  }

  /// add-2007-bl (11M + 5S), complete: identity, equal points and inverses are handled.
  friend constexpr JacobianPoint operator+(const JacobianPoint& p, const JacobianPoint& q) noexcept {
    if (p.is_identity()) return q;
    if (q.is_identity()) return p;
    const Field z1z1 = p.z.square();
    const Field z2z2 = q.z.square();
    const Field u1 = p.x * z2z2;
    const Field u2 = q.x * z1z1;
    const Field s1 = p.y * q.z * z2z2;
    const Field s2 = q.y * p.z * z1z1;
    const Field h = u2 - u1;
    const Field rr = (s2 - s1).dbl();
    if (h.is_zero()) {
      if (rr.is_zero()) return p.dbl();
      return identity();
    }
    const Field i = h.dbl().square();
    const Field j = h * i;
    const Field v = u1 * i;
    JacobianPoint r;
    r.x = rr.square() - j - v.dbl();
    r.y = rr * (v - r.x) - (s1 * j).dbl();
    r.z = ((p.z + q.z).square() - z1z1 - z2z2) * h;
    return r;
  }
  constexpr JacobianPoint& operator+=(const JacobianPoint& q) noexcept { return *this = *this + q; }
  friend constexpr JacobianPoint operator-(const JacobianPoint& p, const JacobianPoint& q) noexcept { return p + (-q); }
  constexpr JacobianPoint& operator-=(const JacobianPoint& q) noexcept { return *this = *this + (-q); }

  /// madd-2007-bl (7M + 4S): this + q with q affine; complete.
  constexpr JacobianPoint add_mixed(const Affine& q) const noexcept {
    if (q.infinity) return *this;
    if (is_identity()) return JacobianPoint{q};
    const Field z1z1 = z.square();
    const Field u2 = q.x * z1z1;
    const Field s2 = q.y * z * z1z1;
    const Field h = u2 - x;
    const Field rr = (s2 - y).dbl();
    if (h.is_zero()) {
      if (rr.is_zero()) return dbl();
      return identity();
    }
    const Field hh = h.square();
    const Field i = hh.dbl().dbl();
    const Field j = h * i;
    const Field v = x * i;
    JacobianPoint r;
    r.x = rr.square() - j - v.dbl();
    r.y = rr * (v - r.x) - (y * j).dbl();
    r.z = (z + h).square() - z1z1 - hh;
    return r;
  }
  constexpr JacobianPoint& operator+=(const Affine& q) noexcept { return *this = add_mixed(q); }

  /// [k] this for a plain (non-Montgomery) scalar, any 256-bit value; fixed 4-bit window.
  JacobianPoint mul(const U256& k) const noexcept {
    JacobianPoint table[16];
    table[0] = identity();
    table[1] = *this;
    for (int i = 2; i < 16; ++i) table[i] = (i % 2 == 0) ? table[i / 2].dbl() : table[i - 1] + *this;
    JacobianPoint acc = identity();
    const int top = (static_cast<int>(ff::bit_length(k)) + 3) / 4;
    for (int w = top - 1; w >= 0; --w) {
      acc = acc.dbl().dbl().dbl().dbl();
      const unsigned digit = static_cast<unsigned>(k[static_cast<size_t>(w) / 16] >> ((w % 16) * 4)) & 15;
      if (digit != 0) acc += table[digit];
    }
    return acc;
  }
  friend JacobianPoint operator*(const JacobianPoint& p, const Fr& k) noexcept { return p.mul(k.to_canonical()); }
  friend JacobianPoint operator*(const Fr& k, const JacobianPoint& p) noexcept { return p.mul(k.to_canonical()); }

  /// Affine form; one field inversion.
  constexpr Affine to_affine() const noexcept {
    if (is_identity()) return Affine{};
    const Field zi = z.inverse();
    const Field zi2 = zi.square();
    return Affine{x * zi2, y * zi2 * zi};
  }

  /// out[i] = in[i].to_affine() with one shared inversion (Montgomery's trick); equal sizes.
  static void batch_to_affine(std::span<const JacobianPoint> in, std::span<Affine> out) {
    const size_t n = in.size() < out.size() ? in.size() : out.size();
    if (n == 0) return;
    std::vector<Field> prefix(n);
    Field acc = Field::one();
    for (size_t i = 0; i < n; ++i) {
      prefix[i] = acc;
      if (!in[i].is_identity()) acc *= in[i].z;
    }
    Field inv = acc.inverse();
    for (size_t i = n; i-- > 0;) {
      const JacobianPoint& p = in[i];
      if (p.is_identity()) {
        out[i] = Affine{};
        continue;
      }
      const Field zi = inv * prefix[i];
      inv *= p.z;
      const Field zi2 = zi.square();
      out[i] = Affine{p.x * zi2, p.y * zi2 * zi};
    }
  }

  /// Projective equality: compares X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3.
  friend constexpr bool operator==(const JacobianPoint& p, const JacobianPoint& q) noexcept {
    const bool pi = p.is_identity(), qi = q.is_identity();
    if (pi || qi) return pi == qi;
    const Field z1z1 = p.z.square();
    const Field z2z2 = q.z.square();
    if (!(p.x * z2z2 == q.x * z1z1)) return false;
    return p.y * z2z2 * q.z == q.y * z1z1 * p.z;
  }
};

}  // namespace zkamm::ec
