#pragma once
// The L1 sender: takes proven batches to executed on ZkammRollup, in batch order, one L1
// transaction at a time with l1::TxSender: one commitProveExecute when nothing is pending on L1
// (the usual case; docs/CONTRACTS.md: about 30% less gas than three calls), for every
// consecutive proven batch waiting in the queue (up to max_batches_per_transaction), else
// (a batch committed or proven before a restart) commitBatch -> proveBatch -> executeBatch. A batch is
// committed only after the prover checked (and stored) its proof, so no unprovable root reaches
// L1. Before every step it reads the contract's lastCommitted/lastProven/lastExecuted, which are
// the truth across restarts: a step the contract already shows is skipped.
//
// Restarts (kill -9) between sending a step and seeing its receipt: before each send the sender
// writes (batch, step, nonce) to a durable journal, and the tx hash right after the send. After a
// restart, a step that the contract does not show yet but that has a journal record is not sent
// again while a transaction with the recorded nonce is pending: the sender waits until that nonce
// is mined (or found unused), re-reads the counters, and only then sends, with the same nonce
// when the first one never reached L1. So each step costs at most one mined operator tx.
//
// Batch timestamps (docs/CONTRACTS.md "Batch timestamps"): ZkammRollup refuses a batch whose
// timestamp is more than its timestampWindow behind the committing L1 block. Before committing a
// batch the sender compares its timestamp with the latest L1 block's; a batch too old (with
// timestamp_margin_s to spare for the blocks until inclusion) is an error naming the batch, its
// age and the window, and nothing is sent: such a batch can never be committed, and the node
// has to seal its transactions again in a new batch, which it does not do by itself.
//
// Test-only fault hooks (never set them in production): the environment variable ZKAMM_FAULT
//   after-commit           _exit(86) right after the commitBatch receipt is seen
//   after-send-committed   _exit(86) right after commitBatch's eth_sendRawTransaction returned
//   after-send-proven      ... proveBatch's;   after-send-executed   ... executeBatch's
//   after-send-settled     ... commitProveExecute's
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "l1/rpc_client.hpp"
#include "l1/abi.hpp"
#include "l1/sender.hpp"
#include "settle/prover.hpp"

namespace zkamm::settle {

/// Where a batch is on L1. kProven = the proof was accepted by proveBatch; kExecuted = finalized.
enum class L1Stage : uint8_t { kPending = 0, kCommitted, kProven, kExecuted };
std::string_view to_string(L1Stage s) noexcept;

struct L1BatchState {
  uint64_t number = 0;
  L1Stage stage = L1Stage::kPending;
  TimeMs closed_ms = 0, proved_local_ms = 0;             ///< from the prover
  TimeMs committed_ms = 0, proven_ms = 0, executed_ms = 0;  ///< receipt seen (0: skipped or not yet)
  uint64_t gas_commit = 0, gas_prove = 0, gas_execute = 0;  ///< gasUsed of our transactions
  uint64_t gas_settle = 0;  ///< gasUsed of our commitProveExecute (the three above are then 0)
  l1::Bytes32 commit_tx{}, prove_tx{}, execute_tx{};       ///< our transactions (zero: unknown)
};

struct ChainView {
  uint64_t last_committed = 0, last_proven = 0, last_executed = 0;
};

struct L1SenderConfig {
  l1::Address rollup{};
  uint64_t prove_gas_limit = 1'000'000;  ///< explicit: a verifier short of gas returns false
  /// commitProveExecute when L1 has no batch pending (false: always the three calls).
  bool one_transaction = true;
  /// The most batches one commitProveExecute settles (those already proven and queued; the
  /// sender never waits for more). The contract checks them with one batched pairing check.
  unsigned max_batches_per_transaction = 4;
  /// A batch is sent only while its timestamp is at least this much inside the rollup's window
  /// (the transaction is mined some blocks after the block the sender looks at).
  uint64_t timestamp_margin_s = 60;
  unsigned retries = 3;                  ///< a failed step is retried this often, then the sender halts
  std::chrono::milliseconds retry_delay{500};
  /// While the L1 node does not answer at all (restarting, network down), failed steps are
  /// retried without counting against `retries`, for up to this long per outage (0: no
  /// allowance). The steps are idempotent (counters are re-read, the journal prevents resends).
  std::chrono::milliseconds l1_down_patience{0};
  /// The durable journal (devnet: Node::put_settle_record / settle_record). put must return only
  /// once the record is durable; both empty: no journal (a kill between send and receipt may
  /// then cost one reverted duplicate).
  std::function<bool(const std::string& key, const std::string& value)> journal_put;
  std::function<std::optional<std::string>(const std::string& key)> journal_get;
  /// Sequencer group: asked right before every transaction is sent (after the counters were
  /// read); false (this member no longer holds the group's lead) sends nothing and the step
  /// fails. Empty: always true.
  std::function<bool()> may_send;
};

/// The rollup's lastCommitted/lastProven/lastExecuted (eth_call on latest).
l1::Result<ChainView> read_chain_view(l1::RpcClient& rpc, const l1::Address& rollup);

class L1Sender {
 public:
  /// rpc and tx outlive the sender; tx's key must be the rollup's operator.
  L1Sender(l1::RpcClient& rpc, l1::TxSender& tx, L1SenderConfig cfg);
  ~L1Sender();
  L1Sender(const L1Sender&) = delete;
  L1Sender& operator=(const L1Sender&) = delete;

