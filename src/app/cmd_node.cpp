// zkamm node --config FILE: the sequencer (src/node) behind the JSON-RPC server (docs/API.md),
// until SIGINT or SIGTERM. The config is JSON (configs/devnet-node.json); flags override it.
// With --l1 URL --deployment FILE (or "l1" in the config) it is the whole operator
// (settle::Operator): sequencer, prover, L1 sender, L1 watcher and RPC (docs/OPERATOR.md).
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/l1_options.hpp"
#include "cluster/member.hpp"
#include "node/node.hpp"
#include "node/rpc_service.hpp"
#include "node/rpc_views.hpp"
#include "settle/deploy.hpp"
#include "settle/deployment.hpp"
#include "settle/operator.hpp"

namespace zkamm::app {
namespace {

using nlohmann::json;

struct NodeOptions {
  std::string config;
  std::optional<std::string> data_dir, host, genesis, rollup, chain_id;
  std::optional<uint16_t> port;
  std::optional<unsigned> rpc_threads, verifier_threads;
  bool unsafe_skip_signatures = false;
  bool no_swap_batches = false;
  std::optional<uint32_t> block_time_ms, max_block_txs, batch_slots, batch_timeout_ms, max_pending, max_per_account;
  std::optional<uint32_t> tree_checkpoint_batches;
  std::optional<int> batcher_nice;
  std::optional<uint64_t> min_free_disk_mb;
  bool accept_rollback = false;
  // operator mode (--l1)
  std::optional<std::string> l1_url, deployment, keys_dir;
  std::optional<uint64_t> confirmations;
  bool prover_jobs = false;
  std::optional<unsigned> local_provers;
  std::optional<uint32_t> watch_interval_ms;
  double l1_down_patience_s = 600;
  L1KeyOptions key;
  L1FeeOptions fees;
  // sequencer group (docs/NODE.md "Sequencer group")
  std::optional<std::string> group_etcd, group_id, group_prefix;
  uint32_t group_size = 3;
  uint16_t repl_port = 0;
  std::string soft_finality = "local";
  int64_t lease_ttl_s = 1;
};

int run_group(const NodeOptions& o, node::NodeConfig nc, const node::rpc::ServiceConfig& sc, const std::string& genesis);
std::string operator_config(const NodeOptions& o, const node::NodeConfig& nc, const node::rpc::ServiceConfig& sc,
                            settle::OperatorConfig& oc);

/// Reads key `k` of object `o` into `out` when present; false (and *err) on a wrong type.
template <class T>
bool read_key(const json& o, const char* k, T& out, std::string* err) {
  auto it = o.find(k);
  if (it == o.end()) return true;
  try {
    out = it->get<T>();
    return true;
  } catch (const json::exception&) {
    *err = std::string("config key '") + k + "' has the wrong type";
    return false;
  }
}

/// The RPC's limits against hostile clients (docs/API.md section 4), from the config's `rpc`
/// object; the defaults are ServerConfig's, DispatcherLimits' and WorkerLimits'.
bool read_rpc_limits(const json& r, node::rpc::ServiceConfig& sc, std::string* err) {
  std::size_t per_ip = sc.server.max_connections_per_ip, buffered_mb = sc.server.max_buffered_bytes >> 20;
  std::size_t batch_cost = sc.limits.max_batch_cost;
  unsigned heavy_threads = sc.workers.threads;
  uint64_t ws_idle_ms = static_cast<uint64_t>(sc.server.ws_idle_timeout.count());
  uint64_t write_ms = static_cast<uint64_t>(sc.server.write_timeout.count());
  if (!(read_key(r, "max_connections_per_ip", per_ip, err) && read_key(r, "max_buffered_mb", buffered_mb, err) &&
        read_key(r, "max_batch_cost", batch_cost, err) && read_key(r, "heavy_threads", heavy_threads, err) &&
        read_key(r, "ws_idle_timeout_ms", ws_idle_ms, err) && read_key(r, "write_timeout_ms", write_ms, err)))
    return false;
  sc.server.max_connections_per_ip = per_ip;
  sc.server.max_buffered_bytes = buffered_mb << 20;
  sc.limits.max_batch_cost = batch_cost;
  sc.workers.threads = heavy_threads;
  sc.server.ws_idle_timeout = std::chrono::milliseconds(ws_idle_ms);
  sc.server.write_timeout = std::chrono::milliseconds(write_ms);
  return true;
}

int run_operator(const NodeOptions& o, node::NodeConfig nc, const node::rpc::ServiceConfig& sc, sigset_t signals);

/// SIGINT and SIGTERM.
sigset_t stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  return signals;
}

/// Blocks the stop signals in this thread before it starts any other: every thread the node and
/// the server start inherits the mask, so only wait_for_stop sees them.
sigset_t block_stop_signals() {
  const sigset_t signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

/// Waits for SIGINT or SIGTERM (0), looking at health() once a second: a non-empty answer is a
/// halted part, reported, and the process ends with status 1.
int wait_for_stop(const sigset_t& signals, const std::function<std::string()>& health) {
  const timespec second{1, 0};
  for (;;) {
    const int sig = sigtimedwait(&signals, nullptr, &second);
    if (sig == SIGINT || sig == SIGTERM) {
      std::cout << "zkamm node: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping" << std::endl;
      return 0;
    }
    if (auto h = health(); !h.empty()) {
      std::cerr << "error: " << h << "; stopping (a restart resumes safely)" << std::endl;
      return 1;
    }
  }
}

int run_node(const NodeOptions& flags) {
  // The config's "l1" section fills these; flags override it (below).
  NodeOptions l1_cfg = flags;
  const NodeOptions& o = flags;
  node::NodeConfig nc;
  node::rpc::ServiceConfig sc;
  std::string genesis;
  std::string chain_id = "31337", rollup = "0x0000000000000000000000000000000000000000";
  uint64_t block_time_ms = 100, batch_timeout_ms = 1000;
  if (!o.config.empty()) {
    std::ifstream in(o.config);
    if (!in) return fail("cannot read config " + o.config);
    std::stringstream ss;
    ss << in.rdbuf();
    const json c = json::parse(ss.str(), nullptr, false, /*ignore_comments=*/true);
    if (c.is_discarded() || !c.is_object()) return fail(o.config + ": not a JSON object");
    static const char* kKeys[] = {"data_dir",      "rpc",          "block_time_ms",    "max_block_txs",
                                  "batch_slots",   "batch_timeout_ms", "mempool",       "chain_id",
                                  "rollup",        "genesis",      "verifier_threads", "comment",
                                  "l1"};
    for (const auto& [k, v] : c.items()) {
      (void)v;
      if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys)) return fail(o.config + ": unknown key '" + k + "'");
    }
    std::string err;
    uint64_t cid = 0;
    bool ok = read_key(c, "data_dir", nc.data_dir, &err) && read_key(c, "block_time_ms", block_time_ms, &err) &&
              read_key(c, "max_block_txs", nc.max_block_txs, &err) && read_key(c, "batch_slots", nc.batch_slots, &err) &&
              read_key(c, "batch_timeout_ms", batch_timeout_ms, &err) && read_key(c, "rollup", rollup, &err) &&
              read_key(c, "genesis", genesis, &err) && read_key(c, "verifier_threads", nc.verifier_threads, &err);
    if (ok && c.contains("chain_id")) {
      if (c["chain_id"].is_string()) ok = read_key(c, "chain_id", chain_id, &err);
      else if ((ok = read_key(c, "chain_id", cid, &err))) chain_id = std::to_string(cid);
    }
    if (ok && c.contains("rpc")) {
      const json& r = c["rpc"];
      if (!r.is_object()) return fail(o.config + ": rpc must be an object");
      std::size_t body_limit = sc.server.body_limit, max_conn = sc.server.max_connections, inflight = sc.server.max_inflight;
      ok = read_key(r, "host", sc.server.host, &err) && read_key(r, "port", sc.server.port, &err) &&
           read_key(r, "threads", sc.server.threads, &err) && read_key(r, "body_limit", body_limit, &err) &&
           read_key(r, "max_connections", max_conn, &err) && read_key(r, "max_inflight", inflight, &err) &&
           read_key(r, "max_batch", sc.limits.max_batch, &err);
      sc.server.body_limit = body_limit;
      sc.server.max_connections = max_conn;
      sc.server.max_inflight = inflight;
    }
    if (ok && c.contains("rpc")) ok = read_rpc_limits(c["rpc"], sc, &err);  // issue 17: hostile clients
    if (ok && c.contains("mempool")) {
      const json& m = c["mempool"];
      if (!m.is_object()) return fail(o.config + ": mempool must be an object");
      ok = read_key(m, "max_pending", nc.max_pending, &err) && read_key(m, "max_per_account", nc.max_per_account, &err) &&
           read_key(m, "max_nonce_gap", nc.max_nonce_gap, &err);
    }
    if (ok && c.contains("l1")) {
      // {"url", "deployment", "keys_dir", "confirmations", "key_file", "key_env", "prover_jobs",
      //  "local_provers", "priority_fee_gwei", "max_fee_gwei"}: the operator (docs/OPERATOR.md)
      const json& l = c["l1"];
      if (!l.is_object()) return fail(o.config + ": l1 must be an object");
      std::string url, dep, kd = ".zkamm-cache", kf;
      ok = read_key(l, "url", url, &err) && read_key(l, "deployment", dep, &err) && read_key(l, "keys_dir", kd, &err) &&
           read_key(l, "key_file", kf, &err) && read_key(l, "key_env", l1_cfg.key.key_env, &err) &&
           read_key(l, "prover_jobs", l1_cfg.prover_jobs, &err);
      uint64_t conf = 0;
      unsigned lp = 0;
      double fee = 0;
      if (ok && l.contains("confirmations") && (ok = read_key(l, "confirmations", conf, &err))) l1_cfg.confirmations = conf;
      if (ok && l.contains("local_provers") && (ok = read_key(l, "local_provers", lp, &err))) l1_cfg.local_provers = lp;
      if (ok && l.contains("priority_fee_gwei") && (ok = read_key(l, "priority_fee_gwei", fee, &err))) l1_cfg.fees.priority_fee_gwei = fee;
      if (ok && l.contains("max_fee_gwei") && (ok = read_key(l, "max_fee_gwei", fee, &err))) l1_cfg.fees.max_fee_gwei = fee;
      const auto base = std::filesystem::path(o.config).parent_path();
      const auto rel = [&](std::string p) { return p.empty() || std::filesystem::path(p).is_absolute() ? p : (base / p).string(); };
      if (!url.empty()) l1_cfg.l1_url = url;
      if (!dep.empty()) l1_cfg.deployment = rel(dep);
      l1_cfg.keys_dir = rel(kd);
      if (!kf.empty()) l1_cfg.key.key_file = rel(kf);
    }
    if (!ok) return fail(o.config + ": " + err);
    // Relative paths in the config are relative to the config file.
    const auto base = std::filesystem::path(o.config).parent_path();
    if (!nc.data_dir.empty() && std::filesystem::path(nc.data_dir).is_relative()) nc.data_dir = (base / nc.data_dir).string();
    if (!genesis.empty() && std::filesystem::path(genesis).is_relative()) genesis = (base / genesis).string();
  }
  if (o.data_dir) nc.data_dir = *o.data_dir;
  if (o.host) sc.server.host = *o.host;
  if (o.port) sc.server.port = *o.port;
  if (o.genesis) genesis = *o.genesis;
  if (o.rollup) rollup = *o.rollup;
  if (o.chain_id) chain_id = *o.chain_id;
  if (o.rpc_threads) sc.server.threads = *o.rpc_threads;
  if (o.verifier_threads) nc.verifier_threads = *o.verifier_threads;
  if (o.tree_checkpoint_batches) nc.tree_checkpoint_batches = *o.tree_checkpoint_batches;
  if (o.batcher_nice) nc.batcher_nice = *o.batcher_nice;
  if (o.block_time_ms) block_time_ms = *o.block_time_ms;
  if (o.max_block_txs) nc.max_block_txs = *o.max_block_txs;
  if (o.batch_slots) nc.batch_slots = *o.batch_slots;
  nc.swap_batches = !o.no_swap_batches;
  if (o.batch_timeout_ms) batch_timeout_ms = *o.batch_timeout_ms;
  if (o.max_pending) nc.max_pending = *o.max_pending;
  if (o.max_per_account) nc.max_per_account = *o.max_per_account;
  if (o.min_free_disk_mb) nc.min_free_disk_bytes = *o.min_free_disk_mb << 20;
  nc.accept_store_rollback = o.accept_rollback;
  if (o.unsafe_skip_signatures) {
    nc.check_signatures = false;
    std::cerr << "WARNING: --unsafe-skip-signature-checks: signatures are NOT verified (benchmarks of the RPC path only)\n";
  }
  if (nc.data_dir.empty()) return fail("no data dir: give --data-dir or data_dir in the config");
  if (o.l1_url) l1_cfg.l1_url = o.l1_url;
  if (o.deployment) l1_cfg.deployment = o.deployment;
  if (o.keys_dir) l1_cfg.keys_dir = o.keys_dir;
  if (o.confirmations) l1_cfg.confirmations = o.confirmations;
  if (o.local_provers) l1_cfg.local_provers = o.local_provers;
  if (o.prover_jobs) l1_cfg.prover_jobs = true;
  if (!o.key.key_file.empty()) l1_cfg.key.key_file = o.key.key_file;
  if (o.key.key_env != L1KeyOptions{}.key_env) l1_cfg.key.key_env = o.key.key_env;
  if (o.fees.priority_fee_gwei) l1_cfg.fees.priority_fee_gwei = o.fees.priority_fee_gwei;
  if (o.fees.max_fee_gwei) l1_cfg.fees.max_fee_gwei = o.fees.max_fee_gwei;
  if (l1_cfg.l1_url || l1_cfg.deployment) {
    if (!l1_cfg.l1_url || !l1_cfg.deployment) return fail("operator mode needs both --l1 URL and --deployment FILE");
    if (!genesis.empty()) return fail("--genesis: an operator's state comes from L1 deposits, not a genesis file");
    if (o.chain_id || o.rollup || o.batch_slots || o.no_swap_batches)
      return fail("--chain-id, --rollup, --batch-slots and --no-swap-batches come from the deployment file with --l1");
    nc.block_time = std::chrono::milliseconds(block_time_ms);
    nc.batch_timeout = std::chrono::milliseconds(batch_timeout_ms);
    const sigset_t signals = block_stop_signals();
    if (o.soft_finality != "local" && o.soft_finality != "quorum") return fail("--soft-finality is local or quorum");
    if (!o.group_etcd && o.soft_finality == "quorum") return fail("--soft-finality quorum needs a group (--group-etcd)");
    // Under local a leader may record a batch whose blocks no other member has; after a failover
    // the next batch then does not follow L1's root and the L1 sender halts (docs/NODE.md).
    if (o.group_etcd && o.soft_finality != "quorum")
      return fail("a sequencer group that settles on L1 needs --soft-finality quorum (under local, a failover can "
                  "strand a batch no other member holds and halt settlement)");
    // A group of operators: the settlement runs on the leader only (docs/NODE.md "Sequencer group").
    if (o.group_etcd) return run_group(l1_cfg, nc, sc, genesis);
    return run_operator(l1_cfg, nc, sc, signals);
  }
  nc.block_time = std::chrono::milliseconds(block_time_ms);
  nc.batch_timeout = std::chrono::milliseconds(batch_timeout_ms);
  const auto cid = node::rpc::u64_from_decimal(chain_id);
  if (!cid) return fail("chain_id must be a decimal number below 2^64");
  nc.domain.chain_id = *cid;
  const auto addr = node::rpc::bytes_from_hex(rollup, 20);
  if (!addr || addr->size() != 20) return fail("rollup must be a 0x-prefixed 20-byte address");
  std::copy(addr->begin(), addr->end(), nc.domain.rollup.begin());

