// The node's threads: writer (executes and builds blocks), sealer (synced RocksDB writes = soft
// finality, then notifications), batcher (batches and their roots, off the writer), notifier
// (callbacks) and the verifier pool (submit_async).
#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "ff/parallel.hpp"
#include "hash/eddsa_batch.hpp"
#include "hash/poseidon_batch.hpp"
#include "node/node_impl.hpp"
#include "tx/encoding.hpp"
#include "tx/execute.hpp"
#include "tx/message.hpp"

namespace zkamm::node {

using Clock = std::chrono::steady_clock;

namespace {
/// Names the calling thread (at most 15 characters) so that top -H and perf tell them apart.
void name_thread(const char* name) noexcept { pthread_setname_np(pthread_self(), name); }
/// The batcher's CPU priority. Batch roots may lag behind the blocks (bounded by
/// max_batch_backlog); soft finality may not. While its backlog is short the batcher runs `nice`
/// steps nicer (Linux: per thread), so its tree updates wait for the verifiers, writer and sealer
/// when the cores are busy and cost nothing when they are idle. When the backlog grows it returns
/// to the normal priority so that the node sustains what it accepts; raising the priority back
/// needs CAP_SYS_NICE (or RLIMIT_NICE), and without it the backlog limit sheds load instead.
class BatcherPriority {
 public:
  explicit BatcherPriority(int nice) noexcept
      : nice_(nice), tid_(static_cast<id_t>(::syscall(SYS_gettid))), base_(::getpriority(PRIO_PROCESS, tid_)) {}
  /// backlog: batches waiting for their roots, this one included.
  void update(uint64_t backlog) noexcept {
    if (nice_ <= 0) return;
    if (!lowered_ && backlog <= kLow) {
      lowered_ = ::setpriority(PRIO_PROCESS, tid_, base_ + nice_) == 0;
    } else if (lowered_ && backlog >= kHigh && can_raise_) {
      if (::setpriority(PRIO_PROCESS, tid_, base_) == 0) {
        lowered_ = false;
      } else {
        can_raise_ = false;
        spdlog::warn("node: the batcher cannot regain its CPU priority (no CAP_SYS_NICE); it stays {} nicer",
                     nice_);
      }
    }
  }

