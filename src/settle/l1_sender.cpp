#include "settle/l1_sender.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <tuple>

#include "settle/rollup_abi.hpp"

namespace zkamm::settle {

using l1::abi::Value;

std::string_view to_string(L1Stage s) noexcept {
  switch (s) {
    case L1Stage::kPending: return "pending";
    case L1Stage::kCommitted: return "committed";
    case L1Stage::kProven: return "proven";
    case L1Stage::kExecuted: return "executed";
  }
  return "unknown";
}

std::vector<Value> proof_words(const snark::Proof& proof) {
  const auto u = [](const ff::Fq& x) { return Value::uint(x.to_canonical()); };
  return {u(proof.a.x),    u(proof.a.y),    u(proof.b.x.c1), u(proof.b.x.c0),
          u(proof.b.y.c1), u(proof.b.y.c0), u(proof.c.x),    u(proof.c.y)};
}

std::vector<Value> proof_args(const snark::Proof& proof) {
  const std::vector<Value> w = proof_words(proof);
  return {Value::list({w[0], w[1]}), Value::list({Value::list({w[2], w[3]}), Value::list({w[4], w[5]})}),
          Value::list({w[6], w[7]})};
}

L1Sender::L1Sender(l1::RpcClient& rpc, l1::TxSender& tx, L1SenderConfig cfg) : rpc_(rpc), tx_(tx), cfg_(cfg) {}

L1Sender::~L1Sender() { stop(); }

namespace {
l1::Result<uint64_t> read_rollup_counter(l1::RpcClient& rpc, const l1::Address& rollup, const l1::abi::Function& f) {
  l1::CallRequest call;
  call.to = rollup;
  call.data = *l1::abi::encode_call(f, {});
  auto out = rpc.call(call);
  if (!out) return out.error();
  auto v = l1::abi::decode_output(f, *out);
  if (!v || v->size() != 1 || (*v)[0].word[1] != 0 || (*v)[0].word[2] != 0 || (*v)[0].word[3] != 0) {
    return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, f.name + ": unexpected return data (no rollup at the address?)", ""};
  }
  return (*v)[0].word[0];
}
}  // namespace

l1::Result<ChainView> read_chain_view(l1::RpcClient& rpc, const l1::Address& rollup) {
  ChainView v;
  auto c = read_rollup_counter(rpc, rollup, rollup_abi::last_committed());
  if (!c) return c.error();
  auto p = read_rollup_counter(rpc, rollup, rollup_abi::last_proven());
  if (!p) return p.error();
  auto e = read_rollup_counter(rpc, rollup, rollup_abi::last_executed());
  if (!e) return e.error();
  v.last_committed = *c;
  v.last_proven = *p;
  v.last_executed = *e;
  return v;
}

l1::Result<uint64_t> L1Sender::read_counter(const l1::abi::Function& f) { return read_rollup_counter(rpc_, cfg_.rollup, f); }

l1::Result<ChainView> L1Sender::chain_view() { return read_chain_view(rpc_, cfg_.rollup); }

namespace {

/// Test-only fault hook (l1_sender.hpp): ends the process like a kill -9 at `point`.
void fault(std::string_view point) {
  static const char* const env = std::getenv("ZKAMM_FAULT");
  if (env != nullptr && point == env) {
    std::fprintf(stderr, "l1 sender: ZKAMM_FAULT=%s: exiting\n", env);
    ::_exit(86);
  }
}

l1::RpcError sender_error(std::string message) {
  return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, std::move(message), ""};
}

/// The journal key of step `name` of batch n (docs/DEVNET.md).
std::string journal_key(uint64_t n, std::string_view name) { return "l1tx/" + std::to_string(n) + "/" + std::string(name); }

/// A journal record "<nonce> <tx hash>", the hash "-" until the send returned it.
struct JournalRecord {
  uint64_t nonce = 0;
  std::optional<l1::Bytes32> hash;
};
std::optional<JournalRecord> parse_record(const std::string& rec) {
  std::istringstream in(rec);
  JournalRecord r;
  std::string hash_hex;
  in >> r.nonce >> hash_hex;
  if (!in) return std::nullopt;
  if (auto h = l1::from_hex(hash_hex); h && h->size() == 32) {
    r.hash.emplace();
    std::copy(h->begin(), h->end(), r.hash->begin());
  }
  return r;
}

}  // namespace

