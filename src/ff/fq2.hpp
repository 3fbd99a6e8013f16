#pragma once
// Fq2 = Fq[u]/(u^2 + 1), the field of BN254's G2 coordinates (EIP-197's encoding).
// Multiplication is Karatsuba, squaring the complex method (Devegili, O hEigeartaigh, Scott,
// Dahab, "Multiplication and Squaring on Pairing-Friendly Fields", ePrint 2006/471).
#include <optional>

#include "ff/bn254.hpp"

namespace zkamm::ff {

struct Fq2 {
  Fq c0, c1;  // c0 + c1 * u

  constexpr Fq2() noexcept = default;
  constexpr Fq2(const Fq& a0, const Fq& a1) noexcept : c0(a0), c1(a1) {}

  static constexpr Fq2 zero() noexcept { return Fq2{}; }
  static constexpr Fq2 one() noexcept { return Fq2{Fq::one(), Fq::zero()}; }
  /// The non-residue xi = 9 + u that defines Fq6 (and the twist b' = 3 / xi).
  static constexpr Fq2 xi() noexcept { return Fq2{Fq::from_u64(9), Fq::one()}; }

  template <class Rng>
  static Fq2 random(Rng& rng) {
    const Fq a = Fq::random(rng);
    return Fq2{a, Fq::random(rng)};
  }

  constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
  constexpr bool is_one() const noexcept { return c0.is_one() && c1.is_zero(); }
  friend constexpr bool operator==(const Fq2& a, const Fq2& b) noexcept { return a.c0 == b.c0 && a.c1 == b.c1; }

  friend constexpr Fq2 operator+(const Fq2& a, const Fq2& b) noexcept { return Fq2{a.c0 + b.c0, a.c1 + b.c1}; }
  friend constexpr Fq2 operator-(const Fq2& a, const Fq2& b) noexcept { return Fq2{a.c0 - b.c0, a.c1 - b.c1}; }
  constexpr Fq2 operator-() const noexcept { return Fq2{-c0, -c1}; }
  friend constexpr Fq2 operator*(const Fq2& a, const Fq2& b) noexcept {
    const Fq v0 = a.c0 * b.c0;
    const Fq v1 = a.c1 * b.c1;
    return Fq2{v0 - v1, (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1};
  }
  /// Multiplication by an element of the base field.
  friend constexpr Fq2 operator*(const Fq2& a, const Fq& b) noexcept { return Fq2{a.c0 * b, a.c1 * b}; }
  constexpr Fq2& operator+=(const Fq2& b) noexcept { return *this = *this + b; }
  constexpr Fq2& operator-=(const Fq2& b) noexcept { return *this = *this - b; }
  constexpr Fq2& operator*=(const Fq2& b) noexcept { return *this = *this * b; }

  constexpr Fq2 dbl() const noexcept { return Fq2{c0.dbl(), c1.dbl()}; }
  constexpr Fq2 square() const noexcept {
    const Fq t = c0 * c1;
    return Fq2{(c0 + c1) * (c0 - c1), t.dbl()};
  }
  /// Multiplication by xi = 9 + u: (a0 + a1 u)(9 + u) = (9 a0 - a1) + (a0 + 9 a1) u.
  constexpr Fq2 mul_by_xi() const noexcept {
    const Fq t0 = c0.dbl().dbl().dbl() + c0;
    const Fq t1 = c1.dbl().dbl().dbl() + c1;
    return Fq2{t0 - c1, c0 + t1};
  }
  /// The q-power Frobenius (complex conjugation, since u^q = -u).
  constexpr Fq2 conjugate() const noexcept { return Fq2{c0, -c1}; }
  /// Norm c0^2 + c1^2 down to Fq.
  constexpr Fq norm() const noexcept { return c0.square() + c1.square(); }
  /// Multiplicative inverse; the inverse of zero is zero.
  constexpr Fq2 inverse() const noexcept {
    const Fq t = norm().inverse();
    return Fq2{c0 * t, -(c1 * t)};
  }
  /// this^e for a plain exponent.
  constexpr Fq2 pow(const U256& e) const noexcept {
    Fq2 result = one();
    for (int i = static_cast<int>(bit_length(e)) - 1; i >= 0; --i) {
      result = result.square();
      if (test_bit(e, static_cast<unsigned>(i))) result *= *this;
    }
    return result;
  }
  /// A square root (Adj, Rodriguez-Henriquez, "Square root computation over even extension
  /// fields", ePrint 2012/685, Algorithm 9, valid as q = 3 mod 4); nullopt for a non-square.
  std::optional<Fq2> sqrt() const noexcept {
    if (is_zero()) return *this;
    U256 e{};  // (q - 3) / 4
    sub_with_borrow(e, Fq::kModulus, U256{3, 0, 0, 0});
    e = shift_right(e, 2);
    const Fq2 a1 = pow(e);
    const Fq2 alpha = a1.square() * *this;
    const Fq2 x0 = a1 * *this;
    Fq2 x;
    if (alpha == -one()) {
      x = Fq2{-x0.c1, x0.c0};  // u * x0
    } else {
      U256 h{};  // (q - 1) / 2
      sub_with_borrow(h, Fq::kModulus, U256{1, 0, 0, 0});
      h = shift_right(h, 1);
      x = (alpha + one()).pow(h) * x0;
    }
    if (!(x.square() == *this)) return std::nullopt;
    return x;
  }
};

}  // namespace zkamm::ff
