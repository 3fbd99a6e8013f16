#pragma once
// A bounded pool of threads for the JSON-RPC methods that cost more than a point read (exit
// proofs, whole blocks and batches), so that no request holds the HTTP I/O threads: /health and
// cheap calls keep being answered whatever a heavy call costs. Jobs are queued per connection and
// taken round-robin, so a connection's burst waits behind its own jobs, never in front of another
// connection's. A connection may have at most `per_connection` jobs queued or running, the pool
// `max_queued` in all: over either, submit refuses and the caller answers "overloaded".
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace zkamm::node::rpc {

struct WorkerLimits {
  unsigned threads = 2;               ///< the machine's cores are shared with the sequencer
  std::size_t per_connection = 4;     ///< jobs queued or running for one connection (a job: one payload's heavy calls)
  std::size_t max_queued = 1024;      ///< jobs queued or running in all
};

class WorkerPool {
 public:
  enum class Submit { kOk, kConnectionFull, kPoolFull, kStopped };

  explicit WorkerPool(WorkerLimits limits);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues `job` for connection `key` (0: in-process callers, one shared queue). A
  /// `continuation` (the next slice of a job that is running) is not counted against the limits
  /// again: it takes over its predecessor's place.
  Submit submit(uint64_t key, std::function<void()> job, bool continuation = false);
  /// Runs no more jobs, destroys the queued ones (outside the lock), joins. Idempotent.
  void stop();
  /// Jobs queued or running.
  std::size_t load() const;
  const WorkerLimits& limits() const noexcept { return limits_; }

 private:
  struct Conn {
    std::deque<std::function<void()>> jobs;
    std::size_t running = 0;
  };
  void run();

  WorkerLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<uint64_t, Conn> conns_;
  std::deque<uint64_t> turn_;  ///< connections with queued jobs, in round-robin order
  std::size_t load_ = 0;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace zkamm::node::rpc