l1::Result<bool> L1Sender::shows(uint64_t n, L1Stage step) {
  const l1::abi::Function f = step == L1Stage::kCommitted ? rollup_abi::last_committed()
                              : step == L1Stage::kProven  ? rollup_abi::last_proven()
                                                          : rollup_abi::last_executed();
  auto c = read_counter(f);
  if (!c) return c.error();
  return *c >= n;
}

l1::Result<uint64_t> L1Sender::settled_nonce() {
  const l1::Address op = tx_.address();
  const auto deadline = std::chrono::steady_clock::now() + tx_.options().timeout;
  for (;;) {
    auto mined = rpc_.get_transaction_count(op, l1::BlockTag::latest());
    if (!mined) return mined.error();
    auto pending = rpc_.get_transaction_count(op, l1::BlockTag::pending());
    if (!pending) return pending.error();
    if (*pending <= *mined) return *mined;
    // Another operator transaction is in flight (a dead or stalled leader's): the counters move
    // when it is mined, so wait for it rather than build on them now.
    if (std::chrono::steady_clock::now() >= deadline || cancel_.load()) {
      return l1::RpcError{l1::RpcErrorKind::Timeout, 0, "an operator transaction stays pending on L1", ""};
    }
    std::this_thread::sleep_for(tx_.options().poll_interval);
  }
}

l1::Result<std::optional<l1::Receipt>> L1Sender::send(uint64_t n, L1Stage step, std::string_view name,
                                                      const l1::Bytes& data, std::optional<uint64_t> gas_limit) {
  const std::string key = journal_key(n, name);
  const bool journal = cfg_.journal_put && cfg_.journal_get;
  const l1::Address op = tx_.address();
  if (journal) {
    if (auto rec = cfg_.journal_get(key)) {
      // Sent (or about to be sent) before a restart: settle that nonce before anything else.
      const std::optional<JournalRecord> sent = parse_record(*rec);
      if (!sent) return sender_error("corrupt journal record " + key);
      const uint64_t nonce = sent->nonce;
      const auto deadline = std::chrono::steady_clock::now() + tx_.options().timeout;
      for (;;) {
        auto mined = rpc_.get_transaction_count(op, l1::BlockTag::latest());
        if (!mined) return mined.error();
        if (*mined > nonce) break;  // a mined tx used the nonce
        auto pending = rpc_.get_transaction_count(op, l1::BlockTag::pending());
        if (!pending) return pending.error();
        if (*pending <= nonce) break;  // nothing holds the nonce: the tx never reached L1
        if (std::chrono::steady_clock::now() >= deadline || cancel_.load()) {
          return l1::RpcError{l1::RpcErrorKind::Timeout, 0, key + ": the transaction sent before the restart is not mined", ""};
        }
        std::this_thread::sleep_for(tx_.options().poll_interval);
      }
      std::optional<l1::Receipt> receipt;
      if (sent->hash) {
        auto r = rpc_.get_transaction_receipt(*sent->hash);
        if (!r) return r.error();
        receipt = *r;
      }
      auto shown = shows(n, step);
      if (!shown) return shown.error();
      if (*shown) {
        if (receipt && receipt->status) return receipt;
        return std::optional<l1::Receipt>{};
      }
      if (receipt && !receipt->status) {
        const l1::TxRequest req{cfg_.rollup, {}, data, gas_limit};
        return l1::RpcError{l1::RpcErrorKind::Reverted, 0,
                            "transaction " + l1::to_hex(receipt->transaction_hash) + " reverted" + tx_.revert_reason(req, *receipt), ""};
      }
      // Not on L1: send it now (the recorded nonce is free again, or another tx took it).
    }
  }
  // The group's fence (docs/NODE.md "The operator in a group"). A sequencer group's old leader
  // can be stalled (SIGSTOP, a long pause) at any instruction here and run again after a new
  // leader took over and settled; asking may_send() alone leaves a window between the question and
  // the send. So each attempt pins the nonce first (the count of mined operator transactions,
  // once none is pending), then re-reads L1's counters, checks that this step is still the next
  // one, asks the fence, and signs with exactly that nonce (never resynced on "nonce too low").
  // The operator's transactions are the only ones that move the counters, and each uses the next
  // nonce: a transaction that runs late either finds its nonce unused, so no operator transaction
  // was mined since the counters were read and it is still the step L1 needs (batch data is the
  // same on every member), or finds it used and is refused by L1 ("nonce too low"): it can
  // neither revert nor land a step twice. A fee bump of it keeps the nonce and the data alike.
  std::optional<l1::PendingTx> pending;
  for (int attempt = 0;; ++attempt) {
    auto k = settled_nonce();
    if (!k) return k.error();
    auto view = chain_view();
    if (!view) return view.error();
    const bool settle = name == "settled";
    const uint64_t done_to = step == L1Stage::kCommitted ? view->last_committed
                             : step == L1Stage::kProven  ? view->last_proven
                                                         : view->last_executed;
    if (done_to >= n) return std::optional<l1::Receipt>{};  // another sender (a new leader) did it
    const bool next = settle ? view->last_committed + 1 == n && view->last_executed + 1 == n
                      : step == L1Stage::kCommitted ? view->last_committed + 1 == n
                      : step == L1Stage::kProven    ? view->last_proven + 1 == n && view->last_committed >= n
                                                    : view->last_executed + 1 == n && view->last_proven >= n;
    if (!next) {
      return sender_error(std::string(name) + " of batch " + std::to_string(n) + " is not the step L1 needs now (committed " +
                          std::to_string(view->last_committed) + ", proven " + std::to_string(view->last_proven) +
                          ", executed " + std::to_string(view->last_executed) + "): nothing sent");
    }
    if (cfg_.may_send && !cfg_.may_send()) return sender_error("this member no longer leads the sequencer group: nothing sent");
    if (journal && !cfg_.journal_put(key, std::to_string(*k) + " -")) return sender_error("cannot write the journal");
    l1::TxRequest req;
    req.to = cfg_.rollup;
    req.data = data;
    req.gas_limit = gas_limit;
    req.nonce = *k;
    auto sent = tx_.send(req);
    if (!sent) {
      // Another transaction of the operator's key (the devnet mints with it) took the nonce: pin
      // again, which re-reads the counters and asks the fence again.
      if (attempt < 4 && sent.error().kind == l1::RpcErrorKind::Rpc && sent.error().message_contains("nonce too low")) continue;
      return sent.error();
    }
    pending = std::move(*sent);
    break;
  }
  if (journal && !cfg_.journal_put(key, std::to_string(pending->tx.nonce) + " " + l1::to_hex(pending->hashes.front()))) {
    return sender_error("cannot write the journal");
  }
  fault("after-send-" + std::string(name));
  auto r = tx_.wait(*pending, &cancel_);
  if (!r) return r.error();
  return std::optional<l1::Receipt>(*r);
}

