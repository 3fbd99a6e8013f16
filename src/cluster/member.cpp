// The group loop of a sequencer group member; see member.hpp for the protocol.
#include "cluster/member.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>

#include "node/rpc_views.hpp"
#include "tx/json.hpp"

namespace zkamm::cluster {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

/// A follower's sends go to the leader's RPC (zkamm_sendTransaction) from a few threads, each
/// with its own keep-alive connection. The answer (accepted or the leader's rejection) is the
/// caller's; the soft status then arrives through this node's own copy of the block.
struct Member::Forwarder {
  struct Job {
    std::vector<uint8_t> bytes;
    std::function<void(const node::SubmitResult&)> done;
  };
  explicit Forwarder(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i) workers.emplace_back([this] { run(); });
  }
  ~Forwarder() {
    {
      std::lock_guard lk(mu);
      stop = true;
    }
    cv.notify_all();
    for (auto& t : workers) t.join();
  }
  void set_target(const std::string& url) {
    std::lock_guard lk(mu);
    target = node::rpc::parse_url(url);
    ++generation;
  }
  void submit(std::vector<uint8_t> bytes, std::function<void(const node::SubmitResult&)> done) {
    {
      std::lock_guard lk(mu);
      if (queue.size() < 100000) {
        queue.push_back(Job{std::move(bytes), std::move(done)});
        cv.notify_one();
        return;
      }
    }
    if (done) done(node::SubmitResult{false, node::RejectCode::kMempoolFull, "forwarding queue full", {}});
  }
  void run() {
    std::unique_ptr<node::rpc::Client> client;
    uint64_t gen = 0;
    for (;;) {
      Job job;
      std::optional<node::rpc::Endpoint> ep;
      {
        std::unique_lock lk(mu);
        cv.wait(lk, [&] { return stop || !queue.empty(); });
        if (stop) return;
        job = std::move(queue.front());
        queue.pop_front();
        ep = target;
        if (gen != generation) client.reset();
        gen = generation;
      }
      node::SubmitResult r;
      if (!ep) {
        r = {false, node::RejectCode::kNotLeader, "no leader to forward to", {}};
      } else {
        try {
          if (!client) client = std::make_unique<node::rpc::Client>(*ep, std::chrono::seconds(5));
          const json res = client->call("zkamm_sendTransaction", json::array({tx::to_hex0x(job.bytes.data(), job.bytes.size())}));
          r.accepted = true;
          if (const auto h = node::rpc::bytes_from_hex(res.value("hash", ""), 32); h && h->size() == 32)
            std::copy(h->begin(), h->end(), r.hash.begin());
        } catch (const node::rpc::RpcError& e) {
          r.accepted = false;
          r.code = node::RejectCode::kNotLeader;
          r.reason = e.message;
          if (e.data.is_object()) {
            r.code = static_cast<node::RejectCode>(e.data.value("code", static_cast<int>(node::RejectCode::kNotLeader)));
            r.reason = e.data.value("reason", e.message);
            if (const auto h = node::rpc::bytes_from_hex(e.data.value("hash", ""), 32); h && h->size() == 32)
              std::copy(h->begin(), h->end(), r.hash.begin());
          }
        } catch (const std::exception& e) {
          client.reset();
          r = {false, node::RejectCode::kNotLeader, std::string("leader unreachable: ") + e.what(), {}};
        }
      }
      if (job.done) job.done(r);
    }
  }
  std::mutex mu;
  std::condition_variable cv;
  std::deque<Job> queue;
  std::optional<node::rpc::Endpoint> target;
  uint64_t generation = 0;
  bool stop = false;
  std::vector<std::thread> workers;
};

Member::Member(MemberConfig cfg) : cfg_(std::move(cfg)), etcd_(cfg_.etcd, std::chrono::milliseconds(500)) {}

Member::~Member() { stop(); }

std::string Member::start() {
  if (auto e = open(); !e.empty()) return e;
  return join(cfg_.rpc_url);
}

std::string Member::open() {
  if (cfg_.id.empty()) return "a group member needs an id";
  if (cfg_.group_size == 0) return "the group size must be at least 1";
  server_ = std::make_shared<node::ReplicationServer>(cfg_.group_size, 0);
  std::string err;
  if (!server_->listen(cfg_.host, cfg_.repl_port, err)) return err;
  node::NodeConfig nc = cfg_.node;
  nc.follower = true;  // every member starts following; etcd decides who leads
  nc.replicator = server_;
  node_ = std::make_unique<node::Node>(nc);
  if (!node_->error().empty()) return "node: " + node_->error();
  server_->attach(node_.get());
  forwarder_ = std::make_shared<Forwarder>(2);
  std::weak_ptr<Forwarder> fw = forwarder_;
  node_->set_forwarder([fw](std::vector<uint8_t> bytes, std::function<void(const node::SubmitResult&)> done) {
    if (auto f = fw.lock()) return f->submit(std::move(bytes), std::move(done));
    if (done) done(node::SubmitResult{false, node::RejectCode::kShuttingDown, "node is stopping", {}});
  });
  return "";
}

