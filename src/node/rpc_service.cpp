#include "node/rpc_service.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "explorer/explorer.hpp"
#include "node/exit_proof.hpp"
#include "node/rpc_views.hpp"
#include "tx/encoding.hpp"
#include "tx/json.hpp"

namespace zkamm::node::rpc {

namespace {

using Clock = std::chrono::steady_clock;

/// One thread running callbacks at their deadlines (the timeouts of *Sync calls).
class Timers {
 public:
  Timers() : thread_([this] { run(); }) {}
  ~Timers() { shutdown(); }
  void add(Clock::time_point at, std::function<void()> fn) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      q_.emplace(at, std::move(fn));
    }
    cv_.notify_one();
  }
  void shutdown() {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
      stop_ = true;
      q_.clear();
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (q_.empty()) {
        cv_.wait(lock);
        continue;
      }
      const auto at = q_.begin()->first;
      if (Clock::now() < at) {
        cv_.wait_until(lock, at);
        continue;
      }
      auto fn = std::move(q_.begin()->second);
      q_.erase(q_.begin());
      lock.unlock();
      try {
        fn();
      } catch (...) {
      }
      lock.lock();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::multimap<Clock::time_point, std::function<void()>> q_;
  bool stop_ = false;
  std::thread thread_;
};

struct HashHasher {
  std::size_t operator()(const Hash& h) const noexcept {
    std::size_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | h[static_cast<std::size_t>(i)];
    return v;
  }
};

std::string hash_hex(const Hash& h) { return hex0x(h.data(), h.size()); }

/// Unsigned JSON integer <= max.
uint64_t uint_arg(const json& j, const char* name, uint64_t max) {
  if (const auto v = uint_from_json(j, max)) return *v;
  throw RpcError(code::kInvalidParams,
                 std::string(name) + " must be an integer between 0 and " + std::to_string(max));
}

const std::string& string_arg(const json& j, const char* name) {
  if (!j.is_string()) throw RpcError(code::kInvalidParams, std::string(name) + " must be a string");
  return j.get_ref<const std::string&>();
}

Hash hash_arg(const json& j, const char* name) {
  auto h = hash_from_hex(string_arg(j, name));
  if (!h) throw RpcError(code::kInvalidParams, std::string(name) + " must be a 0x-prefixed 32-byte hex hash");
  return *h;
}

U256 amount_arg(const json& j, const char* name) {
  auto v = j.is_string() ? u256_from_decimal(j.get_ref<const std::string&>()) : std::nullopt;
  if (!v || (*v)[2] != 0 || (*v)[3] != 0)
    throw RpcError(code::kInvalidParams, std::string(name) + " must be a canonical decimal string below 2^128");
  return *v;
}

/// The canonical bytes of the tx parameter: a JSON transaction or 0x-hex canonical bytes.
std::vector<uint8_t> tx_bytes_arg(const json& j) {
  if (j.is_string()) {
    auto b = bytes_from_hex(j.get_ref<const std::string&>(), 4096);
    if (!b) throw RpcError(code::kInvalidParams, "tx: not 0x-prefixed hex of at most 4096 bytes");
    return std::move(*b);
  }
  if (j.is_object()) {
    auto r = tx::from_json(j);
    if (!r.tx) throw RpcError(code::kInvalidParams, "tx: " + r.error);
    if (!tx::in_range(*r.tx)) throw RpcError(code::kInvalidParams, "tx: account or token out of range");
    return tx::encode(*r.tx);
  }
  throw RpcError(code::kInvalidParams, "tx must be a JSON transaction object or a 0x-hex string");
}

/// Named params object, or an array whose only element is that object.
const json& object_arg(const json& p) {
  if (p.is_object()) return p;
  if (p.is_array() && p.size() == 1 && p[0].is_object()) return p[0];
  throw RpcError(code::kInvalidParams, "params must be an object (or an array holding one object)");
}

RpcError rejected_error(RejectCode c, const std::string& reason, const Hash& h) {
  const std::string name(to_string(c));
  json data = {{"code", static_cast<int>(c)}, {"name", name}, {"reason", reason}};
  if (h != Hash{}) data["hash"] = hash_hex(h);
  return RpcError(code::kRejected, "transaction rejected: " + name + (reason.empty() ? "" : ": " + reason),
                  std::move(data));
}

bool is_final_for_sync(TxStatus s) { return s != TxStatus::kPending && s != TxStatus::kUnknown; }

// Method costs (docs/API.md "Limits"): a whole block or batch is a record read plus a JSON answer
// of up to a few hundred KB; an exit proof rebuilds the state (today by replaying every batch).
// Both run on the worker pool, never on the I/O threads.
constexpr MethodCost kWholeRecordCost{8, true};
constexpr MethodCost kExitProofCost{256, true};

}  // namespace

