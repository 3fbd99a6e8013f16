#pragma once
// Eight elements of a BN254 prime field at a time: FrX8 (scalar field) for batches of
// independent hashes (a tree level, a block of signatures), FqX8 (base field) for the MSM's
// batch-affine G1 additions (snark/msm_pippenger.hpp). One kernel, a template on the field's
// Spec; both moduli are below 2^254, which is all the bounds below rely on.
//
// With AVX-512 IFMA (vpmadd52luq/vpmadd52huq; -march=native on Ice Lake+ / Zen 4+) a lane holds
// its element in radix 2^52, five limbs, in Montgomery form with R = 2^260 (Gueron and Krasnov,
// "Accelerating big integer arithmetic using Intel IFMA extensions", ARITH 2016; Drucker and
// Gueron, "Fast modular squaring with AVX512IFMA", 2018). Limb k of all eight lanes shares one
// zmm register, so one vpmadd52 does eight 52x52-bit partial products. Because R = 2^260 > 64p,
// Montgomery reduction of any product of two values below 2^256 ends below 1.4p: values are kept
// weakly reduced (below 4p, which is below 2^256) and only the final store subtracts p.
// Without IFMA (or with ZKAMM_FF_NO_IFMA defined, CMake option ZKAMM_IFMA=OFF) FrX8 is eight
// scalar Fp values; both paths give identical results (tests/ff checks both against GMP).
#include <array>
#include <cstddef>
#include <cstdint>

#include "ff/bn254.hpp"

#if defined(__AVX512IFMA__) && defined(__AVX512F__) && defined(__AVX512DQ__) && !defined(ZKAMM_FF_NO_IFMA)
#define ZKAMM_FF_IFMA 1
#include <immintrin.h>
#endif

