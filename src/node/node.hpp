#pragma once
// The L2 node core (docs/ARCHITECTURE.md sections 5-6): mempool, sequencer (verifier pool + one
// writer thread), block sealing with synced RocksDB writes (soft finality), and the batcher that
// groups soft transactions into fixed-size batches and computes their state roots off the writer.
// This is the C++ API the JSON-RPC server (src/node/rpc_*) and the `zkamm` commands use.
//
// Threads: every public member is thread-safe. Callbacks (subscriptions, submit_async) run on the
// node's notifier thread, never while a node lock is held, so they may call back into the node;
// they must return quickly (queue work elsewhere). Keys never appear in logs.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ff/bn254.hpp"
#include "hash/sha256.hpp"
#include "state/commitment.hpp"
#include "state/state.hpp"
#include "tx/batch_header.hpp"
#include "tx/message.hpp"
#include "tx/public_data.hpp"
#include "tx/tx.hpp"

namespace zkamm::node {

using ff::U256;
using Hash = hash::Digest32;  ///< tx hash (keccak256 of the canonical encoding) or block hash
using TimeMs = uint64_t;      ///< milliseconds since the Unix epoch

/// docs/ARCHITECTURE.md section 5. kUnknown: the node has never seen the hash (or forgot a
/// rejection: rejected hashes are kept in memory only, the most recent NodeConfig::rejected_keep).
enum class TxStatus : uint8_t { kUnknown = 0, kPending, kSoft, kRejected, kCommitted, kProven, kFinalized };
/// "unknown", "pending", "soft", "rejected", "committed", "proven", "finalized".
std::string_view to_string(TxStatus s) noexcept;

/// Why a transaction was rejected. The numeric values are stable (the RPC layer maps them to
/// JSON-RPC error codes); new codes are only appended.
enum class RejectCode : uint16_t {
  kNone = 0,
  kMalformed = 1,            ///< bytes do not decode, or account/token out of range
  kNotL2 = 2,                ///< noop or priority op sent to submit (priority ops: submit_priority)
  kDuplicate = 3,            ///< the same tx hash is pending, soft, or was already submitted
  kUnknownAccount = 4,       ///< the signer account does not exist
  kBadSignature = 5,
  kNonceTooLow = 6,          ///< nonce < account nonce (replay)
  kNonceGap = 7,             ///< nonce >= account nonce + NodeConfig::max_nonce_gap
  kNonceTaken = 8,           ///< another pending tx of the account has this nonce
  kAccountQueueFull = 9,     ///< the account has NodeConfig::max_per_account pending txs
  kMempoolFull = 10,         ///< NodeConfig::max_pending txs are pending
  kDeadlineExpired = 11,     ///< deadline < block time (at submit, while pending, or at execution)
  kTtlExpired = 12,          ///< pending longer than NodeConfig::pending_ttl
  kInsufficientBalance = 13,
  kPoolNotFound = 14,
  kSlippage = 15,            ///< Uniswap V2 INSUFFICIENT_OUTPUT/INPUT_AMOUNT, EXCESSIVE_INPUT_AMOUNT, INSUFFICIENT_A/B_AMOUNT
  kAmm = 16,                 ///< other Uniswap V2 error (reason holds the revert string)
  kStateRule = 17,           ///< other state rule (unknown token, identical tokens, pool exists, overflow, ...)
  kLpWithdraw = 18,          ///< LP tokens never leave the L2
  kShuttingDown = 19,        ///< the node is stopping
  kBadPriorityOp = 20,       ///< submit_priority: not a priority op, or serial != next_priority_serial()
  kBatcherBehind = 21,       ///< more than NodeConfig::max_batch_backlog batches wait for their roots
  kStoreUnavailable = 22,    ///< the disk is (nearly) full or a store write failed (Node::store_problem)
  kRefused = 23,             ///< the operator's policy refuses it (NodeConfig::refuse_remove_liquidity_of)
  kNotLeader = 24,           ///< a follower of a sequencer group with no leader to forward to
};
/// Stable snake_case name: "malformed", "not_l2", "duplicate", "unknown_account", ...
std::string_view to_string(RejectCode c) noexcept;

class BlockReplicator;

struct NodeConfig {
  std::string data_dir;                                  ///< RocksDB folder (created if missing)
  std::chrono::milliseconds block_time{100};             ///< seal the open block this often
  uint32_t max_block_txs = 10000;                        ///< ... or when it holds this many txs
  uint32_t max_pending = 200000;                         ///< global mempool cap
  uint32_t max_per_account = 1024;                       ///< pending txs per account
  uint32_t max_nonce_gap = 64;                           ///< accepted nonces: [nonce, nonce + gap)
  std::chrono::milliseconds pending_ttl{60000};          ///< a pending tx older than this is dropped
  uint32_t batch_slots = 4;                              ///< N, the batch circuit's size
  /// A batch whose transactions are all swaps with a float-encodable exact amount becomes a swap
  /// batch (kind 1: the swap circuit, 10 bytes per slot); needs the swap keys and verifier.
  bool swap_batches = false;
  std::chrono::milliseconds batch_timeout{1000};         ///< close a non-empty batch after this
  tx::Domain domain;                                     ///< chain id + rollup address
  uint32_t verifier_threads = 2;                         ///< signature checks for submit_async
  /// A verifier waits up to this long for 8 queued transactions (one Poseidon batch) before it
  /// checks fewer: one lone signature costs as much hashing as eight.
  std::chrono::microseconds verify_linger{1000};
  /// While few batches wait for their roots, the batcher thread runs this much nicer than the
  /// others (0 = same priority): its tree updates may lag behind the blocks, soft finality may not.
  int batcher_nice = 10;
  /// Threads the batcher's tree updates may use (0 = every core): the cores also run the
  /// verifiers, writer and sealer, so one saves the thread starts of a fork-join per batch.
  unsigned batcher_threads = 1;
  /// The state trees' changed nodes are written (deduplicated) every this many batches, or when
  /// tree_checkpoint_interval has passed since the last write, and at stop. A restart loads the
  /// last written trees and brings them up to the last batch from the batch records.
  uint32_t tree_checkpoint_batches = 256;
  std::chrono::milliseconds tree_checkpoint_interval{5000};
  /// The batcher writes the whole state at a batch's end (a snapshot) once at least this many
  /// batches and this much time passed since the last one. Rebuilding a batch's pre-state (the
  /// prover after a restart or a failover, the batcher at start-up) replays the blocks from the
  /// newest snapshot before it instead of from genesis. 0 batches: no snapshots.
  uint32_t state_snapshot_batches = 64;
  std::chrono::milliseconds state_snapshot_interval{60000};
  /// Snapshots kept besides the newest one of a batch finalized on L1 (older ones are deleted).
  uint32_t state_snapshots_kept = 2;
  uint32_t rejected_keep = 100000;                       ///< rejected hashes remembered in memory
  bool compute_batch_roots = true;                       ///< false: batches recorded without roots
  bool check_signatures = true;                          ///< false only in benchmarks of the writer
  /// Back-pressure: submit rejects L2 txs (kBatcherBehind) while more than this many batches of
  /// soft txs wait for the batcher (blocks stay soft-final; the writer never waits). 0 = no cap.
  uint32_t max_batch_backlog = 1024;
  /// stop(): how long the batcher keeps batching its backlog; what is left is batched again from
  /// the block log at the next start.
  std::chrono::milliseconds stop_batch_drain{10000};
  /// Disk guard (docs/NODE.md "Failure modes"): submit rejects L2 txs (kStoreUnavailable) while
  /// the data dir's file system has less than this free, so the txs already accepted still seal
  /// and RocksDB does not meet ENOSPC; it accepts again from resume_free_disk_bytes (0 = twice
  /// min_free_disk_bytes). 0 = no guard (a failed write still stops the node cleanly).
  uint64_t min_free_disk_bytes = 64ull << 20;
  uint64_t resume_free_disk_bytes = 0;
  std::chrono::milliseconds disk_check_interval{250};
  /// Replaces the free-space probe of the data dir (tests); nullopt = unknown (no guard).
  std::function<std::optional<uint64_t>(const std::string& dir)> free_disk_probe;
  /// Start even when the store recovered to before the last acknowledged write (a damaged
  /// write-ahead log); the loss is logged. Off: the node refuses to open (error()).
  bool accept_store_rollback = false;
  /// TEST ONLY: called on the sealer thread before each synced write of blocks (a slow disk); in
  /// quorum mode before the WAL sync, after the blocks were written and handed to the quorum stage.
  std::function<void()> before_block_sync;
  /// TEST ONLY: a censoring operator. submit refuses these accounts' remove_liquidity (kRefused):
  /// the attack that an L1 forced exit of an LP position answers (docs/CONTRACTS.md).
  std::vector<uint32_t> refuse_remove_liquidity_of;

