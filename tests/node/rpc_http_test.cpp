// The HTTP/WebSocket server on its own (a stub JSON-RPC handler): limits (body size, connection
// count, requests in flight, WebSocket send queue), keep-alive, routing, and that a misbehaving
// client never takes the server down.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "node/http_server.hpp"
#include "node/metrics_registry.hpp"
#include "node/rpc_client.hpp"

namespace zkamm::node::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using rpc::json;

struct Stub {
  metrics::Registry reg;
  metrics::NodeMetrics m{reg};
  rpc::Dispatcher disp;
  std::mutex mu;
  std::vector<std::function<void(std::string)>> held;  ///< "hold" calls complete only when released
  std::unique_ptr<Server> server;

  explicit Stub(ServerConfig cfg) {
    cfg.host = "127.0.0.1";
    cfg.port = 0;
    disp.add_sync("ping", [](const json&, const rpc::CallContext&) { return json("pong"); });
    disp.add_sync("flood", [](const json&, const rpc::CallContext& ctx) {
      for (int i = 0; i < 100000 && ctx.peer && ctx.peer->is_open(); ++i) ctx.peer->send_text(std::string(1024, 'x'));
      return json(true);
    });
    Handlers h;
    h.rpc = [this](std::string body, const rpc::CallContext& ctx, std::function<void(std::string)> done) {
      if (body.find("\"hold\"") != std::string::npos) {
        std::lock_guard lock(mu);
        held.push_back(std::move(done));
        return;
      }
      disp.handle(body, ctx, std::move(done));
    };
    h.get = [this](const std::string& path) -> GetResponse {
      if (path == "/metrics") return {200, "text/plain", reg.render()};
      return {404, "text/plain", "not found\n"};
    };
    server = std::make_unique<Server>(cfg, std::move(h), &m);
    std::string err;
    EXPECT_TRUE(server->start(&err)) << err;
  }
  rpc::Endpoint ep() const { return rpc::Endpoint{"127.0.0.1", server->port()}; }
};

const std::string kPing = R"({"jsonrpc":"2.0","id":1,"method":"ping"})";

TEST(RpcHttp, KeepAliveRoutesAndMethods) {
  Stub s(ServerConfig{});
  rpc::Client c(s.ep());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.call("ping"), "pong");  // one connection, keep-alive
  EXPECT_EQ(c.get("/nope").first, 404u);
  EXPECT_EQ(c.get("/metrics").first, 200u);
  EXPECT_NE(c.get("/metrics").second.find("zkamm_rpc_latency_seconds_count"), std::string::npos);
  EXPECT_EQ(c.post(R"({"jsonrpc":"2.0","method":"ping"})").first, 204u);  // notification
  auto [status, body] = c.post("{not json");
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(json::parse(body)["error"]["code"], rpc::code::kParseError);
}

TEST(RpcHttp, BodyOverTheLimitIs413AndTheServerStaysUp) {
  ServerConfig cfg;
  cfg.body_limit = 4096;
  Stub s(cfg);
  rpc::Client c(s.ep());
  auto [status, body] = c.post(std::string(5000, ' ') + kPing);
  EXPECT_EQ(status, 413u);
  EXPECT_EQ(json::parse(body)["error"]["code"], rpc::code::kTooLarge);
  EXPECT_EQ(c.call("ping"), "pong");
}

TEST(RpcHttp, MalformedHttpGets400) {
  Stub s(ServerConfig{});
  net::io_context ioc;
  tcp::socket sock(ioc);
  sock.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.server->port()));
  net::write(sock, net::buffer(std::string("GARBAGE / HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n")));
  std::string got;
  beast::error_code ec;
  char buf[1024];
  for (std::size_t n; (n = sock.read_some(net::buffer(buf), ec)) > 0 && !ec;) got.append(buf, n);
  EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << got;
  rpc::Client c(s.ep());
  EXPECT_EQ(c.call("ping"), "pong");
}

TEST(RpcHttp, ConnectionLimitRefusesExtraConnections) {
  ServerConfig cfg;
  cfg.max_connections = 2;
  Stub s(cfg);
  rpc::Client a(s.ep()), b(s.ep());
  EXPECT_EQ(a.call("ping"), "pong");
  EXPECT_EQ(b.call("ping"), "pong");
  rpc::Client third(s.ep(), std::chrono::seconds(5));
  EXPECT_THROW(third.call("ping"), rpc::TransportError);
  EXPECT_EQ(a.call("ping"), "pong");
}