void L1Sender::mark(uint64_t n, L1Stage s, TimeMs t, uint64_t gas, const l1::Bytes32& tx) {
  std::vector<std::function<void(uint64_t, L1Stage, TimeMs)>> cbs;
  {
    std::lock_guard lk(mu_);
    L1BatchState& st = states_[n];
    st.number = n;
    if (s > st.stage) st.stage = s;
    switch (s) {
      case L1Stage::kCommitted: st.committed_ms = t, st.gas_commit = gas, st.commit_tx = tx; break;
      case L1Stage::kProven: st.proven_ms = t, st.gas_prove = gas, st.prove_tx = tx; break;
      case L1Stage::kExecuted:
        st.executed_ms = t, st.gas_execute = gas, st.execute_tx = tx;
        if (n > last_executed_) last_executed_ = n;
        break;
      case L1Stage::kPending: break;
    }
    cbs = callbacks_;
    cv_.notify_all();
  }
  for (auto& cb : cbs) cb(n, s, t);
}

std::pair<std::string, size_t> L1Sender::process_run(const std::vector<ProvedBatch>& run) {
  {
    std::lock_guard lk(mu_);
    for (const ProvedBatch& b : run) {
      L1BatchState& st = states_[b.number];
      st.number = b.number;
      st.closed_ms = b.closed_ms;
      st.proved_local_ms = b.proved_ms;
    }
  }
  const ProvedBatch& p = run.front();
  const std::string tag = "batch " + std::to_string(p.number) + ": ";
  auto view = chain_view();
  if (!view) return {tag + "reading the rollup: " + view.error().message, 0};
  // The same test after a restart picks the same path, so a journalled send is found again.
  if (cfg_.one_transaction && p.number == view->last_committed + 1 && view->last_committed == view->last_executed) {
    return settle_in_one(run);
  }
  return {three_calls(p, *view), 1};
}

