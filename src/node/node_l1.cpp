// A batch's progress on L1 (committed -> proven -> finalized), told to the node by the L1 sender,
// and the settlement layer's durable records. The stage is stored per batch ('L' records, synced)
// and joined into tx_info() of every tx of the batch, so the RPC shows hard finality per tx.
#include <spdlog/spdlog.h>

#include "node/node_impl.hpp"

namespace zkamm::node {
namespace {

std::string l1_key(uint64_t batch) {
  std::string k(1, 'L');
  ByteWriter(k).u64(batch);
  return k;
}

std::string settle_key(std::string_view name) {
  std::string k(1, 'S');
  k.append(name.data(), name.size());
  return k;
}

bool is_l1_stage(TxStatus s) noexcept {
  return s == TxStatus::kCommitted || s == TxStatus::kProven || s == TxStatus::kFinalized;
}

std::string encode_l1(const BatchL1Info& i) {
  std::string out;
  ByteWriter w(out);
  w.u8(static_cast<uint8_t>(i.stage));
  w.u64(i.committed);
  w.u64(i.proven);
  w.u64(i.finalized);
  w.bytes(i.commit_tx);
  w.bytes(i.prove_tx);
  w.bytes(i.execute_tx);
  return out;
}

std::optional<BatchL1Info> decode_l1(std::string_view in) {
  ByteReader r(in);
  BatchL1Info i;
  i.stage = static_cast<TxStatus>(r.u8());
  i.committed = r.u64();
  i.proven = r.u64();
  i.finalized = r.u64();
  for (Hash* h : {&i.commit_tx, &i.prove_tx, &i.execute_tx}) {
    const auto b = r.bytes(h->size());
    if (!r.ok()) return std::nullopt;
    std::copy(b.begin(), b.end(), h->begin());
  }
  if (!r.done() || !is_l1_stage(i.stage)) return std::nullopt;
  return i;
}

}  // namespace

void Node::Impl::load_l1() const {
  if (l1_loaded || !store) return;
  l1_loaded = true;
  // Stages are monotone and batches reach L1 in order, so the records form a prefix 1..k.
  for (uint64_t n = 1;; ++n) {
    const auto v = store->get_raw(l1_key(n));
    if (!v) break;
    const auto i = decode_l1(*v);
    if (!i) {
      spdlog::error("node: the L1 record of batch {} is corrupt", n);
      break;
    }
    l1_info[n] = *i;
  }
}

void Node::Impl::apply_l1(TxInfo& ti) const {
  if (ti.status != TxStatus::kSoft || !ti.batch) return;
  LockGuard lk(l1_mu);
  load_l1();
  const auto it = l1_info.find(*ti.batch);
  if (it == l1_info.end()) return;
  ti.status = it->second.stage;
  ti.times.committed = it->second.committed;
  ti.times.proven = it->second.proven;
  ti.times.finalized = it->second.finalized;
}

void Node::Impl::l1_counters(NodeStatus& s) const {
  LockGuard lk(l1_mu);
  load_l1();
  for (const auto& [n, i] : l1_info) {
    if (i.stage >= TxStatus::kCommitted) s.last_committed = std::max(s.last_committed, n);
    if (i.stage >= TxStatus::kProven) s.last_proven = std::max(s.last_proven, n);
    if (i.stage >= TxStatus::kFinalized) s.last_finalized = std::max(s.last_finalized, n);
  }
}

bool Node::set_batch_l1_status(uint64_t batch, TxStatus stage, TimeMs at, const Hash& l1_tx) {
  Impl& m = *impl_;
  if (!m.error.empty() || !m.store || !is_l1_stage(stage) || batch == 0) return false;
  {
    LockGuard lk(m.batch_mu);
    if (batch > m.batch_ends.size()) return false;
  }
  {
    LockGuard lk(m.l1_mu);
    m.load_l1();
    BatchL1Info cur = m.l1_info.count(batch) ? m.l1_info[batch] : BatchL1Info{};
    if (cur.stage >= stage) return true;  // monotone and idempotent
    cur.stage = stage;
    if (stage == TxStatus::kCommitted) cur.committed = at, cur.commit_tx = l1_tx;
    if (stage == TxStatus::kProven) cur.proven = at, cur.prove_tx = l1_tx;
    if (stage == TxStatus::kFinalized) cur.finalized = at, cur.execute_tx = l1_tx;
    rocksdb::WriteBatch wb;
    Store::put_raw(wb, l1_key(batch), encode_l1(cur));
    if (!m.store->write(wb, true)) {
      spdlog::error("node: cannot record the L1 stage of batch {}", batch);
      return false;
    }
    m.l1_info[batch] = cur;
  }
  bool any;
  {
    LockGuard lk(m.sub_mu);
    any = !m.tx_subs.empty();
  }
  if (any) {
    m.post([&m, batch] {
      const auto b = m.store->batch(batch);
      if (!b) return;
      for (const BatchSlot& s : b->slots) {
        if (s.block == 0) continue;  // padding
        {
          LockGuard lk(m.sub_mu);
          if (!m.tx_subs.count(s.hash)) continue;
        }
        m.notify_tx(m.info(s.hash));
      }
    });
  }
  return true;
}

std::optional<BatchL1Info> Node::batch_l1(uint64_t batch) const {
  const Impl& m = *impl_;
  {
    LockGuard lk(m.batch_mu);
    if (batch == 0 || batch > m.batch_ends.size()) return std::nullopt;
  }
  LockGuard lk(m.l1_mu);
  m.load_l1();
  const auto it = m.l1_info.find(batch);
  return it == m.l1_info.end() ? BatchL1Info{} : it->second;
}

bool Node::put_settle_record(std::string_view key, std::string_view value) {
  if (!impl_->error.empty() || !impl_->store) return false;
  rocksdb::WriteBatch wb;
  Store::put_raw(wb, settle_key(key), value);
  return impl_->store->write(wb, true);
}

std::optional<std::string> Node::settle_record(std::string_view key) const {
  if (!impl_->error.empty() || !impl_->store) return std::nullopt;
  return impl_->store->get_raw(settle_key(key));
}

std::optional<state::State> Node::state_before_batch(uint64_t batch) const {
  const Impl& m = *impl_;
  if (!m.error.empty() || !m.store || batch == 0) return std::nullopt;
  {
    LockGuard lk(m.batch_mu);
    if (batch > m.batch_ends.size()) return std::nullopt;
  }
  return m.state_after_batch(batch - 1);
}

std::optional<state::State> Node::Impl::state_after_batch(uint64_t k) const {
  if (k == 0) return replay_blocks(*store, cfg.domain, 0);
  // The usable snapshots (at or before k), newest first, each with its batch's last tx.
  std::vector<std::pair<uint64_t, TxPos>> from;
  const std::vector<uint64_t> snaps = store->state_snapshots();
  TxPos end{};
  {
    LockGuard lk(batch_mu);
    if (k > batch_ends.size()) return std::nullopt;
    end = batch_ends[k - 1];
    for (auto it = snaps.rbegin(); it != snaps.rend(); ++it)
      if (*it != 0 && *it <= k) from.emplace_back(*it, batch_ends[*it - 1]);
  }
  for (const auto& [n, after] : from) {
    auto s = store->state_snapshot(n);
    if (!s) {
      spdlog::warn("node: the state snapshot of batch {} is damaged; trying an older one", n);
      continue;
    }
    if (auto r = replay_blocks_from(*store, cfg.domain, std::move(*s), after, end)) return r;
    spdlog::warn("node: the blocks after the state snapshot of batch {} do not replay; trying an older one", n);
  }
  return replay_blocks(*store, cfg.domain, end.block, end);
}

}  // namespace zkamm::node
