#include "ff/parallel.hpp"

#include <cstdlib>

namespace zkamm::ff {

unsigned worker_count() noexcept {
  static const unsigned count = [] {
    if (const char* env = std::getenv("ZKAMM_THREADS")) {
      const long v = std::strtol(env, nullptr, 10);
      if (v >= 1 && v <= 1024) return static_cast<unsigned>(v);
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1u : hw;
  }();
  return count;
}

}  // namespace zkamm::ff