struct Service::Core : std::enable_shared_from_this<Core> {
  Node& node;
  ServiceConfig cfg;
  metrics::Registry reg;
  metrics::NodeMetrics m{reg};
  metrics::Gauge& l1_committed = reg.gauge("zkamm_l1_last_committed_batch", "Highest batch committed on L1.");
  metrics::Gauge& l1_proven = reg.gauge("zkamm_l1_last_proven_batch", "Highest batch proven on L1.");
  metrics::Gauge& l1_finalized = reg.gauge("zkamm_l1_last_finalized_batch", "Highest batch executed (finalized) on L1.");
  Dispatcher disp;
  std::shared_ptr<WorkerPool> pool;
  std::shared_ptr<ByteBudget> budget;  ///< the server's, set by Service
  Timers timers;
  std::atomic<bool> stopping{false};

  // Soft latency of every accepted tx (submission time until its block is sealed).
  std::mutex recv_mu;
  std::unordered_map<Hash, Clock::time_point, HashHasher> received_at;
  std::atomic<uint64_t> last_batch_counted{0};

  // Subscriptions.
  struct Sub {
    uint64_t peer_id = 0;
    std::weak_ptr<Peer> peer;
    bool blocks = false;
    std::optional<SubscriptionId> node_sub;  ///< txStatus subscriptions
    /// newBlocks with "from" (a client resuming, e.g. after a failover): the next block number
    /// it gets; every block from there is sent once and in order, from the store when missed.
    struct Resume {
      std::mutex mu;
      uint64_t next = 0;
    };
    std::shared_ptr<Resume> resume;
  };
  static constexpr uint64_t kMaxResumeBlocks = 10000;  ///< catch-up sent on the subscribing thread
  /// Sends r's blocks from r->next up to `upto` (0: every stored one) to p, in order.
  void send_resumed(uint64_t id, Sub::Resume& r, Peer& p, uint64_t upto) {
    std::lock_guard lock(r.mu);
    for (; upto == 0 || r.next <= upto; ++r.next) {
      const auto b = node.block(r.next);
      if (!b) break;
      p.send_text(notification(id, block_header_json(b->header)));
    }
  }
  std::mutex sub_mu;
  uint64_t next_sub = 1;
  std::unordered_map<uint64_t, Sub> subs;
  std::unordered_map<uint64_t, std::vector<uint64_t>> subs_by_peer;
  std::vector<SubscriptionId> node_subs;  ///< on_block, on_batch

  std::shared_ptr<ExplorerFeed> feed;  ///< the explorer's lists and live figures

  Core(Node& n, ServiceConfig c)
      : node(n), cfg(std::move(c)), disp(cfg.limits), pool(std::make_shared<WorkerPool>(cfg.workers)),
        feed(std::make_shared<ExplorerFeed>(n, m)) {
    disp.set_pool(pool);
  }

  void attach() {
    std::weak_ptr<Core> weak = shared_from_this();
    node_subs.push_back(node.on_block([weak](const Block& b) {
      if (auto self = weak.lock()) self->on_block(b);
    }));
    node_subs.push_back(node.on_batch([weak](const Batch& b) {
      if (auto self = weak.lock()) self->on_batch(b);
    }));
    register_methods();
    feed->add_methods(disp);
  }

  void detach() {
    if (stopping.exchange(true)) return;
    for (auto id : node_subs) node.unsubscribe(id);
    node_subs.clear();
    std::vector<SubscriptionId> tx_subs;
    {
      std::lock_guard lock(sub_mu);
      for (auto& [id, s] : subs)
        if (s.node_sub) tx_subs.push_back(*s.node_sub);
      subs.clear();
      subs_by_peer.clear();
    }
    for (auto id : tx_subs) node.unsubscribe(id);
    pool->stop();
    timers.shutdown();
  }

