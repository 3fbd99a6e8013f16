#include "node/http_server.hpp"

#include <pthread.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <map>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <spdlog/spdlog.h>

#include "node/metrics_registry.hpp"

namespace zkamm::node::http {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Shared;
struct Session;

/// One accepted TCP connection, shared by its HTTP session and the WebSocket session it may
/// become: its IP, whether a request is being handled, and its place in the connection counts
/// and in the least-recently-active lists (left once: when it closes or is evicted, whichever
/// comes first).
struct ConnInfo {
  ConnInfo(std::shared_ptr<Shared> s, net::ip::address a) : sh(std::move(s)), ip(std::move(a)) {}
  ~ConnInfo() { release(); }
  ConnInfo(const ConnInfo&) = delete;
  ConnInfo& operator=(const ConnInfo&) = delete;
  /// A request arrived or was answered: to the back of the eviction order.
  void touch() noexcept;
  void release() noexcept;

  std::shared_ptr<Shared> sh;
  const net::ip::address ip;
  std::atomic<int> busy{0};       ///< requests being received or handled
  std::atomic<bool> counted{false};
  // Under sh->mu:
  std::weak_ptr<Session> session;           ///< the session to close when evicted
  std::list<ConnInfo*>::iterator in_ip, in_all;  ///< valid while counted
};

struct Session : std::enable_shared_from_this<Session> {
  virtual ~Session() = default;
  virtual void close_socket() noexcept = 0;
  /// Closes it on its own strand (for the acceptor, which runs elsewhere).
  virtual void evict() = 0;
  virtual ConnInfo& conn() noexcept = 0;
};

/// Bytes taken from the response budget, given back when the holder dies (written or dropped).
struct Held {
  std::shared_ptr<rpc::ByteBudget> budget;
  std::size_t n = 0;
  Held() = default;
  Held(std::shared_ptr<rpc::ByteBudget> b, std::size_t bytes) : budget(std::move(b)), n(bytes) {}
  Held(Held&& o) noexcept : budget(std::move(o.budget)), n(o.n) { o.n = 0; }
  Held& operator=(Held&& o) noexcept {
    if (this != &o) {
      reset();
      budget = std::move(o.budget);
      n = o.n;
      o.n = 0;
    }
    return *this;
  }
  ~Held() { reset(); }
  void reset() noexcept {
    if (budget && n) budget->give(n);
    n = 0;
  }
};

/// State shared by the server and every session; outlives the io_context's handlers, so a late
/// completion from a sequencer thread finds `alive == false` instead of a dead io_context.
struct Shared {
  /// Here, not in the server, and first (destroyed last): a session can outlive the server (a
  /// notifier thread or a pool job may hold the last reference) and its sockets and strands
  /// need their io_context until they are gone.
  net::io_context ioc;
  ServerConfig cfg;
  Handlers h;
  metrics::NodeMetrics* m = nullptr;
  std::shared_ptr<rpc::ByteBudget> budget;
  std::size_t max_connections = 0;  ///< cfg.max_connections, lowered to the open-file limit
  std::atomic<std::size_t> inflight{0};
  std::atomic<uint64_t> next_id{1};
  std::mutex mu;
  bool alive = false;
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;  ///< keeps waiting sessions alive
  // The counted connections, least recently active first (a touch moves one to the back), in
  // all and by IP, so that finding the one idle the longest costs O(1) at a cap, not a scan of
  // thousands under the lock for every new connection of a flood.
  struct IpSlot {
    std::size_t count = 0;
    std::list<ConnInfo*> lru;
  };
  std::size_t connections = 0;                   ///< (under mu)
  std::list<ConnInfo*> lru;                      ///< (under mu)
  std::map<net::ip::address, IpSlot> per_ip;     ///< (under mu)

