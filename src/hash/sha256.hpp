#pragma once
// SHA-256 (FIPS 180-4) via OpenSSL.
#include <array>
#include <cstdint>
#include <span>

namespace zkamm::hash {

using Digest32 = std::array<uint8_t, 32>;

Digest32 sha256(std::span<const uint8_t> data) noexcept;

}  // namespace zkamm::hash
