#include "hash/sha256.hpp"

#include <openssl/sha.h>

namespace zkamm::hash {

Digest32 sha256(std::span<const uint8_t> data) noexcept {
  Digest32 out{};
  SHA256(data.data(), data.size(), out.data());
  return out;
}

}  // namespace zkamm::hash