  const sigset_t signals = block_stop_signals();

  if (o.soft_finality != "local" && o.soft_finality != "quorum") return fail("--soft-finality is local or quorum");
  if (o.group_etcd) return run_group(o, nc, sc, genesis);
  if (o.soft_finality == "quorum") return fail("--soft-finality quorum needs a group (--group-etcd)");

  node::Node n(nc);
  if (!n.error().empty()) return fail("node: " + n.error());
  const auto st = n.status();
  if (!genesis.empty()) {
    if (st.head_block == 0 && st.num_accounts <= 1) {
      std::cout << "loading genesis " << genesis << std::endl;
      if (auto e = n.load_genesis_file(genesis); !e.empty()) return fail("genesis: " + e);
    } else {
      std::cout << "data dir already initialised (head block " << st.head_block << "); genesis ignored" << std::endl;
    }
  }
  node::rpc::Service service(n, sc);
  std::string err;
  if (!service.start(&err)) return fail(err);
  std::cout << "zkamm node: chain " << nc.domain.chain_id << ", head block " << n.status().head_block
            << ", listening on http://" << sc.server.host << ":" << service.port() << std::endl;
  (void)wait_for_stop(signals, [] { return std::string(); });
  service.stop();
  n.stop();
  std::cout << "zkamm node: stopped at block " << n.status().head_block << std::endl;
  return 0;
}

