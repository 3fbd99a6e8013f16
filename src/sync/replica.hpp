#pragma once
// The L2 state rebuilt from L1 alone (issue 16, docs/SYNC.md): the public data of every final
// batch replayed with tx::replay_public_data / replay_swap_public_data onto the state and its
// Merkle trees, the rebuilt root checked against the root the contract stored, everything
// persisted in one synced write per step (SyncStore). Readers (the JSON-RPC) take a shared lock
// and get answers in O(tree depth): exit proofs come from the trees in memory, which mirror the
// stored ones.
//
// Root checks: the trees are brought up to date once per step (a step holds every batch the
// follower read in one L1 range), and the root after the step's last batch is compared with the
// root the contract stored for it. Each batch's own header must chain (old root = the previous
// batch's stored root, new root = its stored root), and on a mismatch the step is replayed again
// batch by batch from the stored state to name the first batch whose rebuilt root differs. So
// catching up on a long history hashes each tree node once per step, not once per batch.
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>

#include "node/exit_proof.hpp"
#include "state/commitment.hpp"
#include "state/state.hpp"
#include "sync/sync_store.hpp"
#include "sync/sync_types.hpp"

namespace zkamm::sync {

/// Where commit() spent its time since the replica was opened: wall seconds and CPU seconds of
/// the whole process (all threads, RocksDB's background ones included) per phase (the
/// benchmark's breakdown, docs/PERFORMANCE.md "Rebuilding the state from L1").
struct ReplicaTimings {
  struct Phase {
    double wall_s = 0, cpu_s = 0;
  };
  Phase replay;   ///< header checks and public data replay onto the state
  Phase trees;    ///< Merkle tree update (Poseidon) and the root check
  Phase records;  ///< encoding the step's records and changed tree nodes
  Phase write;    ///< the step's synced RocksDB write
};

struct ReplicaStatus {
  std::optional<ChainInfo> chain;
  SyncMeta meta;
  size_t accounts = 0, tokens = 0, pools = 0, pending = 0;
  std::string error;  ///< set once a step failed (the replica then refuses further steps)
};

class Replica {
 public:
  /// Opens (creating) the store in `dir` and loads the state; nullptr and `error` on failure
  /// (a store whose trees do not give its recorded root is refused).
  static std::unique_ptr<Replica> open(const std::string& dir, std::string& error, uint64_t keep_journal = 256);
  ~Replica();
  Replica(const Replica&) = delete;
  Replica& operator=(const Replica&) = delete;

  /// Binds a new store to a rollup, or checks that the store was made for this one; "" or why not.
  std::string bind(const ChainInfo& c);

  /// Applies one step atomically: tokens, batches (replayed, root checked), pending commits,
  /// cursor. "" or the error, which names the batch ("batch 7: ..."); after an error nothing of
  /// the step is kept and every later commit is refused with the same error.
  std::string commit(const SyncUpdate& u);
  /// Undoes the newest journalled step (an L1 reorg removed its blocks); "" or the error, "none"
  /// when no journal is left.
  std::string rollback_one();

  // -- reads (shared lock) --
  ReplicaStatus status() const;
  SyncMeta meta() const;
  std::map<uint64_t, L1Batch> pending() const;
  std::optional<state::Account> account(state::AccountIndex a) const;
  std::optional<state::Pool> pool(state::TokenId a, state::TokenId b) const;
  std::optional<state::Token> token(state::TokenId t) const;
  std::optional<L1Batch> batch(uint64_t n) const;
  /// The exodus proof of (account, token) against the current root (the last applied batch's).
  node::ExitProofResult exit_proof(state::AccountIndex a, state::TokenId t) const;
  /// The Merkle root of the state held now.
  ff::Fr root() const;
  ReplicaTimings timings() const;

 private:
  Replica(std::unique_ptr<SyncStore> store, uint64_t keep_journal) : store_(std::move(store)), keep_journal_(keep_journal) {}
  /// Loads state, trees, meta and pending commits from the store; "" or the error.
  std::string reload();
  /// Replays `u`'s batches one at a time from the stored state and names the first whose root
  /// differs (after the step's root check failed).
  std::string locate_mismatch(const SyncUpdate& u);
  /// Replays one batch onto state_ (touched collected); "" or "batch N: ...".
  std::string replay(const L1Batch& b, const ff::Fr& prev_root, state::Touched& touched);

  std::unique_ptr<SyncStore> store_;
  uint64_t keep_journal_;
  mutable std::shared_mutex mu_;
  state::State state_;
  state::StateTrees trees_;
  SyncMeta meta_;
  std::optional<ChainInfo> chain_;
  std::map<uint64_t, L1Batch> pending_;
  std::string error_;
  ReplicaTimings timings_;
};

/// "0x" + 64 hex digits of a field element.
std::string fr_hex(const ff::Fr& x);

}  // namespace zkamm::sync