 private:
  static constexpr uint64_t kLow = 2, kHigh = 16;
  int nice_;
  id_t tid_;
  int base_;
  bool lowered_ = false;
  bool can_raise_ = true;
};
}  // namespace

TimeMs now_ms() noexcept {
  return static_cast<TimeMs>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
}

RejectCode code_of(const tx::ExecResult& r) noexcept {
  using tx::ExecError;
  switch (r.error) {
    case ExecError::kOk: return RejectCode::kNone;
    case ExecError::kNotExecutable: return RejectCode::kNotL2;
    case ExecError::kOutOfRange: return RejectCode::kMalformed;
    case ExecError::kUnknownAccount: return RejectCode::kUnknownAccount;
    case ExecError::kBadNonce: return RejectCode::kNonceTooLow;
    case ExecError::kExpired: return RejectCode::kDeadlineExpired;
    case ExecError::kBadSignature: return RejectCode::kBadSignature;
    case ExecError::kLpWithdraw: return RejectCode::kLpWithdraw;
    case ExecError::kState: break;
  }
  using state::AmmError;
  using state::StateError;
  switch (r.status.error) {
    case StateError::kInsufficientBalance: return RejectCode::kInsufficientBalance;
    case StateError::kPoolNotFound: return RejectCode::kPoolNotFound;
    case StateError::kAmm:
      switch (r.status.amm) {
        case AmmError::kRouterInsufficientAAmount:
        case AmmError::kRouterInsufficientBAmount:
        case AmmError::kRouterInsufficientOutputAmount:
        case AmmError::kRouterExcessiveInputAmount: return RejectCode::kSlippage;
        default: return RejectCode::kAmm;
      }
    default: return RejectCode::kStateRule;
  }
}

Node::Impl::Impl(NodeConfig c)
    : cfg(std::move(c)), mempool(MempoolLimits{cfg.max_pending, cfg.max_per_account, cfg.max_nonce_gap}) {}

Node::Impl::~Impl() { stop(); }

bool Node::Impl::open() {
  store = Store::open(cfg.data_dir, error, StoreOpenOptions{cfg.accept_store_rollback});
  if (!store) return false;
  auto loaded = load_state(*store);
  if (!loaded) {
    error = "state records in " + cfg.data_dir + " are inconsistent";
    return false;
  }
  state = std::move(*loaded);
  head = store->head();
  soft_head = head;
  if (head.head == 0 && store->last_batch() == 0) {
    // A new store: write the initial state (reserved account 0 and ETH) so from_parts can read it.
    rocksdb::WriteBatch wb;
    Store::put_account(wb, *state.account(state::kReservedAccount));
    Store::put_token(wb, *state.token(state::kEthToken), 0);
    if (!store->write(wb, true)) {
      error = "cannot write to " + cfg.data_dir;
      return false;
    }
  }
  for (uint32_t i = 0; i < state.num_accounts(); ++i) {
    const state::Account* a = state.account(i);
    keys.add(i, ec::BabyJubAffine{a->public_key.x, a->public_key.y}, a->nonce);
  }
  next_serial = executed_serial = head.next_priority_serial;
  expected_accounts = state.num_accounts();

  // Batcher: its state at the end of the last batch, and the soft txs after it.
  const uint64_t nbatches = store->last_batch();
  for (uint64_t n = 1; n <= nbatches; ++n) {
    const auto b = store->batch(n);
    if (!b) {
      error = "batch " + std::to_string(n) + " is missing or corrupt";
      return false;
    }
    TxPos end{};
    for (const auto& s : b->slots)
      if (s.block != 0) end = TxPos{s.block, s.position};
    batch_ends.push_back(end);
    if (n == nbatches) {
      batch_prio_next = b->header.priority_first + b->header.priority_count;
      if (b->root_ready) {
        last_root_batch = n;
        last_root = b->header.new_root;
      }
    }
  }
  const TxPos boundary = batch_ends.empty() ? TxPos{} : batch_ends.back();
  bool boundary_is_head = head.head == 0;
  if (boundary.block == head.head && boundary.block != 0) {
    const auto hb = store->block(head.head);
    boundary_is_head = hb && boundary.position + 1 == hb->txs.size();
  }
  if (boundary_is_head) {
    bstate = state;
  } else {
    auto s = boundary.block == 0 ? replay_blocks(*store, cfg.domain, 0)
                                 : replay_blocks(*store, cfg.domain, head.head, boundary);
    if (!s) {
      error = "the block log does not replay";
      return false;
    }
    bstate = std::move(*s);
    for (uint64_t n = std::max<uint64_t>(boundary.block, 1); n <= head.head; ++n) {
      auto b = store->block(n);
      if (!b) {
        error = "block " + std::to_string(n) + " is missing";
        return false;
      }
      if (n == boundary.block) b->txs.erase(b->txs.begin(), b->txs.begin() + boundary.position + 1);
      if (b->txs.empty()) continue;
      batch_backlog_txs += b->txs.size();
      batch_queue.push_back(BatchItem{std::make_shared<const Block>(std::move(*b)), {}});
    }
  }
  if (cfg.compute_batch_roots && !open_trees(nbatches)) return false;
  return true;
}

bool Node::Impl::open_trees(uint64_t nbatches) {
  // bstate is the state at the end of batch nbatches. The stored trees are usable when they are
  // that batch's (written with its record) and give its recorded root.
  const auto t0 = Clock::now();
  const auto ms_since = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
  };
  const std::optional<uint64_t> stored = store->tree_batch();
  if (stored && nbatches != 0 && *stored <= nbatches && last_root_batch == nbatches) {
    // The trees of batch *stored (a checkpoint; 0 = before the first batch), brought up to batch
    // nbatches by syncing every leaf the later batches touched from bstate (the state at the end
    // of nbatches).
    state::StateTrees t;
    const auto checkpoint = store->batch(std::max<uint64_t>(*stored, 1));
    bool ok = checkpoint && checkpoint->root_ready && store->load_trees(t) &&
              t.root() == (*stored == 0 ? checkpoint->header.old_root : checkpoint->header.new_root);
    if (ok && *stored < nbatches) {
      state::Touched touched;
      for (uint64_t k = *stored + 1; ok && k <= nbatches; ++k) {
        const auto b = store->batch(k);
        ok = b.has_value();
        if (!ok) break;
        for (const auto& slot : b->slots)
          if (tx::type_of(slot.tx) != tx::TxType::Noop) tx::collect_touched(bstate, slot.tx, touched);
      }
      if (ok) {
        t.track_changes(true);
        t.sync(bstate, touched);
      }
    }
    if (ok && t.root() == last_root) {
      btrees = std::move(t);
      trees_restored = true;
      if (*stored < nbatches && !write_tree_checkpoint(nbatches)) {
        error = "cannot write the state trees to " + cfg.data_dir;
        return false;
      }
      spdlog::info("node: state trees of batch {} loaded from the store{} in {} ms", *stored,
                   *stored < nbatches ? " and brought up to batch " + std::to_string(nbatches) : std::string(),
                   ms_since());
    } else {
      spdlog::warn("node: the stored state trees (batch {}) do not give batch {}'s root; rebuilding them", *stored,
                   nbatches);
    }
  } else if (store->trees_were_reset()) {
    spdlog::warn("node: the state trees database was damaged; rebuilding the trees of batch {} from the state",
                 nbatches);
  } else if (stored && nbatches != 0) {
    spdlog::info("node: stored state trees are of batch {}, the batcher resumes after batch {} (last root: {}); "
                 "rebuilding them",
                 *stored, nbatches, last_root_batch);
  }
  if (!trees_restored) {
    btrees = state::StateTrees::build(bstate);
    if (last_root_batch == 0) last_root = btrees.root();
    if (last_root_batch != 0 && last_root_batch == nbatches && !(btrees.root() == last_root)) {
      spdlog::error("node: the replayed state does not give batch {}'s root", last_root_batch);
    }
    // Store them whole: the marker goes last, so a crash part-way leaves no marker (rebuild again).
    const auto nodes = btrees.all_nodes();
    constexpr std::size_t kChunk = 65536;
    rocksdb::WriteBatch wb;
    if (stored || store->trees_were_reset()) {
      // A fresh database, not a DeleteRange in the old one: when the old one's files are damaged
      // (a record that does not load, a block whose checksum fails) a later compaction would read
      // them again and stop every tree write.
      std::string err;
      if (!store->reset_trees(err)) {
        error = "cannot recreate the state trees database: " + err;
        return false;
      }
    }
    for (std::size_t i = 0; i < nodes.size(); i += kChunk) {
      Store::put_tree_nodes(wb, std::span(nodes).subspan(i, std::min(kChunk, nodes.size() - i)));
      if (!store->write_trees(wb)) {
        error = "cannot write the state trees to " + cfg.data_dir;
        return false;
      }
      wb.Clear();
    }
    Store::put_tree_batch(wb, nbatches);
    if (!store->write_trees(wb)) {
      error = "cannot write the state trees to " + cfg.data_dir;
      return false;
    }
    if (nbatches != 0) {
      spdlog::info("node: state trees of batch {} rebuilt and stored in {} ms ({} nodes)", nbatches, ms_since(),
                   nodes.size());
    }
  }
  btrees.track_changes(true);
  tree_checkpoint_batch = nbatches;
  tree_checkpoint_at = Clock::now();
  return true;
}