/// One member of a sequencer group: etcd decides whether this node leads (seals) or follows
/// (replicates, forwards sends); reads are served locally either way. Deposed or diverged, the
/// process ends at once (status 75 / 76) so that it cannot append; a diverged data dir is moved
/// aside first, so the restart catches up from the leader. The caller blocked SIGINT/SIGTERM.
int run_group(const NodeOptions& o, node::NodeConfig nc, const node::rpc::ServiceConfig& sc, const std::string& genesis) {
  // With --l1: every member runs the operator's settle layer, which acts (proves, sends to L1,
  // reads deposits) only while the member leads (settle::Operator's group mode).
  const bool settles = o.l1_url.has_value();
  settle::OperatorConfig oc;
  std::optional<l1::PrivateKey> key;
  std::optional<settle::LoadedKeys> keys;
  if (settles) {
    std::string err;
    key = load_l1_key(o.key, &err);
    if (!key) return fail(err);
    if (auto e = operator_config(o, nc, sc, oc); !e.empty()) return fail(e);
    const settle::Deployment& d = oc.deployment;
    nc.batch_slots = d.batch_slots;
    nc.swap_batches = d.swap_batches;
    nc.domain = d.domain();
    const std::string keys_dir = o.keys_dir.value_or(".zkamm-cache");
    std::cout << "zkamm node: group operator of rollup " << l1::to_checksum_address(d.rollup) << " on chain " << d.chain_id
              << " (N = " << d.batch_slots << "); loading batch keys from " << keys_dir << std::endl;
    keys = settle::load_deployment_keys(d, keys_dir);
    if (!keys->universal) return fail("keys: " + keys->error);
  }
  cluster::MemberConfig mc;
  const auto ep = node::rpc::parse_url(*o.group_etcd);
  if (!ep) return fail("--group-etcd must be http://HOST:PORT");
  if (!o.group_id || o.group_id->empty()) return fail("--group-id is required with --group-etcd");
  mc.etcd = *ep;
  mc.id = *o.group_id;
  if (o.group_prefix) mc.prefix = *o.group_prefix;
  mc.group_size = o.group_size;
  mc.host = sc.server.host;
  mc.repl_port = o.repl_port;
  mc.lease_ttl_s = o.lease_ttl_s;
  nc.quorum_soft = o.soft_finality == "quorum";
  mc.node = nc;
  if (!genesis.empty()) {
    std::ifstream f(genesis);
    if (!f) return fail("cannot read genesis " + genesis);
    std::stringstream ss;
    ss << f.rdbuf();
    mc.genesis_json = ss.str();
  }
  cluster::Member m(mc);
  const std::string data_dir = nc.data_dir;
  m.on_fatal = [data_dir](cluster::Member::Fatal f, const std::string& why) {
    if (f == cluster::Member::Fatal::kDiverged) {
      // The blocks past the common prefix were never acknowledged by a quorum (they are logged
      // by the refusal); keep them for inspection and start over from the leader.
      const std::string aside = data_dir + ".diverged-" + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
      std::error_code ec;
      std::filesystem::rename(data_dir, aside, ec);
      std::cerr << "zkamm node: diverged (" << why << "); data dir moved to " << aside << std::endl;
      std::_Exit(76);
    }
    std::cerr << "zkamm node: deposed (" << why << "); stopping at once" << std::endl;
    std::_Exit(75);
  };
  if (auto e = m.open(); !e.empty()) return fail(e);
  std::optional<settle::Operator> op;  // after m: stopped and destroyed before the member's node
  if (settles) {
    oc.group_node = &m.node();
    oc.is_leader = [&m] { return m.may_act(); };
    op.emplace(oc, *keys->universal, keys->swap ? &*keys->swap : nullptr, *key, std::cout);
    if (auto e = op->start(); !e.empty()) return fail(e);
    m.on_leader = [&op](uint64_t) { op->lead(); };
  }
  node::rpc::Service service(m.node(), sc);
  // The settle layer's methods: prover jobs (the leader's board; followers name the leader) and
  // the explorer's settlement figures. The service stops before the operator (below).
  if (op) op->serve_group_rpc(service, [&m] {
    const std::string rpc = m.leader_rpc();
    return rpc.empty() ? rpc : "http://" + rpc;
  });
  std::string err;
  if (!service.start(&err)) return fail(err);
  if (auto e = m.join(sc.server.host + ":" + std::to_string(service.port())); !e.empty()) return fail(e);
  std::cout << "zkamm node: group member " << mc.id << " (" << o.soft_finality << " soft finality), head block "
            << m.node().status().head_block << ", replication port " << m.repl_port() << ", listening on http://"
            << sc.server.host << ":" << service.port() << (op && o.prover_jobs ? ", prover jobs served while leading" : "")
            << std::endl;
  // A halted settle part ends the process with status 1; a restart rejoins the group and resumes
  // from the store and L1. (The signals were blocked before any thread started.)
  const int rc = wait_for_stop(stop_signals(), [&op] { return op ? op->health() : std::string(); });
  service.stop();
  if (op) op->stop();
  m.stop();
  std::cout << "zkamm node: stopped at block " << m.node().status().head_block << std::endl;
  return rc;
}