namespace zkamm::ff {

/// Whether FieldX8 (FrX8, FqX8) uses the AVX-512 IFMA kernel in this build (false: portable
/// scalar lanes).
inline constexpr bool kFieldX8Ifma =
#ifdef ZKAMM_FF_IFMA
    true;
#else
    false;
#endif
inline constexpr bool kFrX8Ifma = kFieldX8Ifma;

namespace x8 {

inline constexpr std::size_t kLanes = 8;
inline constexpr unsigned kLimbs = 5;
inline constexpr uint64_t kMask52 = (uint64_t{1} << 52) - 1;

/// A 256-bit value (below 2^260) as five radix-2^52 limbs, least significant first.
using Limbs52 = std::array<uint64_t, kLimbs>;

constexpr Limbs52 to_limbs52(const U256& v) noexcept {
  return {v[0] & kMask52, ((v[0] >> 52) | (v[1] << 12)) & kMask52, ((v[1] >> 40) | (v[2] << 24)) & kMask52,
          ((v[2] >> 28) | (v[3] << 36)) & kMask52, v[3] >> 16};
}
/// Precondition: the value is below 2^256 and the limbs are normalized (each below 2^52).
constexpr U256 from_limbs52(const Limbs52& l) noexcept {
  return {l[0] | (l[1] << 52), (l[1] >> 12) | (l[2] << 40), (l[2] >> 24) | (l[3] << 28), (l[3] >> 36) | (l[4] << 16)};
}

/// c in the lanes' form: the limbs of c * 2^260 mod p (Fp stores c * 2^256, and 16 = 2^4).
template <class Spec>
Limbs52 to_mont52(const Fp<Spec>& c) noexcept {
  return to_limbs52((c * Fp<Spec>::from_u64(16)).raw());
}

#ifdef ZKAMM_FF_IFMA
namespace detail {

/// The field's constants in lane form.
template <class Spec>
struct Consts {
  /// p in limbs, -p^-1 mod 2^52, and 2p.
  static constexpr Limbs52 kP = to_limbs52(Spec::kModulus);
  static constexpr uint64_t kPInv52 = MontgomeryConstants<Spec>::kInv & kMask52;  // -p^-1 mod 2^64, low 52 bits
  static constexpr Limbs52 kP2 = [] {
    U256 d{};
    add_with_carry(d, Spec::kModulus, Spec::kModulus);
    return to_limbs52(d);
  }();
  /// 2^264 mod p and 2^256 mod p (Fp's raw forms of 256 and 1): a lane product by them turns
  /// Fp's R = 2^256 form into R = 2^260 (a 2^256 * 2^264 / 2^260) and back (a 2^260 * 2^256 / 2^260).
  static constexpr Limbs52 kToLanes = to_limbs52(Fp<Spec>::from_u64(256).raw());
  static constexpr Limbs52 kFromLanes = to_limbs52(Fp<Spec>::one().raw());
  /// 1 in lane form (2^260 mod p).
  static constexpr Limbs52 kOne = to_limbs52(Fp<Spec>::from_u64(16).raw());
};
// Fr's, under the names the Poseidon kernel (hash/poseidon_batch.cpp) uses.
inline constexpr Limbs52 kP = Consts<FrSpec>::kP;
inline constexpr Limbs52 kP2 = Consts<FrSpec>::kP2;

/// Eight lanes, limb k of every lane in l[k]; normalized limbs (below 2^52), value below 2^256.
struct V {
  __m512i l[kLimbs];
};
/// A double-width accumulator of products (radix 2^52 positions 0..9, 64-bit lanes).
struct W {
  __m512i t[2 * kLimbs];
};

// Full unrolling keeps the accumulators in registers; GCC does it at -O3 by itself but not at -O2.
#define ZKAMM_X8_UNROLL _Pragma("GCC unroll 8")

inline __m512i bc(uint64_t x) noexcept { return _mm512_set1_epi64(static_cast<long long>(x)); }
// The zero-masked shifts: GCC 12's plain _mm512_srli/srai_epi64 pass _mm512_undefined_epi32()
// and trip -Wuninitialized under -Werror; with a full mask they compile to the same instruction.
inline __m512i shr52(__m512i x) noexcept { return _mm512_maskz_srli_epi64(0xff, x, 52); }
inline __m512i sar52(__m512i x) noexcept { return _mm512_maskz_srai_epi64(0xff, x, 52); }

inline void zero(W& w) noexcept {
  for (auto& x : w.t) x = _mm512_setzero_si512();
}

/// w += a * b (all 25 partial products, low and high halves). Precondition: a, b normalized.
inline void mul_acc(W& w, const V& a, const V& b) noexcept {
  ZKAMM_X8_UNROLL
  for (unsigned i = 0; i < kLimbs; ++i) {
    ZKAMM_X8_UNROLL
    for (unsigned j = 0; j < kLimbs; ++j) {
      w.t[i + j] = _mm512_madd52lo_epu64(w.t[i + j], a.l[i], b.l[j]);
      w.t[i + j + 1] = _mm512_madd52hi_epu64(w.t[i + j + 1], a.l[i], b.l[j]);
    }
  }
}
/// w += a * c for one constant c (broadcast to all lanes).
inline void mul_acc(W& w, const V& a, const Limbs52& c) noexcept {
  ZKAMM_X8_UNROLL
  for (unsigned j = 0; j < kLimbs; ++j) {
    const __m512i cj = bc(c[j]);
    ZKAMM_X8_UNROLL
    for (unsigned i = 0; i < kLimbs; ++i) {
      w.t[i + j] = _mm512_madd52lo_epu64(w.t[i + j], a.l[i], cj);
      w.t[i + j + 1] = _mm512_madd52hi_epu64(w.t[i + j + 1], a.l[i], cj);
    }
  }
}

/// Montgomery reduction of w (w / 2^260 mod p, below w / 2^260 + p) left unnormalized in
/// w.t[5..9]; each accumulator stays far below 2^64 for the few products the callers sum.
/// The functions that depend on the modulus take its Spec, Fr's by default.
template <class Spec = FrSpec>
inline void reduce_raw(W& w) noexcept {
  constexpr Limbs52 kMod = Consts<Spec>::kP;
  const __m512i pinv = bc(Consts<Spec>::kPInv52);
  ZKAMM_X8_UNROLL
  for (unsigned i = 0; i < kLimbs; ++i) {
    const __m512i m = _mm512_madd52lo_epu64(_mm512_setzero_si512(), w.t[i], pinv);
    ZKAMM_X8_UNROLL
    for (unsigned j = 0; j < kLimbs; ++j) {
      const __m512i pj = bc(kMod[j]);
      w.t[i + j] = _mm512_madd52lo_epu64(w.t[i + j], m, pj);
      w.t[i + j + 1] = _mm512_madd52hi_epu64(w.t[i + j + 1], m, pj);
    }
    // t_i is now 0 mod 2^52: carry its upper bits into the next position.
    w.t[i + 1] = _mm512_add_epi64(w.t[i + 1], shr52(w.t[i]));
  }
}

/// Carries limbs above 52 bits upwards; Signed: limbs may be negative (a difference), with an
/// arithmetic shift for the carry. Precondition: the value is non-negative and below 2^260.
template <bool Signed>
inline V normalize_carries(const __m512i* t) noexcept {
  const __m512i mask = bc(kMask52);
  V r;
  __m512i carry = _mm512_setzero_si512();
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) {
    const __m512i x = _mm512_add_epi64(t[k], carry);
    if (k + 1 < kLimbs) {
      if constexpr (Signed) {
        carry = sar52(x);
      } else {
        carry = shr52(x);
      }
      r.l[k] = _mm512_and_si512(x, mask);
    } else {
      r.l[k] = x;
    }
  }
  return r;
}

/// Carries limbs above 52 bits upwards. Precondition: the value is below 2^260, limbs non-negative.
inline V normalize(const __m512i* t) noexcept { return normalize_carries<false>(t); }

/// x - q where that is non-negative, else x (q = p or 2p). Precondition: x normalized.
inline V csub(const V& x, const Limbs52& q) noexcept {
  const __m512i mask = bc(kMask52);
  __m512i d[kLimbs];
  __m512i borrow = _mm512_setzero_si512();
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) {
    const __m512i v = _mm512_add_epi64(_mm512_sub_epi64(x.l[k], bc(q[k])), borrow);
    if (k + 1 < kLimbs) {
      borrow = sar52(v);
      d[k] = _mm512_and_si512(v, mask);
    } else {
      d[k] = v;
    }
  }
  const __mmask8 negative = _mm512_movepi64_mask(d[kLimbs - 1]);
  V r;
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) r.l[k] = _mm512_mask_blend_epi64(negative, d[k], x.l[k]);
  return r;
}

