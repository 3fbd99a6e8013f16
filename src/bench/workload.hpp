#pragma once
// The bench's accounts, genesis and swaps. Keys are derived from (seed, account index), so a
// node started from the generated genesis and the bench agree without a key file. Swaps follow
// the paper's load generator: nonces assigned locally, signed before the run (the paper's
// clients also signed ahead), random pool and direction, honest slippage limit (quote from the
// pool state at planning time, min out = quote * (1 - slippage)).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ff/uint256.hpp"
#include "hash/eddsa.hpp"
#include "node/node.hpp"
#include "tx/message.hpp"

namespace zkamm::bench {

struct BenchAccount {
  uint32_t index = 0;
  hash::PrivateKey key{};
  uint32_t nonce = 0;  ///< next nonce to use
};

struct PoolView {
  uint16_t token0 = 0, token1 = 0;
  ff::U256 reserve0{}, reserve1{};
};

/// keccak256("zkamm-bench" || seed || index): a fixed key per account (bench accounts only).
hash::PrivateKey derive_key(uint64_t seed, uint32_t index);

/// Devnet genesis (docs/NODE.md) for an in-process node: tokens 1..tokens, account 1 the pool
/// provider, accounts 2..num_accounts+1 funded in every token, one pool per token pair.
std::string make_genesis_json(uint64_t seed, uint32_t num_accounts, uint32_t tokens);

/// The accounts of a genesis file that carry a private_key and balances (indices 1, 2, ... in
/// file order, or an account's own "account" number), and its pools' token pairs. nullopt and
/// *error on a malformed file.
struct GenesisView {
  std::vector<BenchAccount> accounts;
  std::vector<std::pair<uint16_t, uint16_t>> pools;
};
std::optional<GenesisView> read_genesis(const std::string& json_text, std::string* error);

struct PlannedSwap {
  uint32_t instance = 0;
  uint32_t account = 0;
  uint32_t slot = 0;  ///< position of the account in plan_swaps' `accounts`
  uint32_t nonce = 0;
  uint16_t token_in = 0, token_out = 0;
  node::Hash hash{};
  std::vector<uint8_t> encoded;
};

/// Swaps for `accounts` (accounts[i] belongs to instance owner[i]), `per_account` each, ordered
/// round-robin over accounts (so instances interleave); capped at `total` when total > 0.
/// Advances each account's nonce. Signs on all cores.
std::vector<PlannedSwap> plan_swaps(std::vector<BenchAccount*> accounts, const std::vector<uint32_t>& owner,
                                    uint32_t per_account, uint64_t total, const std::vector<PoolView>& pools,
                                    const tx::Domain& domain, double slippage, uint64_t seed, uint64_t deadline_s);

}  // namespace zkamm::bench
