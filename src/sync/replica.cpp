#include "sync/replica.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <mutex>

#include "node/codec.hpp"
#include "tx/public_data.hpp"
#include "tx/public_data_replay.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::sync {
namespace {


/// Adds the wall and process CPU time since the last lap to `p`.
struct Lap {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = process_cpu_s();
  static double process_cpu_s() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
  }
  void operator()(ReplicaTimings::Phase& p) {
    const auto now = std::chrono::steady_clock::now();
    const double c = process_cpu_s();
    p.wall_s += std::chrono::duration<double>(now - wall).count();
    p.cpu_s += c - cpu;
    wall = now;
    cpu = c;
  }
};

/// Puts a tree node (key and 32-byte value built on the stack) or deletes an emptied one.
void put_node(StepWrites& w, const state::TreeNodeChange& c) {
  // Balance leaves are the account records' balances: SyncStore::load puts them back from those,
  // so a step writes two fewer nodes per account it touches.
  if (c.kind == state::TreeKind::kBalances && c.node.level == 0) return;
  char k[key::kTreeNodeKeyBytes];
  key::tree_node(c, k);
  if (c.node.empty) return w.del(std::string_view(k, sizeof k));
  char v[32];
  c.node.value.to_bytes_be(reinterpret_cast<uint8_t*>(v));
  w.put(std::string_view(k, sizeof k), std::string_view(v, sizeof v));
}

/// Slots of a batch that move something (noop padding excluded).
uint64_t busy_slots(const L1Batch& b) {
  uint64_t n = 0;
  if (b.kind() == tx::BatchKind::Swap) {
    for (size_t off = 0; off + tx::kSwapSlotBytes <= b.pubdata.size(); off += tx::kSwapSlotBytes) {
      auto s = tx::read_swap_slot(std::span<const uint8_t, tx::kSwapSlotBytes>(b.pubdata.data() + off, tx::kSwapSlotBytes));
      n += s && s->op != tx::SwapOp::Noop ? 1 : 0;
    }
  } else {
    for (size_t off = 0; off < b.pubdata.size(); off += tx::kSlotPublicDataBytes) n += b.pubdata[off] != 0 ? 1 : 0;
  }
  return n;
}

}  // namespace

std::string fr_hex(const ff::Fr& x) {
  uint8_t b[32];
  x.to_bytes_be(b);
  return l1::to_hex(std::span<const uint8_t>(b, 32));
}

std::unique_ptr<Replica> Replica::open(const std::string& dir, std::string& error, uint64_t keep_journal) {
  auto store = SyncStore::open(dir, error);
  if (!store) return nullptr;
  std::unique_ptr<Replica> r(new Replica(std::move(store), keep_journal));
  if (!r->store_->get(key::kMeta)) {
    // A new store: the genesis state (account 0, ETH) and its trees, written whole.
    state::State s;
    state::StateTrees t = state::StateTrees::build(s);
    StepWrites w;
    w.put(key::account(0), node::encode_account(*s.account(0)));
    w.put(key::token(0), node::encode_token(*s.token(0)));
    for (const auto& c : t.all_nodes()) put_node(w, c);
    SyncMeta m;
    m.root = t.root();
    w.put(key::kMeta, encode_meta(m));
    if (std::string e = r->store_->write(w, 0, 0); !e.empty()) return error = e, nullptr;
  }
  if (std::string e = r->reload(); !e.empty()) return error = dir + ": " + e, nullptr;
  return r;
}

Replica::~Replica() = default;

std::string Replica::reload() {
  auto m = store_->get(key::kMeta);
  auto meta = m ? decode_meta(*m) : std::nullopt;
  if (!meta) return "the sync record is missing or does not decode";
  if (std::string e = store_->load(state_, trees_); !e.empty()) return e;
  if (trees_.root() != meta->root)
    return "the stored trees give root " + fr_hex(trees_.root()) + ", not the recorded " + fr_hex(meta->root) + " (batch " +
           std::to_string(meta->last_batch) + ")";
  meta_ = *meta;
  trees_.track_changes(false);
  trees_.track_changes(true);
  chain_.reset();
  if (auto c = store_->get(key::kChain)) chain_ = decode_chain(*c);
  pending_.clear();
  for (const auto& [k, v] : store_->scan('C')) {
    auto b = decode_batch(v);
    if (!b) return "a pending batch record does not decode";
    pending_[b->number] = std::move(*b);
  }
  return "";
}

