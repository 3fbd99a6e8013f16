#pragma once
// The node's RocksDB store (docs/NODE.md "Store"). One key space with one-letter prefixes:
//   'A' u32 account            -> encode_account      (state; written with the block that changed it)
//   'T' u32 token id           -> encode_token        (L1 tokens; LP tokens follow from pools)
//   'R' u32 token id           -> u64 head block when registered (replay order of add_token)
//   'P' u32 pool id            -> encode_pool
//   'b' u64 block number       -> encode_block
//   'x' 32-byte tx hash        -> encode_location: where in which block the tx is (the tx itself is
//                                 only in the block record, so it is written to disk once; Store::tx
//                                 reads it from there). Records of older nodes carry a copy of the
//                                 tx encoding + Executed after the location and still read.
//   'B' u64 batch number       -> encode_batch
//   'm' "block"                -> head number, timestamp, hash, next priority serial, soft tx count
//   'm' "batch"                -> last batch number
//   'L' u64 batch number       -> the batch's L1 progress (node_l1.cpp)
//   'S' name                   -> settlement records: stored proofs, the L1 sender's journal
//   'z' u64 batch number       -> the whole state at the end of that batch (put_state_snapshot):
//                                 where a replay for a batch's pre-state starts (the prover's
//                                 witness rebuild, the batcher at start-up) instead of genesis
// and, in a second database in the subfolder trees/ (write_trees), the state trees' checkpoint:
//   'N' u8 tree u32 account u8 level u64 index -> 32-byte node (state::TreeKind; account 0 unless
//                                 a balance tree); non-empty nodes only
//   'm' "tree"                 -> number of the batch whose end state the 'N' records commit to
// A block is soft-final once the one synced WriteBatch with its block record, tx index entries,
// state records and head meta has returned (kill -9 keeps it). The batcher writes every node
// changed since the last checkpoint and the "tree" marker in one WriteBatch every
// NodeConfig::tree_checkpoint_batches batches (or interval) and at stop, after the batch's own
// record, so the stored trees are always those of a recorded batch. A restart loads them, syncs
// the leaves the later batches touched and checks the last batch's root (else rebuilds); a crash
// between a block's write and its batch's loses nothing (the restart batches those blocks again).
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <span>

#include "node/codec.hpp"
#include "node/store_health.hpp"
#include "state/commitment.hpp"

namespace zkamm::node {

struct HeadMeta {
  uint64_t head = 0;
  TimeMs timestamp = 0;
  Hash hash{};
  uint64_t next_priority_serial = 0;
  uint64_t soft_txs = 0;
};

/// A soft tx as the index holds it.
struct IndexedTx {
  TxLocation location;
  tx::Tx tx;
  tx::Executed executed;
};

struct StoreOpenOptions {
  /// Open even when the store recovered to before its acknowledged high-water mark (a damaged or
  /// truncated write-ahead log): the loss is logged and the mark moves back to what is left.
  bool accept_rollback = false;
};

class Store {
 public:
  /// Opens (creating if missing) the database in dir; nullptr and `error` on failure, including
  /// when the recovered store ends before the last acknowledged write (see AckMark) unless
  /// options.accept_rollback. A trees database that does not open (damaged) is deleted and
  /// recreated empty, with a warning: the trees are rebuilt from the state.
  static std::unique_ptr<Store> open(const std::string& dir, std::string& error, const StoreOpenOptions& options = {});
  ~Store();

  /// Writes the batch; sync = the write survives a power loss / kill -9 when it returns (and the
  /// ACKED high-water mark has moved to it). Writes are serialised so the mark names exactly the
  /// sequence number a synced write made durable.
  [[nodiscard]] bool write(rocksdb::WriteBatch& wb, bool sync);
  /// Makes every write so far durable (one WAL sync) without moving the ACKED mark yet: the
  /// sealer of a sequencer group acknowledges the blocks first (a follower's ack, the leader's
  /// vote) and then calls move_ack_mark(), so the mark's own sync is not on the path to soft.
  [[nodiscard]] bool sync_wal();
  /// Moves the ACKED mark to what the last sync_wal made durable (no-op if a synced write
  /// already moved it further).
  void move_ack_mark();
  /// Writes tree records (put_tree_nodes, put_tree_batch, clear_trees) to the trees database;
  /// not synced: a checkpoint lost with the machine is recomputed from the batch records.
  [[nodiscard]] bool write_trees(rocksdb::WriteBatch& wb);
  /// The status of the last failed write ("" when none failed since the last successful one).
  std::string last_error() const;
  /// After a failed write (RocksDB then refuses writes until resumed): DB::Resume on both
  /// databases; true when both accept writes again.
  bool resume();
  /// Deletes the trees database and opens it again empty (its files are damaged).
  bool reset_trees(std::string& error);
  /// True when open() found the trees database damaged and recreated it.
  bool trees_were_reset() const noexcept { return trees_reset_; }

