#include "bench/http_load.hpp"

#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace zkamm::bench {
namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Shared {
  const LoadOptions& opt;
  const std::vector<HttpRequest>& requests;
  std::vector<HttpReply>& replies;
  tcp::resolver::results_type endpoints;
  SteadyClock::time_point t0;
  LoadProgress* progress;
  int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0).count();
  }
};

/// One connection working through its queue; it owns the reply slots of its queue's indices.
class Conn : public std::enable_shared_from_this<Conn> {
 public:
  Conn(net::io_context& ioc, Shared& sh, const std::vector<uint32_t>& queue)
      : sh_(sh), queue_(queue), stream_(net::make_strand(ioc)), timer_(stream_.get_executor()) {}

  void start() { connect(); }

 private:
  void connect() {
    if (pos_ >= queue_.size()) return;
    stream_.expires_after(sh_.opt.timeout);
    stream_.async_connect(sh_.endpoints, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
      if (ec) {
        // The request at the head of the queue fails; try again with the next one.
        self->fail_current("connect: " + ec.message());
        return self->connect();
      }
      beast::error_code ignored;
      self->stream_.socket().set_option(tcp::no_delay(true), ignored);
      self->next();
    });
  }

  void next() {
    if (pos_ >= queue_.size()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_.socket().close(ignored);
      return;
    }
    const HttpRequest& r = sh_.requests[queue_[pos_]];
    if (sh_.opt.paced && r.intended_ns > sh_.now_ns()) {
      timer_.expires_at(sh_.t0 + std::chrono::nanoseconds(r.intended_ns));
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->send(); });
      return;
    }
    send();
  }

  void send() {
    const uint32_t idx = queue_[pos_];
    req_ = {bhttp::verb::post, "/", 11};
    req_.set(bhttp::field::host, sh_.opt.ep.host);
    req_.set(bhttp::field::content_type, "application/json");
    req_.keep_alive(true);
    req_.body() = sh_.requests[idx].body;
    req_.prepare_payload();
    sh_.replies[idx].send_ns = sh_.now_ns();
    if (sh_.progress) sh_.progress->sent++;
    stream_.expires_after(sh_.opt.timeout);
    bhttp::async_write(stream_, req_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->broken("write: " + ec.message());
      self->parser_.emplace();
      self->parser_->body_limit(64u << 20);
      bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                        [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
    });
  }

  void on_read(beast::error_code ec) {
    if (ec) return broken("read: " + (ec == beast::error::timeout ? std::string("timeout") : ec.message()));
    HttpReply& rep = sh_.replies[queue_[pos_]];
    rep.reply_ns = sh_.now_ns();
    auto res = parser_->release();
    rep.status = res.result_int();
    rep.body = std::move(res.body());
    if (sh_.progress) sh_.progress->replied++;
    ++pos_;
    if (!res.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().close(ignored);
      buffer_.clear();
      return connect();
    }
    next();
  }

  void fail_current(const std::string& why) {
    if (pos_ >= queue_.size()) return;
    HttpReply& rep = sh_.replies[queue_[pos_]];
    if (rep.send_ns < 0) rep.send_ns = sh_.now_ns();
    rep.transport_error = why;
    if (sh_.progress) sh_.progress->failed++;
    ++pos_;
  }

  void broken(const std::string& why) {
    fail_current(why);
    beast::error_code ignored;
    stream_.socket().close(ignored);
    buffer_.clear();
    connect();
  }

  Shared& sh_;
  const std::vector<uint32_t>& queue_;
  std::size_t pos_ = 0;
  beast::tcp_stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  std::optional<bhttp::response_parser<bhttp::string_body>> parser_;
};

}  // namespace

std::vector<HttpReply> run_http_load(const LoadOptions& opt, const std::vector<HttpRequest>& requests,
                                     const std::vector<std::vector<uint32_t>>& queues, SteadyClock::time_point t0,
                                     LoadProgress* progress) {
  std::vector<HttpReply> replies(requests.size());
  net::io_context ioc;
  Shared sh{opt, requests, replies, {}, t0, progress};
  beast::error_code ec;
  tcp::resolver resolver(ioc);
  sh.endpoints = resolver.resolve(opt.ep.host, std::to_string(opt.ep.port), ec);
  if (ec) {
    for (auto& r : replies) r.transport_error = "resolve: " + ec.message();
    return replies;
  }
  for (const auto& q : queues)
    if (!q.empty()) std::make_shared<Conn>(ioc, sh, q)->start();
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < std::max(1u, opt.io_threads); ++t) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  return replies;
}

std::vector<HttpReply> fetch_all(const node::rpc::Endpoint& ep, const std::vector<std::string>& bodies,
                                 unsigned connections, unsigned io_threads) {
  std::vector<HttpRequest> reqs(bodies.size());
  for (std::size_t i = 0; i < bodies.size(); ++i) reqs[i].body = bodies[i];
  const std::size_t c = std::max<std::size_t>(1, std::min<std::size_t>(connections, bodies.size()));
  std::vector<std::vector<uint32_t>> queues(c);
  for (std::size_t i = 0; i < bodies.size(); ++i) queues[i % c].push_back(static_cast<uint32_t>(i));
  LoadOptions opt;
  opt.ep = ep;
  opt.io_threads = io_threads;
  return run_http_load(opt, reqs, queues, SteadyClock::now(), nullptr);
}

}  // namespace zkamm::bench