/// The operator's settings from the options (--l1 and --deployment given); "" or the error.
std::string operator_config(const NodeOptions& o, const node::NodeConfig& nc, const node::rpc::ServiceConfig& sc,
                            settle::OperatorConfig& oc) {
  settle::DeploymentResult dr = settle::read_deployment(*o.deployment);
  if (!dr.ok()) return "deployment: " + dr.error;
  const settle::Deployment& d = *dr.deployment;
  oc.deployment = d;
  oc.l1_url = *o.l1_url;
  oc.node = nc;
  oc.rpc = sc;
  if (auto e = sender_options(o.fees, oc.l1_tx); !e.empty()) return e;
  oc.confirmations = o.confirmations.value_or(1);
  if (oc.confirmations == 0) return "--confirmations must be at least 1";
  if (o.watch_interval_ms) oc.watch_interval = std::chrono::milliseconds(*o.watch_interval_ms);
  oc.prover_jobs = o.prover_jobs;
  oc.local_provers = o.local_provers.value_or(o.prover_jobs ? 0 : 1);
  if (!o.prover_jobs && oc.local_provers == 0) return "--local-provers 0 needs --prover-jobs (someone must prove)";
  oc.settle.l1_down_patience = std::chrono::milliseconds(static_cast<int64_t>(o.l1_down_patience_s * 1000));
  return "";
}

