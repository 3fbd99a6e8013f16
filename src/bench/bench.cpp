// `zkamm bench` orchestration: target (in-process node or URL), runs, accounting, report.
#include "bench/bench.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench/http_load.hpp"
#include "bench/records.hpp"
#include "bench/workload.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_service.hpp"
#include "node/rpc_views.hpp"

namespace zkamm::bench {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

double ms_since(int64_t ns) { return ns < 0 ? -1.0 : static_cast<double>(ns) / 1e6; }

/// Everything a run needs from the target.
struct Target {
  node::rpc::Endpoint ep;
  tx::Domain domain;
  uint32_t max_block_txs = 0;
  std::vector<BenchAccount> accounts;  ///< bench accounts, instance i owns [i*A, (i+1)*A)
  std::vector<std::pair<uint16_t, uint16_t>> pools;
  std::unique_ptr<node::Node> node;    ///< in-process only
  std::unique_ptr<node::rpc::Service> service;
  int pid = 0;
  std::string description;
};

json call(node::rpc::Client& c, const std::string& method, json params = json::array()) {
  return c.call(method, std::move(params));
}

std::string req_body(uint64_t id, const std::string& method, const json& params) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
}

/// Waits (bounded) until the node's mempool is empty and its batch roots caught up (and, with
/// `hard`, every batch is finalized on L1), so one run's tail does not load the next run.
void wait_idle(node::rpc::Client& ctl, double max_s, bool roots, bool hard = false) {
  const auto until = SteadyClock::now() + std::chrono::milliseconds(static_cast<int64_t>(max_s * 1000));
  while (SteadyClock::now() < until) {
    try {
      const json s = call(ctl, "zkamm_status");
      if (s.value("pending", uint64_t{1}) == 0 &&
          (!roots || s.value("last_root_batch", uint64_t{0}) >= s.value("last_batch", uint64_t{0})) &&
          (!hard || s.value("last_finalized", uint64_t{0}) >= s.value("last_batch", uint64_t{0})))
        return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

/// Next nonces of the accounts from the node (zkamm_getAccount), in bulk.
void refresh_nonces(const node::rpc::Endpoint& ep, std::vector<BenchAccount*>& accs, unsigned io_threads) {
  std::vector<std::string> bodies;
  for (std::size_t i = 0; i < accs.size(); ++i) bodies.push_back(req_body(i, "zkamm_getAccount", json::array({accs[i]->index})));
  const auto replies = fetch_all(ep, bodies, 16, io_threads);
  for (std::size_t i = 0; i < accs.size(); ++i) {
    const json j = json::parse(replies[i].body, nullptr, false);
    if (j.is_object() && j.contains("result") && j["result"].contains("nonce"))
      accs[i]->nonce = j["result"]["nonce"].get<uint32_t>();
  }
}

std::vector<PoolView> read_pools(node::rpc::Client& ctl, const std::vector<std::pair<uint16_t, uint16_t>>& pairs) {
  std::vector<PoolView> out;
  for (const auto& [a, b] : pairs) {
    try {
      const json p = call(ctl, "zkamm_getPool", json::array({a, b}));
      PoolView v;
      v.token0 = p["token0"].get<uint16_t>();
      v.token1 = p["token1"].get<uint16_t>();
      v.reserve0 = node::rpc::u256_from_decimal(p["reserve0"].get<std::string>()).value_or(ff::U256{});
      v.reserve1 = node::rpc::u256_from_decimal(p["reserve1"].get<std::string>()).value_or(ff::U256{});
      out.push_back(v);
    } catch (const std::exception&) {
    }
  }
  return out;
}

std::string error_reason(const json& e) {
  if (e.contains("data") && e["data"].is_object() && e["data"].contains("name")) {
    std::string r = e["data"]["name"].get<std::string>();
    return r;
  }
  return "rpc_error_" + std::to_string(e.value("code", 0));
}

struct RunSpec {
  std::string label;
  uint32_t instances = 1;
  uint32_t per_account = 1;
  uint64_t total = 0;  ///< cap (0: none)
  double rate = 0;     ///< > 0: open loop
};

class Runner {
 public:
  Runner(const BenchConfig& cfg, Target& t, SteadyClock::time_point bench_t0) : cfg_(cfg), t_(t), bench_t0_(bench_t0) {}

  /// One run: each step below is one section of it, in order.
  RunData run(const RunSpec& spec);

 private:
  /// What a run's steps share.
  struct Run {
    explicit Run(const node::rpc::Endpoint& ep) : ctl(ep, std::chrono::seconds(30)) {}
    RunData rd;
    node::rpc::Client ctl;
    std::vector<PlannedSwap> plan;
    std::size_t n = 0;
    std::vector<HttpRequest> reqs;
    std::vector<std::vector<uint32_t>> queues;
    HashIndex index;
    std::unique_ptr<SoftStamps> stamps;
    json before, after;
    SteadyClock::time_point t0;
    double wall_t0_ms = 0;
    std::vector<uint8_t> accepted;
    uint64_t n_accepted = 0;
  };

  void wait_for_idle_node(const RunSpec& spec, Run& r);
  void plan_and_sign(const RunSpec& spec, Run& r);
  void build_requests(const RunSpec& spec, Run& r);
  void send_and_wait_soft(const RunSpec& spec, Run& r);
  void classify_replies(const RunSpec& spec, Run& r, const std::vector<HttpReply>& replies);
  void wait_soft_or_rejected(Run& r);
  void record_soft(Run& r);
  void wait_last_batched(Run& r);
  void wait_hard(const RunSpec& spec, Run& r);
  void read_node_view(Run& r);
  void collect_batches(Run& r);
  static void summarize_soft(RunData& rd, double& first_send);
  static void summarize_hard(RunData& rd, double first_send);

  const BenchConfig& cfg_;
  Target& t_;
  SteadyClock::time_point bench_t0_;
};

RunData Runner::run(const RunSpec& spec) {
  Run r(t_.ep);
  r.rd.mode = spec.rate > 0 ? "open" : "closed";
  r.rd.max_block_txs = t_.max_block_txs;
  RunSummary& sum = r.rd.summary;
  sum.label = spec.label;
  sum.instances = spec.instances;
  sum.offered_rate = spec.rate;
  wait_for_idle_node(spec, r);
  plan_and_sign(spec, r);
  build_requests(spec, r);
  send_and_wait_soft(spec, r);
  record_soft(r);
  wait_last_batched(r);
  wait_hard(spec, r);
  r.after = call(r.ctl, "zkamm_status");
  sum.node_soft_delta = r.after.value("soft_txs", uint64_t{0}) - r.before.value("soft_txs", uint64_t{0});
  read_node_view(r);
  collect_batches(r);
  double first_send = -1;
  summarize_soft(r.rd, first_send);
  summarize_hard(r.rd, first_send);
  return std::move(r.rd);
}

void Runner::wait_for_idle_node(const RunSpec& spec, Run& r) {
  if (cfg_.hard_timeout_s > 0) {
    // hard finality is measured on an idle pipeline: earlier batches (the accounts' deposits, the
    // previous run) are proven and executed on L1 first, so they do not queue before this run's
    if (cfg_.progress) std::fprintf(stderr, "[%s] waiting until every earlier batch is finalized on L1...\n", spec.label.c_str());
    wait_idle(r.ctl, cfg_.hard_timeout_s, true, true);
  } else {
    wait_idle(r.ctl, cfg_.url.empty() ? 120 : 30, cfg_.compute_batch_roots || !cfg_.url.empty());
  }
}

// accounts of the instances, nonces from the node
void Runner::plan_and_sign(const RunSpec& spec, Run& r) {
  const uint32_t A = cfg_.accounts_per_instance;
  std::vector<BenchAccount*> accs;
  std::vector<uint32_t> owner;
  for (uint32_t i = 0; i < spec.instances; ++i)
    for (uint32_t a = 0; a < A; ++a) {
      accs.push_back(&t_.accounts[static_cast<std::size_t>(i) * A + a]);
      owner.push_back(i);
    }
  refresh_nonces(t_.ep, accs, cfg_.io_threads);
  const auto pools = read_pools(r.ctl, t_.pools);
  const auto sign_start = SteadyClock::now();
  const uint64_t deadline = static_cast<uint64_t>(std::time(nullptr)) + 3600;
  r.plan = plan_swaps(accs, owner, spec.per_account, spec.total, pools, t_.domain, cfg_.slippage,
                      cfg_.seed * 1000003 + std::hash<std::string>{}(spec.label), deadline);
  r.rd.sign_s = std::chrono::duration<double>(SteadyClock::now() - sign_start).count();
  r.n = r.plan.size();
}

// requests and connection queues: account a of instance i always uses the same connection,
// so each account's nonces arrive in order
void Runner::build_requests(const RunSpec& spec, Run& r) {
  const uint32_t A = cfg_.accounts_per_instance;
  const std::size_t n = r.n;
  const uint32_t cpi = std::max(1u, cfg_.conns_per_instance);
  const std::size_t conns =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(spec.instances) * cpi, cfg_.max_connections));
  r.rd.connections = static_cast<uint32_t>(conns);
  r.reqs.resize(n);
  r.queues.resize(conns);
  r.index.reserve(n * 2);
  const int64_t lead_ns = 20'000'000;  // open loop: first intended send 20 ms after t0
  for (std::size_t k = 0; k < n; ++k) {
    const PlannedSwap& p = r.plan[k];
    r.reqs[k].body = req_body(k, "zkamm_sendTransaction",
                              json::array({node::rpc::hex0x(p.encoded.data(), p.encoded.size())}));
    r.reqs[k].intended_ns = spec.rate > 0 ? lead_ns + static_cast<int64_t>(static_cast<double>(k) * 1e9 / spec.rate) : 0;
    const uint32_t local = p.slot % A;  // account slot inside its instance
    const std::size_t c = (static_cast<std::size_t>(p.instance) * cpi + local % cpi) % conns;
    r.queues[c].push_back(static_cast<uint32_t>(k));
    r.index.emplace(p.hash, static_cast<uint32_t>(k));
  }
}

/// Sends the run's swaps (the block watcher and the progress line running) and waits for them.
void Runner::send_and_wait_soft(const RunSpec& spec, Run& r) {
  const std::size_t n = r.n;
  r.before = call(r.ctl, "zkamm_status");
  const uint64_t head_before = r.before.value("head_block", uint64_t{0});
  r.stamps = std::make_unique<SoftStamps>(n);
  SoftStamps& stamps = *r.stamps;
  r.t0 = SteadyClock::now();
  const auto t0 = r.t0;
  r.wall_t0_ms = static_cast<double>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  r.rd.start_s = std::chrono::duration<double>(t0 - bench_t0_).count();
  BlockWatcher watcher(t_.ep, t0, head_before, r.index, stamps);
  watcher.start();
  r.rd.websocket = watcher.websocket();

  LoadProgress prog;
  std::atomic<bool> done{false};
  std::thread progress([&] {
    if (!cfg_.progress) return;
    while (!done) {
      for (int i = 0; i < 5 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const double el = std::chrono::duration<double>(SteadyClock::now() - t0).count();
      std::fprintf(stderr, "\r[%s] %.1fs sent %llu/%zu replied %llu soft %llu failed %llu (%.0f soft/s)   ",
                   spec.label.c_str(), el, static_cast<unsigned long long>(prog.sent.load()), n,
                   static_cast<unsigned long long>(prog.replied.load()), static_cast<unsigned long long>(stamps.count.load()),
                   static_cast<unsigned long long>(prog.failed.load()), el > 0 ? static_cast<double>(stamps.count.load()) / el : 0.0);
    }
    std::fprintf(stderr, "\n");
  });

  LoadOptions lo;
  lo.ep = t_.ep;
  lo.io_threads = cfg_.io_threads;
  lo.paced = spec.rate > 0;
  const auto replies = run_http_load(lo, r.reqs, r.queues, t0, &prog);
  classify_replies(spec, r, replies);
  wait_soft_or_rejected(r);
  watcher.stop();
  done = true;
  progress.join();
  r.rd.blocks = watcher.blocks();
}

// classify replies
void Runner::classify_replies(const RunSpec& spec, Run& r, const std::vector<HttpReply>& replies) {
  const std::size_t n = r.n;
  RunData& rd = r.rd;
  rd.txs.resize(n);
  r.accepted.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    TxRecord& tr = rd.txs[k];
    const PlannedSwap& p = r.plan[k];
    tr.instance = p.instance;
    tr.account = p.account;
    tr.nonce = p.nonce;
    tr.token_in = p.token_in;
    tr.token_out = p.token_out;
    tr.hash = node::rpc::hex0x(p.hash.data(), p.hash.size());
    const HttpReply& rep = replies[k];
    tr.send_ms = ms_since(rep.send_ns);
    tr.intended_ms = spec.rate > 0 ? static_cast<double>(r.reqs[k].intended_ns) / 1e6 : tr.send_ms;
    tr.accept_ms = ms_since(rep.reply_ns);
    if (!rep.transport_error.empty()) {
      tr.reason = "transport: " + rep.transport_error;
      continue;
    }
    const json j = json::parse(rep.body, nullptr, false);
    if (j.is_object() && j.contains("result")) {
      r.accepted[k] = 1;
      ++r.n_accepted;
    } else if (j.is_object() && j.contains("error") && j["error"].is_object()) {
      tr.outcome = Outcome::kRejected;
      tr.reason = error_reason(j["error"]);
    } else {
      tr.reason = "bad reply (HTTP " + std::to_string(rep.status) + ")";
    }
  }
}

// wait until every accepted swap is soft or the node says it was rejected (bounded)
void Runner::wait_soft_or_rejected(Run& r) {
  const std::size_t n = r.n;
  RunData& rd = r.rd;
  SoftStamps& stamps = *r.stamps;
  const auto wait_until = SteadyClock::now() + std::chrono::milliseconds(static_cast<int64_t>(cfg_.soft_timeout_s * 1000));
  auto last_check = SteadyClock::now();
  uint64_t rejected_late = 0;
  std::vector<uint8_t> final_rejected(n, 0);
  while (SteadyClock::now() < wait_until) {
    if (stamps.count.load() + rejected_late >= r.n_accepted) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (SteadyClock::now() - last_check < std::chrono::seconds(1)) continue;
    last_check = SteadyClock::now();
    // ask the node about accepted swaps that are not soft yet
    std::vector<std::string> bodies;
    std::vector<std::size_t> which;
    for (std::size_t k = 0; k < n; ++k)
      if (r.accepted[k] && !final_rejected[k] && stamps.soft_ns[k].load() < 0) {
        which.push_back(k);
        bodies.push_back(req_body(k, "zkamm_getTransaction", json::array({rd.txs[k].hash})));
      }
    const auto rs = fetch_all(t_.ep, bodies, 8, 1);
    for (std::size_t q = 0; q < which.size(); ++q) {
      const json j = json::parse(rs[q].body, nullptr, false);
      if (!j.is_object() || !j.contains("result")) continue;
      const json& ti = j["result"];
      if (ti.value("status", "") == "rejected") {
        final_rejected[which[q]] = 1;
        rd.txs[which[q]].outcome = Outcome::kRejected;
        rd.txs[which[q]].reason = ti.value("code_name", std::string("rejected"));
        ++rejected_late;
      }
    }
  }
}

void Runner::record_soft(Run& r) {
  SoftStamps& stamps = *r.stamps;
  for (std::size_t k = 0; k < r.n; ++k) {
    TxRecord& tr = r.rd.txs[k];
    const int64_t s = stamps.soft_ns[k].load();
    if (s >= 0) {
      tr.outcome = Outcome::kSoft;
      tr.soft_ms = ms_since(s);
      tr.block = stamps.block[k].load();
      tr.reason.clear();
    } else if (tr.outcome == Outcome::kTimedOut && tr.reason.empty()) {
      tr.reason = "not soft within the timeout";
    }
  }
}

// wait (bounded) until the last soft swap is in a batch: batches close in order, so then every
// soft swap of the run is batched and the per-batch figures are complete
void Runner::wait_last_batched(Run& r) {
  const std::size_t n = r.n;
  SoftStamps& stamps = *r.stamps;
  std::size_t last = n;
  for (std::size_t k = 0; k < n; ++k)
    if (stamps.soft_ns[k].load() >= 0 && (last == n || stamps.soft_ns[k].load() >= stamps.soft_ns[last].load())) last = k;
  const auto until = SteadyClock::now() + std::chrono::milliseconds(cfg_.url.empty() ? cfg_.batch_timeout_ms + 3000 : 5000);
  while (last < n && SteadyClock::now() < until) {
    try {
      const json ti = call(r.ctl, "zkamm_getTransaction", json::array({node::rpc::hex0x(r.plan[last].hash.data(), 32)}));
      if (ti.contains("batch") && ti["batch"].is_number_unsigned()) break;
    } catch (const std::exception&) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// hard finality: wait (bounded) until every soft swap's batch is executed on L1
void Runner::wait_hard(const RunSpec& spec, Run& r) {
  if (cfg_.hard_timeout_s <= 0) return;
  SoftStamps& stamps = *r.stamps;
  std::vector<std::size_t> left;
  for (std::size_t k = 0; k < r.n; ++k)
    if (stamps.soft_ns[k].load() >= 0) left.push_back(k);
  const std::size_t soft_n = left.size();
  const auto hard_start = SteadyClock::now();
  const auto until = hard_start + std::chrono::milliseconds(static_cast<int64_t>(cfg_.hard_timeout_s * 1000));
  std::size_t shown = soft_n + 1;
  auto shown_at = hard_start;
  while (!left.empty() && SteadyClock::now() < until) {
    if (cfg_.target_healthy && !cfg_.target_healthy()) break;
    std::vector<std::string> bodies;
    for (const std::size_t k : left) bodies.push_back(req_body(k, "zkamm_getTransaction", json::array({r.rd.txs[k].hash})));
    const auto rs = fetch_all(t_.ep, bodies, 4, 1);
    std::vector<std::size_t> still;
    for (std::size_t q = 0; q < left.size(); ++q) {
      const json j = json::parse(rs[q].body, nullptr, false);
      if (!j.is_object() || !j.contains("result") || j["result"].value("status", "") != "finalized") still.push_back(left[q]);
    }
    left.swap(still);
    // a progress line when the count moves, else every 15 s
    if (cfg_.progress && (left.size() != shown || SteadyClock::now() - shown_at > std::chrono::seconds(15))) {
      shown = left.size();
      shown_at = SteadyClock::now();
      std::fprintf(stderr, "[%s] hard finality: %zu/%zu soft swaps finalized on L1 (%.0f s)\n", spec.label.c_str(),
                   soft_n - left.size(), soft_n, std::chrono::duration<double>(SteadyClock::now() - hard_start).count());
    }
    if (!left.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// the node's view of every swap: status, node times, batch, and later finality when reported
void Runner::read_node_view(Run& r) {
  if (!cfg_.verify_with_node) return;
  const std::size_t n = r.n;
  RunSummary& sum = r.rd.summary;
  const double wall_t0_ms = r.wall_t0_ms;
  std::vector<std::string> bodies(n);
  for (std::size_t k = 0; k < n; ++k) bodies[k] = req_body(k, "zkamm_getTransaction", json::array({r.rd.txs[k].hash}));
  const auto rs = fetch_all(t_.ep, bodies, 16, cfg_.io_threads);
  const auto rel = [&](const json& times, const char* key) {
    if (!times.contains(key) || !times[key].is_number()) return -1.0;
    const double v = times[key].get<double>();
    return v > 0 ? v - wall_t0_ms : -1.0;
  };
  for (std::size_t k = 0; k < n; ++k) {
    TxRecord& tr = r.rd.txs[k];
    const json j = json::parse(rs[k].body, nullptr, false);
    if (!j.is_object() || !j.contains("result")) {
      tr.node_status = "unknown";
      if (tr.outcome != Outcome::kSoft) ++sum.node_verified;  // never entered the node
      continue;
    }
    const json& ti = j["result"];
    tr.node_status = ti.value("status", "");
    if (ti.contains("batch") && ti["batch"].is_number_unsigned()) tr.batch = ti["batch"].get<uint64_t>();
    if (ti.contains("times") && ti["times"].is_object()) {
      const json& tm = ti["times"];
      tr.node_received_ms = rel(tm, "received");
      tr.node_soft_ms = rel(tm, "soft");
      tr.committed_ms = rel(tm, "committed");
      tr.proven_ms = rel(tm, "proven");
      tr.finalized_ms = rel(tm, "finalized");
    }
    const bool node_soft = tr.node_status == "soft" || tr.node_status == "committed" || tr.node_status == "proven" ||
                           tr.node_status == "finalized";
    if ((tr.outcome == Outcome::kSoft) == node_soft &&
        (tr.outcome != Outcome::kRejected || tr.node_status == "rejected" || tr.node_status == "unknown"))
      ++sum.node_verified;
  }
}

// batches that hold this run's swaps
// (those recorded during the run, and those the node placed our swaps in)
void Runner::collect_batches(Run& r) {
  RunData& rd = r.rd;
  const double wall_t0_ms = r.wall_t0_ms;
  uint64_t batch_before = r.before.value("last_batch", uint64_t{0});
  uint64_t batch_after = r.after.value("last_batch", uint64_t{0});
  for (const auto& tr : rd.txs)
    if (tr.batch > 0) {
      batch_before = std::min(batch_before, tr.batch - 1);
      batch_after = std::max(batch_after, tr.batch);
    }
  for (uint64_t b = batch_before + 1; b <= batch_after && b <= batch_before + 100000; ++b) {
    try {
      const json bj = call(r.ctl, "zkamm_getBatch", json::array({b}));
      BatchRecord br;
      br.number = b;
      br.slots = bj.value("num_slots", 0u);
      br.kind = bj.value("kind", "universal");
      br.root_ready = bj.value("root_ready", false);
      for (const auto& s : bj["slots"]) {
        if (s.value("type", "") != "noop") br.used++;
        const auto h = node::rpc::hash_from_hex(s.value("hash", ""));
        if (h && r.index.count(*h)) br.ours++;
      }
      if (bj.contains("l1") && bj["l1"].is_object()) {
        const json& l1 = bj["l1"];
        br.l1_stage = l1.value("stage", "");
        const auto rel = [&](const char* key) {
          return l1.contains(key) && l1[key].is_number() && l1[key].get<double>() > 0 ? l1[key].get<double>() - wall_t0_ms : -1.0;
        };
        br.committed_ms = rel("committed");
        br.proven_ms = rel("proven");
        br.finalized_ms = rel("finalized");
      }
      BatchFigures fig;
      if (cfg_.batch_figures && cfg_.batch_figures(b, fig)) {
        br.witness_ms = fig.witness_ms;
        br.prove_ms = fig.prove_ms;
        if (fig.witness_ms >= 0 && fig.prove_ms >= 0) br.proving_ms = fig.witness_ms + fig.prove_ms;
        br.gas_commit = fig.gas_commit;
        br.gas_prove = fig.gas_prove;
        br.gas_execute = fig.gas_execute;
        br.gas_settle = fig.gas_settle;
        if (fig.gas_settle > 0) br.l1_gas = fig.gas_settle;
        else if (fig.gas_commit > 0 && fig.gas_prove > 0 && fig.gas_execute > 0) br.l1_gas = fig.gas_commit + fig.gas_prove + fig.gas_execute;
      }
      if (br.ours > 0) rd.batches.push_back(br);
    } catch (const std::exception&) {
    }
  }
}

// summary: counts, soft latency, TPS and the best 1 s window; first_send for summarize_hard
void Runner::summarize_soft(RunData& rd, double& first_send) {
  RunSummary& sum = rd.summary;
  double last_soft = -1;
  std::vector<double> lat, soft_times;
  for (const auto& r : rd.txs) {
    ++sum.sent;
    if (r.send_ms >= 0 && (first_send < 0 || r.send_ms < first_send)) first_send = r.send_ms;
    switch (r.outcome) {
      case Outcome::kSoft:
        ++sum.soft;
        last_soft = std::max(last_soft, r.soft_ms);
        lat.push_back(r.soft_ms - r.intended_ms);
        soft_times.push_back(r.soft_ms);
        break;
      case Outcome::kRejected:
        ++sum.rejected;
        rd.reasons["rejected: " + r.reason]++;
        break;
      case Outcome::kTimedOut:
        ++sum.timed_out;
        rd.reasons["timed out: " + r.reason]++;
        break;
    }
  }
  sum.time_s = (last_soft >= 0 && first_send >= 0) ? (last_soft - first_send) / 1000.0 : 0;
  // a run that fits in one block has time ~ one block interval; avoid dividing by ~0
  if (sum.soft > 0 && sum.time_s < 1e-3) sum.time_s = 1e-3;
  sum.tps = sum.time_s > 0 ? static_cast<double>(sum.soft) / sum.time_s : 0;
  std::sort(soft_times.begin(), soft_times.end());
  if (sum.time_s <= 1.0) {
    sum.peak_tps = sum.tps;
  } else {
    for (std::size_t i = 0, j = 0; i < soft_times.size(); ++i) {  // best 1 s window
      while (soft_times[i] - soft_times[j] > 1000.0) ++j;
      sum.peak_tps = std::max(sum.peak_tps, static_cast<double>(i - j + 1));
    }
  }
  std::vector<double> node_lat;
  for (const auto& r : rd.txs)
    if (r.outcome == Outcome::kSoft && r.node_soft_ms >= 0) node_lat.push_back(r.node_soft_ms - r.intended_ms);
  sum.node_soft_p50_ms = percentile(node_lat, 50);
  sum.node_soft_p99_ms = percentile(node_lat, 99);
  sum.soft_p50_ms = percentile(lat, 50);
  sum.soft_p99_ms = percentile(lat, 99);
  sum.soft_max_ms = percentile(lat, 100);
}

// hard finality and the prover's share of it
void Runner::summarize_hard(RunData& rd, double first_send) {
  RunSummary& sum = rd.summary;
  std::map<uint64_t, double> proving;
  for (const auto& b : rd.batches)
    if (b.proving_ms >= 0) {
      proving[b.number] = b.proving_ms;
      sum.prover_ms += b.proving_ms;
    }
  std::vector<double> hard, share;
  double last_final = -1;
  for (const auto& r : rd.txs) {
    sum.committed += r.committed_ms >= 0;
    sum.proven += r.proven_ms >= 0;
    if (r.outcome != Outcome::kSoft || r.finalized_ms < 0) continue;
    ++sum.finalized;
    const double h = r.finalized_ms - r.intended_ms;
    hard.push_back(h / 1000.0);
    last_final = std::max(last_final, r.finalized_ms);
    if (const auto it = proving.find(r.batch); it != proving.end() && h > 0) share.push_back(it->second / h);
  }
  sum.hard_p50_s = percentile(hard, 50);
  sum.hard_p99_s = percentile(hard, 99);
  sum.hard_max_s = percentile(hard, 100);
  sum.hard_time_s = (last_final >= 0 && first_send >= 0) ? (last_final - first_send) / 1000.0 : 0;
  sum.prover_share = sum.hard_time_s > 0 ? sum.prover_ms / (sum.hard_time_s * 1000.0) : 0;
  sum.prover_share_p50 = percentile(share, 50);
}

bool open_target(const BenchConfig& cfg, uint32_t needed_accounts, const std::string& report_dir, Target& t,
                 std::string& err) {
  if (cfg.url.empty()) {
    node::NodeConfig nc;
    nc.data_dir = cfg.data_dir.empty() ? (fs::path(report_dir) / "node-data").string() : cfg.data_dir;
    std::error_code ec;
    fs::remove_all(nc.data_dir, ec);
    nc.block_time = std::chrono::milliseconds(cfg.block_time_ms);
    nc.max_block_txs = cfg.max_block_txs;
    nc.batch_slots = cfg.batch_slots;
    nc.batch_timeout = std::chrono::milliseconds(cfg.batch_timeout_ms);
    nc.compute_batch_roots = cfg.compute_batch_roots;
    nc.verifier_threads = cfg.node_verifier_threads;
    nc.max_pending = std::max<uint32_t>(nc.max_pending, static_cast<uint32_t>(std::min<uint64_t>(cfg.max_swaps_per_run * 2, 4000000)));
    nc.domain.chain_id = 31337;
    nc.domain.rollup[0] = 0xb0;
    nc.domain.rollup[19] = 0x01;
    t.node = std::make_unique<node::Node>(nc);
    if (!t.node->error().empty()) {
      err = "node: " + t.node->error();
      return false;
    }
    if (cfg.progress) std::fprintf(stderr, "bench: loading genesis (%u accounts, %u tokens)...\n", needed_accounts, cfg.tokens);
    const std::string g = t.node->load_genesis_json(make_genesis_json(cfg.seed, needed_accounts, cfg.tokens));
    if (!g.empty()) {
      err = "genesis: " + g;
      return false;
    }
    node::rpc::ServiceConfig sc;
    sc.server.host = "127.0.0.1";
    sc.server.port = 0;
    sc.server.threads = cfg.server_threads;
    sc.server.max_connections = std::max<std::size_t>(sc.server.max_connections, cfg.max_connections + 64);
    t.service = std::make_unique<node::rpc::Service>(*t.node, sc);
    std::string e;
    if (!t.service->start(&e)) {
      err = "rpc server: " + e;
      return false;
    }
    t.ep.host = "127.0.0.1";
    t.ep.port = t.service->port();
    t.max_block_txs = cfg.max_block_txs;
    for (uint32_t i = 0; i < needed_accounts; ++i) {
      BenchAccount a;
      a.index = 2 + i;
      a.key = derive_key(cfg.seed, a.index);
      t.accounts.push_back(a);
    }
    for (uint16_t a = 1; a <= cfg.tokens; ++a)
      for (uint16_t b = static_cast<uint16_t>(a + 1); b <= cfg.tokens; ++b) t.pools.emplace_back(a, b);
    t.pid = 0;
    t.description = "in-process node (127.0.0.1:" + std::to_string(t.ep.port) + ")";
  } else {
    auto ep = node::rpc::parse_url(cfg.url);
    if (!ep) {
      err = "bad url " + cfg.url + " (http://HOST:PORT)";
      return false;
    }
    t.ep = *ep;
    if (cfg.genesis_path.empty()) {
      err = "driving a node by URL needs --genesis (the node's genesis file, with private keys)";
      return false;
    }
    std::ifstream in(cfg.genesis_path);
    std::stringstream ss;
    ss << in.rdbuf();
    auto g = read_genesis(ss.str(), &err);
    if (!g) return false;
    if (g->accounts.size() < needed_accounts) {
      err = "the genesis has " + std::to_string(g->accounts.size()) + " funded accounts with keys; the runs need " +
            std::to_string(needed_accounts);
      return false;
    }
    t.accounts = std::move(g->accounts);
    t.pools = std::move(g->pools);
    t.pid = cfg.node_pid;
    t.max_block_txs = cfg.max_block_txs;
    t.description = cfg.url;
  }
  node::rpc::Client ctl(t.ep, std::chrono::seconds(10));
  const json d = call(ctl, "zkamm_domain");
  t.domain.chain_id = std::stoull(d["chain_id"].get<std::string>());
  const auto rollup = node::rpc::bytes_from_hex(d["rollup"].get<std::string>(), 20);
  if (!rollup || rollup->size() != 20) {
    err = "zkamm_domain: bad rollup address";
    return false;
  }
  std::copy(rollup->begin(), rollup->end(), t.domain.rollup.begin());
  const json s = call(ctl, "zkamm_status");
  if (s.contains("max_block_txs") && s["max_block_txs"].is_number_unsigned())
    t.max_block_txs = s["max_block_txs"].get<uint32_t>();
  return true;
}

}  // namespace

BenchResult run(const BenchConfig& cfg) {
  BenchResult res;
  try {
    const auto bench_t0 = SteadyClock::now();
    res.report_dir = cfg.out_dir;
    fs::create_directories(res.report_dir);
    if (cfg.accounts_per_instance == 0 || cfg.swaps_per_account == 0) {
      res.error = "accounts per instance and swaps per account must be > 0";
      return res;
    }
    uint32_t max_inst = cfg.instances;
    if (cfg.mode == Mode::kTable) {
      max_inst = 0;
      for (auto k : cfg.table_instances) max_inst = std::max(max_inst, k);
    }
    if (max_inst == 0) {
      res.error = "no instances";
      return res;
    }
    const uint64_t needed64 = static_cast<uint64_t>(max_inst) * cfg.accounts_per_instance;
    if (needed64 > (1u << 22)) {
      res.error = "too many accounts (instances x accounts per instance > 2^22)";
      return res;
    }
    Target target;
    std::string err;
    if (!open_target(cfg, static_cast<uint32_t>(needed64), res.report_dir, target, err)) {
      res.error = err;
      return res;
    }
    ResourceSampler sampler(target.pid, bench_t0);
    if (target.pid >= 0 && (cfg.url.empty() || cfg.node_pid > 0)) sampler.start();
    Runner runner(cfg, target, bench_t0);
    std::vector<RunData> runs;
    std::vector<SweepRow> sweep;
    double best = 0;
    const auto per_run = [&](uint32_t k, uint32_t per_account) {
      const uint64_t full = static_cast<uint64_t>(k) * cfg.accounts_per_instance * per_account;
      if (cfg.max_swaps_per_run > 0 && full > cfg.max_swaps_per_run)
        per_account = static_cast<uint32_t>(std::max<uint64_t>(1, cfg.max_swaps_per_run / (static_cast<uint64_t>(k) * cfg.accounts_per_instance)));
      return per_account;
    };
    switch (cfg.mode) {
      case Mode::kTable:
        for (auto k : cfg.table_instances) {
          RunSpec s{"closed-" + std::to_string(k), k, per_run(k, cfg.swaps_per_account), cfg.max_swaps_per_run, 0};
          runs.push_back(runner.run(s));
        }
        break;
      case Mode::kClosed:
        runs.push_back(runner.run(RunSpec{"closed-" + std::to_string(cfg.instances), cfg.instances,
                                          per_run(cfg.instances, cfg.swaps_per_account), cfg.max_swaps_per_run, 0}));
        break;
      case Mode::kOpen:
      case Mode::kSweep: {
        const uint64_t accounts = static_cast<uint64_t>(cfg.instances) * cfg.accounts_per_instance;
        double rate = cfg.mode == Mode::kOpen ? cfg.rate : cfg.sweep_start_rate;
        for (int step = 0; step < 40; ++step) {
          const double dur = cfg.mode == Mode::kOpen ? cfg.duration_s : cfg.sweep_step_s;
          uint64_t total = static_cast<uint64_t>(std::ceil(rate * dur));
          if (cfg.max_swaps_per_run > 0) total = std::min(total, cfg.max_swaps_per_run);
          total = std::max<uint64_t>(total, 1);
          const auto per_account = static_cast<uint32_t>((total + accounts - 1) / accounts);
          char label[64];
          std::snprintf(label, sizeof label, "open-%.0f", rate);
          runs.push_back(runner.run(RunSpec{label, cfg.instances, per_account, total, rate}));
          if (cfg.mode == Mode::kOpen) break;
          const RunSummary& s = runs.back().summary;
          SweepRow row;
          row.rate = rate;
          row.achieved = s.tps;
          row.p50 = s.soft_p50_ms;
          row.p99 = s.soft_p99_ms;
          row.failed = s.rejected + s.timed_out;
          row.pass = row.failed == 0 && row.p99 <= cfg.p99_bound_ms && s.sent > 0;
          sweep.push_back(row);
          if (!row.pass) break;
          best = rate;
          rate *= std::max(1.05, cfg.sweep_factor);
          if (rate > cfg.sweep_max_rate) break;
        }
        break;
      }
    }
    sampler.stop();
    res.sweep_best_rate = best;
    GasTable gas = load_gas_table(cfg.gas_table.empty() ? std::string(ZKAMM_BENCH_GAS_TABLE) : cfg.gas_table);
    ReportInput in{cfg, runs, sampler.samples(), sweep, best, std::move(gas), target.description, std::string(), 0};
    {
      std::ostringstream nc;
      if (cfg.url.empty())
        nc << "block_time " << cfg.block_time_ms << " ms, max_block_txs " << cfg.max_block_txs << ", batch_slots "
           << cfg.batch_slots << ", batch_timeout " << cfg.batch_timeout_ms << " ms, batch roots "
           << (cfg.compute_batch_roots ? "on" : "off") << ", verifier threads " << cfg.node_verifier_threads
           << ", rpc threads " << cfg.server_threads;
      else
        nc << "external node; max_block_txs " << target.max_block_txs;
      in.node_config = nc.str();
    }
    in.total_s = std::chrono::duration<double>(SteadyClock::now() - bench_t0).count();
    for (auto& r : runs) {
      if (in.gas.loaded) r.summary.gps = r.summary.tps * in.gas.swap;
      res.runs.push_back(r.summary);
    }
    const std::string werr = write_report(res.report_dir, in);
    if (!werr.empty()) {
      res.error = werr;
      return res;
    }
    if (target.service) target.service->stop();
    if (target.node) target.node->stop();
    res.ok = true;
  } catch (const std::exception& e) {
    res.error = e.what();
  }
  return res;
}

std::string run_bench(const BenchConfig& cfg) {
  const BenchResult r = run(cfg);
  if (!r.ok) {
    std::cerr << "bench: " << r.error << "\n";
    return "";
  }
  return r.report_dir;
}

}  // namespace zkamm::bench
