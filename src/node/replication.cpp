// Block replication over loopback TCP: see replication.hpp for the frames and the fencing rules.
#include "node/replication.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "node/codec.hpp"

namespace zkamm::node {

namespace {

constexpr uint32_t kMaxFrame = 256u << 20;  // a block of 10,000 txs is a few MB
constexpr std::size_t kRecentBlocks = 1024;  // published blocks kept in memory for followers (older: the store)

bool send_all(int fd, const void* data, std::size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  while (n > 0) {
    const ssize_t k = ::send(fd, p, n, MSG_NOSIGNAL);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool recv_all(int fd, void* data, std::size_t n) {
  auto* p = static_cast<uint8_t*>(data);
  while (n > 0) {
    const ssize_t k = ::recv(fd, p, n, 0);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return false;
    p += k;
    n -= static_cast<std::size_t>(k);
  }
  return true;
}

bool write_frame(int fd, uint8_t type, std::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  ByteWriter w(out);
  w.u32(static_cast<uint32_t>(payload.size() + 1));
  w.u8(type);
  out.append(payload);
  return send_all(fd, out.data(), out.size());
}

bool read_frame(int fd, uint8_t& type, std::string& payload) {
  uint8_t len_be[4];
  if (!recv_all(fd, len_be, 4)) return false;
  const uint32_t len = (uint32_t{len_be[0]} << 24) | (uint32_t{len_be[1]} << 16) | (uint32_t{len_be[2]} << 8) | len_be[3];
  if (len == 0 || len > kMaxFrame) return false;
  if (!recv_all(fd, &type, 1)) return false;
  payload.resize(len - 1);
  return len == 1 || recv_all(fd, payload.data(), len - 1);
}

void no_delay(int fd) {
  int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

std::string u64_payload(uint64_t v) {
  std::string s;
  ByteWriter(s).u64(v);
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Leader side

struct ReplicationServer::Conn {
  explicit Conn(int f) : fd(f) {}
  ~Conn() { ::close(fd); }
  const int fd;
  std::atomic<uint64_t> acked{0};   ///< highest block the follower reported durable
  std::atomic<bool> welcomed{false};
  std::atomic<bool> closed{false};
  std::string member;               ///< mu_: the follower's member id (may be empty)
  uint64_t next_block = 1;          ///< sender thread
  uint32_t next_token = 0;          ///< sender thread
};

ReplicationServer::ReplicationServer(uint32_t group_size, uint64_t term)
    : group_size_(std::max<uint32_t>(group_size, 1)), term_(term) {}

ReplicationServer::~ReplicationServer() { stop(); }

bool ReplicationServer::listen(const std::string& host, uint16_t port, std::string& err) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) {
    err = std::string("socket: ") + std::strerror(errno);
    return false;
  }
  int one = 1;
  (void)::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &a.sin_addr) != 1) {
    err = "replication host must be an IPv4 address: " + host;
    return false;
  }
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0) {
    err = "cannot listen on " + host + ":" + std::to_string(port) + ": " + std::strerror(errno);
    return false;
  }
  socklen_t len = sizeof a;
  (void)::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
  return true;
}

void ReplicationServer::attach(Node* node) {
  {
    std::lock_guard lk(mu_);
    node_ = node;
  }
  cv_.notify_all();
}

std::size_t ReplicationServer::followers() const {
  std::lock_guard lk(mu_);
  return static_cast<std::size_t>(
      std::count_if(conns_.begin(), conns_.end(), [](const auto& c) { return c->welcomed && !c->closed; }));
}

void ReplicationServer::accept_loop() {
  while (!stopping_) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (stopping_) return;
      if (errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    no_delay(fd);
    auto c = std::make_shared<Conn>(fd);
    std::lock_guard lk(mu_);
    if (stopping_) return;  // c closes its fd
    conns_.push_back(c);
    threads_.emplace_back([this, c] { serve(c); });
  }
}

std::shared_ptr<const Block> ReplicationServer::find_block(uint64_t number) {
  Node* node = nullptr;
  {
    std::lock_guard lk(mu_);
    if (const auto it = recent_.find(number); it != recent_.end()) return it->second;
    node = node_;
  }
  auto b = node->durable_block(number);
  return b ? std::make_shared<const Block>(std::move(*b)) : nullptr;
}

void ReplicationServer::serve(const std::shared_ptr<Conn>& c) {
  const auto close_conn = [&] {
    c->closed = true;
    ::shutdown(c->fd, SHUT_RDWR);
    {
      std::lock_guard lk(mu_);
      conns_.erase(std::remove(conns_.begin(), conns_.end(), c), conns_.end());
    }
    cv_.notify_all();
  };
  uint8_t type = 0;
  std::string payload;
  if (!read_frame(c->fd, type, payload) || type != repl::kHello) return close_conn();
  ByteReader r(payload);
  const uint64_t their_term = r.u64();
  const uint64_t next = r.u64();
  const uint32_t tokens = r.u32();
  Hash head_hash{};
  const auto hb = r.bytes(32);
  if (r.ok()) std::copy(hb.begin(), hb.end(), head_hash.begin());
  std::string member;
  if (r.ok() && !r.done()) {
    // The follower's member id (newer followers send it): one member's acks count once however
    // many of its connections are open, and a reconnect retires the connection it replaces.
    const auto id = r.bytes(r.u8());
    if (r.ok()) member.assign(reinterpret_cast<const char*>(id.data()), id.size());
  }
  if (!r.done() || next == 0) return close_conn();
  Node* node = nullptr;
  {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return node_ != nullptr || stopping_; });
    node = node_;
  }
  if (stopping_) return close_conn();
  // A follower may come a moment before this member's promotion sets the term it was told.
  {
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, std::chrono::seconds(1), [&] { return stopping_ || their_term <= term_.load(); });
  }
  std::string refuse;
  char kind = repl::kRefuseTerm;
  uint64_t head = node->durable_head();
  {
    std::lock_guard lk(mu_);
    head = std::max(head, published_);  // a follower may hold a block before this node's own write
  }
  if (their_term > term_.load()) {
    refuse = "the follower knows term " + std::to_string(their_term) + ", newer than this leader's " +
             std::to_string(term_.load());
  } else if (next - 1 > head) {
    kind = repl::kRefuseDiverged;
    refuse = "the follower's log (head " + std::to_string(next - 1) + ") is longer than the leader's (" +
             std::to_string(head) + "): resync its data dir";
  } else if (next > 1) {
    const auto b = find_block(next - 1);
    kind = repl::kRefuseDiverged;
    if (!b || !(b->header.hash == head_hash))
      refuse = "the follower's block " + std::to_string(next - 1) + " is not the leader's: resync its data dir";
  }
  if (!refuse.empty()) {
    spdlog::warn("replication: refusing a follower: {}", refuse);
    (void)write_frame(c->fd, repl::kRefuse, std::string(1, kind) + refuse);
    return close_conn();
  }
  if (!write_frame(c->fd, repl::kWelcome, u64_payload(term_.load()))) return close_conn();
  c->next_block = next;
  c->next_token = tokens;
  c->welcomed = true;
  {
    std::unique_lock lk(mu_);
    if (stopping_) {
      lk.unlock();  // close_conn takes mu_ itself
      return close_conn();
    }
    c->member = std::move(member);
    if (!c->member.empty())
      for (const auto& other : conns_)
        if (other != c && other->member == c->member && !other->closed) {
          other->closed = true;  // its ack reader ends; the sender stops at its next block
          ::shutdown(other->fd, SHUT_RDWR);
        }
    threads_.emplace_back([this, c] { read_acks(c); });
  }
  spdlog::info("replication: a follower joined at block {} (leader head {})", next, head);
  uint64_t seen_tokens = ~uint64_t{0};
  while (!stopping_ && !c->closed) {
    // The block first, then the token: the sealer writes a token's record before it publishes
    // any later block, so once block n is found every token registered before it is readable.
    // Asked the other way round, a token written and a block published between the two lookups
    // sent the block ahead of a token it uses (the follower then diverged).
    const auto b = find_block(c->next_block);
    if (between_lookups_for_test_) between_lookups_for_test_();
    // L1 tokens go where the leader registered them: after block `registered_after`.
    if (const auto t = node->token_registration(c->next_token); t && t->second + 1 <= c->next_block) {
      std::string p;
      ByteWriter w(p);
      w.u32(c->next_token);
      w.bytes(t->first);
      if (!write_frame(c->fd, repl::kToken, p)) break;
      ++c->next_token;
      continue;
    }
    if (b) {
      if (!write_frame(c->fd, repl::kBlock, encode_block(*b))) break;
      ++c->next_block;
      continue;
    }
    std::unique_lock lk(mu_);
    // The timeout catches a token whose record was written after its publish_token.
    cv_.wait_for(lk, std::chrono::milliseconds(100), [&] {
      return stopping_ || c->closed || published_ >= c->next_block || token_events_ != seen_tokens;
    });
    seen_tokens = token_events_;
  }
  close_conn();
}

