#pragma once
// The compact public data of a swap batch (docs/TRANSACTIONS.md section 6, docs/BATCH.md
// section 8): a batch that holds only swaps publishes 10 bytes per slot instead of 42, one
// big-endian 80-bit word
//   bits 79..78  op: 0 noop (the whole word is zero), 1 swap exact in, 2 swap exact out
//   bit  77      zero_for_one: token_in is the pool's token0
//   bits 76..53  account (24 bits)
//   bits 52..43  pool id (10 bits)
//   bits 42..3   the exact side as a float: exponent (5 bits) then mantissa (35 bits)
//   bits  2..0   zero
// The pool id and the direction name both tokens; the other side of the swap follows from the
// pool's reserves (as in the 42-byte layout).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "state/state.hpp"
#include "tx/amount_float.hpp"
#include "tx/public_data.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {

inline constexpr std::size_t kSwapSlotBytes = 10;

enum class SwapOp : uint8_t { Noop = 0, ExactIn = 1, ExactOut = 2 };

struct SwapSlot {
  SwapOp op = SwapOp::Noop;
  bool zero_for_one = false;
  uint32_t account = 0;  ///< < 2^24
  uint32_t pool_id = 0;  ///< < 2^10
  PackedAmount amount{};
  friend bool operator==(const SwapSlot&, const SwapSlot&) = default;
};

/// The slot of t as executed (ex.lp_token names the pool; a pool's token0 is its smaller token),
/// or nullopt when t is not a swap or its exact amount has no float encoding (it then needs a
/// universal batch).
std::optional<SwapSlot> swap_slot_of(const Tx& t, const Executed& ex);

/// Appends the 10 bytes of s (a noop slot is all zero). Precondition: s's fields in range.
void append_swap_slot(std::vector<uint8_t>& out, const SwapSlot& s);

/// Reads one slot; nullopt for op 3, non-zero padding bits or a noop with non-zero fields (words
/// the circuit cannot produce).
std::optional<SwapSlot> read_swap_slot(std::span<const uint8_t, kSwapSlotBytes> b) noexcept;

}  // namespace zkamm::tx
