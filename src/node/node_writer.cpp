// The writer thread: takes ready txs and priority ops, executes them on the live state, builds
// blocks and hands sealed ones to the sealer; also registers L1 tokens and sweeps the mempool.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/node_impl.hpp"
#include "node/replay.hpp"
#include "tx/encoding.hpp"
#include "tx/execute.hpp"

namespace zkamm::node {

using Clock = std::chrono::steady_clock;

void Node::Impl::writer_loop(std::stop_token) {
  constexpr std::size_t kChunk = 256;
  std::vector<PendingPtr> chunk;
  chunk.reserve(kChunk);
  for (;;) {
    std::optional<Control> ctl;
    std::optional<Replicated> rep;
    bool stop_now = false;
    {
      UniqueLock lk(mp_mu);
      const auto has_work = [&]() REQUIRES(mp_mu) {
        return stopping || !priority.empty() || mempool.ready() > 0 || !control.empty() || cut_wanted.load() != 0 ||
               (!replicated.empty() && diverged_reason.empty());
      };
      if (!has_work()) {
        const auto until = block_open ? std::min(block_deadline, next_sweep) : next_sweep;
        writer_cv.wait_until(lk.native(), until, has_work);
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
      // A follower's items from the leader, one at a time (a block is a whole chunk); none once
      // it diverged: the state may be half-applied.
      if (chunk.empty() && !ctl && !replicated.empty() && diverged_reason.empty()) {
        rep = std::move(replicated.front());
        replicated.pop_front();
        if (rep->token) ctl = Control{Control::kAddToken, *rep->token, nullptr};
        if (rep->promote_term) {
          // Everything the old leader sent before is applied: from here this node orders the
          // txs. Priority serials and account indices go on from the replicated ones.
          follower = false;
          term = *rep->promote_term;
          next_serial = executed_serial;
          expected_accounts = state.num_accounts();
          spdlog::info("node: leader from block {} on, term {}", head.head + 1, term);
          if (rep->promoted) rep->promoted->set_value();
        }
      }
      stop_now = stopping && chunk.empty() && !ctl && priority.empty() && mempool.ready() == 0;
    }
    if (!chunk.empty()) execute_chunk(chunk);
    if (rep && rep->block) (void)apply_block(*rep->block);
    const auto now = Clock::now();
    if (block_open && (now >= block_deadline || open_block_->txs.size() >= cfg.max_block_txs)) seal();
    if (cut_wanted.load(std::memory_order_acquire) != 0) {
      // The leader's batch cut rides in the next block: the open one, or an empty one sealed now
      // (an idle group still closes its timed-out batch).
      if (!block_open) open_block();
      seal();
    }
    if (ctl) {
      seal();
      SealJob job;
      job.done = ctl->done;
      if (ctl->kind == Control::kAddToken) {
        state::TokenId id = 0;
        state::Status st;
        {
          WriterLock lk(state_mu);
          st = state.add_token(ctl->address, id);
        }
        if (st.ok()) {
          job.wb = std::make_unique<rocksdb::WriteBatch>();
          Store::put_token(*job.wb, *state.token(id), head.head);
          job.head = head;  // replication places the token after this head
          job.own = true;
          job.token = id;
          job.token_address = ctl->address;
        }
      }
      UniqueLock lk(seal_mu);
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
    WriterLock lk(state_mu);
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
    LockGuard lk(mp_mu);
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
    LockGuard lk(sub_mu);
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
  const uint64_t cut = cut_wanted.exchange(0, std::memory_order_acq_rel);
  if (open_block_->txs.empty() && cut == 0) return;
  Block& b = *open_block_;
  b.header.close_batch = cut;
  b.header.number = head.head + 1;
  b.header.timestamp = block_ts;
  b.header.parent_hash = head.hash;
  b.header.tx_count = static_cast<uint32_t>(b.txs.size());
  b.header.hash = block_hash(b.header, b.txs);
  b.header.term = term;
  queue_sealed(/*own=*/true);
}

bool Node::Impl::apply_block(const Block& in) {
  seal();  // a follower has no block of its own open; a promoted one applies nothing more
  const auto fail = [&](const std::string& why) {
    spdlog::critical("node: replicated block {} does not apply: {}; this node stops following (resync its data dir)",
                     in.header.number, why);
    LockGuard lk(mp_mu);
    diverged_reason = "block " + std::to_string(in.header.number) + ": " + why;
    return false;
  };
  if (in.header.number != head.head + 1 || in.header.parent_hash != head.hash)
    return fail("it does not follow head " + std::to_string(head.head) + " " + to_hex(head.hash));
  if (in.header.tx_count != in.txs.size() || (in.txs.empty() && in.header.close_batch == 0) || !(block_hash(in.header, in.txs) == in.header.hash))
    return fail("its hash or tx count is wrong");
  if (in.header.term < term) return fail("its term " + std::to_string(in.header.term) + " is older than " + std::to_string(term));
  open_block();
  block_ts = in.header.timestamp;
  const TimeMs now = now_ms();
  {
    WriterLock lk(state_mu);
    for (const auto& t : in.txs) {
      const tx::ExecResult r = tx::execute(state, t.tx, cfg.domain, tx::ExecOptions{in.header.timestamp / 1000, false});
      if (!r.ok() || !same_executed(r.executed, t.executed)) {
        block_open = false;
        return fail("tx " + to_hex(t.hash) + " does not re-execute to the leader's result");
      }
      tx::collect_touched(state, t.tx, open_touched);
      open_times.push_back(TxTimes{now, now, 0, 0});
      if (const auto account = tx::signer_account(t.tx); account && tx::is_l2(tx::type_of(t.tx))) {
        keys.get_mut(*account)->nonce.store(state.account(*account)->nonce, std::memory_order_release);
      } else {
        ++executed_serial;
        if (const auto* c = std::get_if<tx::CreateAccount>(&t.tx)) {
          const state::Account* a = state.account(c->account);
          keys.add(c->account, ec::BabyJubAffine{a->public_key.x, a->public_key.y}, 0);
        }
      }
    }
  }
  open_block_->txs = in.txs;
  open_block_->header = in.header;
  block_open = false;
  term = in.header.term;
  {
    // A follower's next priority serial is the leader's (status, and the L1 watcher's resume
    // point once it leads); it orders none itself.
    LockGuard lk(mp_mu);
    next_serial = executed_serial;
  }
  queue_sealed(/*own=*/false);
  return true;
}

void Node::Impl::queue_sealed(bool own) {
  const TimeMs sealed_at = now_ms();
  Block& b = *open_block_;
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
  job.own = own;
  open_times = {};
  UniqueLock lk(seal_mu);
  seal_space_cv.wait(lk.native(), [&]() REQUIRES(seal_mu) { return seal_queue.size() < 4; });
  seal_queue.push_back(std::move(job));
  seal_cv.notify_one();
}

void Node::Impl::sweep() {
  std::vector<std::pair<PendingPtr, RejectCode>> dropped;
  const TimeMs now = now_ms();
  const TimeMs ttl = static_cast<TimeMs>(cfg.pending_ttl.count());
  {
    LockGuard lk(mp_mu);
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

}  // namespace zkamm::node
