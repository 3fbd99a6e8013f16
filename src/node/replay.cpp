#include "node/replay.hpp"

#include <algorithm>

#include "tx/execute.hpp"

namespace zkamm::node {

bool same_executed(const tx::Executed& a, const tx::Executed& b) noexcept {
  return a.amount_in == b.amount_in && a.amount_out == b.amount_out && a.liquidity == b.liquidity &&
         a.lp_token == b.lp_token && a.token0 == b.token0 && a.token1 == b.token1;
}

namespace {

enum class Replayed { kEnd, kStopped, kFailed };

/// Re-executes the stored txs into `s` from position `first` through block `last`, stopping after
/// the tx at `stop` when given. kFailed: a block is missing or a tx does not re-execute with its
/// recorded Executed.
Replayed replay_txs(const Store& store, const tx::Domain& domain, state::State& s, TxPos first, uint64_t last,
                    std::optional<TxPos> stop) {
  for (uint64_t n = first.block; n <= last; ++n) {
    const auto b = store.block(n);
    if (!b) return Replayed::kFailed;
    for (uint32_t i = n == first.block ? first.position : 0; i < b->txs.size(); ++i) {
      const auto& t = b->txs[i];
      const tx::ExecResult r = tx::execute(s, t.tx, domain, tx::ExecOptions{b->header.timestamp / 1000, false});
      if (!r.ok() || !same_executed(r.executed, t.executed)) return Replayed::kFailed;
      if (stop && TxPos{n, i} == *stop) return Replayed::kStopped;
    }
  }
  return Replayed::kEnd;
}

}  // namespace

std::optional<state::State> replay_blocks(const Store& store, const tx::Domain& domain, uint64_t head,
                                          std::optional<TxPos> stop_after) {
  std::vector<state::Account> accounts;
  std::vector<std::pair<state::Token, uint64_t>> tokens;
  std::vector<state::Pool> pools;
  if (!store.load_state(accounts, tokens, pools)) return std::nullopt;
  // Every L1 token up front, in id order: registering only adds ids, and a tx in a block never
  // names a token registered after it (it would have failed), so the outcome is the same.
  std::sort(tokens.begin(), tokens.end(), [](const auto& a, const auto& b) { return a.first.id < b.first.id; });
  state::State s;
  for (const auto& [t, at] : tokens) {
    if (t.id == state::kEthToken) continue;
    state::TokenId id = 0;
    if (!s.add_token(t.l1_address, id).ok() || id != t.id) return std::nullopt;
  }
  switch (replay_txs(store, domain, s, TxPos{1, 0}, head, stop_after)) {
    case Replayed::kFailed:
      return std::nullopt;
    case Replayed::kStopped:
      return s;
    case Replayed::kEnd:
      break;
  }
  if (stop_after && stop_after->block != 0) return std::nullopt;  // the position is past the head
  return s;
}

std::optional<state::State> replay_blocks_from(const Store& store, const tx::Domain& domain, state::State start,
                                               TxPos after, TxPos stop_after) {
  if (stop_after < after) return std::nullopt;
  // Tokens registered after the snapshot, up front in id order (as replay_blocks does).
  for (auto id = static_cast<state::TokenId>(start.num_tokens());; ++id) {
    const auto t = store.token(id);
    if (!t) break;
    state::TokenId got = 0;
    if (!start.add_token(t->first.l1_address, got).ok() || got != id) return std::nullopt;
  }
  if (stop_after == after) return start;
  // Anything but stopping at stop_after (a missing block, a tx that does not re-execute, a
  // position past the log) is a failure.
  if (replay_txs(store, domain, start, TxPos{after.block, after.position + 1}, stop_after.block, stop_after) !=
      Replayed::kStopped)
    return std::nullopt;
  return start;
}

std::optional<state::State> load_state(const Store& store) {
  std::vector<state::Account> accounts;
  std::vector<std::pair<state::Token, uint64_t>> tokens;
  std::vector<state::Pool> pools;
  if (!store.load_state(accounts, tokens, pools)) return std::nullopt;
  if (accounts.empty()) return state::State();
  std::vector<state::Token> l1;
  l1.reserve(tokens.size());
  for (auto& t : tokens) l1.push_back(t.first);
  return state::State::from_parts(std::move(accounts), std::move(l1), std::move(pools));
}

}  // namespace zkamm::node
