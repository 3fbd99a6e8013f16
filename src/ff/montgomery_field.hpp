#pragma once
// Prime fields with a 4-limb modulus below 2^254, in Montgomery form (R = 2^256).
// Multiplication is CIOS (Koc, Acar, Kaliski, "Analyzing and Comparing Montgomery
// Multiplication Algorithms", IEEE Micro 1996) with the final-carry skip that is valid when the
// modulus' top limb is below 2^63 - 1 (the "no-carry" variant used by gnark-crypto).
#include <array>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ff/inverse_vartime.hpp"
#include "ff/uint256.hpp"

// The BMI2/ADX assembly needs mulx/adcx/adox (Intel Broadwell+, AMD Zen+); builds without
// -march support for them (e.g. ZKAMM_NATIVE=OFF on a generic x86-64) use the portable C++.
// Unoptimised builds use it too: clang at -O0 cannot find registers for the asm operands.
#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__) && defined(__OPTIMIZE__) && !defined(ZKAMM_FF_NO_ASM)
#define ZKAMM_FF_X86_CARRY 1
#endif

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

  /// 2^k mod p, by repeated doubling (compile time only).
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
  static constexpr U256 kR3 = pow2_mod(768);
  /// p^-1 mod 2^31 (for inverse_mod_vartime).
  static constexpr uint32_t kInv31 = static_cast<uint32_t>((0 - kInv) & 0x7fffffffULL);
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
#ifdef ZKAMM_FF_X86_CARRY
    if (!std::is_constant_evaluated()) {
      add_mod_x86(r.v_, a.v_, b.v_);
      return r;
    }
