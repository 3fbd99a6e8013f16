#include "node/mempool.hpp"

#include <algorithm>

namespace zkamm::node {

RejectCode Mempool::insert(const PendingPtr& p, uint64_t executed_nonce) {
  if (by_hash_.count(p->hash) != 0) return RejectCode::kDuplicate;
  if (p->nonce < executed_nonce) return RejectCode::kNonceTooLow;
  if (p->nonce - executed_nonce >= limits_.max_nonce_gap) return RejectCode::kNonceGap;
  auto [it, created] = accounts_.try_emplace(p->account);
  Account& a = it->second;
  if (created) a.ready_upto = executed_nonce;
  a.ready_upto = std::max<uint64_t>(a.ready_upto, executed_nonce);
  RejectCode code = RejectCode::kNone;
  if (p->nonce < a.ready_upto || a.waiting.count(p->nonce) != 0) {
    code = RejectCode::kNonceTaken;
  } else if (a.count >= limits_.max_per_account) {
    code = RejectCode::kAccountQueueFull;
  } else if (total_ >= limits_.max_pending) {
    code = RejectCode::kMempoolFull;
  }
  if (code != RejectCode::kNone) {
    drop_if_idle(p->account);
    return code;
  }
  by_hash_.emplace(p->hash, p);
  ++a.count;
  ++total_;
  if (p->nonce == a.ready_upto) {
    promote(a, p);
  } else {
    a.waiting.emplace(p->nonce, p);
  }
  return RejectCode::kNone;
}

void Mempool::promote(Account& a, const PendingPtr& p) {
  ready_.push_back(p);
  ++a.ready_upto;
  for (auto w = a.waiting.begin(); w != a.waiting.end() && w->first == a.ready_upto; w = a.waiting.erase(w)) {
    ready_.push_back(w->second);
    ++a.ready_upto;
  }
}

PendingPtr Mempool::find(const Hash& h) const {
  const auto it = by_hash_.find(h);
  return it == by_hash_.end() ? nullptr : it->second;
}

void Mempool::take_ready(std::size_t max, std::vector<PendingPtr>& out) {
  while (max-- > 0 && !ready_.empty()) {
    out.push_back(std::move(ready_.front()));
    ready_.pop_front();
  }
}

bool Mempool::park(const PendingPtr& p) {
  Account& a = accounts_[p->account];
  if (p->nonce == a.ready_upto) {
    promote(a, p);
    return true;
  }
  if (p->nonce > a.ready_upto && a.waiting.count(p->nonce) == 0) {
    a.waiting.emplace(p->nonce, p);
    return true;
  }
  by_hash_.erase(p->hash);
  --a.count;
  --total_;
  drop_if_idle(p->account);
  return false;
}

void Mempool::on_executed(const PendingPtr& p) {
  const auto it = accounts_.find(p->account);
  if (it == accounts_.end()) return;
  --it->second.count;
  --total_;
  drop_if_idle(p->account);
}

void Mempool::on_rejected(const PendingPtr& p, uint64_t executed_nonce) {
  by_hash_.erase(p->hash);
  const auto it = accounts_.find(p->account);
  if (it == accounts_.end()) return;
  Account& a = it->second;
  --a.count;
  --total_;
  // Nonces from here on were counted ready; they wait again (park) until the gap is refilled.
  a.ready_upto = std::min<uint64_t>(a.ready_upto, std::max<uint64_t>(executed_nonce, p->nonce));
  drop_if_idle(p->account);
}

void Mempool::expire(TimeMs oldest, uint64_t now_s, std::vector<std::pair<PendingPtr, RejectCode>>& dropped) {
  for (auto it = accounts_.begin(); it != accounts_.end();) {
    Account& a = it->second;
    for (auto w = a.waiting.begin(); w != a.waiting.end();) {
      const PendingTx& p = *w->second;
      RejectCode code = RejectCode::kNone;
      if (p.received < oldest) code = RejectCode::kTtlExpired;
      else if (p.deadline < now_s) code = RejectCode::kDeadlineExpired;
      if (code == RejectCode::kNone) {
        ++w;
        continue;
      }
      dropped.emplace_back(w->second, code);
      by_hash_.erase(p.hash);
      --a.count;
      --total_;
      w = a.waiting.erase(w);
    }
    if (a.count == 0 && a.waiting.empty()) {
      it = accounts_.erase(it);
    } else {
      ++it;
    }
  }
}

void Mempool::drop_if_idle(uint32_t index) {
  const auto it = accounts_.find(index);
  if (it != accounts_.end() && it->second.count == 0 && it->second.waiting.empty()) accounts_.erase(it);
}

}  // namespace zkamm::node
