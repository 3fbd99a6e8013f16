#include "ec/glv.hpp"

#include <array>

namespace zkamm::ec {

namespace {

using u128 = ff::uint128_t;

// The lattice basis and rounding constants of glv.hpp's comment (little-endian limbs).
constexpr U256 kA1{0x89d3256894d213e3ULL, 0, 0, 0};                      // 2x + 1
constexpr U256 kA2{0x0be4e1541221250bULL, 0x6f4d8248eeb859fdULL, 0, 0};  // 6x^2 + 4x + 1
constexpr U256 kMinusB1{0x8211bbeb7d4f1128ULL, 0x6f4d8248eeb859fcULL, 0, 0};  // 6x^2 + 2x
constexpr U256 kB2{0x89d3256894d213e3ULL, 0, 0, 0};                      // 2x + 1
constexpr U256 kG1{0xd91d232ec7e0b3d7ULL, 0x2ULL, 0, 0};                 // round(2^256 b2 / r)
constexpr U256 kG2{0x7a7bd9d4391eb18eULL, 0x4ccef014a773d2cfULL, 0x2ULL, 0};  // round(2^256 (-b1) / r)

/// round(k g / 2^256) for k < 2^256 and g < 2^192 (the result fits in 256 bits).
U256 mul_round_shift(const U256& k, const U256& g) noexcept {
  std::array<uint64_t, 8> p{};
  for (size_t i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; j < 4; ++j) {
      const u128 t = static_cast<u128>(k[i]) * g[j] + p[i + j] + carry;
      p[i + j] = static_cast<uint64_t>(t);
      carry = static_cast<uint64_t>(t >> 64);
    }
    p[i + 4] = carry;
  }
  // + 2^255, then drop the low 256 bits.
  uint64_t carry = 0;
  {
    const u128 t = static_cast<u128>(p[3]) + (uint64_t{1} << 63);
    p[3] = static_cast<uint64_t>(t);
    carry = static_cast<uint64_t>(t >> 64);
  }
  U256 out{};
  for (size_t i = 0; i < 4; ++i) {
    const u128 t = static_cast<u128>(p[i + 4]) + carry;
    out[i] = static_cast<uint64_t>(t);
    carry = static_cast<uint64_t>(t >> 64);
  }
  return out;
}

/// a b mod 2^256.
U256 mul_low(const U256& a, const U256& b) noexcept {
  U256 p{};
  for (size_t i = 0; i < 4; ++i) {
    uint64_t carry = 0;
    for (size_t j = 0; i + j < 4; ++j) {
      const u128 t = static_cast<u128>(a[i]) * b[j] + p[i + j] + carry;
      p[i + j] = static_cast<uint64_t>(t);
      carry = static_cast<uint64_t>(t >> 64);
    }
  }
  return p;
}

U256 sub_wrap(const U256& a, const U256& b) noexcept {
  U256 out{};
  ff::sub_with_borrow(out, a, b);
  return out;
}

/// v read as a two's complement 256-bit integer: its magnitude and whether it is negative.
void to_signed(const U256& v, U256& magnitude, bool& negative) noexcept {
  negative = (v[3] >> 63) != 0;
  magnitude = negative ? sub_wrap(U256{}, v) : v;
}

}  // namespace

GlvSplit glv_split(const U256& k) noexcept {
  const U256 c1 = mul_round_shift(k, kG1);
  const U256 c2 = mul_round_shift(k, kG2);
  // k1 = k - c1 a1 - c2 a2, k2 = c1 (-b1) - c2 b2: exact integers below 2^127 in magnitude, so
  // arithmetic mod 2^256 gives them in two's complement.
  const U256 k1 = sub_wrap(sub_wrap(k, mul_low(c1, kA1)), mul_low(c2, kA2));
  const U256 k2 = sub_wrap(mul_low(c1, kMinusB1), mul_low(c2, kB2));
  GlvSplit s;
  to_signed(k1, s.k1, s.neg1);
  to_signed(k2, s.k2, s.neg2);
  return s;
}

}  // namespace zkamm::ec
