#include "ff/uint256.hpp"

#include <algorithm>

namespace zkamm::ff {
namespace {

/// a = a * m + add; returns false when the result needs more than 256 bits.
bool mul_small_add(U256& a, uint64_t m, uint64_t add) noexcept {
  uint64_t carry = add;
  for (std::size_t i = 0; i < 4; ++i) {
    const uint128_t p = static_cast<uint128_t>(a[i]) * m + carry;
    a[i] = static_cast<uint64_t>(p);
    carry = static_cast<uint64_t>(p >> 64);
  }
  return carry == 0;
}

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<U256> parse_u256(std::string_view text) noexcept {
  uint64_t base = 10;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  U256 v{};
  for (char c : text) {
    const int d = base == 16 ? hex_digit(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0) return std::nullopt;
    if (!mul_small_add(v, base, static_cast<uint64_t>(d))) return std::nullopt;
  }
  return v;
}

std::string to_decimal(U256 a) {
  if (is_zero(a)) return "0";
  std::string s;
  while (!is_zero(a)) s.push_back(static_cast<char>('0' + div_small(a, 10)));
  std::reverse(s.begin(), s.end());
  return s;
}

std::string to_hex(const U256& a) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(64, '0');
  for (unsigned i = 0; i < 64; ++i) s[63 - i] = kDigits[(a[i / 16] >> (4 * (i % 16))) & 0xf];
  return s;
}

void to_bytes_be(const U256& a, uint8_t* out) noexcept {
  for (std::size_t i = 0; i < 32; ++i) out[31 - i] = static_cast<uint8_t>(a[i / 8] >> (8 * (i % 8)));
}

U256 from_bytes_be(const uint8_t* in) noexcept {
  U256 a{};
  for (std::size_t i = 0; i < 32; ++i) a[i / 8] |= static_cast<uint64_t>(in[31 - i]) << (8 * (i % 8));
  return a;
}

void to_bytes_le(const U256& a, uint8_t* out) noexcept {
  for (std::size_t i = 0; i < 32; ++i) out[i] = static_cast<uint8_t>(a[i / 8] >> (8 * (i % 8)));
}

U256 from_bytes_le(const uint8_t* in) noexcept {
  U256 a{};
  for (std::size_t i = 0; i < 32; ++i) a[i / 8] |= static_cast<uint64_t>(in[i]) << (8 * (i % 8));
  return a;
}

}  // namespace zkamm::ff