  // ---- sequencer group (docs/NODE.md "Sequencer group"; src/cluster decides the roles) ----
  /// Start as a follower: the node seals no block of its own, it applies the leader's blocks
  /// (apply_replicated) until promote(); submit rejects (kNotLeader), submit_async forwards.
  bool follower = false;
  /// The term (fencing token) this node's blocks carry while it leads.
  uint64_t term = 0;
  /// The leader's fan-out of sealed blocks: handed each block before its synced write; with
  /// quorum_soft the sealer turns a block soft only once the replicator reports a majority of the
  /// group (this node or not) has it durably.
  std::shared_ptr<BlockReplicator> replicator;
  bool quorum_soft = false;
};

struct SubmitResult {
  bool accepted = false;        ///< true: pending in the mempool
  RejectCode code = RejectCode::kNone;
  std::string reason;           ///< human text, e.g. "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT"
  Hash hash{};                  ///< zero when the bytes did not decode
};

struct TxTimes {
  TimeMs received = 0;  ///< submit() was called
  TimeMs accepted = 0;  ///< entered the mempool (0 if rejected at submit)
  TimeMs soft = 0;      ///< its block's synced write returned
  TimeMs rejected = 0;
  TimeMs committed = 0;  ///< its batch's commitBatch receipt was seen on L1 (0: not yet / unknown)
  TimeMs proven = 0;     ///< ... proveBatch receipt
  TimeMs finalized = 0;  ///< ... executeBatch receipt (hard finality)
};

struct TxInfo {
  Hash hash{};
  TxStatus status = TxStatus::kUnknown;
  RejectCode code = RejectCode::kNone;  ///< for kRejected
  std::string reason;
  uint64_t block = 0;                   ///< soft and later
  uint32_t position = 0;                ///< index in the block
  std::optional<uint64_t> batch;        ///< batch number once batched
  TxTimes times;
  std::optional<tx::Tx> tx;             ///< when known
  std::optional<tx::Executed> executed; ///< soft and later
};

struct BlockHeader {
  uint64_t number = 0;      ///< 1, 2, 3, ... (0 = none yet)
  TimeMs timestamp = 0;     ///< the block's time; txs' deadlines are checked at timestamp / 1000
  Hash parent_hash{};       ///< zero for block 1
  Hash hash{};              ///< keccak256 of the encoded header fields and the tx hashes
  uint32_t tx_count = 0;
  /// The term (fencing token) of the leader that sealed the block; stored with it, not hashed.
  uint64_t term = 0;
  /// Sequencer group: the leader's batch cut (0 = none). Before this block's txs, every member's
  /// batcher closes batch `close_batch` if it is the open one and not empty, so that all members
  /// hold the same batches and a cut is as durable as the block that carries it (docs/NODE.md
  /// "Sequencer group"). A block carrying a cut may have no txs. Stored after the term, not hashed.
  uint64_t close_batch = 0;
};

struct BlockTx {
  Hash hash{};
  tx::Tx tx;
  tx::Executed executed;
};

struct Block {
  BlockHeader header;
  std::vector<BlockTx> txs;
};

/// docs/BATCH.md section 2; its format lives in tx/batch_header.hpp (new_root is valid when
/// Batch::root_ready).
using tx::BatchHeader;
using tx::BatchKind;
using tx::kBatchHeaderBytes;

inline constexpr std::size_t kSlotPubdataBytes = tx::kSlotPublicDataBytes;

struct BatchSlot {
  Hash hash{};             ///< zero for noop padding
  tx::Tx tx;               ///< tx::Noop for padding
  tx::Executed executed;
  uint64_t block = 0;      ///< 0 for padding
  uint32_t position = 0;
};

struct Batch {
  BatchHeader header;
  std::vector<BatchSlot> slots;    ///< exactly header.num_slots
  std::vector<uint8_t> pubdata;    ///< num_slots * 42 bytes, or * 10 in a swap batch (docs/BATCH.md 3, 8)
  bool root_ready = false;         ///< header.old_root/new_root computed
  /// sha256(header || pubdata) with the top 3 bits cleared (docs/BATCH.md section 5); root_ready.
  ff::Fr public_input() const;
};

/// What the batch thread hands to the apply hook: the batch (header.new_root not yet set; slots
/// in order) while `state`/`trees` hold the pre-state (root == header.old_root). The hook must
/// apply every non-noop slot to `state` with tx::execute(verify_signature = false, timestamp =
/// slot_timestamps[i]) and bring `trees` up to date; it returns the new root, or nullopt when a
/// slot did not re-execute with the recorded Executed (the node then logs an error and records
/// the batch without a root). The hook runs on the batch thread only.
struct BatchJob {
  const Batch& batch;
  std::span<const uint64_t> slot_timestamps;  ///< per slot: its block's time in seconds
  const tx::Domain& domain;
};
using BatchApplyHook =
    std::function<std::optional<ff::Fr>(state::State& state, state::StateTrees& trees, const BatchJob& job)>;

/// The default hook: re-executes the slots, collects what they touched, StateTrees::sync.
std::optional<ff::Fr> apply_batch(state::State& state, state::StateTrees& trees, const BatchJob& job);

struct Quote {
  state::AmmError error = state::AmmError::kOk;  ///< kOk, or the library's revert reason
  bool pool_found = false;
  U256 amount_in{};
  U256 amount_out{};
};

struct NodeStatus {
  uint64_t head_block = 0;
  TimeMs head_timestamp = 0;
  Hash head_hash{};
  uint64_t pending = 0;           ///< txs in the mempool (including those in the open block)
  uint64_t soft_txs = 0;          ///< txs in sealed blocks since genesis
  uint64_t last_batch = 0;        ///< number of the last recorded batch (0 = none)
  uint64_t last_root_batch = 0;   ///< last batch whose root is computed
  ff::Fr state_root = ff::Fr::zero();  ///< new_root of last_root_batch (genesis: the empty state's)
  uint64_t next_priority_serial = 0;
  uint64_t num_accounts = 0;
  uint64_t uptime_ms = 0;
  uint64_t last_committed = 0;    ///< highest batch committed on L1 (set_batch_l1_status; 0 = none)
  uint64_t last_proven = 0;       ///< highest batch proven on L1
  uint64_t last_finalized = 0;    ///< highest batch executed (finalized) on L1
  /// Soft txs not yet in a closed batch, in batches (rounded up): the batcher's backlog.
  uint64_t batcher_backlog_batches = 0;
  /// The batcher's trees were loaded from the store at open (false: rebuilt from the state).
  bool trees_restored = false;
  /// Synced writes of sealed blocks since start; fewer than the blocks sealed when a slow disk made
  /// the sealer commit several blocks under one sync (group commit).
  uint64_t block_syncs = 0;
};

/// A batch's progress on L1 (set by the L1 sender through Node::set_batch_l1_status). Times are
/// ms since the epoch when the node learnt of the step (0: unknown, e.g. skipped after a restart).
struct BatchL1Info {
  TxStatus stage = TxStatus::kSoft;  ///< kSoft (nothing on L1 yet), kCommitted, kProven or kFinalized
  TimeMs committed = 0, proven = 0, finalized = 0;
  Hash commit_tx{}, prove_tx{}, execute_tx{};  ///< L1 tx hashes (zero: unknown)
};

using SubscriptionId = uint64_t;

/// One node over one data directory. Construction opens (or creates) the store, recovers state
/// and head, and starts the threads; the destructor calls stop().
class Node {
 public:
  /// Opens cfg.data_dir; on failure error() is non-empty and every call rejects.
  explicit Node(NodeConfig cfg);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  /// Empty when the node opened its store; otherwise why not.
  const std::string& error() const noexcept;
  /// Empty while the store accepts writes; otherwise why submit rejects with kStoreUnavailable
  /// (the disk is nearly full, or a write failed and waits for space to be retried).
  std::string store_problem() const;
  const NodeConfig& config() const noexcept;

