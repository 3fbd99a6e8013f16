#include "node/store.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <rocksdb/env.h>
#include <spdlog/spdlog.h>
#include <rocksdb/options.h>

#include "tx/encoding.hpp"

namespace zkamm::node {
namespace {

std::string key32(char prefix, uint32_t v) {
  std::string k(1, prefix);
  ByteWriter(k).u32(v);
  return k;
}
std::string key64(char prefix, uint64_t v) {
  std::string k(1, prefix);
  ByteWriter(k).u64(v);
  return k;
}
// An index record of this node: encode_location only. Longer records (older nodes) carry a copy
// of the tx after it.
constexpr std::size_t kLocationBytes = 8 + 4 + 8 + 8 + 8;
std::string key_hash(const Hash& h) {
  std::string k(1, 'x');
  k.append(reinterpret_cast<const char*>(h.data()), h.size());
  return k;
}
const std::string kHeadKey = "mblock";
const std::string kBatchKey = "mbatch";
const std::string kTreeKey = "mtree";
constexpr std::size_t kTreeKeySize = 1 + 1 + 4 + 1 + 8;

std::string tree_key(const state::TreeNodeChange& c) {
  std::string k(1, 'N');
  ByteWriter w(k);
  w.u8(static_cast<uint8_t>(c.kind));
  w.u32(c.account);
  w.u8(static_cast<uint8_t>(c.node.level));
  w.u64(c.node.index);
  return k;
}

}  // namespace

namespace {

std::string loss_report(const AckMark& acked, const AckMark& now) {
  std::string r;
  if (acked.head > now.head) {
    r = "blocks " + std::to_string(now.head + 1) + ".." + std::to_string(acked.head) + " and " +
        std::to_string(acked.soft_txs - std::min(acked.soft_txs, now.soft_txs)) + " soft transactions";
  } else {
    r = "no block, but synced records after block " + std::to_string(now.head) +
        " (L1 progress or settlement records)";
  }
  return "the block store recovered to block " + std::to_string(now.head) + " (" + std::to_string(now.soft_txs) +
         " soft txs, write sequence " + std::to_string(now.seq) + ") but had acknowledged block " +
         std::to_string(acked.head) + " (" + std::to_string(acked.soft_txs) + " soft txs, write sequence " +
         std::to_string(acked.seq) + "): " + r + " are gone; its write-ahead log was damaged or truncated";
}

}  // namespace

std::unique_ptr<Store> Store::open(const std::string& dir, std::string& error, const StoreOpenOptions& options) {
  // Compactions are deferred work, like the batcher's roots: on busy cores they wait for the
  // verifiers, writer and sealer (nice 19 for RocksDB's LOW pool; flushes keep their priority
  // since a late flush stalls writes).
  rocksdb::Env::Default()->LowerThreadPoolCPUPriority(rocksdb::Env::LOW);
  rocksdb::Options opt;
  opt.create_if_missing = true;
  opt.max_background_jobs = 2;
  opt.write_buffer_size = 32 << 20;
  // Flushes and compactions hand their files to the disk a megabyte at a time instead of all at
  // their end: a sync (ours, or another process's on the same disk) must push out every byte
  // written before it, so a 32 MB file handed over at once stalled the synced block writes of
  // every member of a group on one disk for tens of milliseconds.
  opt.bytes_per_sync = 1 << 20;
  opt.info_log = make_rocks_logger("store");
  rocksdb::DB* db = nullptr;
  rocksdb::Status st = rocksdb::DB::Open(opt, dir, &db);
  if (!st.ok()) {
    error = st.ToString();
    if (st.IsNoSpace()) error += " (the disk is full: free space, then start the node again)";
    return nullptr;
  }
  const auto close_db = [&db] {
    (void)db->Close();
    delete db;
  };

  // The acknowledged high-water mark (store_health.hpp).
  AckMarkFile::Load mark_state{};
  AckMark acked;
  auto mark = AckMarkFile::open(dir + "/ACKED", mark_state, acked, error);
  if (!mark) {
    close_db();
    return nullptr;
  }
  std::unique_ptr<Store> store(new Store(db, nullptr, dir, opt));
  const HeadMeta h = store->head();
  const AckMark now{db->GetLatestSequenceNumber(), h.head, h.soft_txs};
  bool rewrite = now.seq != acked.seq || mark_state != AckMarkFile::Load::kOk;
  if (mark_state == AckMarkFile::Load::kDamaged) {
    const std::string what = dir + "/ACKED (the acknowledged high-water mark) is damaged: cannot tell whether the "
                             "block store lost acknowledged blocks";
    if (!options.accept_rollback) {
      error = what + "; start with --accept-rollback to continue from block " + std::to_string(now.head);
      store->db_ = nullptr;
      close_db();
      return nullptr;
    }
    spdlog::error("store: {}; continuing from block {} (accept_rollback)", what, now.head);
  } else if (mark_state == AckMarkFile::Load::kMissing && now.head != 0) {
    spdlog::warn("store: {} has no ACKED mark (written by an older node); starting one at block {}", dir, now.head);
  } else if (mark_state == AckMarkFile::Load::kOk && now.seq < acked.seq) {
    const std::string report = loss_report(acked, now);
    if (!options.accept_rollback) {
      error = report + ". Restore the data dir from a backup or replica, or start with --accept-rollback to "
                       "continue from block " + std::to_string(now.head) + " (the lost transactions are gone)";
      store->db_ = nullptr;
      close_db();
      return nullptr;
    }
    spdlog::error("store: {}; continuing from block {} (accept_rollback)", report, now.head);
  }
  if (rewrite && !mark->write(now)) {
    error = "cannot write " + dir + "/ACKED: " + std::strerror(errno);
    store->db_ = nullptr;
    close_db();
    return nullptr;
  }
  store->mark_ = std::move(mark);

  // The trees live in their own database (a subfolder RocksDB's file cleanup ignores): a
  // checkpoint's tens of thousands of node records then never queue the sealer's synced block
  // writes behind them in one write queue.
  store->trees_options_.max_background_jobs = 1;
  // The trees' WAL is not synced: it goes to the disk a megabyte at a time too (see above; the
  // trees' options are a copy of opt, bytes_per_sync included).
  store->trees_options_.wal_bytes_per_sync = opt.bytes_per_sync;
  store->trees_options_.info_log = make_rocks_logger("trees");
  st = rocksdb::DB::Open(store->trees_options_, dir + "/trees", &store->trees_);
  // Not on a full disk or a lock held elsewhere: those leave the files intact.
  const bool damaged = !st.ok() && !st.IsNoSpace() && st.ToString().find("lock") == std::string::npos;
  if (damaged) {
    // Nothing in trees/ is primary data: the node rebuilds the trees from the state records.
    spdlog::warn("store: the state trees database {}/trees does not open ({}); deleting it, the trees are rebuilt "
                 "from the state",
                 dir, st.ToString());
    store->trees_ = nullptr;
    if (!store->reset_trees(error)) return nullptr;
    store->trees_reset_ = true;
  } else if (!st.ok()) {
    error = dir + "/trees: " + st.ToString();
    store->trees_ = nullptr;
    return nullptr;
  }
  return store;
}

bool Store::reset_trees(std::string& error) {
  if (trees_ != nullptr) {
    (void)trees_->Close();
    delete trees_;
    trees_ = nullptr;
  }
  const std::string path = dir_ + "/trees";
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) {
    error = "cannot delete " + path + ": " + ec.message();
    return false;
  }
  const rocksdb::Status st = rocksdb::DB::Open(trees_options_, path, &trees_);
  if (!st.ok()) {
    trees_ = nullptr;
    error = path + ": " + st.ToString();
    return false;
  }
  return true;
}