/// Like normalize, for limbs that may be negative (a difference); the value is non-negative.
inline V normalize_signed(const __m512i* t) noexcept { return normalize_carries<true>(t); }

/// a * b / 2^260 mod p, below 1.4p. Precondition: a, b normalized, below 2^256.
template <class Spec = FrSpec>
inline V mul(const V& a, const V& b) noexcept {
  W w;
  zero(w);
  mul_acc(w, a, b);
  reduce_raw<Spec>(w);
  return normalize(&w.t[kLimbs]);
}
template <class Spec = FrSpec>
inline V mul(const V& a, const Limbs52& c) noexcept {
  W w;
  zero(w);
  mul_acc(w, a, c);
  reduce_raw<Spec>(w);
  return normalize(&w.t[kLimbs]);
}
/// a + b mod p, below 2p. Precondition: a, b below 2p (then a + b < 4p < 2^256).
template <class Spec = FrSpec>
inline V add(const V& a, const V& b) noexcept {
  __m512i s[kLimbs];
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) s[k] = _mm512_add_epi64(a.l[k], b.l[k]);
  return csub(normalize(s), Consts<Spec>::kP2);
}
/// a - b mod p as a + 2p - b (in (0, 4p)), below 2p. Precondition: a, b below 2p.
template <class Spec = FrSpec>
inline V sub(const V& a, const V& b) noexcept {
  constexpr Limbs52 kMod2 = Consts<Spec>::kP2;
  __m512i s[kLimbs];
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) s[k] = _mm512_sub_epi64(_mm512_add_epi64(a.l[k], bc(kMod2[k])), b.l[k]);
  return csub(normalize_signed(s), kMod2);
}
/// 2p - b, in (0, 2p]: -b mod p as a factor of a product (not reduced: no add or sub input).
/// Precondition: b below 2p.
template <class Spec = FrSpec>
inline V neg(const V& b) noexcept {
  constexpr Limbs52 kMod2 = Consts<Spec>::kP2;
  __m512i s[kLimbs];
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) s[k] = _mm512_sub_epi64(bc(kMod2[k]), b.l[k]);
  return normalize_signed(s);
}
/// (a0 b0 + a1 b1) / 2^260 mod p with one reduction, below 1.4p (an Fq2 product's component).
/// Precondition: every input normalized, below 2^256, and the b's below 2p (the sum of the two
/// products is then below 2^511).
template <class Spec = FrSpec>
inline V mul_sum(const V& a0, const V& b0, const V& a1, const V& b1) noexcept {
  W w;
  zero(w);
  mul_acc(w, a0, b0);
  mul_acc(w, a1, b1);
  reduce_raw<Spec>(w);
  return normalize(&w.t[kLimbs]);
}
/// reduce(w) + c: the constant joins before the carries (no extra pass).
template <class Spec = FrSpec>
inline V reduce_add(W& w, const Limbs52& c) noexcept {
  reduce_raw<Spec>(w);
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) w.t[kLimbs + k] = _mm512_add_epi64(w.t[kLimbs + k], bc(c[k]));
  return normalize(&w.t[kLimbs]);
}
template <class Spec = FrSpec>
inline V reduce_add(W& w, const V& v) noexcept {
  reduce_raw<Spec>(w);
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) w.t[kLimbs + k] = _mm512_add_epi64(w.t[kLimbs + k], v.l[k]);
  return normalize(&w.t[kLimbs]);
}
template <class Spec = FrSpec>
inline V reduce_add(W& w, const V& v, const Limbs52& c) noexcept {
  reduce_raw<Spec>(w);
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) {
    w.t[kLimbs + k] = _mm512_add_epi64(w.t[kLimbs + k], _mm512_add_epi64(v.l[k], bc(c[k])));
  }
  return normalize(&w.t[kLimbs]);
}
inline V broadcast(const Limbs52& c) noexcept {
  V r;
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) r.l[k] = bc(c[k]);
  return r;
}

