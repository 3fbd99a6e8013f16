#pragma once
// Modular inversion in variable time by the binary GCD with approximations of T. Pornin,
// "Optimized Binary GCD for Modular Inversion" (ePrint 2020/972), without its constant-time
// constraints: each outer step runs 31 binary-GCD steps on 64-bit approximations of a and b
// (their low 31 bits, exact, and their top 33 bits), records them as a 2x2 matrix of signed
// factors, and applies the matrix to the full values and to their cofactors u, v
// (a = u y, b = v y mod m), dividing the cofactors by 2^31 mod m Montgomery-style. It stops as
// soon as a is zero, so it takes ~15 outer steps where Fermat's exponentiation takes ~320
// Montgomery products (7.4 us against ~1-2 us here).
// For MSM buckets and other public values only: its running time depends on the input.
#include <cstdint>

#include "ff/uint256.hpp"

namespace zkamm::ff {

/// y^-1 mod m into *out for an odd modulus m < 2^255 and 0 < y < m with gcd(y, m) = 1; minv31
/// = m^-1 mod 2^31. False when the loop did not end within its bound (then *out is unset; the
/// caller falls back to a slow inversion).
bool inverse_mod_vartime(const U256& y, const U256& m, uint32_t minv31, U256* out) noexcept;

}  // namespace zkamm::ff
