#include "node/http_server.hpp"

#include <pthread.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "node/metrics_registry.hpp"

namespace zkamm::node::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Session : std::enable_shared_from_this<Session> {
  virtual ~Session() = default;
  virtual void close_socket() noexcept = 0;
};

/// State shared by the server and every session; outlives the io_context's handlers, so a late
/// completion from a sequencer thread finds `alive == false` instead of a dead io_context.
struct Shared {
  ServerConfig cfg;
  Handlers h;
  metrics::NodeMetrics* m = nullptr;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> inflight{0};
  std::atomic<uint64_t> next_id{1};
  std::mutex mu;
  bool alive = false;
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;  ///< keeps waiting sessions alive

  void add(uint64_t id, std::shared_ptr<Session> s) {
    std::lock_guard lock(mu);
    if (alive) sessions.emplace(id, std::move(s));
  }
  void remove(uint64_t id) {
    std::shared_ptr<Session> keep;  // released outside the lock
    std::lock_guard lock(mu);
    auto it = sessions.find(id);
    if (it != sessions.end()) {
      keep = std::move(it->second);
      sessions.erase(it);
    }
  }
  /// Posts f to ex when the server still runs.
  template <class Ex, class F>
  bool post_if_alive(const Ex& ex, F&& f) {
    std::lock_guard lock(mu);
    if (!alive) return false;
    net::post(ex, std::forward<F>(f));
    return true;
  }
  bool try_begin_request() {
    if (inflight.fetch_add(1, std::memory_order_relaxed) >= cfg.max_inflight) {
      inflight.fetch_sub(1, std::memory_order_relaxed);
      return false;
    }
    if (m) m->rpc_inflight.add(1);
    return true;
  }
  void end_request(Clock::time_point start) {
    inflight.fetch_sub(1, std::memory_order_relaxed);
    if (m) {
      m->rpc_inflight.add(-1);
      m->rpc_latency.observe(std::chrono::duration<double>(Clock::now() - start).count());
    }
  }
};

/// Counts an open connection for its lifetime.
struct ConnectionSlot {
  std::shared_ptr<Shared> sh;
  explicit ConnectionSlot(std::shared_ptr<Shared> s) : sh(std::move(s)) {
    if (sh->m) sh->m->connections.add(1);
  }
  ~ConnectionSlot() {
    sh->connections.fetch_sub(1, std::memory_order_relaxed);
    if (sh->m) sh->m->connections.add(-1);
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
};

const std::string kServerName = "zkamm";

class WsSession final : public Session, public rpc::Peer {
 public:
  WsSession(tcp::socket&& socket, std::shared_ptr<Shared> sh, uint64_t id)
      : slot_(sh), sh_(std::move(sh)), id_(id), ws_(std::move(socket)) {
    sh_->connections.fetch_add(1, std::memory_order_relaxed);
  }

  void run(bhttp::request<bhttp::string_body> req) {
    ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, kServerName); }));
    ws_.read_message_max(sh_->cfg.body_limit);
    auto self = ws_self();
    ws_.async_accept(req, [self](beast::error_code ec) {
      if (ec) return self->finish();
      self->do_read();
    });
  }

  bool send_text(std::string msg) override {
    if (!open_.load(std::memory_order_acquire)) return false;
    if (queued_.fetch_add(1, std::memory_order_acq_rel) >= sh_->cfg.ws_queue_limit) {
      queued_.fetch_sub(1, std::memory_order_acq_rel);
      drop();
      return false;
    }
    auto self = ws_self();
    const bool posted = sh_->post_if_alive(ws_.get_executor(), [self, msg = std::move(msg)]() mutable {
      self->queue_.push_back(std::move(msg));
      if (!self->writing_) self->do_write();
    });
    if (!posted) queued_.fetch_sub(1, std::memory_order_acq_rel);
    return posted;
  }
  uint64_t id() const noexcept override { return id_; }
  bool is_open() const noexcept override { return open_.load(std::memory_order_acquire); }

  void close_socket() noexcept override {
    open_.store(false, std::memory_order_release);
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }

 private:
  std::shared_ptr<WsSession> ws_self() { return std::static_pointer_cast<WsSession>(shared_from_this()); }

  void do_read() {
    auto self = ws_self();
    ws_.async_read(buffer_, [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return finish();
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    if (!ws_.got_text()) {
      send_text(rpc::Dispatcher::error_response(rpc::code::kInvalidRequest, "binary frames are not supported"));
      return do_read();
    }
    if (!sh_->try_begin_request()) {
      send_text(rpc::Dispatcher::error_response(rpc::code::kOverloaded, "too many requests in flight"));
      return do_read();
    }
    const auto start = Clock::now();
    std::weak_ptr<WsSession> weak = ws_self();
    auto sh = sh_;
    rpc::CallContext ctx;
    ctx.peer = ws_self();
    try {
      sh_->h.rpc(std::move(text), ctx, [weak, sh, start](std::string out) {
        sh->end_request(start);
        if (out.empty()) return;
        if (auto s = weak.lock()) s->send_text(std::move(out));
      });
    } catch (...) {
      sh_->end_request(start);
    }
    do_read();
  }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    auto self = ws_self();
    ws_.async_write(net::buffer(queue_.front()), [self](beast::error_code ec, std::size_t) {
      self->queue_.pop_front();
      self->queued_.fetch_sub(1, std::memory_order_acq_rel);
      if (ec) {
        self->writing_ = false;
        return self->finish();
      }
      if (self->queue_.empty()) self->writing_ = false;
      else self->do_write();
    });
  }

  /// A client that does not read its notifications is cut off, not waited for.
  void drop() {
    if (!open_.exchange(false, std::memory_order_acq_rel)) return;
    if (sh_->m) sh_->m->ws_dropped.inc();
    auto self = ws_self();
    sh_->post_if_alive(ws_.get_executor(), [self] {
      self->close_socket();
      self->finish();
    });
  }

  void finish() {
    open_.store(false, std::memory_order_release);
    if (finished_) return;
    finished_ = true;
    if (sh_->h.ws_closed) {
      try {
        sh_->h.ws_closed(id_);
      } catch (...) {
      }
    }
    sh_->remove(id_);
  }

  ConnectionSlot slot_;
  std::shared_ptr<Shared> sh_;
  uint64_t id_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<std::string> queue_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<bool> open_{true};
  bool writing_ = false;
  bool finished_ = false;
};