  // ---- node events ----
  void on_block(const Block& b) {
    m.blocks.inc();
    m.txs_soft.inc(b.txs.size());
    m.block_fill.observe(static_cast<double>(b.txs.size()));
    m.head_block.set(static_cast<int64_t>(b.header.number));
    const auto now = Clock::now();
    std::vector<double> latencies;
    {
      std::lock_guard lock(recv_mu);
      for (const auto& t : b.txs) {
        auto it = received_at.find(t.hash);
        if (it == received_at.end()) continue;
        latencies.push_back(std::chrono::duration<double>(now - it->second).count());
        m.soft_latency.observe(latencies.back());
        received_at.erase(it);
      }
    }
    feed->on_block(b, latencies);
    std::vector<std::pair<uint64_t, std::shared_ptr<Peer>>> targets;
    std::vector<std::tuple<uint64_t, std::shared_ptr<Peer>, std::shared_ptr<Sub::Resume>>> resumed;
    {
      std::lock_guard lock(sub_mu);
      for (auto& [id, s] : subs)
        if (s.blocks)
          if (auto p = s.peer.lock()) {
            if (s.resume) resumed.emplace_back(id, std::move(p), s.resume);
            else targets.emplace_back(id, std::move(p));
          }
    }
    for (auto& [id, p, r] : resumed) send_resumed(id, *r, *p, b.header.number);
    if (targets.empty()) return;
    const json header = block_header_json(b.header);
    for (auto& [id, p] : targets) p->send_text(notification(id, header));
  }

  void on_batch(const Batch& b) {
    uint64_t prev = last_batch_counted.load();
    while (b.header.number > prev && !last_batch_counted.compare_exchange_weak(prev, b.header.number)) {
    }
    if (b.header.number > prev) m.batches.inc();
  }

