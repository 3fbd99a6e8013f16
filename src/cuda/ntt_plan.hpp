#pragma once
// The device-independent steps of the CUDA backend's NTT, shared by the kernels and the CPU
// reference in the tests: an iterative radix-2 Cooley-Tukey transform (Cormen et al.,
// "Introduction to Algorithms", 3rd ed., section 30.3), bit-reversed permutation first, then
// log2(n) butterfly stages, one thread per butterfly. Twiddles come from one table
// tw[k] = w_N^k, k < N/2, of the largest size N built so far; a transform of size n = N / 2^s
// reads every 2^s-th entry (w_n = w_N^(N/n)).
#include <cstdint>

#include "cuda/field.hpp"

namespace zkamm::cuda {

/// i with its low log_n bits reversed.
ZKAMM_HD uint32_t bit_reverse(uint32_t i, unsigned log_n) {
  uint32_t r = 0;
  for (unsigned b = 0; b < log_n; ++b) r |= ((i >> b) & 1u) << (log_n - 1 - b);
  return r;
}

/// Butterfly t (t < n/2) of stage s (half-size 2^s) of a size-2^log_n transform; tw is the table
/// of w_N^k and tw_shift = log2(N / n).
ZKAMM_HD void ntt_butterfly(Fr* a, const Fr* tw, uint32_t t, unsigned s, unsigned log_n, unsigned tw_shift) {
  const uint32_t half = 1u << s;
  const uint32_t j = t & (half - 1);
  const uint32_t i0 = ((t >> s) << (s + 1)) | j;
  const uint32_t i1 = i0 + half;
  const Fr w = tw[static_cast<size_t>(j) << (log_n - 1 - s + tw_shift)];
  const Fr u = a[i0];
  const Fr v = a[i1] * w;
  a[i0] = u + v;
  a[i1] = u - v;
}

}  // namespace zkamm::cuda
