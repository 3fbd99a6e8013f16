// The sealer thread: synced RocksDB writes of sealed blocks (soft finality), then the soft head,
// the batcher's queue and the notifications.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/node_impl.hpp"

namespace zkamm::node {

void Node::Impl::sealer_loop() {
  std::vector<SealJob> jobs;
  for (;;) {
    jobs.clear();
    {
      UniqueLock lk(seal_mu);
      seal_cv.wait(lk.native(), [&]() REQUIRES(seal_mu) { return seal_stop || !seal_queue.empty(); });
      if (seal_queue.empty()) return;
      // Group commit: every job queued while the last sync ran goes to disk under one sync. A
      // sync costs the same for one block as for four, so a slow disk makes the blocks of a
      // backlog share it instead of queueing behind each other's (docs/NODE.md "Threads").
      // A token registration ends its group: replication reads the token's record from the
      // store, so the blocks after it are published only once that record is written.
      while (!seal_queue.empty()) {
        const bool token = seal_queue.front().token.has_value();
        jobs.push_back(std::move(seal_queue.front()));
        seal_queue.pop_front();
        if (token) break;
      }
    }
    seal_space_cv.notify_all();
    for (SealJob& job : jobs) {
      if (job.block) {
        const Block& b = *job.block;
        for (uint32_t i = 0; i < b.txs.size(); ++i) {
          const auto& t = b.txs[i];
          const TxTimes& tt = job.times[i];
          Store::put_tx(*job.wb, t.hash, TxLocation{b.header.number, i, tt.received, tt.accepted, tt.soft});
        }
        Store::put_block(*job.wb, b);
        Store::put_head(*job.wb, job.head);
      }
      // The group's copies are written while this one is: the followers get the block first.
      if (cfg.replicator && job.own && !sealer_gave_up) {
        if (job.block) cfg.replicator->publish(job.block);
        if (job.token) cfg.replicator->publish_token(job.head.head, job.token_address);
      }
    }
    if (quorum_mode()) {
      seal_for_quorum(jobs);
      continue;
    }
    // The last write with a record syncs; the WAL is sequential, so that sync makes every earlier
    // write of the group durable too. A block that is not durable is retried, never skipped: the
    // writer's state and every later block build on it. Only at stop is it given up, and every
    // later block with it (none of their txs was acknowledged; they are not in the store).
    std::size_t last_wb = jobs.size();
    for (std::size_t i = 0; i < jobs.size(); ++i)
      if (jobs[i].wb) last_wb = i;
    if (last_wb < jobs.size() && cfg.before_block_sync) cfg.before_block_sync();
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      SealJob& job = jobs[i];
      if (job.wb && (sealer_gave_up || !write_until_ok(*job.wb, i == last_wb, "block " + std::to_string(job.head.head)))) {
        if (!sealer_gave_up)
          spdlog::critical("node: stopping with block {} not durable; it and every later block are dropped (none "
                           "of their txs was reported soft)",
                           job.head.head);
        sealer_gave_up = true;
      }
    }
    if (last_wb < jobs.size() && !sealer_gave_up) block_syncs.fetch_add(1, std::memory_order_relaxed);
    if (!sealer_gave_up) {
      uint64_t durable = 0;
      for (const SealJob& job : jobs)
        if (job.block) durable = job.head.head;
      if (durable != 0) note_durable(durable);
    }
    for (SealJob& job : jobs) {
      if (job.wb && sealer_gave_up) {
        if (job.done) job.done->set_value(std::nullopt);
        continue;
      }
      publish_soft(job);
    }
  }
}

void Node::Impl::seal_for_quorum(std::vector<SealJob>& jobs) {
  // Unsynced writes first: each lands in the WAL in order (a later batch record or token never
  // precedes the block it follows) and is readable at once (the replication sender's catch-up).
  uint64_t last_serial = 0;
  uint64_t last_block = 0;
  bool wrote = false;
  for (SealJob& job : jobs) {
    if (job.wb && (sealer_gave_up || !write_until_ok(*job.wb, false, "block " + std::to_string(job.head.head)))) {
      if (!sealer_gave_up)
        spdlog::critical("node: stopping with block {} not written; it and every later block are dropped (none "
                         "of their txs was reported soft)",
                         job.head.head);
      sealer_gave_up = true;
    }
    if (sealer_gave_up) {
      if (job.done) job.done->set_value(std::nullopt);
      continue;
    }
    wrote = wrote || job.wb != nullptr;
    job.serial = last_serial = ++seal_serial;
    if (job.block) last_block = job.head.head;
    // Queued before the sync (beyond the queue's bound: waiting for room here could wait for a
    // majority that needs this very sync); the bound is applied after it.
    {
      LockGuard lk(quorum_mu);
      quorum_queue.push_back(std::move(job));
    }
    quorum_cv.notify_one();
  }
  if (last_serial == 0) return;
  if (wrote) {
    // One sync for the group: the WAL is sequential, so it makes every write above durable.
    if (cfg.before_block_sync) cfg.before_block_sync();
    const std::string what = "the blocks up to " + std::to_string(last_block);
    while (!store->sync_wal()) {
      if (!wait_store_retry(what.c_str())) {
        spdlog::critical("node: stopping with the blocks up to {} not durable here; none of them turns soft on "
                         "this node's vote",
                         last_block);
        sealer_gave_up = true;
        return;
      }
    }
    if (write_failed.load(std::memory_order_relaxed)) store_write_ok();
    block_syncs.fetch_add(1, std::memory_order_relaxed);
  }
  if (last_block != 0) note_durable(last_block);
  {
    LockGuard lk(quorum_mu);
    synced_serial.store(last_serial, std::memory_order_release);
  }
  quorum_cv.notify_all();
  // The mark's own sync comes after the acks: it guards against a damaged WAL at the next start,
  // not against a crash (the WAL sync above did that), so it need not delay soft finality.
  if (wrote) store->move_ack_mark();
  UniqueLock lk(quorum_mu);
  quorum_space_cv.wait(lk.native(), [&]() REQUIRES(quorum_mu) { return quorum_stop || quorum_queue.size() < kQuorumDepth; });
}

