#pragma once
// Block replication of a sequencer group over loopback TCP (docs/NODE.md "Sequencer group").
// The leader's ReplicationServer is the node's BlockReplicator: every follower connects, says
// where its log ends, and receives every later block and L1 token registration in the leader's
// order; it answers each block it has durably (its own synced write) with an ack, and the acks
// are what quorum soft finality waits for. The follower's ReplicationClient applies what it
// receives through Node::apply_replicated (re-executed and checked, then stored the same way).
//
// Frames: u32 big-endian length of what follows, u8 type, payload.
//   follower -> leader  kHello  u64 term it knows, u64 next block, u32 tokens it has, 32-byte head hash,
//                               then optionally u8 length + its member id
//   leader -> follower  kWelcome u64 leader term | kRefuse 'D' or 'T', text (resync, or another term)
//   leader -> follower  kBlock  encode_block (with the term) | kToken u32 id, 20-byte L1 address
//   follower -> leader  kAck    u64 highest block durable on the follower
// Fencing: a follower takes blocks only from the leader of the term it was told to follow, and
// only blocks of that term or older; a leader refuses a follower that knows a newer term.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "node/node.hpp"

namespace zkamm::node {

namespace repl {
enum FrameType : uint8_t { kHello = 1, kWelcome = 2, kRefuse = 3, kBlock = 4, kToken = 5, kAck = 6 };
/// The first byte of a kRefuse: the follower's log is not a prefix of the leader's (resync), or
/// the terms do not match (the follower was told another term: retry after etcd says more).
inline constexpr char kRefuseDiverged = 'D', kRefuseTerm = 'T';
}

class ReplicationServer final : public BlockReplicator {
 public:
  /// group_size: the nodes of the group, this one included (a majority is group_size / 2 + 1).
  ReplicationServer(uint32_t group_size, uint64_t term);
  /// The term this server leads (welcomes followers of); set before Node::promote.
  void set_term(uint64_t term);
  uint64_t term() const noexcept { return term_; }
  ~ReplicationServer() override;
  ReplicationServer(const ReplicationServer&) = delete;
  ReplicationServer& operator=(const ReplicationServer&) = delete;

  /// Binds host:port (0 = a free port) and starts accepting; false and `err` on failure.
  bool listen(const std::string& host, uint16_t port, std::string& err);
  uint16_t port() const noexcept { return port_; }
  /// The node whose store serves catch-up reads; followers are served from then on.
  void attach(Node* node);
  /// Closes every connection and joins the threads (also done by the destructor).
  void stop();
  /// Followers connected now.
  std::size_t followers() const;
  /// Tests: runs on a sender thread between its block and token lookups (set before listen).
  void set_between_lookups_for_test(std::function<void()> f) { between_lookups_for_test_ = std::move(f); }

  void publish(std::shared_ptr<const Block> block) override;
  void publish_token(uint64_t after_head, const state::L1Address& address) override;
  void own_durable(uint64_t head) override;
  bool wait_quorum(uint64_t number) override;
  void shutdown() override;
  /// Closes every follower and joins the threads that read the node's store (= stop()).
  void node_stopped() override { stop(); }

 private:
  struct Conn;
  void accept_loop();
  void serve(const std::shared_ptr<Conn>& c);
  void read_acks(const std::shared_ptr<Conn>& c);
  std::shared_ptr<const Block> find_block(uint64_t number);

  const uint32_t group_size_;
  std::atomic<uint64_t> term_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::function<void()> between_lookups_for_test_;

  mutable std::mutex mu_;
  std::condition_variable cv_;             ///< a publish, an ack, attach or stop
  Node* node_ = nullptr;                   // mu_
  std::map<uint64_t, std::shared_ptr<const Block>> recent_;  // mu_: the last published blocks
  uint64_t published_ = 0;                 // mu_: highest block published
  uint64_t token_events_ = 0;              // mu_: tokens published (wakes senders)
  bool quorum_shutdown_ = false;           // mu_
  uint64_t own_durable_ = 0;               // mu_: this node's own durable head (its vote)
  std::vector<std::shared_ptr<Conn>> conns_;  // mu_
  std::vector<std::thread> threads_;       // mu_
};

/// The follower side: one connection to the leader of one term.
class ReplicationClient {
 public:
  /// Follows the leader at host:port whose term is `leader_term`; reconnects while running.
  /// `member`: this node's id in the group (at most 255 bytes), so that the leader counts its
  /// acks once across reconnects.
  ReplicationClient(Node& node, std::string host, uint16_t port, uint64_t leader_term, std::string member = {});
  ~ReplicationClient();
  ReplicationClient(const ReplicationClient&) = delete;
  ReplicationClient& operator=(const ReplicationClient&) = delete;
  void stop();
  /// Non-empty once the leader refused this follower or a block did not apply: the follower's
  /// log is not a prefix of the leader's (resync its data dir) or it knows a newer term.
  std::string refused() const;
  /// Non-empty while the member it connects to does not lead the term it was told (retrying).
  std::string stale() const;
  /// Blocks received and queued so far (the last one's number).
  uint64_t received_head() const noexcept { return received_.load(); }
  /// False once a connection to the leader failed or a session ended, until the next welcome
  /// (a fresh client counts as connected); down_since() says since when (steady clock).
  bool connected() const noexcept { return connected_.load(); }
  std::chrono::steady_clock::time_point down_since() const;

 private:
  void run();
  bool session(int fd);
  void send_ack(uint64_t number);

  Node& node_;
  const std::string host_;
  const uint16_t port_;
  const uint64_t term_;
  const std::string member_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> received_{0};
  std::atomic<bool> connected_{true};
  void mark_down();
  std::chrono::steady_clock::time_point down_since_ = std::chrono::steady_clock::now();  // mu_
  Hash received_hash_{};  // run thread
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int fd_ = -1;            // mu_: the live connection (acks go there)
  std::string refused_;    // mu_
  std::string stale_;      // mu_
  SubscriptionId sub_ = 0;
  std::thread thread_;
};

}  // namespace zkamm::node
