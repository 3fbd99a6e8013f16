#pragma once
// Follows the rollup contract on L1 and feeds the replica (docs/SYNC.md). Each poll reads the
// logs of the next range of blocks that have `confirmations` confirmations: TokenAdded,
// BatchCommitted, BatchesReverted and BatchExecuted, in (block, log index) order. A
// BatchCommitted event's batch is read from the calldata of its transaction (commitBatch, or
// commitProveExecute with several batches) and must hash to the event's commitment
// (keccak256(header || pubdata)); it waits as a pending commit until BatchExecuted makes it
// final (a BatchesReverted drops the pending commits above its target), then the replica
// replays it. With Finality::kCommitted a commit is final once it has the confirmations.
//
// Reorgs: the replica records the hash of the last block read; when that block is no longer
// canonical the follower undoes journalled steps (steps within `journal_depth` blocks of the
// head are journalled) until the cursor is on the canonical chain again, then reads on.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "l1/rpc_client.hpp"
#include "sync/replica.hpp"

namespace zkamm::sync {

enum class Finality : uint8_t { kExecuted, kCommitted };

struct FollowerConfig {
  l1::Address rollup{};
  uint64_t confirmations = 1;           ///< >= 1: a log in block b has head - b + 1
  Finality finality = Finality::kExecuted;
  std::optional<uint64_t> from_block;   ///< the rollup's deployment block (default: searched)
  uint64_t max_range = 2000;            ///< blocks per eth_getLogs
  uint64_t journal_depth = 64;          ///< steps reading blocks this close to the head can be undone
  std::chrono::milliseconds poll_interval{500};
  /// TEST ONLY: runs on each batch read from L1 before the replica replays it (fault injection:
  /// the e2e test alters one byte of one batch's public data).
  std::function<void(L1Batch&)> tamper;
};

struct FollowerStats {
  uint64_t l1_head = 0;
  uint64_t polls = 0;
  uint64_t rollbacks = 0;  ///< journalled steps undone after reorgs
};

class Follower {
 public:
  /// rpc and replica outlive the follower.
  Follower(l1::RpcClient& rpc, Replica& replica, FollowerConfig cfg);
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  /// Checks the chain (code at the rollup, genesisRoot() = the empty state's root), finds the
  /// deployment block and binds the replica to the rollup. "" or the error.
  std::string init();
  /// One round: reads the next confirmed range and applies it. The number of batches applied,
  /// or the error: L1 unreachable (kind Transport: retry), anything else is fatal (a batch whose
  /// root or public data does not match names the batch).
  l1::Result<size_t> poll_once();
  /// Polls until the replica holds every final batch up to the confirmed head; the error when a
  /// poll failed with anything but a transport error.
  std::string catch_up(std::chrono::milliseconds timeout);
  /// Polls on a thread until stop() or a fatal error (error()).
  void start();
  void stop();
  std::string error() const;
  FollowerStats stats() const;

 private:
  l1::Result<std::optional<uint64_t>> find_deploy_block();
  /// The batches a commit transaction carries, by batch number (commitBatch: one,
  /// commitProveExecute: several).
  l1::Result<std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>> commit_calldata(const l1::Bytes32& tx);

  l1::RpcClient& rpc_;
  Replica& replica_;
  FollowerConfig cfg_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string error_;
  FollowerStats stats_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace zkamm::sync
