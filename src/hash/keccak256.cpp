#include <cryptopp/keccak.h>

#include "hash/keccak256.hpp"

namespace zkamm::hash {

Digest32 keccak256(std::span<const uint8_t> data) noexcept {
  Digest32 out{};
  CryptoPP::Keccak_256 k;
  k.CalculateDigest(out.data(), data.data(), data.size());
  return out;
}

}  // namespace zkamm::hash