std::string L1Sender::check_timestamps(const std::vector<ProvedBatch>& batches, std::string_view name) {
  if (cfg_.journal_get && cfg_.journal_get(journal_key(batches.front().number, name))) return "";
  if (!timestamp_window_) {
    auto w = read_counter(rollup_abi::timestamp_window());
    if (!w) return "reading timestampWindow: " + w.error().message;
    timestamp_window_ = *w;
  }
  auto block = rpc_.get_block_by_number(l1::BlockTag::latest());
  if (!block) return "reading the latest L1 block: " + block.error().message;
  if (!block->has_value()) return "reading the latest L1 block: none";
  const uint64_t now = (*block)->timestamp;
  for (const ProvedBatch& p : batches) {
    if (p.header.size() < 16) return "batch " + std::to_string(p.number) + ": header too short";
    uint64_t ts = 0;
    for (size_t i = 8; i < 16; ++i) ts = ts << 8 | p.header[i];  // docs/BATCH.md section 2
    if (ts + *timestamp_window_ < now + cfg_.timestamp_margin_s) {
      return "batch " + std::to_string(p.number) + ": timestamp " + std::to_string(ts) + " is " +
             std::to_string(now > ts ? now - ts : 0) + " s behind the latest L1 block (" + std::to_string(now) +
             "), beyond the rollup's timestampWindow of " + std::to_string(*timestamp_window_) + " s less " +
             std::to_string(cfg_.timestamp_margin_s) +
             " s of margin: L1 would refuse it (zkamm: timestamp too old), so it is not sent. Seal its "
             "transactions again in a new batch (docs/CONTRACTS.md \"Batch timestamps\")";
    }
  }
  return "";
}

std::string L1Sender::three_calls(const ProvedBatch& p, const ChainView& view) {
  const std::string tag = "batch " + std::to_string(p.number) + ": ";
  // No receipt: the step was sent before a restart and found done on L1 (time 0, no gas).
  const auto done = [&](L1Stage s, const std::optional<l1::Receipt>& r) {
    if (r) mark(p.number, s, now_ms(), r->gas_used, r->transaction_hash);
    else mark(p.number, s, 0, 0);
  };
  if (p.number > view.last_committed) {
    if (p.number != view.last_committed + 1) {
      return tag + "L1 has committed only up to " + std::to_string(view.last_committed);
    }
    if (auto e = check_timestamps({p}, to_string(L1Stage::kCommitted)); !e.empty()) return e;
    auto data = l1::abi::encode_call(rollup_abi::commit_batch(), std::vector<Value>{Value::bytes_value(p.header), Value::bytes_value(p.pubdata)});
    auto r = send(p.number, L1Stage::kCommitted, to_string(L1Stage::kCommitted), *data, std::nullopt);
    if (!r) return tag + "commitBatch: " + r.error().message;
    fault("after-commit");
    done(L1Stage::kCommitted, *r);
  } else {
    mark_shown(p.number, L1Stage::kCommitted);
  }
  if (p.number > view.last_proven) {
    std::vector<Value> args = {Value::uint(p.number)};
    for (auto& v : proof_args(p.proof)) args.push_back(std::move(v));
    auto data = l1::abi::encode_call(rollup_abi::prove_batch(), args);
    auto r = send(p.number, L1Stage::kProven, to_string(L1Stage::kProven), *data, cfg_.prove_gas_limit);
    if (!r) return tag + "proveBatch: " + r.error().message;
    done(L1Stage::kProven, *r);
  } else {
    mark_shown(p.number, L1Stage::kProven);
  }
  if (p.number > view.last_executed) {
    auto data = l1::abi::encode_call(rollup_abi::execute_batch(), std::vector<Value>{Value::uint(p.number), Value::bytes_value(p.pubdata)});
    auto r = send(p.number, L1Stage::kExecuted, to_string(L1Stage::kExecuted), *data, std::nullopt);
    if (!r) return tag + "executeBatch: " + r.error().message;
    done(L1Stage::kExecuted, *r);
  } else {
    mark_shown(p.number, L1Stage::kExecuted);
  }
  return "";
}

std::optional<l1::Receipt> L1Sender::journalled_receipt(uint64_t n, std::string_view name) {
  if (!cfg_.journal_get) return std::nullopt;
  const auto rec = cfg_.journal_get(journal_key(n, name));
  if (!rec) return std::nullopt;
  const std::optional<JournalRecord> sent = parse_record(*rec);
  if (!sent || !sent->hash) return std::nullopt;
  auto r = rpc_.get_transaction_receipt(*sent->hash);
  if (!r || !r->has_value() || !(*r)->status) return std::nullopt;
  return **r;
}