void Node::Impl::start_threads() {
  next_sweep = Clock::now() + cfg.block_time;
  notifier = std::jthread([this] {
    name_thread("zk-notify");
    notifier_loop();
  });
  batcher = std::jthread([this] {
    name_thread("zk-batcher");
    ff::limit_workers_on_this_thread(cfg.batcher_threads);
    batcher_loop();
    flush_tree_checkpoint();  // the trees of the last rooted batch, for the next start
  });
  sealer = std::jthread([this] {
    name_thread("zk-sealer");
    sealer_loop();
  });
  writer = std::jthread([this](std::stop_token st) {
    name_thread("zk-writer");
    writer_loop(st);
  });
  disk_guard = std::jthread([this] {
    name_thread("zk-disk");
    disk_guard_loop();
  });
  for (uint32_t i = 0; i < std::max<uint32_t>(cfg.verifier_threads, 1); ++i)
    verifiers.emplace_back([this] {
      name_thread("zk-verify");
      verifier_loop();
    });
}

void Node::Impl::stop() {
  std::call_once(stop_once, [this] {
    {
      std::lock_guard lk(health_mu);
      stop_requested = true;
    }
    health_cv.notify_all();
    if (disk_guard.joinable()) disk_guard.join();
    {
      std::lock_guard lk(verify_mu);
      verify_stop = true;
    }
    verify_cv.notify_all();
    verifiers.clear();  // joins
    {
      std::lock_guard lk(mp_mu);
      stopping = true;
    }
    writer_cv.notify_all();
    if (writer.joinable()) writer.join();
    {
      std::lock_guard lk(seal_mu);
      seal_stop = true;
    }
    seal_cv.notify_all();
    if (sealer.joinable()) sealer.join();
    {
      std::lock_guard lk(batch_mu);
      batch_stop = true;
    }
    batch_cv.notify_all();
    if (batcher.joinable()) batcher.join();
    {
      std::lock_guard lk(notify_mu);
      notify_stop = true;
    }
    notify_cv.notify_all();
    if (notifier.joinable()) notifier.join();
  });
}

void Node::Impl::post(std::function<void()> fn) {
  {
    std::lock_guard lk(notify_mu);
    notify_queue.push_back(std::move(fn));
  }
  notify_cv.notify_one();
}

void Node::Impl::notifier_loop() {
  std::unique_lock lk(notify_mu);
  for (;;) {
    notify_cv.wait(lk, [&] { return notify_stop || !notify_queue.empty(); });
    if (notify_queue.empty()) return;  // stopping and drained
    auto fn = std::move(notify_queue.front());
    notify_queue.pop_front();
    lk.unlock();
    fn();
    lk.lock();
  }
}

// ---------------------------------------------------------------------------------------------
// Submit path (caller or verifier threads)

SubmitResult Node::Impl::reject(const Hash& h, RejectCode code, std::string reason, TimeMs received,
                                const tx::Tx* t) {
  SubmitResult r{false, code, std::move(reason), h};
  if (h != Hash{}) {
    std::lock_guard lk(mp_mu);
    RejectedInfo info{code, r.reason, received, 0, now_ms(), t ? std::optional(*t) : std::nullopt};
    if (mempool.find(h) == nullptr) remember_rejected(h, std::move(info));
  }
  return r;
}

void Node::Impl::remember_rejected(const Hash& h, RejectedInfo info) {
  if (cfg.rejected_keep == 0) return;
  auto [it, fresh] = rejected.insert_or_assign(h, std::move(info));
  (void)it;
  if (fresh) rejected_order.push_back(h);
  while (rejected_order.size() > cfg.rejected_keep) {
    rejected.erase(rejected_order.front());
    rejected_order.pop_front();
  }
}

