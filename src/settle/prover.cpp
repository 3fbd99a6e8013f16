#include "settle/prover.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>

#include "node/codec.hpp"
#include "snark/constraint_system.hpp"
#include "snark/json_io.hpp"
#include "batch/witness_codec.hpp"
#include "settle/remote_prover.hpp"

namespace zkamm::settle {

TimeMs now_ms() {
  return static_cast<TimeMs>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

namespace {
std::string proof_key(uint64_t n) { return "proof/" + std::to_string(n); }
}  // namespace

std::string encode_proved(const ProvedBatch& p) {
  std::string out;
  node::ByteWriter w(out);
  w.u64(p.number);
  w.u32(static_cast<uint32_t>(p.header.size()));
  w.bytes(p.header);
  w.u32(static_cast<uint32_t>(p.pubdata.size()));
  w.bytes(p.pubdata);
  w.fr(p.new_root);
  w.fr(p.public_input);
  w.u64(p.closed_ms);
  w.u64(p.proved_ms);
  out += snark::proof_to_json(p.proof);
  return out;
}

std::optional<ProvedBatch> decode_proved(std::string_view in) {
  node::ByteReader r(in);
  ProvedBatch p;
  p.number = r.u64();
  const uint32_t nh = r.u32();
  if (!r.ok() || nh != node::kBatchHeaderBytes) return std::nullopt;
  const auto h = r.bytes(nh);
  p.header.assign(h.begin(), h.end());
  const uint32_t np = r.u32();
  if (!r.ok() || np > in.size()) return std::nullopt;
  const auto d = r.bytes(np);
  p.pubdata.assign(d.begin(), d.end());
  p.new_root = r.fr();
  p.public_input = r.fr();
  p.closed_ms = r.u64();
  p.proved_ms = r.u64();
  if (!r.ok()) return std::nullopt;
  const std::size_t used = 8 + 4 + nh + 4 + np + 32 + 32 + 8 + 8;
  auto proof = snark::proof_from_json(in.substr(used));
  if (!proof) return std::nullopt;
  p.proof = *proof;
  return p;
}

Prover::Prover(node::Node& node, const BatchKeys& keys, ProverOptions opts)
    : node_(node), keys_(keys), opts_(opts) {
  if (opts_.remote_jobs) {
    // Workers are never trusted: a proof counts only if it verifies against the public input
    // this prover computed for the batch.
    board_ = std::make_unique<JobBoard>(opts_.lease, [this](uint64_t n, const snark::Proof& proof) {
      ff::Fr pi = ff::Fr::zero();
      const BatchKeys* kind_keys = nullptr;
      {
        std::lock_guard lk(mu_);
        auto it = posted_.find(n);
        if (it == posted_.end()) return false;
        pi = it->second.first;
        kind_keys = keys_for(it->second.second);
      }
      const std::vector<ff::Fr> pub = {pi};
      return kind_keys != nullptr && snark::verify(kind_keys->vk, pub, proof);
    });
  }
  node_.set_batch_hook([this](state::State& s, state::StateTrees& t, const node::BatchJob& job) { return hook(s, t, job); });
  sub_ = node_.on_batch([this](const node::Batch& b) { on_batch(b); });
  recover();
  worker_ = std::thread([this] { run(); });
  if (board_) {
    for (unsigned i = 0; i < opts_.local_workers; ++i) local_workers_.emplace_back([this, i] { local_worker_loop(i); });
  }
}

namespace {
/// Lowers the calling thread's priority by `nice` steps (ProverOptions::nice); lowering needs no
/// privilege, and the threads it starts inherit it.
void lower_thread_priority(int nice) {
  if (nice <= 0) return;
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  errno = 0;
  const int base = ::getpriority(PRIO_PROCESS, tid);
  if (errno == 0) (void)::setpriority(PRIO_PROCESS, tid, std::min(base + nice, 19));
}
}  // namespace

void Prover::local_worker_loop(unsigned index) {
  lower_thread_priority(opts_.nice);
  const std::string name = "local-" + std::to_string(index);
  for (;;) {
    {
      std::lock_guard lk(mu_);
      if (stop_) return;
    }
    std::optional<JobLease> l = board_->lease(name, std::chrono::milliseconds(200));
    if (!l) continue;
    auto r = prove_witness_bytes(CircuitKeys{&keys_, opts_.swap_keys}, *l->witness);
    if (!r) {
      std::lock_guard lk(mu_);
      halt("batch " + std::to_string(l->batch) + ": " + r.error().message);
      return;
    }
    r->worker = name;
    (void)board_->submit(l->lease_id, std::move(*r));
  }
}

bool Prover::post_job(const node::Batch& b, const batch::BatchWitness& w) {
  const auto hdr = b.header.encode();
  if (w.new_root != b.header.new_root || !std::equal(hdr.begin(), hdr.end(), w.header.begin(), w.header.end()) ||
      w.pubdata != b.pubdata || w.public_input != b.public_input()) {
    return false;
  }
  {
    std::lock_guard lk(mu_);
    if (posted_.count(b.header.number) != 0) return true;
    posted_[b.header.number] = {w.public_input, b.header.kind};
  }
  board_->post(b.header.number, batch::encode_witness(w));
  return true;
}

void Prover::recover() {
  const uint64_t last = node_.status().last_batch;
  std::lock_guard lk(mu_);
  for (uint64_t n = 1; n <= last; ++n) {
    const auto rec = node_.settle_record(proof_key(n));
    if (!rec) break;
    auto p = decode_proved(*rec);
    if (!p || p->number != n) {
      halt("batch " + std::to_string(n) + ": the stored proof does not decode");
      return;
    }
    proved_[n] = std::move(*p);
    last_proved_ = n;
  }
  if (last_proved_ < opts_.settled_on_l1) last_proved_ = opts_.settled_on_l1;
  // Recorded before the restart but not proven: queued here, witnesses rebuilt by the worker.
  for (uint64_t n = last_proved_ + 1; n <= last; ++n) {
    auto b = node_.batch(n);
    if (!b || !b->root_ready) break;
    closed_[n] = now_ms();
    queue_.push_back(std::move(*b));
  }
}

std::vector<ProvedBatch> Prover::proved_after(uint64_t after) const {
  std::lock_guard lk(mu_);
  std::vector<ProvedBatch> out;
  for (auto it = proved_.upper_bound(after); it != proved_.end(); ++it) out.push_back(it->second);
  return out;
}

std::string Prover::rebuild_witness(const node::Batch& b, batch::BatchWitness& out) {
  const uint64_t n = b.header.number;
  if (rebuilt_next_ != n || !rebuilt_state_) {
    rebuilt_state_ = node_.state_before_batch(n);
    if (!rebuilt_state_) return "the block log does not replay to the batch's pre-state";
    rebuilt_trees_ = state::StateTrees::build(*rebuilt_state_);
  }
  rebuilt_next_ = 0;
  if (!(rebuilt_trees_->root() == b.header.old_root)) return "the replayed pre-state's root differs from the header's old root";
  batch::BatchInput in;
  in.batch_number = n;
  in.timestamp = b.header.timestamp;
  in.priority_first = b.header.priority_first;
  in.num_tokens = b.header.num_tokens;
  for (const node::BatchSlot& slot : b.slots) {
    in.txs.push_back(slot.tx);
    in.executed.push_back(slot.executed);
  }
  const BatchKeys* keys = keys_for(b.header.kind);
  if (keys == nullptr) return "no keys for batch kind " + std::to_string(static_cast<int>(b.header.kind));
  batch::WitnessResult w = batch::build_witness(*rebuilt_state_, *rebuilt_trees_, keys->params, in);
  if (!w.ok()) {
    rebuilt_state_.reset();
    return "witness: " + w.error;
  }
  out = std::move(w.witness);
  rebuilt_next_ = n + 1;
  return "";
}

Prover::~Prover() { stop(); }

void Prover::stop() {
  {
    std::lock_guard lk(mu_);
    if (stop_ && !worker_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (board_) board_->close();
  for (std::thread& t : local_workers_) {
    if (t.joinable()) t.join();
  }
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
  in.num_tokens = b.header.num_tokens;
  for (const node::BatchSlot& slot : b.slots) {
    in.txs.push_back(slot.tx);
    in.executed.push_back(slot.executed);
  }
  {
    std::lock_guard lk(mu_);
    // Stopped, or settled on L1 already (proven by an earlier leader of the group): no witness.
    if (stop_ || b.header.number <= last_proved_) return node::apply_batch(s, trees, job);
    if (!error_.empty()) return std::nullopt;  // halted: record no more roots
  }
  const BatchKeys* keys = keys_for(b.header.kind);
  batch::WitnessResult w = keys != nullptr ? batch::build_witness(s, trees, keys->params, in)
                                           : batch::WitnessResult{"no keys for batch kind " + std::to_string(static_cast<int>(b.header.kind)), {}};
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
  lower_thread_priority(opts_.nice);
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
        // A gap: wait for the missing batch (or stop). A later batch is queued while the next
        // one is not (it closed before this prover subscribed): take it from the node's store.
        if (!queue_.empty()) {
          lk.unlock();
          auto missing = node_.batch(last_proved_ + 1);
          lk.lock();
          if (missing && missing->root_ready) {
            closed_.emplace(missing->header.number, now_ms());
            queue_.push_front(std::move(*missing));
            continue;
          }
        }
        cv_.wait_for(lk, std::chrono::milliseconds(100));
        continue;
      }
      b = std::move(queue_.front());
      queue_.pop_front();
      auto it = witnesses_.find(b.header.number);
      closed = closed_[b.header.number];
      if (it != witnesses_.end()) {
        w = std::move(it->second);
        witnesses_.erase(it);
      } else {
        // Recorded before a restart (or before this prover's hook): rebuild from the block log.
        lk.unlock();
        const std::string e = rebuild_witness(b, w);
        lk.lock();
        if (!e.empty()) {
          halt("batch " + std::to_string(b.header.number) + ": " + e);
          continue;
        }
      }
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
    if (err.empty() && board_) {
      // Post this batch and every later one whose witness is ready, so that several workers
      // prove in parallel; then wait for this one (proofs are emitted in order).
      if (!post_job(b, w)) err = "the batch's witness does not match the node's batch";
      std::vector<std::pair<node::Batch, const batch::BatchWitness*>> ahead;
      {
        std::lock_guard lk(mu_);
        for (const node::Batch& later : queue_) {
          auto it = witnesses_.find(later.header.number);
          if (it != witnesses_.end() && posted_.count(later.header.number) == 0) ahead.emplace_back(later, &it->second);
        }
      }
      // witnesses_ entries are erased only by this thread, so the pointers stay valid here.
      for (const auto& [later, lw] : ahead) (void)post_job(later, *lw);
      while (err.empty()) {
        std::optional<JobResult> r = board_->wait_result(b.header.number, std::chrono::milliseconds(200));
        if (r) {
          p.proof = r->proof;
          p.witness_ms = r->witness_ms;
          p.prove_ms = r->prove_ms;
          board_->forget(b.header.number);
          std::lock_guard lk(mu_);
          posted_.erase(b.header.number);
          break;
        }
        std::lock_guard lk(mu_);
        if (stop_) return;
        if (!error_.empty()) err = error_;
      }
    } else if (err.empty()) {
      const BatchKeys* keys = keys_for(b.header.kind);
      auto r = keys != nullptr ? prove_witness(*keys, w)
                               : ProveError{ProveErrc::kNoKeys, "no keys for batch kind " + std::to_string(static_cast<int>(b.header.kind))};
      if (r) {
        p.proof = r->proof;
        p.witness_ms = r->witness_ms;
        p.prove_ms = r->prove_ms;
      } else {
        err = r.error().message;
      }
    }
    p.proved_ms = now_ms();

    // Durable before anyone may commit the batch on L1 (l1_sender.hpp).
    if (err.empty() && !node_.put_settle_record(proof_key(p.number), encode_proved(p))) err = "cannot store the proof";

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