void L1Sender::mark_shown(uint64_t n, L1Stage step) {
  // The transaction that did it, when this sender sent it before a restart: its own step's, or
  // a commitProveExecute of n (one settling a group is journalled under its first batch only).
  if (auto r = journalled_receipt(n, to_string(step))) return mark(n, step, now_ms(), r->gas_used, r->transaction_hash);
  if (auto r = journalled_receipt(n, "settled")) {
    {
      std::lock_guard lk(mu_);
      states_[n].gas_settle = r->gas_used;
    }
    return mark(n, step, now_ms(), 0, r->transaction_hash);
  }
  mark(n, step, 0, 0);
}

std::pair<std::string, size_t> L1Sender::settle_in_one(const std::vector<ProvedBatch>& run) {
  const uint64_t first = run.front().number;
  const std::string tag = run.size() == 1 ? "batch " + std::to_string(first) + ": "
                                          : "batches " + std::to_string(first) + "-" + std::to_string(run.back().number) + ": ";
  std::vector<Value> headers, pubdatas, proofs;
  for (const ProvedBatch& p : run) {
    headers.push_back(Value::bytes_value(p.header));
    pubdatas.push_back(Value::bytes_value(p.pubdata));
    proofs.push_back(Value::list(proof_words(p.proof)));
  }
  if (auto e = check_timestamps(run, "settled"); !e.empty()) return {e, 0};
  auto data = l1::abi::encode_call(rollup_abi::commit_prove_execute(),
                                   std::vector<Value>{Value::list(std::move(headers)), Value::list(std::move(pubdatas)),
                                                      Value::list(std::move(proofs))});
  if (!data) return {tag + "commitProveExecute: cannot encode the call", 0};
  // No explicit gas limit: the estimate includes the verifier, and a short limit reverts (the
  // contract requires the verifier's answer), so it never settles a batch as unproven.
  auto r = send(first, L1Stage::kExecuted, "settled", *data, std::nullopt);
  if (!r) return {tag + "commitProveExecute: " + r.error().message, 0};
  auto view = chain_view();
  if (!view) return {tag + "reading the rollup: " + view.error().message, 0};
  // A transaction found in the journal after a restart may have settled more batches than `run`
  // (only if the restarted sender groups fewer: resume_from_store queues every stored proof, so
  // normally it groups as many or more); those beyond `run` are then marked by three_calls as
  // already shown, without the transaction's hash.
  size_t settled = 0;
  while (settled < run.size() && run[settled].number <= view->last_executed) ++settled;
  if (settled == 0) return {tag + "commitProveExecute was mined but L1 shows batch " + std::to_string(first) + " unexecuted", 0};
  // The transaction's gas, shared evenly by the batches it settled (0: sent before a restart).
  const TimeMs t = r->has_value() ? now_ms() : 0;
  const l1::Bytes32 tx = r->has_value() ? (*r)->transaction_hash : l1::Bytes32{};
  const uint64_t gas = r->has_value() ? (*r)->gas_used / settled : 0;
  for (size_t i = 0; i < settled; ++i) {
    const uint64_t n = run[i].number;
    {
      std::lock_guard lk(mu_);
      states_[n].gas_settle = gas;
    }
    mark(n, L1Stage::kCommitted, t, 0, tx);
    mark(n, L1Stage::kProven, t, 0, tx);
    mark(n, L1Stage::kExecuted, t, 0, tx);
  }
  return {"", settled};
}

std::string L1Sender::process(const ProvedBatch& p) { return process_run({p}).first; }

void L1Sender::start() {
  std::lock_guard lk(mu_);
  if (worker_.joinable()) return;
  stop_ = false;
  cancel_.store(false);
  worker_ = std::thread([this] { run(); });
}

void L1Sender::enqueue(const ProvedBatch& p) {
  std::lock_guard lk(mu_);
  queue_[p.number] = p;
  cv_.notify_all();
}

void L1Sender::on_stage(std::function<void(uint64_t, L1Stage, TimeMs)> cb) {
  std::lock_guard lk(mu_);
  callbacks_.push_back(std::move(cb));
}

