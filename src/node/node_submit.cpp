// Submit path (caller and verifier threads): admission checks, the rejected cache, mempool insertion.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/node_impl.hpp"
#include "tx/encoding.hpp"

namespace zkamm::node {

SubmitResult Node::Impl::reject(const Hash& h, RejectCode code, std::string reason, TimeMs received,
                                const tx::Tx* t) {
  SubmitResult r{false, code, std::move(reason), h};
  if (h != Hash{}) {
    LockGuard lk(mp_mu);
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
    LockGuard lk(mp_mu);
    if (stopping) return SubmitResult{false, RejectCode::kShuttingDown, "node is stopping", h};
    if (follower) return SubmitResult{false, RejectCode::kNotLeader, "this node follows the group's leader", h};
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
    LockGuard lk(mp_mu);
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

}  // namespace zkamm::node