  void add(uint64_t id, std::shared_ptr<Session> s);
  void remove(uint64_t id) {
    std::shared_ptr<Session> keep;  // released outside the lock
    std::lock_guard lock(mu);
    auto it = sessions.find(id);
    if (it != sessions.end()) {
      keep = std::move(it->second);
      sessions.erase(it);
    }
  }
  void uncount_locked(ConnInfo& c) {
    if (!c.counted.exchange(false)) return;
    --connections;
    lru.erase(c.in_all);
    auto it = per_ip.find(c.ip);
    if (it != per_ip.end()) {
      it->second.lru.erase(c.in_ip);
      if (--it->second.count == 0) per_ip.erase(it);
    }
    if (m) m->connections.add(-1);
  }
  void count_locked(ConnInfo& c) {
    IpSlot& slot = per_ip[c.ip];
    ++slot.count;
    c.in_ip = slot.lru.insert(slot.lru.end(), &c);
    c.in_all = lru.insert(lru.end(), &c);
    ++connections;
    c.counted.store(true);
    if (m) m->connections.add(1);
  }
  /// The session idle the longest (of `ip` when given), taken out of the counts; null if none.
  std::shared_ptr<Session> take_idle_locked(const net::ip::address* ip) {
    std::list<ConnInfo*>* order = &lru;
    if (ip) {
      auto it = per_ip.find(*ip);
      if (it == per_ip.end()) return nullptr;
      order = &it->second.lru;
    }
    for (ConnInfo* c : *order) {
      if (c->busy.load() > 0) continue;  // a request in flight: not idle
      std::shared_ptr<Session> s = c->session.lock();
      if (!s) continue;  // not started yet, or going away
      uncount_locked(*c);
      return s;
    }
    return nullptr;
  }
  /// Counts a new connection from `ip`, closing the idle-longest one of that IP (at the per-IP
  /// cap) or of anyone (at the total cap) to make room; false when nothing idle is left.
  bool admit(const std::shared_ptr<ConnInfo>& c) {
    std::shared_ptr<Session> victim;
    {
      std::lock_guard lock(mu);
      if (!alive) return false;
      auto it = per_ip.find(c->ip);
      const std::size_t mine = it == per_ip.end() ? 0 : it->second.count;
      if (mine >= cfg.max_connections_per_ip) {
        victim = take_idle_locked(&c->ip);
        if (!victim) return false;
      } else if (connections >= max_connections) {
        victim = take_idle_locked(nullptr);
        if (!victim) return false;
      }
      count_locked(*c);
    }
    if (victim) {
      if (m) m->conn_evicted.inc();
      victim->evict();
    }
    return true;
  }
  /// Out of file descriptors: closes the session idle the longest; false if none.
  bool evict_one() {
    std::shared_ptr<Session> victim;
    {
      std::lock_guard lock(mu);
      victim = take_idle_locked(nullptr);
    }
    if (!victim) return false;
    if (m) m->conn_evicted.inc();
    victim->evict();
    return true;
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

void ConnInfo::release() noexcept {
  if (!counted.load()) return;
  std::lock_guard lock(sh->mu);
  sh->uncount_locked(*this);
}

void ConnInfo::touch() noexcept {
  std::lock_guard lock(sh->mu);
  if (!counted.load()) return;
  sh->lru.splice(sh->lru.end(), sh->lru, in_all);
  auto it = sh->per_ip.find(ip);
  if (it != sh->per_ip.end()) it->second.lru.splice(it->second.lru.end(), it->second.lru, in_ip);
}

void Shared::add(uint64_t id, std::shared_ptr<Session> s) {
  std::lock_guard lock(mu);
  if (!alive) return;
  s->conn().session = s;  // the session that now owns the connection (HTTP, then WebSocket)
  sessions.emplace(id, std::move(s));
}

const std::string kServerName = "zkamm";

class WsSession final : public Session, public rpc::Peer {
 public:
  WsSession(tcp::socket&& socket, std::shared_ptr<Shared> sh, uint64_t id, std::shared_ptr<ConnInfo> conn)
      : conn_(std::move(conn)), sh_(std::move(sh)), id_(id), ws_(std::move(socket)) {}

  void run(bhttp::request<bhttp::string_body> req) {
    // Pinged after half the idle time with nothing received, closed after all of it: a peer
    // that went away (or never answers) does not hold its slot.
    websocket::stream_base::timeout t{};
    t.handshake_timeout = sh_->cfg.request_timeout;
    t.idle_timeout = sh_->cfg.ws_idle_timeout;
    t.keep_alive_pings = true;
    ws_.set_option(t);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(bhttp::field::server, kServerName); }));
    ws_.read_message_max(sh_->cfg.body_limit);
    auto self = ws_self();
    ws_.async_accept(req, [self](beast::error_code ec) {
      if (ec) return self->finish();
      self->conn_->busy.fetch_sub(1);  // the upgrade request is answered
      self->do_read();
    });
  }

