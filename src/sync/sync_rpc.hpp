#pragma once
// The replica's read-only JSON-RPC (docs/API.md, docs/SYNC.md), on the node's HTTP server and
// dispatcher: zkamm_status, zkamm_getAccount, zkamm_getPool, zkamm_getBatch, zkamm_getExitProof
// (the node's JSON shape, so `zkamm wallet exit-proof --url` works against a replica),
// zkamm_chainId and zkamm_domain, and for the web explorer (served on GET /) zkamm_getBatches
// and zkamm_getPools. Every answer is O(tree depth) at most and takes the replica's
// shared lock only; nothing here writes.
#include <functional>
#include <memory>
#include <string>

#include "node/http_server.hpp"
#include "node/rpc_jsonrpc.hpp"
#include "sync/replica.hpp"

namespace zkamm::sync {

/// Extra status fields from the follower (L1 head, its error).
using StatusExtra = std::function<nlohmann::json()>;

/// Registers the methods on `d`. The replica outlives the dispatcher.
void add_sync_methods(node::rpc::Dispatcher& d, const Replica& replica, StatusExtra extra = {});

class SyncService {
 public:
  SyncService(const Replica& replica, node::http::ServerConfig cfg, StatusExtra extra = {});
  ~SyncService();
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;
  bool start(std::string* error);
  uint16_t port() const noexcept;
  void stop();
  const node::rpc::Dispatcher& dispatcher() const noexcept { return *disp_; }

 private:
  std::shared_ptr<node::rpc::Dispatcher> disp_;
  std::unique_ptr<node::http::Server> server_;
};

}  // namespace zkamm::sync
