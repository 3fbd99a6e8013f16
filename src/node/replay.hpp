#pragma once
// Rebuilding the state from the block log: used at start-up for the batcher's state at the last
// batch boundary, and by tests to check that the state records equal a replay of the blocks.
#include <cstdint>
#include <optional>

#include "node/store.hpp"

namespace zkamm::node {

/// A transaction's place in the block log.
struct TxPos {
  uint64_t block = 0;
  uint32_t position = 0;
  friend auto operator<=>(const TxPos&, const TxPos&) = default;
};

/// Re-executes blocks 1..head of `store` from the initial state with every stored L1 token
/// registered first, stopping after the tx at `stop_after` when given. nullopt when a block is
/// missing or a tx does not re-execute with its recorded Executed.
std::optional<state::State> replay_blocks(const Store& store, const tx::Domain& domain, uint64_t head,
                                          std::optional<TxPos> stop_after = std::nullopt);

/// Re-executes the block log from `start`, the state right after the tx at `after`, up to and
/// including the tx at `stop_after` (not before `after`), with every stored L1 token `start` lacks
/// registered first. nullopt when a block is missing or a tx does not re-execute.
std::optional<state::State> replay_blocks_from(const Store& store, const tx::Domain& domain, state::State start,
                                               TxPos after, TxPos stop_after);

/// Whether two Executed records are equal.
bool same_executed(const tx::Executed& a, const tx::Executed& b) noexcept;

/// Reads the state records of `store` (State::from_parts); nullopt when they are inconsistent.
/// An empty store gives the initial State.
std::optional<state::State> load_state(const Store& store);

}  // namespace zkamm::node
