#pragma once
// Number-theoretic transforms over BN254's Fr: in-place radix-2 Cooley-Tukey (decimation in
// time, bit-reversed input permutation; Cormen et al., "Introduction to Algorithms", 3rd ed.,
// section 30.3), natural order in and out.
//
// The roots of unity are exactly those of snarkjs/ffjavascript (wasmcurves build_fft.js): with
// r - 1 = 2^28 * t and g the smallest quadratic non-residue (g = 5 for BN254's r), the primitive
// 2^28-th root is g^t, and the 2^k-th root is its 2^(28-k)-th power. Using the same roots matters:
// a snarkjs .zkey holds Lagrange bases over this very domain.
#include <cstddef>
#include <span>

#include "ff/bn254.hpp"

namespace zkamm::snark {

/// Largest supported transform: 2^28 (Fr's 2-adicity).
inline constexpr unsigned kMaxLogNtt = ff::kFrTwoAdicity;

/// The smallest quadratic non-residue of Fr (5), the generator snarkjs derives its roots from.
ff::Fr fr_smallest_non_residue() noexcept;

/// Primitive 2^log_n-th root of unity (snarkjs' Fr.w[log_n]); log_n <= 28.
ff::Fr root_of_unity(unsigned log_n) noexcept;

/// True for sizes 1, 2, 4, ..., 2^28.
constexpr bool is_ntt_size(size_t n) noexcept { return n != 0 && (n & (n - 1)) == 0 && n <= (size_t{1} << kMaxLogNtt); }

/// Coefficients -> evaluations: a[i] <- sum_j a[j] w^(ij), w = root_of_unity(log2 n).
/// values.size() satisfies is_ntt_size.
void ntt(std::span<ff::Fr> values);
/// Evaluations -> coefficients (the inverse of ntt, including the 1/n scaling);
/// values.size() satisfies is_ntt_size.
void intt(std::span<ff::Fr> values);
/// Coefficients -> evaluations on the coset shift*<w>: a[i] <- sum_j a[j] (shift w^i)^j.
/// values.size() satisfies is_ntt_size; shift != 0.
void coset_ntt(std::span<ff::Fr> values, const ff::Fr& shift);
/// Inverse of coset_ntt with the same shift; values.size() satisfies is_ntt_size; shift != 0.
void coset_intt(std::span<ff::Fr> values, const ff::Fr& shift);

/// a[i] <- a[i] * shift^i (snarkjs' batchApplyKey with first = 1, inc = shift).
void scale_by_powers(std::span<ff::Fr> values, const ff::Fr& shift);

}  // namespace zkamm::snark