void ReplicationServer::read_acks(const std::shared_ptr<Conn>& c) {
  uint8_t type = 0;
  std::string payload;
  while (read_frame(c->fd, type, payload)) {
    if (type != repl::kAck) continue;
    ByteReader r(payload);
    const uint64_t n = r.u64();
    if (!r.done()) break;
    if (n > c->acked.load()) {
      {
        std::lock_guard lk(mu_);  // ordered with wait_quorum's predicate
        c->acked = n;
      }
      cv_.notify_all();
    }
  }
  c->closed = true;
  ::shutdown(c->fd, SHUT_RDWR);
  cv_.notify_all();
}

void ReplicationServer::publish(std::shared_ptr<const Block> block) {
  {
    std::lock_guard lk(mu_);
    const uint64_t n = block->header.number;
    recent_[n] = std::move(block);
    published_ = std::max(published_, n);
    while (recent_.size() > kRecentBlocks) recent_.erase(recent_.begin());
  }
  cv_.notify_all();
}

void ReplicationServer::set_term(uint64_t term) {
  {
    std::lock_guard lk(mu_);
    term_ = term;
  }
  cv_.notify_all();
}

void ReplicationServer::publish_token(uint64_t, const state::L1Address&) {
  {
    std::lock_guard lk(mu_);
    ++token_events_;
  }
  cv_.notify_all();
}

