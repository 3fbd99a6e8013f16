#include "node/rpc_client.hpp"

#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace zkamm::node::rpc {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

std::optional<Endpoint> parse_url(const std::string& url) {
  std::string s = url;
  if (s.rfind("http://", 0) == 0) s = s.substr(7);
  else if (s.find("://") != std::string::npos) return std::nullopt;
  while (!s.empty() && s.back() == '/') s.pop_back();
  const auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= s.size() || s.size() - colon - 1 > 5) return std::nullopt;
  unsigned port = 0;
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    port = port * 10 + static_cast<unsigned>(s[i] - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  Endpoint ep;
  ep.host = s.substr(0, colon);
  if (ep.host.size() > 2 && ep.host.front() == '[' && ep.host.back() == ']') ep.host = ep.host.substr(1, ep.host.size() - 2);
  ep.port = static_cast<uint16_t>(port);
  return ep;
}

namespace {
tcp::resolver::results_type resolve(net::io_context& ioc, const Endpoint& ep, beast::error_code& ec) {
  tcp::resolver r(ioc);
  return r.resolve(ep.host, std::to_string(ep.port), ec);
}
}  // namespace

struct Client::Impl {
  Endpoint ep;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  /// Runs one asynchronous operation to completion (the stream's timer bounds it).
  template <class Start>
  beast::error_code run(Start&& start) {
    beast::error_code result = net::error::operation_aborted;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void connect() {
    beast::error_code ec;
    auto results = resolve(ioc, ep, ec);
    if (ec) throw TransportError("cannot resolve " + ep.host + ": " + ec.message());
    stream.emplace(ioc);
    stream->expires_after(timeout);
    ec = run([&](auto&& h) { stream->async_connect(results, h); });
    if (ec) {
      stream.reset();
      throw TransportError("cannot connect to " + ep.host + ":" + std::to_string(ep.port) + ": " + ec.message());
    }
    beast::error_code ignored;
    stream->socket().set_option(tcp::no_delay(true), ignored);
    buffer.clear();
  }

  std::pair<unsigned, std::string> exchange(bhttp::request<bhttp::string_body>& req) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      const bool fresh = !stream;
      if (fresh) connect();
      stream->expires_after(timeout);
      beast::error_code ec = run([&](auto&& h) { bhttp::async_write(*stream, req, h); });
      bhttp::response_parser<bhttp::string_body> parser;
      parser.body_limit(64u << 20);
      if (!ec) ec = run([&](auto&& h) { bhttp::async_read(*stream, buffer, parser, h); });
      if (ec) {
        stream.reset();
        if (!fresh && ec != beast::error::timeout) continue;  // the server closed an idle keep-alive connection
        throw TransportError("HTTP exchange with " + ep.host + ":" + std::to_string(ep.port) + " failed: " +
                             (ec == beast::error::timeout ? std::string("timeout") : ec.message()));
      }
      auto res = parser.release();
      if (!res.keep_alive()) stream.reset();
      return {res.result_int(), std::move(res.body())};
    }
    throw TransportError("HTTP exchange failed");
  }

  bhttp::request<bhttp::string_body> make(bhttp::verb verb, const std::string& target, std::string body) {
    bhttp::request<bhttp::string_body> req{verb, target, 11};
    req.set(bhttp::field::host, ep.host);
    req.set(bhttp::field::user_agent, "zkamm");
    if (verb == bhttp::verb::post) req.set(bhttp::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }
};

Client::Client(Endpoint ep, std::chrono::milliseconds timeout) : impl_(std::make_unique<Impl>()) {
  impl_->ep = std::move(ep);
  impl_->timeout = timeout;
}
Client::~Client() = default;

std::pair<unsigned, std::string> Client::post(const std::string& body) { return post_to("/", body); }

std::pair<unsigned, std::string> Client::post_to(const std::string& target, const std::string& body) {
  auto req = impl_->make(bhttp::verb::post, target, body);
  return impl_->exchange(req);
}

std::pair<unsigned, std::string> Client::get(const std::string& target) {
  auto req = impl_->make(bhttp::verb::get, target, "");
  return impl_->exchange(req);
}

nlohmann::json Client::call(const std::string& method, nlohmann::json params) {
  static std::atomic<uint64_t> next_id{1};
  const nlohmann::json req = {{"jsonrpc", "2.0"}, {"id", next_id++}, {"method", method}, {"params", std::move(params)}};
  auto [status, body] = post(req.dump());
  auto res = nlohmann::json::parse(body, nullptr, false);
  if (res.is_discarded() || !res.is_object())
    throw TransportError("HTTP " + std::to_string(status) + " without a JSON-RPC response");
  if (auto e = res.find("error"); e != res.end() && e->is_object()) {
    const int c = e->value("code", code::kInternal);
    const std::string m = e->value("message", std::string("error"));
    throw RpcError(c, m, e->contains("data") ? (*e)["data"] : nlohmann::json());
  }
  if (!res.contains("result")) throw TransportError("JSON-RPC response without result");
  return res["result"];
}

// ---------------------------------------------------------------------------------------------
// Load generator.

