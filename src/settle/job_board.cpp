#include "settle/job_board.hpp"

namespace zkamm::settle {

std::string_view to_string(SubmitOutcome o) noexcept {
  switch (o) {
    case SubmitOutcome::kAccepted: return "accepted";
    case SubmitOutcome::kUnknownLease: return "unknown_lease";
    case SubmitOutcome::kAlreadyDone: return "already_done";
    case SubmitOutcome::kInvalidProof: return "invalid_proof";
    case SubmitOutcome::kClosed: return "closed";
  }
  return "unknown";
}

JobBoard::JobBoard(std::chrono::milliseconds lease_time, Checker checker)
    : lease_time_(lease_time), checker_(std::move(checker)) {}

void JobBoard::post(uint64_t batch, std::vector<uint8_t> witness) {
  {
    std::lock_guard lk(mu_);
    if (closed_ || jobs_.count(batch) != 0) return;
    Job& j = jobs_[batch];
    j.witness = std::make_shared<const std::vector<uint8_t>>(std::move(witness));
  }
  cv_.notify_all();
}

void JobBoard::expire_locked(SteadyTime now) {
  for (auto& [batch, j] : jobs_) {
    if (j.state == State::kLeased && j.expires <= now) {
      j.state = State::kOpen;  // the worker died or is too slow: hand the job out again
      ++expired_;
    }
  }
}

std::optional<JobLease> JobBoard::lease(const std::string& worker, std::chrono::milliseconds wait) {
  (void)worker;
  std::unique_lock lk(mu_);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (closed_) return std::nullopt;
    const SteadyTime now = std::chrono::steady_clock::now();
    expire_locked(now);
    for (auto& [batch, j] : jobs_) {
      if (j.state != State::kOpen) continue;
      j.state = State::kLeased;
      j.lease_id = next_lease_++;
      j.expires = now + lease_time_;
      lease_batch_[j.lease_id] = batch;
      ++leases_;
      return JobLease{batch, j.lease_id, j.witness, j.expires};
    }
    if (now >= deadline) return std::nullopt;
    // Wake for new jobs, and in time for the earliest lease to expire.
    SteadyTime wake = deadline;
    for (const auto& [batch, j] : jobs_) {
      if (j.state == State::kLeased && j.expires < wake) wake = j.expires;
    }
    cv_.wait_until(lk, wake);
  }
}

SubmitOutcome JobBoard::submit(uint64_t lease_id, JobResult result, std::optional<uint64_t> named) {
  uint64_t batch = 0;
  bool ours = true;  // a lease this board handed out for that batch
  {
    std::lock_guard lk(mu_);
    if (closed_) return SubmitOutcome::kClosed;
    auto it = lease_batch_.find(lease_id);
    if (it != lease_batch_.end() && (!named || *named == it->second)) {
      batch = it->second;
    } else if (named && jobs_.count(*named) != 0) {
      batch = *named;  // another board's lease (a group's earlier leader), or an id reused there
      ours = false;
    } else {
      return SubmitOutcome::kUnknownLease;
    }
    auto job = jobs_.find(batch);
    if (job == jobs_.end() || job->second.state == State::kDone) return SubmitOutcome::kAlreadyDone;
  }
  // Verification (a pairing check) runs without the lock; two valid proofs racing are both
  // checked and the first to re-take the lock wins.
  const bool valid = checker_ ? checker_(batch, result.proof) : false;
  {
    std::lock_guard lk(mu_);
    if (closed_) return SubmitOutcome::kClosed;
    auto job = jobs_.find(batch);
    if (job == jobs_.end() || job->second.state == State::kDone) return SubmitOutcome::kAlreadyDone;
    if (!valid) {
      ++rejected_;
      // Only the lease that is current loses its job; a stale lease's bad proof changes nothing.
      if (ours && job->second.state == State::kLeased && job->second.lease_id == lease_id) job->second.state = State::kOpen;
      cv_.notify_all();
      return SubmitOutcome::kInvalidProof;
    }
    job->second.state = State::kDone;
    job->second.result = std::move(result);
  }
  cv_.notify_all();
  return SubmitOutcome::kAccepted;
}

std::optional<JobResult> JobBoard::wait_result(uint64_t batch, std::chrono::milliseconds timeout) {
  std::unique_lock lk(mu_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto it = jobs_.find(batch);
    if (it != jobs_.end() && it->second.state == State::kDone) return it->second.result;
    if (closed_ || std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    cv_.wait_until(lk, deadline);
  }
}

void JobBoard::forget(uint64_t batch) {
  std::lock_guard lk(mu_);
  auto it = jobs_.find(batch);
  if (it == jobs_.end() || it->second.state != State::kDone) return;
  jobs_.erase(it);
  std::erase_if(lease_batch_, [&](const auto& kv) { return kv.second == batch; });
}

void JobBoard::close() {
  {
    std::lock_guard lk(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

JobBoardStats JobBoard::stats() const {
  std::lock_guard lk(mu_);
  JobBoardStats s;
  const SteadyTime now = std::chrono::steady_clock::now();
  for (const auto& [batch, j] : jobs_) {
    const bool leased = j.state == State::kLeased && j.expires > now;
    if (j.state == State::kDone) ++s.done;
    else if (leased) ++s.leased;
    else ++s.open;
  }
  s.leases = leases_;
  s.expired = expired_;
  s.rejected = rejected_;
  return s;
}

}  // namespace zkamm::settle