std::string Member::join(const std::string& rpc_url) {
  cfg_.rpc_url = rpc_url;
  const auto lease = etcd_.lease_grant(cfg_.lease_ttl_s);
  if (!lease) return "etcd: " + etcd_.error();
  lease_ = *lease;
  last_keepalive_ok_ = Clock::now();
  keepalive_ok_ns_.store(last_keepalive_ok_.time_since_epoch().count(), std::memory_order_release);
  next_keepalive_ = last_keepalive_ok_ + std::chrono::milliseconds(cfg_.lease_ttl_s * 1000 / 4);
  loop_thread_ = std::thread([this] { loop(); });
  return "";
}

void Member::stop() {
  if (stopping_.exchange(true)) return;
  if (loop_thread_.joinable()) loop_thread_.join();
  if (genesis_thread_.joinable()) genesis_thread_.join();
  client_.reset();
  // Resign so that the others need not wait for the lease to run out.
  if (leading_) (void)etcd_.delete_if_revision(cfg_.prefix + "leader", static_cast<int64_t>(term_.load()));
  if (lease_ != 0) (void)etcd_.lease_revoke(lease_);
  if (node_) node_->stop();
  if (server_) server_->stop();
  forwarder_.reset();
}

bool Member::may_act() const noexcept {
  if (!leading_.load() || failed_stop_.load()) return false;
  const auto ok = Clock::time_point(Clock::duration(keepalive_ok_ns_.load(std::memory_order_acquire)));
  return Clock::now() - ok < std::chrono::milliseconds(cfg_.lease_ttl_s * 1000 / 2);
}

std::string Member::leader_rpc() const {
  std::lock_guard lk(leader_rpc_mu_);
  return leader_rpc_;
}

void Member::set_leader_rpc(std::string rpc) {
  std::lock_guard lk(leader_rpc_mu_);
  leader_rpc_ = std::move(rpc);
}

void Member::fatal(Fatal f, const std::string& why) {
  if (failed_) return;
  failed_ = true;
  failed_stop_ = true;
  spdlog::critical("group: {}: {}", f == Fatal::kDeposed ? "deposed" : "diverged", why);
  if (on_fatal) on_fatal(f, why);
}

void Member::loop() {
  while (!stopping_ && !failed_) {
    step();
    std::this_thread::sleep_for(cfg_.poll);
  }
}

void Member::step() {
  const auto now = Clock::now();
  const auto ttl = std::chrono::milliseconds(cfg_.lease_ttl_s * 1000);
  if (now >= next_keepalive_) {
    const auto left = etcd_.lease_keepalive(lease_);
    if (left && *left > 0) {
      last_keepalive_ok_ = now;
      keepalive_ok_ns_.store(now.time_since_epoch().count(), std::memory_order_release);
    } else if (left) {
      // The lease ran out (this process stalled, or etcd lost it): whatever this node held is gone.
      if (leading_) return fatal(Fatal::kDeposed, "its etcd lease expired");
      const auto fresh = etcd_.lease_grant(cfg_.lease_ttl_s);
      if (fresh) lease_ = *fresh;
      heads_published_ = false;
    } else if (leading_ && now - last_keepalive_ok_ >= ttl) {
      return fatal(Fatal::kDeposed, "etcd unreachable for a whole lease (" + etcd_.error() + ")");
    }
    next_keepalive_ = now + ttl / 4;
  }
  // Quiet: a leader, or a follower whose stream from the leader it follows is up.
  const bool quiet = leading_ || (following_ != 0 && client_ && client_->connected() && client_->refused().empty());
  if (quiet && now < next_leader_read_) return;
  next_leader_read_ = now + cfg_.quiet_poll;
  const auto kv = etcd_.get(cfg_.prefix + "leader");
  if (!kv && !etcd_.error().empty()) return;  // etcd unreachable: nothing to decide
  if (leading_) {
    if (!kv || kv->create_revision != static_cast<int64_t>(term_.load()))
      fatal(Fatal::kDeposed, "the leader key no longer names this node's term " + std::to_string(term_.load()));
    return;
  }
  if (kv) return follow(*kv);
  elect();
}

