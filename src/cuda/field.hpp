#pragma once
// BN254's Fq and Fr for the CUDA backend: 8 x 32-bit little-endian limbs in Montgomery form with
// R = 2^256, the same representation as ff::Fp (4 x 64-bit limbs, R = 2^256), so an ff::Fq or
// ff::Fr is copied to the device byte for byte. Multiplication is CIOS (Koc, Acar, Kaliski,
// "Analyzing and Comparing Montgomery Multiplication Algorithms", IEEE Micro 1996) on 32-bit
// words, the word size a GPU multiplies natively.
//
// Every function is __host__ __device__: the very code the kernels run is unit-tested on the CPU
// against ff:: (tests/cuda/field_test.cpp), which is how it is checked where there is no GPU.
#include <cstdint>

#if defined(__CUDACC__)
#define ZKAMM_HD __host__ __device__ __forceinline__
#if defined(__CUDA_ARCH__)
#define ZKAMM_UNROLL _Pragma("unroll")
#else  // nvcc's host pass: its front end and g++ disagree on pragmas, and speed is not needed there
#define ZKAMM_UNROLL
#endif
// Point operations are real calls on the device: inlining every one into every kernel makes ptxas
// take tens of minutes (and the code no faster, the field multiplications inside stay inline).
#define ZKAMM_HD_CALL __host__ __device__ __noinline__
#else
#define ZKAMM_HD_CALL inline
#define ZKAMM_HD inline
#define ZKAMM_UNROLL _Pragma("GCC unroll 8")
#endif

namespace zkamm::cuda {

// The moduli's limbs are scalar constants (not arrays) so device code may read them directly;
// `limb(i)` folds to a constant once loops are unrolled.
/// Fq, BN254's base field (EIP-196): q = 0x30644e72...3c208c16d87cfd47.
struct FqParams {
  static constexpr uint32_t P0 = 0xd87cfd47, P1 = 0x3c208c16, P2 = 0x6871ca8d, P3 = 0x97816a91, P4 = 0x8181585d,
                            P5 = 0xb85045b6, P6 = 0xe131a029, P7 = 0x30644e72;
  /// R mod q (Montgomery one).
  static constexpr uint32_t R0 = 0xc58f0d9d, R1 = 0xd35d438d, R2 = 0xf5c70b3d, R3 = 0x0a78eb28, R4 = 0x7879462c,
                            R5 = 0x666ea36f, R6 = 0x9a07df2f, R7 = 0x0e0a77c1;
  /// -q^-1 mod 2^32.
  static constexpr uint32_t INV = 0xe4866389;
};
/// Fr, BN254's scalar field: r = 0x30644e72...43e1f593f0000001.
struct FrParams {
  static constexpr uint32_t P0 = 0xf0000001, P1 = 0x43e1f593, P2 = 0x79b97091, P3 = 0x2833e848, P4 = 0x8181585d,
                            P5 = 0xb85045b6, P6 = 0xe131a029, P7 = 0x30644e72;
  static constexpr uint32_t R0 = 0x4ffffffb, R1 = 0xac96341c, R2 = 0x9f60cd29, R3 = 0x36fc7695, R4 = 0x7879462e,
                            R5 = 0x666ea36f, R6 = 0x9a07df2f, R7 = 0x0e0a77c1;
  static constexpr uint32_t INV = 0xefffffff;
};

template <class P>
struct alignas(16) Fe {
  uint32_t l[8];

  ZKAMM_HD static constexpr uint32_t p(int i) {
    return i == 0 ? P::P0 : i == 1 ? P::P1 : i == 2 ? P::P2 : i == 3 ? P::P3 : i == 4 ? P::P4 : i == 5 ? P::P5 : i == 6 ? P::P6 : P::P7;
  }
  ZKAMM_HD static constexpr uint32_t r(int i) {
    return i == 0 ? P::R0 : i == 1 ? P::R1 : i == 2 ? P::R2 : i == 3 ? P::R3 : i == 4 ? P::R4 : i == 5 ? P::R5 : i == 6 ? P::R6 : P::R7;
  }