// (The maskz forms with full masks, as shr52 above: GCC 12's plain ones trip -Wuninitialized.)
// Eight 256-bit values as rows of 4x64 bits <-> four registers of one 64-bit column each, with
// z_i = [row i | row i + 4]: two 128-bit-lane permutes and one 64-bit interleave each way (the
// transposition is its own inverse up to the roles of unpack lo/hi).
inline __m512i interleave_lo(__m512i a, __m512i b) noexcept {
  return _mm512_permutex2var_epi64(a, _mm512_set_epi64(13, 12, 5, 4, 9, 8, 1, 0), b);
}
inline __m512i interleave_hi(__m512i a, __m512i b) noexcept {
  return _mm512_permutex2var_epi64(a, _mm512_set_epi64(15, 14, 7, 6, 11, 10, 3, 2), b);
}

/// Lanes from eight 256-bit values as they are (limbs regrouped, no multiplication): an Fp's
/// raw Montgomery form a 2^256 stays a 2^256 (a product with a lane value b 2^260 is then
/// a b 2^256, Fp's form again).
inline V pack(const U256* const* in) noexcept {
  __m512i z[4];
  ZKAMM_X8_UNROLL
  for (unsigned i = 0; i < 4; ++i) {
    const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in[i]->data()));
    const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in[i + 4]->data()));
    z[i] = _mm512_maskz_inserti64x4(0xff, _mm512_castsi256_si512(lo), hi, 1);
  }
  // u0 = (c0[0], c1[0], c0[2], c1[2], ...), u1 the odd lanes; u2, u3 the same for c2, c3.
  const __m512i u0 = interleave_lo(z[0], z[2]), u2 = interleave_hi(z[0], z[2]);
  const __m512i u1 = interleave_lo(z[1], z[3]), u3 = interleave_hi(z[1], z[3]);
  const __m512i c0 = _mm512_maskz_unpacklo_epi64(0xff, u0, u1), c1 = _mm512_maskz_unpackhi_epi64(0xff, u0, u1);
  const __m512i c2 = _mm512_maskz_unpacklo_epi64(0xff, u2, u3), c3 = _mm512_maskz_unpackhi_epi64(0xff, u2, u3);
  const __m512i mask = bc(kMask52);
  V v;
  v.l[0] = _mm512_and_si512(c0, mask);
  v.l[1] = _mm512_and_si512(_mm512_or_si512(shr52(c0), _mm512_maskz_slli_epi64(0xff, c1, 12)), mask);
  v.l[2] = _mm512_and_si512(_mm512_or_si512(_mm512_maskz_srli_epi64(0xff, c1, 40), _mm512_maskz_slli_epi64(0xff, c2, 24)), mask);
  v.l[3] = _mm512_and_si512(_mm512_or_si512(_mm512_maskz_srli_epi64(0xff, c2, 28), _mm512_maskz_slli_epi64(0xff, c3, 36)), mask);
  v.l[4] = _mm512_maskz_srli_epi64(0xff, c3, 16);
  return v;
}
/// The eight lane values as 256-bit values (the inverse of pack). Precondition: v below 2^256.
inline void unpack(const V& v, U256* out) noexcept {
  const __m512i c0 = _mm512_or_si512(v.l[0], _mm512_maskz_slli_epi64(0xff, v.l[1], 52));
  const __m512i c1 = _mm512_or_si512(_mm512_maskz_srli_epi64(0xff, v.l[1], 12), _mm512_maskz_slli_epi64(0xff, v.l[2], 40));
  const __m512i c2 = _mm512_or_si512(_mm512_maskz_srli_epi64(0xff, v.l[2], 24), _mm512_maskz_slli_epi64(0xff, v.l[3], 28));
  const __m512i c3 = _mm512_or_si512(_mm512_maskz_srli_epi64(0xff, v.l[3], 36), _mm512_maskz_slli_epi64(0xff, v.l[4], 16));
  const __m512i u0 = _mm512_maskz_unpacklo_epi64(0xff, c0, c1), u1 = _mm512_maskz_unpackhi_epi64(0xff, c0, c1);
  const __m512i u2 = _mm512_maskz_unpacklo_epi64(0xff, c2, c3), u3 = _mm512_maskz_unpackhi_epi64(0xff, c2, c3);
  const __m512i z[4] = {interleave_lo(u0, u2), interleave_lo(u1, u3), interleave_hi(u0, u2), interleave_hi(u1, u3)};
  ZKAMM_X8_UNROLL
  for (unsigned i = 0; i < 4; ++i) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[i].data()), _mm512_maskz_extracti64x4_epi64(0xf, z[i], 0));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[i + 4].data()), _mm512_maskz_extracti64x4_epi64(0xf, z[i], 1));
  }
}
/// The lanes where a and b have equal limbs (equal values when both are canonical).
inline __mmask8 equal(const V& a, const V& b) noexcept {
  __mmask8 m = 0xff;
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) m = _mm512_mask_cmpeq_epi64_mask(m, a.l[k], b.l[k]);
  return m;
}
/// b in the lanes of `mask`, a elsewhere.
inline V blend(__mmask8 mask, const V& a, const V& b) noexcept {
  V r;
  ZKAMM_X8_UNROLL
  for (unsigned k = 0; k < kLimbs; ++k) r.l[k] = _mm512_mask_blend_epi64(mask, a.l[k], b.l[k]);
  return r;
}