SubmitResult Node::Impl::submit_tx(tx::Tx t, TimeMs received, std::optional<bool> signature_ok,
                                   bool notify_writer) {
  const tx::TxType type = tx::type_of(t);
  if (!tx::in_range(t)) return SubmitResult{false, RejectCode::kMalformed, "account or token out of range", {}};
  const Hash h = tx::tx_hash(t);
  if (!tx::is_l2(type)) return reject(h, RejectCode::kNotL2, "not an L2 transaction", received, &t);
  const uint32_t account = *tx::signer_account(t);
  const uint32_t nonce = *tx::nonce_of(t);
  uint64_t deadline = UINT64_MAX;
  std::visit(
      [&](const auto& x) {
        if constexpr (requires { x.deadline; }) deadline = x.deadline;
      },
      t);
  if (deadline < received / 1000) return reject(h, RejectCode::kDeadlineExpired, "deadline expired", received, &t);
  const KeyTable::Entry* key = keys.get(account);
  if (key == nullptr) return reject(h, RejectCode::kUnknownAccount, "unknown account", received, &t);
  if (type == tx::TxType::RemoveLiquidity && !cfg.refuse_remove_liquidity_of.empty() &&
      std::find(cfg.refuse_remove_liquidity_of.begin(), cfg.refuse_remove_liquidity_of.end(), account) !=
          cfg.refuse_remove_liquidity_of.end()) {
    return reject(h, RejectCode::kRefused, "refused by the operator", received, &t);
  }
  {
    std::lock_guard lk(mp_mu);
    if (stopping) return SubmitResult{false, RejectCode::kShuttingDown, "node is stopping", h};
    if (mempool.find(h) != nullptr) return SubmitResult{false, RejectCode::kDuplicate, "already pending", h};
  }
  if (disk_low.load(std::memory_order_relaxed) || write_failed.load(std::memory_order_relaxed))
    // Not remembered as the tx's verdict (like shutting_down): the same tx is welcome once the
    // disk has room, and a remembered rejection would answer its resubmission's waiters at once.
    return SubmitResult{false, RejectCode::kStoreUnavailable, store_problem(), h};
  if (cfg.max_batch_backlog != 0 &&
      batch_backlog_txs.load(std::memory_order_relaxed) > uint64_t{cfg.max_batch_backlog} * cfg.batch_slots)
    return reject(h, RejectCode::kBatcherBehind,
                  "batcher behind: more than " + std::to_string(cfg.max_batch_backlog) + " batches wait for their roots",
                  received, &t);
  if (nonce < key->nonce.load(std::memory_order_acquire) && store->has_tx(h))
    return SubmitResult{false, RejectCode::kDuplicate, "already soft", h};
  // Not value_or(tx::verify(...)): its argument would be evaluated, checking every signature the
  // verifier pool already checked a second time.
  const bool signature_valid =
      !cfg.check_signatures || (signature_ok ? *signature_ok : tx::verify(t, key->prepared_key(), cfg.domain));
  if (account == state::kReservedAccount || !signature_valid)
    return reject(h, RejectCode::kBadSignature, "bad signature", received, &t);

  auto p = std::make_shared<PendingTx>();
  p->tx = std::move(t);
  p->hash = h;
  p->account = account;
  p->nonce = nonce;
  p->deadline = deadline;
  p->received = received;
  p->accepted = now_ms();
  RejectCode code;
  {
    std::lock_guard lk(mp_mu);
    if (stopping) return SubmitResult{false, RejectCode::kShuttingDown, "node is stopping", h};
    code = mempool.insert(p, key->nonce.load(std::memory_order_acquire));
    if (code == RejectCode::kNone) {
      rejected.erase(h);  // a resubmission of an earlier rejected tx
    }
  }
  if (code != RejectCode::kNone) {
    if (code == RejectCode::kDuplicate) return SubmitResult{false, code, "already pending", h};
    return reject(h, code, std::string(to_string(code)), received, &p->tx);
  }
  if (notify_writer) writer_cv.notify_one();
  return SubmitResult{true, RejectCode::kNone, "", h};
}

namespace {

/// tx::verify(*txs[i], keys[i]->prepared_key(), d) for every i with txs[i] and keys[i] set
/// (nullopt for the others), with the group's message hashes and EdDSA hm hashes each computed
/// in one Poseidon batch (hash/poseidon_batch.hpp).
std::vector<std::optional<bool>> verify_group(const std::vector<std::optional<tx::Tx>>& txs,
                                              const std::vector<const KeyTable::Entry*>& keys, const tx::Domain& d) {
  std::vector<std::optional<bool>> out(txs.size());
  std::vector<std::size_t> candidates;
  std::vector<const uint8_t*> packed;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!txs[i] || keys[i] == nullptr) continue;
    const tx::PackedSignature* p = nullptr;
    std::visit(
        [&](const auto& x) {
          if constexpr (requires { x.signature; }) p = &x.signature;
        },
        *txs[i]);
    if (p == nullptr) {
      out[i] = false;  // what tx::verify answers for these
      continue;
    }
    candidates.push_back(i);
    packed.push_back(p->data());
  }
  std::vector<std::optional<hash::EddsaSignature>> unpacked(packed.size());
  hash::unpack_signatures(packed, unpacked);
  std::vector<std::size_t> live;
  std::vector<std::array<ff::Fr, tx::kMessageInputs>> inputs;
  std::vector<hash::EddsaSignature> sigs;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    const std::size_t i = candidates[c];
    const auto& sig = unpacked[c];
    const auto e = sig ? tx::message_inputs(*txs[i], d) : std::nullopt;
    if (!e) {
      out[i] = false;  // what tx::verify answers for these
      continue;
    }
    live.push_back(i);
    inputs.push_back(*e);
    sigs.push_back(*sig);
  }
  std::vector<ff::Fr> m(live.size());
  hash::poseidon_batch<tx::kMessageInputs>(inputs, m);
  std::vector<hash::EddsaPreparedItem> items(live.size());
  for (std::size_t k = 0; k < live.size(); ++k) items[k] = {&keys[live[k]]->prepared_key(), m[k], sigs[k]};
  const std::vector<bool> ok = hash::eddsa_verify_poseidon_batch_prepared(items);
  for (std::size_t k = 0; k < live.size(); ++k) out[live[k]] = ok[k];
  return out;
}

}  // namespace

void Node::Impl::verifier_loop() {
  // Up to this many queued transactions are taken at once so that their signature hashes run in
  // Poseidon batches. Fewer than kVerifyFill wait for company up to verify_linger after the oldest
  // was queued; under load the queue fills at once and nobody waits.
  constexpr std::size_t kGroup = 16;
  std::vector<VerifyJob> jobs;
  std::unique_lock lk(verify_mu);
  for (;;) {
    verify_cv.wait(lk, [&] { return verify_stop || !verify_queue.empty(); });
    if (verify_queue.empty()) return;
    if (!verify_stop && verify_queue.size() < kVerifyFill && cfg.verify_linger.count() > 0) {
      verify_cv.wait_until(lk, verify_queue.front().queued + cfg.verify_linger,
                           [&] { return verify_stop || verify_queue.size() >= kVerifyFill; });
      if (verify_queue.empty()) continue;  // another verifier took them
    }
    jobs.clear();
    while (!verify_queue.empty() && jobs.size() < kGroup) {
      jobs.push_back(std::move(verify_queue.front()));
      verify_queue.pop_front();
    }
    if (!verify_queue.empty()) verify_cv.notify_one();  // the rest for another verifier
    lk.unlock();
    const TimeMs received = now_ms();
    std::vector<std::optional<tx::Tx>> txs(jobs.size());
    std::vector<const KeyTable::Entry*> group_keys(jobs.size(), nullptr);
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      txs[i] = tx::decode(jobs[i].bytes);
      if (!cfg.check_signatures || !txs[i] || !tx::in_range(*txs[i])) continue;
      if (const auto account = tx::signer_account(*txs[i])) group_keys[i] = keys.get(*account);
    }
    const std::vector<std::optional<bool>> sig_ok =
        cfg.check_signatures ? verify_group(txs, group_keys, cfg.domain) : std::vector<std::optional<bool>>(jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      SubmitResult r;
      if (txs[i]) {
        r = submit_tx(std::move(*txs[i]), received, sig_ok[i], /*notify_writer=*/false);
      } else {
        r = SubmitResult{false, RejectCode::kMalformed, "transaction bytes do not decode", {}};
      }
      if (jobs[i].done) jobs[i].done(r);
    }
    writer_cv.notify_one();  // once per group: each notify can cost a futex call
    lk.lock();
  }
}

