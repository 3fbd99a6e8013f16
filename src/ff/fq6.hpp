#pragma once
// Fq6 = Fq2[v]/(v^3 - xi), xi = 9 + u. Multiplication and squaring (CH-SQR2) from Devegili,
// O hEigeartaigh, Scott, Dahab, "Multiplication and Squaring on Pairing-Friendly Fields",
// ePrint 2006/471; inversion from Scott, "Implementing cryptographic pairings" (2007), sec. 3.
#include "ff/fq2.hpp"

namespace zkamm::ff {

struct Fq6 {
  Fq2 c0, c1, c2;  // c0 + c1 v + c2 v^2

  constexpr Fq6() noexcept = default;
  constexpr Fq6(const Fq2& a0, const Fq2& a1, const Fq2& a2) noexcept : c0(a0), c1(a1), c2(a2) {}

  static constexpr Fq6 zero() noexcept { return Fq6{}; }
  static constexpr Fq6 one() noexcept { return Fq6{Fq2::one(), Fq2{}, Fq2{}}; }

  template <class Rng>
  static Fq6 random(Rng& rng) {
    const Fq2 a = Fq2::random(rng);
    const Fq2 b = Fq2::random(rng);
    return Fq6{a, b, Fq2::random(rng)};
  }

  constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
  constexpr bool is_one() const noexcept { return c0.is_one() && c1.is_zero() && c2.is_zero(); }
  friend constexpr bool operator==(const Fq6& a, const Fq6& b) noexcept {
    return a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2;
  }

  friend constexpr Fq6 operator+(const Fq6& a, const Fq6& b) noexcept { return Fq6{a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2}; }
  friend constexpr Fq6 operator-(const Fq6& a, const Fq6& b) noexcept { return Fq6{a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2}; }
  constexpr Fq6 operator-() const noexcept { return Fq6{-c0, -c1, -c2}; }
  friend constexpr Fq6 operator*(const Fq6& a, const Fq6& b) noexcept {
    const Fq2 aa = a.c0 * b.c0;
    const Fq2 bb = a.c1 * b.c1;
    const Fq2 cc = a.c2 * b.c2;
    return Fq6{((a.c1 + a.c2) * (b.c1 + b.c2) - bb - cc).mul_by_xi() + aa,
               (a.c0 + a.c1) * (b.c0 + b.c1) - aa - bb + cc.mul_by_xi(),
               (a.c0 + a.c2) * (b.c0 + b.c2) - aa + bb - cc};
  }
  friend constexpr Fq6 operator*(const Fq6& a, const Fq2& b) noexcept { return Fq6{a.c0 * b, a.c1 * b, a.c2 * b}; }
  constexpr Fq6& operator+=(const Fq6& b) noexcept { return *this = *this + b; }
  constexpr Fq6& operator-=(const Fq6& b) noexcept { return *this = *this - b; }
  constexpr Fq6& operator*=(const Fq6& b) noexcept { return *this = *this * b; }

  constexpr Fq6 dbl() const noexcept { return Fq6{c0.dbl(), c1.dbl(), c2.dbl()}; }
  constexpr Fq6 square() const noexcept {
    const Fq2 s0 = c0.square();
    const Fq2 s1 = (c0 * c1).dbl();
    const Fq2 s2 = (c0 - c1 + c2).square();
    const Fq2 s3 = (c1 * c2).dbl();
    const Fq2 s4 = c2.square();
    return Fq6{s3.mul_by_xi() + s0, s4.mul_by_xi() + s1, s1 + s2 + s3 - s0 - s4};
  }
  /// Multiplication by v: (c0 + c1 v + c2 v^2) v = xi c2 + c0 v + c1 v^2.
  constexpr Fq6 mul_by_v() const noexcept { return Fq6{c2.mul_by_xi(), c0, c1}; }
  /// this * (b0 + b1 v), 5 Fq2 multiplications (sparse operand of the Miller loop's lines).
  constexpr Fq6 mul_by_01(const Fq2& b0, const Fq2& b1) const noexcept {
    const Fq2 aa = c0 * b0;
    const Fq2 bb = c1 * b1;
    return Fq6{((c1 + c2) * b1 - bb).mul_by_xi() + aa, (b0 + b1) * (c0 + c1) - aa - bb, (c0 + c2) * b0 - aa + bb};
  }
  /// this * (b1 v).
  constexpr Fq6 mul_by_1(const Fq2& b1) const noexcept { return Fq6{(c2 * b1).mul_by_xi(), c0 * b1, c1 * b1}; }
  /// Multiplicative inverse; the inverse of zero is zero.
  constexpr Fq6 inverse() const noexcept {
    const Fq2 t0 = c0.square() - (c1 * c2).mul_by_xi();
    const Fq2 t1 = c2.square().mul_by_xi() - c0 * c1;
    const Fq2 t2 = c1.square() - c0 * c2;
    const Fq2 d = c0 * t0 + (c2 * t1 + c1 * t2).mul_by_xi();
    const Fq2 di = d.inverse();
    return Fq6{t0 * di, t1 * di, t2 * di};
  }
};

}  // namespace zkamm::ff