  bool send_text(std::string msg) override {
    std::optional<Frame> f = admit_frame(std::move(msg));
    if (!f) return false;
    auto self = ws_self();
    auto box = std::make_shared<Frame>(std::move(*f));
    return sh_->post_if_alive(ws_.get_executor(), [self, box] { self->enqueue(std::move(*box)); });
  }
  uint64_t id() const noexcept override { return id_; }
  bool is_open() const noexcept override { return open_.load(std::memory_order_acquire); }

  void close_socket() noexcept override {
    open_.store(false, std::memory_order_release);
    beast::error_code ec;
    beast::get_lowest_layer(ws_).socket().close(ec);
  }
  void evict() override {
    open_.store(false, std::memory_order_release);
    auto self = ws_self();
    sh_->post_if_alive(ws_.get_executor(), [self] {
      self->close_socket();
      self->finish();
    });
  }
  ConnInfo& conn() noexcept override { return *conn_; }

 private:
  struct Frame {
    std::string text;
    Held held;
  };

  std::shared_ptr<WsSession> ws_self() { return std::static_pointer_cast<WsSession>(shared_from_this()); }

  /// Counts a frame against this connection's queue (frames and bytes) and the server's budget;
  /// a client that lets either fill is dropped. Any thread.
  std::optional<Frame> admit_frame(std::string msg) {
    if (!open_.load(std::memory_order_acquire)) return std::nullopt;
    const std::size_t n = msg.size();
    const bool frames_ok = queued_.fetch_add(1, std::memory_order_acq_rel) < sh_->cfg.ws_queue_limit;
    const std::size_t before = queued_bytes_.fetch_add(n, std::memory_order_acq_rel);
    const bool bytes_ok = before + n <= sh_->cfg.ws_queue_bytes;
    if (frames_ok && bytes_ok && sh_->budget->try_take(n)) return Frame{std::move(msg), Held(sh_->budget, n)};
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    queued_bytes_.fetch_sub(n, std::memory_order_acq_rel);
    drop();
    return std::nullopt;
  }

  void enqueue(Frame f) {
    if (!open_.load(std::memory_order_acquire)) {
      unqueue(f);
      return;
    }
    queue_.push_back(std::move(f));
    if (!writing_) do_write();
  }

  void unqueue(const Frame& f) {
    queued_.fetch_sub(1, std::memory_order_acq_rel);
    queued_bytes_.fetch_sub(f.text.size(), std::memory_order_acq_rel);
  }

