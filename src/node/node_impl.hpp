#pragma once
// Node internals shared by the files of each thread role (node.cpp: set-up, stop, notifier;
// node_submit.cpp; verifier_pool.cpp; node_writer.cpp; node_sealer.cpp; node_batcher.cpp;
// store_guard.cpp), node_api.cpp (reads, subscriptions), node_l1.cpp and genesis.cpp.
// Lock order: state_mu -> mp_mu; sub_mu, batch_mu, head_mu and notify_mu are leaves.
// Members a lock guards say so (GUARDED_BY, checked by clang -Wthread-safety); members of one
// thread say which; the live `state` is written by the writer under state_mu held exclusively and
// read by the writer without it (it is the only mutator), by the API under state_mu held shared.
#include <condition_variable>
#include <deque>
#include <map>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "node/key_table.hpp"
#include "node/mempool.hpp"
#include "node/node.hpp"
#include "node/replay.hpp"
#include "node/store.hpp"
#include "node/thread_annotations.hpp"
#include "tx/execute.hpp"

namespace zkamm::node {

TimeMs now_ms() noexcept;

struct RejectedInfo {
  RejectCode code = RejectCode::kNone;
  std::string reason;
  TimeMs received = 0;
  TimeMs accepted = 0;
  TimeMs rejected = 0;
  std::optional<tx::Tx> tx;
};

/// A tx status subscription; `last` keeps a callback from seeing one status twice.
struct TxSub {
  SubscriptionId id = 0;
  Hash hash{};
  std::function<void(const TxInfo&)> cb;
  Mutex mu;
  TxStatus last GUARDED_BY(mu) = TxStatus::kUnknown;
};

/// Work for the writer thread besides transactions.
struct Control {
  enum Kind { kFlush, kAddToken } kind = kFlush;
  state::L1Address address{};
  std::shared_ptr<std::promise<std::optional<state::TokenId>>> done;
};

/// A sealed block on its way to the disk (or a marker that fulfils `done` in order).
struct SealJob {
  std::unique_ptr<rocksdb::WriteBatch> wb;  ///< state records (the sealer adds block, index, head)
  std::shared_ptr<Block> block;             ///< null for markers and token registrations
  std::vector<TxTimes> times;               ///< per tx: received, accepted
  HeadMeta head;
  std::shared_ptr<std::promise<std::optional<state::TokenId>>> done;
  std::optional<state::TokenId> token;      ///< a registered token (the batcher learns it too)
  bool own = false;                         ///< sealed here as leader (replicated, quorum-waited)
  uint64_t serial = 0;                      ///< quorum mode: the sealer's order of its writes
  state::L1Address token_address{};
};

/// A follower's next item from the leader, applied by the writer in order: a block, an L1 token
/// registration, or the promotion to leader (after everything queued before it).
struct Replicated {
  std::shared_ptr<const Block> block;
  std::optional<state::L1Address> token;
  std::optional<uint64_t> promote_term;
  std::shared_ptr<std::promise<void>> promoted;  ///< fulfilled once the writer leads
};

/// What the batcher consumes in order: a soft block or an L1 token registration.
struct BatchItem {
  std::shared_ptr<const Block> block;
  std::optional<state::L1Address> token;
};

struct Node::Impl {
  explicit Impl(NodeConfig c);
  ~Impl();

  // ---- set-up ----
  /// Runs before start_threads, when no other thread can see the members: exempt from the
  /// lock checks (like a constructor), as is open_trees.
  bool open() NO_THREAD_SAFETY_ANALYSIS;
  void start_threads();
  void stop();

  // ---- submit path ----
  /// signature_ok: the result of tx::verify for t with its account's key when the caller already
  /// has it (the verifier pool checks groups in batches); nullopt: submit_tx checks.
  /// notify_writer false: the caller wakes the writer itself after a group of submissions.
  SubmitResult submit_tx(tx::Tx t, TimeMs received, std::optional<bool> signature_ok = std::nullopt,
                         bool notify_writer = true);
  SubmitResult reject(const Hash& h, RejectCode code, std::string reason, TimeMs received, const tx::Tx* t);
  void remember_rejected(const Hash& h, RejectedInfo info) REQUIRES(mp_mu);

