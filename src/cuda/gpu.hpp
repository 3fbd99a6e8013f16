#pragma once
// The CUDA backend's device layer (implemented in gpu.cu, built when ZKAMM_CUDA is on): one GPU,
// its resident point sets, and the MSM / NTT / quotient kernels, in the device types of
// cuda/field.hpp and cuda/curve.hpp. No CUDA header leaks out of it, so the host side
// (cuda_backend.cpp, compiled by the C++ compiler) stays plain C++.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cuda/curve.hpp"

namespace zkamm::cuda {

/// A point set kept on the device (the proving key's sections); 0 = none.
using BasesHandle = uint32_t;
/// Scalars on the device, read by one or more MSMs (a witness: the prover's A, B1, B2 and C).
using ScalarsHandle = uint32_t;

/// Window sums of one MSM: result = sum_w 2^(c w) windows[w].
template <class P>
struct MsmWindows {
  unsigned c = 0;
  std::vector<P> windows;
};

class Gpu {
 public:
  /// The first CUDA device, or nullptr with *error saying why (no driver, no device, ...).
  static std::unique_ptr<Gpu> open(std::string* error);
  virtual ~Gpu() = default;

  /// e.g. "NVIDIA H100 80GB HBM3 (sm_90, 132 SMs, 79 GiB)".
  virtual std::string describe() const = 0;

  /// Copies n points to the device and keeps them until release(); throws std::runtime_error
  /// on a CUDA error (out of memory, ...).
  virtual BasesHandle upload_g1(const G1AffineD* points, size_t n) = 0;
  virtual BasesHandle upload_g2(const G2AffineD* points, size_t n) = 0;
  virtual void release(BasesHandle h) = 0;

  /// Copies n scalars (canonical 256-bit little-endian integers, ff::U256's layout: 8 words
  /// each) to the device and keeps them until release_scalars(); throws std::runtime_error on a
  /// CUDA error.
  virtual ScalarsHandle upload_scalars(const uint32_t* scalars, size_t n) = 0;
  virtual void release_scalars(ScalarsHandle h) = 0;

  /// sum s_i * P_i over the concatenation P of the resident sets first ++ second (second may be
  /// 0), with s the n resident scalars of `scalars` from index `offset` on; n = the total number
  /// of points. Throws std::runtime_error on a CUDA error or an unknown handle.
  virtual MsmWindows<G1Xyzz> msm_g1(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                                    size_t n) = 0;
  virtual MsmWindows<G2Xyzz> msm_g2(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                                    size_t n) = 0;

  /// In-place (inverse) NTT of n = 2^log_n values with the primitive root `root` (its inverse
  /// when inverse; then also scaled by 1/n, given as n_inv); when shift is given, the coset
  /// variant (coefficients scaled by shift^i before, or by shift_inv^i after the inverse).
  virtual void ntt(Fr* values, unsigned log_n, const Fr& root, const Fr& root_inv, const Fr& n_inv, bool inverse,
                   const Fr* shift, const Fr* shift_inv) = 0;

  /// Groth16's quotient step on the device: a, b, c <- coset_ntt(intt(.), w2n); a <- a*b - c.
  virtual void quotient(Fr* a, const Fr* b, const Fr* c, unsigned log_n, const Fr& root, const Fr& root_inv,
                        const Fr& n_inv, const Fr& w2n) = 0;

  /// Benchmarks: device time (CUDA events, no host transfers) of one forward NTT of 2^log_n
  /// values already on the device, in milliseconds; the fastest of `reps`.
  virtual double time_ntt_ms(unsigned log_n, const Fr& root, int reps) = 0;
};

}  // namespace zkamm::cuda