std::string Replica::bind(const ChainInfo& c) {
  std::unique_lock lk(mu_);
  if (chain_) {
    if (chain_->chain_id != c.chain_id || chain_->rollup != c.rollup)
      return "this data directory belongs to rollup " + l1::to_checksum_address(chain_->rollup) + " on chain " +
             std::to_string(chain_->chain_id) + ", not " + l1::to_checksum_address(c.rollup) + " on chain " +
             std::to_string(c.chain_id);
    return "";
  }
  if (meta_.last_batch != 0 || meta_.cursor.block != 0) return "the data directory has state but no rollup record";
  if (c.genesis_root != meta_.root)
    return "the rollup's genesis root " + fr_hex(c.genesis_root) + " is not the empty state's root " + fr_hex(meta_.root) +
           ": a rollup with another genesis is not supported";
  StepWrites w;
  w.put(key::kChain, encode_chain(c));
  SyncMeta m = meta_;
  m.cursor.block = c.deploy_block == 0 ? 0 : c.deploy_block - 1;  // the first block read is the deployment's
  w.put(key::kMeta, encode_meta(m));
  if (std::string e = store_->write(w, 0, 0); !e.empty()) return e;
  chain_ = c;
  meta_ = m;
  return "";
}

std::string Replica::replay(const L1Batch& b, const ff::Fr& prev_root, state::Touched& touched) {
  const std::string at = "batch " + std::to_string(b.number) + ": ";
  const auto h = tx::decode_batch_header(b.header);
  if (!h) return at + h.error().message;
  if (h->number != b.number) return at + "the header names batch " + std::to_string(h->number);
  if (h->old_root != prev_root)
    return at + "the header's old root differs from the previous batch's root " + fr_hex(prev_root);
  if (h->new_root != b.stored_root)
    return at + "the header's new root differs from the root the contract stored " + fr_hex(b.stored_root);
  const std::string e = h->kind == tx::BatchKind::Swap ? tx::replay_swap_public_data(state_, b.pubdata, &touched)
                                                       : tx::replay_public_data(state_, b.pubdata, &touched);
  if (!e.empty()) return at + "its public data does not replay (" + e + "): mismatch with the state rebuilt so far";
  return "";
}

std::string Replica::locate_mismatch(const SyncUpdate& u) {
  if (std::string e = reload(); !e.empty()) return "reloading the store: " + e;
  for (const auto& [id, addr] : u.tokens) {
    state::TokenId got = 0;
    if (id >= state_.num_tokens()) (void)state_.add_token(addr, got);
  }
  ff::Fr prev = meta_.root;
  for (const L1Batch& b : u.batches) {
    state::Touched touched;
    if (std::string e = replay(b, prev, touched); !e.empty()) return e;
    trees_.sync(state_, touched);
    if (trees_.root() != b.stored_root) {
      return "batch " + std::to_string(b.number) + ": root mismatch: the state rebuilt from L1 has root " +
             fr_hex(trees_.root()) + ", the contract stored " + fr_hex(b.stored_root) + " (commit tx " +
             l1::to_hex(b.commit_tx) + ", L1 block " + std::to_string(b.commit_block) + ")";
    }
    prev = b.stored_root;
  }
  return "batches " + std::to_string(u.batches.front().number) + ".." + std::to_string(u.batches.back().number) +
         ": root mismatch over the step but not batch by batch";
}

