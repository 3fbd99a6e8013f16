#pragma once
// The node's HTTP/1.1 + WebSocket server (Boost.Beast over Asio): JSON-RPC on POST /, WebSocket
// JSON-RPC on GET /ws (Upgrade), and plain GET routes (/metrics, /health). Everything is bounded:
// body size (413), header size, request and idle timeouts, open connections in all and per IP
// (at a cap the connection idle the longest is closed for the new one, so idle sockets never
// lock clients out), requests in flight (503), WebSocket messages in flight per connection (it
// is not read meanwhile), idle WebSockets (pinged, closed when silent), response bytes per
// connection and in all (a client that does not read is dropped, never buffered for). Binds to
// 127.0.0.1 unless told otherwise.
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
  /// Open connections in all, and from one IP address. At either cap a new connection closes
  /// the connection (of that IP, resp. of anyone) idle the longest; only when none is idle is
  /// the new one refused. Start() raises the open-file limit to fit, or lowers this to fit it.
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_ip = 2048;
  std::size_t max_inflight = 16384;      ///< HTTP requests and WebSocket messages being handled
  std::size_t ws_queue_limit = 4096;     ///< queued outgoing frames per WebSocket before it is dropped
  std::size_t ws_queue_bytes = 16 << 20; ///< queued outgoing bytes per WebSocket before it is dropped
  std::size_t ws_max_inflight = 64;      ///< messages of one WebSocket being handled; it is not read meanwhile
  /// A WebSocket that sends nothing for this long is pinged at half of it and closed at its end
  /// (any client library answers pings by itself).
  std::chrono::milliseconds ws_idle_timeout{60'000};
  /// To write one HTTP response; a client that does not read it in time is dropped.
  std::chrono::milliseconds write_timeout{10'000};
  /// Response bytes held by every connection together (being written or queued, and being
  /// assembled by the dispatcher: Server::budget()). An HTTP response that does not fit is
  /// answered 503 instead; a WebSocket whose frame does not fit is dropped.
  std::size_t max_buffered_bytes = 128 << 20;
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
  /// The response byte budget (ServerConfig::max_buffered_bytes), for the dispatcher to share.
  std::shared_ptr<rpc::ByteBudget> budget() const noexcept;
  /// The connection cap in force (max_connections, lowered to fit the open-file limit).
  std::size_t max_connections() const noexcept;
  /// Stops accepting, closes every connection and joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace zkamm::node::http
