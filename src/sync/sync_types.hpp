#pragma once
// What the L1 follower hands the replica: committed batches read from L1 calldata, the tokens
// registered, and how far L1 has been read (docs/SYNC.md).
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ff/bn254.hpp"
#include "l1/bytes.hpp"
#include "tx/batch_header.hpp"

namespace zkamm::sync {

/// One batch as L1 holds it: the header and public data from the calldata of the transaction
/// that committed it (commitBatch or commitProveExecute) and the root its BatchCommitted event
/// recorded (the root the contract stores and later makes lastExecutedRoot).
struct L1Batch {
  uint64_t number = 0;
  std::vector<uint8_t> header;   ///< 98 bytes (docs/BATCH.md section 2)
  std::vector<uint8_t> pubdata;  ///< 42 bytes per slot, or 10 in a swap batch
  ff::Fr stored_root = ff::Fr::zero();
  uint64_t commit_block = 0;
  l1::Bytes32 commit_tx{};
  uint64_t final_block = 0;      ///< block of its BatchExecuted event (0 while only committed)
  /// The header's kind (universal when the header is malformed: Replica::replay rejects it).
  tx::BatchKind kind() const { return tx::batch_header_kind(header).value_or(tx::BatchKind::Universal); }
};

/// The newest L1 block whose events the replica has taken in, and its hash (reorg check).
struct Cursor {
  uint64_t block = 0;
  l1::Bytes32 hash{};
};

/// One atomic step of the replica: tokens registered (in id order), batches applied (in order),
/// the commits seen but not final yet, and the new cursor. With `journal` the step can be undone
/// (rollback_one) when an L1 reorg removes its blocks.
struct SyncUpdate {
  std::vector<std::pair<uint16_t, l1::Address>> tokens;
  std::vector<L1Batch> batches;
  std::vector<L1Batch> pending_put;
  std::vector<uint64_t> pending_delete;
  Cursor cursor;
  bool journal = false;
};

/// The rollup's identity, fixed when a data directory is first used.
struct ChainInfo {
  uint64_t chain_id = 0;
  l1::Address rollup{};
  uint64_t deploy_block = 0;
  ff::Fr genesis_root = ff::Fr::zero();
};

}  // namespace zkamm::sync
