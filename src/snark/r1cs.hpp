#pragma once
// Rank-1 constraint systems in iden3's layout (the .r1cs file of circom/snarkjs): each constraint
// is <A, w> * <B, w> = <C, w> over Fr, where w is the full witness vector.
// Wire order (iden3): wire 0 is the constant 1, then the public outputs, the public inputs, and
// the private wires (private inputs first, then intermediate signals).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ff/bn254.hpp"

namespace zkamm::snark {

struct Term {
  uint32_t wire = 0;
  ff::Fr coeff;
};
/// sum coeff * w[wire]; a wire may repeat (the terms add up).
using LinearCombination = std::vector<Term>;

struct Constraint {
  LinearCombination a, b, c;
};

struct R1cs {
  uint32_t num_wires = 0;  ///< nVars, including wire 0 (the constant 1)
  uint32_t num_public_outputs = 0;
  uint32_t num_public_inputs = 0;
  uint32_t num_private_inputs = 0;
  uint64_t num_labels = 0;
  std::vector<Constraint> constraints;

  /// Public signals (outputs then inputs), not counting wire 0: snarkjs' nPublic.
  uint32_t num_public() const noexcept { return num_public_outputs + num_public_inputs; }

  /// Index of the first constraint the witness violates; nullopt when all hold. A witness of the
  /// wrong length, or a term naming a wire >= witness.size(), reports constraint 0 (or the first
  /// constraint with such a term) as unsatisfied.
  [[nodiscard]] std::optional<size_t> first_unsatisfied(std::span<const ff::Fr> witness) const;
  /// witness.size() == num_wires, witness[0] == 1 and every constraint holds.
  [[nodiscard]] bool is_satisfied(std::span<const ff::Fr> witness) const;
};

/// <lc, w>; terms naming wires outside w count as zero (callers validate wires first).
ff::Fr evaluate(const LinearCombination& lc, std::span<const ff::Fr> witness) noexcept;

}  // namespace zkamm::snark