  ZKAMM_HD static Fe zero() {
    Fe f;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) f.l[i] = 0;
    return f;
  }
  ZKAMM_HD static Fe one() {
    Fe f;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) f.l[i] = r(i);
    return f;
  }
  ZKAMM_HD bool is_zero() const {
    uint32_t acc = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) acc |= l[i];
    return acc == 0;
  }
  ZKAMM_HD friend bool operator==(const Fe& a, const Fe& b) {
    uint32_t acc = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) acc |= a.l[i] ^ b.l[i];
    return acc == 0;
  }

  /// x - p into out; returns the borrow (1 when x < p).
  ZKAMM_HD static uint32_t sub_p(uint32_t out[8], const uint32_t x[8]) {
    uint32_t borrow = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) {
      const uint64_t d = static_cast<uint64_t>(x[i]) - p(i) - borrow;
      out[i] = static_cast<uint32_t>(d);
      borrow = static_cast<uint32_t>(d >> 63);
    }
    return borrow;
  }
  /// x < 2p -> x mod p. (p < 2^254, so 2p fits in 256 bits.)
  ZKAMM_HD static void reduce_once(uint32_t x[8]) {
    uint32_t t[8];
    if (sub_p(t, x) == 0) {
ZKAMM_UNROLL
      for (int i = 0; i < 8; ++i) x[i] = t[i];
    }
  }

  ZKAMM_HD friend Fe operator+(const Fe& a, const Fe& b) {
    Fe r;
    uint32_t carry = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) {
      const uint64_t s = static_cast<uint64_t>(a.l[i]) + b.l[i] + carry;
      r.l[i] = static_cast<uint32_t>(s);
      carry = static_cast<uint32_t>(s >> 32);
    }
    reduce_once(r.l);
    return r;
  }
  ZKAMM_HD friend Fe operator-(const Fe& a, const Fe& b) {
    Fe r;
    uint32_t borrow = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) {
      const uint64_t d = static_cast<uint64_t>(a.l[i]) - b.l[i] - borrow;
      r.l[i] = static_cast<uint32_t>(d);
      borrow = static_cast<uint32_t>(d >> 63);
    }
    if (borrow) {
      uint32_t carry = 0;
ZKAMM_UNROLL
      for (int i = 0; i < 8; ++i) {
        const uint64_t s = static_cast<uint64_t>(r.l[i]) + p(i) + carry;
        r.l[i] = static_cast<uint32_t>(s);
        carry = static_cast<uint32_t>(s >> 32);
      }
    }
    return r;
  }
  ZKAMM_HD Fe operator-() const { return zero() - *this; }
  ZKAMM_HD Fe dbl() const { return *this + *this; }

  /// Montgomery product a * b * 2^-256 mod p (CIOS; a, b < p gives a result < p).
  ZKAMM_HD friend Fe operator*(const Fe& a, const Fe& b) {
    uint32_t t[10];
ZKAMM_UNROLL
    for (int i = 0; i < 10; ++i) t[i] = 0;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) {
      uint64_t c = 0;
ZKAMM_UNROLL
      for (int j = 0; j < 8; ++j) {
        const uint64_t s = static_cast<uint64_t>(a.l[j]) * b.l[i] + t[j] + c;
        t[j] = static_cast<uint32_t>(s);
        c = s >> 32;
      }
      uint64_t s = static_cast<uint64_t>(t[8]) + c;
      t[8] = static_cast<uint32_t>(s);
      t[9] = static_cast<uint32_t>(s >> 32);
      const uint32_t m = t[0] * P::INV;
      c = (static_cast<uint64_t>(m) * p(0) + t[0]) >> 32;
ZKAMM_UNROLL
      for (int j = 1; j < 8; ++j) {
        const uint64_t u = static_cast<uint64_t>(m) * p(j) + t[j] + c;
        t[j - 1] = static_cast<uint32_t>(u);
        c = u >> 32;
      }
      s = static_cast<uint64_t>(t[8]) + c;
      t[7] = static_cast<uint32_t>(s);
      t[8] = t[9] + static_cast<uint32_t>(s >> 32);
    }
    Fe r;
ZKAMM_UNROLL
    for (int i = 0; i < 8; ++i) r.l[i] = t[i];
    reduce_once(r.l);  // t < 2p, so t[8] == 0 here
    return r;
  }
  ZKAMM_HD Fe sqr() const { return *this * *this; }
  ZKAMM_HD Fe& operator+=(const Fe& b) { return *this = *this + b; }
  ZKAMM_HD Fe& operator-=(const Fe& b) { return *this = *this - b; }
  ZKAMM_HD Fe& operator*=(const Fe& b) { return *this = *this * b; }

  /// this^e for a plain exponent below 2^32 (NTT twiddles and coset powers).
  ZKAMM_HD Fe pow_u32(uint32_t e) const {
    Fe result = one();
    Fe base = *this;
    while (e != 0) {
      if (e & 1) result *= base;
      base = base.sqr();
      e >>= 1;
    }
    return result;
  }
};

using Fq = Fe<FqParams>;
using Fr = Fe<FrParams>;

/// Fq2 = Fq[u]/(u^2 + 1), as ff::Fq2 (c0 + c1 u; same memory layout).
struct Fq2 {
  Fq c0, c1;

  ZKAMM_HD static Fq2 zero() { return Fq2{Fq::zero(), Fq::zero()}; }
  ZKAMM_HD static Fq2 one() { return Fq2{Fq::one(), Fq::zero()}; }
  ZKAMM_HD bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  ZKAMM_HD friend bool operator==(const Fq2& a, const Fq2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }
  ZKAMM_HD friend Fq2 operator+(const Fq2& a, const Fq2& b) { return Fq2{a.c0 + b.c0, a.c1 + b.c1}; }
  ZKAMM_HD friend Fq2 operator-(const Fq2& a, const Fq2& b) { return Fq2{a.c0 - b.c0, a.c1 - b.c1}; }
  ZKAMM_HD Fq2 operator-() const { return Fq2{-c0, -c1}; }
  ZKAMM_HD Fq2 dbl() const { return Fq2{c0.dbl(), c1.dbl()}; }
  /// Karatsuba: 3 base-field multiplications.
  ZKAMM_HD friend Fq2 operator*(const Fq2& a, const Fq2& b) {
    const Fq v0 = a.c0 * b.c0;
    const Fq v1 = a.c1 * b.c1;
    return Fq2{v0 - v1, (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1};
  }
  /// Complex squaring: 2 multiplications.
  ZKAMM_HD Fq2 sqr() const {
    const Fq t = c0 * c1;
    return Fq2{(c0 + c1) * (c0 - c1), t.dbl()};
  }
  ZKAMM_HD Fq2& operator+=(const Fq2& b) { return *this = *this + b; }
  ZKAMM_HD Fq2& operator*=(const Fq2& b) { return *this = *this * b; }
};

}  // namespace zkamm::cuda
