#pragma once
// Prime fields with a 4-limb modulus below 2^254, in Montgomery form (R = 2^256).
// Multiplication is CIOS (Koc, Acar, Kaliski, "Analyzing and Comparing Montgomery
// Multiplication Algorithms", IEEE Micro 1996) with the final-carry skip that is valid when the
// modulus' top limb is below 2^63 - 1 (the "no-carry" variant used by gnark-crypto).
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ff/uint256.hpp"

namespace zkamm::ff {

/// Constants derived at compile time from a modulus; Spec supplies `static constexpr U256 kModulus`.
template <class Spec>
struct MontgomeryConstants {
  static constexpr U256 kModulus = Spec::kModulus;
  static_assert(kModulus[3] < 0x3fffffffffffffffULL, "modulus must be below 2^254 (lazy-add headroom)");
  static_assert((kModulus[0] & 1) == 1, "modulus must be odd");

  /// -p^-1 mod 2^64 by Newton iteration (each step doubles the correct low bits).
  static constexpr uint64_t compute_inv() {
    uint64_t inv = 1;
    for (int i = 0; i < 7; ++i) inv *= 2 - kModulus[0] * inv;
    return ~inv + 1;
  }

  /// 2^k mod p for k <= 512, by repeated doubling (compile time only).
  static constexpr U256 pow2_mod(unsigned k) {
    U256 x{1, 0, 0, 0};
    for (unsigned i = 0; i < k; ++i) {
      U256 d{};
      add_with_carry(d, x, x);  // x < p < 2^254, so no carry out
      U256 t{};
      if (sub_with_borrow(t, d, kModulus) == 0) d = t;
      x = d;
    }
    return x;
  }

  static constexpr uint64_t kInv = compute_inv();
  static constexpr U256 kR = pow2_mod(256);
  static constexpr U256 kR2 = pow2_mod(512);
};

template <class Spec>
class Fp {
  using C = MontgomeryConstants<Spec>;

 public:
  static constexpr U256 kModulus = C::kModulus;
  static constexpr unsigned kBits = bit_length(kModulus);

  constexpr Fp() noexcept = default;

  static constexpr Fp zero() noexcept { return Fp{}; }
  static constexpr Fp one() noexcept { return from_raw(C::kR); }
  static constexpr Fp from_u64(uint64_t v) noexcept { return from_canonical_unchecked(U256{v, 0, 0, 0}); }

  /// Wraps limbs already in Montgomery form (as stored by from_raw/raw round trips).
  static constexpr Fp from_raw(const U256& montgomery) noexcept {
    Fp f;
    f.v_ = montgomery;
    return f;
  }
  constexpr const U256& raw() const noexcept { return v_; }

  /// v < p (caller guarantees canonical input).
  static constexpr Fp from_canonical_unchecked(const U256& v) noexcept {
    Fp f;
    mul_mont(f.v_, v, C::kR2);
    return f;
  }
  /// Rejects non-canonical encodings (v >= p).
  static constexpr std::optional<Fp> from_canonical(const U256& v) noexcept {
    if (!less_than(v, kModulus)) return std::nullopt;
    return from_canonical_unchecked(v);
  }
  /// Any 256-bit value, reduced mod p (for hashing into the field; never for decoding).
  static constexpr Fp from_u256_reduced(U256 v) noexcept {
    while (!less_than(v, kModulus)) sub_with_borrow(v, v, kModulus);
    return from_canonical_unchecked(v);
  }
  static std::optional<Fp> from_decimal(std::string_view s) noexcept {
    auto v = parse_u256(s);
    if (!v) return std::nullopt;
    return from_canonical(*v);
  }
  static std::optional<Fp> from_bytes_be(const uint8_t* in32) noexcept { return from_canonical(ff::from_bytes_be(in32)); }
  static std::optional<Fp> from_bytes_le(const uint8_t* in32) noexcept { return from_canonical(ff::from_bytes_le(in32)); }

  constexpr U256 to_canonical() const noexcept {
    U256 out{};
    mul_mont(out, v_, U256{1, 0, 0, 0});
    return out;
  }
  std::string to_decimal() const { return ff::to_decimal(to_canonical()); }
  void to_bytes_be(uint8_t* out32) const noexcept { ff::to_bytes_be(to_canonical(), out32); }
  void to_bytes_le(uint8_t* out32) const noexcept { ff::to_bytes_le(to_canonical(), out32); }

  /// Uniform element from a 64-bit uniform random bit generator, by rejection sampling.
  template <class Rng>
  static Fp random(Rng& rng) {
    for (;;) {
      U256 v{rng(), rng(), rng(), rng()};
      v[3] &= (kBits % 64 == 0) ? ~0ULL : ((1ULL << (kBits % 64)) - 1);
      if (less_than(v, kModulus)) return from_canonical_unchecked(v);
    }
  }

  constexpr bool is_zero() const noexcept { return ff::is_zero(v_); }
  constexpr bool is_one() const noexcept { return v_ == C::kR; }
  friend constexpr bool operator==(const Fp& a, const Fp& b) noexcept { return a.v_ == b.v_; }

