#pragma once
// Seeded randomness for tests: one seed per test process, from ZKAMM_SEED when set (decimal),
// otherwise from the OS; every user prints it, so any failure can be replayed with
// `ZKAMM_SEED=<seed> ctest -R <test>`.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>

namespace zkamm::testing {

/// The process's seed (the same for every caller).
inline uint64_t test_seed() {
  static const uint64_t seed = [] {
    if (const char* env = std::getenv("ZKAMM_SEED"); env != nullptr && *env != '\0')
      return static_cast<uint64_t>(std::strtoull(env, nullptr, 10));
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }();
  return seed;
}

/// The seed, printed with the name of who uses it.
inline uint64_t test_seed(const char* who) {
  const uint64_t s = test_seed();
  std::cout << "[ seed ] " << who << ": ZKAMM_SEED=" << s << std::endl;
  return s;
}

/// A generator from the printed seed plus a per-use salt (so that two users draw different values).
inline std::mt19937_64 seeded_rng(const char* who, uint64_t salt = 0) {
  return std::mt19937_64(test_seed(who) ^ (salt * 0x9e3779b97f4a7c15ULL));
}

}  // namespace zkamm::testing