  // ---- threads ----
  void writer_loop(std::stop_token st);
  void execute_chunk(std::vector<PendingPtr>& chunk);
  void open_block();
  void seal();
  /// Writer: queues the open block (header complete) for the sealer with the state records it
  /// changed, and moves the writer's head to it.
  void queue_sealed(bool own);  ///< own: sealed by this node as leader (not a follower's copy)
  /// Writer (follower): re-executes the leader's block on the live state and queues it; false
  /// (diverged_reason set) when it does not follow the head or a tx result differs.
  bool apply_block(const Block& b);
  void sweep();
  void sealer_loop();
  /// Quorum soft finality: the sealer's written blocks wait here for a majority, in order.
  void quorum_loop();
  /// Quorum mode: the group's blocks are written unsynced, queued for the quorum thread, then
  /// made durable here with one WAL sync, so the followers' acks can make a block soft while
  /// this node's own sync still runs.
  void seal_for_quorum(std::vector<SealJob>& jobs);
  /// Sealer: blocks up to `number` are durable here: durable_head, the leader's vote, on_durable.
  void note_durable(uint64_t number);
  /// After the synced write (and the majority, in quorum mode): the block is soft: head,
  /// mempool, notifications, and (batch_now) the batcher; a marker's or token's promise is
  /// fulfilled.
  void publish_soft(SealJob& job, bool batch_now = true);
  /// The batcher gets a soft block only once it is durable on this node's own disk too: batch
  /// records and tree checkpoints never get ahead of the blocks they cover.
  void queue_for_batcher(std::shared_ptr<const Block> b);
  bool quorum_mode() const { return cfg.replicator && cfg.quorum_soft; }
  void batcher_loop();
  void close_batch();
  /// A sequencer group's member (follower or leader): batches are cut by the leader only, through
  /// the blocks it seals (BlockHeader::close_batch), so that every member cuts the same batches.
  bool group_batches() const { return cfg.follower || cfg.replicator != nullptr; }
  /// Batcher (group): the open batch timed out; the leader asks the writer for a carrier block.
  void request_cut();
  bool open_trees(uint64_t nbatches) NO_THREAD_SAFETY_ANALYSIS;  ///< load the stored trees, or rebuild (and store) them
  /// Batcher: true when stop() asked and the drain budget is spent (logs progress meanwhile).
  bool drain_over();
  bool drain_over_locked() REQUIRES(batch_mu);  ///< batch_stop set
  void warn_left_unbatched() const;  ///< the stop drain ran out of time
  void notifier_loop();
  void verifier_loop();
  void post(std::function<void()> fn);  ///< run on the notifier thread

  /// Follower: hands the bytes to the forwarder (or rejects them: kNotLeader); false on a leader.
  bool forward_if_follower(std::vector<uint8_t>& encoded, std::function<void(const SubmitResult&)>& done);
  /// Queues a follower's item for the writer; false (and *why) when it cannot.
  bool queue_replicated(Replicated item, std::string* why);

  // ---- reads ----
  TxInfo info(const Hash& h) const;
  std::optional<uint64_t> batch_of(uint64_t block, uint32_t position) const;
  void notify_tx(const TxInfo& info);

  NodeConfig cfg;
  std::string error;
  std::unique_ptr<Store> store;
  const TimeMs started = now_ms();

  // live state: written by the writer under a unique lock, read by API calls under a shared one
  mutable SharedMutex state_mu;
  state::State state;
  KeyTable keys;

  // mempool, priority queue, control queue, rejected cache
  mutable Mutex mp_mu;
  std::condition_variable writer_cv;
  Mempool mempool GUARDED_BY(mp_mu);
  std::deque<PendingPtr> priority GUARDED_BY(mp_mu);
  std::deque<Control> control GUARDED_BY(mp_mu);
  uint64_t next_serial GUARDED_BY(mp_mu) = 0;        ///< serial the next submit_priority must carry
  uint64_t expected_accounts GUARDED_BY(mp_mu) = 0;  ///< accounts after every queued CreateAccount
  bool stopping GUARDED_BY(mp_mu) = false;
  std::unordered_map<Hash, RejectedInfo, HashHasher> rejected GUARDED_BY(mp_mu);
  std::deque<Hash> rejected_order GUARDED_BY(mp_mu);
  bool follower GUARDED_BY(mp_mu) = false;             ///< sequencer group: applies the leader's blocks
  std::deque<Replicated> replicated GUARDED_BY(mp_mu);  ///< follower: the leader's items, in order
  std::string diverged_reason GUARDED_BY(mp_mu);       ///< a replicated block did not apply
  Node::Forwarder forwarder GUARDED_BY(mp_mu);         ///< follower: submit_async goes to the leader

