#pragma once
// Fq12 = Fq6[w]/(w^2 - v), the target group's field for the BN254 pairing. Squaring is the
// complex method; the Frobenius maps use gamma_k = xi^((q^k - 1) / 6), computed from the field
// at first use (w^(q^k) = gamma_k w, since w^6 = xi), rather than pasted constants.
// Cyclotomic squaring: Granger, Scott, "Faster Squaring in the Cyclotomic Subgroup of Sixth
// Degree Extensions", PKC 2010, section 3.2.
#include <array>

#include "ff/fq6.hpp"

namespace zkamm::ff {

struct Fq12 {
  Fq6 c0, c1;  // c0 + c1 w

  constexpr Fq12() noexcept = default;
  constexpr Fq12(const Fq6& a0, const Fq6& a1) noexcept : c0(a0), c1(a1) {}

  static constexpr Fq12 zero() noexcept { return Fq12{}; }
  static constexpr Fq12 one() noexcept { return Fq12{Fq6::one(), Fq6{}}; }

  template <class Rng>
  static Fq12 random(Rng& rng) {
    const Fq6 a = Fq6::random(rng);
    return Fq12{a, Fq6::random(rng)};
  }

  constexpr bool is_zero() const noexcept { return c0.is_zero() && c1.is_zero(); }
  constexpr bool is_one() const noexcept { return c0.is_one() && c1.is_zero(); }
  friend constexpr bool operator==(const Fq12& a, const Fq12& b) noexcept { return a.c0 == b.c0 && a.c1 == b.c1; }

  friend constexpr Fq12 operator+(const Fq12& a, const Fq12& b) noexcept { return Fq12{a.c0 + b.c0, a.c1 + b.c1}; }
  friend constexpr Fq12 operator-(const Fq12& a, const Fq12& b) noexcept { return Fq12{a.c0 - b.c0, a.c1 - b.c1}; }
  constexpr Fq12 operator-() const noexcept { return Fq12{-c0, -c1}; }
  friend constexpr Fq12 operator*(const Fq12& a, const Fq12& b) noexcept {
    const Fq6 t0 = a.c0 * b.c0;
    const Fq6 t1 = a.c1 * b.c1;
    return Fq12{t0 + t1.mul_by_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - t0 - t1};
  }
  constexpr Fq12& operator+=(const Fq12& b) noexcept { return *this = *this + b; }
  constexpr Fq12& operator-=(const Fq12& b) noexcept { return *this = *this - b; }
  constexpr Fq12& operator*=(const Fq12& b) noexcept { return *this = *this * b; }

  constexpr Fq12 square() const noexcept {
    const Fq6 ab = c0 * c1;
    const Fq6 t = (c0 + c1) * (c0 + c1.mul_by_v()) - ab - ab.mul_by_v();
    return Fq12{t, ab.dbl()};
  }
  /// this * (d0 + d3 w + d4 v w): the sparse shape of a D-twist line evaluated at a G1 point.
  constexpr Fq12 mul_by_034(const Fq2& d0, const Fq2& d3, const Fq2& d4) const noexcept {
    const Fq6 a = c0 * d0;
    const Fq6 b = c1.mul_by_01(d3, d4);
    const Fq6 e = (c0 + c1).mul_by_01(d0 + d3, d4);
    return Fq12{b.mul_by_v() + a, e - a - b};
  }
  /// f^(q^6): for unitary elements (after the easy part) this is the inverse.
  constexpr Fq12 conjugate() const noexcept { return Fq12{c0, -c1}; }
  /// Multiplicative inverse; the inverse of zero is zero.
  constexpr Fq12 inverse() const noexcept {
    const Fq6 t = (c0.square() - c1.square().mul_by_v()).inverse();
    return Fq12{c0 * t, -(c1 * t)};
  }
  /// this^e for a plain exponent.
  constexpr Fq12 pow(const U256& e) const noexcept {
    Fq12 result = one();
    for (int i = static_cast<int>(bit_length(e)) - 1; i >= 0; --i) {
      result = result.square();
      if (test_bit(e, static_cast<unsigned>(i))) result *= *this;
    }
    return result;
  }

