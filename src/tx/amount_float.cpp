#include "tx/amount_float.hpp"

namespace zkamm::tx {

std::optional<PackedAmount> pack_amount(Amount a) noexcept {
  constexpr uint64_t kMantissaEnd = uint64_t{1} << kFloatMantissaBits;
  for (uint8_t e = 0; e < (1u << kFloatExponentBits); ++e) {
    if (a < kMantissaEnd) return PackedAmount{static_cast<uint64_t>(a), e};
    if (a % 10 != 0) return std::nullopt;  // a non-zero digit would be lost
    a /= 10;
  }
  return std::nullopt;
}

std::optional<Amount> unpack_amount(PackedAmount p) noexcept {
  if (p.mantissa >> kFloatMantissaBits != 0 || p.exponent >> kFloatExponentBits != 0) return std::nullopt;
  Amount v = p.mantissa;
  for (uint8_t e = 0; e < p.exponent; ++e) {
    if (v > ~Amount{0} / 10) return std::nullopt;
    v *= 10;
  }
  return v;
}

}  // namespace zkamm::tx
