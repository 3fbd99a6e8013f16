#pragma once
// Self-generated EdDSA-Poseidon keys for tests (never real keys): key i is i's four bytes
// little-endian, then 0x5a. Distinct for every i, so account i can simply use key i.
#include <cstdint>

#include "hash/eddsa.hpp"

namespace zkamm::testing {

inline hash::PrivateKey test_key(uint32_t i) {
  hash::PrivateKey k{};
  k.fill(0x5a);
  for (unsigned j = 0; j < 4; ++j) k[j] = static_cast<uint8_t>(i >> (8 * j));
  return k;
}

}  // namespace zkamm::testing