  void do_read() {
    auto self = ws_self();
    ws_.async_read(buffer_, [self](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return finish();
    conn_->touch();
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
    ++inflight_;
    conn_->busy.fetch_add(1);
    std::weak_ptr<WsSession> weak = ws_self();
    auto sh = sh_;
    rpc::CallContext ctx;
    ctx.peer = ws_self();
    ctx.connection = conn_id();
    try {
      sh_->h.rpc(std::move(text), ctx, [weak, sh, start](std::string out) {
        sh->end_request(start);
        auto s = weak.lock();
        if (!s) return;
        std::optional<Frame> f;
        if (!out.empty()) f = s->admit_frame(std::move(out));
        auto box = std::make_shared<std::optional<Frame>>(std::move(f));
        sh->post_if_alive(s->ws_.get_executor(), [s, box] { s->on_reply(std::move(*box)); });
      });
    } catch (...) {
      sh_->end_request(start);
      on_reply(std::nullopt);
      return;
    }
    // At the per-connection cap the socket is not read until a reply frees a place: a client
    // that pipelines without limit waits on its own TCP window, not on the server's memory.
    if (inflight_ < sh_->cfg.ws_max_inflight) do_read();
    else paused_ = true;
  }

  void on_reply(std::optional<Frame> f) {
    --inflight_;
    conn_->busy.fetch_sub(1);
    if (f) enqueue(std::move(*f));
    if (paused_ && inflight_ < sh_->cfg.ws_max_inflight && open_.load(std::memory_order_acquire) && !finished_) {
      paused_ = false;
      do_read();
    }
  }

  uint64_t conn_id() const noexcept { return id_; }

  void do_write() {
    writing_ = true;
    ws_.text(true);
    auto self = ws_self();
    ws_.async_write(net::buffer(queue_.front().text), [self](beast::error_code ec, std::size_t) {
      self->unqueue(self->queue_.front());
      self->queue_.pop_front();
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
    if (!writing_) {
      for (const Frame& f : queue_) unqueue(f);
      queue_.clear();  // gives the budget back now, not when the last handler lets go
    }
    conn_->release();
    if (sh_->h.ws_closed) {
      try {
        sh_->h.ws_closed(id_);
      } catch (...) {
      }
    }
    sh_->remove(id_);
  }

  std::shared_ptr<ConnInfo> conn_;
  std::shared_ptr<Shared> sh_;
  uint64_t id_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::deque<Frame> queue_;
  std::atomic<std::size_t> queued_{0};
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> open_{true};
  std::size_t inflight_ = 0;  ///< on the strand
  bool paused_ = false;
  bool writing_ = false;
  bool finished_ = false;
};

class HttpSession final : public Session {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<Shared> sh, uint64_t id, std::shared_ptr<ConnInfo> conn)
      : conn_(std::move(conn)), sh_(std::move(sh)), id_(id), stream_(std::move(socket)) {}

  void start() {
    auto self = http_self();
    net::dispatch(stream_.get_executor(), [self] { self->do_read(); });
  }

  void close_socket() noexcept override {
    beast::error_code ec;
    stream_.socket().close(ec);
  }
  void evict() override {
    auto self = http_self();
    sh_->post_if_alive(stream_.get_executor(), [self] { self->close_socket(); });
  }
  ConnInfo& conn() noexcept override { return *conn_; }

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

  void set_busy(bool b) {
    if (b == busy_) return;
    busy_ = b;
    conn_->busy.fetch_add(b ? 1 : -1);
    conn_->touch();
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    set_busy(true);  // a request is arriving: not idle until it is answered
    auto& req = parser_->get();
    const auto len = parser_->content_length();
    if (len && *len > sh_->cfg.body_limit) return too_large();
    // The body about to be read counts against the byte budget too (a chunked one at the limit),
    // so thousands of connections each sending a large body cannot add up either.
    const std::size_t body_bytes = len ? static_cast<std::size_t>(*len) : parser_->chunked() ? sh_->cfg.body_limit : 0;
    if (body_bytes > 0) {
      if (!sh_->budget->try_take(body_bytes)) {
        drain_ = true;
        return send(503, "application/json",
                    rpc::Dispatcher::error_response(rpc::code::kOverloaded, "the server holds too many bytes; retry later",
                                                    rpc::json{{"limit", sh_->budget->limit()}}),
                    false, req.version());
      }
      body_held_ = Held(sh_->budget, body_bytes);
    }
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
    drain_ = true;
    send(413, "application/json",
         rpc::Dispatcher::error_response(rpc::code::kTooLarge,
                                         "request body exceeds " + std::to_string(sh_->cfg.body_limit) + " bytes",
                                         rpc::json{{"limit", sh_->cfg.body_limit}}),
         false, 11);
  }

  void on_read(beast::error_code ec) {
    body_held_.reset();  // the body is read (or never will be); what follows is counted by its answer
    if (ec) return on_read_error(ec);
    auto& req = parser_->get();
    stream_.expires_never();
    const bool keep = req.keep_alive();
    const unsigned version = req.version();
    std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));

    if (websocket::is_upgrade(req)) {
      if (path != "/ws") return send(404, "text/plain", "not found\n", false, version);
      // The WebSocket takes over the connection's slot (and its busy mark until the handshake).
      auto ws = std::make_shared<WsSession>(stream_.release_socket(), sh_, sh_->next_id.fetch_add(1), conn_);
      busy_ = false;
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
      rpc::CallContext ctx;
      ctx.connection = id_;
      try {
        sh_->h.rpc(std::move(body), ctx, [weak, sh, start, keep, version](std::string out) {
          sh->end_request(start);
          auto s = weak.lock();
          if (!s) return;
          // The answer is held until the client has read it: it counts against the budget, and
          // one that does not fit is replaced by a short 503.
          unsigned status = out.empty() ? 204 : 200;
          Held held;
          if (!out.empty()) {
            if (sh->budget->try_take(out.size())) {
              held = Held(sh->budget, out.size());
            } else {
              status = 503;
              out = rpc::Dispatcher::error_response(rpc::code::kOverloaded,
                                                    "the server holds too many response bytes; retry later",
                                                    rpc::json{{"limit", sh->budget->limit()}});
            }
          }
          auto box = std::make_shared<Held>(std::move(held));
          sh->post_if_alive(s->stream_.get_executor(), [s, out = std::move(out), keep, version, status, box]() mutable {
            s->send(status, "application/json", std::move(out), keep, version, std::move(*box));
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

  void send(unsigned status, const std::string& content_type, std::string body, bool keep, unsigned version,
            Held held = {}) {
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>(static_cast<bhttp::status>(status), version);
    res->set(bhttp::field::server, kServerName);
    if (!body.empty() || status != 204) res->set(bhttp::field::content_type, content_type);
    res->keep_alive(keep);
    res->body() = std::move(body);
    res->prepare_payload();
    // A client that does not read its answer within write_timeout is dropped, not waited for.
    stream_.expires_after(sh_->cfg.write_timeout);
    auto self = http_self();
    auto hold = std::make_shared<Held>(std::move(held));
    bhttp::async_write(stream_, *res, [self, res, hold](beast::error_code ec, std::size_t) {
      hold->reset();
      if (ec == beast::error::timeout && self->sh_->m) self->sh_->m->slow_dropped.inc();
      if (ec || res->need_eof()) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        if (!ec && self->drain_) return self->drain();
        return self->finish();
      }
      self->set_busy(false);
      self->do_read();
    });
  }

  /// Answered before its body was read (413, 503): reads and discards what the client still
  /// sends, for a bounded time, so that closing does not reset the connection and lose the answer.
  void drain() {
    if (!drain_buf_) {
      drain_buf_ = std::make_unique<std::array<char, 4096>>();
      stream_.expires_after(std::chrono::seconds(2));
    }
    auto self = http_self();
    stream_.async_read_some(net::buffer(*drain_buf_), [self](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->drain();
    });
  }

  void finish() {
    body_held_.reset();
    set_busy(false);
    conn_->release();
    sh_->remove(id_);
  }

  std::shared_ptr<ConnInfo> conn_;
  std::shared_ptr<Shared> sh_;
  uint64_t id_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool first_ = true;
  bool busy_ = false;
  Held body_held_;  ///< the request body being read
  bool drain_ = false;
  std::unique_ptr<std::array<char, 4096>> drain_buf_;
};

}  // namespace

struct Server::Impl {
  std::shared_ptr<Shared> sh = std::make_shared<Shared>();
  net::io_context& ioc = sh->ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer retry{ioc};
  std::vector<std::thread> threads;
  uint16_t bound_port = 0;
  bool started = false;

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors: close the connection idle the longest and try again shortly
        // (retrying at once would spin while the pending connection stays in the queue).
        if (ec == net::error::no_descriptors || ec.value() == ENFILE) {
          sh->evict_one();
          retry.expires_after(std::chrono::milliseconds(20));
          retry.async_wait([this](beast::error_code e) {
            if (!e && acceptor.is_open()) do_accept();
          });
          return;
        }
        return do_accept();
      }
      beast::error_code addr_ec;
      const auto remote = socket.remote_endpoint(addr_ec);
      if (addr_ec) return do_accept();  // already gone
      auto conn = std::make_shared<ConnInfo>(sh, remote.address());
      if (!sh->admit(conn)) {
        if (sh->m) sh->m->conn_refused.inc();
        beast::error_code ignored;
        socket.close(ignored);  // every slot is busy with a request: refuse rather than queue
      } else {
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);
        const uint64_t id = sh->next_id.fetch_add(1);
        auto s = std::make_shared<HttpSession>(std::move(socket), sh, id, std::move(conn));
        sh->add(id, s);
        s->start();
      }
      do_accept();
    });
  }
};

Server::Server(ServerConfig cfg, Handlers handlers, metrics::NodeMetrics* m) : impl_(std::make_shared<Impl>()) {
  impl_->sh->cfg = std::move(cfg);
  impl_->sh->h = std::move(handlers);
  impl_->sh->m = m;
  impl_->sh->budget = std::make_shared<rpc::ByteBudget>(impl_->sh->cfg.max_buffered_bytes);
  impl_->sh->max_connections = impl_->sh->cfg.max_connections;
}

Server::~Server() { stop(); }

uint16_t Server::port() const noexcept { return impl_->bound_port; }
std::shared_ptr<rpc::ByteBudget> Server::budget() const noexcept { return impl_->sh->budget; }
std::size_t Server::max_connections() const noexcept { return impl_->sh->max_connections; }

namespace {
/// Descriptors kept for everything but client sockets (RocksDB files, L1 connections, logs).
constexpr rlim_t kFdReserve = 512;

/// Raises the soft open-file limit so that `want` connections fit, as far as the hard limit
/// allows; returns the connections that fit.
std::size_t fit_open_files(std::size_t want) {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return want;
  const rlim_t need = static_cast<rlim_t>(want) + kFdReserve;
  if (rl.rlim_cur < need) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? need : std::min(need, rl.rlim_max);
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  if (rl.rlim_cur >= need) return want;
  const std::size_t fit = rl.rlim_cur > 2 * kFdReserve ? static_cast<std::size_t>(rl.rlim_cur - kFdReserve)
                                                       : static_cast<std::size_t>(rl.rlim_cur / 2);
  spdlog::warn("rpc: the open-file limit ({}) fits {} connections, not {}; raise ulimit -n", rl.rlim_cur, fit, want);
  return fit;
}
}  // namespace

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
  im.sh->max_connections = fit_open_files(im.sh->cfg.max_connections);
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
  im.retry.cancel();
  // The handlers still queued hold sessions, which hold the io_context (through Shared): run
  // them out here (every socket is closed, so they end at once) so that nothing keeps it alive.
  im.ioc.restart();
  for (int i = 0; i < 1000 && im.ioc.poll() > 0; ++i) {
  }
}

}  // namespace zkamm::node::http
