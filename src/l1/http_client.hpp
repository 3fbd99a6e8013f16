#pragma once
// A minimal synchronous HTTP/1.1 POST client (Boost.Beast) for JSON-RPC: one keep-alive TCP
// connection, reopened when the server closes it or a reused connection fails, and a timeout on
// every connect/write/read. Not thread-safe: RpcClient serialises calls with a mutex.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace zkamm::l1 {

/// "http://host[:port][/target]" (port 80 when absent, target "/" when absent). No TLS.
struct HttpEndpoint {
  std::string host;
  uint16_t port = 80;
  std::string target = "/";
};
std::optional<HttpEndpoint> parse_http_url(std::string_view url);

enum class HttpErrorKind : uint8_t { None, Connect, Timeout, Io };

struct HttpResult {
  HttpErrorKind error = HttpErrorKind::None;
  std::string error_message;  // empty on success
  unsigned status = 0;        // HTTP status code
  std::string body;
  bool ok() const { return error == HttpErrorKind::None; }
};

class HttpClient {
 public:
  HttpClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// POSTs `body` as application/json to the endpoint's target and returns the response.
  HttpResult post(std::string_view body);
  /// Drops the connection; the next post opens a new one.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkamm::l1
