#pragma once
// One universal transaction slot of the batch circuit (docs/CIRCUIT.md section 2): every
// supported type runs through the same gadgets; one-hot type flags decide which rule applies.
#include <vector>

#include "batch/batch_circuit.hpp"
#include "circuit/bits.hpp"

namespace zkamm::batch {

using Lc = snark::LinearExpr;

struct SlotResult {
  Lc account_root;
  Lc pool_root;
  std::vector<circuit::Bit> pubdata_bits;  ///< slot_pubdata_bytes(kind) bytes in message order
  Lc priority;                             ///< 1 for a priority operation, else 0
};

/// States one slot: the leaves it changes move account_root/pool_root forward.
/// Precondition: timestamp is range-checked to 64 bits by the caller.
SlotResult synthesize_slot(snark::ConstraintSystem& cs, const BatchParams& params, const SlotWitness& w,
                           const Lc& account_root, const Lc& pool_root, const Lc& timestamp);

}  // namespace zkamm::batch
