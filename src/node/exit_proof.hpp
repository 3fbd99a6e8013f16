#pragma once
// Exodus exit proofs (docs/CONTRACTS.md "Escape hatch, end to end"): what ZkammRollup.exodusExit
// and exodusExitLp need to prove one balance of one account against a frozen state root: the
// account's key and nonce, the balance, the balance-tree and account-tree paths and the pool root
// (plus, for an LP token, the pool leaf's fields and its path). The state at that root is rebuilt
// by re-executing the node's batches 1..n from the empty state (the same apply_batch the batcher
// runs), so a proof can be made for any batch root the node recorded, e.g. L1's
// lastExecutedRoot while later batches are still unexecuted; a root that is no batch's new root
// is refused.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "ff/bn254.hpp"
#include "state/commitment.hpp"
#include "state/state.hpp"

namespace zkamm::node {

class Node;

/// The pool part of an LP exit (exodusExitLp's poolLeaf and poolPath).
struct LpExitData {
  uint32_t pool = 0;                   ///< pool id (LP token = 512 + pool)
  std::array<ff::Fr, 4> leaf_fields;   ///< token0 + 2^10 * token1, reserve0, reserve1, total supply
  std::vector<ff::Fr> pool_path;       ///< 15 siblings (depth 5, docs/STATE.md)
  ff::Fr pair_root = ff::Fr::zero();   ///< the pair tree's root (exodusExitLp's pairRootAndCount)
  uint32_t num_pools = 0;
};

struct ExitProof {
  uint64_t batch = 0;                  ///< the batch whose new root this is (0 = genesis)
  ff::Fr root = ff::Fr::zero();        ///< Poseidon(account_root, pool_root)
  state::AccountIndex account = 0;
  state::TokenId token = 0;
  ff::U256 balance{};                  ///< < 2^128
  state::PublicKey key;
  uint64_t nonce = 0;
  std::vector<ff::Fr> balance_path;    ///< 15 siblings
  std::vector<ff::Fr> account_path;    ///< 36 siblings
  /// The state root's pool half, Poseidon(pool tree root, pair root, num_pools, 0) (exodusExit's
  /// poolRoot; docs/STATE.md).
  ff::Fr pool_root = ff::Fr::zero();
  std::optional<LpExitData> lp;        ///< set when token >= 512
};

enum class [[nodiscard]] ExitProofError : uint8_t {
  kOk = 0,
  kUnknownAccount,   ///< the account does not exist at that root
  kReservedAccount,  ///< account 0 has no L1 owner
  kTokenOutOfRange,  ///< token >= 1024, or an L1 token id the state does not know
  kUnknownPool,      ///< an LP token whose pool does not exist at that root
  kZeroBalance,      ///< nothing to exit (the contract rejects a zero balance)
  kRootNotFound,     ///< no batch of this node has that root
  kRootNotReady,     ///< the node has not computed the roots (or they stopped at a failed batch)
  kReplayFailed,     ///< re-executing the batches did not give their recorded roots
};
std::string_view to_string(ExitProofError e) noexcept;

struct ExitProofResult {
  ExitProofError error = ExitProofError::kOk;
  std::string message;                 ///< human text for errors
  std::optional<ExitProof> proof;
  bool ok() const noexcept { return error == ExitProofError::kOk; }
};

/// The proof of (account, token) from a state and its trees (trees == StateTrees::build(s) or
/// kept in sync with s); `batch` is only recorded. Precondition: none (errors are returned).
ExitProofResult make_exit_proof(const state::State& s, const state::StateTrees& trees, state::AccountIndex account,
                                state::TokenId token, uint64_t batch);

/// Recomputes the state root from a proof's fields alone (the contract's computation, in C++);
/// nullopt when a path has the wrong length or an index is out of range.
std::optional<ff::Fr> exit_proof_root(const ExitProof& p);

/// The state after batch `batch` (0 = genesis) rebuilt from the node's batches, with its trees;
/// `error` set when a batch is missing, has no root, or does not re-execute to its root.
struct ReplayedState {
  ExitProofError error = ExitProofError::kOk;
  std::string message;
  std::optional<state::State> state;
  std::optional<state::StateTrees> trees;
};
ReplayedState state_at_batch(const Node& node, uint64_t batch);

/// The proof of (account, token) against `root` (default: the root of the node's last batch
/// with a computed root). Refuses a root that is not the new root of one of the node's batches.
ExitProofResult exit_proof_at_root(const Node& node, state::AccountIndex account, state::TokenId token,
                                   const std::optional<ff::Fr>& root);

/// JSON view (docs/API.md zkamm_getExitProof): root as 0x-hex, field elements and amounts as
/// decimal strings, small integers as numbers.
nlohmann::json exit_proof_json(const ExitProof& p);

}  // namespace zkamm::node
