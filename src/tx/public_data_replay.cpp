#include "tx/public_data_replay.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

#include "tx/execute.hpp"
#include "tx/public_data.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::tx {
namespace {

/// Big-endian reads from one slot.
struct SlotReader {
  std::span<const uint8_t> b;
  uint64_t uint(size_t at, size_t n) const {
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | b[at + i];
    return v;
  }
  uint32_t account(size_t at) const { return static_cast<uint32_t>(uint(at, 3)); }
  uint16_t token(size_t at) const { return static_cast<uint16_t>(uint(at, 2)); }
  Amount amount(size_t at) const { return (Amount{uint(at, 8)} << 64) | uint(at + 8, 8); }
};

constexpr uint64_t kNoDeadline = std::numeric_limits<uint64_t>::max();
constexpr Amount kNoLimit = ~Amount{0};

/// The nonce a replayed transaction of account a signs: the account's current one.
uint32_t current_nonce(const state::State& s, uint32_t a) {
  const state::Account* acc = s.account(a);
  return acc ? static_cast<uint32_t>(acc->nonce) : 0;
}

/// The transaction a slot records, with the signer's current nonce, no deadline and the loosest
/// limits (the signed limits are not published; the executed amounts are).
std::optional<Tx> decode_slot(const state::State& s, const SlotReader& r) {
  const auto nonce = [&](uint32_t a) { return current_nonce(s, a); };
  switch (static_cast<TxType>(r.b[0])) {
    case TxType::Noop: return Tx{Noop{}};
    case TxType::Deposit: return Tx{Deposit{0, r.account(1), r.token(4), r.amount(6)}};
    case TxType::FullExit: return Tx{FullExit{0, r.account(1), r.token(4)}};
    case TxType::Transfer: {
      Transfer t;
      t.from = r.account(1), t.to = r.account(4), t.token = r.token(7), t.amount = r.amount(9), t.nonce = nonce(t.from);
      return Tx{t};
    }
    case TxType::SwapExactIn: {
      SwapExactIn t;
      t.account = r.account(1), t.token_in = r.token(4), t.token_out = r.token(6), t.amount_in = r.amount(8);
      t.amount_out_min = 0, t.deadline = kNoDeadline, t.nonce = nonce(t.account);
      return Tx{t};
    }
    case TxType::SwapExactOut: {
      SwapExactOut t;
      t.account = r.account(1), t.token_in = r.token(4), t.token_out = r.token(6), t.amount_out = r.amount(8);
      t.amount_in_max = kNoLimit, t.deadline = kNoDeadline, t.nonce = nonce(t.account);
      return Tx{t};
    }
    case TxType::CreatePool: {
      CreatePool t;
      t.account = r.account(1), t.token_a = r.token(4), t.token_b = r.token(6), t.nonce = nonce(t.account);
      return Tx{t};
    }
    case TxType::AddLiquidity: {  // applied by pair.mint of the published amounts (below)
      AddLiquidity t;
      t.account = r.account(1), t.token_a = r.token(4), t.token_b = r.token(6);
      t.amount_a_desired = r.amount(8), t.amount_b_desired = r.amount(24);
      t.deadline = kNoDeadline, t.nonce = nonce(t.account);
      return Tx{t};
    }
    case TxType::RemoveLiquidity: {
      RemoveLiquidity t;
      t.account = r.account(1), t.token_a = r.token(4), t.token_b = r.token(6), t.liquidity = r.amount(8);
      t.deadline = kNoDeadline, t.nonce = nonce(t.account);
      return Tx{t};
    }
    case TxType::Withdraw: {
      Withdraw t;
      t.account = r.account(1), t.token = r.token(4), t.amount = r.amount(6), t.nonce = nonce(t.account);
      std::copy_n(r.b.begin() + 22, t.l1_address.size(), t.l1_address.begin());
      return Tx{t};
    }
    case TxType::CreateAccount: {
      CreateAccount t;
      t.account = r.account(1);
      std::copy_n(r.b.begin() + 4, t.pubkey.size(), t.pubkey.begin());
      return Tx{t};
    }
  }
  return std::nullopt;
}

/// An add_liquidity as the public data records it: the router's choice is already made, so the
/// published amounts go straight to pair.mint (replaying the router on them could pick others).
std::string apply_add_liquidity(state::State& s, const AddLiquidity& t, Executed& ex) {
  const state::Account* acc = s.account(t.account);
  if (acc == nullptr || t.account == state::kReservedAccount) return "unknown account";
  state::AddLiquidityReceipt rc;
  const state::Status st = s.add_liquidity_exact(t.account, t.token_a, t.token_b, to_u256(t.amount_a_desired),
                                                 to_u256(t.amount_b_desired), rc);
  if (!st.ok()) return "add_liquidity: " + std::string(state::to_string(st.error));
  if (!s.bump_nonce(t.account).ok()) return "add_liquidity: nonce";
  ex.amount_in = to_amount(rc.amount_a);
  ex.amount_out = to_amount(rc.amount_b);
  ex.liquidity = to_amount(rc.liquidity);
  return "";
}

/// The swap a swap-batch word records, as decode_slot does; "" or why it cannot be replayed.
std::string decode_swap(const state::State& s, const SwapSlot& w, Tx& out) {
  const state::Pool* p = s.pool_by_id(w.pool_id);
  const std::optional<Amount> amount = unpack_amount(w.amount);
  if (p == nullptr) return "unknown pool";
  if (!amount) return "amount >= 2^128";
  const uint16_t tin = static_cast<uint16_t>(w.zero_for_one ? p->token0 : p->token1);
  const uint16_t tout = static_cast<uint16_t>(w.zero_for_one ? p->token1 : p->token0);
  const uint32_t nonce = current_nonce(s, w.account);
  if (w.op == SwapOp::ExactIn) {
    out = SwapExactIn{w.account, tin, tout, *amount, 0, kNoDeadline, nonce, {}};
  } else {
    out = SwapExactOut{w.account, tin, tout, *amount, kNoLimit, kNoDeadline, nonce, {}};
  }
  return "";
}

/// "slot k: " + why: the error context is built only when a slot fails (no allocation per slot).
std::string at_slot(size_t k, std::string_view why) { return "slot " + std::to_string(k) + ": " + std::string(why); }

}  // namespace