std::string Replica::commit(const SyncUpdate& u) {
  std::unique_lock lk(mu_);
  if (!error_.empty()) return error_;
  const auto fail = [&](std::string e) {
    if (std::string r = reload(); !r.empty()) e += "; reloading the store: " + r;
    error_ = e;
    return e;
  };
  Lap lap;
  StepWrites w;
  for (const auto& [id, addr] : u.tokens) {
    state::L1Address a{};
    std::copy(addr.begin(), addr.end(), a.begin());
    if (id < state_.num_tokens()) {
      if (state_.token(id)->l1_address != a) return fail("token " + std::to_string(id) + " is registered with another address");
      continue;
    }
    state::TokenId got = 0;
    if (id != state_.num_tokens() || !state_.add_token(a, got).ok() || got != id)
      return fail("TokenAdded " + std::to_string(id) + " does not follow token " + std::to_string(state_.num_tokens() - 1));
    w.put(key::token(id), node::encode_token(*state_.token(id)));
  }
  state::Touched touched;
  ff::Fr prev = meta_.root;
  uint64_t last = meta_.last_batch, slots = 0;
  for (const L1Batch& b : u.batches) {
    if (b.number != last + 1)
      return fail("batch " + std::to_string(b.number) + ": expected batch " + std::to_string(last + 1) + " next");
    if (std::string e = replay(b, prev, touched); !e.empty()) return fail(e);
    prev = b.stored_root;
    last = b.number;
    slots += busy_slots(b);
  }
  lap(timings_.replay);
  if (!u.batches.empty()) {
    trees_.sync(state_, touched);
    if (trees_.root() != u.batches.back().stored_root) {
      std::string e = locate_mismatch(u);
      return fail(e);
    }
  }
  lap(timings_.trees);
  // State records of everything touched.
  std::vector<uint32_t> accounts(touched.accounts);
  accounts.reserve(accounts.size() + touched.balances.size());
  for (const auto& [a, t] : touched.balances) accounts.push_back(a);
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  for (uint32_t a : accounts)
    if (const state::Account* acc = state_.account(a)) w.put(key::account(a), node::encode_account(*acc));
  std::vector<uint32_t> pools(touched.pools);
  std::sort(pools.begin(), pools.end());
  pools.erase(std::unique(pools.begin(), pools.end()), pools.end());
  for (uint32_t p : pools)
    if (const state::Pool* pl = state_.pool_by_id(p)) w.put(key::pool(p), node::encode_pool(*pl));
  for (const auto& c : trees_.take_changes()) put_node(w, c);
  for (const L1Batch& b : u.batches) {
    w.put(key::batch(b.number), encode_batch(b));
    w.del(key::pending(b.number));
  }
  for (const L1Batch& b : u.pending_put) w.put(key::pending(b.number), encode_batch(b));
  for (uint64_t n : u.pending_delete) w.del(key::pending(n));
  SyncMeta m = meta_;
  m.last_batch = last;
  m.root = trees_.root();
  m.cursor = u.cursor;
  m.slots_replayed += slots;
  const uint64_t step = u.journal ? m.next_step++ : 0;
  w.put(key::kMeta, encode_meta(m));
  lap(timings_.records);
  if (std::string e = store_->write(w, step, keep_journal_); !e.empty()) return fail(e);
  lap(timings_.write);
  meta_ = m;
  for (const L1Batch& b : u.batches) pending_.erase(b.number);
  for (const L1Batch& b : u.pending_put) pending_[b.number] = b;
  for (uint64_t n : u.pending_delete) pending_.erase(n);
  return "";
}

std::string Replica::rollback_one() {
  std::unique_lock lk(mu_);
  if (std::string e = store_->undo_newest(); !e.empty()) return e;
  if (std::string e = reload(); !e.empty()) return error_ = "after a rollback: " + e;
  return "";
}

ReplicaStatus Replica::status() const {
  std::shared_lock lk(mu_);
  ReplicaStatus s;
  s.chain = chain_;
  s.meta = meta_;
  s.accounts = state_.num_accounts();
  s.tokens = state_.num_tokens();
  s.pools = state_.num_pools();
  s.pending = pending_.size();
  s.error = error_;
  return s;
}

SyncMeta Replica::meta() const {
  std::shared_lock lk(mu_);
  return meta_;
}

std::map<uint64_t, L1Batch> Replica::pending() const {
  std::shared_lock lk(mu_);
  return pending_;
}

std::optional<state::Account> Replica::account(state::AccountIndex a) const {
  std::shared_lock lk(mu_);
  const state::Account* acc = state_.account(a);
  return acc ? std::optional(*acc) : std::nullopt;
}

std::optional<state::Pool> Replica::pool(state::TokenId a, state::TokenId b) const {
  std::shared_lock lk(mu_);
  const state::Pool* p = state_.pool(a, b);
  return p ? std::optional(*p) : std::nullopt;
}

std::optional<state::Token> Replica::token(state::TokenId t) const {
  std::shared_lock lk(mu_);
  const state::Token* p = state_.token(t);
  return p ? std::optional(*p) : std::nullopt;
}

std::optional<L1Batch> Replica::batch(uint64_t n) const {
  auto v = store_->get(key::batch(n));
  return v ? decode_batch(*v) : std::nullopt;
}

node::ExitProofResult Replica::exit_proof(state::AccountIndex a, state::TokenId t) const {
  std::shared_lock lk(mu_);
  return node::make_exit_proof(state_, trees_, a, t, meta_.last_batch);
}

ReplicaTimings Replica::timings() const {
  std::shared_lock lk(mu_);
  return timings_;
}

ff::Fr Replica::root() const {
  std::shared_lock lk(mu_);
  return trees_.root();
}

}  // namespace zkamm::sync
