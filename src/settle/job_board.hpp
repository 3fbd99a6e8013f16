#pragma once
// Proof jobs handed out with leases (issue 5: "workers on other machines pull jobs over HTTP with
// a lease, and a job whose worker dies is handed out again"). The Prover posts one job per batch
// (its encoded witness); in-process workers and remote `zkamm prover --node URL` workers lease
// them, lowest batch first. A lease that is not completed in time returns its job to the board.
// A submitted proof is accepted only when the board's checker (the node's verification key and
// its own public input) accepts it, so a worker is never trusted; the first valid proof wins,
// even from a lease that has expired meanwhile (it is still a correct proof).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "snark/groth16.hpp"

namespace zkamm::settle {

using SteadyTime = std::chrono::steady_clock::time_point;

struct JobLease {
  uint64_t batch = 0;
  uint64_t lease_id = 0;  ///< names this hand-out in submit(); never reused
  std::shared_ptr<const std::vector<uint8_t>> witness;  ///< batch::encode_witness bytes
  SteadyTime expires{};
};

/// What a worker reports with its proof (shown in the batch's figures).
struct JobResult {
  snark::Proof proof;
  double witness_ms = 0;
  double prove_ms = 0;
  std::string worker;
};

enum class [[nodiscard]] SubmitOutcome : uint8_t {
  kAccepted = 0,
  kUnknownLease,  ///< no such lease id was ever handed out (and no open job for the batch named)
  kAlreadyDone,   ///< another worker's proof for this batch was accepted first
  kInvalidProof,  ///< the checker refused the proof; the job stays open for others
  kClosed,        ///< the board is closed
};
std::string_view to_string(SubmitOutcome o) noexcept;

struct JobBoardStats {
  uint64_t open = 0, leased = 0, done = 0;  ///< jobs in each state now
  uint64_t leases = 0, expired = 0, rejected = 0;  ///< totals
};

class JobBoard {
 public:
  /// checker(batch, proof) is true when the proof is valid for that batch; it runs on the
  /// submitting thread, outside the board's lock.
  using Checker = std::function<bool(uint64_t batch, const snark::Proof& proof)>;

  JobBoard(std::chrono::milliseconds lease_time, Checker checker);

  /// Adds the job for `batch` (ignored when that batch was posted before).
  void post(uint64_t batch, std::vector<uint8_t> witness);
  /// The lowest open job (jobs whose lease expired are open again), leased to `worker`; nullopt
  /// when none is open. Waits at most `wait` for one to appear.
  std::optional<JobLease> lease(const std::string& worker, std::chrono::milliseconds wait = std::chrono::milliseconds(0));
  /// A worker's proof for lease `lease_id`. `batch`, when the worker names it, must be the
  /// lease's batch; a lease this board never handed out (or one of another batch) then counts as
  /// a lease of an earlier board, e.g. a sequencer group's previous leader: the proof is checked
  /// and accepted for that batch's job if it is still open or leased (a valid proof is valid
  /// whoever handed the job out), so a failover does not waste a proof made meanwhile. Such a
  /// foreign submission never changes a current lease's job, even when its proof is invalid.
  SubmitOutcome submit(uint64_t lease_id, JobResult result, std::optional<uint64_t> batch = std::nullopt);
  /// Waits until batch's proof is accepted, the board closes, or `timeout`.
  std::optional<JobResult> wait_result(uint64_t batch, std::chrono::milliseconds timeout);
  /// Forgets a finished job's witness and result (after the caller took it).
  void forget(uint64_t batch);
  /// Wakes every waiter; later calls return at once.
  void close();
  JobBoardStats stats() const;
  std::chrono::milliseconds lease_time() const noexcept { return lease_time_; }

 private:
  enum class State : uint8_t { kOpen, kLeased, kDone };
  struct Job {
    std::shared_ptr<const std::vector<uint8_t>> witness;
    State state = State::kOpen;
    uint64_t lease_id = 0;
    SteadyTime expires{};
    std::optional<JobResult> result;
  };
  void expire_locked(SteadyTime now);

  const std::chrono::milliseconds lease_time_;
  const Checker checker_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, Job> jobs_;
  std::map<uint64_t, uint64_t> lease_batch_;  // lease id -> batch
  uint64_t next_lease_ = 1;
  uint64_t leases_ = 0, expired_ = 0, rejected_ = 0;
  bool closed_ = false;
};

}  // namespace zkamm::settle