void ReplicationServer::own_durable(uint64_t head) {
  {
    std::lock_guard lk(mu_);
    if (head <= own_durable_) return;
    own_durable_ = head;
  }
  cv_.notify_all();
}

bool ReplicationServer::wait_quorum(uint64_t number) {
  const std::size_t majority = group_size_ / 2 + 1;
  std::unique_lock lk(mu_);
  const auto have = [&] {
    std::size_t k = own_durable_ >= number ? 1 : 0;
    std::vector<const std::string*> counted;
    for (const auto& c : conns_) {
      if (c->closed || c->acked.load() < number) continue;
      if (!c->member.empty()) {
        if (std::any_of(counted.begin(), counted.end(), [&](const std::string* m) { return *m == c->member; })) continue;
        counted.push_back(&c->member);
      }
      ++k;
    }
    return k >= majority;
  };
  cv_.wait(lk, [&] { return quorum_shutdown_ || have(); });
  return have();
}

void ReplicationServer::shutdown() {
  {
    std::lock_guard lk(mu_);
    quorum_shutdown_ = true;
  }
  cv_.notify_all();
}

void ReplicationServer::stop() {
  if (stopping_.exchange(true)) return;
  shutdown();
  if (listen_fd_ >= 0) ::shutdown(listen_fd_, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
  for (;;) {
    std::vector<std::thread> ts;
    {
      std::lock_guard lk(mu_);
      for (const auto& c : conns_) ::shutdown(c->fd, SHUT_RDWR);
      ts.swap(threads_);
    }
    cv_.notify_all();
    if (ts.empty()) break;
    for (auto& t : ts) t.join();
  }
}

// ---------------------------------------------------------------------------------------------
// Follower side

ReplicationClient::ReplicationClient(Node& node, std::string host, uint16_t port, uint64_t leader_term,
                                     std::string member)
    : node_(node), host_(std::move(host)), port_(port), term_(leader_term), member_(std::move(member).substr(0, 255)) {
  const uint64_t head = node_.durable_head();
  received_ = head;
  if (head > 0)
    if (const auto b = node_.durable_block(head)) received_hash_ = b->header.hash;
  // A block is acknowledged as soon as this node's own synced write returned: straight from the
  // sealer thread, not after the block turned soft here (the notifier thread's on_block), which
  // took two more thread hops on every ack the leader's quorum waits for.
  sub_ = node_.on_durable([this](uint64_t durable) { send_ack(durable); });
  thread_ = std::thread([this] { run(); });
}

ReplicationClient::~ReplicationClient() { stop(); }

void ReplicationClient::stop() {
  if (stopping_.exchange(true)) return;
  {
    std::lock_guard lk(mu_);
    if (fd_ >= 0) ::shutdown(fd_, SHUT_RDWR);
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  node_.unsubscribe(sub_);
}

void ReplicationClient::mark_down() {
  std::lock_guard lk(mu_);
  if (connected_) down_since_ = std::chrono::steady_clock::now();
  connected_ = false;
}

std::chrono::steady_clock::time_point ReplicationClient::down_since() const {
  std::lock_guard lk(mu_);
  return down_since_;
}

std::string ReplicationClient::stale() const {
  std::lock_guard lk(mu_);
  return stale_;
}

std::string ReplicationClient::refused() const {
  std::lock_guard lk(mu_);
  return refused_;
}

void ReplicationClient::send_ack(uint64_t number) {
  std::lock_guard lk(mu_);
  if (fd_ >= 0) (void)write_frame(fd_, repl::kAck, u64_payload(number));
}

void ReplicationClient::run() {
  while (!stopping_) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port_);
    bool ok = fd >= 0 && ::inet_pton(AF_INET, host_.c_str(), &a.sin_addr) == 1 &&
              ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    bool again = true;
    if (ok) {
      no_delay(fd);
      {
        std::lock_guard lk(mu_);
        fd_ = fd;
      }
      if (!stopping_) again = session(fd);
      std::lock_guard lk(mu_);
      fd_ = -1;
    }
    if (fd >= 0) ::close(fd);
    if (!ok) mark_down();
    if (!again) return;
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, std::chrono::milliseconds(stale_.empty() ? 50 : 200), [&] { return stopping_.load(); });
  }
}

