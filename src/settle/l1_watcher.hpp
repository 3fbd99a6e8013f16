#pragma once
// The L1 watcher: reads ZkammRollup's TokenAdded and PriorityOpQueued logs once they have
// `confirmations` blocks (an event in block b has head - b + 1), in (block, log index) order,
// and hands them to the node: add_token, and submit_priority for CreateAccount / Deposit /
// FullExit with their L1 serials. It remembers the last processed block (number and hash) and
// checks that block's hash on every poll, so a reorg at or below it (deeper than the
// confirmations allow) is detected and halts the watcher instead of silently diverging.
// Delivery is idempotent: serials below the node's next_priority_serial() and token ids the node
// already has are skipped, so after a restart it resumes from the node's state.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "l1/rpc_client.hpp"
#include "node/node.hpp"

namespace zkamm::settle {

/// Where the watcher's events go (node_sink() adapts a node::Node).
struct WatcherSink {
  /// The node's next expected serial.
  std::function<uint64_t()> next_priority_serial;
  /// Registers token `id` with L1 address `addr`; "" on success (also when already known with
  /// that address), else the error.
  std::function<std::string(uint16_t id, const l1::Address& addr)> add_token;
  /// Submits a priority op (its serial == next_priority_serial()); "" on success.
  std::function<std::string(const tx::Tx& op)> submit_priority;
};

WatcherSink node_sink(node::Node& node);

struct WatcherConfig {
  l1::Address rollup{};
  uint64_t confirmations = 1;          ///< >= 1
  uint64_t from_block = 0;             ///< first block to scan (the rollup's deployment block)
  uint64_t max_range = 2000;           ///< blocks per eth_getLogs
  std::chrono::milliseconds poll_interval{250};
};

struct WatcherStats {
  uint64_t tokens = 0, priority_ops = 0, skipped = 0;
  uint64_t last_block = 0;     ///< highest block whose events were all delivered (from_block - 1 at start)
  l1::Bytes32 last_hash{};
};

/// A priority op rebuilt from a PriorityOpQueued log; nullopt for an unknown op type.
std::optional<tx::Tx> priority_op_from_log(const l1::Log& log);

class L1Watcher {
 public:
  /// rpc outlives the watcher.
  L1Watcher(l1::RpcClient& rpc, WatcherSink sink, WatcherConfig cfg);
  ~L1Watcher();
  L1Watcher(const L1Watcher&) = delete;
  L1Watcher& operator=(const L1Watcher&) = delete;

  /// One round: delivers the events of newly confirmed blocks. Returns how many were delivered,
  /// or the error (a reorg below the processed block, an event the sink refused, L1 down).
  l1::Result<size_t> poll_once();
  /// Polls on a thread until stop() or an error other than a transport error.
  void start();
  void stop();
  WatcherStats stats() const;
  std::string error() const;

 private:
  l1::Result<size_t> deliver(const l1::Log& log);

  l1::RpcClient& rpc_;
  WatcherSink sink_;
  WatcherConfig cfg_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  WatcherStats stats_;
  std::string error_;
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace zkamm::settle