std::optional<L1BatchState> L1Sender::state(uint64_t number) const {
  std::lock_guard lk(mu_);
  auto it = states_.find(number);
  if (it == states_.end()) return std::nullopt;
  return it->second;
}

uint64_t L1Sender::last_executed() const {
  std::lock_guard lk(mu_);
  return last_executed_;
}

bool L1Sender::wait_executed(uint64_t number, std::chrono::milliseconds timeout) const {
  std::unique_lock lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return last_executed_ >= number || !error_.empty() || stop_; });
  return last_executed_ >= number;
}

std::string L1Sender::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

void L1Sender::stop() {
  cancel_.store(true);  // a send waiting for its receipt gives up (journalled: found after a restart)
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void L1Sender::run() {
  for (;;) {
    std::vector<ProvedBatch> run;  // the first queued batch and those queued right after it
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stop_ || (!queue_.empty() && error_.empty()); });
      if (stop_) return;
      const unsigned most = cfg_.one_transaction ? std::max(1u, cfg_.max_batches_per_transaction) : 1u;
      for (auto it = queue_.begin(); it != queue_.end() && run.size() < most; ++it) {
        if (!run.empty() && it->first != run.back().number + 1) break;
        run.push_back(it->second);
      }
    }
    std::string err;
    size_t done = 0;
    std::chrono::steady_clock::time_point down_since{};  // L1 unreachable since (epoch: it answers)
    for (unsigned attempt = 0; attempt <= cfg_.retries; ++attempt) {
      std::tie(err, done) = process_run(run);
      if (err.empty()) break;
      {
        std::unique_lock lk(mu_);
        if (cv_.wait_for(lk, cfg_.retry_delay, [&] { return stop_; })) return;
      }
      // An L1 that does not answer at all is waited for (l1_down_patience), not counted.
      const auto probe = rpc_.block_number();
      if (!probe && probe.error().kind == l1::RpcErrorKind::Transport) {
        const auto now = std::chrono::steady_clock::now();
        if (down_since == std::chrono::steady_clock::time_point{}) down_since = now;
        if (now - down_since < cfg_.l1_down_patience && attempt > 0) --attempt;
      } else {
        down_since = {};
      }
    }
    std::lock_guard lk(mu_);
    if (!err.empty()) {
      error_ = err;
      cv_.notify_all();
      continue;
    }
    for (size_t i = 0; i < done; ++i) queue_.erase(run[i].number);
  }
}

void use_node_journal(L1SenderConfig& cfg, node::Node& node) {
  cfg.journal_put = [&node](const std::string& k, const std::string& v) { return node.put_settle_record("sender/" + k, v); };
  cfg.journal_get = [&node](const std::string& k) { return node.settle_record("sender/" + k); };
}

void report_to_node(L1Sender& sender, node::Node& node) {
  sender.on_stage([&sender, &node](uint64_t n, L1Stage s, TimeMs t) {
    const auto st = sender.state(n);
    node::TxStatus stage = node::TxStatus::kCommitted;
    l1::Bytes32 tx{};
    if (s == L1Stage::kCommitted && st) tx = st->commit_tx;
    if (s == L1Stage::kProven) stage = node::TxStatus::kProven, tx = st ? st->prove_tx : tx;
    if (s == L1Stage::kExecuted) stage = node::TxStatus::kFinalized, tx = st ? st->execute_tx : tx;
    if (s == L1Stage::kPending) return;
    node::Hash h{};
    std::copy(tx.begin(), tx.end(), h.begin());
    (void)node.set_batch_l1_status(n, stage, t != 0 ? t : now_ms(), h);
  });
}

void report_chain_view(const ChainView& view, node::Node& node) {
  const node::NodeStatus st = node.status();
  const TimeMs t = now_ms();
  const auto up_to = [&](uint64_t from, uint64_t to, node::TxStatus stage) {
    for (uint64_t n = from + 1; n <= std::min(to, st.last_batch); ++n) (void)node.set_batch_l1_status(n, stage, t);
  };
  up_to(st.last_committed, view.last_committed, node::TxStatus::kCommitted);
  up_to(st.last_proven, view.last_proven, node::TxStatus::kProven);
  up_to(st.last_finalized, view.last_executed, node::TxStatus::kFinalized);
}

void resume_from_store(L1Sender& sender, const Prover& prover, const node::Node& node) {
  for (const ProvedBatch& p : prover.proved_after(node.status().last_finalized)) sender.enqueue(p);
}

}  // namespace zkamm::settle
