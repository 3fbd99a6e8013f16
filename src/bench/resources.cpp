#include "bench/resources.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace zkamm::bench {

bool read_proc(int pid, double& cpu_s, double& rss_mb) {
  const std::string base = "/proc/" + (pid == 0 ? std::string("self") : std::to_string(pid));
  std::ifstream st(base + "/stat");
  std::string line;
  if (!st || !std::getline(st, line)) return false;
  // Fields after the ")" that closes comm (comm may hold spaces): state is field 3, utime 14, stime 15.
  const auto close = line.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int field = 3; field <= 15 && rest >> f; ++field) {
    if (field == 14) utime = std::stoull(f);
    if (field == 15) stime = std::stoull(f);
  }
  const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  cpu_s = static_cast<double>(utime + stime) / (hz > 0 ? hz : 100.0);
  std::ifstream status(base + "/status");
  rss_mb = 0;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) {
      rss_mb = std::stod(line.substr(6)) / 1024.0;  // kB
      break;
    }
  return true;
}

ResourceSampler::ResourceSampler(int pid, SteadyClock::time_point t0, unsigned period_ms)
    : pid_(pid), t0_(t0), period_ms_(period_ms) {}

ResourceSampler::~ResourceSampler() { stop(); }

void ResourceSampler::start() { thread_ = std::thread([this] { loop(); }); }

void ResourceSampler::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<ResourceSample> ResourceSampler::samples() const {
  std::lock_guard lock(mu_);
  return samples_;
}

void ResourceSampler::loop() {
  double last_cpu = 0, rss = 0;
  auto last_t = SteadyClock::now();
  if (!read_proc(pid_, last_cpu, rss)) return;
  while (!stop_) {
    for (unsigned waited = 0; waited < period_ms_ && !stop_; waited += 10)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    double cpu = 0;
    if (!read_proc(pid_, cpu, rss)) return;
    const auto now = SteadyClock::now();
    const double dt = std::chrono::duration<double>(now - last_t).count();
    ResourceSample s;
    s.t_s = std::chrono::duration<double>(now - t0_).count();
    s.cpu_pct = dt > 0 ? 100.0 * (cpu - last_cpu) / dt : 0;
    s.rss_mb = rss;
    {
      std::lock_guard lock(mu_);
      samples_.push_back(s);
    }
    last_cpu = cpu;
    last_t = now;
  }
}

}  // namespace zkamm::bench
