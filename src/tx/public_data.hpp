#pragma once
// The bytes each executed transaction contributes to a batch's public data, which the L1
// contract receives as calldata (data availability): enough to rebuild every balance, nonce and
// pool from L1 alone, replaying the transactions in order. Layouts in docs/TRANSACTIONS.md section
// 4. Amounts are the executed ones (what the state transition moved), not the signed limits, so
// they come from the node; an amount that follows from published ones and the state (a swap's
// other side, the liquidity an add mints, what a remove pays) is not published.
#include <cstdint>
#include <vector>

#include "tx/tx.hpp"

namespace zkamm::tx {

/// What executing a transaction moved; which members a type uses is in docs/TRANSACTIONS.md 4.
struct Executed {
  Amount amount_in = 0;    ///< swaps: tokens paid in; AddLiquidity/RemoveLiquidity: amount_a; FullExit: balance withdrawn (of an LP token: token0 paid out); Deposit: amount credited
  Amount amount_out = 0;   ///< swaps: tokens paid out; AddLiquidity: amount_b; RemoveLiquidity: amount_b; FullExit of an LP token: token1 paid out
  Amount liquidity = 0;    ///< AddLiquidity: LP tokens minted; FullExit of an LP token: LP tokens burned
  uint16_t lp_token = 0;   ///< CreatePool: the LP token id assigned to the pool; swaps: the pool's LP token
  uint16_t token0 = 0;     ///< FullExit of an LP token: the pool's token0 (0 when there is no such pool)
  uint16_t token1 = 0;     ///< FullExit of an LP token: the pool's token1
};

/// Public data size of a type (valid type): its largest layout (a full exit of an ordinary token
/// publishes 22 of the 42 bytes a full exit of an LP token does).
std::size_t public_data_size(TxType type) noexcept;

/// Appends t's public data to out; in_range(t) and ex as documented for t's type.
void append_public_data(std::vector<uint8_t>& out, const Tx& t, const Executed& ex = {});

/// Every batch slot carries exactly this many public-data bytes: the largest type (withdraw),
/// zero-padded (docs/BATCH.md section 3).
inline constexpr std::size_t kSlotPublicDataBytes = 42;

/// Whether kSlotPublicDataBytes is exactly the largest type's public data (tests check it).
bool slot_fits_every_type() noexcept;

/// Appends t's public data zero-padded to kSlotPublicDataBytes (a noop slot is all zero);
/// in_range(t).
void append_slot_public_data(std::vector<uint8_t>& out, const Tx& t, const Executed& ex = {});

inline std::vector<uint8_t> public_data(const Tx& t, const Executed& ex = {}) {
  std::vector<uint8_t> out;
  append_public_data(out, t, ex);
  return out;
}

}  // namespace zkamm::tx