  /// The contract's counters (eth_call on latest).
  l1::Result<ChainView> chain_view();
  /// Runs the three steps of one batch now, on the calling thread; "" on success. Steps the
  /// contract already shows are skipped. Precondition: earlier batches are executed on L1 or
  /// were processed before (the contract enforces the order).
  std::string process(const ProvedBatch& p);

  /// Starts the worker thread, which processes enqueued batches in number order.
  void start();
  void enqueue(const ProvedBatch& p);
  /// cb(batch, stage, time) on the worker thread after each step (also for skipped steps, with
  /// the time the sender found out).
  void on_stage(std::function<void(uint64_t, L1Stage, TimeMs)> cb);
  std::optional<L1BatchState> state(uint64_t number) const;
  uint64_t last_executed() const;
  bool wait_executed(uint64_t number, std::chrono::milliseconds timeout) const;
  /// Non-empty once the worker halted (a transaction reverted, or L1 unreachable).
  std::string error() const;
  void stop();

 private:
  l1::Result<uint64_t> read_counter(const l1::abi::Function& f);
  /// The operator's next nonce once no transaction of it is pending on L1 (waits for one that
  /// is, up to the transaction timeout): the nonce a step is pinned to (send()).
  l1::Result<uint64_t> settled_nonce();
  /// Sends one step with the journal protocol above, journalled and fault-named as `name`;
  /// nullopt receipt: the step turned out to be done already on L1 (a transaction sent before a
  /// restart), which the contract shows as `step`.
  l1::Result<std::optional<l1::Receipt>> send(uint64_t n, L1Stage step, std::string_view name, const l1::Bytes& data,
                                              std::optional<uint64_t> gas_limit);
  /// Takes `run` (consecutive batches, the first the next one L1 needs) as far as it can in one
  /// step: all of them in one commitProveExecute when that path applies, else the first through
  /// the three calls. Returns how many it finished ("" error) or the error.
  std::pair<std::string, size_t> process_run(const std::vector<ProvedBatch>& run);
  /// commitProveExecute of `run`, journalled under its first batch; after a restart the
  /// transaction found there may have settled a different number of batches, so what is marked
  /// executed is what the contract shows afterwards. Returns how many of `run` are executed.
  std::pair<std::string, size_t> settle_in_one(const std::vector<ProvedBatch>& run);
  /// "" when the rollup can still accept the timestamps of `batches` (to be committed by step
  /// `name`, journalled under the first one), else why not. A step sent before a restart is not
  /// checked: send() settles that transaction first.
  std::string check_timestamps(const std::vector<ProvedBatch>& batches, std::string_view name);
  /// commitBatch, proveBatch, executeBatch of p, each skipped when `view` shows it done.
  std::string three_calls(const ProvedBatch& p, const ChainView& view);
  /// The receipt of the successful transaction the journal records for (n, name), if any.
  std::optional<l1::Receipt> journalled_receipt(uint64_t n, std::string_view name);
  /// Reports `step` of batch n, which L1 already shows: with the journalled transaction that did
  /// it when there is one (sent before a restart), else with time 0 and no transaction.
  void mark_shown(uint64_t n, L1Stage step);
  /// Whether the contract shows `step` for batch n.
  l1::Result<bool> shows(uint64_t n, L1Stage step);
  void mark(uint64_t n, L1Stage s, TimeMs t, uint64_t gas, const l1::Bytes32& tx = {});
  void run();

  l1::RpcClient& rpc_;
  l1::TxSender& tx_;
  std::atomic<bool> cancel_{false};  // stop(): TxSender::wait gives up
  L1SenderConfig cfg_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::map<uint64_t, ProvedBatch> queue_;
  std::map<uint64_t, L1BatchState> states_;
  std::optional<uint64_t> timestamp_window_;  ///< the rollup's, read once
  uint64_t last_executed_ = 0;
  std::string error_;
  std::vector<std::function<void(uint64_t, L1Stage, TimeMs)>> callbacks_;
  bool stop_ = false;
  std::thread worker_;
};

/// Puts the sender's journal in the node's store (Node::put_settle_record, keys "sender/...").
void use_node_journal(L1SenderConfig& cfg, node::Node& node);
/// Reports every stage to the node (Node::set_batch_l1_status with the L1 tx hash), so tx_info()
/// and the RPC show committed / proven / finalized. Skipped steps get the time the sender found out.
void report_to_node(L1Sender& sender, node::Node& node);
/// Marks the node's batches up to what `view` shows (committed / proven / executed), without the
/// L1 transactions: a sequencer group's followers learn their batches' L1 stages this way (the
/// leader's sender reports its own), and a new leader before its prover starts.
void report_chain_view(const ChainView& view, node::Node& node);
/// Hands every stored proof above the node's last finalized batch to the sender (after a restart).
void resume_from_store(L1Sender& sender, const Prover& prover, const node::Node& node);

/// A proof as commitProveExecute's uint256[8]: a.x, a.y, b.x (c1, c0), b.y (c1, c0), c.x, c.y.
std::vector<l1::abi::Value> proof_words(const snark::Proof& proof);
/// The proveBatch arguments (a, b, c) of a proof, b in the precompile order (c1, c0).
std::vector<l1::abi::Value> proof_args(const snark::Proof& proof);

}  // namespace zkamm::settle