  friend constexpr Fp operator+(const Fp& a, const Fp& b) noexcept {
    Fp r;
    add_with_carry(r.v_, a.v_, b.v_);
    reduce_once(r.v_);
    return r;
  }
  friend constexpr Fp operator-(const Fp& a, const Fp& b) noexcept {
    Fp r;
    if (sub_with_borrow(r.v_, a.v_, b.v_)) add_with_carry(r.v_, r.v_, kModulus);
    return r;
  }
  constexpr Fp operator-() const noexcept { return is_zero() ? *this : from_raw(sub_mod(kModulus, v_)); }
  friend constexpr Fp operator*(const Fp& a, const Fp& b) noexcept {
    Fp r;
    mul_mont(r.v_, a.v_, b.v_);
    return r;
  }
  constexpr Fp& operator+=(const Fp& b) noexcept { return *this = *this + b; }
  constexpr Fp& operator-=(const Fp& b) noexcept { return *this = *this - b; }
  constexpr Fp& operator*=(const Fp& b) noexcept { return *this = *this * b; }

  constexpr Fp dbl() const noexcept { return *this + *this; }
  constexpr Fp square() const noexcept { return *this * *this; }

  /// this^e for a plain (non-Montgomery) exponent.
  constexpr Fp pow(const U256& e) const noexcept {
    Fp result = one();
    for (int i = static_cast<int>(bit_length(e)) - 1; i >= 0; --i) {
      result = result.square();
      if (test_bit(e, static_cast<unsigned>(i))) result *= *this;
    }
    return result;
  }

  /// Multiplicative inverse by Fermat; the inverse of zero is defined as zero.
  constexpr Fp inverse() const noexcept {
    U256 e{};
    sub_with_borrow(e, kModulus, U256{2, 0, 0, 0});
    return pow(e);
  }

  /// 1 for a non-zero square, -1 (p-1) for a non-square, 0 for zero: this^((p-1)/2).
  constexpr Fp legendre() const noexcept {
    U256 e{};
    sub_with_borrow(e, kModulus, U256{1, 0, 0, 0});
    return pow(shift_right(e, 1));
  }

  /// A square root by Tonelli-Shanks (Cohen, "A Course in Computational Algebraic Number
  /// Theory", Alg. 1.5.1); nullopt for a non-square. Which of the two roots is unspecified.
  std::optional<Fp> sqrt() const noexcept {
    if (is_zero()) return *this;
    if (!legendre().is_one()) return std::nullopt;
    U256 q{};
    sub_with_borrow(q, kModulus, U256{1, 0, 0, 0});
    unsigned s = 0;
    while (!test_bit(q, 0)) {
      q = shift_right(q, 1);
      ++s;
    }
    const Fp z = non_residue();
    Fp c = z.pow(q);
    U256 q_plus_1_half{};
    add_with_carry(q_plus_1_half, q, U256{1, 0, 0, 0});
    Fp x = pow(shift_right(q_plus_1_half, 1));
    Fp t = pow(q);
    unsigned m = s;
    while (!t.is_one()) {
      unsigned i = 0;
      Fp t2 = t;
      while (!t2.is_one()) {
        t2 = t2.square();
        ++i;
      }
      Fp b = c;
      for (unsigned j = 0; j + i + 1 < m; ++j) b = b.square();
      m = i;
      c = b.square();
      t *= c;
      x *= b;
    }
    return x;
  }

  /// Inverts every non-zero element in place with one inversion (Montgomery's trick); zeros stay zero.
  static void batch_invert(std::span<Fp> xs) {
    if (xs.empty()) return;
    std::vector<Fp> prefix(xs.size());
    Fp acc = one();
    for (size_t i = 0; i < xs.size(); ++i) {
      prefix[i] = acc;
      if (!xs[i].is_zero()) acc *= xs[i];
    }
    Fp inv = acc.inverse();
    for (size_t i = xs.size(); i-- > 0;) {
      if (xs[i].is_zero()) continue;
      const Fp next = inv * xs[i];
      xs[i] = inv * prefix[i];
      inv = next;
    }
  }

  /// Montgomery product out = a * b * R^-1 mod p; a, b < p.
  static constexpr void mul_mont(U256& out, const U256& a, const U256& b) noexcept {
    uint64_t t[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) {
      uint128_t p = static_cast<uint128_t>(a[0]) * b[i] + t[0];
      uint64_t carry_a = static_cast<uint64_t>(p >> 64);
      t[0] = static_cast<uint64_t>(p);
      const uint64_t m = t[0] * C::kInv;
      p = static_cast<uint128_t>(m) * kModulus[0] + t[0];
      uint64_t carry_m = static_cast<uint64_t>(p >> 64);
      for (int j = 1; j < 4; ++j) {
        p = static_cast<uint128_t>(a[j]) * b[i] + t[j] + carry_a;
        carry_a = static_cast<uint64_t>(p >> 64);
        t[j] = static_cast<uint64_t>(p);
        p = static_cast<uint128_t>(m) * kModulus[j] + t[j] + carry_m;
        carry_m = static_cast<uint64_t>(p >> 64);
        t[j - 1] = static_cast<uint64_t>(p);
      }
      t[3] = carry_a + carry_m;
    }
    out = U256{t[0], t[1], t[2], t[3]};
    reduce_once(out);
  }

 private:
  static constexpr void reduce_once(U256& v) noexcept {
    U256 t{};
    if (sub_with_borrow(t, v, kModulus) == 0) v = t;
  }
  static constexpr U256 sub_mod(const U256& a, const U256& b) noexcept {
    U256 r{};
    sub_with_borrow(r, a, b);
    return r;
  }
  static Fp non_residue() noexcept {
    static const Fp z = [] {
      for (uint64_t k = 2;; ++k) {
        const Fp c = from_u64(k);
        if (!c.legendre().is_one()) return c;
      }
    }();
    return z;
  }

  U256 v_{};  // Montgomery form, always < p
};

}  // namespace zkamm::ff
