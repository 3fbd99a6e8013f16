#pragma once
// The prover pipeline: the node's batch thread builds each batch's witness (a BatchApplyHook
// around batch::build_witness records every Merkle path while it advances the state), and one
// worker thread proves the batches in order with the cached Groth16 key. A proof is accepted
// only when it verifies and the circuit's new root and public input equal the node's header;
// on any mismatch the pipeline halts and error() says why, so nothing downstream ever commits a
// root that cannot be proven.
//
// Restarts: each proof is stored in the node's store (Node::put_settle_record "proof/<n>", a
// synced write, which also makes the node's earlier batch records durable) before on_proved
// callbacks run, so the L1 sender only ever commits a batch whose proof survives a kill -9. A new
// Prover over a restarted node loads the stored proofs (never proving those batches again) and
// proves the recorded batches that have none: it rebuilds their witnesses by replaying the
// node's block log up to the batch's pre-state (Node::state_before_batch).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "node/node.hpp"
#include "settle/batch_keys.hpp"
#include "settle/job_board.hpp"

namespace zkamm::settle {

using TimeMs = node::TimeMs;

/// Milliseconds since the Unix epoch (system clock).
TimeMs now_ms();

struct ProvedBatch {
  uint64_t number = 0;
  std::vector<uint8_t> header;   ///< 98 bytes (docs/BATCH.md section 2)
  std::vector<uint8_t> pubdata;  ///< num_slots * 42 bytes, or * 10 in a swap batch
  ff::Fr new_root = ff::Fr::zero();
  ff::Fr public_input = ff::Fr::zero();
  snark::Proof proof;
  TimeMs closed_ms = 0;   ///< the node reported the batch with its root
  TimeMs proved_ms = 0;   ///< the proof was made and checked
  double witness_ms = 0;  ///< witness-only synthesis
  double prove_ms = 0;    ///< Groth16 prove + verify
};

/// Where proofs are made. Default: in this process, one batch at a time (the prover thread).
/// With remote_jobs, each batch's witness is posted on a JobBoard (jobs()) as soon as it is
/// ready, several batches ahead, and `local_workers` threads here plus any number of
/// `zkamm prover --node URL` workers (add_prover_methods) prove them in parallel; proofs are
/// still checked and emitted in batch order.
struct ProverOptions {
  bool remote_jobs = false;
  unsigned local_workers = 1;                    ///< with remote_jobs; 0: only remote workers prove
  std::chrono::milliseconds lease{120'000};      ///< a job not proven in this time is handed out again
  /// The swap circuit's keys (same slot count and domain), needed when the node makes swap
  /// batches (NodeConfig::swap_batches); the pipeline halts on a swap batch without them.
  const BatchKeys* swap_keys = nullptr;
  /// Batches up to this one are executed on L1 already and never proven here (a sequencer
  /// group's new leader: its store has no proofs of the batches an earlier leader settled).
  uint64_t settled_on_l1 = 0;
  /// The proving threads run this many steps nicer (Linux: per thread; the MSM's helper threads
  /// inherit it). Proving is throughput work that saturates the cores; on the same machine the
  /// sequencer, a group's lease renewals and replication, and etcd are latency work: at equal
  /// priority a loaded two-core machine starved a group leader's keep-alive past its one-second
  /// lease mid-settlement, and the member was deposed again and again. 0: unchanged.
  int nice = 10;
};

class Prover {
 public:
  /// Installs the witness hook on `node` and subscribes to its batches; the node must not have
  /// closed a batch yet (set_batch_hook's precondition). `keys` and `node` outlive the prover.
  Prover(node::Node& node, const BatchKeys& keys, ProverOptions opts = {});
  ~Prover();
  Prover(const Prover&) = delete;
  Prover& operator=(const Prover&) = delete;

  /// cb runs on the prover thread for each proven batch, in batch order (after its proof is stored).
  void on_proved(std::function<void(const ProvedBatch&)> cb);
  /// Every proven batch numbered above `after` (stored before a restart or proven since), in order.
  std::vector<ProvedBatch> proved_after(uint64_t after) const;
  std::optional<ProvedBatch> proved(uint64_t number) const;
  /// The highest batch proven (0 = none); batches are proven in order.
  uint64_t last_proved() const;
  /// Waits until batch `number` is proven or the pipeline halted; true when proven.
  bool wait_proved(uint64_t number, std::chrono::milliseconds timeout) const;
  /// The job board (remote_jobs only; nullptr otherwise).
  JobBoard* jobs() noexcept { return board_.get(); }
  /// Non-empty once the pipeline halted (witness or proof failure, root mismatch).
  std::string error() const;
  void stop();

 private:
  std::optional<ff::Fr> hook(state::State& s, state::StateTrees& trees, const node::BatchJob& job);
  void on_batch(const node::Batch& b);
  void run();
  void halt(std::string why);  // precondition: mu_ held
  /// Loads stored proofs and queues the recorded batches that have none (constructor).
  void recover();
  /// The keys for batch kind `kind` (nullptr when there are none).
  const BatchKeys* keys_for(batch::BatchKind kind) const noexcept { return CircuitKeys{&keys_, opts_.swap_keys}.for_kind(kind); }
  /// Rebuilds batch n's witness from the block log; "" or the error. Runs on the worker.
  std::string rebuild_witness(const node::Batch& b, batch::BatchWitness& out);

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
  // worker only: the state after the last rebuilt witness (consecutive rebuilds replay once)
  uint64_t rebuilt_next_ = 0;
  std::optional<state::State> rebuilt_state_;
  std::optional<state::StateTrees> rebuilt_trees_;
  std::thread worker_;
  // remote_jobs: the board, the public input of each posted batch (the board's checker), workers
  ProverOptions opts_;
  std::unique_ptr<JobBoard> board_;
  std::map<uint64_t, std::pair<ff::Fr, batch::BatchKind>> posted_;  // public input and kind; under mu_
  std::vector<std::thread> local_workers_;
  /// Posts batch b's job after the same checks as the in-process path; false when a check fails.
  bool post_job(const node::Batch& b, const batch::BatchWitness& w);  // precondition: mu_ not held
  void local_worker_loop(unsigned index);
};

/// The stored form of a ProvedBatch (self-made layout: u64 number, u32-length-prefixed header and
/// pubdata, new root, public input, u64 times, proof as snarkjs proof.json) and its strict reader.
std::string encode_proved(const ProvedBatch& p);
std::optional<ProvedBatch> decode_proved(std::string_view in);

}  // namespace zkamm::settle