Store::~Store() {
  if (trees_ != nullptr) {
    (void)trees_->Close();
    delete trees_;
  }
  if (db_ != nullptr) {
    (void)db_->Close();
    delete db_;
  }
}

void Store::note_error(const rocksdb::Status& st) {
  std::lock_guard lk(err_mu_);
  last_error_ = st.ToString();
}

std::string Store::last_error() const {
  std::lock_guard lk(err_mu_);
  return last_error_;
}

bool Store::write(rocksdb::WriteBatch& wb, bool sync) {
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  std::lock_guard lk(write_mu_);
  const rocksdb::Status st = db_->Write(wo, &wb);
  if (!st.ok()) {
    note_error(st);
    return false;
  }
  if (sync && mark_) {
    // Under write_mu_ the latest sequence is this write's: every write before it is in the WAL
    // ahead of it, so the sync made all of them durable.
    const HeadMeta h = head();
    write_mark(AckMark{db_->GetLatestSequenceNumber(), h.head, h.soft_txs});
  }
  return true;
}

void Store::write_mark(const AckMark& m) {
  if (m.seq <= mark_seq_) return;  // a later synced write already named more
  if (!mark_->write(m)) {
    // The writes themselves are durable; only the check at the next start is weaker.
    if (!mark_failed_logged_)
      spdlog::error("store: cannot update {}/ACKED ({}); a damaged WAL may go unnoticed at the next start", dir_,
                    std::strerror(errno));
    mark_failed_logged_ = true;
    return;
  }
  mark_seq_ = m.seq;
}

