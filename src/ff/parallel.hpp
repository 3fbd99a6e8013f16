#pragma once
// Data parallelism for the prover's bulk loops (MSM windows, NTT butterflies, witness maps).
// One fork-join per call: the loops it serves run for milliseconds or more, so a persistent pool
// would save little and add shared state.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace zkamm::ff {

/// Threads the bulk loops may use: ZKAMM_THREADS if set (>= 1), else the hardware's count (capped
/// per thread by limit_workers_on_this_thread).
unsigned worker_count() noexcept;
/// Caps worker_count() for the loops the calling thread starts (0 = no cap). A service thread that
/// shares busy cores with others (the node's batcher) sets 1: a fork-join per call would cost it
/// more in thread starts than it gains.
void limit_workers_on_this_thread(unsigned max_workers) noexcept;

/// Calls body(begin, end, worker) on disjoint chunks covering [0, n), at most worker_count()
/// chunks at once; returns when all are done. body must be safe to run concurrently.
template <class Body>
void parallel_for_chunks(size_t n, Body&& body, unsigned max_workers = 0) {
  if (n == 0) return;
  unsigned workers = max_workers ? std::min(max_workers, worker_count()) : worker_count();
  workers = static_cast<unsigned>(std::min<size_t>(workers, n));
  if (workers <= 1) {
    body(size_t{0}, n, 0u);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(workers - 1);
  const size_t chunk = (n + workers - 1) / workers;
  for (unsigned w = 1; w < workers; ++w) {
    const size_t begin = std::min(n, w * chunk), end = std::min(n, begin + chunk);
    threads.emplace_back([&body, begin, end, w] { body(begin, end, w); });
  }
  body(size_t{0}, std::min(n, chunk), 0u);
  for (auto& t : threads) t.join();
}

}  // namespace zkamm::ff
