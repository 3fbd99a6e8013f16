#include "l1/sender.hpp"

#include <thread>

namespace zkamm::l1 {
namespace {

constexpr uint64_t kDefaultTipWei = 1'000'000'000;  // 1 gwei, when the node has no fee oracle

RpcError local_error(RpcErrorKind kind, std::string message) { return RpcError{kind, 0, std::move(message), {}}; }

// Fee arithmetic saturates at 2^256 - 1: an absurd fee is rejected by the node, not wrapped.
U256 add(const U256& a, const U256& b) {
  U256 r;
  if (ff::add_with_carry(r, a, b)) return U256{~0ull, ~0ull, ~0ull, ~0ull};
  return r;
}

U256 max(const U256& a, const U256& b) { return ff::less_than(a, b) ? b : a; }
U256 min(const U256& a, const U256& b) { return ff::less_than(a, b) ? a : b; }

// x + ceil(x / 8), and at least x + 1: a strict rise of >= 12.5%.
U256 bumped(const U256& x) {
  U256 eighth = ff::shift_right(add(x, u256(7)), 3);
  if (ff::is_zero(eighth)) eighth = u256(1);
  return add(x, eighth);
}

}  // namespace

TxSender::TxSender(RpcClient& rpc, PrivateKey key, uint64_t chain_id, SenderOptions options)
    : rpc_(rpc), key_(std::move(key)), chain_id_(chain_id), options_(std::move(options)) {}

std::optional<uint64_t> TxSender::next_nonce() const {
  std::lock_guard lock(mutex_);
  return next_nonce_;
}

Result<uint64_t> TxSender::resync_nonce() {
  auto n = rpc_.get_transaction_count(address(), BlockTag::pending());
  if (!n) return n.error();
  std::lock_guard lock(mutex_);
  next_nonce_ = *n;
  return *n;
}

Result<TxSender::Fees> TxSender::current_fees() {
  auto block = rpc_.get_block_by_number(BlockTag::latest());
  if (!block) return block.error();
  if (!*block) return local_error(RpcErrorKind::BadResponse, "no latest block");
  U256 base;
  if ((*block)->base_fee_per_gas) {
    base = *(*block)->base_fee_per_gas;
  } else {
    auto gp = rpc_.gas_price();  // pre-London node: the gas price stands in for the base fee
    if (!gp) return gp.error();
    base = *gp;
  }
  U256 tip = u256(kDefaultTipWei);
  if (options_.priority_fee) {
    tip = *options_.priority_fee;
  } else if (auto t = rpc_.max_priority_fee_per_gas()) {
    tip = *t;
  }
  Fees f{tip, add(add(base, base), tip)};
  if (options_.max_fee_cap) {
    f.max_fee = min(f.max_fee, *options_.max_fee_cap);
    f.tip = min(f.tip, f.max_fee);
  }
  return f;
}

Result<Bytes32> TxSender::submit(const Eip1559Tx& tx) {
  const Bytes raw = sign_tx(tx, key_);
  auto h = rpc_.send_raw_transaction(raw);
  // After a retried HTTP request the node may already hold this exact transaction.
  if (!h && h.error().kind == RpcErrorKind::Rpc && h.error().message_contains("already known")) return tx_hash(raw);
  return h;
}

Result<PendingTx> TxSender::send(const TxRequest& request) {
  auto fees = current_fees();
  if (!fees) return fees.error();
  Eip1559Tx tx;
  tx.chain_id = chain_id_;
  tx.max_priority_fee_per_gas = fees->tip;
  tx.max_fee_per_gas = fees->max_fee;
  tx.to = request.to;
  tx.value = request.value;
  tx.data = request.data;
  if (request.gas_limit) {
    tx.gas_limit = *request.gas_limit;
  } else {
    auto gas = rpc_.estimate_gas(CallRequest{address(), request.to, request.data, request.value, std::nullopt});
    if (!gas) return gas.error();
    tx.gas_limit = *gas + *gas * options_.gas_margin_percent / 100;
  }

  std::lock_guard lock(mutex_);
  if (request.nonce) {
    tx.nonce = *request.nonce;
    auto h = submit(tx);
    if (!h) return h.error();
    next_nonce_ = tx.nonce + 1;
    return PendingTx{tx, {*h}, std::chrono::steady_clock::now(), 0};
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!next_nonce_) {
      auto n = rpc_.get_transaction_count(address(), BlockTag::pending());
      if (!n) return n.error();
      next_nonce_ = *n;
    }
    tx.nonce = *next_nonce_;
    auto h = submit(tx);
    if (h) {
      ++*next_nonce_;
      return PendingTx{tx, {*h}, std::chrono::steady_clock::now(), 0};
    }
    // Someone else (another process with this key, or a lost local count) used the nonce.
    if (attempt == 0 && h.error().kind == RpcErrorKind::Rpc && h.error().message_contains("nonce too low")) {
      next_nonce_.reset();
      continue;
    }
    return h.error();
  }
  return local_error(RpcErrorKind::Rpc, "nonce too low after resync");
}

