#include "settle/operator.hpp"

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
  ProverOptions po;
  po.remote_jobs = cfg_.prover_jobs;
  po.local_workers = cfg_.local_provers;
  po.lease = cfg_.prover_lease;
  po.swap_keys = swap_keys_;
  prover_ = std::make_unique<Prover>(*node_, keys_, po);

  tx_ = std::make_unique<l1::TxSender>(*send_rpc_, op_key_, d.chain_id, cfg_.l1_tx);
  L1SenderConfig sc = cfg_.settle;
  sc.rollup = d.rollup;
  use_node_journal(sc, *node_);  // no double submission across a kill -9 (l1_sender.hpp)
  sender_ = std::make_unique<L1Sender>(*send_rpc_, *tx_, sc);
  prover_->on_proved([this](const ProvedBatch& p) { sender_->enqueue(p); });
  report_to_node(*sender_, *node_);  // tx_info / RPC: committed, proven, finalized
  sender_->on_stage([this](uint64_t n, L1Stage s, TimeMs) {
    log_ << cfg_.log_prefix << ": batch " << n << " " << to_string(s) << " on L1" << std::endl;
  });
  explorer_ = std::make_unique<ExplorerFeed>(*node_, *prover_, *sender_);
  resume_from_store(*sender_, *prover_, *node_);
  sender_->start();

  WatcherConfig wc;
  wc.rollup = d.rollup;
  wc.confirmations = cfg_.confirmations;
  wc.from_block = d.deploy_block;
  wc.poll_interval = cfg_.watch_interval;
  WatcherSink sink = node_sink(*node_);
  if (cfg_.wrap_sink) sink = cfg_.wrap_sink(std::move(sink));
  watcher_ = std::make_unique<L1Watcher>(*watch_rpc_, std::move(sink), wc);
  watcher_->start();

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

void Operator::stop() {
  if (service_) service_->stop();
  if (watcher_) watcher_->stop();
  if (prover_) prover_->stop();
  if (sender_) sender_->stop();
  if (node_) node_->stop();
  running_ = false;
}

std::string Operator::health() const {
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
