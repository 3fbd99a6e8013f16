// Node set-up and tear-down: opening the store (state, batcher resume point, state trees),
// starting and stopping the threads (node_writer, node_sealer, node_batcher, verifier_pool,
// store_guard), and the notifier thread that runs callbacks.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "ff/parallel.hpp"
#include "node/node_impl.hpp"
#include "tx/encoding.hpp"
#include "tx/execute.hpp"

namespace zkamm::node {

using Clock = std::chrono::steady_clock;

namespace {
/// Names the calling thread (at most 15 characters) so that top -H and perf tell them apart.
void name_thread(const char* name) noexcept { pthread_setname_np(pthread_self(), name); }
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
  durable_head = head.head;
  follower = cfg.follower;
  term = cfg.term;
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
  if (const auto snaps = store->state_snapshots(); !snaps.empty()) snapshot_batch = snaps.back();
  snapshot_at = Clock::now();
  const TxPos boundary = batch_ends.empty() ? TxPos{} : batch_ends.back();
  bool boundary_is_head = head.head == 0;
  if (boundary.block == head.head && boundary.block != 0) {
    const auto hb = store->block(head.head);
    boundary_is_head = hb && boundary.position + 1 == hb->txs.size();
  }
  if (boundary_is_head) {
    bstate = state;
  } else {
    auto s = state_after_batch(nbatches);
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
      if (n == boundary.block) {
        b->txs.erase(b->txs.begin(), b->txs.begin() + boundary.position + 1);
        b->header.close_batch = 0;  // its cut came before its txs: already applied
      }
      // An empty block may carry a group's batch cut (BlockHeader::close_batch): the batcher needs it.
      if (b->txs.empty() && b->header.close_batch == 0) continue;
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
  if (quorum_mode())
    quorum = std::jthread([this] {
      name_thread("zk-quorum");
      quorum_loop();
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
      LockGuard lk(health_mu);
      stop_requested = true;
    }
    health_cv.notify_all();
    if (disk_guard.joinable()) disk_guard.join();
    {
      LockGuard lk(verify_mu);
      verify_stop = true;
    }
    verify_cv.notify_all();
    verifiers.clear();  // joins
    {
      LockGuard lk(mp_mu);
      stopping = true;
    }
    writer_cv.notify_all();
    if (writer.joinable()) writer.join();
    if (cfg.replicator) cfg.replicator->shutdown();  // a sealer waiting for a majority gives up
    {
      LockGuard lk(seal_mu);
      seal_stop = true;
    }
    seal_cv.notify_all();
    if (sealer.joinable()) sealer.join();
    {
      LockGuard lk(quorum_mu);
      quorum_stop = true;
    }
    quorum_cv.notify_all();
    if (quorum.joinable()) quorum.join();
    {
      LockGuard lk(batch_mu);
      batch_stop = true;
    }
    batch_cv.notify_all();
    if (batcher.joinable()) batcher.join();
    {
      LockGuard lk(notify_mu);
      notify_stop = true;
    }
    notify_cv.notify_all();
    if (notifier.joinable()) notifier.join();
    // Last: the replicator's threads may still read this node's store for a follower, and the
    // store closes once this object goes (a destroyed leader raced a follower's catch-up read).
    if (cfg.replicator) cfg.replicator->node_stopped();
  });
}

void Node::Impl::post(std::function<void()> fn) {
  {
    LockGuard lk(notify_mu);
    notify_queue.push_back(std::move(fn));
  }
  notify_cv.notify_one();
}

void Node::Impl::notifier_loop() {
  UniqueLock lk(notify_mu);
  for (;;) {
    notify_cv.wait(lk.native(), [&]() REQUIRES(notify_mu) { return notify_stop || !notify_queue.empty(); });
    if (notify_queue.empty()) return;  // stopping and drained
    auto fn = std::move(notify_queue.front());
    notify_queue.pop_front();
    lk.unlock();
    fn();
    lk.lock();
  }
}

}  // namespace zkamm::node
