#pragma once
// A test tool that hunts under-constrained wires: with a satisfying witness, it changes one wire
// at a time (by +1, by -1 and by a random amount) and reports every wire for which all
// constraints still hold, i.e. a wire whose value the rest of the witness does not determine.
// Only the constraints that mention the wire are re-evaluated (a wire -> constraints index built
// once), so circuits with tens of thousands of wires take well under a second.
// It finds wires free on their own; wires that are only free together (two wires that may swap)
// are beyond it.
#include <cstdint>
#include <vector>

#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

struct FreeWireReport {
  /// Builder indices (snark::Variable::index) of the wires whose change left every constraint
  /// satisfied, in increasing order.
  std::vector<uint32_t> free_wires;
  /// How many wires were mutated.
  size_t checked = 0;
};

/// Mutates each private wire with builder index >= first_checked (wires below it are treated as
/// the gadget's inputs, which the gadget may legitimately ignore) and reports the free ones.
/// Precondition: cs is in full mode and satisfied.
FreeWireReport find_free_wires(const snark::ConstraintSystem& cs, uint32_t first_checked = 1,
                               uint64_t seed = 1);

}  // namespace zkamm::circuit
