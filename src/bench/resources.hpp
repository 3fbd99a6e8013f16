#pragma once
// CPU and memory of a process (the node's, or this one's when the node runs in-process), sampled
// from /proc/<pid>/stat (utime + stime) and /proc/<pid>/status (VmRSS) on a background thread.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/http_load.hpp"

namespace zkamm::bench {

struct ResourceSample {
  double t_s = 0;        ///< since the sampler's t0
  double cpu_pct = 0;    ///< over the last interval; 100 = one core
  double rss_mb = 0;
};

class ResourceSampler {
 public:
  /// pid 0: this process. Samples every `period_ms` until stop().
  ResourceSampler(int pid, SteadyClock::time_point t0, unsigned period_ms = 250);
  ~ResourceSampler();
  void start();
  void stop();
  std::vector<ResourceSample> samples() const;
  int pid() const noexcept { return pid_; }

 private:
  void loop();
  int pid_;
  SteadyClock::time_point t0_;
  unsigned period_ms_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<ResourceSample> samples_;
  std::thread thread_;
};

/// utime + stime of pid in seconds, and VmRSS in MiB; false when /proc cannot be read.
bool read_proc(int pid, double& cpu_s, double& rss_mb);

}  // namespace zkamm::bench
