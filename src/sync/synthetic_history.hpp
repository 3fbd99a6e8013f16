#pragma once
// A synthetic L1 history for the replica's tests and benchmarks: the batches an honest operator
// would commit (headers, public data, stored roots) for a scripted workload, made with
// tx::execute on a reference state, without signatures (a replay needs none) and without L1.
// Workload: accounts created and funded by priority ops, two pools (TKA/TKB and ETH/TKA) with LP
// positions, then random swaps (swap batches, or universal ones), transfers and withdrawals.
#include <cstdint>
#include <utility>
#include <vector>

#include "l1/bytes.hpp"
#include "state/commitment.hpp"
#include "state/state.hpp"
#include "sync/sync_types.hpp"

namespace zkamm::sync {

struct HistoryParams {
  uint32_t accounts = 16;     ///< L2 accounts 1..accounts
  uint64_t swaps = 200;       ///< random single-hop swaps after the set-up
  uint32_t slots = 8;         ///< slots per batch
  bool swap_batches = true;   ///< swaps in 10-byte swap batches (else universal batches)
  uint32_t root_every = 1;    ///< true roots every this many batches (and at the end); between
                              ///< them chained placeholders (a replica fed steps of this many
                              ///< batches checks only true ones)
  uint32_t transfers_every = 0;  ///< a universal batch of transfers and withdrawals every N swap batches (0: never)
  uint64_t seed = 1;
};

struct History {
  std::vector<std::pair<uint16_t, l1::Address>> tokens;  ///< TKA = 1, TKB = 2
  std::vector<L1Batch> batches;
  state::State final_state;
  ff::Fr final_root = ff::Fr::zero();
  uint64_t swaps = 0;  ///< swaps published
};

History make_history(const HistoryParams& p);

}  // namespace zkamm::sync
