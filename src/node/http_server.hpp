#pragma once
// The node's HTTP/1.1 + WebSocket server (Boost.Beast over Asio): JSON-RPC on POST /, WebSocket
// JSON-RPC on GET /ws (Upgrade), and plain GET routes (/metrics, /health). Everything is bounded:
// body size (413), header size, request and idle timeouts, open connections, requests in flight
// (503), WebSocket send queues (a slow client is dropped, never waited for). Binds to 127.0.0.1
// unless told otherwise.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "node/rpc_jsonrpc.hpp"

namespace zkamm::node::metrics {
struct NodeMetrics;
}

namespace zkamm::node::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  uint16_t port = 8545;  ///< 0 picks a free port (see HttpServer::port)
  unsigned threads = 2;  ///< I/O threads
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 << 10;
  std::chrono::milliseconds request_timeout{10'000};  ///< to read one request (headers and body)
  std::chrono::milliseconds idle_timeout{60'000};     ///< keep-alive connection with no request
  std::size_t max_connections = 4096;
  std::size_t max_inflight = 16384;      ///< HTTP requests and WebSocket messages being handled
  std::size_t ws_queue_limit = 4096;     ///< queued outgoing frames per WebSocket before it is dropped
};

struct GetResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct Handlers {
  /// A JSON-RPC payload (POST / or a WebSocket text frame); `done` may run on any thread.
  std::function<void(std::string body, const rpc::CallContext& ctx, std::function<void(std::string)> done)> rpc;
  /// GET routes other than /ws; nullopt-like 404 when status is 404.
  std::function<GetResponse(const std::string& path)> get;
  /// Called once when a WebSocket closes (drop its subscriptions).
  std::function<void(uint64_t peer_id)> ws_closed;
};

class Server {
 public:
  Server(ServerConfig cfg, Handlers handlers, metrics::NodeMetrics* m = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, listens and starts the I/O threads; false and *error on failure (e.g. port in use).
  bool start(std::string* error);
  /// The bound port (after start).
  uint16_t port() const noexcept;
  /// Stops accepting, closes every connection and joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace zkamm::node::http