bool Store::sync_wal() {
  AckMark m;
  {
    // What is in the WAL now is what this sync makes durable; writes that land during the sync
    // may be durable too, but the mark must not name them.
    std::lock_guard lk(write_mu_);
    const HeadMeta h = head();
    m = AckMark{db_->GetLatestSequenceNumber(), h.head, h.soft_txs};
  }
  const rocksdb::Status st = db_->SyncWAL();
  if (!st.ok()) {
    note_error(st);
    return false;
  }
  std::lock_guard lk(write_mu_);
  if (m.seq > synced_.seq) synced_ = m;
  return true;
}

void Store::move_ack_mark() {
  std::lock_guard lk(write_mu_);
  if (mark_) write_mark(synced_);
}

bool Store::write_trees(rocksdb::WriteBatch& wb) {
  const rocksdb::Status st = trees_->Write(rocksdb::WriteOptions(), &wb);
  if (!st.ok()) note_error(st);
  return st.ok();
}

bool Store::resume() {
  const rocksdb::Status a = db_->Resume();
  const rocksdb::Status b = trees_->Resume();
  if (a.ok() && b.ok()) {
    std::lock_guard lk(err_mu_);
    last_error_.clear();
    return true;
  }
  return false;
}

void Store::put_account(rocksdb::WriteBatch& wb, const state::Account& a) {
  (void)wb.Put(key32('A', a.index), encode_account(a));
}

void Store::put_token(rocksdb::WriteBatch& wb, const state::Token& t, uint64_t registered_at_head) {
  (void)wb.Put(key32('T', t.id), encode_token(t));
  std::string v;
  ByteWriter(v).u64(registered_at_head);
  (void)wb.Put(key32('R', t.id), v);
}

void Store::put_pool(rocksdb::WriteBatch& wb, uint32_t pool_id, const state::Pool& p) {
  (void)wb.Put(key32('P', pool_id), encode_pool(p));
}

void Store::put_raw(rocksdb::WriteBatch& wb, const std::string& key, std::string_view value) {
  (void)wb.Put(key, rocksdb::Slice(value.data(), value.size()));
}

void Store::put_block(rocksdb::WriteBatch& wb, const Block& b) { (void)wb.Put(key64('b', b.header.number), encode_block(b)); }

void Store::put_tx(rocksdb::WriteBatch& wb, const Hash& h, const TxLocation& l) {
  (void)wb.Put(key_hash(h), encode_location(l));
}

void Store::put_head(rocksdb::WriteBatch& wb, const HeadMeta& m) {
  std::string v;
  ByteWriter w(v);
  w.u64(m.head);
  w.u64(m.timestamp);
  w.bytes(m.hash);
  w.u64(m.next_priority_serial);
  w.u64(m.soft_txs);
  (void)wb.Put(kHeadKey, v);
}

void Store::put_batch(rocksdb::WriteBatch& wb, const Batch& b) {
  (void)wb.Put(key64('B', b.header.number), encode_batch(b));
  std::string v;
  ByteWriter(v).u64(b.header.number);
  (void)wb.Put(kBatchKey, v);
}

void Store::put_tree_nodes(rocksdb::WriteBatch& wb, std::span<const state::TreeNodeChange> changes) {
  uint8_t value[32];
  for (const auto& c : changes) {
    if (c.node.empty) {
      (void)wb.Delete(tree_key(c));
    } else {
      c.node.value.to_bytes_be(value);
      (void)wb.Put(tree_key(c), rocksdb::Slice(reinterpret_cast<const char*>(value), sizeof value));
    }
  }
}

void Store::put_tree_batch(rocksdb::WriteBatch& wb, uint64_t number) {
  std::string v;
  ByteWriter(v).u64(number);
  (void)wb.Put(kTreeKey, v);
}

void Store::clear_trees(rocksdb::WriteBatch& wb) {
  (void)wb.Delete(kTreeKey);
  (void)wb.DeleteRange("N", "O");
}

