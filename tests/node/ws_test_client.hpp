#pragma once
// A blocking WebSocket client for the node's tests. Beast's websocket stream is the costliest
// template in the tree to compile (a minute per translation unit under ASan); the tests reach it
// through this one file instead of instantiating it in each of theirs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace zkamm::testing {

class WsClient {
 public:
  WsClient();
  ~WsClient();
  WsClient(WsClient&&) noexcept;
  WsClient& operator=(WsClient&&) noexcept;

  /// Connects to 127.0.0.1:port and upgrades at `target`; on failure, the reason.
  std::optional<std::string> connect(uint16_t port, std::string_view target = "/ws");
  /// One text frame; throws on a transport error.
  void write(std::string_view text);
  /// The next message; throws on a transport error or a close.
  std::string read();
  /// The next message, or nothing once the connection failed or closed.
  std::optional<std::string> try_read();
  /// A normal close handshake.
  void close();
  /// The TCP socket's descriptor, to watch the raw connection (e.g. for the server's EOF).
  int native_handle();
  /// Keeps one read pending on a thread of its own, so the client answers the server's pings
  /// as a client library that reads would; until stop_reading() (or destruction).
  void start_reading();
  void stop_reading();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zkamm::testing
