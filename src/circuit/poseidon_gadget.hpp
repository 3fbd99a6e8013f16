#pragma once
// Poseidon in-circuit, equal bit for bit to hash::poseidon (circomlib's parameters).
// Only S-box outputs become wires: each x^5 costs 3 constraints (x2 = x*x, x4 = x2*x2,
// x5 = x4*x); the round constants and MDS layers stay inside linear combinations. An S-box whose
// input is a constant (the capacity element of the first round) is evaluated natively, as circom
// does, so Poseidon(2) costs 3 * (8*3 + 57) - 3 = 240 constraints, circomlib's count.
#include <span>
#include <vector>

#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

using Lc = snark::LinearExpr;

/// Constraints of poseidon_gadget for n inputs when no input is a constant.
size_t poseidon_constraint_count(size_t n_inputs) noexcept;

/// Poseidon of 1..16 inputs; the result is a linear combination of the last round's S-box wires
/// (no constraint of its own). Precondition: 1 <= inputs.size() <= 16.
Lc poseidon_gadget(snark::ConstraintSystem& cs, std::span<const Lc> inputs);

inline Lc poseidon_gadget(snark::ConstraintSystem& cs, std::initializer_list<Lc> inputs) {
  return poseidon_gadget(cs, std::span<const Lc>(inputs.begin(), inputs.size()));
}

}  // namespace zkamm::circuit