std::optional<uint64_t> Store::tree_batch() const {
  std::string v;
  if (!trees_->Get(rocksdb::ReadOptions(), kTreeKey, &v).ok()) return std::nullopt;
  ByteReader r(v);
  const uint64_t n = r.u64();
  if (!r.done()) return std::nullopt;
  return n;
}

bool Store::load_trees(state::StateTrees& trees) const {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // read once at open
  std::unique_ptr<rocksdb::Iterator> it(trees_->NewIterator(ro));
  for (it->Seek("N"); it->Valid() && it->key().starts_with("N"); it->Next()) {
    const rocksdb::Slice key = it->key(), value = it->value();
    if (key.size() != kTreeKeySize || value.size() != 32) return false;
    ByteReader r(key.ToStringView().substr(1));
    const uint8_t kind = r.u8();
    const uint32_t account = r.u32();
    const uint8_t level = r.u8();
    const uint64_t index = r.u64();
    const auto v = ff::Fr::from_bytes_be(reinterpret_cast<const uint8_t*>(value.data()));
    if (!r.done() || !v || kind > static_cast<uint8_t>(state::TreeKind::kPairs)) return false;
    const auto k = static_cast<state::TreeKind>(kind);
    if (k != state::TreeKind::kBalances && account != 0) return false;
    if (!trees.load_node(k, account, level, index, *v)) return false;
  }
  return it->status().ok();
}

std::optional<std::string> Store::get(const std::string& key) const {
  std::string v;
  if (!db_->Get(rocksdb::ReadOptions(), key, &v).ok()) return std::nullopt;
  return v;
}

HeadMeta Store::head() const {
  HeadMeta m;
  const auto v = get(kHeadKey);
  if (!v) return m;
  ByteReader r(*v);
  m.head = r.u64();
  m.timestamp = r.u64();
  const auto h = r.bytes(32);
  if (r.ok()) std::copy(h.begin(), h.end(), m.hash.begin());
  m.next_priority_serial = r.u64();
  m.soft_txs = r.u64();
  return r.done() ? m : HeadMeta{};
}

uint64_t Store::last_batch() const {
  const auto v = get(kBatchKey);
  if (!v) return 0;
  ByteReader r(*v);
  const uint64_t n = r.u64();
  return r.done() ? n : 0;
}

std::optional<Block> Store::block(uint64_t number) const {
  const auto v = get(key64('b', number));
  if (!v) return std::nullopt;
  return decode_block(*v);
}

std::optional<IndexedTx> Store::tx(const Hash& h) const {
  const auto v = get(key_hash(h));
  if (!v) return std::nullopt;
  auto loc = decode_location(std::string_view(*v).substr(0, std::min(v->size(), kLocationBytes)));
  if (!loc) return std::nullopt;
  if (v->size() == kLocationBytes) {
    // The index holds where the tx is; the tx itself is in its block record, written in the same
    // WriteBatch. A block that is not there, or that has another tx at that position, is no
    // answer (damaged records, or an index entry left over from a block later rewritten).
    // Pinned where RocksDB can (a block in its cache) rather than copied: a block record is tens
    // of kB and only its entries up to the position are read.
    rocksdb::PinnableSlice b;
    if (!db_->Get(rocksdb::ReadOptions(), db_->DefaultColumnFamily(), key64('b', loc->block), &b).ok())
      return std::nullopt;
    auto t = decode_block_tx(b.ToStringView(), loc->position);
    if (!t || t->hash != h) return std::nullopt;
    return IndexedTx{*loc, std::move(t->tx), t->executed};
  }
  // Written by an older node: the location, then a copy of the tx and its Executed.
  ByteReader r(std::string_view(*v).substr(kLocationBytes));
  auto t = read_tx(r);
  if (!t) return std::nullopt;
  tx::Executed ex = read_executed(r, *t);
  IndexedTx out{*loc, std::move(*t), ex};
  if (!r.done()) return std::nullopt;
  return out;
}

bool Store::has_tx(const Hash& h) const {
  std::string v;
  return db_->Get(rocksdb::ReadOptions(), key_hash(h), &v).ok();
}

std::optional<Batch> Store::batch(uint64_t number) const {
  const auto v = get(key64('B', number));
  if (!v) return std::nullopt;
  return decode_batch(*v);
}

std::optional<std::pair<state::Token, uint64_t>> Store::token(uint32_t id) const {
  const auto t = get(key32('T', id));
  const auto reg = get(key32('R', id));
  if (!t || !reg) return std::nullopt;
  auto tok = decode_token(*t);
  ByteReader r(*reg);
  const uint64_t at = r.u64();
  if (!tok || !r.done()) return std::nullopt;
  return std::pair{*tok, at};
}

