#include "settle/l1_sender.hpp"

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

std::vector<Value> proof_args(const snark::Proof& proof) {
  const auto u = [](const ff::Fq& x) { return Value::uint(x.to_canonical()); };
  return {Value::list({u(proof.a.x), u(proof.a.y)}),
          Value::list({Value::list({u(proof.b.x.c1), u(proof.b.x.c0)}), Value::list({u(proof.b.y.c1), u(proof.b.y.c0)})}),
          Value::list({u(proof.c.x), u(proof.c.y)})};
}

L1Sender::L1Sender(l1::RpcClient& rpc, l1::TxSender& tx, L1SenderConfig cfg) : rpc_(rpc), tx_(tx), cfg_(cfg) {}

L1Sender::~L1Sender() { stop(); }

l1::Result<uint64_t> L1Sender::read_counter(const l1::abi::Function& f) {
  l1::CallRequest call;
  call.to = cfg_.rollup;
  call.data = *l1::abi::encode_call(f, {});
  auto out = rpc_.call(call);
  if (!out) return out.error();
  auto v = l1::abi::decode_output(f, *out);
  if (!v || v->size() != 1 || (*v)[0].word[1] != 0 || (*v)[0].word[2] != 0 || (*v)[0].word[3] != 0) {
    return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, f.name + ": unexpected return data (no rollup at the address?)", ""};
  }
  return (*v)[0].word[0];
}

l1::Result<ChainView> L1Sender::chain_view() {
  ChainView v;
  auto c = read_counter(rollup_abi::last_committed());
  if (!c) return c.error();
  auto p = read_counter(rollup_abi::last_proven());
  if (!p) return p.error();
  auto e = read_counter(rollup_abi::last_executed());
  if (!e) return e.error();
  v.last_committed = *c;
  v.last_proven = *p;
  v.last_executed = *e;
  return v;
}

l1::Result<l1::Receipt> L1Sender::send(const l1::Bytes& data, std::optional<uint64_t> gas_limit) {
  l1::TxRequest req;
  req.to = cfg_.rollup;
  req.data = data;
  req.gas_limit = gas_limit;
  return tx_.send_and_wait(req);
}

void L1Sender::mark(uint64_t n, L1Stage s, TimeMs t, uint64_t gas) {
  std::vector<std::function<void(uint64_t, L1Stage, TimeMs)>> cbs;
  {
    std::lock_guard lk(mu_);
    L1BatchState& st = states_[n];
    st.number = n;
    if (s > st.stage) st.stage = s;
    switch (s) {
      case L1Stage::kCommitted: st.committed_ms = t, st.gas_commit = gas; break;
      case L1Stage::kProven: st.proven_ms = t, st.gas_prove = gas; break;
      case L1Stage::kExecuted:
        st.executed_ms = t, st.gas_execute = gas;
        if (n > last_executed_) last_executed_ = n;
        break;
      case L1Stage::kPending: break;
    }
    cbs = callbacks_;
    cv_.notify_all();
  }
  for (auto& cb : cbs) cb(n, s, t);
}

std::string L1Sender::process(const ProvedBatch& p) {
  {
    std::lock_guard lk(mu_);
    L1BatchState& st = states_[p.number];
    st.number = p.number;
    st.closed_ms = p.closed_ms;
    st.proved_local_ms = p.proved_ms;
  }
  const std::string tag = "batch " + std::to_string(p.number) + ": ";
  auto view = chain_view();
  if (!view) return tag + "reading the rollup: " + view.error().message;
  if (p.number > view->last_committed) {
    if (p.number != view->last_committed + 1) {
      return tag + "L1 has committed only up to " + std::to_string(view->last_committed);
    }
    auto data = l1::abi::encode_call(rollup_abi::commit_batch(), std::vector<Value>{Value::bytes_value(p.header), Value::bytes_value(p.pubdata)});
    auto r = send(*data, std::nullopt);
    if (!r) return tag + "commitBatch: " + r.error().message;
    mark(p.number, L1Stage::kCommitted, now_ms(), r->gas_used);
  } else {
    mark(p.number, L1Stage::kCommitted, 0, 0);
  }
  if (p.number > view->last_proven) {
    std::vector<Value> args = {Value::uint(p.number)};
    for (auto& v : proof_args(p.proof)) args.push_back(std::move(v));
    auto data = l1::abi::encode_call(rollup_abi::prove_batch(), args);
    auto r = send(*data, cfg_.prove_gas_limit);
    if (!r) return tag + "proveBatch: " + r.error().message;
    mark(p.number, L1Stage::kProven, now_ms(), r->gas_used);
  } else {
    mark(p.number, L1Stage::kProven, 0, 0);
  }
  if (p.number > view->last_executed) {
    auto data = l1::abi::encode_call(rollup_abi::execute_batch(), std::vector<Value>{Value::uint(p.number), Value::bytes_value(p.pubdata)});
    auto r = send(*data, std::nullopt);
    if (!r) return tag + "executeBatch: " + r.error().message;
    mark(p.number, L1Stage::kExecuted, now_ms(), r->gas_used);
  } else {
    mark(p.number, L1Stage::kExecuted, 0, 0);
  }
  return "";
}

void L1Sender::start() {
  std::lock_guard lk(mu_);
  if (worker_.joinable()) return;
  stop_ = false;
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
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void L1Sender::run() {
  for (;;) {
    ProvedBatch p;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stop_ || (!queue_.empty() && error_.empty()); });
      if (stop_) return;
      p = queue_.begin()->second;
    }
    std::string err;
    for (unsigned attempt = 0; attempt <= cfg_.retries; ++attempt) {
      err = process(p);
      if (err.empty()) break;
      {
        std::unique_lock lk(mu_);
        if (cv_.wait_for(lk, cfg_.retry_delay, [&] { return stop_; })) return;
      }
    }
    std::lock_guard lk(mu_);
    if (!err.empty()) {
      error_ = err;
      cv_.notify_all();
      continue;
    }
    queue_.erase(p.number);
  }
}

}  // namespace zkamm::settle
