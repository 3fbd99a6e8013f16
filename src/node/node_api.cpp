// Node's public members: submit, reads, subscriptions.
#include <algorithm>

#include "node/node_impl.hpp"
#include "tx/encoding.hpp"

namespace zkamm::node {

std::string_view to_string(TxStatus s) noexcept {
  switch (s) {
    case TxStatus::kUnknown: return "unknown";
    case TxStatus::kPending: return "pending";
    case TxStatus::kSoft: return "soft";
    case TxStatus::kRejected: return "rejected";
    case TxStatus::kCommitted: return "committed";
    case TxStatus::kProven: return "proven";
    case TxStatus::kFinalized: return "finalized";
  }
  return "unknown";
}

std::string_view to_string(RejectCode c) noexcept {
  switch (c) {
    case RejectCode::kNone: return "none";
    case RejectCode::kMalformed: return "malformed";
    case RejectCode::kNotL2: return "not_l2";
    case RejectCode::kDuplicate: return "duplicate";
    case RejectCode::kUnknownAccount: return "unknown_account";
    case RejectCode::kBadSignature: return "bad_signature";
    case RejectCode::kNonceTooLow: return "nonce_too_low";
    case RejectCode::kNonceGap: return "nonce_gap";
    case RejectCode::kNonceTaken: return "nonce_taken";
    case RejectCode::kAccountQueueFull: return "account_queue_full";
    case RejectCode::kMempoolFull: return "mempool_full";
    case RejectCode::kDeadlineExpired: return "deadline_expired";
    case RejectCode::kTtlExpired: return "ttl_expired";
    case RejectCode::kInsufficientBalance: return "insufficient_balance";
    case RejectCode::kPoolNotFound: return "pool_not_found";
    case RejectCode::kSlippage: return "slippage";
    case RejectCode::kAmm: return "amm";
    case RejectCode::kStateRule: return "state_rule";
    case RejectCode::kLpWithdraw: return "lp_withdraw";
    case RejectCode::kShuttingDown: return "shutting_down";
    case RejectCode::kBadPriorityOp: return "bad_priority_op";
    case RejectCode::kBatcherBehind: return "batcher_behind";
    case RejectCode::kStoreUnavailable: return "store_unavailable";
    case RejectCode::kRefused: return "refused";
    case RejectCode::kNotLeader: return "not_leader";
  }
  return "unknown";
}

std::string to_hex(const Hash& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  for (const uint8_t b : h) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Node::Node(NodeConfig cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {
  if (impl_->cfg.batch_slots == 0) impl_->cfg.batch_slots = 1;
  if (impl_->cfg.max_block_txs == 0) impl_->cfg.max_block_txs = 1;
  if (impl_->open()) impl_->start_threads();
}

Node::~Node() { stop(); }

const std::string& Node::error() const noexcept { return impl_->error; }
const NodeConfig& Node::config() const noexcept { return impl_->cfg; }

void Node::stop() {
  if (impl_->error.empty()) impl_->stop();
}

namespace {
SubmitResult not_open(const std::string& error) { return SubmitResult{false, RejectCode::kShuttingDown, error, {}}; }
}  // namespace

SubmitResult Node::submit(std::span<const uint8_t> encoded) {
  if (!impl_->error.empty()) return not_open(impl_->error);
  const TimeMs received = now_ms();
  tx::DecodeError why = tx::DecodeError::None;
  auto t = tx::decode(encoded, &why);
  if (!t) return SubmitResult{false, RejectCode::kMalformed, "transaction bytes do not decode", {}};
  return impl_->submit_tx(std::move(*t), received);
}

SubmitResult Node::submit(const tx::Tx& t) {
  if (!impl_->error.empty()) return not_open(impl_->error);
  return impl_->submit_tx(t, now_ms());
}

void Node::submit_async(std::vector<uint8_t> encoded, std::function<void(const SubmitResult&)> done) {
  if (!impl_->error.empty()) {
    if (done) done(not_open(impl_->error));
    return;
  }
  if (impl_->forward_if_follower(encoded, done)) return;
  {
    LockGuard lk(impl_->verify_mu);
    if (!impl_->verify_stop) {
      auto& q = impl_->verify_queue;
      q.push_back(Impl::VerifyJob{std::move(encoded), std::move(done), std::chrono::steady_clock::now()});
      // A verifier wakes for the first job (and lingers) and again once a Poseidon batch is full.
      if (q.size() == 1 || q.size() == Impl::kVerifyFill) impl_->verify_cv.notify_one();
      return;
    }
  }
  if (done) done(SubmitResult{false, RejectCode::kShuttingDown, "node is stopping", {}});
}

TxInfo Node::submit_and_wait(const tx::Tx& t, std::chrono::milliseconds timeout) {
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<TxInfo> final;
  };
  auto w = std::make_shared<Waiter>();
  if (!tx::in_range(t)) {
    TxInfo ti;
    ti.status = TxStatus::kRejected;
    ti.code = RejectCode::kMalformed;
    ti.reason = "account or token out of range";
    return ti;
  }
  const Hash h = tx::tx_hash(t);
  const SubscriptionId id = on_tx_status(h, [w](const TxInfo& ti) {
    if (ti.status == TxStatus::kUnknown || ti.status == TxStatus::kPending) return;
    std::lock_guard lk(w->mu);
    if (!w->final) w->final = ti;
    w->cv.notify_all();
  });
  const SubmitResult r = submit(t);
  if (!r.accepted && r.code != RejectCode::kDuplicate) {
    unsubscribe(id);
    TxInfo ti = tx_info(h);
    ti.hash = h;
    ti.status = TxStatus::kRejected;
    ti.code = r.code;
    ti.reason = r.reason;
    return ti;
  }
  {
    std::unique_lock lk(w->mu);
    w->cv.wait_for(lk, timeout, [&] { return w->final.has_value(); });
  }
  unsubscribe(id);
  std::lock_guard lk(w->mu);
  if (w->final) return *w->final;
  return tx_info(h);
}

SubmitResult Node::submit_priority(const tx::Tx& t) {
  if (!impl_->error.empty()) return not_open(impl_->error);
  const tx::TxType type = tx::type_of(t);
  if (!tx::is_priority(type) || !tx::in_range(t))
    return SubmitResult{false, RejectCode::kBadPriorityOp, "not a priority operation", {}};
  const Hash h = tx::tx_hash(t);
  uint64_t serial = 0;
  std::visit(
      [&](const auto& x) {
        if constexpr (requires { x.serial; }) serial = x.serial;
      },
      t);
  auto p = std::make_shared<PendingTx>();
  p->tx = t;
  p->hash = h;
  p->received = p->accepted = now_ms();
  {
    LockGuard lk(impl_->mp_mu);
    if (impl_->stopping) return SubmitResult{false, RejectCode::kShuttingDown, "node is stopping", h};
    if (impl_->follower) return SubmitResult{false, RejectCode::kNotLeader, "this node follows the group's leader", h};
    if (serial != impl_->next_serial)
      return SubmitResult{false, RejectCode::kBadPriorityOp,
                          "serial " + std::to_string(serial) + " != next " + std::to_string(impl_->next_serial), h};
    if (const auto* c = std::get_if<tx::CreateAccount>(&t)) {
      if (c->account != impl_->expected_accounts)
        return SubmitResult{false, RejectCode::kBadPriorityOp,
                            "account " + std::to_string(c->account) + " != next " +
                                std::to_string(impl_->expected_accounts),
                            h};
      if (!ec::unpack_point(c->pubkey.data()))
        return SubmitResult{false, RejectCode::kBadPriorityOp, "public key does not unpack", h};
      ++impl_->expected_accounts;
    }
    ++impl_->next_serial;
    impl_->priority.push_back(p);
  }
  impl_->writer_cv.notify_one();
  return SubmitResult{true, RejectCode::kNone, "", h};
}

uint64_t Node::next_priority_serial() const {
  LockGuard lk(impl_->mp_mu);
  return impl_->next_serial;
}

std::optional<state::TokenId> Node::add_token(const state::L1Address& l1_address) {
  if (!impl_->error.empty()) return std::nullopt;
  auto done = std::make_shared<std::promise<std::optional<state::TokenId>>>();
  auto fut = done->get_future();
  {
    LockGuard lk(impl_->mp_mu);
    if (impl_->stopping || impl_->follower) return std::nullopt;  // a follower learns tokens from the leader
    impl_->control.push_back(Control{Control::kAddToken, l1_address, done});
  }
  impl_->writer_cv.notify_one();
  return fut.get();
}

bool Node::flush(std::chrono::milliseconds timeout) {
  if (!impl_->error.empty()) return false;
  auto done = std::make_shared<std::promise<std::optional<state::TokenId>>>();
  auto fut = done->get_future();
  {
    LockGuard lk(impl_->mp_mu);
    if (impl_->stopping) return false;
    impl_->control.push_back(Control{Control::kFlush, {}, done});
  }
  impl_->writer_cv.notify_one();
  return fut.wait_for(timeout) == std::future_status::ready;
}

// ---- reads ----

std::optional<uint64_t> Node::Impl::batch_of(uint64_t block, uint32_t position) const {
  LockGuard lk(batch_mu);
  const TxPos pos{block, position};
  const auto it = std::lower_bound(batch_ends.begin(), batch_ends.end(), pos);
  if (it == batch_ends.end()) return std::nullopt;
  return static_cast<uint64_t>(it - batch_ends.begin()) + 1;
}

TxInfo Node::Impl::info(const Hash& h) const {
  TxInfo ti;
  ti.hash = h;
  {
    LockGuard lk(mp_mu);
    if (const PendingPtr p = mempool.find(h)) {
      ti.status = TxStatus::kPending;
      ti.times.received = p->received;
      ti.times.accepted = p->accepted;
      ti.tx = p->tx;
      return ti;
    }
  }
  if (store) {
    if (auto it = store->tx(h)) {
      ti.status = TxStatus::kSoft;
      ti.block = it->location.block;
      ti.position = it->location.position;
      ti.times = TxTimes{it->location.received, it->location.accepted, it->location.soft, 0};
      ti.tx = std::move(it->tx);
      ti.executed = it->executed;
      ti.batch = batch_of(ti.block, ti.position);
      apply_l1(ti);  // committed / proven / finalized on L1 (node_l1.cpp)
      return ti;
    }
  }
  LockGuard lk(mp_mu);
  const auto it = rejected.find(h);
  if (it != rejected.end()) {
    ti.status = TxStatus::kRejected;
    ti.code = it->second.code;
    ti.reason = it->second.reason;
    ti.times = TxTimes{it->second.received, it->second.accepted, 0, it->second.rejected};
    ti.tx = it->second.tx;
  }
  return ti;
}

TxInfo Node::tx_info(const Hash& h) const { return impl_->info(h); }

std::optional<state::Account> Node::account(state::AccountIndex index) const {
  ReaderLock lk(impl_->state_mu);
  const state::Account* a = impl_->state.account(index);
  return a ? std::optional(*a) : std::nullopt;
}

std::optional<state::Pool> Node::pool(state::TokenId token_a, state::TokenId token_b) const {
  ReaderLock lk(impl_->state_mu);
  const state::Pool* p = impl_->state.pool(token_a, token_b);
  return p ? std::optional(*p) : std::nullopt;
}

std::optional<state::Pool> Node::pool_by_id(uint32_t id) const {
  std::shared_lock lk(impl_->state_mu);
  const state::Pool* p = impl_->state.pool_by_id(id);
  return p ? std::optional(*p) : std::nullopt;
}

std::optional<state::Token> Node::token(state::TokenId id) const {
  ReaderLock lk(impl_->state_mu);
  const state::Token* t = impl_->state.token(id);
  return t ? std::optional(*t) : std::nullopt;
}

namespace {
/// Reserves (in, out) of the pool of a pair in the direction token_in -> token_out.
bool reserves(const state::State& s, state::TokenId in, state::TokenId out, U256& r_in, U256& r_out) {
  const state::Pool* p = s.pool(in, out);
  if (p == nullptr || in == out) return false;
  const bool zero_for_one = in == p->token0;
  r_in = zero_for_one ? p->reserve0 : p->reserve1;
  r_out = zero_for_one ? p->reserve1 : p->reserve0;
  return true;
}
}  // namespace

Quote Node::quote_exact_in(state::TokenId token_in, state::TokenId token_out, const U256& amount_in) const {
  Quote q;
  U256 r_in{}, r_out{};
  {
    ReaderLock lk(impl_->state_mu);
    q.pool_found = reserves(impl_->state, token_in, token_out, r_in, r_out);
  }
  if (!q.pool_found) return q;
  q.amount_in = amount_in;
  q.error = state::get_amount_out(amount_in, r_in, r_out, q.amount_out);
  return q;
}

Quote Node::quote_exact_out(state::TokenId token_in, state::TokenId token_out, const U256& amount_out) const {
  Quote q;
  U256 r_in{}, r_out{};
  {
    ReaderLock lk(impl_->state_mu);
    q.pool_found = reserves(impl_->state, token_in, token_out, r_in, r_out);
  }
  if (!q.pool_found) return q;
  q.amount_out = amount_out;
  q.error = state::get_amount_in(amount_out, r_in, r_out, q.amount_in);
  return q;
}

std::optional<Block> Node::block(uint64_t number) const {
  if (!impl_->store) return std::nullopt;
  {
    LockGuard lk(impl_->head_mu);
    if (number > impl_->soft_head.head) return std::nullopt;  // queued, not yet durable
  }
  return impl_->store->block(number);
}

std::optional<Batch> Node::batch(uint64_t number) const {
  if (!impl_->store) return std::nullopt;
  return impl_->store->batch(number);
}

NodeStatus Node::status() const {
  NodeStatus s;
  {
    LockGuard lk(impl_->head_mu);
    s.head_block = impl_->soft_head.head;
    s.head_timestamp = impl_->soft_head.timestamp;
    s.head_hash = impl_->soft_head.hash;
    s.soft_txs = impl_->soft_head.soft_txs;
  }
  {
    LockGuard lk(impl_->mp_mu);
    s.pending = impl_->mempool.known();
    s.next_priority_serial = impl_->next_serial;
  }
  {
    LockGuard lk(impl_->batch_mu);
    s.last_batch = impl_->batch_ends.size();
    s.last_root_batch = impl_->last_root_batch;
    s.state_root = impl_->last_root;
  }
  {
    const uint64_t slots = std::max<uint64_t>(impl_->cfg.batch_slots, 1);
    s.batcher_backlog_batches = (impl_->batch_backlog_txs.load(std::memory_order_relaxed) + slots - 1) / slots;
    s.trees_restored = impl_->trees_restored;
    s.block_syncs = impl_->block_syncs.load(std::memory_order_relaxed);
  }
  {
    ReaderLock lk(impl_->state_mu);
    s.num_accounts = impl_->state.num_accounts();
  }
  s.uptime_ms = now_ms() - impl_->started;
  impl_->l1_counters(s);
  return s;
}

state::State Node::state_copy() const {
  ReaderLock lk(impl_->state_mu);
  return impl_->state;
}

// ---- subscriptions ----

SubscriptionId Node::on_block(std::function<void(const Block&)> cb) {
  LockGuard lk(impl_->sub_mu);
  const SubscriptionId id = impl_->next_sub++;
  impl_->block_subs.emplace(id, std::move(cb));
  return id;
}

SubscriptionId Node::on_batch(std::function<void(const Batch&)> cb) {
  LockGuard lk(impl_->sub_mu);
  const SubscriptionId id = impl_->next_sub++;
  impl_->batch_subs.emplace(id, std::move(cb));
  return id;
}

void Node::Impl::notify_tx(const TxInfo& ti) {
  std::vector<std::shared_ptr<TxSub>> subs;
  {
    LockGuard lk(sub_mu);
    const auto it = tx_subs.find(ti.hash);
    if (it == tx_subs.end()) return;
    subs = it->second;
  }
  for (const auto& s : subs) {
    LockGuard lk(s->mu);
    if (s->last == ti.status) continue;
    s->last = ti.status;
    s->cb(ti);
  }
}

SubscriptionId Node::on_tx_status(const Hash& h, std::function<void(const TxInfo&)> cb) {
  auto sub = std::make_shared<TxSub>();
  sub->hash = h;
  sub->cb = std::move(cb);
  {
    LockGuard lk(impl_->sub_mu);
    sub->id = impl_->next_sub++;
    impl_->tx_subs[h].push_back(sub);
    impl_->tx_sub_hash.emplace(sub->id, h);
  }
  // Registered first, then read: a change that happened before registration is seen here.
  const TxInfo ti = impl_->info(h);
  if (ti.status != TxStatus::kUnknown && ti.status != TxStatus::kPending) {  // soft, rejected or on L1
    LockGuard lk(sub->mu);
    if (sub->last != ti.status) {
      sub->last = ti.status;
      sub->cb(ti);
    }
  }
  return sub->id;
}

SubscriptionId Node::on_durable(std::function<void(uint64_t head)> cb) {
  SubscriptionId id;
  {
    LockGuard lk(impl_->sub_mu);
    id = impl_->next_sub++;
  }
  LockGuard lk(impl_->durable_mu);
  impl_->durable_subs.emplace(id, std::move(cb));
  return id;
}

void Node::unsubscribe(SubscriptionId id) {
  {
    LockGuard lk(impl_->durable_mu);
    impl_->durable_subs.erase(id);
  }
  LockGuard lk(impl_->sub_mu);
  impl_->block_subs.erase(id);
  impl_->batch_subs.erase(id);
  const auto it = impl_->tx_sub_hash.find(id);
  if (it == impl_->tx_sub_hash.end()) return;
  auto subs = impl_->tx_subs.find(it->second);
  if (subs != impl_->tx_subs.end()) {
    auto& v = subs->second;
    v.erase(std::remove_if(v.begin(), v.end(), [&](const auto& s) { return s->id == id; }), v.end());
    if (v.empty()) impl_->tx_subs.erase(subs);
  }
  impl_->tx_sub_hash.erase(it);
}

void Node::set_batch_hook(BatchApplyHook hook) {
  LockGuard lk(impl_->batch_mu);
  impl_->hook = std::move(hook);
}

}  // namespace zkamm::node
