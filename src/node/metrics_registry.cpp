#include "node/metrics_registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace zkamm::node::metrics {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) noexcept {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (v > 0 && std::isfinite(v))
    sum_micro_.fetch_add(static_cast<uint64_t>(v * 1e6 + 0.5), std::memory_order_relaxed);
}

double Histogram::sum() const noexcept { return static_cast<double>(sum_micro_.load(std::memory_order_relaxed)) / 1e6; }

Counter& CounterFamily::with(const std::string& label_value) {
  std::lock_guard lock(mu_);
  auto& slot = by_label_[label_value];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

std::map<std::string, uint64_t> CounterFamily::snapshot() const {
  std::lock_guard lock(mu_);
  std::map<std::string, uint64_t> out;
  for (const auto& [k, c] : by_label_) out[k] = c->value();
  return out;
}

Counter& Registry::counter(const std::string& name, const std::string& help) {
  auto e = std::make_unique<Entry>(Entry{Kind::kCounter, name, help, {}, std::make_unique<Counter>(), {}, {}, {}});
  Counter& ref = *e->counter;
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(e));
  return ref;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help) {
  auto e = std::make_unique<Entry>(Entry{Kind::kGauge, name, help, {}, {}, std::make_unique<Gauge>(), {}, {}});
  Gauge& ref = *e->gauge;
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(e));
  return ref;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> bounds) {
  auto e = std::make_unique<Entry>(
      Entry{Kind::kHistogram, name, help, {}, {}, {}, std::make_unique<Histogram>(std::move(bounds)), {}});
  Histogram& ref = *e->histogram;
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(e));
  return ref;
}

CounterFamily& Registry::counter_family(const std::string& name, const std::string& label, const std::string& help) {
  auto e = std::make_unique<Entry>(
      Entry{Kind::kFamily, name, help, label, {}, {}, {}, std::make_unique<CounterFamily>()});
  CounterFamily& ref = *e->family;
  std::lock_guard lock(mu_);
  entries_.push_back(std::move(e));
  return ref;
}

namespace {

std::string fmt_double(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

/// Label values are escaped as the exposition format requires (backslash, quote, newline).
std::string escape_label(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out.reserve(4096);
  for (const auto& e : entries_) {
    out += "# HELP " + e->name + " " + e->help + "\n";
    switch (e->kind) {
      case Kind::kCounter:
        out += "# TYPE " + e->name + " counter\n" + e->name + " " + std::to_string(e->counter->value()) + "\n";
        break;
      case Kind::kGauge:
        out += "# TYPE " + e->name + " gauge\n" + e->name + " " + std::to_string(e->gauge->value()) + "\n";
        break;
      case Kind::kFamily:
        out += "# TYPE " + e->name + " counter\n";
        for (const auto& [k, v] : e->family->snapshot())
          out += e->name + "{" + e->label + "=\"" + escape_label(k) + "\"} " + std::to_string(v) + "\n";
        break;
      case Kind::kHistogram: {
        const Histogram& h = *e->histogram;
        out += "# TYPE " + e->name + " histogram\n";
        uint64_t cumulative = 0;
        for (std::size_t i = 0; i < h.bounds().size(); ++i) {
          cumulative += h.bucket(i);
          out += e->name + "_bucket{le=\"" + fmt_double(h.bounds()[i]) + "\"} " + std::to_string(cumulative) + "\n";
        }
        cumulative += h.bucket(h.bounds().size());
        out += e->name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
        out += e->name + "_sum " + fmt_double(h.sum()) + "\n";
        out += e->name + "_count " + std::to_string(cumulative) + "\n";
        break;
      }
    }
  }
  return out;
}

namespace {
const std::vector<double> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                             0.1,    0.25,  0.5,    1,     2.5,  5,    10};
const std::vector<double> kFillBuckets = {0, 1, 4, 16, 64, 256, 1024, 4096, 16384};
}  // namespace

NodeMetrics::NodeMetrics(Registry& r)
    : txs_received(r.counter("zkamm_txs_received_total", "Transactions received over RPC")),
      txs_accepted(r.counter("zkamm_txs_accepted_total", "Transactions accepted into the mempool")),
      txs_rejected(r.counter_family("zkamm_txs_rejected_total", "code", "Transactions rejected, by reject code")),
      txs_soft(r.counter("zkamm_txs_soft_total", "Transactions that reached soft finality")),
      blocks(r.counter("zkamm_blocks_total", "L2 blocks sealed")),
      batches(r.counter("zkamm_batches_total", "Batches closed")),
      mempool_size(r.gauge("zkamm_mempool_size", "Transactions in the mempool")),
      head_block(r.gauge("zkamm_head_block", "Number of the latest sealed L2 block")),
      rpc_inflight(r.gauge("zkamm_rpc_inflight", "HTTP requests being processed")),
      connections(r.gauge("zkamm_rpc_connections", "Open HTTP and WebSocket connections")),
      ws_dropped(r.counter("zkamm_ws_dropped_total", "WebSocket clients dropped for a full send queue")),
      conn_evicted(r.counter("zkamm_rpc_evicted_total", "Idle connections closed to make room for a new client")),
      conn_refused(r.counter("zkamm_rpc_refused_total", "Connections refused at the connection caps")),
      slow_dropped(r.counter("zkamm_rpc_slow_readers_dropped_total", "HTTP clients dropped for not reading their response")),
      buffered_bytes(r.gauge("zkamm_rpc_buffered_bytes", "Response bytes held in memory")),
      buffered_peak(r.gauge("zkamm_rpc_buffered_bytes_peak", "Most response bytes held in memory at once")),
      heavy_load(r.gauge("zkamm_rpc_heavy_calls", "Heavy JSON-RPC calls queued or running on the worker pool")),
      soft_latency(r.histogram("zkamm_soft_latency_seconds", "Time from submission to soft finality", kLatencyBuckets)),
      block_fill(r.histogram("zkamm_block_fill", "Transactions per sealed L2 block", kFillBuckets)),
      rpc_latency(r.histogram("zkamm_rpc_latency_seconds", "HTTP request handling time", kLatencyBuckets)),
      batcher_backlog(r.gauge("zkamm_batcher_backlog_batches", "Batches of soft transactions waiting for the batcher")) {}

}  // namespace zkamm::node::metrics
