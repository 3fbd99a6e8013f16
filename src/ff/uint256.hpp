#pragma once
// 256-bit unsigned integers as four little-endian 64-bit limbs: the plain (non-Montgomery)
// representation shared by the fields, the curves' scalars and the file formats.
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zkamm::ff {

__extension__ typedef unsigned __int128 uint128_t;

using U256 = std::array<uint64_t, 4>;

/// a + b, returning the carry out of the top limb.
constexpr uint64_t add_with_carry(U256& out, const U256& a, const U256& b) noexcept {
  uint64_t carry = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint128_t s = static_cast<uint128_t>(a[i]) + b[i] + carry;
    out[i] = static_cast<uint64_t>(s);
    carry = static_cast<uint64_t>(s >> 64);
  }
  return carry;
}

/// a - b, returning the borrow out of the top limb (1 when a < b).
constexpr uint64_t sub_with_borrow(U256& out, const U256& a, const U256& b) noexcept {
  uint64_t borrow = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint128_t d = static_cast<uint128_t>(a[i]) - b[i] - borrow;
    out[i] = static_cast<uint64_t>(d);
    borrow = static_cast<uint64_t>(d >> 64) & 1;
  }
  return borrow;
}

/// Numeric comparison (limb order is little-endian, so std::array's operator<=> does not apply).
constexpr std::strong_ordering compare(const U256& a, const U256& b) noexcept {
  for (std::size_t i = 4; i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  return std::strong_ordering::equal;
}

constexpr bool less_than(const U256& a, const U256& b) noexcept { return compare(a, b) < 0; }

constexpr bool is_zero(const U256& a) noexcept { return (a[0] | a[1] | a[2] | a[3]) == 0; }

/// Bit i (0 = least significant); i < 256.
constexpr bool test_bit(const U256& a, unsigned i) noexcept { return (a[i / 64] >> (i % 64)) & 1; }

/// Number of significant bits (0 for zero).
constexpr unsigned bit_length(const U256& a) noexcept {
  for (std::size_t i = 4; i-- > 0;) {
    if (a[i] != 0) return static_cast<unsigned>(i) * 64 + 64 - static_cast<unsigned>(__builtin_clzll(a[i]));
  }
  return 0;
}

/// Logical right shift by s < 64 bits.
constexpr U256 shift_right(const U256& a, unsigned s) noexcept {
  if (s == 0) return a;
  U256 r{};
  for (std::size_t i = 0; i < 4; ++i) {
    r[i] = a[i] >> s;
    if (i < 3) r[i] |= a[i + 1] << (64 - s);
  }
  return r;
}

/// Divides a by a small divisor in place and returns the remainder; d > 0.
constexpr uint64_t div_small(U256& a, uint64_t d) noexcept {
  uint128_t rem = 0;
  for (std::size_t i = 4; i-- > 0;) {
    const uint128_t cur = (rem << 64) | a[i];
    a[i] = static_cast<uint64_t>(cur / d);
    rem = cur % d;
  }
  return static_cast<uint64_t>(rem);
}

/// Parses a decimal (or 0x-prefixed hex) string; rejects empty input, stray characters and
/// values of 2^256 or more.
std::optional<U256> parse_u256(std::string_view text) noexcept;

/// Decimal digits of a, without leading zeros ("0" for zero).
std::string to_decimal(U256 a);

/// 64 lowercase hex digits, most significant first, no prefix.
std::string to_hex(const U256& a);

/// Big-endian 32 bytes.
void to_bytes_be(const U256& a, uint8_t* out32) noexcept;
U256 from_bytes_be(const uint8_t* in32) noexcept;
/// Little-endian 32 bytes (the layout of iden3's binary formats).
void to_bytes_le(const U256& a, uint8_t* out32) noexcept;
U256 from_bytes_le(const uint8_t* in32) noexcept;

}  // namespace zkamm::ff