Result<Bytes32> TxSender::bump(PendingTx& pending) {
  auto fees = current_fees();
  if (!fees) return fees.error();
  Eip1559Tx tx = pending.tx;
  // Three tries: a node may demand more than our +12.5% (its own replacement rule).
  for (int attempt = 0; attempt < 3; ++attempt) {
    tx.max_priority_fee_per_gas = max(bumped(tx.max_priority_fee_per_gas), fees->tip);
    // fees->max_fee - fees->tip is 2 * base: keep max_fee >= 2 * base + the new tip.
    U256 two_base;
    ff::sub_with_borrow(two_base, fees->max_fee, fees->tip);
    tx.max_fee_per_gas = max(bumped(tx.max_fee_per_gas), add(two_base, tx.max_priority_fee_per_gas));
    tx.max_fee_per_gas = max(tx.max_fee_per_gas, tx.max_priority_fee_per_gas);
    if (options_.max_fee_cap && ff::less_than(*options_.max_fee_cap, tx.max_fee_per_gas)) {
      // At the ceiling a replacement would not be +12.5% on both fees (nodes refuse it): wait.
      if (ff::less_than(*options_.max_fee_cap, bumped(pending.tx.max_fee_per_gas)))
        return local_error(RpcErrorKind::Rpc, "fee ceiling reached: not replacing the transaction");
      tx.max_fee_per_gas = *options_.max_fee_cap;
      tx.max_priority_fee_per_gas = min(tx.max_priority_fee_per_gas, tx.max_fee_per_gas);
      if (ff::less_than(tx.max_priority_fee_per_gas, bumped(pending.tx.max_priority_fee_per_gas)))
        return local_error(RpcErrorKind::Rpc, "fee ceiling reached: not replacing the transaction");
    }
    auto h = submit(tx);
    if (h) {
      pending.tx = tx;
      pending.hashes.push_back(*h);
      pending.last_submitted = std::chrono::steady_clock::now();
      ++pending.resubmissions;
      return h;
    }
    if (!(h.error().kind == RpcErrorKind::Rpc && h.error().message_contains("underpriced"))) return h.error();
  }
  return local_error(RpcErrorKind::Rpc, "replacement transaction underpriced");
}

Result<std::optional<Receipt>> TxSender::poll(const PendingTx& pending) {
  for (auto it = pending.hashes.rbegin(); it != pending.hashes.rend(); ++it) {
    auto r = rpc_.get_transaction_receipt(*it);
    if (!r) return r.error();
    if (*r) return r;
  }
  return std::optional<Receipt>{};
}

Result<Receipt> TxSender::wait(PendingTx& pending, const std::atomic<bool>* cancel) {
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (;;) {
    auto r = poll(pending);
    // Transport errors are retried until the deadline (the node may be restarting).
    if (!r && r.error().kind != RpcErrorKind::Transport) return r.error();
    if (r && *r) {
      const Receipt& receipt = **r;
      auto head = rpc_.block_number();
      if (head && *head >= receipt.block_number && *head - receipt.block_number + 1 >= options_.confirmations) {
        if (!receipt.status) {
          return local_error(RpcErrorKind::Reverted,
                             "transaction " + to_hex(receipt.transaction_hash) + " reverted" +
                                 revert_reason(TxRequest{pending.tx.to, pending.tx.value, pending.tx.data, pending.tx.gas_limit}, receipt));
        }
        return receipt;
      }
    } else if (r && std::chrono::steady_clock::now() - pending.last_submitted >= options_.resubmit_after &&
               pending.resubmissions < options_.max_resubmissions) {
      // "nonce too low" here means some submission was just mined: the next poll finds it.
      (void)bump(pending);
    }
    if (cancel != nullptr && cancel->load()) {
      return local_error(RpcErrorKind::Timeout, "stopping: no receipt yet (the transaction may still be mined)");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return local_error(RpcErrorKind::Timeout, "no receipt with enough confirmations before the timeout");
    }
    std::this_thread::sleep_for(options_.poll_interval);
  }
}

std::string TxSender::revert_reason(const TxRequest& request, const Receipt& receipt) {
  if (receipt.block_number == 0) return "";
  const CallRequest call{address(), request.to, request.data, request.value, request.gas_limit};
  auto replay = rpc_.call(call, BlockTag::number(receipt.block_number - 1));
  if (replay || replay.error().kind != RpcErrorKind::Rpc) return "";  // passes there: reverted on a state inside the block
  return " (replayed on block " + std::to_string(receipt.block_number - 1) + ": " + replay.error().message + ")";
}

Result<Receipt> TxSender::send_and_wait(const TxRequest& request) {
  auto pending = send(request);
  if (!pending) return pending.error();
  return wait(*pending);
}

Result<Address> TxSender::deploy(std::span<const uint8_t> init_code, std::span<const uint8_t> constructor_args) {
  TxRequest req;
  req.data.assign(init_code.begin(), init_code.end());
  req.data.insert(req.data.end(), constructor_args.begin(), constructor_args.end());
  auto receipt = send_and_wait(req);
  if (!receipt) return receipt.error();
  if (!receipt->contract_address) return local_error(RpcErrorKind::BadResponse, "receipt without contractAddress");
  return *receipt->contract_address;
}

}  // namespace zkamm::l1
