#pragma once
// The state transition of one transaction: the rules the node applies and the batch circuit
// proves (docs/TRANSACTIONS.md, docs/BATCH.md). L2 transactions need the signer's nonce, an
// unexpired deadline and (unless the caller verified it already, e.g. on a verifier thread) a
// valid signature; priority operations come from the L1 contract and are never rejected.
#include <cstdint>
#include <string_view>

#include "state/commitment.hpp"
#include "state/state.hpp"
#include "tx/message.hpp"
#include "tx/public_data.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {

enum class [[nodiscard]] ExecError : uint8_t {
  kOk = 0,
  kNotExecutable,     ///< a Noop (padding only)
  kOutOfRange,        ///< account >= 2^24 or token >= 2^10 (in_range fails)
  kUnknownAccount,    ///< the signer does not exist
  kBadNonce,          ///< nonce != the account's nonce
  kExpired,           ///< deadline < timestamp
  kBadSignature,
  kLpWithdraw,        ///< LP tokens (id >= 512) never leave the L2
  kState,             ///< see ExecResult::status (balance, pool and Uniswap V2 errors)
};

struct [[nodiscard]] ExecResult {
  ExecError error = ExecError::kOk;
  state::Status status;  ///< for kState
  Executed executed;     ///< what moved (docs/TRANSACTIONS.md section 4); valid when ok()
  bool ok() const noexcept { return error == ExecError::kOk; }
};

/// A short human reason ("nonce mismatch", "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT", ...).
std::string_view reason(const ExecResult& r) noexcept;

/// Whether t's signature verifies against the key of its signer in s (false for priority ops,
/// Noop and unknown signers). Reads s only.
[[nodiscard]] bool check_signature(const state::State& s, const Tx& t, const Domain& d) noexcept;

struct ExecOptions {
  uint64_t timestamp = 0;        ///< the block's time (seconds); deadline >= timestamp required
  bool verify_signature = true;  ///< false when the caller already ran check_signature
};

/// Applies t to s all-or-nothing: on any error s is unchanged. L2 transactions bump the
/// signer's nonce by one. Priority operations: CreateAccount must name the next account index;
/// a Deposit credits its whole amount (kState with kBalanceOverflow if that would overflow the
/// balance, which the contract's per-token cap rules out); a FullExit of an unknown account or
/// an empty balance succeeds with executed amount 0 (docs/BATCH.md section 4).
ExecResult execute(state::State& s, const Tx& t, const Domain& d, const ExecOptions& opt) noexcept;

/// Appends the accounts, balance leaves and pools that t changes when executed on s (call it
/// with the state after t); StateTrees::sync takes the union per batch. in_range(t).
void collect_touched(const state::State& s, const Tx& t, state::Touched& out);

}  // namespace zkamm::tx
