#pragma once
// Conversions between U256 and GMP integers for the tests that check the fields against GMP
// (the slow, independent reference).
#include <gmpxx.h>

#include <cstdint>

#include "ff/uint256.hpp"

namespace zkamm::ff {

inline mpz_class to_mpz(const U256& v) {
  mpz_class r;
  mpz_import(r.get_mpz_t(), 4, -1, sizeof(uint64_t), 0, 0, v.data());
  return r;
}

/// v < 2^256.
inline U256 from_mpz(const mpz_class& v) {
  U256 r{};
  size_t count = 0;
  mpz_export(r.data(), &count, -1, sizeof(uint64_t), 0, 0, v.get_mpz_t());
  return r;
}

}  // namespace zkamm::ff
