#pragma once
// Proving on other machines (issue 5): the node exposes its JobBoard over JSON-RPC, and
// `zkamm prover --node URL` workers lease jobs, prove them with their own copy of the batch keys
// (the same circuit: the worker checks the R1CS hash the node announces) and submit the proof.
// The node checks every submitted proof against its verification key and its own public input
// before it accepts it (JobBoard's checker), so a worker is never trusted.
//
// Methods (docs/API.md "Prover jobs"):
//   zkamm_proverInfo   -> {slots, chain_id, rollup, r1cs_hash, [swap_r1cs_hash], lease_ms,
//                          jobs: {open, leased, done, ...}}
//   zkamm_proverLease  {worker} -> null, or {batch, lease_id, lease_ms, witness: "0x..."}
//   zkamm_proverSubmit {lease_id, proof (snarkjs proof JSON object), batch, witness_ms, prove_ms, worker}
//                      -> {outcome: "accepted" | "already_done" | "invalid_proof" | ...}
#include <atomic>
#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "batch/batch_circuit.hpp"
#include "node/rpc_service.hpp"
#include "settle/batch_keys.hpp"
#include "settle/job_board.hpp"
#include "util/result.hpp"

namespace zkamm::settle {

/// Adds the zkamm_prover* methods. Precondition: before svc.start(); board and the keys outlive
/// svc; keys.universal is set.
void add_prover_methods(node::rpc::Service& svc, JobBoard& board, const CircuitKeys& keys);

/// Where the zkamm_prover* methods find the job board at the moment of a call. A sequencer
/// group's member has one only while it leads; a follower answers zkamm_proverInfo with the
/// circuit and `leader` (no `jobs`), and zkamm_proverLease / zkamm_proverSubmit with
/// kNotLeaderCode (leader_client.hpp), data {leader: its URL or null}, which workers follow
/// (LeaderClient). Answering rather than forwarding: a follower neither relays witnesses (a few
/// KB per slot) nor holds an I/O thread on a leader that may be dead.
struct BoardRoute {
  JobBoard* board = nullptr;  ///< this member's board, valid until the service stops; or nullptr
  std::string leader_url;     ///< without a board: the leader's http://host:port ("" while none is known)
};
using BoardSource = std::function<BoardRoute()>;
/// Adds the methods over `source` (called on the RPC's threads for every call). Precondition:
/// before svc.start(); the keys and every board the source returns outlive svc.
void add_prover_methods(node::rpc::Service& svc, BoardSource source, const CircuitKeys& keys);

enum class ProveErrc : uint8_t {
  kBadWitness,  ///< the payload does not decode, or its header is malformed
  kNoKeys,      ///< no keys for the witness's kind, or keys for another slot count
  kMismatch,    ///< the circuit's public input differs from the witness's
  kProve,       ///< the prover refused the witness (its size)
  kVerify,      ///< the proof does not verify (an unsatisfied witness)
};
using ProveError = Error<ProveErrc>;

/// Synthesizes and proves w with keys; checks the circuit's public input against w's own and
/// the proof against keys.vk. (Every prover, local or remote.)
Result<JobResult, ProveError> prove_witness(const BatchKeys& keys, const batch::BatchWitness& w);

/// prove_witness of an encode_witness() payload with the keys of its header's kind (rejected when
/// it does not decode, there are no keys for its kind, or it has another slot count than they).
Result<JobResult, ProveError> prove_witness_bytes(const CircuitKeys& keys, std::span<const uint8_t> witness);

struct WorkerOptions {
  std::string url = "http://127.0.0.1:8545";
  /// Other members of the same sequencer group, tried in turn after `url` when the member in use
  /// cannot be reached (a follower's redirect to the leader is followed anyway; LeaderClient).
  std::vector<std::string> more_urls;
  /// How long a proof whose submission failed (the leader died meanwhile) is offered again, to
  /// whichever member leads next (the board accepts it for a batch it has open: JobBoard::submit).
  std::chrono::milliseconds submit_patience{30'000};
  std::string cache_dir = ".zkamm-cache";     ///< where the batch keys are (made when missing)
  std::string name = "worker";
  uint64_t max_jobs = 0;                      ///< stop after this many proofs (0: run until stopped)
  std::chrono::milliseconds poll{250};        ///< between lease attempts when no job is open
  std::chrono::milliseconds idle_exit{0};     ///< stop after this long without a job (0: never)
};

/// `zkamm prover --node URL`: leases, proves and submits until `stop`, max_jobs or idle_exit.
/// Returns 0 on a normal end, 1 when the keys do not match the node's circuit or the node
/// cannot be reached at start.
int run_prover_worker(const WorkerOptions& opts, const std::atomic<bool>& stop, std::ostream& log);

}  // namespace zkamm::settle