class HttpSession final : public Session {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<Shared> sh, uint64_t id)
      : slot_(sh), sh_(std::move(sh)), id_(id), stream_(std::move(socket)) {}

  void start() {
    auto self = http_self();
    net::dispatch(stream_.get_executor(), [self] { self->do_read(); });
  }

  void close_socket() noexcept override {
    beast::error_code ec;
    stream_.socket().close(ec);
  }

 private:
  std::shared_ptr<HttpSession> http_self() { return std::static_pointer_cast<HttpSession>(shared_from_this()); }

  void do_read() {
    parser_.emplace();
    parser_->body_limit(sh_->cfg.body_limit);
    parser_->header_limit(static_cast<std::uint32_t>(sh_->cfg.header_limit));
    stream_.expires_after(first_ ? sh_->cfg.request_timeout : sh_->cfg.idle_timeout);
    first_ = false;
    auto self = http_self();
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    const auto len = parser_->content_length();
    if (len && *len > sh_->cfg.body_limit) return too_large();
    stream_.expires_after(sh_->cfg.request_timeout);
    auto self = http_self();
    if (parser_->is_done()) return on_read({});
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue), [self](beast::error_code e, std::size_t) {
        if (e) return self->finish();
        bhttp::async_read(self->stream_, self->buffer_, *self->parser_,
                          [self](beast::error_code e2, std::size_t) { self->on_read(e2); });
      });
      return;
    }
    bhttp::async_read(stream_, buffer_, *parser_, [self](beast::error_code e, std::size_t) { self->on_read(e); });
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return too_large();
    const bool malformed = ec.category() == beast::error_code(bhttp::error::bad_method).category() &&
                           ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (!malformed) return finish();  // closed, reset or timed out: nobody to answer
    // A malformed request (bad header, chunk, ...): answer 400 once, then close.
    send(400, "application/json",
         rpc::Dispatcher::error_response(rpc::code::kParseError, "bad HTTP request: " + ec.message()), false, 11);
  }

  void too_large() {
    send(413, "application/json",
         rpc::Dispatcher::error_response(rpc::code::kTooLarge,
                                         "request body exceeds " + std::to_string(sh_->cfg.body_limit) + " bytes",
                                         rpc::json{{"limit", sh_->cfg.body_limit}}),
         false, 11);
  }

  void on_read(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    stream_.expires_never();
    const bool keep = req.keep_alive();
    const unsigned version = req.version();
    std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));

    if (websocket::is_upgrade(req)) {
      if (path != "/ws") return send(404, "text/plain", "not found\n", false, version);
      auto ws = std::make_shared<WsSession>(stream_.release_socket(), sh_, sh_->next_id.fetch_add(1));
      sh_->add(ws->id(), ws);
      ws->run(parser_->release());
      sh_->remove(id_);
      return;
    }
    if (req.method() == bhttp::verb::post) {
      if (path != "/") return send(404, "text/plain", "not found\n", keep, version);
      if (!sh_->try_begin_request())
        return send(503, "application/json",
                    rpc::Dispatcher::error_response(rpc::code::kOverloaded, "too many requests in flight"), keep, version);
      const auto start = Clock::now();
      std::weak_ptr<HttpSession> weak = http_self();
      auto sh = sh_;
      std::string body = std::move(req.body());
      try {
        sh_->h.rpc(std::move(body), rpc::CallContext{}, [weak, sh, start, keep, version](std::string out) {
          sh->end_request(start);
          auto s = weak.lock();
          if (!s) return;
          sh->post_if_alive(s->stream_.get_executor(), [s, out = std::move(out), keep, version]() mutable {
            if (out.empty()) s->send(204, "application/json", "", keep, version);
            else s->send(200, "application/json", std::move(out), keep, version);
          });
        });
      } catch (...) {
        sh_->end_request(start);
        send(500, "application/json", rpc::Dispatcher::error_response(rpc::code::kInternal, "internal error"), false,
             version);
      }
      return;
    }
    if (req.method() == bhttp::verb::get) {
      GetResponse r{404, "text/plain", "not found\n"};
      try {
        if (sh_->h.get) r = sh_->h.get(path);
      } catch (...) {
        r = GetResponse{500, "text/plain", "internal error\n"};
      }
      return send(r.status, r.content_type, std::move(r.body), keep, version);
    }
    send(405, "text/plain", "method not allowed\n", keep, version);
  }

  void send(unsigned status, const std::string& content_type, std::string body, bool keep, unsigned version) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(status), version);
    res->set(bhttp::field::server, kServerName);
    if (!body.empty() || status != 204) res->set(bhttp::field::content_type, content_type);
    res->keep_alive(keep);
    res->body() = std::move(body);
    res->prepare_payload();
    stream_.expires_after(sh_->cfg.request_timeout);
    auto self = http_self();
    bhttp::async_write(stream_, *res, [self, res](beast::error_code ec, std::size_t) {
      if (ec || res->need_eof()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        return self->finish();
      }
      self->do_read();
    });
  }

  void finish() { sh_->remove(id_); }

  ConnectionSlot slot_;
  std::shared_ptr<Shared> sh_;
  uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool first_ = true;
};

}  // namespace

