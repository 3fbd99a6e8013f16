#include "settle/prover.hpp"

#include <algorithm>
#include <chrono>

#include "snark/constraint_system.hpp"

namespace zkamm::settle {

TimeMs now_ms() {
  return static_cast<TimeMs>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

namespace {
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}
}  // namespace

Prover::Prover(node::Node& node, const BatchKeys& keys) : node_(node), keys_(keys) {
  node_.set_batch_hook([this](state::State& s, state::StateTrees& t, const node::BatchJob& job) { return hook(s, t, job); });
  sub_ = node_.on_batch([this](const node::Batch& b) { on_batch(b); });
  worker_ = std::thread([this] { run(); });
}

Prover::~Prover() { stop(); }

void Prover::stop() {
  {
    std::lock_guard lk(mu_);
    if (stop_ && !worker_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  // Back to the node's default hook: batches closed from now on (e.g. by Node::stop) still get
  // their roots, and the node no longer calls into this object.
  node_.set_batch_hook({});
  if (sub_ != 0) {
    node_.unsubscribe(sub_);
    sub_ = 0;
  }
  if (worker_.joinable()) worker_.join();
}

void Prover::on_proved(std::function<void(const ProvedBatch&)> cb) {
  std::lock_guard lk(mu_);
  callbacks_.push_back(std::move(cb));
}

std::optional<ProvedBatch> Prover::proved(uint64_t number) const {
  std::lock_guard lk(mu_);
  auto it = proved_.find(number);
  if (it == proved_.end()) return std::nullopt;
  return it->second;
}

uint64_t Prover::last_proved() const {
  std::lock_guard lk(mu_);
  return last_proved_;
}

bool Prover::wait_proved(uint64_t number, std::chrono::milliseconds timeout) const {
  std::unique_lock lk(mu_);
  cv_.wait_for(lk, timeout, [&] { return last_proved_ >= number || !error_.empty() || stop_; });
  return last_proved_ >= number;
}

std::string Prover::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

void Prover::halt(std::string why) {
  if (error_.empty()) error_ = std::move(why);
  cv_.notify_all();
}

std::optional<ff::Fr> Prover::hook(state::State& s, state::StateTrees& trees, const node::BatchJob& job) {
  const node::Batch& b = job.batch;
  batch::BatchInput in;
  in.batch_number = b.header.number;
  in.timestamp = b.header.timestamp;
  in.priority_first = b.header.priority_first;
  for (const node::BatchSlot& slot : b.slots) {
    in.txs.push_back(slot.tx);
    in.executed.push_back(slot.executed);
  }
  {
    std::lock_guard lk(mu_);
    if (stop_) return node::apply_batch(s, trees, job);
    if (!error_.empty()) return std::nullopt;  // halted: record no more roots
  }
  batch::WitnessResult w = batch::build_witness(s, trees, keys_.params, in);
  std::lock_guard lk(mu_);
  if (!w.ok()) {
    halt("batch " + std::to_string(b.header.number) + ": witness: " + w.error);
    return std::nullopt;
  }
  const ff::Fr root = w.witness.new_root;
  witnesses_[b.header.number] = std::move(w.witness);
  return root;
}

void Prover::on_batch(const node::Batch& b) {
  if (!b.root_ready) return;
  std::lock_guard lk(mu_);
  if (b.header.number <= last_proved_ || !error_.empty()) return;
  closed_[b.header.number] = now_ms();
  queue_.push_back(b);
  cv_.notify_all();
}

void Prover::run() {
  for (;;) {
    node::Batch b;
    batch::BatchWitness w;
    TimeMs closed = 0;
    {
      std::unique_lock lk(mu_);
      cv_.wait(lk, [&] { return stop_ || (!queue_.empty() && error_.empty()); });
      if (stop_) return;
      // In order: the batch after last_proved_ (duplicates from repeated callbacks are dropped).
      std::sort(queue_.begin(), queue_.end(), [](const node::Batch& x, const node::Batch& y) {
        return x.header.number < y.header.number;
      });
      while (!queue_.empty() && queue_.front().header.number <= last_proved_) queue_.pop_front();
      if (queue_.empty() || queue_.front().header.number != last_proved_ + 1) {
        // A gap: wait for the missing batch (or stop).
        if (!queue_.empty() && !witnesses_.count(last_proved_ + 1)) {
          halt("batch " + std::to_string(last_proved_ + 1) + ": no witness recorded (node restarted?)");
        }
        cv_.wait_for(lk, std::chrono::milliseconds(100));
        continue;
      }
      b = std::move(queue_.front());
      queue_.pop_front();
      auto it = witnesses_.find(b.header.number);
      if (it == witnesses_.end()) {
        halt("batch " + std::to_string(b.header.number) + ": no witness recorded");
        continue;
      }
      w = std::move(it->second);
      witnesses_.erase(it);
      closed = closed_[b.header.number];
    }

    std::string err;
    ProvedBatch p;
    p.number = b.header.number;
    p.closed_ms = closed;
    const auto hdr = b.header.encode();
    p.header.assign(hdr.begin(), hdr.end());
    p.pubdata = b.pubdata;
    p.new_root = w.new_root;
    p.public_input = w.public_input;
    if (w.new_root != b.header.new_root) {
      err = "circuit new root differs from the node's header";
    } else if (w.header != p.header || w.pubdata != p.pubdata) {
      err = "circuit header/pubdata bytes differ from the node's";
    } else if (w.public_input != b.public_input()) {
      err = "circuit public input differs from the node's";
    }
    if (err.empty()) {
      const auto t0 = std::chrono::steady_clock::now();
      snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
      const batch::BatchHandles h = batch::synthesize(cs, keys_.params, w);
      const std::vector<ff::Fr> wit = cs.witness();
      p.witness_ms = ms_since(t0);
      if (cs.value(h.public_input) != w.public_input) err = "synthesized public input differs";
      const auto t1 = std::chrono::steady_clock::now();
      if (err.empty()) {
        auto proof = snark::prove(keys_.pk, wit);
        const std::vector<ff::Fr> pub = {w.public_input};
        if (!proof) err = "prove failed (witness size)";
        else if (!snark::verify(keys_.vk, pub, *proof)) err = "proof does not verify (unsatisfied witness)";
        else p.proof = *proof;
      }
      p.prove_ms = ms_since(t1);
    }
    p.proved_ms = now_ms();

    std::vector<std::function<void(const ProvedBatch&)>> cbs;
    {
      std::lock_guard lk(mu_);
      if (!err.empty()) {
        halt("batch " + std::to_string(p.number) + ": " + err);
        continue;
      }
      proved_[p.number] = p;
      last_proved_ = p.number;
      cbs = callbacks_;
      cv_.notify_all();
    }
    for (auto& cb : cbs) cb(p);
  }
}

}  // namespace zkamm::settle