void Node::Impl::note_durable(uint64_t number) {
  durable_head.store(number, std::memory_order_release);
  if (cfg.replicator) cfg.replicator->own_durable(number);  // the leader's vote
  LockGuard lk(durable_mu);
  for (const auto& [id, cb] : durable_subs) cb(number);  // a follower's ack
}

void Node::Impl::quorum_loop() {
  // Soft on a majority, in order; the batcher gets each block once it is durable here as well.
  std::deque<std::pair<uint64_t, std::shared_ptr<const Block>>> unbatched;
  const auto durable_here = [&](uint64_t serial) { return synced_serial.load(std::memory_order_acquire) >= serial; };
  const auto flush_unbatched = [&] {
    while (!unbatched.empty() && durable_here(unbatched.front().first)) {
      queue_for_batcher(std::move(unbatched.front().second));
      unbatched.pop_front();
    }
  };
  for (;;) {
    SealJob job;
    {
      UniqueLock lk(quorum_mu);
      quorum_cv.wait(lk.native(), [&]() REQUIRES(quorum_mu) {
        return quorum_stop || !quorum_queue.empty() || (!unbatched.empty() && durable_here(unbatched.front().first));
      });
      if (quorum_queue.empty()) {
        const bool stop = quorum_stop;
        lk.unlock();
        flush_unbatched();
        if (stop) return;  // the sealer has stopped: what is not durable here is not batched
        continue;
      }
      job = std::move(quorum_queue.front());
      quorum_queue.pop_front();
    }
    quorum_space_cv.notify_all();
    flush_unbatched();
    // Quorum soft finality: the leader's own block turns soft (head, notifications) once a
    // majority of the group has it on disk, this node or not; anything else (a follower's copy,
    // a token, a marker) once it is durable here. Given up only at stop: then neither it nor a
    // later block is reported soft here (the group decides their fate).
    const bool own_block = job.block && job.own;
    if (!quorum_gave_up) {
      bool ok;
      if (own_block) {
        ok = cfg.replicator->wait_quorum(job.head.head);
      } else {
        UniqueLock lk(quorum_mu);
        quorum_cv.wait(lk.native(), [&]() REQUIRES(quorum_mu) { return quorum_stop || durable_here(job.serial); });
        ok = durable_here(job.serial);
      }
      if (!ok) {
        if (job.block)
          spdlog::warn("node: stopping before block {} reached a majority of the group; it is not reported soft",
                       job.head.head);
        quorum_gave_up = true;
      }
    }
    if (quorum_gave_up) {
      if (job.done) job.done->set_value(std::nullopt);
      continue;
    }
    if (own_block) {
      unbatched.emplace_back(job.serial, job.block);
      publish_soft(job, /*batch_now=*/false);
      flush_unbatched();
    } else {
      flush_unbatched();  // durable here, so every earlier block is too: they go first
      publish_soft(job);
    }
  }
}

void Node::Impl::queue_for_batcher(std::shared_ptr<const Block> b) {
  {
    LockGuard lk(batch_mu);
    batch_backlog_txs += b->txs.size();
    batch_queue.push_back(BatchItem{std::move(b), {}});
  }
  batch_cv.notify_one();
}

void Node::Impl::publish_soft(SealJob& job, bool batch_now) {
  if (job.block) {
    std::shared_ptr<const Block> b = job.block;
    {
      LockGuard lk(head_mu);
      soft_head = job.head;
    }
    {
      LockGuard lk(mp_mu);
      for (const auto& t : b->txs) mempool.on_sealed(t.hash);
    }
    if (batch_now) queue_for_batcher(b);
    bool any_tx_subs;
    bool any_block_subs;
    {
      LockGuard lk(sub_mu);
      any_tx_subs = !tx_subs.empty();
      any_block_subs = !block_subs.empty();
    }
    if (any_tx_subs || any_block_subs) {
      post([this, b, times = std::move(job.times), any_tx_subs] {
        std::vector<std::function<void(const Block&)>> cbs;
        {
          LockGuard lk(sub_mu);
          for (const auto& [id, cb] : block_subs) cbs.push_back(cb);
        }
        for (const auto& cb : cbs) cb(*b);
        if (!any_tx_subs) return;
        for (uint32_t i = 0; i < b->txs.size(); ++i) {
          {
            LockGuard lk(sub_mu);
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
      LockGuard lk(batch_mu);
      batch_queue.push_back(BatchItem{nullptr, job.token_address});
    }
    batch_cv.notify_one();
  }
  if (job.done) job.done->set_value(job.token);
}

}  // namespace zkamm::node
