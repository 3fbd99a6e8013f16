#pragma once
// Decimal floating-point amounts for the compact swap public data (docs/TRANSACTIONS.md section
// 6): amount = mantissa * 10^exponent with a 35-bit mantissa and a 5-bit exponent, 40 bits in
// all instead of 128. The widths are zkSync Lite's amount packing (core/lib/types params.rs:
// AMOUNT_MANTISSA_BIT_WIDTH = 35, AMOUNT_EXPONENT_BIT_WIDTH = 5, base 10): every amount with at
// most 10 significant decimal digits (and many with 11) is exact.
#include <cstdint>
#include <optional>

#include "tx/tx.hpp"

namespace zkamm::tx {

inline constexpr unsigned kFloatMantissaBits = 35;
inline constexpr unsigned kFloatExponentBits = 5;

struct PackedAmount {
  uint64_t mantissa = 0;  ///< < 2^35
  uint8_t exponent = 0;   ///< < 32
  friend bool operator==(const PackedAmount&, const PackedAmount&) = default;
};

/// The encoding of a with the smallest exponent, or nullopt when a is not mantissa * 10^exponent
/// for any mantissa < 2^35, exponent < 32 (such an amount cannot go into a swap batch).
std::optional<PackedAmount> pack_amount(Amount a) noexcept;

/// mantissa * 10^exponent, or nullopt when the fields are out of range or the value is >= 2^128.
std::optional<Amount> unpack_amount(PackedAmount p) noexcept;

/// The 40 bits as published: exponent in the high 5 bits, mantissa in the low 35.
/// Precondition: p's fields in range.
inline uint64_t to_bits40(PackedAmount p) noexcept {
  return (uint64_t{p.exponent} << kFloatMantissaBits) | p.mantissa;
}
inline PackedAmount from_bits40(uint64_t v) noexcept {
  return PackedAmount{v & ((uint64_t{1} << kFloatMantissaBits) - 1),
                      static_cast<uint8_t>((v >> kFloatMantissaBits) & ((1u << kFloatExponentBits) - 1))};
}

}  // namespace zkamm::tx