std::string replay_public_data(state::State& s, std::span<const uint8_t> pubdata, state::Touched* touched) {
  if (pubdata.size() % kSlotPublicDataBytes != 0) return "public data is not a whole number of slots";
  std::vector<uint8_t> again;  // the replayed slot re-encoded, one buffer for the whole batch
  again.reserve(kSlotPublicDataBytes);
  for (size_t off = 0, k = 0; off < pubdata.size(); off += kSlotPublicDataBytes, ++k) {
    const SlotReader r{pubdata.subspan(off, kSlotPublicDataBytes)};
    const std::optional<Tx> t = decode_slot(s, r);
    if (!t) return at_slot(k, "unknown type " + std::to_string(r.b[0]));
    Executed ex;
    if (type_of(*t) == TxType::Noop) {
      // nothing moves
    } else if (const auto* add = std::get_if<AddLiquidity>(&*t)) {
      if (std::string e = apply_add_liquidity(s, *add, ex); !e.empty()) return at_slot(k, e);
    } else {
      const ExecResult res = execute(s, *t, Domain{}, ExecOptions{0, false});
      if (!res.ok()) return at_slot(k, reason(res));
      ex = res.executed;
    }
    again.clear();
    append_slot_public_data(again, *t, ex);
    if (!std::equal(again.begin(), again.end(), r.b.begin(), r.b.end())) return at_slot(k, "the replayed transition publishes other bytes");
    if (touched != nullptr) collect_touched(s, *t, *touched);
  }
  return "";
}

std::string replay_swap_public_data(state::State& s, std::span<const uint8_t> pubdata, state::Touched* touched) {
  if (pubdata.size() % kSwapSlotBytes != 0) return "public data is not a whole number of swap slots";
  for (size_t off = 0, k = 0; off < pubdata.size(); off += kSwapSlotBytes, ++k) {
    const auto slot = read_swap_slot(std::span<const uint8_t, kSwapSlotBytes>(pubdata.subspan(off, kSwapSlotBytes)));
    if (!slot) return at_slot(k, "not a swap slot");
    if (slot->op == SwapOp::Noop) continue;
    Tx t;
    if (std::string e = decode_swap(s, *slot, t); !e.empty()) return at_slot(k, e);
    const ExecResult res = execute(s, t, Domain{}, ExecOptions{0, false});
    if (!res.ok()) return at_slot(k, reason(res));
    if (touched != nullptr) collect_touched(s, t, *touched);
  }
  return "";
}

}  // namespace zkamm::tx
