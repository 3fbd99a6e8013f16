#include "batch/swap_slot_circuit.hpp"

#include "batch/slot_gadgets.hpp"
#include "circuit/comparators.hpp"
#include "circuit/merkle_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "state/commitment.hpp"
#include "tx/amount_float.hpp"

namespace zkamm::batch {
namespace {

using circuit::Bit;
using gadgets::fr;
using snark::ConstraintSystem;
using snark::Variable;
using tx::TxType;

Lc one() { return Lc::constant(1); }

U256 minus_one(const U256& v) {
  U256 o{};
  (void)ff::sub_with_borrow(o, v, U256{1, 0, 0, 0});
  return o;
}

}  // namespace

SlotResult synthesize_swap_slot(ConstraintSystem& cs, const BatchParams& params, const SlotWitness& w,
                                const Lc& account_root, const Lc& pool_root, const Lc& timestamp) {
  using circuit::range_check;
  using circuit::to_bits;

  // ---- op: exact in, exact out, or a noop (every field 0, every update an identity) ----
  const Variable is_in = circuit::alloc_bit(cs, w.type == TxType::SwapExactIn);
  const Variable is_out = circuit::alloc_bit(cs, w.type == TxType::SwapExactOut);
  cs.enforce(is_in, is_out, {});
  const Lc active = Lc(is_in) + Lc(is_out);
  const Lc idle = one() - active;

  // ---- the published fields: account, pool id, direction, the exact amount as a float ----
  const Variable aidx = cs.alloc(fr(w.account_a));
  const auto aidx_bits = to_bits(cs, aidx, 24);
  const Variable pid = cs.alloc(fr(w.pool_id));
  const auto pid_bits = to_bits(cs, pid, 10);
  const Variable zfo = circuit::alloc_bit(cs, w.zero_for_one);
  const bool exact_in = w.type == TxType::SwapExactIn;
  const U256& exact = exact_in ? w.amt1 : w.amt2;
  const auto amount_value = ff::bit_length(exact) <= 128 ? (tx::Amount{exact[1]} << 64) | exact[0] : tx::Amount{0};
  // A witness whose exact amount has no float encoding gets a mantissa that decodes to another
  // amount, and fails below.
  const tx::PackedAmount packed =
      tx::pack_amount(amount_value).value_or(tx::PackedAmount{exact[0] & ((uint64_t{1} << 35) - 1), 0});
  const Variable man = cs.alloc(fr(packed.mantissa));
  const auto man_bits = to_bits(cs, man, tx::kFloatMantissaBits);
  const Variable expo = cs.alloc(fr(packed.exponent));
  const auto expo_bits = to_bits(cs, expo, tx::kFloatExponentBits);
  cs.enforce(idle, aidx, {});
  cs.enforce(idle, pid, {});
  cs.enforce(idle, zfo, {});
  cs.enforce(idle, man, {});
  cs.enforce(idle, expo, {});
  // amount = mantissa * 10^exponent, 10^exponent = prod over the exponent's bits of 10^(2^i).
  Lc pow10 = one() + Lc(expo_bits[0]) * fr(9);
  Fr ten_pow = fr(10);
  for (size_t i = 1; i < expo_bits.size(); ++i) {
    ten_pow = ten_pow * ten_pow;
    pow10 = cs.mul(pow10, one() + Lc(expo_bits[i]) * (ten_pow - Fr::one()));
  }
  // < 2^35 * 10^31 < 2^139; the reserve checks below bound it by 2^112 (exact in: r_in + amount
  // < 2^112; exact out: amount < r_out), so no product below wraps.
  const Variable amount = cs.mul(man, pow10);

  // ---- account A ----
  const Variable pkx = cs.alloc(w.a_pk_x);
  const Variable pky = cs.alloc(w.a_pk_y);
  const Variable nonce = cs.alloc(fr(w.a_nonce));
  range_check(cs, nonce, 32);
  const Variable broot0 = cs.alloc(w.a_balance_root);

  // ---- the pool leaf Poseidon(token0 + 2^10 * token1, reserve0, reserve1, supply). Its tokens
  // are range-checked so that the packing is injective (otherwise other tokens could hash to the
  // same leaf); the reserves are < 2^112 in every leaf (each slot checks the ones it writes). ----
  const Variable tok0 = cs.alloc(fr(w.zero_for_one ? w.token_x : w.token_y));
  range_check(cs, tok0, 10);
  const Variable tok1 = cs.alloc(fr(w.zero_for_one ? w.token_y : w.token_x));
  range_check(cs, tok1, 10);
  const Variable r0 = cs.alloc(fr(w.reserve0));
  const Variable r1 = cs.alloc(fr(w.reserve1));
  const Variable supply = cs.alloc(fr(w.supply));
  for (Variable v : {tok0, tok1, r0, r1, supply}) cs.enforce(idle, v, {});
  const Variable tokx_d = cs.mul(zfo, Lc(tok0) - Lc(tok1));
  const Lc tok_x = Lc(tok1) + Lc(tokx_d);  // token in
  const Lc tok_y = Lc(tok0) + Lc(tok1) - tok_x;
  const Variable rin_d = cs.mul(zfo, Lc(r0) - Lc(r1));
  const Lc rin = Lc(r1) + Lc(rin_d);
  const Lc rout = Lc(r0) + Lc(r1) - rin;

  // ---- Uniswap V2 getAmountOut / getAmountIn as num = q * den + rem, rem < den ----
  // exact in:  amount_out = floor(amount*997*r_out / (r_in*1000 + amount*997))
  // exact out: amount_in  = floor(r_in*amount*1000 / ((r_out - amount)*997)) + 1
  // num = amount * (exact in ? 997*r_out : 1000*r_in) < 2^112 * 2^122; den < 2^123; q < 2^112
  // (exact in: amount_out < r_out; exact out: r_in + amount_in < 2^112); a noop has num = 0,
  // den = 1.
  const Variable sel_d = cs.mul(is_in, rout * fr(997) - rin * fr(1000));
  const Variable num = cs.mul(amount, rin * fr(1000) + Lc(sel_d));
  const Variable den_in = cs.mul(is_in, rin * fr(1000) + Lc(amount) * fr(997));
  const Variable den_out = cs.mul(is_out, rout - Lc(amount));
  const Lc den = Lc(den_in) + Lc(den_out) * fr(997) + idle;
  const std::optional<U256> claimed =
      w.type == TxType::SwapExactIn ? std::optional<U256>(w.amt2)
      : w.type == TxType::SwapExactOut ? std::optional<U256>(minus_one(w.amt1))
                                       : std::optional<U256>(U256{});
  const Variable q = gadgets::divide(cs, num, den, 112, 123, claimed);
  const Variable in_exact = cs.mul(is_in, amount);
  const Variable out_q = cs.mul(is_out, q);
  const Lc amt_in = Lc(in_exact) + Lc(out_q) + Lc(is_out);
  const Lc amt_out = Lc(amount) - Lc(in_exact) + Lc(q) - Lc(out_q);
  // INSUFFICIENT_INPUT_AMOUNT / INSUFFICIENT_OUTPUT_AMOUNT (exact out: amount_in >= 1 already).
  gadgets::assert_nonzero_if(cs, active, man);
  gadgets::assert_nonzero_if(cs, is_in, q);
  // Router: amount_out >= amount_out_min (exact in), amount_in <= amount_in_max (exact out).
  const Variable lim = cs.alloc(fr(w.limit));
  range_check(cs, lim, 128);
  cs.enforce(idle, lim, {});
  const Variable slack_in = cs.mul(is_in, amt_out - Lc(lim));
  const Variable slack_out = cs.mul(is_out, Lc(lim) - amt_in);
  range_check(cs, Lc(slack_in) + Lc(slack_out), 128);
  // Reserves: r_in + amount_in < 2^112 (pair: OVERFLOW), amount_out < r_out.
  const Lc rin1 = rin + amt_in;
  const Lc rout1 = rout - amt_out;
  range_check(cs, rin1, state::kReserveBits);
  range_check(cs, rout1 - active, state::kReserveBits);
  // pair.swap's K check with the fee-adjusted balances (implied by the formulas above; kept as the
  // contract's own invariant): (r_in'*1000 - 3*in) * (r_out'*1000) >= r_in*r_out*1000^2; < 2^245.
  const Variable k_new = cs.mul(rin1 * fr(1000) - amt_in * fr(3), rout1 * fr(1000));
  const Variable k_old = cs.mul(rin, rout);
  gadgets::assert_ge_if(cs, active, k_new, Lc(k_old) * fr(1000000), 245);

  // ---- A's balances: token in debited, token out credited; both stay < 2^128 ----
  const Variable bx0 = cs.alloc(fr(w.bal_x));
  const Lc bx1 = Lc(bx0) - amt_in;
  range_check(cs, bx1, 128);
  const Variable by0 = cs.alloc(fr(w.bal_y));
  const Lc by1 = Lc(by0) + amt_out;
  range_check(cs, by1, 128);
  const Lc broot1 =
      circuit::merkle_update_leaf(cs, broot0, bx0, bx1, tok_x, gadgets::path_wires(cs, w.path_x, 15), gadgets::kBalanceShape);
  const Lc broot2 =
      circuit::merkle_update_leaf(cs, broot1, by0, by1, tok_y, gadgets::path_wires(cs, w.path_y, 15), gadgets::kBalanceShape);

  // ---- A's leaf: nonce + 1 ----
  const Lc h_old = circuit::poseidon_gadget(cs, {pkx, pky, nonce, broot0});
  const Lc h_new = circuit::poseidon_gadget(cs, {pkx, pky, Lc(nonce) + active, broot2});
  const Lc acc_root1 = circuit::merkle_update_leaf(cs, account_root, h_old, h_new, aidx,
                                                   gadgets::path_wires(cs, w.a_account_path, 36), gadgets::kAccountShape);

  // ---- the pool leaf: new reserves, same pair and supply ----
  const Variable r0n_d = cs.mul(zfo, rin1 - rout1);
  const Lc r0n = rout1 + Lc(r0n_d);
  const Lc r1n = rin1 + rout1 - r0n;
  const Lc pair = Lc(tok0) + Lc(tok1) * fr(1u << 10);
  const Lc hp_old = circuit::poseidon_gadget(cs, {pair, r0, r1, supply});
  const Lc hp_new = circuit::poseidon_gadget(cs, {pair, r0n, r1n, supply});
  const Variable lp_old = cs.alloc(w.pool_leaf_old);
  cs.enforce(active, Lc(lp_old) - hp_old, {});
  const Variable lp_d = cs.mul(active, hp_new - Lc(lp_old));
  const Lc pool_root1 = circuit::merkle_update_leaf(cs, pool_root, lp_old, Lc(lp_old) + Lc(lp_d), pid,
                                                    gadgets::path_wires(cs, w.pool_path, 15), gadgets::kPoolShape);

  // ---- deadline: the swap is rejected when the batch timestamp is greater ----
  const Variable deadline = cs.alloc(fr(w.deadline));
  range_check(cs, deadline, 64);
  cs.enforce(idle, deadline, {});
  cs.enforce(active, circuit::less_than(cs, deadline, timestamp, 64), {});

  // ---- signature over M = Poseidon(e0..e5) (docs/TRANSACTIONS.md 3; e4 = e5 = 0 for swaps) ----
  const Lc type_lc = Lc(is_in) * fr(static_cast<uint64_t>(TxType::SwapExactIn)) +
                     Lc(is_out) * fr(static_cast<uint64_t>(TxType::SwapExactOut));
  const Lc msg = gadgets::signed_message(cs, params.domain,
                                         {type_lc, aidx, nonce, tok_x, tok_y, deadline, Lc{}, amount, lim, Lc{}, Lc{}});
  gadgets::verify_signature_if(cs, active, pkx, pky, msg, w);

  // ---- public data: the 80-bit word of tx/swap_public_data.hpp, most significant bit first ----
  SlotResult out;
  out.account_root = acc_root1;
  out.pool_root = pool_root1;
  out.pubdata_bits = {Bit::of(is_out), Bit::of(is_in), Bit::of(zfo)};
  for (const auto* bits : {&aidx_bits, &pid_bits, &expo_bits, &man_bits}) {
    gadgets::append_be_bits(out.pubdata_bits, *bits, bits->size());
  }
  for (int i = 0; i < 3; ++i) out.pubdata_bits.push_back(Bit::constant_bit(false));
  return out;
}

}  // namespace zkamm::batch