  // writer thread only
  bool block_open = false;
  TimeMs block_ts = 0;
  std::chrono::steady_clock::time_point block_deadline;
  std::chrono::steady_clock::time_point next_sweep;
  std::shared_ptr<Block> open_block_;
  std::vector<TxTimes> open_times;
  state::Touched open_touched;
  HeadMeta head;                     ///< the writer's head (sealed or queued for sealing)
  uint64_t executed_serial = 0;      ///< next priority serial to execute
  uint64_t term = 0;                 ///< the term this node's sealed blocks carry (writer thread)
  /// Group leader: the batch cut the next sealed block carries (0 = none): set by the batcher
  /// (request_cut), taken by the writer's seal, which seals an empty block for it when idle.
  std::atomic<uint64_t> cut_wanted{0};

  // sealer
  Mutex seal_mu;
  std::condition_variable seal_cv;
  std::condition_variable seal_space_cv;
  std::deque<SealJob> seal_queue GUARDED_BY(seal_mu);
  bool seal_stop GUARDED_BY(seal_mu) = false;

  // soft head (published after the synced write; in quorum mode once a majority has the block)
  mutable Mutex head_mu;
  HeadMeta soft_head GUARDED_BY(head_mu);
  std::atomic<uint64_t> durable_head{0};  ///< the last block synced here (soft may be behind it, or, on a quorum leader, ahead)

  // quorum stage (quorum_mode only): written blocks waiting for a majority of the group
  Mutex quorum_mu;
  std::condition_variable quorum_cv;
  std::condition_variable quorum_space_cv;
  std::deque<SealJob> quorum_queue GUARDED_BY(quorum_mu);
  bool quorum_stop GUARDED_BY(quorum_mu) = false;
  static constexpr std::size_t kQuorumDepth = 64;  ///< written, not yet acknowledged blocks
  bool quorum_gave_up = false;            ///< quorum thread only: stopped waiting for a majority
  uint64_t seal_serial = 0;               ///< sealer thread only: the last SealJob::serial given
  std::atomic<uint64_t> synced_serial{0};  ///< jobs up to this serial are durable here (stored under quorum_mu)

  // batcher
  mutable Mutex batch_mu;
  std::condition_variable batch_cv;
  std::deque<BatchItem> batch_queue GUARDED_BY(batch_mu);
  bool batch_stop GUARDED_BY(batch_mu) = false;
  std::vector<TxPos> batch_ends GUARDED_BY(batch_mu);  ///< per batch (index = number - 1): its last tx
  uint64_t last_root_batch GUARDED_BY(batch_mu) = 0;
  ff::Fr last_root GUARDED_BY(batch_mu) = ff::Fr::zero();
  BatchApplyHook hook GUARDED_BY(batch_mu);
  // batcher thread only
  state::State bstate;
  state::StateTrees btrees;
  std::vector<BatchSlot> slots;
  std::vector<uint64_t> slot_ts;
  std::chrono::steady_clock::time_point batch_open_since;
  uint64_t batch_prio_next = 0;
  uint64_t cut_requested = 0;  ///< group: the batch whose cut was asked of the writer (batcher thread)
  std::chrono::steady_clock::time_point cut_requested_at{};
  bool roots_broken = false;
  uint64_t tree_checkpoint_batch = 0;  ///< the batch whose trees the store holds (batcher thread)
  std::chrono::steady_clock::time_point tree_checkpoint_at{};
  /// Writes the trees' nodes changed since the last checkpoint and `batch` as their batch (the
  /// batcher's checkpoint); false (logged) when the write fails.
  bool write_tree_checkpoint(uint64_t batch);
  uint64_t snapshot_batch = 0;  ///< the last state snapshot's batch (batcher thread)
  std::chrono::steady_clock::time_point snapshot_at{};
  /// Writes bstate as batch `batch`'s snapshot when one is due, and deletes those no longer needed.
  void maybe_write_state_snapshot(uint64_t batch);
  /// The state at the end of batch k (0: before the first), from the newest usable snapshot at or
  /// before k and the blocks after it, else from genesis; nullopt when the log does not replay.
  std::optional<state::State> state_after_batch(uint64_t k) const;
  /// Writes a checkpoint of the last rooted batch if the store's trees are older (at stop).
  void flush_tree_checkpoint();
  std::atomic<uint64_t> batch_backlog_txs{0};  ///< soft txs not yet in a closed batch
  bool trees_restored = false;
  std::optional<std::chrono::steady_clock::time_point> drain_since GUARDED_BY(batch_mu);
  std::chrono::steady_clock::time_point drain_log GUARDED_BY(batch_mu);

