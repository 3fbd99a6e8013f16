#pragma once
// BLAKE-512, the SHA-3 finalist (Aumasson, Henzen, Meier, Phan, "SHA-3 proposal BLAKE",
// version 1.3, 2010) - not BLAKE2. circomlib's EdDSA derives keys and nonces with it.
#include <array>
#include <cstdint>
#include <span>

namespace zkamm::hash {

using Blake512Digest = std::array<uint8_t, 64>;

/// BLAKE-512 of a byte string (salt zero).
Blake512Digest blake512(std::span<const uint8_t> data) noexcept;

}  // namespace zkamm::hash
