#pragma once
// Ethereum's Keccak-256 (Keccak with the original 0x01 padding, not FIPS 202 SHA3-256), via
// Crypto++ because Debian 12's OpenSSL 3.0 has no KECCAK-256 digest.
#include "hash/sha256.hpp"

namespace zkamm::hash {

Digest32 keccak256(std::span<const uint8_t> data) noexcept;

}  // namespace zkamm::hash