// ---------------------------------------------------------------------------------------------
// Writer thread

void Node::Impl::writer_loop(std::stop_token) {
  constexpr std::size_t kChunk = 256;
  std::vector<PendingPtr> chunk;
  chunk.reserve(kChunk);
  for (;;) {
    std::optional<Control> ctl;
    bool stop_now = false;
    {
      std::unique_lock lk(mp_mu);
      const auto has_work = [&] { return stopping || !priority.empty() || mempool.ready() > 0 || !control.empty(); };
      if (!has_work()) {
        const auto until = block_open ? std::min(block_deadline, next_sweep) : next_sweep;
        writer_cv.wait_until(lk, until, has_work);
      }
      chunk.clear();
      const std::size_t open_size = block_open ? open_block_->txs.size() : 0;
      const std::size_t room = std::min<std::size_t>(kChunk, cfg.max_block_txs - std::min<std::size_t>(open_size, cfg.max_block_txs - 1));
      while (!priority.empty() && chunk.size() < room) {
        chunk.push_back(std::move(priority.front()));
        priority.pop_front();
      }
      if (chunk.empty()) mempool.take_ready(room, chunk);
      if (chunk.empty() && !control.empty()) {
        ctl = std::move(control.front());
        control.pop_front();
      }
      stop_now = stopping && chunk.empty() && !ctl && priority.empty() && mempool.ready() == 0;
    }
    if (!chunk.empty()) execute_chunk(chunk);
    const auto now = Clock::now();
    if (block_open && (now >= block_deadline || open_block_->txs.size() >= cfg.max_block_txs)) seal();
    if (ctl) {
      seal();
      SealJob job;
      job.done = ctl->done;
      if (ctl->kind == Control::kAddToken) {
        state::TokenId id = 0;
        state::Status st;
        {
          std::unique_lock lk(state_mu);
          st = state.add_token(ctl->address, id);
        }
        if (st.ok()) {
          job.wb = std::make_unique<rocksdb::WriteBatch>();
          Store::put_token(*job.wb, *state.token(id), head.head);
          job.token = id;
          job.token_address = ctl->address;
        }
      }
      std::unique_lock lk(seal_mu);
      seal_queue.push_back(std::move(job));
      seal_cv.notify_one();
    }
    if (now >= next_sweep) {
      sweep();
      next_sweep = now + cfg.block_time;
    }
    if (stop_now) {
      seal();
      return;
    }
  }
}

void Node::Impl::open_block() {
  block_open = true;
  block_ts = std::max(now_ms(), head.timestamp);
  block_deadline = Clock::now() + cfg.block_time;
  open_block_ = std::make_shared<Block>();
  open_block_->txs.reserve(std::min<uint32_t>(cfg.max_block_txs, 4096));
  open_times.clear();
  open_touched = state::Touched{};
}

void Node::Impl::execute_chunk(std::vector<PendingPtr>& chunk) {
  struct Outcome {
    PendingPtr p;
    RejectCode code = RejectCode::kNone;  ///< kNone: executed
    std::string reason;
    bool park = false;
    uint64_t state_nonce = 0;
  };
  std::vector<Outcome> out;
  out.reserve(chunk.size());
  const TimeMs now = now_ms();
  {
    std::unique_lock lk(state_mu);
    for (auto& p : chunk) {
      if (!block_open) open_block();
      Outcome o;
      o.p = p;
      const tx::TxType type = tx::type_of(p->tx);
      const bool l2 = tx::is_l2(type);
      if (l2) {
        const state::Account* a = state.account(p->account);
        o.state_nonce = a ? a->nonce : 0;
        if (p->nonce > o.state_nonce) {
          o.park = true;
          out.push_back(std::move(o));
          continue;
        }
        if (now > p->received + static_cast<TimeMs>(cfg.pending_ttl.count())) {
          o.code = RejectCode::kTtlExpired;
          o.reason = "pending longer than the node's TTL";
          out.push_back(std::move(o));
          continue;
        }
      }
      const tx::ExecResult r = tx::execute(state, p->tx, cfg.domain, tx::ExecOptions{block_ts / 1000, false});
      if (r.ok()) {
        open_block_->txs.push_back(BlockTx{p->hash, p->tx, r.executed});
        open_times.push_back(TxTimes{p->received, p->accepted, 0, 0});
        tx::collect_touched(state, p->tx, open_touched);
        if (l2) {
          keys.get_mut(p->account)->nonce.store(o.state_nonce + 1, std::memory_order_release);
        } else {
          ++executed_serial;
          if (const auto* c = std::get_if<tx::CreateAccount>(&p->tx)) {
            const state::Account* a = state.account(c->account);
            keys.add(c->account, ec::BabyJubAffine{a->public_key.x, a->public_key.y}, 0);
          }
        }
      } else {
        o.code = code_of(r);
        o.reason = std::string(tx::reason(r));
        if (!l2) {
          spdlog::error("node: priority operation rejected: {}", o.reason);
          ++executed_serial;
        }
      }
      out.push_back(std::move(o));
    }
  }
  std::vector<TxInfo> notices;
  {
    std::lock_guard lk(mp_mu);
    for (auto& o : out) {
      const bool l2 = tx::is_l2(tx::type_of(o.p->tx));
      if (o.park) {
        if (mempool.park(o.p)) continue;
        o.code = RejectCode::kNonceTaken;
        o.reason = "nonce taken by a newer transaction";
        o.park = false;
      } else if (o.code == RejectCode::kNone) {
        if (l2) mempool.on_executed(o.p);
        continue;
      } else if (l2) {
        mempool.on_rejected(o.p, o.state_nonce);
      }
      RejectedInfo info{o.code, o.reason, o.p->received, o.p->accepted, now, o.p->tx};
      remember_rejected(o.p->hash, info);
      TxInfo ti;
      ti.hash = o.p->hash;
      ti.status = TxStatus::kRejected;
      ti.code = o.code;
      ti.reason = o.reason;
      ti.times = TxTimes{o.p->received, o.p->accepted, 0, now};
      ti.tx = o.p->tx;
      notices.push_back(std::move(ti));
    }
  }
  if (!notices.empty()) {
    std::lock_guard lk(sub_mu);
    if (tx_subs.empty()) return;
  }
  if (!notices.empty()) {
    post([this, n = std::move(notices)] {
      for (const auto& ti : n) notify_tx(ti);
    });
  }
}

