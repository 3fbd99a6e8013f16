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
  Lc pair_root;  ///< the universal slot's; a swap slot leaves pairs and the pool count alone
  Lc num_pools;
  std::vector<circuit::Bit> pubdata_bits;  ///< slot_pubdata_bytes(kind) bytes in message order
  Lc priority;                             ///< 1 for a priority operation, else 0
};

/// The state a slot reads and moves forward: the tree roots and the pool count.
struct SlotChain {
  Lc account_root, pool_root, pair_root, num_pools;
};

/// States one slot: the leaves it changes move the chain forward. Preconditions: timestamp is
/// range-checked to 64 bits and num_tokens to 16 bits by the caller.
SlotResult synthesize_slot(snark::ConstraintSystem& cs, const BatchParams& params, const SlotWitness& w,
                           const SlotChain& in, const Lc& timestamp, const Lc& num_tokens);

}  // namespace zkamm::batch
