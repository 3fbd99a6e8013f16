#pragma once
// Multi-scalar multiplication sum_i scalars[i] * bases[i] over BN254 G1 and G2: the Groth16
// prover's dominant cost. Pippenger's bucket method with signed digits and batch-affine bucket
// additions; see snark/msm_pippenger.hpp for the algorithm and its sources.
#include <span>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/uint256.hpp"
#include "snark/msm_bases.hpp"

namespace zkamm::snark {

/// bases.size() == scalars.size(); every scalar < r (Fr::to_canonical()); bases may repeat or be infinity.
ec::G1 msm_g1(const MsmBases<ec::G1Config>& bases, std::span<const ff::U256> scalars) noexcept;

/// bases.size() == scalars.size(); every scalar < r (Fr::to_canonical()); bases may repeat or be infinity.
ec::G2 msm_g2(const MsmBases<ec::G2Config>& bases, std::span<const ff::U256> scalars) noexcept;

/// One MSM of a batch: *result = sum scalars[i] * bases[i], with msm_g1's preconditions.
struct MsmG1Job {
  MsmBases<ec::G1Config> bases;
  std::span<const ff::U256> scalars;
  ec::G1* result;
  /// Scalars repeat (a witness): sum the bases of equal scalars first (msm_many).
  bool group_repeats = false;
};
/// One MSM of a batch: *result = sum scalars[i] * bases[i], with msm_g2's preconditions.
struct MsmG2Job {
  MsmBases<ec::G2Config> bases;
  std::span<const ff::U256> scalars;
  ec::G2* result;
  /// Scalars repeat (a witness): sum the bases of equal scalars first (msm_many).
  bool group_repeats = false;
};

/// Computes every job. A prover's scalars are mostly a witness, with many bits and repeated
/// values: each job's scalars are sorted into zero (skipped), one (the points are summed with
/// batch-affine additions) and classes by bit length, each its own Pippenger with as many
/// windows as its longest scalar needs; with group_repeats, the bases of equal scalars are
/// summed first, so each distinct value enters the Pippenger once. A class of full-size scalars
/// may run in GLV form (ec/glv.hpp: twice the points, 127-bit scalars) where the cost model says
/// it pays, and batch-affine tasks may fill several narrow windows at once. The tasks of all of
/// them (window groups x point ranges, ranges of ones) form one queue, largest first, that the
/// worker threads drain together, so no thread idles at the end of each MSM. Results point to
/// distinct objects.
void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) noexcept;

}  // namespace zkamm::snark