void Store::put_state_snapshot(rocksdb::WriteBatch& wb, uint64_t batch, const state::State& s) {
  std::string v;
  ByteWriter w(v);
  const auto part = [&](const std::string& e) {
    w.u32(static_cast<uint32_t>(e.size()));
    w.bytes(std::span(reinterpret_cast<const uint8_t*>(e.data()), e.size()));
  };
  w.u32(static_cast<uint32_t>(s.num_accounts()));
  for (uint32_t i = 0; i < s.num_accounts(); ++i) part(encode_account(*s.account(i)));
  w.u32(static_cast<uint32_t>(s.num_tokens()));
  for (uint32_t i = 0; i < s.num_tokens(); ++i) part(encode_token(*s.token(i)));
  w.u32(static_cast<uint32_t>(s.num_pools()));
  for (uint32_t i = 0; i < s.num_pools(); ++i) part(encode_pool(*s.pool_by_id(i)));
  (void)wb.Put(key64('z', batch), v);
}

void Store::delete_state_snapshot(rocksdb::WriteBatch& wb, uint64_t batch) { (void)wb.Delete(key64('z', batch)); }

std::vector<uint64_t> Store::state_snapshots() const {
  std::vector<uint64_t> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("z"); it->Valid() && it->key().starts_with("z"); it->Next()) {
    ByteReader r(it->key().ToStringView().substr(1));
    const uint64_t n = r.u64();
    if (r.done()) out.push_back(n);
  }
  return out;
}

std::optional<state::State> Store::state_snapshot(uint64_t batch) const {
  const auto v = get(key64('z', batch));
  if (!v) return std::nullopt;
  ByteReader r(*v);
  const auto part = [&]() -> std::string_view {
    const uint32_t n = r.u32();
    const auto b = r.bytes(n);
    return r.ok() ? std::string_view(reinterpret_cast<const char*>(b.data()), b.size()) : std::string_view();
  };
  std::vector<state::Account> accounts;
  std::vector<state::Token> tokens;
  std::vector<state::Pool> pools;
  // Counts are bounded by the bytes left (every part has a 4-byte length), so a damaged count
  // cannot make the vectors huge.
  const auto count = [&]() -> std::optional<uint32_t> {
    const uint32_t n = r.u32();
    if (!r.ok() || n > v->size() / 4) return std::nullopt;
    return n;
  };
  const auto na = count();
  if (!na) return std::nullopt;
  for (uint32_t i = 0; i < *na; ++i) {
    auto a = decode_account(part());
    if (!r.ok() || !a) return std::nullopt;
    accounts.push_back(std::move(*a));
  }
  const auto nt = count();
  if (!nt) return std::nullopt;
  for (uint32_t i = 0; i < *nt; ++i) {
    auto t = decode_token(part());
    if (!r.ok() || !t) return std::nullopt;
    tokens.push_back(*t);
  }
  const auto np = count();
  if (!np) return std::nullopt;
  for (uint32_t i = 0; i < *np; ++i) {
    auto p = decode_pool(part());
    if (!r.ok() || !p) return std::nullopt;
    pools.push_back(*p);
  }
  if (!r.done()) return std::nullopt;
  return state::State::from_parts(std::move(accounts), std::move(tokens), std::move(pools));
}

bool Store::load_state(std::vector<state::Account>& accounts,
                       std::vector<std::pair<state::Token, uint64_t>>& tokens,
                       std::vector<state::Pool>& pools) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("A"); it->Valid() && it->key().starts_with("A"); it->Next()) {
    auto a = decode_account(it->value().ToStringView());
    if (!a) return false;
    accounts.push_back(std::move(*a));
  }
  for (it->Seek("P"); it->Valid() && it->key().starts_with("P"); it->Next()) {
    auto p = decode_pool(it->value().ToStringView());
    if (!p) return false;
    pools.push_back(*p);
  }
  for (it->Seek("T"); it->Valid() && it->key().starts_with("T"); it->Next()) {
    auto t = decode_token(it->value().ToStringView());
    if (!t) return false;
    const auto reg = get(key32('R', t->id));
    uint64_t at = 0;
    if (reg) {
      ByteReader r(*reg);
      at = r.u64();
      if (!r.done()) return false;
    }
    tokens.emplace_back(*t, at);
  }
  return it->status().ok();
}

}  // namespace zkamm::node
