#include "settle/operator.hpp"

#include <optional>
#include <ostream>

#include "settle/remote_prover.hpp"

namespace zkamm::settle {

Operator::Operator(OperatorConfig cfg, const BatchKeys& keys, const BatchKeys* swap_keys, l1::PrivateKey op_key,
                   std::ostream& log)
    : cfg_(std::move(cfg)), keys_(keys), swap_keys_(swap_keys), op_key_(std::move(op_key)), log_(log) {}

Operator::~Operator() { stop(); }

std::string Operator::start() {
  const Deployment& d = cfg_.deployment;
  if (running_) return "already running";
  if (d.swap_batches && swap_keys_ == nullptr) return "the deployment has swap batches but no swap-circuit keys were given";
  if (keys_.params.num_slots != d.batch_slots || keys_.params.domain != d.domain())
    return "the keys are for another circuit or domain than the deployment's";
  l1_ = l1::RpcClient::create(cfg_.l1_url, cfg_.l1_timeout);
  send_rpc_ = l1::RpcClient::create(cfg_.l1_url, cfg_.l1_timeout);
  watch_rpc_ = l1::RpcClient::create(cfg_.l1_url, cfg_.l1_timeout);
  if (!l1_ || !send_rpc_ || !watch_rpc_) return "L1 URL " + cfg_.l1_url + " is not http://host[:port][/path]";

  // The right chain and the right contract, before anything is sent or accepted.
  auto chain = l1_->chain_id();
  if (!chain) return "L1 " + cfg_.l1_url + ": eth_chainId: " + chain.error().message;
  if (*chain != d.chain_id)
    return "L1 " + cfg_.l1_url + " is chain " + std::to_string(*chain) + ", the deployment's is " + std::to_string(d.chain_id);
  auto code = l1_->get_code(d.rollup);
  if (!code) return "L1: eth_getCode: " + code.error().message;
  if (code->empty()) return "L1 has no contract at the deployment's rollup address " + l1::to_checksum_address(d.rollup);
  if (op_key_.address() != d.operator_address)
    return "the L1 key is " + l1::to_checksum_address(op_key_.address()) + ", not the rollup's operator " +
           l1::to_checksum_address(d.operator_address);

  if (cfg_.group_node != nullptr) {
    // A group member: the leader-only parts wait for lead(); meanwhile L1's counters are
    // followed into the node.
    node_ptr_ = cfg_.group_node;
    running_ = true;
    group_thread_ = std::thread([this] { follow_l1(); });
    return "";
  }
  node::NodeConfig nc = cfg_.node;
  nc.batch_slots = d.batch_slots;
  nc.swap_batches = d.swap_batches;
  nc.domain = d.domain();
  node_ = std::make_unique<node::Node>(nc);
  if (!node_->error().empty()) {
    std::string e = "node: " + node_->error();
    node_.reset();
    return e;
  }
  node_ptr_ = node_.get();
  start_settlement(0);

  service_ = std::make_unique<node::rpc::Service>(*node_, cfg_.rpc);
  service_->set_explorer_hooks(explorer_->hooks());
  if (prover_->jobs() != nullptr) add_prover_methods(*service_, *prover_->jobs(), CircuitKeys{&keys_, swap_keys_});
  std::string serr;
  if (!service_->start(&serr)) {
    running_ = true;  // so stop() takes down what did start
    stop();
    return "RPC server: " + serr;
  }
  running_ = true;
  return "";
}

void Operator::start_settlement(uint64_t settled_on_l1) {
  const Deployment& d = cfg_.deployment;
  node::Node& node = *node_ptr_;
  ProverOptions po;
  po.remote_jobs = cfg_.prover_jobs;
  po.local_workers = cfg_.local_provers;
  po.lease = cfg_.prover_lease;
  po.swap_keys = swap_keys_;
  po.settled_on_l1 = settled_on_l1;
  prover_ = std::make_unique<Prover>(node, keys_, po);

  tx_ = std::make_unique<l1::TxSender>(*send_rpc_, op_key_, d.chain_id, cfg_.l1_tx);
  L1SenderConfig sc = cfg_.settle;
  sc.rollup = d.rollup;
  sc.may_send = cfg_.is_leader;
  use_node_journal(sc, node);  // no double submission across a kill -9 (l1_sender.hpp)
  sender_ = std::make_unique<L1Sender>(*send_rpc_, *tx_, sc);
  prover_->on_proved([this](const ProvedBatch& p) { sender_->enqueue(p); });
  report_to_node(*sender_, node);  // tx_info / RPC: committed, proven, finalized
  sender_->on_stage([this](uint64_t n, L1Stage s, TimeMs) {
    log_ << cfg_.log_prefix << ": batch " << n << " " << to_string(s) << " on L1" << std::endl;
  });
  explorer_ = std::make_unique<ExplorerFeed>(node, *prover_, *sender_);
  resume_from_store(*sender_, *prover_, node);
  sender_->start();

  WatcherConfig wc;
  wc.rollup = d.rollup;
  wc.confirmations = cfg_.confirmations;
  wc.from_block = d.deploy_block;
  wc.poll_interval = cfg_.watch_interval;
  WatcherSink sink = node_sink(node);
  if (cfg_.wrap_sink) sink = cfg_.wrap_sink(std::move(sink));
  watcher_ = std::make_unique<L1Watcher>(*watch_rpc_, std::move(sink), wc);
  watcher_->start();
}

void Operator::lead() {
  {
    std::lock_guard lk(group_mu_);
    lead_asked_ = true;
  }
  group_cv_.notify_all();
}

void Operator::follow_l1() {
  std::unique_lock lk(group_mu_);
  while (!group_stop_) {
    if (lead_asked_ && !leading_) {
      lk.unlock();
      take_lead();
      lk.lock();
      continue;
    }
    if (!leading_) {
      lk.unlock();
      if (auto v = read_chain_view(*l1_, cfg_.deployment.rollup)) report_chain_view(*v, *node_ptr_);
      lk.lock();
    }
    group_cv_.wait_for(lk, cfg_.watch_interval, [&] { return group_stop_ || (lead_asked_ && !leading_); });
  }
}

void Operator::take_lead() {
  const auto stopped = [&](std::chrono::milliseconds pause) {
    std::unique_lock lk(group_mu_);
    return group_cv_.wait_for(lk, pause, [&] { return group_stop_; });
  };
  // An earlier leader's transaction may still be pending on L1 (it died after sending): wait
  // until it is mined (or the L1 timeout passed), so that the counters read next include it and
  // nothing is sent twice. Sends are fenced by is_leader, so no new one comes from it.
  const auto until = std::chrono::steady_clock::now() + cfg_.l1_tx.timeout;
  for (;;) {
    auto mined = l1_->get_transaction_count(op_key_.address(), l1::BlockTag::latest());
    auto pending = l1_->get_transaction_count(op_key_.address(), l1::BlockTag::pending());
    if ((mined && pending && *pending <= *mined) || std::chrono::steady_clock::now() >= until) break;
    if (stopped(cfg_.l1_tx.poll_interval)) return;
  }
  std::optional<ChainView> view;
  for (;;) {
    if (auto v = read_chain_view(*l1_, cfg_.deployment.rollup)) {
      view = *v;
      break;
    } else {
      log_ << cfg_.log_prefix << ": taking the lead: L1 counters: " << v.error().message << "; retrying" << std::endl;
    }
    if (stopped(std::chrono::milliseconds(500))) return;
  }
  report_chain_view(*view, *node_ptr_);
  std::lock_guard lk(group_mu_);
  if (group_stop_) return;
  log_ << cfg_.log_prefix << ": leading; L1 has batches committed to " << view->last_committed << ", executed to "
       << view->last_executed << "; settling from batch " << view->last_executed + 1 << std::endl;
  start_settlement(view->last_executed);
  leading_ = true;
  live_board_.store(prover_->jobs(), std::memory_order_release);
  live_explorer_.store(explorer_.get(), std::memory_order_release);
}

void Operator::serve_group_rpc(node::rpc::Service& svc, std::function<std::string()> leader_url) {
  if (cfg_.prover_jobs) {
    add_prover_methods(
        svc,
        [this, leader_url] {
          if (JobBoard* b = live_board_.load(std::memory_order_acquire)) return BoardRoute{b, ""};
          // A follower, or a leader whose settle layer is still starting (then its own URL: the
          // worker asks again shortly).
          return BoardRoute{nullptr, leader_url ? leader_url() : ""};
        },
        CircuitKeys{&keys_, swap_keys_});
  }
  node::rpc::ExplorerHooks h;
  h.batch = [this](uint64_t n) {
    const ExplorerFeed* f = live_explorer_.load(std::memory_order_acquire);
    return f != nullptr ? f->batch(n) : nlohmann::json::object();  // proving times and gas: the leader's
  };
  h.metrics = [this, leader_url] {
    if (const ExplorerFeed* f = live_explorer_.load(std::memory_order_acquire)) return f->metrics();
    // A follower knows what L1 shows (follow_l1 reads it into the node); the prover's queue and
    // the hard latency are the leader's.
    const node::NodeStatus st = node_ptr_->status();
    const std::string leader = leader_url ? leader_url() : "";
    return nlohmann::json{{"role", "follower"},
                           {"leader", leader.empty() ? nlohmann::json(nullptr) : nlohmann::json(leader)},
                           {"l1", {{"last_committed", st.last_committed}, {"last_proven", st.last_proven},
                                   {"last_finalized", st.last_finalized}}}};
  };
  svc.set_explorer_hooks(std::move(h));
}

void Operator::stop() {
  live_board_.store(nullptr, std::memory_order_release);
  live_explorer_.store(nullptr, std::memory_order_release);
  {
    std::lock_guard lk(group_mu_);
    group_stop_ = true;
  }
  group_cv_.notify_all();
  if (group_thread_.joinable()) group_thread_.join();
  if (service_) service_->stop();
  if (watcher_) watcher_->stop();
  if (prover_) prover_->stop();
  if (sender_) sender_->stop();
  if (node_) node_->stop();
  running_ = false;
}

std::string Operator::health() const {
  std::lock_guard lk(group_mu_);  // a group member's parts appear when it takes the lead
  if (prover_) {
    if (auto e = prover_->error(); !e.empty()) return "prover halted: " + e;
  }
  if (sender_) {
    if (auto e = sender_->error(); !e.empty()) return "L1 sender halted: " + e;
  }
  if (watcher_) {
    if (auto e = watcher_->error(); !e.empty()) return "L1 watcher halted: " + e;
  }
  return "";
}

uint16_t Operator::rpc_port() const { return service_ ? service_->port() : 0; }

}  // namespace zkamm::settle
