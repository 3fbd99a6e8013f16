#include "sync/sync_store.hpp"

#include <rocksdb/options.h>

#include "node/codec.hpp"

namespace zkamm::sync {
namespace {

using node::ByteReader;
using node::ByteWriter;

std::string with_prefix(char p, uint64_t v, int bytes) {
  std::string k(1, p);
  for (int i = bytes - 1; i >= 0; --i) k.push_back(static_cast<char>(v >> (8 * i)));
  return k;
}

void write_bytes32(ByteWriter& w, const l1::Bytes32& b) { w.bytes(b); }
l1::Bytes32 read_bytes32(ByteReader& r) {
  l1::Bytes32 b{};
  auto s = r.bytes(32);
  if (s.size() == 32) std::copy(s.begin(), s.end(), b.begin());
  return b;
}

}  // namespace

namespace key {
std::string account(uint32_t a) { return with_prefix('A', a, 4); }
std::string token(uint32_t t) { return with_prefix('T', t, 4); }
std::string pool(uint32_t p) { return with_prefix('P', p, 4); }
void tree_node(const state::TreeNodeChange& c, char (&out)[kTreeNodeKeyBytes]) {
  out[0] = 'N';
  out[1] = static_cast<char>(c.kind);
  for (int i = 0; i < 4; ++i) out[2 + i] = static_cast<char>(c.account >> (8 * (3 - i)));
  out[6] = static_cast<char>(c.node.level);
  for (int i = 0; i < 8; ++i) out[7 + i] = static_cast<char>(c.node.index >> (8 * (7 - i)));
}
std::string tree_node(const state::TreeNodeChange& c) {
  char k[kTreeNodeKeyBytes];
  tree_node(c, k);
  return std::string(k, kTreeNodeKeyBytes);
}
std::string batch(uint64_t n) { return with_prefix('B', n, 8); }
std::string pending(uint64_t n) { return with_prefix('C', n, 8); }
std::string undo(uint64_t step) { return with_prefix('U', step, 8); }
}  // namespace key

std::string encode_batch(const L1Batch& b) {
  std::string out;
  ByteWriter w(out);
  w.u64(b.number);
  w.u32(static_cast<uint32_t>(b.header.size()));
  w.bytes(b.header);
  w.u32(static_cast<uint32_t>(b.pubdata.size()));
  w.bytes(b.pubdata);
  w.fr(b.stored_root);
  w.u64(b.commit_block);
  write_bytes32(w, b.commit_tx);
  w.u64(b.final_block);
  return out;
}

std::optional<L1Batch> decode_batch(std::string_view in) {
  ByteReader r(in);
  L1Batch b;
  b.number = r.u64();
  auto h = r.bytes(r.u32());
  b.header.assign(h.begin(), h.end());
  auto p = r.bytes(r.u32());
  b.pubdata.assign(p.begin(), p.end());
  b.stored_root = r.fr();
  b.commit_block = r.u64();
  b.commit_tx = read_bytes32(r);
  b.final_block = r.u64();
  if (!r.done()) return std::nullopt;
  return b;
}

std::string encode_meta(const SyncMeta& m) {
  std::string out;
  ByteWriter w(out);
  w.u64(m.last_batch);
  w.fr(m.root);
  w.u64(m.cursor.block);
  write_bytes32(w, m.cursor.hash);
  w.u64(m.next_step);
  w.u64(m.slots_replayed);
  return out;
}

std::optional<SyncMeta> decode_meta(std::string_view in) {
  ByteReader r(in);
  SyncMeta m;
  m.last_batch = r.u64();
  m.root = r.fr();
  m.cursor.block = r.u64();
  m.cursor.hash = read_bytes32(r);
  m.next_step = r.u64();
  m.slots_replayed = r.u64();
  if (!r.done()) return std::nullopt;
  return m;
}

std::string encode_chain(const ChainInfo& c) {
  std::string out;
  ByteWriter w(out);
  w.u64(c.chain_id);
  w.bytes(c.rollup);
  w.u64(c.deploy_block);
  w.fr(c.genesis_root);
  return out;
}

std::optional<ChainInfo> decode_chain(std::string_view in) {
  ByteReader r(in);
  ChainInfo c;
  c.chain_id = r.u64();
  auto a = r.bytes(20);
  if (a.size() == 20) std::copy(a.begin(), a.end(), c.rollup.begin());
  c.deploy_block = r.u64();
  c.genesis_root = r.fr();
  if (!r.done()) return std::nullopt;
  return c;
}

std::unique_ptr<SyncStore> SyncStore::open(const std::string& dir, std::string& error) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.paranoid_checks = true;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status st = rocksdb::DB::Open(o, dir, &db);
  if (!st.ok()) {
    error = "cannot open " + dir + ": " + st.ToString();
    return nullptr;
  }
  return std::unique_ptr<SyncStore>(new SyncStore(db));
}

SyncStore::~SyncStore() { delete db_; }

std::optional<std::string> SyncStore::get(const std::string& k) const {
  std::string v;
  const rocksdb::Status st = db_->Get(rocksdb::ReadOptions(), k, &v);
  if (!st.ok()) return std::nullopt;
  return v;
}

