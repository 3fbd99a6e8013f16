#pragma once
// What the web explorer (docs/EXPLORER.md) shows of settlement, which the node cannot know (it
// knows neither prover nor L1): each batch's proving time and L1 gas, the prover's queue, and
// the hard latency (RPC receipt to finalized on L1) of recently finalized transactions. The
// operator builds one over its prover and sender and hands hooks() to the RPC service
// (node::rpc::Service::set_explorer_hooks).
#include <cstdint>
#include <deque>
#include <mutex>

#include <nlohmann/json.hpp>

#include "node/node.hpp"
#include "node/rpc_explorer.hpp"
#include "settle/l1_sender.hpp"
#include "settle/prover.hpp"

namespace zkamm::settle {

class ExplorerFeed {
 public:
  /// Subscribes to the sender's stages: construct before sender.start(). node, prover and
  /// sender outlive the feed, and the feed outlives the sender's worker and the RPC service.
  ExplorerFeed(node::Node& node, Prover& prover, L1Sender& sender);
  ExplorerFeed(const ExplorerFeed&) = delete;
  ExplorerFeed& operator=(const ExplorerFeed&) = delete;

  node::rpc::ExplorerHooks hooks();
  /// {"closed","proved" (ms),"witness_ms","prove_ms","gas_commit","gas_prove","gas_execute",
  /// "gas_settle" (this batch's share of a commitProveExecute)}; the prover's part once proven,
  /// the gas once this process sent the step (0 after a restart).
  nlohmann::json batch(uint64_t n) const;
  /// {"prover":{"last_proved","queue","last_prove_ms","last_witness_ms"},"hard_latency_ms":
  /// {"count","p50","p99","max","window_ms"},"l1_error","prover_error"}
  nlohmann::json metrics() const;

  static constexpr node::TimeMs kHardWindowMs = 60'000;

 private:
  void on_executed(uint64_t n, node::TimeMs at);

  node::Node& node_;
  Prover& prover_;
  L1Sender& sender_;
  mutable std::mutex mu_;
  struct Sample {
    node::TimeMs at = 0;
    double ms = 0;
  };
  std::deque<Sample> hard_;  // the window's, at most kMaxSamples
  static constexpr std::size_t kMaxSamples = 50'000;
};

}  // namespace zkamm::settle