  static std::string sub_hex(uint64_t id) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(id));
    return buf;
  }

  static std::string notification(uint64_t sub, const json& result) {
    json n = {{"jsonrpc", "2.0"},
              {"method", "zkamm_subscription"},
              {"params", {{"subscription", sub_hex(sub)}, {"result", result}}}};
    return n.dump(-1, ' ', false, json::error_handler_t::replace);
  }

  void peer_closed(uint64_t peer_id) {
    std::vector<SubscriptionId> to_drop;
    {
      std::lock_guard lock(sub_mu);
      auto it = subs_by_peer.find(peer_id);
      if (it == subs_by_peer.end()) return;
      for (auto id : it->second) {
        auto s = subs.find(id);
        if (s == subs.end()) continue;
        if (s->second.node_sub) to_drop.push_back(*s->second.node_sub);
        subs.erase(s);
      }
      subs_by_peer.erase(it);
    }
    for (auto id : to_drop) node.unsubscribe(id);
  }

  // ---- submission ----
  void record_result(const SubmitResult& r, Clock::time_point start) {
    if (r.accepted) {
      m.txs_accepted.inc();
      std::lock_guard lock(recv_mu);
      if (received_at.size() >= 2'000'000) received_at.clear();  // bounded; only the histogram loses samples
      received_at.emplace(r.hash, start);
    } else {
      m.txs_rejected.with(std::string(to_string(r.code))).inc();
    }
  }

  void send_tx(std::vector<uint8_t> bytes, const Responder& resp) {
    m.txs_received.inc();
    const auto start = Clock::now();
    std::weak_ptr<Core> weak = shared_from_this();
    node.submit_async(std::move(bytes), [weak, resp, start](const SubmitResult& r) {
      auto self = weak.lock();
      if (self) self->record_result(r, start);
      if (!r.accepted) return resp.fail(rejected_error(r.code, r.reason, r.hash));
      resp.ok(json{{"hash", hash_hex(r.hash)}, {"status", "pending"}});
    });
  }

  struct SyncWait {
    std::mutex mu;
    bool done = false;
    std::optional<SubscriptionId> sub;
  };

  void send_tx_sync(std::vector<uint8_t> bytes, std::chrono::milliseconds timeout, const Responder& resp) {
    m.txs_received.inc();
    const auto start = Clock::now();
    std::weak_ptr<Core> weak = shared_from_this();
    node.submit_async(std::move(bytes), [weak, resp, start, timeout](const SubmitResult& r) {
      auto self = weak.lock();
      if (!self) return resp.fail(RpcError(code::kInternal, "node is shutting down"));
      self->record_result(r, start);
      if (!r.accepted) return resp.fail(rejected_error(r.code, r.reason, r.hash));
      auto wait = std::make_shared<SyncWait>();
      Node& live = self->node;
      // Completes once: the first of (final status, timeout) answers; the subscription goes.
      auto complete = [wait, resp, &live, hash = r.hash](const TxInfo* info) {
        std::optional<SubscriptionId> sub;
        {
          std::lock_guard lock(wait->mu);
          if (wait->done) return;
          wait->done = true;
          sub = wait->sub;
        }
        if (sub) live.unsubscribe(*sub);
        if (!info)
          return resp.fail(RpcError(code::kTimeout, "timed out waiting for soft finality; the tx is still pending",
                                    json{{"hash", hash_hex(hash)}}));
        if (info->status == TxStatus::kRejected) return resp.fail(rejected_error(info->code, info->reason, hash));
        resp.ok(tx_info_json(*info));
      };
      self->timers.add(Clock::now() + timeout, [complete] { complete(nullptr); });
      const SubscriptionId id = live.on_tx_status(r.hash, [complete](const TxInfo& info) {
        if (is_final_for_sync(info.status)) complete(&info);
      });
      bool unsubscribe_now = false;
      {
        std::lock_guard lock(wait->mu);
        if (wait->done) unsubscribe_now = true;
        else wait->sub = id;
      }
      if (unsubscribe_now) live.unsubscribe(id);
    });
  }

  // ---- methods ----
  void register_methods() {
    std::weak_ptr<Core> weak = shared_from_this();
    auto self = [weak]() {
      auto s = weak.lock();
      if (!s || s->stopping) throw RpcError(code::kInternal, "node is shutting down");
      return s;
    };

    disp.add("zkamm_sendTransaction", [self](const json& p, const CallContext&, const Responder& r) {
      auto bytes = tx_bytes_arg(*param(p, 0, "tx"));
      self()->send_tx(std::move(bytes), r);
    });

    disp.add("zkamm_sendTransactionSync", [self](const json& p, const CallContext&, const Responder& r) {
      auto core = self();
      auto bytes = tx_bytes_arg(*param(p, 0, "tx"));
      auto timeout = core->cfg.sync_default_timeout;
      if (const json* t = param(p, 1, "timeout_ms", false))
        timeout = std::chrono::milliseconds(uint_arg(*t, "timeout_ms", static_cast<uint64_t>(core->cfg.sync_max_timeout.count())));
      core->send_tx_sync(std::move(bytes), timeout, r);
    });

    disp.add_sync("zkamm_getTransaction", [self](const json& p, const CallContext&) {
      const Hash h = hash_arg(*param(p, 0, "hash"), "hash");
      const TxInfo info = self()->node.tx_info(h);
      if (info.status == TxStatus::kUnknown)
        throw RpcError(code::kNotFound, "transaction not found", json{{"hash", hash_hex(h)}});
      return tx_info_json(info);
    });

    disp.add_sync("zkamm_getAccount", [self](const json& p, const CallContext&) {
      const auto index = uint_arg(*param(p, 0, "index"), "index", tx::kAccountLimit - 1);
      auto a = self()->node.account(static_cast<state::AccountIndex>(index));
      if (!a) throw RpcError(code::kNotFound, "account not found", json{{"index", index}});
      return account_json(*a);
    });

    disp.add_sync("zkamm_getPool", [self](const json& p, const CallContext&) {
      const auto a = uint_arg(*param(p, 0, "token_a"), "token_a", tx::kTokenLimit - 1);
      const auto b = uint_arg(*param(p, 1, "token_b"), "token_b", tx::kTokenLimit - 1);
      auto found = self()->node.pool(static_cast<state::TokenId>(a), static_cast<state::TokenId>(b));
      if (!found) throw RpcError(code::kNotFound, "pool not found", json{{"token_a", a}, {"token_b", b}});
      return pool_json(*found);
    });

    disp.add_sync("zkamm_quote", [self](const json& p, const CallContext&) {
      const json& o = object_arg(p);
      for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key() != "token_in" && it.key() != "token_out" && it.key() != "amount_in" && it.key() != "amount_out")
          throw RpcError(code::kInvalidParams, "unknown key '" + it.key() + "'");
      const auto tin = static_cast<state::TokenId>(uint_arg(*param(o, 0, "token_in"), "token_in", tx::kTokenLimit - 1));
      const auto tout =
          static_cast<state::TokenId>(uint_arg(*param(o, 1, "token_out"), "token_out", tx::kTokenLimit - 1));
      const json* in = param(o, 2, "amount_in", false);
      const json* out = param(o, 3, "amount_out", false);
      if ((in == nullptr) == (out == nullptr))
        throw RpcError(code::kInvalidParams, "give exactly one of amount_in (exact in) or amount_out (exact out)");
      auto core = self();
      const Quote q = in ? core->node.quote_exact_in(tin, tout, amount_arg(*in, "amount_in"))
                         : core->node.quote_exact_out(tin, tout, amount_arg(*out, "amount_out"));
      if (!q.pool_found)
        throw RpcError(code::kNotFound, "pool not found", json{{"token_in", tin}, {"token_out", tout}});
      if (q.error != state::AmmError::kOk) {
        const std::string why(state::describe(q.error));
        throw RpcError(code::kRejected, "quote failed: " + why,
                       json{{"code", static_cast<int>(RejectCode::kAmm)}, {"name", "amm"}, {"reason", why}});
      }
      return json{{"token_in", tin},
                  {"token_out", tout},
                  {"amount_in", ff::to_decimal(q.amount_in)},
                  {"amount_out", ff::to_decimal(q.amount_out)},
                  {"exact", in ? "in" : "out"}};
    });

    auto number_arg = [](const json* j, uint64_t latest) -> uint64_t {
      if (!j || (j->is_string() && j->get_ref<const std::string&>() == "latest")) return latest;
      return uint_arg(*j, "number", UINT64_MAX);
    };

    disp.add_sync("zkamm_getBlock", [self, number_arg](const json& p, const CallContext&) {
      auto core = self();
      const uint64_t n = number_arg(param(p, 0, "number", false), core->node.status().head_block);
      bool full = false;
      if (const json* f = param(p, 1, "full", false)) {
        if (!f->is_boolean()) throw RpcError(code::kInvalidParams, "full must be a boolean");
        full = f->get<bool>();
      }
      auto b = core->node.block(n);
      if (!b) throw RpcError(code::kNotFound, "block not found", json{{"number", n}});
      return block_json(*b, full);
    }, kWholeRecordCost);

    disp.add_sync("zkamm_getBatch", [self, number_arg](const json& p, const CallContext&) {
      auto core = self();
      const uint64_t n = number_arg(param(p, 0, "number", false), core->node.status().last_batch);
      auto b = core->node.batch(n);
      if (!b) throw RpcError(code::kNotFound, "batch not found", json{{"number", n}});
      json j = batch_json(*b);
      if (auto l1 = core->node.batch_l1(n)) j["l1"] = batch_l1_json(*l1);
      if (json settle = core->feed->settle_of(n); !settle.is_null()) j["settle"] = std::move(settle);
      return j;
    }, kWholeRecordCost);

    disp.add_sync("zkamm_status", [self](const json&, const CallContext&) {
      auto core = self();
      return status_json(core->node.status(), core->node.config().domain);
    });

    disp.add_sync("zkamm_chainId", [self](const json&, const CallContext&) {
      return json(std::to_string(self()->node.config().domain.chain_id));
    });

    disp.add_sync("zkamm_domain", [self](const json&, const CallContext&) {
      return domain_json(self()->node.config().domain);
    });

    // Exodus exit proof of (account, token) against `root` (default: the last batch root);
    // node/exit_proof.hpp. The state is replayed from the batches: this call is not cheap.
    disp.add_sync("zkamm_getExitProof", [self](const json& p, const CallContext&) {
      const auto account = uint_arg(*param(p, 0, "account"), "account", tx::kAccountLimit - 1);
      const auto token = uint_arg(*param(p, 1, "token"), "token", tx::kTokenLimit - 1);
      std::optional<ff::Fr> root;
      if (const json* r = param(p, 2, "root", false); r && !r->is_null()) {
        const std::string& s = string_arg(*r, "root");
        auto h = hash_from_hex(s);
        auto v = h ? std::optional<ff::U256>(ff::from_bytes_be(h->data())) : u256_from_decimal(s);
        if (v) root = ff::Fr::from_canonical(*v);
        if (!root) throw RpcError(code::kInvalidParams, "root must be a field element: 0x + 64 hex digits or a decimal below r");
      }
      auto core = self();
      const ExitProofResult res =
          exit_proof_at_root(core->node, static_cast<state::AccountIndex>(account), static_cast<state::TokenId>(token), root);
      if (!res.ok()) {
        const bool missing = res.error == ExitProofError::kRootNotFound || res.error == ExitProofError::kUnknownAccount ||
                             res.error == ExitProofError::kUnknownPool;
        const int c = missing ? code::kNotFound : res.error == ExitProofError::kReplayFailed ? code::kInternal : code::kInvalidParams;
        throw RpcError(c, "no exit proof: " + res.message,
                       json{{"reason", std::string(to_string(res.error))}});
      }
      return exit_proof_json(*res.proof);
    }, kExitProofCost);

    disp.add_sync("zkamm_subscribe", [self](const json& p, const CallContext& ctx) {
      auto core = self();
      if (!ctx.peer)
        throw RpcError(code::kUnsupported, "subscriptions need a WebSocket connection (GET /ws)");
      const std::string& kind = string_arg(*param(p, 0, "kind"), "kind");
      std::optional<Hash> hash;
      std::shared_ptr<Sub::Resume> resume;
      if (kind == "txStatus") hash = hash_arg(*param(p, 1, "hash"), "hash");
      else if (const json* o = param(p, 1, "options", false); o && o->is_object() && o->contains("from")) {
        resume = std::make_shared<Sub::Resume>();
        resume->next = std::max<uint64_t>(uint_arg((*o)["from"], "from", UINT64_MAX - 1), 1);
        if (const uint64_t head = core->node.status().head_block; head > resume->next + kMaxResumeBlocks)
          throw RpcError(code::kInvalidParams, "resume at most " + std::to_string(kMaxResumeBlocks) +
                                                   " blocks back; read older ones with zkamm_getBlock");
      }
      else if (kind != "newBlocks")
        throw RpcError(code::kInvalidParams, "kind must be \"newBlocks\" or \"txStatus\"");
      uint64_t id = 0;
      {
        std::lock_guard lock(core->sub_mu);
        auto& mine = core->subs_by_peer[ctx.peer->id()];
        if (mine.size() >= core->cfg.max_subscriptions_per_peer)
          throw RpcError(code::kOverloaded, "too many subscriptions on this connection",
                         json{{"limit", core->cfg.max_subscriptions_per_peer}});
        id = core->next_sub++;
        mine.push_back(id);
        core->subs[id] = Sub{ctx.peer->id(), ctx.peer, !hash, std::nullopt, resume};
      }
      // The blocks since "from", before the reply (like a final txStatus): the id is in each.
      if (resume) core->send_resumed(id, *resume, *ctx.peer, 0);
      if (hash) {
        // Registered after the reply is queued would be nicer; the notification may come first
        // when the tx is already final, which clients must accept anyway (ids are in both).
        std::weak_ptr<Peer> wp = ctx.peer;
        const SubscriptionId nid = core->node.on_tx_status(*hash, [wp, id](const TxInfo& info) {
          if (auto peer = wp.lock()) peer->send_text(notification(id, tx_info_json(info)));
        });
        bool keep = false;
        {
          std::lock_guard lock(core->sub_mu);
          auto it = core->subs.find(id);
          if (it != core->subs.end()) {
            it->second.node_sub = nid;
            keep = true;
          }
        }
        if (!keep) core->node.unsubscribe(nid);
      }
      return json(sub_hex(id));
    });

    disp.add_sync("zkamm_unsubscribe", [self](const json& p, const CallContext& ctx) {
      auto core = self();
      const std::string& s = string_arg(*param(p, 0, "id"), "id");
      uint64_t id = 0;
      if (s.size() < 3 || s.size() > 18 || s[0] != '0' || s[1] != 'x') return json(false);
      for (std::size_t i = 2; i < s.size(); ++i) {
        const char c = s[i];
        const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return json(false);
        id = id << 4 | static_cast<uint64_t>(d);
      }
      std::optional<SubscriptionId> nid;
      {
        std::lock_guard lock(core->sub_mu);
        auto it = core->subs.find(id);
        if (it == core->subs.end() || !ctx.peer || it->second.peer_id != ctx.peer->id()) return json(false);
        nid = it->second.node_sub;
        auto& mine = core->subs_by_peer[it->second.peer_id];
        mine.erase(std::remove(mine.begin(), mine.end(), id), mine.end());
        core->subs.erase(it);
      }
      if (nid) core->node.unsubscribe(*nid);
      return json(true);
    });
  }

  http::GetResponse get(const std::string& path) {
    if (auto asset = explorer::find_asset(path))
      return {200, std::string(asset->content_type), std::string(asset->body)};
    if (path == "/health") {
      const std::string& err = node.error();
      if (!err.empty() || stopping) {
        json j = {{"status", "error"}, {"error", stopping ? "stopping" : err}};
        return {503, "application/json", j.dump()};
      }
      // 503 while submit rejects for the disk, so a balancer routes around the node.
      if (const std::string problem = node.store_problem(); !problem.empty()) {
        json j = {{"status", "error"}, {"error", problem}, {"code", "store_unavailable"}};
        return {503, "application/json", j.dump()};
      }
      const NodeStatus s = node.status();
      json j = {{"status", "ok"}, {"head_block", s.head_block}, {"pending", s.pending}, {"uptime_ms", s.uptime_ms}};
      return {200, "application/json", j.dump()};
    }
    if (path == "/metrics") {
      if (budget) {
        m.buffered_bytes.set(static_cast<int64_t>(budget->used()));
        m.buffered_peak.set(static_cast<int64_t>(budget->peak()));
      }
      m.heavy_load.set(static_cast<int64_t>(pool->load()));
      if (node.error().empty()) {
        const NodeStatus s = node.status();
        m.mempool_size.set(static_cast<int64_t>(s.pending));
        m.head_block.set(static_cast<int64_t>(s.head_block));
        m.batcher_backlog.set(static_cast<int64_t>(s.batcher_backlog_batches));
        l1_committed.set(static_cast<int64_t>(s.last_committed));
        l1_proven.set(static_cast<int64_t>(s.last_proven));
        l1_finalized.set(static_cast<int64_t>(s.last_finalized));
      }
      return {200, "text/plain; version=0.0.4; charset=utf-8", reg.render()};
    }
    return {404, "text/plain", "not found\n"};
  }
};

