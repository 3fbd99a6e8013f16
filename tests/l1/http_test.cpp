// The HTTP/JSON-RPC transport against a scripted local server (POSIX sockets): connection reuse,
// reconnecting when the server dropped an idle connection, timeouts, malformed answers.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "l1/rpc_client.hpp"

namespace zkamm::l1 {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

enum class Mode { KeepAlive, CloseAfterEach, Garbage, WrongId, Silent, RpcErrorWithData };

// Serves JSON-RPC on 127.0.0.1:<port> from one thread, one connection at a time.
class ScriptedServer {
 public:
  explicit ScriptedServer(Mode mode) : mode_(mode) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd_, 8);
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~ScriptedServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/rpc"; }
  int connections() const { return connections_; }

 private:
  void serve() {
    while (!stop_) {
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++connections_;
      std::string buf;
      for (;;) {
        const auto body = read_request(c, buf);
        if (!body) break;
        if (mode_ == Mode::Silent) {
          while (!stop_) std::this_thread::sleep_for(10ms);
          break;
        }
        const json req = json::parse(*body, nullptr, false);
        json res = {{"jsonrpc", "2.0"}, {"id", req.value("id", 0)}, {"result", "0x7a69"}};
        if (mode_ == Mode::WrongId) res["id"] = req.value("id", 0) + 1;
        if (mode_ == Mode::RpcErrorWithData) {
          res.erase("result");
          res["error"] = {{"code", 3}, {"message", "execution reverted"}, {"data", "0x08c379a0"}};
        }
        const std::string out = mode_ == Mode::Garbage ? std::string("<html>oops</html>") : res.dump();
        const std::string http = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                 std::to_string(out.size()) + "\r\n\r\n" + out;
        if (write(c, http.data(), http.size()) < 0) break;
        // No "Connection: close" header: like a server whose idle timer fired.
        if (mode_ == Mode::CloseAfterEach) break;
      }
      close(c);
    }
  }

  // One request body (Content-Length framing); nullopt when the peer closed.
  static std::optional<std::string> read_request(int c, std::string& buf) {
    for (;;) {
      const size_t head_end = buf.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        const size_t cl = buf.find("Content-Length: ");
        const size_t cl2 = buf.find("content-length: ");
        const size_t at = cl != std::string::npos ? cl : cl2;
        const size_t len = at == std::string::npos ? 0 : std::stoul(buf.substr(at + 16));
        if (buf.size() >= head_end + 4 + len) {
          std::string body = buf.substr(head_end + 4, len);
          buf.erase(0, head_end + 4 + len);
          return body;
        }
      }
      char tmp[4096];
      const ssize_t n = read(c, tmp, sizeof tmp);
      if (n <= 0) return std::nullopt;
      buf.append(tmp, static_cast<size_t>(n));
    }
  }

  Mode mode_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
};

TEST(Http, ParsesUrls) {
  auto ep = parse_http_url("http://127.0.0.1:8545");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, 8545);
  EXPECT_EQ(ep->target, "/");
  ep = parse_http_url("http://node.example/v1/key");
  ASSERT_TRUE(ep.has_value());
  EXPECT_EQ(ep->port, 80);
  EXPECT_EQ(ep->target, "/v1/key");
  for (const char* bad : {"https://a:1", "127.0.0.1:8545", "http://", "http://:8545", "http://a:0", "http://a:65536",
                          "http://a:8x", "http://a:"}) {
    EXPECT_FALSE(parse_http_url(bad).has_value()) << bad;
  }
}

TEST(Http, ReusesOneKeptAliveConnection) {
  ScriptedServer server(Mode::KeepAlive);
  auto rpc = RpcClient::create(server.url(), 5s);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(*rpc->chain_id(), 31337u);
  EXPECT_EQ(server.connections(), 1);
}

TEST(Http, ReconnectsWhenTheServerDroppedTheConnection) {
  ScriptedServer server(Mode::CloseAfterEach);
  auto rpc = RpcClient::create(server.url(), 5s);
  for (int i = 0; i < 4; ++i) {
    const auto r = rpc->chain_id();
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, 31337u);
  }
  EXPECT_EQ(server.connections(), 4);
}

TEST(Http, SharedClientAcrossThreads) {
  ScriptedServer server(Mode::KeepAlive);
  auto rpc = RpcClient::create(server.url(), 5s);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) ok += rpc->chain_id().ok() ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 100);
}

TEST(Http, TimesOutOnASilentServer) {
  ScriptedServer server(Mode::Silent);
  auto rpc = RpcClient::create(server.url(), 300ms);
  const auto r = rpc->block_number();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, RpcErrorKind::Transport);
  EXPECT_TRUE(r.error().message_contains("timeout") || r.error().message_contains("timed out")) << r.error().message;
}

TEST(Http, RejectsMalformedAnswers) {
  {
    ScriptedServer server(Mode::Garbage);
    const auto r = RpcClient::create(server.url(), 5s)->chain_id();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RpcErrorKind::BadResponse);
  }
  {
    ScriptedServer server(Mode::WrongId);
    const auto r = RpcClient::create(server.url(), 5s)->chain_id();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RpcErrorKind::BadResponse);
  }
  {
    ScriptedServer server(Mode::RpcErrorWithData);
    const auto r = RpcClient::create(server.url(), 5s)->chain_id();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RpcErrorKind::Rpc);
    EXPECT_EQ(r.error().code, 3);
    EXPECT_EQ(r.error().revert_data(), (Bytes{0x08, 0xc3, 0x79, 0xa0}));
  }
  {
    // The answer "0x7a69" is a fine chain id but not a 32-byte hash.
    ScriptedServer server(Mode::KeepAlive);
    const auto r = RpcClient::create(server.url(), 5s)->send_raw_transaction(Bytes{0x02});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, RpcErrorKind::BadResponse);
  }
}

}  // namespace
}  // namespace zkamm::l1
