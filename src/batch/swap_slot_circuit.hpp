#pragma once
// The slot of a swap batch (docs/CIRCUIT.md section 5): a swap (exact in or exact out) or a noop,
// with the universal slot's rules for swaps and only the leaf updates a swap makes: A's two
// balances, A's account leaf, the pool. Its public data is the 10-byte word of
// tx/swap_public_data.hpp.
#include "batch/slot_circuit.hpp"

namespace zkamm::batch {

/// States one swap slot. Precondition: timestamp is range-checked to 64 bits by the caller; w is a
/// noop or a swap whose exact amount has a float encoding (else unsatisfiable).
SlotResult synthesize_swap_slot(snark::ConstraintSystem& cs, const BatchParams& params, const SlotWitness& w,
                                const Lc& account_root, const Lc& pool_root, const Lc& timestamp);

}  // namespace zkamm::batch