Service::Service(Node& node, ServiceConfig cfg) : core_(std::make_shared<Core>(node, std::move(cfg))) {
  core_->attach();
  std::weak_ptr<Core> weak = core_;
  http::Handlers h;
  h.rpc = [weak](std::string body, const CallContext& ctx, std::function<void(std::string)> done) {
    auto core = weak.lock();
    if (!core) return done(Dispatcher::error_response(code::kInternal, "node is shutting down"));
    core->disp.handle(body, ctx, std::move(done));
  };
  h.get = [weak](const std::string& path) -> http::GetResponse {
    auto core = weak.lock();
    if (!core) return {503, "text/plain", "stopping\n"};
    return core->get(path);
  };
  h.ws_closed = [weak](uint64_t peer_id) {
    if (auto core = weak.lock()) core->peer_closed(peer_id);
  };
  server_ = std::make_unique<http::Server>(core_->cfg.server, std::move(h), &core_->m);
  core_->budget = server_->budget();
  core_->disp.set_budget(core_->budget);
}

Service::~Service() { stop(); }

bool Service::start(std::string* error) { return server_->start(error); }
uint16_t Service::port() const noexcept { return server_->port(); }

void Service::stop() {
  server_->stop();
  core_->detach();
}

const Dispatcher& Service::dispatcher() const noexcept { return core_->disp; }
void Service::add_method(std::string name, SyncMethod m) { core_->disp.add_sync(std::move(name), std::move(m)); }
metrics::Registry& Service::registry() noexcept { return core_->reg; }
void Service::set_explorer_hooks(ExplorerHooks hooks) { core_->feed->set_hooks(std::move(hooks)); }

}  // namespace zkamm::node::rpc