TEST(RpcHttp, InflightLimitAnswers503) {
  ServerConfig cfg;
  cfg.max_inflight = 1;
  Stub s(cfg);
  std::thread holder([&] {
    rpc::Client c(s.ep());
    auto [status, body] = c.post(R"({"jsonrpc":"2.0","id":1,"method":"hold"})");
    EXPECT_EQ(status, 200u);
    EXPECT_EQ(body, "released");
  });
  for (int i = 0; i < 500; ++i) {
    std::lock_guard lock(s.mu);
    if (!s.held.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  rpc::Client c(s.ep());
  auto [status, body] = c.post(kPing);
  EXPECT_EQ(status, 503u);
  EXPECT_EQ(json::parse(body)["error"]["code"], rpc::code::kOverloaded);
  {
    std::lock_guard lock(s.mu);
    ASSERT_EQ(s.held.size(), 1u);
    s.held[0]("released");
  }
  holder.join();
  EXPECT_EQ(c.call("ping"), "pong");
}

TEST(RpcHttp, SlowWebSocketClientIsDroppedNotWaitedFor) {
  ServerConfig cfg;
  cfg.ws_queue_limit = 16;
  Stub s(cfg);
  net::io_context ioc;
  beast::websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.server->port()));
  ws.handshake("127.0.0.1", "/ws");
  ws.write(net::buffer(std::string(R"({"jsonrpc":"2.0","id":1,"method":"flood"})")));
  // The server queues at most 16 frames for us; the flood overflows it and the server drops us.
  beast::flat_buffer buf;
  beast::error_code ec;
  std::size_t frames = 0;
  while (!ec && frames < 200000) {
    ws.read(buf, ec);
    buf.consume(buf.size());
    if (!ec) ++frames;
  }
  EXPECT_TRUE(ec);
  EXPECT_LT(frames, 100000u);
  EXPECT_EQ(s.m.ws_dropped.value(), 1u);
  rpc::Client c(s.ep());
  EXPECT_EQ(c.call("ping"), "pong");
}

TEST(RpcHttp, WebSocketCarriesJsonRpcAndUnknownPathsAre404) {
  Stub s(ServerConfig{});
  net::io_context ioc;
  beast::websocket::stream<tcp::socket> ws(ioc);
  ws.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.server->port()));
  ws.handshake("127.0.0.1", "/ws");
  ws.write(net::buffer(kPing));
  beast::flat_buffer buf;
  ws.read(buf);
  EXPECT_EQ(json::parse(beast::buffers_to_string(buf.data()))["result"], "pong");
  ws.close(beast::websocket::close_code::normal);

  beast::websocket::stream<tcp::socket> bad(ioc);
  bad.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), s.server->port()));
  beast::error_code ec;
  bad.handshake("127.0.0.1", "/elsewhere", ec);
  EXPECT_TRUE(ec);
}

TEST(RpcHttp, StopClosesEverythingAndIsIdempotent) {
  Stub s(ServerConfig{});
  rpc::Client c(s.ep());
  EXPECT_EQ(c.call("ping"), "pong");
  s.server->stop();
  s.server->stop();
  EXPECT_THROW(c.call("ping"), rpc::TransportError);
}

// The load generator (zkamm rpc-bench): the connections are opened before the timed window, so
// the first requests do not wait behind TCP handshakes; each reply carries its scheduled send
// time, and paced requests are scheduled at i / rate.
TEST(RpcHttp, LoadGeneratorConnectsBeforeTheWindowAndTimesFromTheSchedule) {
  Stub s(ServerConfig{});
  rpc::LoadConfig lc;
  lc.ep = s.ep();
  lc.connections = 8;
  lc.rate = 400;
  std::vector<std::string> bodies(40, kPing);
  const rpc::LoadResult r = rpc::run_load(lc, bodies, true);
  EXPECT_EQ(r.sent, 40u);
  EXPECT_EQ(r.ok_http, 40u);
  EXPECT_EQ(r.failed, 0u);
  ASSERT_EQ(r.latency_ms.size(), 40u);
  ASSERT_EQ(r.intended_s.size(), 40u);
  EXPECT_GE(r.connect_seconds, 0.0);
  std::vector<double> intended = r.intended_s;
  std::sort(intended.begin(), intended.end());
  for (std::size_t i = 0; i < intended.size(); ++i) EXPECT_NEAR(intended[i], static_cast<double>(i) / 400.0, 1e-6);
  for (const double ms : r.latency_ms) EXPECT_GE(ms, 0.0);
  for (const auto& b : r.bodies) EXPECT_EQ(json::parse(b)["result"], "pong");
  // 40 requests at 400/s take at least the 97.5 ms of their schedule.
  EXPECT_GE(r.seconds, 0.0975);
}

}  // namespace
}  // namespace zkamm::node::http