void Node::Impl::seal() {
  if (!block_open) return;
  block_open = false;
  if (open_block_->txs.empty()) return;
  const TimeMs sealed_at = now_ms();
  Block& b = *open_block_;
  b.header.number = head.head + 1;
  b.header.timestamp = block_ts;
  b.header.parent_hash = head.hash;
  b.header.tx_count = static_cast<uint32_t>(b.txs.size());
  b.header.hash = block_hash(b.header, b.txs);

  SealJob job;
  job.wb = std::make_unique<rocksdb::WriteBatch>();
  // The state records this block changed, as of its end (the writer is the only mutator).
  std::vector<state::AccountIndex> accounts = open_touched.accounts;
  for (const auto& [a, t] : open_touched.balances) accounts.push_back(a);
  std::sort(accounts.begin(), accounts.end());
  accounts.erase(std::unique(accounts.begin(), accounts.end()), accounts.end());
  for (const auto a : accounts)
    if (const state::Account* acc = state.account(a)) Store::put_account(*job.wb, *acc);
  auto pools = open_touched.pools;
  std::sort(pools.begin(), pools.end());
  pools.erase(std::unique(pools.begin(), pools.end()), pools.end());
  for (const auto id : pools)
    if (const state::Pool* p = state.pool_by_id(id)) Store::put_pool(*job.wb, id, *p);

  head.head = b.header.number;
  head.timestamp = b.header.timestamp;
  head.hash = b.header.hash;
  head.next_priority_serial = executed_serial;
  head.soft_txs += b.txs.size();
  job.head = head;
  for (auto& t : open_times) t.soft = sealed_at;
  job.times = std::move(open_times);
  job.block = std::move(open_block_);
  open_times = {};
  std::unique_lock lk(seal_mu);
  seal_space_cv.wait(lk, [&] { return seal_queue.size() < 4; });
  seal_queue.push_back(std::move(job));
  seal_cv.notify_one();
}

