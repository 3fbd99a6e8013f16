#pragma once
// Data availability: the state rebuilt from the public data alone, as anyone can from the L1
// calldata of the committed batches (docs/TRANSACTIONS.md section 4).
#include <cstdint>
#include <span>
#include <string>

#include "state/commitment.hpp"
#include "state/state.hpp"

namespace zkamm::tx {

/// Applies the slots of a batch's public data (kSlotPublicDataBytes each) to s in order. What the
/// public data leaves out follows from the state, as the node computed it: a swap's other side,
/// the liquidity an add_liquidity mints (pair.mint of the published amounts), what a
/// remove_liquidity pays; nonces rise by one per L2 transaction. Each slot's public data is
/// rebuilt from the replayed transition and must equal the input byte for byte. Returns "" or
/// the first failing slot's reason; s then holds the slots before it. With `touched`, appends
/// what each replayed slot changed (collect_touched), for StateTrees::sync.
std::string replay_public_data(state::State& s, std::span<const uint8_t> pubdata, state::Touched* touched = nullptr);

/// The same for a swap batch's public data (kSwapSlotBytes per slot, tx/swap_public_data.hpp):
/// each swap on the pool and direction its word names.
std::string replay_swap_public_data(state::State& s, std::span<const uint8_t> pubdata,
                                    state::Touched* touched = nullptr);

}  // namespace zkamm::tx