void Member::follow(const KeyValue& kv) {
  const json v = json::parse(kv.value, nullptr, false);
  if (!v.is_object()) return;
  const std::string id = v.value("id", "");
  if (id == cfg_.id) {
    // A key of this node's previous life (its lease outlives a kill -9): let it go now.
    if (kv.lease != 0 && kv.lease != lease_) (void)etcd_.lease_revoke(kv.lease);
    return;
  }
  if (following_ != kv.create_revision) {
    client_.reset();
    client_ = std::make_unique<node::ReplicationClient>(*node_, v.value("repl_host", "127.0.0.1"),
                                                        static_cast<uint16_t>(v.value("repl_port", 0)),
                                                        static_cast<uint64_t>(kv.create_revision), cfg_.id);
    forwarder_->set_target(v.value("rpc", ""));
    set_leader_rpc(v.value("rpc", ""));
    following_ = kv.create_revision;
    if (heads_published_) (void)etcd_.del(cfg_.prefix + "heads/" + cfg_.id);
    heads_published_ = false;
    spdlog::info("group {}: following {} (term {}) from block {}", cfg_.id, id, kv.create_revision,
                 node_->durable_head() + 1);
    return;
  }
  if (const std::string why = client_->refused(); !why.empty()) return fatal(Fatal::kDiverged, why);
  if (!client_->connected() && Clock::now() - client_->down_since() >= cfg_.leader_gone_after) {
    // The leader's stream is down and does not come back (kill -9 closes it at once): end its
    // lease rather than wait for it. Were it alive, it loses the key and stops (deposed).
    spdlog::warn("group {}: the leader {} (term {}) is unreachable; revoking its lease", cfg_.id, id, kv.create_revision);
    (void)etcd_.lease_revoke(kv.lease);
  }
}

void Member::elect() {
  if (client_) {
    // No more blocks from the old leader; what was received is applied before the head counts.
    const uint64_t received = client_->received_head();
    client_.reset();
    const auto until = Clock::now() + std::chrono::seconds(2);
    while (node_->durable_head() < received && Clock::now() < until && node_->diverged().empty())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    forwarder_->set_target("");
    set_leader_rpc("");
  }
  following_ = 0;
  const uint64_t head = node_->durable_head();
  const std::string heads = cfg_.prefix + "heads/";
  if (!heads_published_ || published_head_ != head) {
    if (!etcd_.put(heads + cfg_.id, std::to_string(head), lease_)) return;
    heads_published_ = true;
    published_head_ = head;
  }
  const auto all = etcd_.get_prefix(heads);
  if (!all) return;
  uint64_t best = 0;
  for (const auto& e : *all) best = std::max<uint64_t>(best, std::strtoull(e.value.c_str(), nullptr, 10));
  if (all->size() < cfg_.group_size / 2 + 1 || head < best) return;  // not (yet) this node's turn
  const json me{{"id", cfg_.id}, {"repl_host", cfg_.host}, {"repl_port", server_->port()}, {"rpc", cfg_.rpc_url}};
  const auto rev = etcd_.create_if_absent(cfg_.prefix + "leader", me.dump(), lease_);
  if (!rev || *rev == 0) return;  // another won: the next step follows it
  term_ = static_cast<uint64_t>(*rev);
  server_->set_term(term_);
  if (!node_->promote(term_)) return fatal(Fatal::kDiverged, "cannot take the lead: " + node_->diverged());
  leading_ = true;
  set_leader_rpc(cfg_.rpc_url);
  (void)etcd_.del(heads + cfg_.id);
  heads_published_ = false;
  spdlog::info("group {}: leader with term {} from block {}", cfg_.id, term_.load(), head + 1);
  if (!cfg_.genesis_json.empty()) {
    // Every new leader completes the genesis: one that an earlier leader started and a failover
    // cut short is finished from where the replicated blocks end (what they hold is checked and
    // skipped); on a chain that holds all of it this only checks.
    genesis_thread_ = std::thread([this] {
      // TEST ONLY (never set it in production): ZKAMM_FAULT=genesis-cut-K: a leader applies at
      // most K steps of the genesis and then ends like a kill -9 (_exit(86)), the failover that
      // cuts a genesis short (tests/cluster/group_test.cpp).
      size_t max_steps = SIZE_MAX;
      if (const char* f = std::getenv("ZKAMM_FAULT"); f != nullptr && std::strncmp(f, "genesis-cut-", 12) == 0)
        max_steps = std::strtoull(f + 12, nullptr, 10);
      size_t applied = 0;
      if (auto e = node_->complete_genesis_json(cfg_.genesis_json, max_steps, &applied); !e.empty()) {
        spdlog::error("group: genesis: {}", e);
      } else if (applied > 0) {
        spdlog::info("group {}: genesis: {} steps applied", cfg_.id, applied);
      }
      if (applied == max_steps) {
        std::fprintf(stderr, "group: ZKAMM_FAULT=genesis-cut-%zu: exiting\n", max_steps);
        std::_Exit(86);
      }
    });
  }
  if (on_leader) on_leader(term_);
}

}  // namespace zkamm::cluster
