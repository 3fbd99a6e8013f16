#include "ff/parallel.hpp"

#include <algorithm>
#include <cstdlib>

namespace zkamm::ff {

namespace {
thread_local unsigned thread_limit = 0;
}  // namespace

void limit_workers_on_this_thread(unsigned max_workers) noexcept { thread_limit = max_workers; }

unsigned worker_count() noexcept {
  static const unsigned count = [] {
    if (const char* env = std::getenv("ZKAMM_THREADS")) {
      const long v = std::strtol(env, nullptr, 10);
      if (v >= 1 && v <= 1024) return static_cast<unsigned>(v);
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1u : hw;
  }();
  return thread_limit != 0 ? std::min(count, thread_limit) : count;
}

}  // namespace zkamm::ff