namespace {

struct LoadShared {
  const LoadConfig& cfg;
  const std::vector<std::string>& bodies;
  bool keep_bodies;
  tcp::resolver::results_type endpoints;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> sent{0}, ok{0}, failed{0};
  Clock::time_point t0;
  std::mutex mu;
  std::vector<double> latency_ms;
  std::vector<double> intended_s;
  std::vector<std::string> out_bodies;
  Clock::time_point last_done;
};

class LoadConn : public std::enable_shared_from_this<LoadConn> {
 public:
  LoadConn(net::io_context& ioc, LoadShared& sh) : sh_(sh), stream_(net::make_strand(ioc)), timer_(stream_.get_executor()) {}
  ~LoadConn() {
    std::lock_guard lock(sh_.mu);
    sh_.latency_ms.insert(sh_.latency_ms.end(), lat_.begin(), lat_.end());
    sh_.intended_s.insert(sh_.intended_s.end(), intended_.begin(), intended_.end());
    if (last_ > sh_.last_done) sh_.last_done = last_;
  }

  /// Opens the connection before the timed window; start() then sends at once (or reconnects).
  void preconnect() {
    stream_.expires_after(sh_.cfg.timeout);
    auto self = shared_from_this();
    stream_.async_connect(sh_.endpoints, [self](beast::error_code ec, const tcp::endpoint&) {
      self->stream_.expires_never();
      if (ec) return;
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->connected_ = true;
    });
  }
  auto executor() { return stream_.get_executor(); }
  void start() {
    if (connected_) return next();
    connect();
  }

 private:
  void connect() {
    stream_.expires_after(sh_.cfg.timeout);
    auto self = shared_from_this();
    stream_.async_connect(sh_.endpoints, [self](beast::error_code ec, const tcp::endpoint&) {
      if (ec) {
        // Count the rest of this connection's share as failed by draining one request.
        const auto i = self->sh_.next.fetch_add(1);
        if (i < self->sh_.bodies.size()) {
          self->sh_.failed++;
          return self->connect();
        }
        return;
      }
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->next();
    });
  }

  void next() {
    const std::size_t i = sh_.next.fetch_add(1);
    if (i >= sh_.bodies.size()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      return;
    }
    index_ = i;
    if (sh_.cfg.rate > 0) {
      sched_ = sh_.t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(double(i) / sh_.cfg.rate));
      if (Clock::now() < sched_) {
        timer_.expires_at(sched_);
        auto self = shared_from_this();
        timer_.async_wait([self](beast::error_code) { self->send(); });
        return;
      }
    } else {
      sched_ = Clock::now();
    }
    send();
  }

  void send() {
    req_ = {bhttp::verb::post, "/", 11};
    req_.set(bhttp::field::host, "127.0.0.1");
    req_.set(bhttp::field::content_type, "application/json");
    req_.keep_alive(true);
    req_.body() = sh_.bodies[index_];
    req_.prepare_payload();
    sh_.sent++;
    stream_.expires_after(sh_.cfg.timeout);
    auto self = shared_from_this();
    bhttp::async_write(stream_, req_, [self](beast::error_code ec, std::size_t) {
      if (ec) return self->fail();
      self->parser_.emplace();
      self->parser_->body_limit(64u << 20);
      bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                        [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) return fail();
    const auto now = Clock::now();
    last_ = now;
    lat_.push_back(std::chrono::duration<double, std::milli>(now - sched_).count());
    intended_.push_back(std::chrono::duration<double>(sched_ - sh_.t0).count());
    auto res = parser_->release();
    if (res.result_int() == 200) sh_.ok++;
    else sh_.failed++;
    if (sh_.keep_bodies) {
      std::lock_guard lock(sh_.mu);
      sh_.out_bodies[index_] = std::move(res.body());
    }
    if (!res.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().close(ignored);
      buffer_.clear();
      return connect();
    }
    next();
  }

  void fail() {
    sh_.failed++;
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    connect();
  }

  LoadShared& sh_;
  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
  std::size_t index_ = 0;
  Clock::time_point sched_{}, last_{};
  std::vector<double> lat_;
  std::vector<double> intended_;
  bool connected_ = false;
};

}  // namespace

LoadResult run_load(const LoadConfig& cfg, const std::vector<std::string>& bodies, bool keep_bodies) {
  net::io_context ioc;
  LoadShared sh{cfg, bodies, keep_bodies, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}};
  beast::error_code ec;
  sh.endpoints = resolve(ioc, cfg.ep, ec);
  if (ec) throw TransportError("cannot resolve " + cfg.ep.host + ": " + ec.message());
  if (keep_bodies) sh.out_bodies.resize(bodies.size());
  const std::size_t n = std::max<std::size_t>(1, std::min(cfg.connections, bodies.size()));
  // The connections are opened before the clock starts, as a server's concurrent clients already
  // are: otherwise the first second measures a burst of n TCP handshakes, not the steady state.
  std::vector<std::shared_ptr<LoadConn>> conns;
  conns.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    conns.push_back(std::make_shared<LoadConn>(ioc, sh));
    conns.back()->preconnect();
  }
  const auto connect_start = Clock::now();
  ioc.run();
  ioc.restart();
  sh.t0 = Clock::now();
  const double connect_seconds = std::chrono::duration<double>(sh.t0 - connect_start).count();
  sh.last_done = sh.t0;
  for (auto& c : conns) net::post(c->executor(), [c] { c->start(); });
  conns.clear();
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::max(1u, cfg.threads); ++t) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  LoadResult r;
  r.sent = sh.sent;
  r.ok_http = sh.ok;
  r.failed = sh.failed;
  r.seconds = std::chrono::duration<double>(sh.last_done - sh.t0).count();
  r.latency_ms = std::move(sh.latency_ms);
  r.intended_s = std::move(sh.intended_s);
  r.connect_seconds = connect_seconds;
  r.bodies = std::move(sh.out_bodies);
  return r;
}

}  // namespace zkamm::node::rpc