  // ---- transactions ----
  /// Decodes, checks (signature on the calling thread) and enqueues an L2 tx.
  SubmitResult submit(std::span<const uint8_t> encoded);
  SubmitResult submit(const tx::Tx& t);
  /// As submit(), with the checks on the node's verifier pool; `done` runs on a node thread.
  void submit_async(std::vector<uint8_t> encoded, std::function<void(const SubmitResult&)> done);
  /// submit() then wait until the tx is soft or rejected, at most `timeout` (then status kPending).
  TxInfo submit_and_wait(const tx::Tx& t, std::chrono::milliseconds timeout);
  /// L1 priority operations (CreateAccount, Deposit, FullExit), applied by the writer in serial
  /// order; t's serial must equal next_priority_serial() at the time of the call.
  SubmitResult submit_priority(const tx::Tx& t);
  uint64_t next_priority_serial() const;
  /// Registers an L1 token (ETH is token 0); waits until it is durable. nullopt on failure.
  std::optional<state::TokenId> add_token(const state::L1Address& l1_address);
  /// Seals the open block now (if it holds txs) and waits until every tx accepted before the
  /// call is soft or rejected, at most `timeout`; true when that happened.
  bool flush(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // ---- reads ----
  TxInfo tx_info(const Hash& h) const;
  std::optional<state::Account> account(state::AccountIndex index) const;
  std::optional<state::Pool> pool(state::TokenId token_a, state::TokenId token_b) const;
  std::optional<state::Token> token(state::TokenId id) const;
  /// Pool `id` (ids are dense from 0, in creation order; its LP token is 512 + id).
  std::optional<state::Pool> pool_by_id(uint32_t id) const;
  /// UniswapV2Library.getAmountOut / getAmountIn on the current reserves (one hop).
  Quote quote_exact_in(state::TokenId token_in, state::TokenId token_out, const U256& amount_in) const;
  Quote quote_exact_out(state::TokenId token_in, state::TokenId token_out, const U256& amount_out) const;
  std::optional<Block> block(uint64_t number) const;
  std::optional<Batch> batch(uint64_t number) const;
  NodeStatus status() const;
  /// A copy of the live state (soft state plus the open block); for tests and tools.
  state::State state_copy() const;

  // ---- L1 settlement (node_l1.cpp) ----
  /// Records that batch `batch` reached `stage` (kCommitted, kProven or kFinalized) on L1 at
  /// `at`; synced to the store. Monotone (a lower or equal stage changes nothing) and idempotent;
  /// every tx of the batch then reports the stage in tx_info() and on_tx_status subscribers are
  /// notified. Precondition: the batch is recorded. false on a bad argument or a store error.
  bool set_batch_l1_status(uint64_t batch, TxStatus stage, TimeMs at, const Hash& l1_tx = {});
  /// The batch's L1 progress; nullopt when the batch is not recorded.
  std::optional<BatchL1Info> batch_l1(uint64_t batch) const;
  /// Durable records of the settlement layer (stored proofs, the L1 sender's journal), in their
  /// own key space of the node's store; the write is synced. false on a store error.
  bool put_settle_record(std::string_view key, std::string_view value);
  std::optional<std::string> settle_record(std::string_view key) const;
  /// The state before batch `batch` (after every tx of batches 1..batch-1), rebuilt by replaying
  /// the block log; for re-making a witness after a restart. nullopt when the batch is not
  /// recorded or the log does not replay.
  std::optional<state::State> state_before_batch(uint64_t batch) const;

  // ---- subscriptions (callbacks on the notifier thread) ----
  /// Each sealed block, after its synced write.
  SubscriptionId on_block(std::function<void(const Block&)> cb);
  /// Each recorded batch (again when its root is ready, with root_ready = true).
  SubscriptionId on_batch(std::function<void(const Batch&)> cb);
  /// Every later status change of `h` (soft, rejected, batched ...). If h is already soft or
  /// rejected, cb runs once right away (on the calling thread).
  SubscriptionId on_tx_status(const Hash& h, std::function<void(const TxInfo&)> cb);
  void unsubscribe(SubscriptionId id);
  /// The highest block on this node's disk after each synced write, called on the sealer thread
  /// before the blocks turn soft (a follower's acks to its leader). cb must not block; once
  /// unsubscribe(id) returns it is not running and never runs again.
  SubscriptionId on_durable(std::function<void(uint64_t head)> cb);

  // ---- genesis ----
  /// Loads a devnet genesis JSON (format in docs/NODE.md) into an empty node by executing
  /// CreateAccount/Deposit priority ops and signed CreatePool/AddLiquidity txs; waits until all
  /// are soft. "" on success, else the error.
  std::string load_genesis_file(const std::string& path);
  std::string load_genesis_json(std::string_view json_text);
  /// The same genesis applied to a node that may hold a prefix of it already (a sequencer
  /// group's leader that was cut short by a failover; docs/NODE.md "Sequencer group"): each step
  /// the node shows done is checked and skipped (a token by its id and address, a priority op by
  /// its serial, the genesis's being the chain's first, a CreateAccount also by its key, a signed
  /// tx by its account's nonce), the rest are applied as load_genesis_json would. Idempotent:
  /// on a node that holds all of it, it checks and seals nothing. max_steps (tests): stop after
  /// applying that many steps, as a failover would. *applied: the steps it applied.
  std::string complete_genesis_json(std::string_view json_text, size_t max_steps = SIZE_MAX, size_t* applied = nullptr);

  // ---- sequencer group (NodeConfig::follower) ----
  /// Follower: queues the leader's next block (number = head + 1, parent = head) for the writer,
  /// which re-executes it, checks every tx's result and the hash, and stores it with its term
  /// (soft on this node once durable: on_block and tx subscribers hear it). false (and *why)
  /// when it cannot follow: not a follower, stopping, or the node diverged (diverged()).
  bool apply_replicated(std::shared_ptr<const Block> block, std::string* why = nullptr);
  /// Follower: registers the leader's L1 token at the same place in the block order.
  bool apply_replicated_token(const state::L1Address& address);
  /// Follower -> leader once every block queued before is applied; its blocks carry `term`.
  /// Waits (at most `timeout`) until the writer leads; false when it did not (not a follower,
  /// stopping, diverged, or still applying).
  bool promote(uint64_t term, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool is_follower() const;
  /// Non-empty once a replicated block did not apply (wrong parent, hash or tx result): the node
  /// applies nothing more; its data dir must be resynced.
  std::string diverged() const;
  /// The head synced to this node's disk (soft on a follower; under quorum a leader's soft head
  /// may be ahead of it or behind it: a majority need not include the leader).
  uint64_t durable_head() const;
  /// A block on this node's disk, durable but maybe not yet soft (replication catch-up).
  std::optional<Block> durable_block(uint64_t number) const;
  /// The L1 address of token `id` and the head after which it was registered.
  std::optional<std::pair<state::L1Address, uint64_t>> token_registration(state::TokenId id) const;
  uint32_t num_tokens() const;
  /// Follower: where submit_async sends transactions (the leader's RPC). Empty: reject them.
  using Forwarder = std::function<void(std::vector<uint8_t> encoded, std::function<void(const SubmitResult&)> done)>;
  void set_forwarder(Forwarder f);

  /// Replaces the batch apply hook (before the first batch closes). Empty = apply_batch.
  void set_batch_hook(BatchApplyHook hook);

  /// Stops accepting, executes what is ready, seals the open block, records the last batch
  /// (padded) and joins the threads. Idempotent. With a batcher backlog it batches for at most
  /// NodeConfig::stop_batch_drain (logging progress), then leaves the rest (blocks are durable)
  /// to be batched again at the next start.
  void stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// The leader side of block replication (node/replication.hpp implements it over loopback TCP).
/// Calls come from the sealer thread, in block order.
class BlockReplicator {
 public:
  virtual ~BlockReplicator() = default;
  /// A sealed block, before the leader's own synced write (the followers' writes overlap it).
  virtual void publish(std::shared_ptr<const Block> block) = 0;
  /// An L1 token registered after block `after_head` (followers register it at the same place).
  virtual void publish_token(uint64_t after_head, const state::L1Address& address) = 0;
  /// The leader's own synced write of every block up to `head` returned: its vote in wait_quorum.
  virtual void own_durable(uint64_t head) = 0;
  /// True once a majority of the group has block `number` durably, the leader counting as one
  /// member once own_durable says so; false when shut down first (the node is stopping). The
  /// majority need not include the leader: its own write runs beside the followers' (Raft,
  /// Ongaro's thesis section 10.2.1), so a slow leader disk does not hold soft finality back.
  virtual bool wait_quorum(uint64_t number) = 0;
  /// Wakes wait_quorum for good (Node::stop calls it before joining the sealer).
  virtual void shutdown() = 0;
  /// The node has stopped and is about to close its store: stop reading from it (a follower's
  /// catch-up reads the store from the replicator's own threads). Node::stop calls it last.
  virtual void node_stopped() {}
};

/// Hex helpers for logs and RPC: "0x" + lowercase hex.
std::string to_hex(const Hash& h);

}  // namespace zkamm::node
