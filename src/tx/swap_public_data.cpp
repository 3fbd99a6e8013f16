#include "tx/swap_public_data.hpp"

#include <type_traits>

#include "state/commitment.hpp"

namespace zkamm::tx {
namespace {

constexpr unsigned kOpShift = 78, kDirShift = 77, kAccountShift = 53, kPoolShift = 43, kAmountShift = 3;

/// The 80-bit word as (high 16 bits, low 64 bits).
struct Word80 {
  uint64_t hi = 0, lo = 0;
  void put(uint64_t v, unsigned shift) {  // v's bits must not cross bit 79
    if (shift < 64) {
      lo |= v << shift;
      if (shift > 0) hi |= v >> (64 - shift);
    } else {
      hi |= v << (shift - 64);
    }
  }
  uint64_t get(unsigned shift, unsigned width) const {
    const uint64_t mask = (uint64_t{1} << width) - 1;
    if (shift >= 64) return (hi >> (shift - 64)) & mask;
    uint64_t v = lo >> shift;
    if (shift > 0) v |= hi << (64 - shift);
    return v & mask;
  }
};

}  // namespace

std::optional<SwapSlot> swap_slot_of(const Tx& t, const Executed& ex) {
  return std::visit(
      [&](const auto& x) -> std::optional<SwapSlot> {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, SwapExactIn> || std::is_same_v<T, SwapExactOut>) {
          constexpr bool exact_in = std::is_same_v<T, SwapExactIn>;
          Amount exact = 0;
          if constexpr (exact_in) exact = x.amount_in;
          else exact = x.amount_out;
          const auto packed = pack_amount(exact);
          const uint32_t pool = uint32_t{ex.lp_token} - state::kFirstLpToken;
          if (!packed || ex.lp_token < state::kFirstLpToken || pool >> 10 != 0 || x.account >> 24 != 0) {
            return std::nullopt;
          }
          return SwapSlot{exact_in ? SwapOp::ExactIn : SwapOp::ExactOut, x.token_in < x.token_out, x.account, pool,
                          *packed};
        } else {
          return std::nullopt;
        }
      },
      t);
}

void append_swap_slot(std::vector<uint8_t>& out, const SwapSlot& s) {
  Word80 w;
  w.put(static_cast<uint64_t>(s.op), kOpShift);
  w.put(s.zero_for_one ? 1 : 0, kDirShift);
  w.put(s.account, kAccountShift);
  w.put(s.pool_id, kPoolShift);
  w.put(to_bits40(s.amount), kAmountShift);
  out.push_back(static_cast<uint8_t>(w.hi >> 8));
  out.push_back(static_cast<uint8_t>(w.hi));
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<uint8_t>(w.lo >> (8 * i)));
}

std::optional<SwapSlot> read_swap_slot(std::span<const uint8_t, kSwapSlotBytes> b) noexcept {
  Word80 w;
  w.hi = (uint64_t{b[0]} << 8) | b[1];
  for (size_t i = 2; i < kSwapSlotBytes; ++i) w.lo = (w.lo << 8) | b[i];
  const uint64_t op = w.get(kOpShift, 2);
  if (op > 2 || w.get(0, kAmountShift) != 0) return std::nullopt;
  SwapSlot s;
  s.op = static_cast<SwapOp>(op);
  s.zero_for_one = w.get(kDirShift, 1) != 0;
  s.account = static_cast<uint32_t>(w.get(kAccountShift, 24));
  s.pool_id = static_cast<uint32_t>(w.get(kPoolShift, 10));
  s.amount = from_bits40(w.get(kAmountShift, kFloatMantissaBits + kFloatExponentBits));
  if (s.op == SwapOp::Noop && !(s == SwapSlot{})) return std::nullopt;
  return s;
}

}  // namespace zkamm::tx
