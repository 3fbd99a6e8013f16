#pragma once
// The read methods the web explorer (docs/EXPLORER.md) needs beyond the point reads of
// rpc_service: lists of the latest blocks and batches, every pool, a pool's recent swaps and a
// snapshot of live figures (soft TPS, soft latency, block fill, mempool, batcher backlog). The
// feed keeps the recent blocks, latencies and swaps it needs in bounded rings, fed by the
// service's on_block. What only the settlement layer knows (proving times, L1 gas, hard
// latency, the prover's queue) comes from ExplorerHooks, set by a layer above the node
// (settle::Operator): the node knows neither prover nor L1.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include <nlohmann/json.hpp>

#include "node/metrics_registry.hpp"
#include "node/node.hpp"
#include "node/rpc_jsonrpc.hpp"

namespace zkamm::node::rpc {

/// Set by the layer that runs the prover and the L1 sender; either may be empty.
struct ExplorerHooks {
  /// Settlement facts of batch n (proving time, L1 gas ...), shown as the batch's "settle".
  std::function<nlohmann::json(uint64_t batch)> batch;
  /// Live settlement figures (prover queue, hard latency ...), shown as zkamm_metrics' "settle".
  std::function<nlohmann::json()> metrics;
};

class ExplorerFeed : public std::enable_shared_from_this<ExplorerFeed> {
 public:
  ExplorerFeed(Node& node, const metrics::NodeMetrics& m) : node_(node), m_(m) {}

  /// A sealed block, with the soft latencies (seconds) of its txs received through this RPC.
  void on_block(const Block& b, std::span<const double> soft_latency_s);
  /// Precondition: before the service starts.
  void set_hooks(ExplorerHooks h) { hooks_ = std::move(h); }
  /// zkamm_getBlocks, zkamm_getBatches, zkamm_getPools, zkamm_getPoolSwaps, zkamm_metrics.
  void add_methods(Dispatcher& d);

  /// The zkamm_metrics answer at time now_ms (ms since the epoch).
  nlohmann::json metrics(TimeMs now_ms) const;
  /// One batch's summary for zkamm_getBatches (and the "settle" part of zkamm_getBatch).
  nlohmann::json batch_summary(const Batch& b) const;
  nlohmann::json settle_of(uint64_t batch) const;

  static constexpr TimeMs kWindowMs = 5000;       ///< the live figures' window
  /// Blocks or batches per call: each is a whole-record read, like zkamm_getBlock/getBatch (8
  /// units), so one list call costs what 32 of those would (kListCost).
  static constexpr std::size_t kMaxList = 32;
  static constexpr std::size_t kListCost = 8 * kMaxList;
  static constexpr std::size_t kSwapsPerPool = 25;

 private:
  struct BlockSample {
    TimeMs at = 0;  ///< when the service saw it sealed
    uint32_t txs = 0;
  };
  struct LatencySample {
    TimeMs at = 0;
    double seconds = 0;
  };
  struct Swap {
    uint64_t block = 0;
    TimeMs time = 0;
    Hash hash{};
    uint32_t account = 0;
    uint16_t token_in = 0, token_out = 0;
    tx::Amount amount_in = 0, amount_out = 0;
  };

  Node& node_;
  const metrics::NodeMetrics& m_;
  ExplorerHooks hooks_;
  mutable std::mutex mu_;
  std::deque<BlockSample> blocks_;       // the window's blocks
  std::deque<LatencySample> latencies_;  // the window's soft latencies, at most kMaxLatencies
  std::map<uint16_t, std::deque<Swap>> swaps_;  // by the pool's LP token, newest last
  static constexpr std::size_t kMaxLatencies = 20000;
  static constexpr std::size_t kMaxPoolsTracked = 1024;
};

}  // namespace zkamm::node::rpc
