#pragma once
// One node of a sequencer group (docs/NODE.md "Sequencer group"). Leadership and fencing come
// from etcd: the leader holds the key <prefix>leader, created by compare-and-swap with a lease
// it keeps alive; the key's create revision is the leader's term, the fencing token every block
// it seals carries. Followers replicate from the leader named by the key (node/replication.hpp)
// and forward sends to its RPC. When the key goes (the lease expired, or a follower revoked it
// after the leader's replication stream stayed down for leader_gone_after), the nodes publish
// their final durable heads under <prefix>heads/ and a node campaigns only once it sees a
// majority of heads and none above its own: any majority holds every quorum-durable block, so
// the winner has them all. A leader that loses its key or its lease stops at once (deposed).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/etcd.hpp"
#include "node/node.hpp"
#include "node/replication.hpp"

namespace zkamm::cluster {

struct MemberConfig {
  node::rpc::Endpoint etcd;
  std::string prefix = "/zkamm/group/";
  std::string id;                     ///< unique in the group
  uint32_t group_size = 3;
  std::string host = "127.0.0.1";     ///< replication listens here
  uint16_t repl_port = 0;             ///< 0: any free port
  std::string rpc_url;                ///< this node's RPC (host:port), where followers forward sends
  int64_t lease_ttl_s = 1;
  std::chrono::milliseconds poll{20};
  /// While this member leads, or follows a leader whose block stream is up, it reads the leader
  /// key this often instead of every `poll`: a kill -9 closes the stream (and the fast polling
  /// resumes at once), a stalled leader's lease runs out, and a leader learns that it was deposed
  /// from its keepalive. Every member polling etcd every 20 ms took 0.12 of the 2 cores at 5,000
  /// swaps/s (docs/PERFORMANCE.md).
  std::chrono::milliseconds quiet_poll{250};
  /// A follower whose stream to the leader stays down this long revokes the leader's lease.
  std::chrono::milliseconds leader_gone_after{150};
  node::NodeConfig node;              ///< quorum_soft: the soft finality mode
  std::string genesis_json;           ///< completed by every new leader (Node::complete_genesis_json; "" = none)
};

class Member {
 public:
  /// Why the process must end: it was deposed (restart it as a follower) or its log is not the
  /// leader's (its data dir must be resynced: moved aside, then a fresh follower catches up).
  enum class Fatal { kDeposed, kDiverged };

  explicit Member(MemberConfig cfg);
  ~Member();
  Member(const Member&) = delete;
  Member& operator=(const Member&) = delete;

  /// Opens the node (as a follower) and the replication port: "" or why not.
  std::string open();
  /// Takes a lease and starts the group loop (after open; rpc_url is what followers forward to).
  std::string join(const std::string& rpc_url);
  /// open() then join(cfg.rpc_url).
  std::string start();
  void stop();
  node::Node& node() { return *node_; }
  uint16_t repl_port() const { return server_->port(); }
  bool is_leader() const noexcept { return leading_.load(); }
  /// The fence for what only the leader may do outside the block stream (the L1 sender): true
  /// while this member leads and its lease was renewed within half its TTL. A leader that was
  /// stalled (SIGSTOP, a long pause) answers false from the moment it runs again, before its
  /// group thread finds it deposed and ends the process.
  bool may_act() const noexcept;
  uint64_t term() const noexcept { return term_.load(); }
  /// The leader's RPC (host:port) as its etcd key names it: this member's own while it leads, ""
  /// while no leader is known (an election). Where a follower sends what only the leader serves
  /// (a prover worker's redirect, settle/remote_prover.hpp).
  std::string leader_rpc() const;

  /// Runs on the group thread when this node becomes the leader (start the leader-only parts).
  std::function<void(uint64_t term)> on_leader;
  /// Runs on the group thread when the process must end (it must not append any more).
  std::function<void(Fatal, const std::string& why)> on_fatal;

 private:
  struct Forwarder;
  void loop();
  void step();
  void follow(const KeyValue& kv);
  void elect();
  void fatal(Fatal f, const std::string& why);

  MemberConfig cfg_;
  Etcd etcd_;
  std::shared_ptr<node::ReplicationServer> server_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ReplicationClient> client_;
  std::shared_ptr<Forwarder> forwarder_;
  int64_t lease_ = 0;
  std::chrono::steady_clock::time_point next_keepalive_{}, last_keepalive_ok_{};
  std::chrono::steady_clock::time_point next_leader_read_{};  ///< quiet_poll's next read
  int64_t following_ = 0;             ///< the term followed (0: none)
  bool heads_published_ = false;
  uint64_t published_head_ = 0;
  std::atomic<bool> leading_{false};
  std::atomic<int64_t> keepalive_ok_ns_{0};  ///< steady clock of the last renewed lease (may_act)
  std::atomic<uint64_t> term_{0};
  std::atomic<bool> stopping_{false};
  bool failed_ = false;
  std::atomic<bool> failed_stop_{false};  ///< failed_, for may_act's callers
  std::thread loop_thread_;
  std::thread genesis_thread_;
  mutable std::mutex leader_rpc_mu_;
  std::string leader_rpc_;  // leader_rpc_mu_
  void set_leader_rpc(std::string rpc);
};

}  // namespace zkamm::cluster
