#pragma once
// JSON-RPC client over HTTP/1.1 (Boost.Beast) for `zkamm wallet` and tests: one keep-alive
// connection, a timeout per call, reconnects when the server closed the connection.
// And the load generator of `zkamm bench rpc`: many keep-alive connections on one io_context
// sending pre-built request bodies at a target rate, recording per-request latency.
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/rpc_jsonrpc.hpp"

namespace zkamm::node::rpc {

struct Endpoint {
  std::string host = "127.0.0.1";
  uint16_t port = 8545;
};
/// "http://HOST:PORT[/]" or "HOST:PORT"; nullopt otherwise (https is not supported).
std::optional<Endpoint> parse_url(const std::string& url);

/// Transport failure (connect, timeout, HTTP status without a JSON-RPC body).
struct TransportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Client {
 public:
  explicit Client(Endpoint ep, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// The result of `method`; throws RpcError for a JSON-RPC error, TransportError otherwise.
  nlohmann::json call(const std::string& method, nlohmann::json params = nlohmann::json::array());
  /// Raw POST / exchange: HTTP status and body.
  std::pair<unsigned, std::string> post(const std::string& body);
  /// POST to another target (etcd's JSON gateway: /v3/kv/txn ...).
  std::pair<unsigned, std::string> post_to(const std::string& target, const std::string& body);
  /// Raw GET.
  std::pair<unsigned, std::string> get(const std::string& target);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct LoadConfig {
  Endpoint ep;
  std::size_t connections = 64;
  double rate = 0;  ///< requests per second over all connections; 0 = as fast as possible
  std::chrono::milliseconds timeout{30000};
  unsigned threads = 1;
};

struct LoadResult {
  std::size_t sent = 0;
  std::size_t ok_http = 0;     ///< HTTP 200 responses
  std::size_t failed = 0;      ///< transport errors or non-200 statuses
  double seconds = 0;          ///< first send to last response
  double connect_seconds = 0;  ///< opening the connections, before the timed window
  std::vector<double> latency_ms;  ///< per completed request, in completion order
  std::vector<double> intended_s;  ///< latency_ms[i]'s scheduled send time, seconds after the start
  std::vector<std::string> bodies; ///< response bodies, indexed like the requests (kept when asked)
};

/// Sends every body once (POST /), spread over the connections, paced at cfg.rate when > 0.
LoadResult run_load(const LoadConfig& cfg, const std::vector<std::string>& bodies, bool keep_bodies);

}  // namespace zkamm::node::rpc
