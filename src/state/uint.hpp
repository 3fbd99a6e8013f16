#pragma once
// Unsigned 256-bit arithmetic with the overflow behaviour of Solidity's SafeMath (as used by
// Uniswap V2): every operation that would wrap reports it, so the AMM can reject exactly where
// the contracts revert ("ds-math-add-overflow", "ds-math-sub-underflow", "ds-math-mul-overflow").
#include <cstdint>

#include "ff/uint256.hpp"

namespace zkamm::state {

using ff::U256;

/// Limits from ARCHITECTURE.md section 3: balances and amounts < 2^128, reserves < 2^112.
inline constexpr unsigned kAmountBits = 128;
inline constexpr unsigned kReserveBits = 112;

constexpr U256 u256(uint64_t v) noexcept { return U256{v, 0, 0, 0}; }

/// 2^112 - 1, Solidity's uint112(-1).
inline constexpr U256 kMaxUint112{~0ULL, (1ULL << 48) - 1, 0, 0};


/// True when a < 2^bits; bits <= 256.
constexpr bool fits_bits(const U256& a, unsigned bits) noexcept { return ff::bit_length(a) <= bits; }

/// a + b into out; false (out unspecified) when the sum needs more than 256 bits.
[[nodiscard]] constexpr bool checked_add(U256& out, const U256& a, const U256& b) noexcept {
  return ff::add_with_carry(out, a, b) == 0;
}

/// a - b into out; false (out unspecified) when b > a.
[[nodiscard]] constexpr bool checked_sub(U256& out, const U256& a, const U256& b) noexcept {
  return ff::sub_with_borrow(out, a, b) == 0;
}

/// a * b into out; false (out unspecified) when the product needs more than 256 bits.
[[nodiscard]] bool checked_mul(U256& out, const U256& a, const U256& b) noexcept;

/// floor(a / b); b != 0 (Knuth, TAOCP vol. 2, 4.3.1, Algorithm D, on 64-bit digits).
U256 div(const U256& a, const U256& b) noexcept;

/// floor(sqrt(y)). Uniswap V2's Math.sqrt (Babylonian method from y/2+1) also returns the floor
/// square root, so the results are equal for every y; we start Newton's iteration from a power
/// of two above sqrt(y) instead, which needs far fewer divisions.
U256 isqrt(const U256& y) noexcept;

constexpr U256 min(const U256& a, const U256& b) noexcept { return ff::less_than(b, a) ? b : a; }

}  // namespace zkamm::state
