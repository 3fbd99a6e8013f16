#pragma once
// TxSender: one L1 account's transactions. Tracks the nonce locally (fetched once from the
// pending count, resynced when the node says "nonce too low"), prices EIP-1559 fees from the
// latest base fee (max_fee = 2 * base + tip, which survives six full blocks of +12.5% base fee
// growth), waits for receipts with N confirmations and replaces a transaction that is not mined
// in time with the same nonce and both fees raised by at least 12.5% (geth needs +10%), never
// above SenderOptions::max_fee_cap.
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "l1/eip1559.hpp"
#include "l1/rpc_client.hpp"

namespace zkamm::l1 {

struct SenderOptions {
  std::chrono::milliseconds poll_interval{200};
  std::chrono::milliseconds resubmit_after{std::chrono::seconds(30)};  // unmined this long: bump fees
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};          // give up waiting
  uint64_t confirmations = 1;           // 1: the block holding the receipt is enough
  std::optional<U256> priority_fee;     // default: eth_maxPriorityFeePerGas (1 gwei if unsupported)
  // Ceiling on max_fee_per_gas (and so on the tip), first send and bumps alike: above it a
  // transaction waits for the base fee to fall instead of paying more. nullopt: no ceiling.
  std::optional<U256> max_fee_cap;
  unsigned gas_margin_percent = 20;     // added to eth_estimateGas
  unsigned max_resubmissions = 10;
};

struct TxRequest {
  std::optional<Address> to;  // nullopt: contract creation
  U256 value{};
  Bytes data;
  std::optional<uint64_t> gas_limit;  // default: estimate plus margin
  /// Pinned nonce: sign with exactly this one. A "nonce too low" is then returned as it is, never
  /// retried with a fresh nonce: the caller checked the chain's state at this nonce, and a
  /// transaction built for that state must not land on a later one (settle::L1Sender's fence).
  std::optional<uint64_t> nonce = std::nullopt;
};

/// A submitted transaction: every submission's hash (same nonce, rising fees), newest last.
struct PendingTx {
  Eip1559Tx tx;
  std::vector<Bytes32> hashes;
  std::chrono::steady_clock::time_point last_submitted;
  unsigned resubmissions = 0;
};

class TxSender {
 public:
  /// Precondition: `rpc` outlives the sender. chain_id is the L1's (RpcClient::chain_id()).
  TxSender(RpcClient& rpc, PrivateKey key, uint64_t chain_id, SenderOptions options = {});

  Address address() const { return key_.address(); }
  const SenderOptions& options() const { return options_; }

  /// Builds, signs and submits; on "nonce too low" resyncs the nonce and retries once.
  Result<PendingTx> send(const TxRequest& request);
  /// Resubmits with the same nonce and both fees raised by >= 12.5% (and to at least
  /// 2 * current base fee + tip).
  Result<Bytes32> bump(PendingTx& pending);
  /// The receipt of whichever submission was mined, if any.
  Result<std::optional<Receipt>> poll(const PendingTx& pending);
  /// Polls until a submission has `confirmations` blocks, bumping fees every resubmit_after.
  /// Gives up (a Timeout error) once *cancel is true: a stopping owner does not wait out the
  /// timeout (the tx stays pending on L1; its journal finds it after a restart). Per call, since
  /// one sender may serve several owners (other callers keep waiting).
  Result<Receipt> wait(PendingTx& pending, const std::atomic<bool>* cancel = nullptr);
  Result<Receipt> send_and_wait(const TxRequest& request);
  /// Deploys init_code || constructor_args and returns the new contract's address.
  Result<Address> deploy(std::span<const uint8_t> init_code, std::span<const uint8_t> constructor_args = {});

  /// Why a transaction of this account for `request` reverted (its receipt), as " (replayed on
  /// block N: <the node's message>)": the call replayed on the state before its block, which is
  /// exact when the block holds only this transaction (anvil's automine) and a hint otherwise;
  /// "" when the replay does not revert or fails. wait() appends it to its Reverted error.
  std::string revert_reason(const TxRequest& request, const Receipt& receipt);

  /// Refetches the nonce (pending count) from the node.
  Result<uint64_t> resync_nonce();
  /// The nonce the next send will use, once known.
  std::optional<uint64_t> next_nonce() const;

 private:
  struct Fees {
    U256 tip;
    U256 max_fee;
  };
  Result<Fees> current_fees();
  Result<Bytes32> submit(const Eip1559Tx& tx);

  RpcClient& rpc_;
  PrivateKey key_;
  uint64_t chain_id_;
  SenderOptions options_;
  mutable std::mutex mutex_;  // guards next_nonce_ and serialises send()
  std::optional<uint64_t> next_nonce_;
};

}  // namespace zkamm::l1
