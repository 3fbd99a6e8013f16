#pragma once
// The replica's RocksDB store. One key space, one-letter prefixes (big-endian numbers):
//   'A' u32 account  -> node::encode_account      'T' u32 token -> node::encode_token
//   'P' u32 pool     -> node::encode_pool
//   'N' u8 tree u32 account u8 level u64 index -> 32-byte tree node (non-empty nodes only; not
//                      the balance trees' leaves, which load() takes from the account records)
//   'B' u64 batch    -> the applied batch (header, public data, root, L1 blocks and commit tx)
//   'C' u64 batch    -> a batch committed on L1 and not final yet (same record)
//   'U' u64 step     -> undo journal of a recent step: the previous value of every key it wrote
//   'm' "chain"      -> ChainInfo; 'm' "sync" -> last batch, root, cursor, next journal step
// Every replica step is one synced WriteBatch: state, tree nodes, batch records, pending
// commits and the cursor move together, so a kill -9 leaves the store at a step boundary and a
// restart resumes from it.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "state/commitment.hpp"
#include "state/state.hpp"
#include "sync/sync_types.hpp"

namespace zkamm::sync {

struct SyncMeta {
  uint64_t last_batch = 0;
  ff::Fr root = ff::Fr::zero();
  Cursor cursor;
  uint64_t next_step = 1;       ///< journal step numbers
  uint64_t slots_replayed = 0;  ///< non-noop slots applied so far
};

namespace key {
std::string account(uint32_t a);
std::string token(uint32_t t);
std::string pool(uint32_t p);
std::string tree_node(const state::TreeNodeChange& c);
/// tree_node() into a fixed buffer (no allocation); the key's length.
constexpr size_t kTreeNodeKeyBytes = 15;
void tree_node(const state::TreeNodeChange& c, char (&out)[kTreeNodeKeyBytes]);
std::string batch(uint64_t n);
std::string pending(uint64_t n);
std::string undo(uint64_t step);
inline const std::string kChain = "mchain";
inline const std::string kMeta = "msync";
}  // namespace key

std::string encode_batch(const L1Batch& b);
std::optional<L1Batch> decode_batch(std::string_view in);
std::string encode_meta(const SyncMeta& m);
std::optional<SyncMeta> decode_meta(std::string_view in);
std::string encode_chain(const ChainInfo& c);
std::optional<ChainInfo> decode_chain(std::string_view in);

/// Writes of one step, straight into the RocksDB batch (a step of a long catch-up writes
/// hundreds of thousands of tree nodes: no copy of each key and value on the way). The undo
/// journal reads the keys back from the batch.
struct StepWrites {
  rocksdb::WriteBatch batch;
  void put(std::string_view k, std::string_view v) { (void)batch.Put(k, v); }
  void del(std::string_view k) { (void)batch.Delete(k); }
};

class SyncStore {
 public:
  static std::unique_ptr<SyncStore> open(const std::string& dir, std::string& error);
  ~SyncStore();
  SyncStore(const SyncStore&) = delete;
  SyncStore& operator=(const SyncStore&) = delete;

  std::optional<std::string> get(const std::string& k) const;
  /// Applies the step in one synced WriteBatch; with journal_step != 0 also stores the undo
  /// record 'U' journal_step (the values the keys held before) and drops journal records older
  /// than keep_journal steps. "" or the error.
  std::string write(StepWrites& w, uint64_t journal_step, uint64_t keep_journal);
  /// Undoes the newest journal record (one synced write); "" or the error, "none" when there is
  /// no journal left.
  std::string undo_newest();

  /// Reads the whole state: accounts, L1 tokens and pools; the tree nodes into `trees`.
  std::string load(state::State& s, state::StateTrees& trees) const;
  /// Every record under a one-byte prefix, in key order.
  std::vector<std::pair<std::string, std::string>> scan(char prefix) const;

 private:
  explicit SyncStore(rocksdb::DB* db) : db_(db) {}
  rocksdb::DB* db_;
};

}  // namespace zkamm::sync