struct Server::Impl {
  std::shared_ptr<Shared> sh = std::make_shared<Shared>();
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
  bool started = false;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        if (sh->connections.fetch_add(1, std::memory_order_relaxed) >= sh->cfg.max_connections) {
          sh->connections.fetch_sub(1, std::memory_order_relaxed);
          beast::error_code ignored;
          socket.close(ignored);  // over the limit: refuse instead of queueing
        } else {
          beast::error_code ignored;
          socket.set_option(tcp::no_delay(true), ignored);
          const uint64_t id = sh->next_id.fetch_add(1);
          auto s = std::make_shared<HttpSession>(std::move(socket), sh, id);
          sh->add(id, s);
          s->start();
        }
      }
      do_accept();
    });
  }
};

Server::Server(ServerConfig cfg, Handlers handlers, metrics::NodeMetrics* m) : impl_(std::make_shared<Impl>()) {
  impl_->sh->cfg = std::move(cfg);
  impl_->sh->h = std::move(handlers);
  impl_->sh->m = m;
}

Server::~Server() { stop(); }

uint16_t Server::port() const noexcept { return impl_->bound_port; }

bool Server::start(std::string* error) {
  auto& im = *impl_;
  if (im.started) return true;
  beast::error_code ec;
  const auto addr = net::ip::make_address(im.sh->cfg.host, ec);
  if (ec) {
    if (error) *error = "bad listen address '" + im.sh->cfg.host + "': " + ec.message();
    return false;
  }
  const tcp::endpoint ep(addr, im.sh->cfg.port);
  im.acceptor.open(ep.protocol(), ec);
  if (!ec) im.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) im.acceptor.bind(ep, ec);
  if (!ec) im.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    if (error) *error = "cannot listen on " + im.sh->cfg.host + ":" + std::to_string(im.sh->cfg.port) + ": " + ec.message();
    beast::error_code ignored;
    im.acceptor.close(ignored);
    return false;
  }
  im.bound_port = im.acceptor.local_endpoint().port();
  {
    std::lock_guard lock(im.sh->mu);
    im.sh->alive = true;
  }
  im.started = true;
  im.do_accept();
  const unsigned n = std::max(1u, im.sh->cfg.threads);
  for (unsigned i = 0; i < n; ++i) im.threads.emplace_back([&im] {
      pthread_setname_np(pthread_self(), "zk-rpc-io");  // shown by top -H
      im.ioc.run();
    });
  return true;
}

void Server::stop() {
  auto& im = *impl_;
  if (!im.started) return;
  im.started = false;
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(im.sh->mu);
    im.sh->alive = false;
    sessions.swap(im.sh->sessions);
  }
  im.ioc.stop();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  for (auto& [id, s] : sessions) s->close_socket();
  sessions.clear();
  beast::error_code ignored;
  im.acceptor.close(ignored);
}

}  // namespace zkamm::node::http