#endif
    add_with_carry(r.v_, a.v_, b.v_);
    reduce_once(r.v_);
    return r;
  }
  friend constexpr Fp operator-(const Fp& a, const Fp& b) noexcept {
    Fp r;
#ifdef ZKAMM_FF_X86_CARRY
    if (!std::is_constant_evaluated()) {
      sub_mod_x86(r.v_, a.v_, b.v_);
      return r;
    }
#endif
    if (sub_with_borrow(r.v_, a.v_, b.v_)) add_with_carry(r.v_, r.v_, kModulus);
    return r;
  }
  constexpr Fp operator-() const noexcept { return is_zero() ? *this : zero() - *this; }
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

  /// this^e for a plain (non-Montgomery) exponent; 4-bit fixed windows (Menezes et al.,
  /// "Handbook of Applied Cryptography", Alg. 14.82): ~n squarings + n/4 multiplications.
  constexpr Fp pow(const U256& e) const noexcept {
    const unsigned n = bit_length(e);
    if (n == 0) return one();
    std::array<Fp, 16> table{};
    table[0] = one();
    for (size_t i = 1; i < table.size(); ++i) table[i] = table[i - 1] * *this;
    Fp result = one();
    const unsigned top = (n - 1) / 4 * 4;
    for (unsigned i = top + 4; i-- > 0;) {
      if (i % 4 != 3) continue;
      const unsigned low = i - 3;  // window bits low..low+3
      if (low != top) result = result.square().square().square().square();
      unsigned window = 0;
      for (unsigned b = 4; b-- > 0;) window = window << 1 | (test_bit(e, low + b) ? 1u : 0u);
      if (window != 0) result *= table[window];
    }
    return result;
  }

  /// Multiplicative inverse by Fermat; the inverse of zero is defined as zero.
  constexpr Fp inverse() const noexcept {
    U256 e{};
    sub_with_borrow(e, kModulus, U256{2, 0, 0, 0});
    return pow(e);
  }

  /// The same by a variable-time binary GCD (ff/inverse_vartime.hpp, ~5x faster): only for
  /// values whose timing may leak (curve points of an MSM, not keys). Inverting the Montgomery
  /// form x R gives x^-1 R^-1, and one product with R^3 makes it x^-1 R; the result is checked
  /// by one more product and the slow inverse() taken if the check fails (never, in the tests).
  Fp inverse_vartime() const noexcept {
    if (is_zero()) return *this;
    U256 r;
    if (inverse_mod_vartime(v_, kModulus, C::kInv31, &r)) {
      const Fp inv = from_raw(r) * from_raw(C::kR3);
      if ((inv * *this).is_one()) return inv;
    }
    return inverse();
  }

  /// 1 for a non-zero square, -1 (p-1) for a non-square, 0 for zero: this^((p-1)/2).
  constexpr Fp legendre() const noexcept {
    U256 e{};
    sub_with_borrow(e, kModulus, U256{1, 0, 0, 0});
    return pow(shift_right(e, 1));
  }

  /// A square root by Tonelli-Shanks (Cohen, "A Course in Computational Algebraic Number
  /// Theory", Alg. 1.5.1); nullopt for a non-square. Which of the two roots is unspecified.
  /// One exponentiation: a^((q-1)/2) gives both x = a^((q+1)/2) and t = a^q; a non-square shows
  /// as t of order 2^s, so no separate Legendre symbol is computed.
  std::optional<Fp> sqrt() const noexcept {
    if (is_zero()) return *this;
    static const SqrtConstants k = sqrt_constants();
    // A non-residue to the q-th power: a generator of the 2^s-th roots of unity.
    static const Fp z_pow_q = non_residue().pow(k.q);
    const Fp w = pow(k.q_minus_1_half);
    Fp x = *this * w;
    Fp t = x * w;
    Fp c = z_pow_q;
    unsigned m = k.two_adicity;
    while (!t.is_one()) {
      unsigned i = 0;
      Fp t2 = t;
      while (!t2.is_one()) {
        t2 = t2.square();
        if (++i == m) return std::nullopt;  // t has order 2^m: this is not a square
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

  /// Lazy reduction for dot products: sum_k a_k * b_k accumulated as one 512-bit integer, then
  /// a single Montgomery reduction instead of one per product. Operands are below p, so n terms
  /// sum below n * p^2; one reduction of a value below p * 2^256 ends below 2p (one subtraction).
  /// p < (p_3 + 1) * 2^192 with p_3 the top limb, so n <= (2^64 - 1) / (p_3 + 1) terms keep
  /// n * p below 2^256: 5 for both BN254 fields.
  static constexpr unsigned kMaxLazyTerms = static_cast<unsigned>(~uint64_t{0} / (kModulus[3] + 1));
  static_assert(kMaxLazyTerms >= 2);
  /// An unreduced sum of at most kMaxLazyTerms products (little-endian limbs).
  struct Wide {
    std::array<uint64_t, 8> w{};
  };
  /// acc += a * b (the plain 512-bit product of the Montgomery forms).
  static constexpr void mul_acc(Wide& acc, const Fp& a, const Fp& b) noexcept {
#ifdef ZKAMM_FF_X86_CARRY
    if (!std::is_constant_evaluated()) {
      mul_acc_x86(acc.w, a.v_, b.v_);
      return;
    }
#endif
    uint64_t prod[8] = {};
    for (std::size_t i = 0; i < 4; ++i) {
      uint64_t carry = 0;
      for (std::size_t j = 0; j < 4; ++j) {
        const uint128_t x = static_cast<uint128_t>(a.v_[j]) * b.v_[i] + prod[i + j] + carry;
        prod[i + j] = static_cast<uint64_t>(x);
        carry = static_cast<uint64_t>(x >> 64);
      }
      prod[i + 4] = carry;
    }
    uint64_t c = 0;
    for (std::size_t k = 0; k < 8; ++k) {
      const uint128_t x = static_cast<uint128_t>(acc.w[k]) + prod[k] + c;
      acc.w[k] = static_cast<uint64_t>(x);
      c = static_cast<uint64_t>(x >> 64);
    }
  }
  /// acc * R^-1 mod p: the Montgomery form of the sum of the products' field values.
  /// Precondition: acc below p * 2^256 (at most kMaxLazyTerms products of reduced operands).
  static constexpr Fp reduce(const Wide& acc) noexcept {
#ifdef ZKAMM_FF_X86_CARRY
    if (!std::is_constant_evaluated()) {
      Fp r;
      reduce_wide_x86(r.v_, acc.w);
      return r;
    }
#endif
    uint64_t t[8];
    for (std::size_t k = 0; k < 8; ++k) t[k] = acc.w[k];
    uint64_t c2 = 0;  // carry out of limb i + 4, which row i + 1 adds at its own limb i + 5
    for (std::size_t i = 0; i < 4; ++i) {
      const uint64_t m = t[i] * C::kInv;
      uint64_t carry = 0;
      for (std::size_t j = 0; j < 4; ++j) {
        const uint128_t x = static_cast<uint128_t>(m) * kModulus[j] + t[i + j] + carry;
        t[i + j] = static_cast<uint64_t>(x);
        carry = static_cast<uint64_t>(x >> 64);
      }
      const uint128_t x = static_cast<uint128_t>(t[i + 4]) + carry + c2;
      t[i + 4] = static_cast<uint64_t>(x);
      c2 = static_cast<uint64_t>(x >> 64);
    }
    Fp r;
    r.v_ = U256{t[4], t[5], t[6], t[7]};  // below 2p (and c2 == 0): (acc + m * p) / 2^256 < 2p
    reduce_once(r.v_);
    return r;
  }
  /// sum_i a[i] * b[i], reduced once per kMaxLazyTerms products.
  static constexpr Fp dot(const Fp* a, const Fp* b, std::size_t n) noexcept {
    Fp sum;
    for (std::size_t i = 0; i < n; i += kMaxLazyTerms) {
      Wide acc;
      const std::size_t end = i + kMaxLazyTerms < n ? i + kMaxLazyTerms : n;
      for (std::size_t k = i; k < end; ++k) mul_acc(acc, a[k], b[k]);
      sum += reduce(acc);
    }
    return sum;
  }

  /// Montgomery product out = a * b * R^-1 mod p; a, b < p.
  static constexpr void mul_mont(U256& out, const U256& a, const U256& b) noexcept {
#ifdef ZKAMM_FF_X86_CARRY
    if (!std::is_constant_evaluated()) {
      mul_mont_x86(out, a, b);
      return;
    }
#endif
    uint64_t t[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < 4; ++i) {
      uint128_t p = static_cast<uint128_t>(a[0]) * b[i] + t[0];
      uint64_t carry_a = static_cast<uint64_t>(p >> 64);
      t[0] = static_cast<uint64_t>(p);
      const uint64_t m = t[0] * C::kInv;
      p = static_cast<uint128_t>(m) * kModulus[0] + t[0];
      uint64_t carry_m = static_cast<uint64_t>(p >> 64);
      for (std::size_t j = 1; j < 4; ++j) {
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
#ifdef ZKAMM_FF_X86_CARRY
  // x86-64 paths (GCC/Clang extended asm). The plain C++ versions above are the reference (and
  // the constant-evaluation path); tests/ff checks both against GMP.
  using ull = unsigned long long;

  // Results come back in register outputs (never through memory), add/sub take their operands
  // per limb and the modulus limbs are RIP-relative "m" operands, so the compiler can keep field
  // elements in registers between operations. mul_mont_x86 reads a and b through pointers (with
  // "m"(a), "m"(b) telling the compiler which memory it reads): 13 separate "m" operands ran out
  // of registers in larger callers ("impossible constraints").

  /// a + b mod p for a, b < p < 2^254 (the sum has no carry out of 256 bits): add, subtract p,
  /// keep the unsubtracted sum where the subtraction borrowed.
  static inline void add_mod_x86(U256& out, const U256& a, const U256& b) noexcept {
    ull r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3];
    ull s0, s1, s2, s3;
    asm("addq %[b0], %[r0]\n\t"
        "adcq %[b1], %[r1]\n\t"
        "adcq %[b2], %[r2]\n\t"
        "adcq %[b3], %[r3]\n\t"
        "movq %[r0], %[s0]\n\t"
        "subq %[q0], %[s0]\n\t"
        "movq %[r1], %[s1]\n\t"
        "sbbq %[q1], %[s1]\n\t"
        "movq %[r2], %[s2]\n\t"
        "sbbq %[q2], %[s2]\n\t"
        "movq %[r3], %[s3]\n\t"
        "sbbq %[q3], %[s3]\n\t"
        "cmovcq %[r0], %[s0]\n\t"
        "cmovcq %[r1], %[s1]\n\t"
        "cmovcq %[r2], %[s2]\n\t"
        "cmovcq %[r3], %[s3]\n\t"
        : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [s0] "=&r"(s0), [s1] "=&r"(s1),
          [s2] "=&r"(s2), [s3] "=&r"(s3)
        : [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3]), [q0] "m"(kModulus[0]),
          [q1] "m"(kModulus[1]), [q2] "m"(kModulus[2]), [q3] "m"(kModulus[3])
        : "cc");
    out = U256{s0, s1, s2, s3};
  }

  /// a - b mod p for a, b < p: subtract, then add p masked by the borrow.
  static inline void sub_mod_x86(U256& out, const U256& a, const U256& b) noexcept {
    ull r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3];
    ull m0, m1, m2, m3, mask;
    asm("subq %[b0], %[r0]\n\t"
        "sbbq %[b1], %[r1]\n\t"
        "sbbq %[b2], %[r2]\n\t"
        "sbbq %[b3], %[r3]\n\t"
        "sbbq %[mask], %[mask]\n\t"
        "movq %[q0], %[m0]\n\t"
        "andq %[mask], %[m0]\n\t"
        "movq %[q1], %[m1]\n\t"
        "andq %[mask], %[m1]\n\t"
        "movq %[q2], %[m2]\n\t"
        "andq %[mask], %[m2]\n\t"
        "movq %[q3], %[m3]\n\t"
        "andq %[mask], %[m3]\n\t"
        "addq %[m0], %[r0]\n\t"
        "adcq %[m1], %[r1]\n\t"
        "adcq %[m2], %[r2]\n\t"
        "adcq %[m3], %[r3]\n\t"
        : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [m0] "=&r"(m0), [m1] "=&r"(m1),
          [m2] "=&r"(m2), [m3] "=&r"(m3), [mask] "=&r"(mask)
        : [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3]), [q0] "m"(kModulus[0]),
          [q1] "m"(kModulus[1]), [q2] "m"(kModulus[2]), [q3] "m"(kModulus[3])
        : "cc");
    out = U256{r0, r1, r2, r3};
  }

  /// CIOS Montgomery product with BMI2/ADX (mulx, two carry chains adcx/adox), as in
  /// gnark-crypto's amd64 field code; the "no-carry" skip needs p's top limb < 2^63 - 1.
  /// The final conditional subtraction is part of the same statement so the result never
  /// leaves registers. In each reduction step the carry of t0 + lo(m*q0) (always 0 mod 2^64)
  /// is simply (t0 != 0): it is taken from t0 + (2^64 - 1) while the imul runs, which takes the
  /// mulx -> adcx step off the critical path.
#define ZKAMM_MONT_REDUCE                            \
  "movq %[inv], %%rdx\n\t"                           \
  "imulq %[t0], %%rdx\n\t"                           \
  "xorl %k[s], %k[s]\n\t"                            \
  "movq $-1, %[ax]\n\t"                              \
  "adcxq %[t0], %[ax]\n\t"                           \
  "mulxq %[q0], %[ax], %[t0]\n\t"                    \
  "adcxq %[t1], %[t0]\n\t"                           \
  "mulxq %[q1], %[ax], %[t1]\n\t"                    \
  "adoxq %[ax], %[t0]\n\t"                           \
  "adcxq %[t2], %[t1]\n\t"                           \
  "mulxq %[q2], %[ax], %[t2]\n\t"                    \
  "adoxq %[ax], %[t1]\n\t"                           \
  "adcxq %[t3], %[t2]\n\t"                           \
  "mulxq %[q3], %[ax], %[t3]\n\t"                    \
  "adoxq %[ax], %[t2]\n\t"                           \
  "movl $0, %k[ax]\n\t"                              \
  "adcxq %[ax], %[t3]\n\t"                           \
  "adoxq %[t4], %[t3]\n\t"
#define ZKAMM_MONT_MULADD(BI)                        \
  "movq " BI ", %%rdx\n\t"                           \
  "xorl %k[ax], %k[ax]\n\t"                          \
  "mulxq 0(%[pa]), %[ax], %[t4]\n\t" \
  "adoxq %[ax], %[t0]\n\t"                           \
  "adcxq %[t4], %[t1]\n\t"                           \
  "mulxq 8(%[pa]), %[ax], %[t4]\n\t" \
  "adoxq %[ax], %[t1]\n\t"                           \
  "adcxq %[t4], %[t2]\n\t"                           \
  "mulxq 16(%[pa]), %[ax], %[t4]\n\t" \
  "adoxq %[ax], %[t2]\n\t"                           \
  "adcxq %[t4], %[t3]\n\t"                           \
  "mulxq 24(%[pa]), %[ax], %[t4]\n\t" \
  "adoxq %[ax], %[t3]\n\t"                           \
  "movl $0, %k[ax]\n\t"                              \
  "adcxq %[ax], %[t4]\n\t"                           \
  "adoxq %[ax], %[t4]\n\t"
/// (t0..t4) = a * b[0].
#define ZKAMM_MONT_ROW0               \
  "movq 0(%[pb]), %%rdx\n\t"          \
  "xorl %k[ax], %k[ax]\n\t"           \
  "mulxq 0(%[pa]), %[t0], %[t1]\n\t"  \
  "mulxq 8(%[pa]), %[ax], %[t2]\n\t"  \
  "adcxq %[ax], %[t1]\n\t"            \
  "mulxq 16(%[pa]), %[ax], %[t3]\n\t" \
  "adcxq %[ax], %[t2]\n\t"            \
  "mulxq 24(%[pa]), %[ax], %[t4]\n\t" \
  "adcxq %[ax], %[t3]\n\t"            \
  "movl $0, %k[ax]\n\t"               \
  "adcxq %[ax], %[t4]\n\t"
/// t < 2p in (t0..t3): subtract p into (ax, s, t4, rdx) and keep the difference unless it borrowed.
#define ZKAMM_MONT_CSUB      \
  "movq %[t0], %[ax]\n\t"    \
  "subq %[q0], %[ax]\n\t"    \
  "movq %[t1], %[s]\n\t"     \
  "sbbq %[q1], %[s]\n\t"     \
  "movq %[t2], %[t4]\n\t"    \
  "sbbq %[q2], %[t4]\n\t"    \
  "movq %[t3], %%rdx\n\t"    \
  "sbbq %[q3], %%rdx\n\t"    \
  "cmovncq %[ax], %[t0]\n\t" \
  "cmovncq %[s], %[t1]\n\t"  \
  "cmovncq %[t4], %[t2]\n\t" \
  "cmovncq %%rdx, %[t3]\n\t"
  static inline void mul_mont_x86(U256& out, const U256& a, const U256& b) noexcept {
    ull t0, t1, t2, t3, t4, ax, s;
    // clang-format off
    asm(ZKAMM_MONT_ROW0
        ZKAMM_MONT_REDUCE
        ZKAMM_MONT_MULADD("8(%[pb])")
        ZKAMM_MONT_REDUCE
        ZKAMM_MONT_MULADD("16(%[pb])")
        ZKAMM_MONT_REDUCE
        ZKAMM_MONT_MULADD("24(%[pb])")
        ZKAMM_MONT_REDUCE
        ZKAMM_MONT_CSUB
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [ax] "=&r"(ax),
          [s] "=&r"(s)
        : [pa] "r"(a.data()), [pb] "r"(b.data()), "m"(a), "m"(b), [q0] "m"(kModulus[0]), [q1] "m"(kModulus[1]),
          [q2] "m"(kModulus[2]), [q3] "m"(kModulus[3]), [inv] "m"(C::kInv)
        : "rdx", "cc");
    // clang-format on
    out = U256{t0, t1, t2, t3};
  }

  /// acc += a * b: the 4x4 schoolbook product in registers (mulx with the adcx/adox chains, rows
  /// as in mul_mont_x86 without its reductions), then one add/adc chain into acc.
  // The operand names are pasted into the strings, which clang-format would split.
  // clang-format off
#define ZKAMM_WIDE_ROW(BI, A, B, C, D, E)  \
  "movq " BI ", %%rdx\n\t"                \
  "xorl %k[ax], %k[ax]\n\t"               \
  "mulxq 0(%[pa]), %[ax], %[" E "]\n\t"   \
  "adoxq %[ax], %[" A "]\n\t"             \
  "adcxq %[" E "], %[" B "]\n\t"          \
  "mulxq 8(%[pa]), %[ax], %[" E "]\n\t"   \
  "adoxq %[ax], %[" B "]\n\t"             \
  "adcxq %[" E "], %[" C "]\n\t"          \
  "mulxq 16(%[pa]), %[ax], %[" E "]\n\t"  \
  "adoxq %[ax], %[" C "]\n\t"             \
  "adcxq %[" E "], %[" D "]\n\t"          \
  "mulxq 24(%[pa]), %[ax], %[" E "]\n\t"  \
  "adoxq %[ax], %[" D "]\n\t"             \
  "movl $0, %k[ax]\n\t"                   \
  "adcxq %[ax], %[" E "]\n\t"             \
  "adoxq %[ax], %[" E "]\n\t"
  // clang-format on
  static inline void mul_acc_x86(std::array<uint64_t, 8>& acc, const U256& a, const U256& b) noexcept {
    ull t0, t1, t2, t3, t4, t5, t6, t7, ax;
    asm(ZKAMM_MONT_ROW0
        ZKAMM_WIDE_ROW("8(%[pb])", "t1", "t2", "t3", "t4", "t5")
        ZKAMM_WIDE_ROW("16(%[pb])", "t2", "t3", "t4", "t5", "t6")
        ZKAMM_WIDE_ROW("24(%[pb])", "t3", "t4", "t5", "t6", "t7")
        "addq %[t0], 0(%[pc])\n\t"
        "adcq %[t1], 8(%[pc])\n\t"
        "adcq %[t2], 16(%[pc])\n\t"
        "adcq %[t3], 24(%[pc])\n\t"
        "adcq %[t4], 32(%[pc])\n\t"
        "adcq %[t5], 40(%[pc])\n\t"
        "adcq %[t6], 48(%[pc])\n\t"
        "adcq %[t7], 56(%[pc])\n\t"
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5),
          [t6] "=&r"(t6), [t7] "=&r"(t7), [ax] "=&r"(ax), "+m"(acc)
        : [pa] "r"(a.data()), [pb] "r"(b.data()), [pc] "r"(acc.data()), "m"(a), "m"(b)
        : "rdx", "cc");
  }
#undef ZKAMM_WIDE_ROW

  /// w * 2^-256 mod p for w < p * 2^256: the low half reduced as mul_mont_x86 reduces (four
  /// steps, giving u <= p), plus the high half (below p), less p if that reaches p.
  static inline void reduce_wide_x86(U256& out, const std::array<uint64_t, 8>& w) noexcept {
    ull t0 = w[0], t1 = w[1], t2 = w[2], t3 = w[3], t4, ax, s;
    // clang-format off
    asm("xorl %k[t4], %k[t4]\n\t"
        ZKAMM_MONT_REDUCE
        "xorl %k[t4], %k[t4]\n\t"
        ZKAMM_MONT_REDUCE
        "xorl %k[t4], %k[t4]\n\t"
        ZKAMM_MONT_REDUCE
        "xorl %k[t4], %k[t4]\n\t"
        ZKAMM_MONT_REDUCE
        "addq 32(%[pw]), %[t0]\n\t"
        "adcq 40(%[pw]), %[t1]\n\t"
        "adcq 48(%[pw]), %[t2]\n\t"
        "adcq 56(%[pw]), %[t3]\n\t"
        ZKAMM_MONT_CSUB
        : [t0] "+&r"(t0), [t1] "+&r"(t1), [t2] "+&r"(t2), [t3] "+&r"(t3), [t4] "=&r"(t4), [ax] "=&r"(ax),
          [s] "=&r"(s)
        : [pw] "r"(w.data()), "m"(w), [q0] "m"(kModulus[0]), [q1] "m"(kModulus[1]), [q2] "m"(kModulus[2]),
          [q3] "m"(kModulus[3]), [inv] "m"(C::kInv)
        : "rdx", "cc");
    // clang-format on
    out = U256{t0, t1, t2, t3};
  }
#undef ZKAMM_MONT_REDUCE
#undef ZKAMM_MONT_MULADD
#undef ZKAMM_MONT_CSUB
#undef ZKAMM_MONT_ROW0
#endif
  static constexpr void reduce_once(U256& v) noexcept {
    U256 t{};
    if (sub_with_borrow(t, v, kModulus) == 0) v = t;
  }
  static constexpr U256 sub_mod(const U256& a, const U256& b) noexcept {
    U256 r{};
    sub_with_borrow(r, a, b);
    return r;
  }
  struct SqrtConstants {
    unsigned two_adicity = 0;  ///< s with p - 1 = 2^s * q, q odd
    U256 q{};
    U256 q_minus_1_half{};
  };
  static SqrtConstants sqrt_constants() noexcept {
    SqrtConstants k;
    sub_with_borrow(k.q, kModulus, U256{1, 0, 0, 0});
    while (!test_bit(k.q, 0)) {
      k.q = shift_right(k.q, 1);
      ++k.two_adicity;
    }
    k.q_minus_1_half = shift_right(k.q, 1);  // q odd: (q - 1) / 2
    return k;
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
