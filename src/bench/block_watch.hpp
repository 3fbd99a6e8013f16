#pragma once
// Soft-finality observer: subscribes to the node's newBlocks WebSocket feed (GET /ws,
// zkamm_subscribe "newBlocks"); the time a block's notification arrives is the soft time of its
// transactions as a client sees it. A fetcher thread reads each announced block's tx hashes
// (zkamm_getBlock) and stamps the bench's swaps. Without a WebSocket it polls zkamm_getBlock.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench/http_load.hpp"
#include "node/node.hpp"

namespace zkamm::bench {

struct HashHasher {
  std::size_t operator()(const node::Hash& h) const noexcept {
    std::size_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | h[static_cast<std::size_t>(i)];
    return v;
  }
};
using HashIndex = std::unordered_map<node::Hash, uint32_t, HashHasher>;

struct BlockSeen {
  uint64_t number = 0;
  int64_t seen_ns = 0;        ///< relative to the run's t0
  uint64_t timestamp_ms = 0;  ///< the node's block time
  uint32_t tx_count = 0;
  uint32_t ours = 0;          ///< txs of this run in the block
};

/// Soft stamps shared with the run: soft_ns[i] (-1 until soft) and block[i].
struct SoftStamps {
  explicit SoftStamps(std::size_t n) : soft_ns(n), block(n) {
    for (auto& s : soft_ns) s.store(-1);
    for (auto& b : block) b.store(0);
  }
  std::vector<std::atomic<int64_t>> soft_ns;
  std::vector<std::atomic<uint64_t>> block;
  std::atomic<uint64_t> count{0};
};

class BlockWatcher {
 public:
  /// Watches blocks > after_block. `index` maps tx hash -> swap index; both outlive the watcher.
  BlockWatcher(node::rpc::Endpoint ep, SteadyClock::time_point t0, uint64_t after_block, const HashIndex& index,
               SoftStamps& stamps);
  ~BlockWatcher();
  BlockWatcher(const BlockWatcher&) = delete;
  BlockWatcher& operator=(const BlockWatcher&) = delete;

  /// Connects the WebSocket (falls back to polling when that fails) and starts the threads.
  void start();
  /// Reads the blocks up to the node's head, then stops the threads. Idempotent.
  void stop();
  bool websocket() const noexcept { return ws_ok_; }
  std::vector<BlockSeen> blocks() const;

  struct Ws;

 private:
  void fetcher();
  void fetch_upto(uint64_t number, int64_t seen_ns);
  int64_t now_ns() const;

  node::rpc::Endpoint ep_;
  SteadyClock::time_point t0_;
  uint64_t next_;
  const HashIndex& index_;
  SoftStamps& stamps_;
  std::unique_ptr<Ws> ws_;
  bool ws_ok_ = false;
  std::unique_ptr<node::rpc::Client> client_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<uint64_t, int64_t>> events_;
  bool stop_ = false;
  std::vector<BlockSeen> blocks_;
  std::thread fetch_thread_;
};

}  // namespace zkamm::bench