  // notifier
  Mutex notify_mu;
  std::condition_variable notify_cv;
  std::deque<std::function<void()>> notify_queue GUARDED_BY(notify_mu);
  bool notify_stop GUARDED_BY(notify_mu) = false;

  // subscriptions
  mutable Mutex sub_mu;
  SubscriptionId next_sub GUARDED_BY(sub_mu) = 1;
  std::unordered_map<SubscriptionId, std::function<void(const Block&)>> block_subs GUARDED_BY(sub_mu);
  std::unordered_map<SubscriptionId, std::function<void(const Batch&)>> batch_subs GUARDED_BY(sub_mu);
  std::unordered_map<Hash, std::vector<std::shared_ptr<TxSub>>, HashHasher> tx_subs GUARDED_BY(sub_mu);
  std::unordered_map<SubscriptionId, Hash> tx_sub_hash GUARDED_BY(sub_mu);
  /// on_durable callbacks run under durable_mu (a leaf), so unsubscribe waits for a running one.
  mutable Mutex durable_mu;
  std::unordered_map<SubscriptionId, std::function<void(uint64_t)>> durable_subs GUARDED_BY(durable_mu);

  // verifier pool (submit_async)
  Mutex verify_mu;
  std::condition_variable verify_cv;
  struct VerifyJob {
    std::vector<uint8_t> bytes;
    std::function<void(const SubmitResult&)> done;
    std::chrono::steady_clock::time_point queued;
  };
  std::deque<VerifyJob> verify_queue GUARDED_BY(verify_mu);
  bool verify_stop GUARDED_BY(verify_mu) = false;
  static constexpr std::size_t kVerifyFill = 8;  ///< one batch of ff::FrX8 lanes

  // L1 settlement status (node_l1.cpp); l1_mu is a leaf. Loaded from the store on first use.
  mutable Mutex l1_mu;
  mutable bool l1_loaded GUARDED_BY(l1_mu) = false;
  mutable std::map<uint64_t, BatchL1Info> l1_info GUARDED_BY(l1_mu);
  void load_l1() const REQUIRES(l1_mu);
  void apply_l1(TxInfo& ti) const;      ///< a soft tx's batch stage and times
  void l1_counters(NodeStatus& s) const;

  // disk guard and store failures (store_guard.cpp); health_mu is a leaf
  std::atomic<bool> stop_requested{false};  ///< stop() began: retry loops give up
  std::atomic<bool> disk_low{false};        ///< free space under min_free_disk_bytes
  std::atomic<bool> write_failed{false};    ///< a store write failed and waits to be retried
  mutable Mutex health_mu;
  std::condition_variable health_cv;        ///< wakes the guard and the retry waits at stop
  std::string disk_reason GUARDED_BY(health_mu), write_reason GUARDED_BY(health_mu);
  std::atomic<uint64_t> block_syncs{0};     ///< synced block writes (NodeStatus::block_syncs)
  bool sealer_gave_up = false;              ///< sealer thread only: later blocks are dropped
  bool batcher_gave_up = false;             ///< batcher thread only: no more batch records
  std::optional<uint64_t> free_disk() const;
  std::string store_problem() const;
  void disk_guard_loop();
  /// After a failed write (logged, reported by store_problem): waits one disk_check_interval,
  /// then, when space is back, resumes the store. false once stop() began (give up).
  bool wait_store_retry(const char* what);
  void store_write_ok();  ///< a write succeeded again: clears write_failed
  /// Writes wb until it succeeds or stop() begins; false when it gave up.
  bool write_until_ok(rocksdb::WriteBatch& wb, bool sync, const std::string& what);
  std::jthread disk_guard;

  std::vector<std::jthread> verifiers;
  std::jthread notifier;
  std::jthread batcher;
  std::jthread sealer;
  std::jthread quorum;
  std::jthread writer;
  std::once_flag stop_once;
};

/// Maps a failed execution to the node's reject code.
RejectCode code_of(const tx::ExecResult& r) noexcept;

}  // namespace zkamm::node
