#pragma once
// Prometheus metrics of the node (text exposition format 0.0.4): lock-free counters, gauges and
// fixed-bucket histograms, plus labelled counter families. Every update is a relaxed atomic add,
// so the sequencer and the RPC threads update them without contention; render() takes a
// consistent-enough snapshot for scraping (Prometheus tolerates skew between series).
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace zkamm::node::metrics {

class Counter {
 public:
  void inc(uint64_t n = 1) noexcept { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void set(int64_t v) noexcept { v_.store(v, std::memory_order_relaxed); }
  void add(int64_t d) noexcept { v_.fetch_add(d, std::memory_order_relaxed); }
  int64_t value() const noexcept { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

/// Cumulative histogram with fixed upper bounds (ascending); observations are doubles.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v) noexcept;
  const std::vector<double>& bounds() const noexcept { return bounds_; }
  /// Non-cumulative count of bucket i (i == bounds().size() is +Inf).
  uint64_t bucket(std::size_t i) const noexcept { return counts_[i].load(std::memory_order_relaxed); }
  uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micro_{0};  ///< sum * 1e6, so the sum stays an atomic integer
};

/// Counters keyed by one label value (e.g. reject code); a new value takes a mutex once.
class CounterFamily {
 public:
  Counter& with(const std::string& label_value);
  std::map<std::string, uint64_t> snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Counter>> by_label_;
};

/// Registry: owns the metrics it creates; references stay valid for its lifetime.
class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help);
  Gauge& gauge(const std::string& name, const std::string& help);
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds);
  CounterFamily& counter_family(const std::string& name, const std::string& label, const std::string& help);

  /// Prometheus text format, metrics in registration order.
  std::string render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram, kFamily };
  struct Entry {
    Kind kind;
    std::string name, help, label;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    std::unique_ptr<CounterFamily> family;
  };
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

/// The node's metrics (names documented in docs/API.md).
struct NodeMetrics {
  explicit NodeMetrics(Registry& r);
  Counter& txs_received;
  Counter& txs_accepted;
  CounterFamily& txs_rejected;  ///< label "code"
  Counter& txs_soft;
  Counter& blocks;
  Counter& batches;
  Gauge& mempool_size;
  Gauge& head_block;
  Gauge& rpc_inflight;
  Gauge& connections;
  Counter& ws_dropped;
  Counter& conn_evicted;    ///< idle connections closed to make room for a new one
  Counter& conn_refused;    ///< connections refused (caps reached, nothing idle to close)
  Counter& slow_dropped;    ///< HTTP clients that did not read their response in time
  Gauge& buffered_bytes;    ///< response bytes held (set at scrape)
  Gauge& buffered_peak;     ///< the most response bytes ever held at once (set at scrape)
  Gauge& heavy_load;        ///< heavy calls queued or running (set at scrape)
  Histogram& soft_latency;  ///< seconds, submission to soft
  Histogram& block_fill;    ///< transactions per block
  Histogram& rpc_latency;   ///< seconds per HTTP request
  Gauge& batcher_backlog;   ///< NodeStatus::batcher_backlog_batches (set at scrape)
};

}  // namespace zkamm::node::metrics
