#pragma once
// The prover's heavy kernels behind one interface, so that a GPU implementation can replace the
// CPU one without touching Groth16: multi-scalar multiplications in G1/G2 and NTTs over Fr.
#include <span>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/bn254.hpp"
#include "snark/msm.hpp"

namespace zkamm::snark {

class ProverBackend {
 public:
  virtual ~ProverBackend() = default;

  /// Short name for logs and benchmarks ("cpu", "cuda").
  virtual const char* name() const noexcept = 0;

  /// sum scalars[i] * bases[i]; bases.size() == scalars.size(); scalars canonical (< r).
  virtual ec::G1 msm_g1(const MsmBases<ec::G1Config>& bases, std::span<const ff::U256> scalars) = 0;
  /// sum scalars[i] * bases[i]; bases.size() == scalars.size(); scalars canonical (< r).
  virtual ec::G2 msm_g2(const MsmBases<ec::G2Config>& bases, std::span<const ff::U256> scalars) = 0;
  /// Every job of a batch (results distinct). The default runs msm_g1/msm_g2 one after the
  /// other; a backend may overlap them.
  virtual void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2);

  /// In-place NTT (inverse = false) or inverse NTT; size satisfies is_ntt_size (snark/ntt.hpp).
  virtual void ntt(std::span<ff::Fr> values, bool inverse) = 0;
  /// In-place coset NTT on shift*<w> or its inverse; size satisfies is_ntt_size, shift != 0.
  virtual void coset_ntt(std::span<ff::Fr> values, const ff::Fr& shift, bool inverse) = 0;

  /// Groth16's quotient step (snarkjs groth16_prove.js): given the evaluations of A, B and C on
  /// the n-th roots of unity, overwrite `a` with (A*B - C) at the odd 2n-th roots of unity
  /// w_2n^(2j+1), j = 0..n-1. b and c are clobbered. All three have the same NTT size n < 2^28.
  /// The default runs intt, multiply by w_2n^k, ntt on each, then joins pointwise.
  virtual void quotient_odd_coset(std::span<ff::Fr> a, std::span<ff::Fr> b, std::span<ff::Fr> c);

  /// Optional: `bases` (the proving key's sections; the caller keeps them alive and unchanged
  /// until release_bases()) will be passed to MSMs again, whole or as one part of a
  /// concatenation. A GPU backend uploads them once and keeps them; the default does nothing.
  virtual void retain_bases(std::span<const ec::G1Affine> bases) { (void)bases; }
  virtual void retain_bases(std::span<const ec::G2Affine> bases) { (void)bases; }
  /// Forgets every retained set.
  virtual void release_bases() noexcept {}
};

/// The multithreaded CPU backend (msm_g1/msm_g2 of snark/msm.hpp, ntt of snark/ntt.hpp); a
/// process-wide singleton, safe to use from several threads at once.
ProverBackend& cpu_backend() noexcept;

/// The backend prove() uses when none is passed: cpu_backend() unless set_default_backend chose
/// another (the CLI's --backend). The backend must outlive its use.
ProverBackend& default_backend() noexcept;
void set_default_backend(ProverBackend& backend) noexcept;

}  // namespace zkamm::snark
