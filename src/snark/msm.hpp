#pragma once
// Multi-scalar multiplication sum_i scalars[i] * bases[i] over BN254 G1 and G2: the Groth16
// prover's dominant cost. Pippenger's bucket method with signed digits and batch-affine bucket
// additions; see snark/msm_pippenger.hpp for the algorithm and its sources.
#include <span>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/uint256.hpp"

namespace zkamm::snark {

/// bases.size() == scalars.size(); every scalar < r (Fr::to_canonical()); bases may repeat or be infinity.
ec::G1 msm_g1(std::span<const ec::G1Affine> bases, std::span<const ff::U256> scalars) noexcept;

/// bases.size() == scalars.size(); every scalar < r (Fr::to_canonical()); bases may repeat or be infinity.
ec::G2 msm_g2(std::span<const ec::G2Affine> bases, std::span<const ff::U256> scalars) noexcept;

/// One MSM of a batch: *result = sum scalars[i] * bases[i], with msm_g1's preconditions.
struct MsmG1Job {
  std::span<const ec::G1Affine> bases;
  std::span<const ff::U256> scalars;
  ec::G1* result;
};
/// One MSM of a batch: *result = sum scalars[i] * bases[i], with msm_g2's preconditions.
struct MsmG2Job {
  std::span<const ec::G2Affine> bases;
  std::span<const ff::U256> scalars;
  ec::G2* result;
};

/// Computes every job. The (window, point range) tasks of all of them form one queue, largest
/// first, that the worker threads drain together, so no thread idles at the end of each MSM.
/// Results point to distinct objects.
void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) noexcept;

}  // namespace zkamm::snark