namespace {
/// The keys a WriteBatch puts or deletes, in order (for the undo journal).
struct KeyCollector : rocksdb::WriteBatch::Handler {
  std::vector<std::string> keys;
  void Put(const rocksdb::Slice& k, const rocksdb::Slice&) override { keys.push_back(k.ToString()); }
  void Delete(const rocksdb::Slice& k) override { keys.push_back(k.ToString()); }
};
}  // namespace

std::string SyncStore::write(StepWrites& w, uint64_t journal_step, uint64_t keep_journal) {
  rocksdb::WriteBatch& wb = w.batch;
  if (journal_step != 0) {
    // The undo record: each key's value before this step (a key written twice keeps its first
    // old value: undo applies in reverse order).
    KeyCollector keys;
    if (const rocksdb::Status st = wb.Iterate(&keys); !st.ok()) return "store write failed: " + st.ToString();
    std::string undo;
    ByteWriter uw(undo);
    for (auto it = keys.keys.rbegin(); it != keys.keys.rend(); ++it) {
      const auto old = get(*it);
      uw.u32(static_cast<uint32_t>(it->size()));
      uw.bytes(std::span(reinterpret_cast<const uint8_t*>(it->data()), it->size()));
      uw.u8(old ? 1 : 0);
      const std::string v = old.value_or("");
      uw.u32(static_cast<uint32_t>(v.size()));
      uw.bytes(std::span(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
    }
    (void)wb.Put(key::undo(journal_step), undo);
    if (journal_step > keep_journal) (void)wb.DeleteRange(key::undo(0), key::undo(journal_step - keep_journal));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status st = db_->Write(wo, &wb);
  return st.ok() ? "" : "store write failed: " + st.ToString();
}

std::string SyncStore::undo_newest() {
  const auto records = scan('U');
  if (records.empty()) return "none";
  const auto& [k, v] = records.back();
  rocksdb::WriteBatch wb;
  ByteReader r(v);
  while (r.ok() && !r.done()) {
    auto kb = r.bytes(r.u32());
    const std::string key(reinterpret_cast<const char*>(kb.data()), kb.size());
    const bool had = r.u8() != 0;
    auto vb = r.bytes(r.u32());
    if (!r.ok()) return "undo record " + k.substr(1) + " does not decode";
    if (had) wb.Put(key, std::string(reinterpret_cast<const char*>(vb.data()), vb.size()));
    else wb.Delete(key);
  }
  wb.Delete(k);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  const rocksdb::Status st = db_->Write(wo, &wb);
  return st.ok() ? "" : "store write failed: " + st.ToString();
}

std::vector<std::pair<std::string, std::string>> SyncStore::scan(char prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  const std::string p(1, prefix);
  for (it->Seek(p); it->Valid() && it->key().starts_with(p); it->Next())
    out.emplace_back(it->key().ToString(), it->value().ToString());
  return out;
}

std::string SyncStore::load(state::State& s, state::StateTrees& trees) const {
  std::vector<state::Account> accounts;
  std::vector<state::Token> tokens;
  std::vector<state::Pool> pools;
  for (const auto& [k, v] : scan('A')) {
    auto a = node::decode_account(v);
    if (!a) return "account record " + std::to_string(accounts.size()) + " does not decode";
    accounts.push_back(std::move(*a));
  }
  for (const auto& [k, v] : scan('T')) {
    auto t = node::decode_token(v);
    if (!t) return "token record does not decode";
    tokens.push_back(*t);
  }
  for (const auto& [k, v] : scan('P')) {
    auto p = node::decode_pool(v);
    if (!p) return "pool record does not decode";
    pools.push_back(*p);
  }
  if (accounts.empty()) {  // a new store: the genesis state (the replica writes it whole first)
    s = state::State();
    trees = state::StateTrees::build(s);
    return "";
  }
  auto st = state::State::from_parts(std::move(accounts), std::move(tokens), std::move(pools));
  if (!st) return "the stored accounts, tokens and pools are inconsistent";
  s = std::move(*st);
  trees = state::StateTrees();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->Seek("N"); it->Valid() && it->key().starts_with("N"); it->Next()) {
    const std::string_view kv(it->key().data() + 1, it->key().size() - 1);
    ByteReader r(kv);
    const auto kind = static_cast<state::TreeKind>(r.u8());
    const uint32_t account = r.u32();
    const uint8_t level = r.u8();
    const uint64_t index = r.u64();
    ByteReader vr(std::string_view(it->value().data(), it->value().size()));
    const ff::Fr value = vr.fr();
    if (!r.done() || !vr.done() || !trees.load_node(kind, account, level, index, value)) return "a tree node record does not decode";
  }
  // Balance leaves are not stored as nodes (the replica skips them): each is its balance.
  for (state::AccountIndex a = 0; a < s.num_accounts(); ++a) {
    for (const auto& [token, balance] : s.account(a)->balances) {
      const auto leaf = ff::Fr::from_canonical(balance);
      if (!leaf || !trees.load_node(state::TreeKind::kBalances, a, 0, token, *leaf))
        return "account record " + std::to_string(a) + " holds a balance outside the balance tree";
    }
  }
  return "";
}

}  // namespace zkamm::sync
