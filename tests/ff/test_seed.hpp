#pragma once
// Seeded randomness for tests: the seed comes from ZKAMM_SEED when set, otherwise from the
// clock, and is printed so that a failure can be replayed.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace zkamm::testing {

inline uint64_t test_seed() {
  static const uint64_t seed = [] {
    if (const char* env = std::getenv("ZKAMM_SEED"); env != nullptr && *env != '\0') {
      return static_cast<uint64_t>(std::stoull(env));
    }
    return static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  }();
  return seed;
}

/// A generator seeded from test_seed() plus a per-test salt; prints the seed once per call.
inline std::mt19937_64 seeded_rng(const char* test_name, uint64_t salt = 0) {
  const uint64_t s = test_seed();
  std::cout << "[ seed ] " << test_name << ": ZKAMM_SEED=" << s << "\n";
  return std::mt19937_64(s ^ (salt * 0x9e3779b97f4a7c15ULL));
}

}  // namespace zkamm::testing
