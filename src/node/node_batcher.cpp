// The batcher thread: puts soft blocks' txs into batch slots, closes batches (full or timed out),
// computes their roots on the batch-lagging state and trees, and checkpoints the trees.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/batcher_priority.hpp"
#include "node/node_impl.hpp"
#include "tx/encoding.hpp"
#include "tx/execute.hpp"

namespace zkamm::node {

using Clock = std::chrono::steady_clock;

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
      UniqueLock lk(batch_mu);
      const auto ready = [&]() REQUIRES(batch_mu) { return batch_stop || !batch_queue.empty(); };
      if (slots.empty()) {
        batch_cv.wait(lk.native(), ready);
      } else {
        // In a group, a cut asked of the writer is asked again only after another timeout.
        const bool asked = group_batches() && cut_requested == batch_ends.size() + 1;
        timeout = !batch_cv.wait_until(lk.native(), (asked ? cut_requested_at : batch_open_since) + cfg.batch_timeout, ready);
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
    if (b && b->header.close_batch != 0 && group_batches()) {
      // The leader's cut, before the block's txs, on every member alike. A cut of a batch that
      // filled up meanwhile is stale (the full batch closed on every member at the same slot).
      uint64_t next = 0;
      {
        LockGuard lk(batch_mu);
        next = batch_ends.size() + 1;
      }
      if (b->header.close_batch == next && !slots.empty()) close_batch();
    }
    if (b) {
      bool following = false;
      if (group_batches()) {
        LockGuard lk(mp_mu);
        following = follower;
      }
      priority_control.update(batch_backlog_txs.load(std::memory_order_relaxed) / std::max<uint32_t>(cfg.batch_slots, 1),
                              BatcherPriority::raise_at(following, cfg.max_batch_backlog));
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
      if (group_batches()) request_cut();
      else close_batch();
    }
    if (done) {
      // A group member never closes a batch of its own accord: the open one is cut later by a
      // leader's block (this node's blocks are replayed into the batcher at the next start).
      if (!slots.empty() && !group_batches()) close_batch();
      return;
    }
  }
}

void Node::Impl::request_cut() {
  uint64_t next = 0;
  {
    LockGuard lk(batch_mu);
    next = batch_ends.size() + 1;
  }
  const auto now = Clock::now();
  if (cut_requested == next && now < cut_requested_at + cfg.batch_timeout) return;
  // Asked again after another timeout (the carrier may be lost with a leader); a follower looks
  // again then, in case it was promoted meanwhile.
  cut_requested = next;
  cut_requested_at = now;
  {
    LockGuard lk(mp_mu);
    if (follower) return;  // the leader cuts; this member waits for its blocks
    cut_wanted.store(next, std::memory_order_release);
  }
  writer_cv.notify_one();
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

void Node::Impl::maybe_write_state_snapshot(uint64_t batch) {
  if (cfg.state_snapshot_batches == 0 || batch < snapshot_batch + cfg.state_snapshot_batches ||
      Clock::now() - snapshot_at < cfg.state_snapshot_interval)
    return;
  // Kept: the newest snapshot of a batch L1 finalized (the prover never rebuilds a batch before
  // it) and the newest state_snapshots_kept; the rest are deleted in the same write.
  NodeStatus l1;
  l1_counters(l1);
  std::vector<uint64_t> have = store->state_snapshots();
  have.push_back(batch);
  std::vector<uint64_t> drop;
  const auto kept_from = have.size() > cfg.state_snapshots_kept ? have.size() - cfg.state_snapshots_kept : 0;
  std::optional<uint64_t> newest_final;
  for (const uint64_t n : have)
    if (n <= l1.last_finalized) newest_final = n;
  for (std::size_t i = 0; i < kept_from; ++i)
    if (have[i] != newest_final) drop.push_back(have[i]);
  rocksdb::WriteBatch wb;
  Store::put_state_snapshot(wb, batch, bstate);
  for (const uint64_t n : drop) Store::delete_state_snapshot(wb, n);
  snapshot_batch = batch;
  snapshot_at = Clock::now();
  // Not synced: a snapshot lost in a crash only makes a later replay start further back. It is
  // written after its batch's record, so it never names a batch the store lacks.
  if (!store->write(wb, false)) spdlog::warn("node: cannot write the state snapshot of batch {}", batch);
}

void Node::Impl::flush_tree_checkpoint() {
  uint64_t rooted = 0;
  {
    LockGuard lk(batch_mu);
    rooted = last_root_batch;
  }
  if (cfg.compute_batch_roots && !roots_broken && rooted > tree_checkpoint_batch) (void)write_tree_checkpoint(rooted);
}

bool Node::Impl::drain_over() {
  LockGuard lk(batch_mu);
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
    LockGuard lk(batch_mu);
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
      LockGuard lk(batch_mu);
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
  if (b.root_ready) maybe_write_state_snapshot(h.number);
  {
    LockGuard lk(batch_mu);
    batch_ends.push_back(end);
    if (b.root_ready) {
      last_root_batch = h.number;
      last_root = h.new_root;
    }
  }
  bool any;
  {
    LockGuard lk(sub_mu);
    any = !batch_subs.empty();
  }
  if (any) {
    post([this, batch = std::make_shared<const Batch>(std::move(b))] {
      std::vector<std::function<void(const Batch&)>> cbs;
      {
        LockGuard lk(sub_mu);
        for (const auto& [id, cb] : batch_subs) cbs.push_back(cb);
      }
      for (const auto& cb : cbs) cb(*batch);
    });
  }
}

}  // namespace zkamm::node