bool ReplicationClient::session(int fd) {
  uint32_t tokens = node_.num_tokens();
  {
    std::string p;
    ByteWriter w(p);
    w.u64(term_);
    w.u64(received_.load() + 1);
    w.u32(tokens);
    w.bytes(received_hash_);
    if (!member_.empty()) {
      w.u8(static_cast<uint8_t>(member_.size()));
      w.bytes(std::span(reinterpret_cast<const uint8_t*>(member_.data()), member_.size()));
    }
    if (!write_frame(fd, repl::kHello, p)) return true;
  }
  const auto refuse = [&](std::string why) {
    spdlog::error("replication: cannot follow the leader of term {}: {}", term_, why);
    std::lock_guard lk(mu_);
    refused_ = std::move(why);
    return false;
  };
  uint8_t type = 0;
  std::string payload;
  if (!read_frame(fd, type, payload)) return true;
  if (type == repl::kRefuse && !payload.empty() && payload[0] == repl::kRefuseDiverged) return refuse(payload.substr(1));
  const auto stale = [&](std::string why) {
    // Not this follower's fault: the member it was told to follow does not lead that term (yet,
    // or any more). Retry; the group layer re-reads etcd meanwhile.
    std::lock_guard lk(mu_);
    stale_ = std::move(why);
    return true;
  };
  if (type == repl::kRefuse) return stale(payload.empty() ? payload : payload.substr(1));
  if (type != repl::kWelcome) return refuse("unexpected answer to hello");
  {
    ByteReader r(payload);
    const uint64_t t = r.u64();
    if (!r.done() || t != term_)
      return stale("the leader at " + host_ + ":" + std::to_string(port_) + " has term " + std::to_string(t));
  }
  send_ack(node_.durable_head());
  {
    std::lock_guard lk(mu_);
    stale_.clear();
    connected_ = true;
  }
  struct Down {
    ReplicationClient* c;
    ~Down() {
      std::lock_guard lk(c->mu_);
      if (c->connected_) c->down_since_ = std::chrono::steady_clock::now();
      c->connected_ = false;
    }
  } down{this};
  while (!stopping_ && read_frame(fd, type, payload)) {
    if (type == repl::kBlock) {
      auto b = decode_block(payload);
      if (!b) return refuse("a block frame does not decode");
      if (b->header.term > term_) return refuse("a block of term " + std::to_string(b->header.term));
      if (b->header.number != received_ + 1) return refuse("block " + std::to_string(b->header.number) + " out of order");
      const Hash h = b->header.hash;
      const uint64_t n = b->header.number;
      std::string why;
      if (!node_.apply_replicated(std::make_shared<const Block>(std::move(*b)), &why)) {
        if (stopping_) return false;
        return refuse(why);
      }
      received_hash_ = h;
      received_ = n;
    } else if (type == repl::kToken) {
      ByteReader r(payload);
      const uint32_t id = r.u32();
      state::L1Address addr{};
      const auto ab = r.bytes(addr.size());
      if (!r.done()) return refuse("a token frame does not decode");
      std::copy(ab.begin(), ab.end(), addr.begin());
      if (id < tokens) continue;  // already registered (a resent frame)
      if (id != tokens) return refuse("token " + std::to_string(id) + " out of order");
      if (!node_.apply_replicated_token(addr)) return stopping_ ? false : refuse("cannot register token");
      ++tokens;
    }
  }
  return !stopping_;
}

}  // namespace zkamm::node