  /// Squaring of an element of the cyclotomic subgroup (norm 1 over Fq6 and over Fq4): viewing
  /// Fq12 as Fq4[s]/(s^3 - w) with Fq4 = Fq2[w]/(w^2 - xi), Granger-Scott's 3 Fq4 squarings.
  Fq12 cyclotomic_square() const noexcept {
    // Coefficients in the w basis: z0 = c0.c0, z1 = c1.c0, z2 = c0.c1, z3 = c1.c1, z4 = c0.c2,
    // z5 = c1.c2; with t = w^3 (t^2 = xi) and s = w: A = z0 + z3 t, B = z1 + z4 t, C = z2 + z5 t.
    const Fq2 &z0 = c0.c0, &z1 = c1.c0, &z2 = c0.c1, &z3 = c1.c1, &z4 = c0.c2, &z5 = c1.c2;
    // Fq4 squaring: (a + b t)^2 = (a^2 + xi b^2) + 2ab t.
    auto fq4_square = [](const Fq2& a, const Fq2& b, Fq2& out0, Fq2& out1) noexcept {
      const Fq2 a2 = a.square();
      const Fq2 b2 = b.square();
      out0 = b2.mul_by_xi() + a2;
      out1 = (a + b).square() - a2 - b2;
    };
    Fq2 t0, t1, t2, t3, t4, t5;
    fq4_square(z0, z3, t0, t1);  // A^2
    fq4_square(z1, z4, t2, t3);  // B^2
    fq4_square(z2, z5, t4, t5);  // C^2
    // A' = 3 A^2 - 2 conj(A), B' = 3 t C^2 + 2 conj(B), C' = 3 B^2 - 2 conj(C).
    Fq12 r;
    r.c0.c0 = (t0 - z0).dbl() + t0;
    r.c1.c1 = (t1 + z3).dbl() + t1;
    const Fq2 t5x = t5.mul_by_xi();
    r.c1.c0 = (t5x + z1).dbl() + t5x;
    r.c0.c2 = (t4 - z4).dbl() + t4;
    r.c0.c1 = (t2 - z2).dbl() + t2;
    r.c1.c2 = (t3 + z5).dbl() + t3;
    return r;
  }

  /// The q^k-power Frobenius map, any k >= 0.
  Fq12 frobenius(unsigned k) const noexcept;
};

namespace detail {
/// gamma[k][i] = xi^(i (q^k - 1) / 6) for k = 1..3 (index k-1), i = 0..5.
struct FrobeniusTable {
  std::array<std::array<Fq2, 6>, 3> gamma;
};
inline const FrobeniusTable& frobenius_table() noexcept {
  static const FrobeniusTable table = [] {
    FrobeniusTable t{};
    U256 e{};  // (q - 1) / 6
    sub_with_borrow(e, Fq::kModulus, U256{1, 0, 0, 0});
    div_small(e, 6);
    const Fq2 g1 = Fq2::xi().pow(e);
    // xi^((q^(k+1) - 1)/6) = (xi^((q^k - 1)/6))^q * xi^((q - 1)/6), as q^(k+1) - 1 = q (q^k - 1) + (q - 1).
    Fq2 gk = g1;
    for (int k = 0; k < 3; ++k) {
      if (k > 0) gk = gk.conjugate() * g1;
      Fq2 acc = Fq2::one();
      for (int i = 0; i < 6; ++i) {
        t.gamma[static_cast<size_t>(k)][static_cast<size_t>(i)] = acc;
        acc *= gk;
      }
    }
    return t;
  }();
  return table;
}
}  // namespace detail

inline Fq12 Fq12::frobenius(unsigned k) const noexcept {
  k %= 12;
  Fq12 r = *this;
  while (k > 0) {
    const unsigned step = k >= 3 ? 3 : k;
    const auto& g = detail::frobenius_table().gamma[step - 1];
    auto f = [step](const Fq2& a) noexcept { return (step % 2 == 1) ? a.conjugate() : a; };
    // w basis: c0.c0 w^0, c1.c0 w^1, c0.c1 w^2, c1.c1 w^3, c0.c2 w^4, c1.c2 w^5.
    r = Fq12{Fq6{f(r.c0.c0), f(r.c0.c1) * g[2], f(r.c0.c2) * g[4]},
             Fq6{f(r.c1.c0) * g[1], f(r.c1.c1) * g[3], f(r.c1.c2) * g[5]}};
    k -= step;
  }
  return r;
}

}  // namespace zkamm::ff