int run_operator(const NodeOptions& o, node::NodeConfig nc, const node::rpc::ServiceConfig& sc, sigset_t signals) {
  std::string err;
  auto key = load_l1_key(o.key, &err);
  if (!key) return fail(err);
  settle::OperatorConfig oc;
  if (auto e = operator_config(o, nc, sc, oc); !e.empty()) return fail(e);
  const settle::Deployment& d = oc.deployment;
  const std::string keys_dir = o.keys_dir.value_or(".zkamm-cache");
  std::cout << "zkamm node: operator of rollup " << l1::to_checksum_address(d.rollup) << " on chain " << d.chain_id
            << " (N = " << d.batch_slots << "); loading batch keys from " << keys_dir << std::endl;
  settle::LoadedKeys keys = settle::load_deployment_keys(d, keys_dir);
  if (!keys.universal) return fail("keys: " + keys.error);
  settle::Operator op(oc, *keys.universal, keys.swap ? &*keys.swap : nullptr, *key, std::cout);
  if (auto e = op.start(); !e.empty()) return fail(e);
  std::cout << "zkamm node: operator " << l1::to_checksum_address(key->address()) << ", L1 " << *o.l1_url << ", head block "
            << op.node().status().head_block << ", last finalized batch " << op.node().status().last_finalized
            << (oc.prover_jobs ? ", serving prover jobs" : "") << ", listening on http://" << sc.server.host << ":" << op.rpc_port()
            << std::endl;
  // A halted part ends the process with status 1, so a supervisor restarts it (a restart resumes
  // from the store and L1; docs/OPERATOR.md).
  const int rc = wait_for_stop(signals, [&op] { return op.health(); });
  op.stop();
  std::cout << "zkamm node: stopped at block " << op.node().status().head_block << ", last finalized batch "
            << op.node().status().last_finalized << std::endl;
  return rc;
}

}  // namespace

