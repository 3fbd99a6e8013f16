#pragma once
// The operator: one rollup deployment run end to end in one process. It assembles the sequencer
// (node::Node), the prover pipeline (Prover: in-process proving, or a job board for remote
// `zkamm prover` workers), the L1 sender (L1Sender: commit/prove/execute), the L1 watcher
// (L1Watcher: deposits, exits, tokens) and the JSON-RPC server, wired as the restart safety
// needs them (docs/OPERATOR.md "Restarts"):
//   - proofs are stored in the node's store before the sender sees them (prover.hpp);
//   - the sender journals every L1 step in the node's store before sending it and reads the
//     rollup's counters before each step, so a kill -9 at any point resends nothing that L1
//     already has (l1_sender.hpp);
//   - on start, stored proofs above the node's last finalized batch go back to the sender, and
//     the watcher resumes from the node's next priority serial (l1_watcher.hpp).
// `zkamm node --l1` and `zkamm devnet` both run one; the devnet adds anvil, the deployment, its
// scenario and its bench around it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "l1/key.hpp"
#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "node/node.hpp"
#include "node/rpc_service.hpp"
#include "settle/batch_keys.hpp"
#include "settle/deployment.hpp"
#include "settle/explorer_feed.hpp"
#include "settle/l1_sender.hpp"
#include "settle/l1_watcher.hpp"
#include "settle/prover.hpp"

namespace zkamm::settle {

struct OperatorConfig {
  Deployment deployment;                 ///< what runs (chain, rollup, N, swap batches, deploy block)
  std::string l1_url;                    ///< the L1's JSON-RPC (http://host[:port][/path])
  std::chrono::milliseconds l1_timeout{30'000};  ///< per L1 request
  /// Node settings; domain, batch_slots and swap_batches are taken from the deployment.
  node::NodeConfig node;
  node::rpc::ServiceConfig rpc;
  /// The L1 transactions: fees (priority fee, ceiling), fee bumps, confirmations, timeouts.
  l1::SenderOptions l1_tx;
  /// Sender behaviour (one_transaction, max_batches_per_transaction, retries); rollup and the
  /// journal are set by the operator.
  L1SenderConfig settle;
  uint64_t confirmations = 1;            ///< L1 blocks an event needs before the watcher delivers it
  std::chrono::milliseconds watch_interval{1000};
  bool prover_jobs = false;              ///< serve zkamm_prover* jobs to `zkamm prover` workers
  unsigned local_provers = 1;            ///< with prover_jobs: proving threads here (0: remote only)
  std::chrono::milliseconds prover_lease{120'000};
  /// Progress lines ("<prefix>: batch N committed on L1") start with this.
  std::string log_prefix = "operator";
  /// TEST ONLY: wraps the watcher's sink (the devnet's --censor-full-exits).
  std::function<WatcherSink(WatcherSink)> wrap_sink;
  /// Sequencer group (docs/NODE.md "Sequencer group"): the operator runs on this member's node
  /// (cluster::Member owns it, and its RPC server) instead of opening one. start() checks L1 and
  /// then only follows L1's counters into the node (followers show committed/finalized too);
  /// lead() starts the prover, the L1 sender and the watcher, once this member leads. The node
  /// must have been made with the deployment's batch_slots, swap_batches and domain.
  node::Node* group_node = nullptr;
  /// The group's fence, asked before every L1 transaction: true while this member holds the lead.
  std::function<bool()> is_leader;
};

class Operator {
 public:
  /// keys (and swap_keys when the deployment has swap batches) outlive the operator; they must
  /// be the deployed verifiers' keys (load_deployment_keys). op_key is the rollup's operator.
  Operator(OperatorConfig cfg, const BatchKeys& keys, const BatchKeys* swap_keys, l1::PrivateKey op_key, std::ostream& log);
  ~Operator();
  Operator(const Operator&) = delete;
  Operator& operator=(const Operator&) = delete;

  /// Opens the node's store and starts everything; "" or the error (then nothing runs).
  /// Checks first that the L1 is the deployment's chain and holds the rollup.
  std::string start();
  /// Group mode: this member leads from now on (call it from any thread; it returns at once).
  /// The leader-only parts start in the background: after L1 has no pending operator
  /// transaction, its counters say where to go on (a batch L1 has is never sent again; those it
  /// executed are never proven again); deposits are ordered by this member only from here.
  void lead();
  /// Group mode: what the settle layer adds to the member's RPC service `svc` (before
  /// svc.start(); svc must stop before this operator does). With prover_jobs, the zkamm_prover*
  /// methods: served from this member's job board while it leads, answered with the leader's URL
  /// (leader_url(): http://host:port, or "") otherwise (remote_prover.hpp BoardSource). And the
  /// explorer's settlement figures: the leader's ExplorerFeed; a follower's L1 counters.
  void serve_group_rpc(node::rpc::Service& svc, std::function<std::string()> leader_url);
  /// Stops RPC, watcher, prover, sender and node (not a group's node), in that order; idempotent.
  void stop();
  /// "" while every part runs; else why one halted (prover, L1 sender, L1 watcher).
  std::string health() const;

  node::Node& node() { return *node_ptr_; }
  Prover& prover() { return *prover_; }
  L1Sender& sender() { return *sender_; }
  L1Watcher& watcher() { return *watcher_; }
  l1::RpcClient& l1() { return *l1_; }
  /// The RPC server's port (after start).
  uint16_t rpc_port() const;

 private:
  OperatorConfig cfg_;
  const BatchKeys& keys_;
  const BatchKeys* swap_keys_;
  l1::PrivateKey op_key_;
  std::ostream& log_;
  bool running_ = false;
  // L1 clients: one per thread that talks to L1 (the client serialises its calls)
  std::unique_ptr<l1::RpcClient> l1_, send_rpc_, watch_rpc_;
  std::unique_ptr<l1::TxSender> tx_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Prover> prover_;
  std::unique_ptr<L1Sender> sender_;
  std::unique_ptr<L1Watcher> watcher_;
  std::unique_ptr<node::rpc::Service> service_;
  std::unique_ptr<ExplorerFeed> explorer_;  ///< the explorer's settlement figures (stop() ends its users first)
  node::Node* node_ptr_ = nullptr;          ///< node_, or the group's node
  /// Creates and starts the prover, the L1 sender (and its reports) and the watcher on node_ptr_.
  void start_settlement(uint64_t settled_on_l1);
  // group mode: the L1 counters followed into the node, and the lead's start-up
  void follow_l1();
  void take_lead();
  mutable std::mutex group_mu_;
  std::condition_variable group_cv_;
  bool group_stop_ = false;     // group_mu_
  bool lead_asked_ = false;     // group_mu_
  bool leading_ = false;        // group_mu_: the leader-only parts exist (health() reads them)
  std::string lead_error_;      // group_mu_
  std::thread group_thread_;
  // group mode: the leader-only parts the member's RPC reads, set once they run (serve_group_rpc)
  std::atomic<JobBoard*> live_board_{nullptr};
  std::atomic<ExplorerFeed*> live_explorer_{nullptr};
};

}  // namespace zkamm::settle