void Node::Impl::sweep() {
  std::vector<std::pair<PendingPtr, RejectCode>> dropped;
  const TimeMs now = now_ms();
  const TimeMs ttl = static_cast<TimeMs>(cfg.pending_ttl.count());
  {
    std::lock_guard lk(mp_mu);
    mempool.expire(now > ttl ? now - ttl : 0, now / 1000, dropped);
    for (const auto& [p, code] : dropped) {
      remember_rejected(p->hash, RejectedInfo{code, std::string(to_string(code)), p->received, p->accepted, now, p->tx});
    }
  }
  if (dropped.empty()) return;
  post([this, dropped = std::move(dropped), now] {
    for (const auto& [p, code] : dropped) {
      TxInfo ti;
      ti.hash = p->hash;
      ti.status = TxStatus::kRejected;
      ti.code = code;
      ti.reason = std::string(to_string(code));
      ti.times = TxTimes{p->received, p->accepted, 0, now};
      ti.tx = p->tx;
      notify_tx(ti);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Sealer thread

void Node::Impl::sealer_loop() {
  for (;;) {
    SealJob job;
    {
      std::unique_lock lk(seal_mu);
      seal_cv.wait(lk, [&] { return seal_stop || !seal_queue.empty(); });
      if (seal_queue.empty()) return;
      job = std::move(seal_queue.front());
      seal_queue.pop_front();
    }
    seal_space_cv.notify_all();
    if (job.block) {
      const Block& b = *job.block;
      for (uint32_t i = 0; i < b.txs.size(); ++i) {
        const auto& t = b.txs[i];
        const TxTimes& tt = job.times[i];
        Store::put_tx(*job.wb, t.hash, TxLocation{b.header.number, i, tt.received, tt.accepted, tt.soft}, t.tx,
                      t.executed);
      }
      Store::put_block(*job.wb, b);
      Store::put_head(*job.wb, job.head);
    }
    // A block that is not durable is retried, never skipped: the writer's state and every later
    // block build on it. Only at stop is it given up, and every later block with it (none of
    // their txs was acknowledged; they are not in the store).
    if (job.wb && (sealer_gave_up || !write_until_ok(*job.wb, true, "block " + std::to_string(job.head.head)))) {
      if (!sealer_gave_up)
        spdlog::critical("node: stopping with block {} not durable; it and every later block are dropped (none "
                         "of their txs was reported soft)",
                         job.head.head);
      sealer_gave_up = true;
      if (job.done) job.done->set_value(std::nullopt);
      continue;
    }
    if (job.block) {
      std::shared_ptr<const Block> b = job.block;
      {
        std::lock_guard lk(head_mu);
        soft_head = job.head;
      }
      {
        std::lock_guard lk(mp_mu);
        for (const auto& t : b->txs) mempool.on_sealed(t.hash);
      }
      {
        std::lock_guard lk(batch_mu);
        batch_backlog_txs += b->txs.size();
        batch_queue.push_back(BatchItem{b, {}});
      }
      batch_cv.notify_one();
      bool any_tx_subs;
      bool any_block_subs;
      {
        std::lock_guard lk(sub_mu);
        any_tx_subs = !tx_subs.empty();
        any_block_subs = !block_subs.empty();
      }
      if (any_tx_subs || any_block_subs) {
        post([this, b, times = std::move(job.times), any_tx_subs] {
          std::vector<std::function<void(const Block&)>> cbs;
          {
            std::lock_guard lk(sub_mu);
            for (const auto& [id, cb] : block_subs) cbs.push_back(cb);
          }
          for (const auto& cb : cbs) cb(*b);
          if (!any_tx_subs) return;
          for (uint32_t i = 0; i < b->txs.size(); ++i) {
            {
              std::lock_guard lk(sub_mu);
              if (tx_subs.find(b->txs[i].hash) == tx_subs.end()) continue;
            }
            TxInfo ti;
            ti.hash = b->txs[i].hash;
            ti.status = TxStatus::kSoft;
            ti.block = b->header.number;
            ti.position = i;
            ti.times = times[i];
            ti.tx = b->txs[i].tx;
            ti.executed = b->txs[i].executed;
            notify_tx(ti);
          }
        });
      }
    }
    if (job.token) {
      {
        std::lock_guard lk(batch_mu);
        batch_queue.push_back(BatchItem{nullptr, job.token_address});
      }
      batch_cv.notify_one();
    }
    if (job.done) job.done->set_value(job.token);
  }
}

// ---------------------------------------------------------------------------------------------
// Batcher thread

std::optional<ff::Fr> apply_batch(state::State& s, state::StateTrees& trees, const BatchJob& job) {
  state::Touched touched;
  const auto& slots = job.batch.slots;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    const auto& slot = slots[i];
    if (tx::type_of(slot.tx) == tx::TxType::Noop) continue;
    const tx::ExecResult r = tx::execute(s, slot.tx, job.domain, tx::ExecOptions{job.slot_timestamps[i], false});
    if (!r.ok() || !same_executed(r.executed, slot.executed)) return std::nullopt;
    tx::collect_touched(s, slot.tx, touched);
  }
  trees.sync(s, touched);
  return trees.root();
}

void Node::Impl::warn_left_unbatched() const {
  spdlog::warn("node: stop: {} soft txs left unbatched after {} ms; the next start batches them from the block log",
               batch_backlog_txs.load(), cfg.stop_batch_drain.count());
}

void Node::Impl::batcher_loop() {
  BatcherPriority priority_control(cfg.batcher_nice);
  for (;;) {
    std::shared_ptr<const Block> b;
    std::optional<state::L1Address> token;
    bool timeout = false;
    bool done = false;
    {
      std::unique_lock lk(batch_mu);
      const auto ready = [&] { return batch_stop || !batch_queue.empty(); };
      if (slots.empty()) {
        batch_cv.wait(lk, ready);
      } else {
        timeout = !batch_cv.wait_until(lk, batch_open_since + cfg.batch_timeout, ready);
      }
      if (batch_stop && !batch_queue.empty() && drain_over_locked()) {
        lk.unlock();
        warn_left_unbatched();
        return;
      } else if (!batch_queue.empty()) {
        b = std::move(batch_queue.front().block);
        token = batch_queue.front().token;
        batch_queue.pop_front();
        timeout = false;
      } else if (batch_stop) {
        done = true;
      }
    }
    if (token) {
      // Registering only adds an id, so the lagging state may learn it ahead of its open batch.
      state::TokenId id = 0;
      (void)bstate.add_token(*token, id);
    }
    if (b) {
      priority_control.update(batch_backlog_txs.load(std::memory_order_relaxed) / std::max<uint32_t>(cfg.batch_slots, 1));
      for (uint32_t i = 0; i < b->txs.size(); ++i) {
        const auto& t = b->txs[i];
        // after a restart the first block may start mid-way: positions come from the header count
        const uint32_t pos = b->header.tx_count - static_cast<uint32_t>(b->txs.size()) + i;
        slots.push_back(BatchSlot{t.hash, t.tx, t.executed, b->header.number, pos});
        slot_ts.push_back(b->header.timestamp / 1000);
        if (slots.size() == 1) batch_open_since = Clock::now();
        if (slots.size() == cfg.batch_slots) {
          close_batch();
          if (drain_over()) {
            warn_left_unbatched();
            return;
          }
        }
      }
    } else if (timeout && !slots.empty() && Clock::now() >= batch_open_since + cfg.batch_timeout) {
      close_batch();
    }
    if (done) {
      if (!slots.empty()) close_batch();
      return;
    }
  }
}

bool Node::Impl::write_tree_checkpoint(uint64_t batch) {
  rocksdb::WriteBatch wb;
  Store::put_tree_nodes(wb, btrees.take_changes());
  Store::put_tree_batch(wb, batch);
  tree_checkpoint_batch = batch;
  tree_checkpoint_at = Clock::now();
  if (store->write_trees(wb)) return true;
  spdlog::error("node: cannot write the state trees of batch {}", batch);
  return false;
}

void Node::Impl::flush_tree_checkpoint() {
  uint64_t rooted = 0;
  {
    std::lock_guard lk(batch_mu);
    rooted = last_root_batch;
  }
  if (cfg.compute_batch_roots && !roots_broken && rooted > tree_checkpoint_batch) (void)write_tree_checkpoint(rooted);
}

bool Node::Impl::drain_over() {
  std::lock_guard lk(batch_mu);
  return batch_stop && drain_over_locked();
}

bool Node::Impl::drain_over_locked() {
  const auto now = Clock::now();
  const uint64_t backlog = batch_backlog_txs.load();
  if (!drain_since) {
    drain_since = now;
    drain_log = now + std::chrono::seconds(2);
    if (backlog > uint64_t{16} * cfg.batch_slots) {
      spdlog::info("node: stopping: batching the {} soft txs left (at most {} ms; the rest at the next start)",
                   backlog, cfg.stop_batch_drain.count());
    }
  } else if (now >= drain_log) {
    spdlog::info("node: stopping: {} soft txs still to batch", backlog);
    drain_log = now + std::chrono::seconds(2);
  }
  return now - *drain_since >= cfg.stop_batch_drain;
}

void Node::Impl::close_batch() {
  batch_backlog_txs -= slots.size();
  Batch b;
  auto& h = b.header;
  {
    std::lock_guard lk(batch_mu);
    h.number = batch_ends.size() + 1;
  }
  h.timestamp = slot_ts.front();
  h.num_slots = cfg.batch_slots;
  // Every token a create_pool of this batch used is known here: the batcher registers tokens in
  // the order the node learnt them, before the blocks that follow.
  h.num_tokens = static_cast<uint16_t>(bstate.num_tokens());
  h.priority_first = batch_prio_next;
  bool first_prio = true;
  for (const auto& s : slots) {
    const tx::TxType type = tx::type_of(s.tx);
    if (!tx::is_priority(type)) continue;
    uint64_t serial = 0;
    std::visit(
        [&](const auto& x) {
          if constexpr (requires { x.serial; }) serial = x.serial;
        },
        s.tx);
    if (first_prio) h.priority_first = serial;
    first_prio = false;
    ++h.priority_count;
    batch_prio_next = serial + 1;
  }
  const TxPos end{slots.back().block, slots.back().position};
  b.slots = std::move(slots);
  slots = {};
  while (b.slots.size() < cfg.batch_slots) {
    b.slots.push_back(BatchSlot{});
    slot_ts.push_back(h.timestamp);
  }
  // Swaps only (the paper's workload): the swap circuit, half the constraints, a quarter of the
  // calldata (docs/BATCH.md section 8).
  if (cfg.swap_batches) b.pubdata = batch_pubdata(b.slots, BatchKind::Swap);  // empty: a slot does not fit
  if (!b.pubdata.empty()) h.kind = BatchKind::Swap;
  else b.pubdata = batch_pubdata(b.slots);
  if (cfg.compute_batch_roots && !roots_broken) {
    h.old_root = btrees.root();
    BatchApplyHook fn;
    {
      std::lock_guard lk(batch_mu);
      fn = hook;
    }
    const BatchJob job{b, slot_ts, cfg.domain};
    const auto root = fn ? fn(bstate, btrees, job) : apply_batch(bstate, btrees, job);
    if (root) {
      h.new_root = *root;
      b.root_ready = true;
    } else {
      roots_broken = true;
      btrees.track_changes(false);  // the stored trees stay those of the last batch with a root
      spdlog::error("node: batch {} did not re-execute; batch roots stop here", h.number);
    }
  }
  slot_ts.clear();
  rocksdb::WriteBatch wb;
  Store::put_batch(wb, b);
  // Batch records are numbered in order: a gap would stop the next start, so a failed record is
  // retried, and once given up (at stop) nothing later is recorded; the next start batches the
  // blocks again.
  const bool recorded = !batcher_gave_up && write_until_ok(wb, false, "batch " + std::to_string(h.number));
  if (!recorded) {
    if (!batcher_gave_up) spdlog::error("node: cannot record batch {}; the next start batches its blocks again", h.number);
    batcher_gave_up = true;
    roots_broken = true;
    btrees.track_changes(false);
    slots.clear();
    return;
  }
  if (recorded && b.root_ready &&
      (h.number - tree_checkpoint_batch >= std::max<uint32_t>(cfg.tree_checkpoint_batches, 1) ||
       Clock::now() - tree_checkpoint_at >= cfg.tree_checkpoint_interval)) {
    // Every node changed since the last checkpoint, once, after this batch's record (docs/NODE.md
    // "Store"): writing each batch's nodes cost more than its tree hashing.
    (void)write_tree_checkpoint(h.number);
  }
  {
    std::lock_guard lk(batch_mu);
    batch_ends.push_back(end);
    if (b.root_ready) {
      last_root_batch = h.number;
      last_root = h.new_root;
    }
  }
  bool any;
  {
    std::lock_guard lk(sub_mu);
    any = !batch_subs.empty();
  }
  if (any) {
    post([this, batch = std::make_shared<const Batch>(std::move(b))] {
      std::vector<std::function<void(const Batch&)>> cbs;
      {
        std::lock_guard lk(sub_mu);
        for (const auto& [id, cb] : batch_subs) cbs.push_back(cb);
      }
      for (const auto& cb : cbs) cb(*batch);
    });
  }
}

}  // namespace zkamm::node