void register_node(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<NodeOptions>();
  auto* cmd = app.add_subcommand("node", "run the sequencer and its JSON-RPC server (docs/API.md)");
  cmd->add_option("--config", o->config, "JSON config file (configs/devnet-node.json)");
  cmd->add_option("--data-dir", o->data_dir, "RocksDB data directory");
  cmd->add_option("--rpc-host", o->host, "listen address (default 127.0.0.1)");
  cmd->add_option("--rpc-port", o->port, "listen port (default 8545; 0 = any free port)");
  cmd->add_option("--rpc-threads", o->rpc_threads, "HTTP I/O threads");
  cmd->add_option("--verifier-threads", o->verifier_threads, "signature verification threads");
  cmd->add_option("--tree-checkpoint-batches", o->tree_checkpoint_batches,
                  "write the state trees' changed nodes every this many batches (default 256; also every 5 s and at stop)");
  cmd->add_option("--batcher-nice", o->batcher_nice, "nice steps for the batcher while its backlog is short (default 10; 0 = off)");
  cmd->add_option("--genesis", o->genesis, "devnet genesis JSON, loaded into an empty data dir");
  cmd->add_option("--chain-id", o->chain_id, "chain id (decimal)");
  cmd->add_option("--rollup", o->rollup, "rollup contract address (0x + 40 hex)");
  cmd->add_option("--block-time-ms", o->block_time_ms, "seal a block this often");
  cmd->add_option("--max-block-txs", o->max_block_txs, "or when it holds this many txs");
  cmd->add_option("--batch-slots", o->batch_slots, "transactions per batch (the circuit's size)");
  cmd->add_option("--batch-timeout-ms", o->batch_timeout_ms, "close a non-empty batch after this");
  cmd->add_flag("--no-swap-batches", o->no_swap_batches,
                "every batch is universal (otherwise a batch of swaps only is a swap batch, docs/BATCH.md 8)");
  cmd->add_option("--max-pending", o->max_pending, "mempool capacity");
  cmd->add_option("--max-per-account", o->max_per_account, "pending transactions per account");
  cmd->add_option("--min-free-disk-mb", o->min_free_disk_mb,
                  "reject transactions (store_unavailable, /health 503) while the data dir's disk has less free "
                  "(default 64; resumes at twice it; 0 = off)");
  cmd->add_flag("--accept-rollback", o->accept_rollback,
                "start even though the store lost acknowledged blocks (damaged write-ahead log); the loss is logged "
                "(docs/NODE.md \"Failure modes\")");
  auto* l1 = "Operator (settles on an L1; docs/OPERATOR.md)";
  cmd->add_option("--l1", o->l1_url, "the L1's JSON-RPC URL: run as the operator (prover, L1 sender and watcher)")->group(l1);
  cmd->add_option("--deployment", o->deployment, "the deployment file written by zkamm deploy")->group(l1);
  cmd->add_option("--keys-dir", o->keys_dir, "the batch keys the deployment's verifiers were made from (default .zkamm-cache)")
      ->group(l1);
  cmd->add_option("--confirmations", o->confirmations, "L1 blocks an event needs before it is credited (default 1)")->group(l1);
  cmd->add_option("--watch-interval-ms", o->watch_interval_ms, "L1 event polling interval (default 1000)")->group(l1);
  cmd->add_flag("--prover-jobs", o->prover_jobs, "serve proof jobs to `zkamm prover --node URL` workers")->group(l1);
  cmd->add_option("--local-provers", o->local_provers,
                  "proving threads in this process (default 1; with --prover-jobs default 0: remote workers only)")
      ->group(l1);
  cmd->add_option("--l1-down-patience", o->l1_down_patience_s, "seconds the L1 sender waits for an unreachable L1 before halting")
      ->capture_default_str()
      ->group(l1);
  auto* grp = "Sequencer group (replicated blocks, failover on etcd; docs/NODE.md)";
  cmd->add_option("--group-etcd", o->group_etcd, "etcd's client URL (http://127.0.0.1:2379): run as a member of a sequencer group")
      ->group(grp);
  cmd->add_option("--group-id", o->group_id, "this member's name, unique in the group")->group(grp);
  cmd->add_option("--group-size", o->group_size, "members of the group (a majority decides)")->capture_default_str()->group(grp);
  cmd->add_option("--group-prefix", o->group_prefix, "etcd key prefix of the group (default /zkamm/group/)")->group(grp);
  cmd->add_option("--repl-port", o->repl_port, "block replication port (0 = any free port)")->group(grp);
  cmd->add_option("--soft-finality", o->soft_finality,
                  "local: soft once on the leader's disk; quorum: once on a majority's disks (group only)")
      ->capture_default_str()
      ->group(grp);
  cmd->add_option("--lease-ttl-s", o->lease_ttl_s, "the leader's etcd lease (seconds)")->capture_default_str()->group(grp);
  add_l1_key_options(cmd, o->key);
  add_l1_fee_options(cmd, o->fees);
  cmd->add_flag("--unsafe-skip-signature-checks", o->unsafe_skip_signatures,
                "BENCHMARK ONLY: accept transactions without verifying signatures");
  cmd->callback([o, &exit_code] {
    try {
      exit_code = run_node(*o);
    } catch (const std::exception& e) {
      exit_code = fail(e.what());
    }
  });
}

}  // namespace zkamm::app
