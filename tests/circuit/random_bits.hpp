#pragma once
// Random integers of a given bit width for the gadget tests (native side of native == circuit).
#include <cstddef>
#include <random>

#include "ff/uint256.hpp"

namespace zkamm::circuit {

/// Uniform value below 2^n. Precondition: n <= 256.
inline ff::U256 random_bits(std::mt19937_64& rng, size_t n) {
  ff::U256 v{rng(), rng(), rng(), rng()};
  for (size_t limb = 0; limb < 4; ++limb) {
    const size_t lo = limb * 64;
    if (n <= lo) {
      v[limb] = 0;
    } else if (n < lo + 64) {
      v[limb] &= (uint64_t{1} << (n - lo)) - 1;
    }
  }
  return v;
}

}  // namespace zkamm::circuit