  // -- WriteBatch builders --
  static void put_account(rocksdb::WriteBatch& wb, const state::Account& a);
  static void put_token(rocksdb::WriteBatch& wb, const state::Token& t, uint64_t registered_at_head);
  static void put_pool(rocksdb::WriteBatch& wb, uint32_t pool_id, const state::Pool& p);
  static void put_block(rocksdb::WriteBatch& wb, const Block& b);
  /// The tx index entry of the tx at l.block / l.position (its block record goes in the same batch).
  static void put_tx(rocksdb::WriteBatch& wb, const Hash& h, const TxLocation& l);
  static void put_head(rocksdb::WriteBatch& wb, const HeadMeta& m);
  static void put_batch(rocksdb::WriteBatch& wb, const Batch& b);
  /// Tree node records: a put per changed node, a delete per node that became empty.
  static void put_tree_nodes(rocksdb::WriteBatch& wb, std::span<const state::TreeNodeChange> changes);
  /// The stored trees are those of the end of batch `number` (0: before the first batch).
  static void put_tree_batch(rocksdb::WriteBatch& wb, uint64_t number);
  /// Deletes every tree node record and the marker (before writing rebuilt trees whole).
  static void clear_trees(rocksdb::WriteBatch& wb);
  /// A record under a caller-made key (the 'L' and 'S' spaces above).
  static void put_raw(rocksdb::WriteBatch& wb, const std::string& key, std::string_view value);
  /// A state snapshot at the end of batch `batch` ('z'); deleted with delete_state_snapshot.
  static void put_state_snapshot(rocksdb::WriteBatch& wb, uint64_t batch, const state::State& s);
  static void delete_state_snapshot(rocksdb::WriteBatch& wb, uint64_t batch);
  /// The batches with a state snapshot, ascending.
  std::vector<uint64_t> state_snapshots() const;
  /// The snapshot of batch `batch`; nullopt when absent or damaged (it does not decode into a
  /// consistent State).
  std::optional<state::State> state_snapshot(uint64_t batch) const;

  // -- reads --
  HeadMeta head() const;
  uint64_t last_batch() const;
  std::optional<Block> block(uint64_t number) const;
  /// A soft tx by hash: its index entry, and the tx from its block record; nullopt when either is
  /// missing, does not decode, or the block holds another tx at the indexed position.
  std::optional<IndexedTx> tx(const Hash& h) const;
  bool has_tx(const Hash& h) const;
  std::optional<Batch> batch(uint64_t number) const;
  /// L1 token `id` and the head after which it was registered (put_token).
  std::optional<std::pair<state::Token, uint64_t>> token(uint32_t id) const;
  /// The batch the stored trees belong to; nullopt when none are stored.
  std::optional<uint64_t> tree_batch() const;
  /// Puts every stored tree node into `trees` (fresh); false when a record does not decode or is
  /// out of range. The caller checks the root.
  bool load_trees(state::StateTrees& trees) const;
  std::optional<std::string> get_raw(const std::string& key) const { return get(key); }
  /// Every stored account, L1 token (with its registration head) and pool, in key order;
  /// false when a record does not decode.
  bool load_state(std::vector<state::Account>& accounts, std::vector<std::pair<state::Token, uint64_t>>& tokens,
                  std::vector<state::Pool>& pools) const;

 private:
  Store(rocksdb::DB* db, rocksdb::DB* trees, std::string dir, rocksdb::Options trees_options)
      : db_(db), trees_(trees), dir_(std::move(dir)), trees_options_(std::move(trees_options)) {}
  std::optional<std::string> get(const std::string& key) const;
  void note_error(const rocksdb::Status& st);
  rocksdb::DB* db_;
  rocksdb::DB* trees_;
  std::string dir_;
  rocksdb::Options trees_options_;
  bool trees_reset_ = false;
  std::unique_ptr<AckMarkFile> mark_;
  bool mark_failed_logged_ = false;  // write_mu_
  uint64_t mark_seq_ = 0;            // write_mu_: the sequence the mark names
  AckMark synced_;                   // write_mu_: what the last sync_wal made durable
  void write_mark(const AckMark& m);  // write_mu_ held
  std::mutex write_mu_;
  mutable std::mutex err_mu_;
  std::string last_error_;  // err_mu_
};

}  // namespace zkamm::node
