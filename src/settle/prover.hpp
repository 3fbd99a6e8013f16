#pragma once
// The prover pipeline: the node's batch thread builds each batch's witness (a BatchApplyHook
// around batch::build_witness records every Merkle path while it advances the state), and one
// worker thread proves the batches in order with the cached Groth16 key. A proof is accepted
// only when it verifies and the circuit's new root and public input equal the node's header;
// on any mismatch the pipeline halts and error() says why, so nothing downstream ever commits a
// root that cannot be proven.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node/node.hpp"
#include "settle/batch_keys.hpp"

namespace zkamm::settle {

using TimeMs = node::TimeMs;

/// Milliseconds since the Unix epoch (system clock).
TimeMs now_ms();

struct ProvedBatch {
  uint64_t number = 0;
  std::vector<uint8_t> header;   ///< 96 bytes (docs/BATCH.md section 2)
  std::vector<uint8_t> pubdata;  ///< num_slots * 56 bytes
  ff::Fr new_root = ff::Fr::zero();
  ff::Fr public_input = ff::Fr::zero();
  snark::Proof proof;
  TimeMs closed_ms = 0;   ///< the node reported the batch with its root
  TimeMs proved_ms = 0;   ///< the proof was made and checked
  double witness_ms = 0;  ///< witness-only synthesis
  double prove_ms = 0;    ///< Groth16 prove + verify
};

class Prover {
 public:
  /// Installs the witness hook on `node` and subscribes to its batches; the node must not have
  /// closed a batch yet (set_batch_hook's precondition). `keys` and `node` outlive the prover.
  Prover(node::Node& node, const BatchKeys& keys);
  ~Prover();
  Prover(const Prover&) = delete;
  Prover& operator=(const Prover&) = delete;

  /// cb runs on the prover thread for each proven batch, in batch order.
  void on_proved(std::function<void(const ProvedBatch&)> cb);
  std::optional<ProvedBatch> proved(uint64_t number) const;
  /// The highest batch proven (0 = none); batches are proven in order.
  uint64_t last_proved() const;
  /// Waits until batch `number` is proven or the pipeline halted; true when proven.
  bool wait_proved(uint64_t number, std::chrono::milliseconds timeout) const;
  /// Non-empty once the pipeline halted (witness or proof failure, root mismatch).
  std::string error() const;
  void stop();

 private:
  std::optional<ff::Fr> hook(state::State& s, state::StateTrees& trees, const node::BatchJob& job);
  void on_batch(const node::Batch& b);
  void run();
  void halt(std::string why);  // precondition: mu_ held

  node::Node& node_;
  const BatchKeys& keys_;
  node::SubscriptionId sub_ = 0;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<uint64_t, batch::BatchWitness> witnesses_;  // built by the hook, consumed by run()
  std::deque<node::Batch> queue_;                      // root-ready batches to prove
  std::map<uint64_t, ProvedBatch> proved_;
  std::map<uint64_t, TimeMs> closed_;
  uint64_t last_proved_ = 0;
  std::string error_;
  std::vector<std::function<void(const ProvedBatch&)>> callbacks_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace zkamm::settle