/// Lanes from eight Fp (Montgomery R = 2^256 limbs regrouped, then one multiplication).
template <class Spec = FrSpec>
inline V load(const Fp<Spec>* in) noexcept {
  const U256* ptr[kLanes];
  for (std::size_t lane = 0; lane < kLanes; ++lane) ptr[lane] = &in[lane].raw();
  return mul<Spec>(pack(ptr), Consts<Spec>::kToLanes);
}
/// Lanes plus a constant, from eight Fp at stride `stride` (one multiplication, constant added free).
template <class Spec = FrSpec>
inline V load_add(const Fp<Spec>* in, std::size_t stride, const Limbs52& c) noexcept {
  const U256* ptr[kLanes];
  for (std::size_t lane = 0; lane < kLanes; ++lane) ptr[lane] = &in[lane * stride].raw();
  W w;
  zero(w);
  mul_acc(w, pack(ptr), Consts<Spec>::kToLanes);
  return reduce_add<Spec>(w, c);
}
/// Canonical Fp values out of the lanes (count <= 8 of them, at stride `stride`).
template <class Spec = FrSpec>
inline void store(const V& v, Fp<Spec>* out, std::size_t stride = 1, std::size_t count = kLanes) noexcept {
  U256 r[kLanes];
  unpack(csub(mul<Spec>(v, Consts<Spec>::kFromLanes), Consts<Spec>::kP), r);
  for (std::size_t lane = 0; lane < count; ++lane) out[lane * stride] = Fp<Spec>::from_raw(r[lane]);
}

}  // namespace detail
#endif  // ZKAMM_FF_IFMA

}  // namespace x8

