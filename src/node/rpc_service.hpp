#pragma once
// The node's network face: the zkamm_* JSON-RPC methods (docs/API.md) bound to a Node, served
// over HTTP and WebSocket by http::Server, with Prometheus metrics (GET /metrics), a health probe
// (GET /health), WebSocket subscriptions (newBlocks, txStatus) and the web explorer (GET / and
// /explorer/*, src/explorer). The Node must outlive the
// service; stop() (or the destructor) detaches from the Node before returning.
#include <chrono>
#include <memory>
#include <string>

#include "node/http_server.hpp"
#include "node/metrics_registry.hpp"
#include "node/node.hpp"
#include "node/rpc_explorer.hpp"
#include "node/rpc_jsonrpc.hpp"
#include "node/rpc_workers.hpp"

namespace zkamm::node::rpc {

struct ServiceConfig {
  http::ServerConfig server;
  DispatcherLimits limits;
  WorkerLimits workers;  ///< the pool for heavy methods (exit proofs, whole blocks and batches)
  std::chrono::milliseconds sync_default_timeout{5000};  ///< zkamm_sendTransactionSync without a timeout
  std::chrono::milliseconds sync_max_timeout{60000};
  std::size_t max_subscriptions_per_peer = 1024;
};

class Service {
 public:
  Service(Node& node, ServiceConfig cfg);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  /// Starts listening; false and *error on failure.
  bool start(std::string* error);
  uint16_t port() const noexcept;
  void stop();

  /// The JSON-RPC dispatcher (for in-process calls and tests).
  const Dispatcher& dispatcher() const noexcept;
  /// Adds a method served by a layer above the node (e.g. the prover's job board).
  /// Precondition: before start().
  void add_method(std::string name, SyncMethod m);
  /// What the layer that runs prover and L1 sender adds to the explorer's methods
  /// (rpc_explorer.hpp). Precondition: before start().
  void set_explorer_hooks(ExplorerHooks hooks);
  metrics::Registry& registry() noexcept;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace zkamm::node::rpc