/// Eight Fp<Spec> values operated on lane by lane. Results of store() equal the scalar Fp
/// operations.
template <class Spec>
class FieldX8 {
 public:
  using Field = Fp<Spec>;
  using FieldSpec = Spec;

  FieldX8() noexcept {
#ifdef ZKAMM_FF_IFMA
    for (auto& l : v_.l) l = _mm512_setzero_si512();
#endif
  }
  /// Precondition: in points to 8 elements.
  static FieldX8 load(const Field* in) noexcept {
    FieldX8 r;
#ifdef ZKAMM_FF_IFMA
    r.v_ = x8::detail::load<Spec>(in);
#else
    for (std::size_t i = 0; i < x8::kLanes; ++i) r.v_[i] = in[i];
#endif
    return r;
  }
  /// Precondition: out points to room for 8 elements.
  void store(Field* out) const noexcept {
#ifdef ZKAMM_FF_IFMA
    x8::detail::store<Spec>(v_, out);
#else
    for (std::size_t i = 0; i < x8::kLanes; ++i) out[i] = v_[i];
#endif
  }
  std::array<Field, x8::kLanes> to_array() const noexcept {
    std::array<Field, x8::kLanes> a;
    store(a.data());
    return a;
  }

  // Every lane result is below 2p (products below 1.4p), which is what each operation requires.
  friend FieldX8 operator*(const FieldX8& a, const FieldX8& b) noexcept {
    FieldX8 r;
#ifdef ZKAMM_FF_IFMA
    r.v_ = x8::detail::mul<Spec>(a.v_, b.v_);
#else
    for (std::size_t i = 0; i < x8::kLanes; ++i) r.v_[i] = a.v_[i] * b.v_[i];
#endif
    return r;
  }
  friend FieldX8 operator+(const FieldX8& a, const FieldX8& b) noexcept {
    FieldX8 r;
#ifdef ZKAMM_FF_IFMA
    r.v_ = x8::detail::add<Spec>(a.v_, b.v_);
#else
    for (std::size_t i = 0; i < x8::kLanes; ++i) r.v_[i] = a.v_[i] + b.v_[i];
#endif
    return r;
  }
  friend FieldX8 operator-(const FieldX8& a, const FieldX8& b) noexcept {
    FieldX8 r;
#ifdef ZKAMM_FF_IFMA
    r.v_ = x8::detail::sub<Spec>(a.v_, b.v_);
#else
    for (std::size_t i = 0; i < x8::kLanes; ++i) r.v_[i] = a.v_[i] - b.v_[i];
#endif
    return r;
  }
  FieldX8 square() const noexcept { return *this * *this; }

 private:
#ifdef ZKAMM_FF_IFMA
  x8::detail::V v_;
#else
  std::array<Field, x8::kLanes> v_{};
#endif
};

/// Eight BN254 scalar-field elements (Poseidon, EdDSA batches).
using FrX8 = FieldX8<FrSpec>;
/// Eight BN254 base-field elements (G1 coordinates).
using FqX8 = FieldX8<FqSpec>;

}  // namespace zkamm::ff
