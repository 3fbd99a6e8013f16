#include "batch/slot_circuit.hpp"

#include <array>

#include "batch/slot_gadgets.hpp"
#include "circuit/comparators.hpp"
#include "circuit/merkle_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "circuit/sha256.hpp"
#include "state/merkle_tree.hpp"
#include "state/uint.hpp"

namespace zkamm::batch {
namespace {

using circuit::Bit;
using snark::ConstraintSystem;
using snark::Variable;
using tx::TxType;

using gadgets::assert_ge_if;
using gadgets::assert_nonzero_if;
using gadgets::divide;
using gadgets::fr;
using gadgets::strict_is_zero;
Lc one() { return Lc::constant(1); }

const Fr& empty_balance_root() {
  static const Fr root = state::SparseMerkleTree(state::kTreeArity, state::kBalanceTreeDepth).root();
  return root;
}

/// Big-endian bytes of a field given by its little-endian bits (missing high bits are zero).
std::vector<Lc> be_bytes(const std::vector<Variable>& bits, size_t nbytes) {
  std::vector<Lc> out(nbytes);
  for (size_t k = 0; k < nbytes; ++k) {
    const size_t low = 8 * (nbytes - 1 - k);
    for (size_t j = 0; j < 8; ++j) {
      if (low + j < bits.size()) out[k].add_term(bits[low + j], circuit::pow2(static_cast<unsigned>(j)));
    }
  }
  return out;
}

/// f * lc as a new wire (1 constraint).
Lc gate(ConstraintSystem& cs, const Lc& f, const Lc& lc) { return cs.mul(f, lc); }

/// Adds bytes at offset of the slot's public data.
void place(std::vector<Lc>& pd, size_t offset, const std::vector<Lc>& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) pd[offset + i] += bytes[i];
}
void place_gated(ConstraintSystem& cs, std::vector<Lc>& pd, size_t offset, const Lc& f, const std::vector<Lc>& bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) pd[offset + i] += gate(cs, f, bytes[i]);
}

constexpr std::array<TxType, 11> kSupported = {
    TxType::Noop,       TxType::Deposit,      TxType::FullExit,        TxType::Transfer,
    TxType::SwapExactIn, TxType::SwapExactOut, TxType::CreatePool,     TxType::AddLiquidity,
    TxType::RemoveLiquidity, TxType::Withdraw, TxType::CreateAccount};

}  // namespace

bool circuit_supports(TxType t) noexcept {
  for (TxType s : kSupported) {
    if (s == t) return true;
  }
  return false;
}

namespace {

using circuit::range_check;
using circuit::to_bits;

/// synthesize_slot's sections as steps, called in order: the order in which they allocate
/// wires and add constraints is the circuit (its R1CS, and so its keys), so it must not change.
/// Members are the inputs and the wires a later step reads; the rest stay local to their step.
struct SlotSynth {
  ConstraintSystem& cs;
  const BatchParams& params;
  const SlotWitness& w;
  const SlotChain& in;
  const Lc& timestamp;
  const Lc& num_tokens;
  const Lc& account_root = in.account_root;
  const Lc& pool_root = in.pool_root;

  // type flags
  std::array<Lc, tx::kTxTypeCount> f{};
  Lc type_lc{}, fin{}, fout{}, add{}, rmv{}, cpool{}, swap{}, liq{}, pool_exists_op{}, pool_op{}, pair_op{}, l2{},
      prio{};
  Variable fel{};
  Lc fe_plain{};
  // account A, tokens and amounts
  Variable aidx{}, a_exists{}, pkx{}, pky{}, nonce{}, broot0{};
  std::vector<Variable> aidx_bits{};
  Variable tok_x{}, tok_y{}, pid{}, amt1{}, amt2{}, amt3{}, lim{}, des_a{}, des_b{}, min_a{}, min_b{}, deadline{}, l1{};
  std::vector<Variable> tx_bits{}, ty_bits{}, pid_bits{}, amt1_bits{}, amt2_bits{}, amt3_bits{}, l1_bits{};
  Lc tok_z{};
  // A's balances and leaf
  Variable bx0{}, bx1{}, za{}, by0{}, by1{}, bz0{}, bz1{};
  Lc sz{}, broot3{}, acc_root1{};
  // pool fields, account B, the pool
  Variable zfo{}, r0{}, r1{}, supply{}, first{}, fm{};
  Lc nf{}, locked{};
  Variable bidx{};
  std::vector<Variable> bidx_bits{};
  Lc acc_root2{}, rin{}, rout{}, rin1{}, rout1{}, pool_root1{}, pair_root1{};
  // add liquidity's branches (the remove's router minimums read them), create_account's packed key
  Lc g0{};
  Variable g1{};
  std::vector<Lc> packed{};

  const Lc& F(TxType t) const { return f[static_cast<size_t>(t)]; }

  SlotResult run() {
    type_flags();
    account_a();
    tokens_and_amounts();
    balance_x();
    balances_y_z();
    leaf_a();
    pool_fields();
    account_b();
    pool();
    swaps();
    add_liquidity();
    remove_liquidity();
    deadline_check();
    signature();
    create_account();
    return public_data();
  }

  // ---- type flags: one-hot over the types; a type byte >= 11 cannot be expressed ----
  void type_flags() {
    Lc flag_sum;
    for (TxType t : kSupported) {
      const auto i = static_cast<size_t>(t);
      f[i] = Lc(circuit::alloc_bit(cs, w.type == t));
      flag_sum += f[i];
      type_lc += f[i] * fr(i);
    }
    cs.enforce_equal(flag_sum, one());
    fin = F(TxType::SwapExactIn);
    fout = F(TxType::SwapExactOut);
    add = F(TxType::AddLiquidity);
    rmv = F(TxType::RemoveLiquidity);
    cpool = F(TxType::CreatePool);
    swap = fin + fout;
    liq = add + rmv;
    pool_exists_op = swap + liq;       // ops on an existing pool
    pool_op = pool_exists_op + cpool;  // ops that write the pool leaf
    pair_op = pool_op;                 // ops that name two tokens
    l2 = F(TxType::Transfer) + pool_op + F(TxType::Withdraw);
    prio = F(TxType::Deposit) + F(TxType::FullExit) + F(TxType::CreateAccount);
    // A full exit of an LP token (512 + pool id): burns the whole position, both tokens leave the
    // L2 (docs/CIRCUIT.md section 5). Which kind a full exit is follows from the queued token: an
    // ordinary full exit must name a token below 512 (below), and this one publishes 512 + pid.
    fel = circuit::alloc_bit(cs, w.lp_exit);
    cs.enforce(one() - F(TxType::FullExit), fel, {});
    fe_plain = F(TxType::FullExit) - Lc(fel);
  }

  // ---- account A's fields ----
  void account_a() {
    aidx = cs.alloc(fr(w.account_a));
    aidx_bits = to_bits(cs, aidx, 24);
    cs.enforce(F(TxType::Noop), aidx, {});
    a_exists = circuit::alloc_bit(cs, w.a_exists);
    cs.enforce(F(TxType::CreateAccount), a_exists, {});
    cs.enforce(one() - F(TxType::CreateAccount) - F(TxType::FullExit), one() - a_exists, {});
    pkx = cs.alloc(w.a_pk_x);
    pky = cs.alloc(w.a_pk_y);
    nonce = cs.alloc(fr(w.a_nonce));
    range_check(cs, nonce, 32);
    broot0 = cs.alloc(w.a_balance_root);
    // A new (or absent) account has nonce 0 and no balances.
    cs.enforce(one() - a_exists, Lc(broot0) - Lc::constant(empty_balance_root()), {});
    cs.enforce(one() - a_exists, nonce, {});
  }

  // ---- tokens and amounts (each forced to 0 outside the types that use it) ----
  void tokens_and_amounts() {
    tok_x = cs.alloc(fr(w.token_x));
    tx_bits = to_bits(cs, tok_x, 10);
    tok_y = cs.alloc(fr(w.token_y));
    ty_bits = to_bits(cs, tok_y, 10);
    cs.enforce(one() - pair_op - fel, tok_y, {});
    pid = cs.alloc(fr(w.pool_id));
    pid_bits = to_bits(cs, pid, 10);
    tok_z = Lc(pid) + Lc::constant(state::kFirstLpToken);  // the pool's LP token

    amt1 = cs.alloc(fr(w.amt1));
    amt1_bits = to_bits(cs, amt1, 128);
    amt2 = cs.alloc(fr(w.amt2));
    amt2_bits = to_bits(cs, amt2, 128);
    amt3 = cs.alloc(fr(w.amt3));
    amt3_bits = to_bits(cs, amt3, 128);
    lim = cs.alloc(fr(w.limit));
    range_check(cs, lim, 128);
    des_a = cs.alloc(fr(w.desired_a));
    range_check(cs, des_a, 128);
    des_b = cs.alloc(fr(w.desired_b));
    range_check(cs, des_b, 128);
    min_a = cs.alloc(fr(w.min_a));
    range_check(cs, min_a, 128);
    min_b = cs.alloc(fr(w.min_b));
    range_check(cs, min_b, 128);
    cs.enforce(F(TxType::Noop) + F(TxType::CreateAccount) + cpool, amt1, {});
    cs.enforce(one() - swap - liq - fel, amt2, {});
    cs.enforce(one() - liq - fel, amt3, {});
    cs.enforce(one() - swap, lim, {});
    cs.enforce(one() - add, des_a, {});
    cs.enforce(one() - add, des_b, {});
    cs.enforce(one() - liq, min_a, {});
    cs.enforce(one() - liq, min_b, {});
    deadline = cs.alloc(fr(w.deadline));
    range_check(cs, deadline, 64);
    cs.enforce(one() - pool_exists_op, deadline, {});
    l1 = cs.alloc(fr(w.l1_address));
    l1_bits = to_bits(cs, l1, 160);
    cs.enforce(one() - F(TxType::Withdraw), l1, {});
  }

  // ---- A, balance X: debit (transfer, swap, add, withdraw, full exit) or credit (deposit, remove)
  void balance_x() {
    const Lc sx = F(TxType::Deposit) + rmv - F(TxType::Transfer) - swap - add - F(TxType::Withdraw) - fe_plain;
    bx0 = cs.alloc(fr(w.bal_x));
    bx1 = cs.alloc(cs.value(bx0) + cs.eval(sx) * cs.value(amt1));
    cs.enforce(sx, amt1, Lc(bx1) - Lc(bx0));
    range_check(cs, bx1, 128);  // no underflow, no balance >= 2^128
    // LP tokens never leave the L2.
    cs.enforce(F(TxType::Withdraw), tx_bits[9], {});
    // Full exit of an ordinary token: the whole balance, except for account 0 (amount 0).
    za = strict_is_zero(cs, aidx);
    cs.enforce(fe_plain, tx_bits[9], {});
    const Variable fe_take = cs.mul(fe_plain, one() - Lc(za));
    cs.enforce(fe_take, bx1, {});
    cs.enforce(fe_plain - Lc(fe_take), amt1, {});
    // Deposit: credits exactly amt1, the amount in the public data, which commitBatch requires to
    // equal the queued amount. The contract caps every token's L2 supply below 2^128, so the range
    // check of bx1 above never fails for an honest deposit (docs/CIRCUIT.md section 4).
  }

  // ---- A, balance Y: swaps and remove credit amt2, add debits it; balance Z (LP): add credits
  // amt3, remove debits it ----
  void balances_y_z() {
    by0 = cs.alloc(fr(w.bal_y));
    const Lc sy = swap + rmv - add;
    by1 = cs.alloc(cs.value(by0) + cs.eval(sy) * cs.value(amt2));
    cs.enforce(sy, amt2, Lc(by1) - Lc(by0));
    range_check(cs, by1, 128);
    bz0 = cs.alloc(fr(w.bal_z));
    sz = add - rmv - fel;
    bz1 = cs.alloc(cs.value(bz0) + cs.eval(sz) * cs.value(amt3));
    cs.enforce(sz, amt3, Lc(bz1) - Lc(bz0));
    range_check(cs, bz1, 128);
    // An LP full exit burns the whole position (account 0's locked liquidity stays).
    const Variable fel_take = cs.mul(fel, one() - Lc(za));
    cs.enforce(fel_take, bz1, {});
    cs.enforce(Lc(fel) - Lc(fel_take), amt3, {});

    const Lc broot1 = circuit::merkle_update_leaf(cs, broot0, bx0, bx1, tok_x, gadgets::path_wires(cs, w.path_x, 15),
                                                  gadgets::kBalanceShape);
    const Lc broot2 = circuit::merkle_update_leaf(cs, broot1, by0, by1, tok_y, gadgets::path_wires(cs, w.path_y, 15),
                                                  gadgets::kBalanceShape);
    broot3 = circuit::merkle_update_leaf(cs, broot2, bz0, bz1, tok_z, gadgets::path_wires(cs, w.path_z, 15),
                                         gadgets::kBalanceShape);
  }

  // ---- A's leaf: nonce + 1 for L2 transactions; created from the empty leaf ----
  void leaf_a() {
    const Lc h_old = circuit::poseidon_gadget(cs, {pkx, pky, nonce, broot0});
    const Lc h_new = circuit::poseidon_gadget(cs, {pkx, pky, Lc(nonce) + l2, broot3});
    const Variable la_old = cs.mul(a_exists, h_old);
    const Variable la_new = cs.mul(Lc(a_exists) + F(TxType::CreateAccount), h_new);
    acc_root1 = circuit::merkle_update_leaf(cs, account_root, la_old, la_new, aidx,
                                            gadgets::path_wires(cs, w.a_account_path, 36), gadgets::kAccountShape);
  }

  // ---- pool fields (needed by B's credit on a first mint) ----
  void pool_fields() {
    zfo = circuit::alloc_bit(cs, w.zero_for_one);
    cs.enforce(one() - pool_op, zfo, {});
    r0 = cs.alloc(fr(w.reserve0));
    r1 = cs.alloc(fr(w.reserve1));
    range_check(cs, r0, state::kReserveBits);
    range_check(cs, r1, state::kReserveBits);
    supply = cs.alloc(fr(w.supply));
    range_check(cs, supply, 128);
    first = strict_is_zero(cs, supply);
    fm = cs.mul(add, first);  // first mint
    nf = add - Lc(fm);        // later mint
    locked = Lc(fm) * fr(state::kMinimumLiquidity);
  }

  // ---- account B: the transfer's recipient (token X), or account 0 receiving the locked
  // MINIMUM_LIQUIDITY of a first mint (token Z) ----
  void account_b() {
    bidx = cs.alloc(fr(w.account_b));
    bidx_bits = to_bits(cs, bidx, 24);
    cs.enforce(add, bidx, {});
    const Variable pkbx = cs.alloc(w.b_pk_x);
    const Variable pkby = cs.alloc(w.b_pk_y);
    const Variable nonceb = cs.alloc(fr(w.b_nonce));
    const Variable brootb0 = cs.alloc(w.b_balance_root);
    const Variable bb0 = cs.alloc(fr(w.bal_b));
    const Variable tokb_d = cs.mul(add, tok_z - Lc(tok_x));
    const Lc tok_b = Lc(tok_x) + Lc(tokb_d);
    const Variable credit_b = cs.mul(F(TxType::Transfer), amt1);
    const Lc bb1 = Lc(bb0) + Lc(credit_b) + locked;
    range_check(cs, bb1, 128);
    const Lc brootb1 = circuit::merkle_update_leaf(cs, brootb0, bb0, bb1, tok_b, gadgets::path_wires(cs, w.path_b, 15),
                                                   gadgets::kBalanceShape);
    const Lc hb_old = circuit::poseidon_gadget(cs, {pkbx, pkby, nonceb, brootb0});
    const Lc hb_new = circuit::poseidon_gadget(cs, {pkbx, pkby, nonceb, brootb1});
    acc_root2 = circuit::merkle_update_leaf(cs, acc_root1, hb_old, hb_new, bidx,
                                            gadgets::path_wires(cs, w.b_account_path, 36), gadgets::kAccountShape);
  }

  // ---- pool: reserves seen from X's side ----
  void pool() {
    const Variable tk0_d = cs.mul(zfo, Lc(tok_x) - Lc(tok_y));
    const Lc token0 = Lc(tok_y) + Lc(tk0_d);
    const Lc token1 = Lc(tok_x) + Lc(tok_y) - token0;
    const Variable rin_d = cs.mul(zfo, Lc(r0) - Lc(r1));
    rin = Lc(r1) + Lc(rin_d);
    rout = Lc(r0) + Lc(r1) - rin;
    const Variable gx = cs.mul(swap + add - rmv - fel, amt1);
    const Variable gy = cs.mul(add - swap - rmv - fel, amt2);
    rin1 = rin + Lc(gx);
    rout1 = rout + Lc(gy);
    range_check(cs, rin1, state::kReserveBits);          // pair: OVERFLOW; remove: no underflow
    range_check(cs, rout1 - swap, state::kReserveBits);  // swap: amount_out < reserve_out
    const Variable gs = cs.mul(sz, amt3);
    const Lc supply1 = Lc(supply) + Lc(gs) + locked;
    range_check(cs, supply1, 128);
    const Variable r0n_d = cs.mul(zfo, rin1 - rout1);
    const Lc r0n = rout1 + Lc(r0n_d);
    const Lc r1n = rin1 + rout1 - r0n;
    const Lc pair = token0 + token1 * fr(1u << 10);
    const Lc hp_old = circuit::poseidon_gadget(cs, {pair, r0, r1, supply});
    const Lc hp_new = circuit::poseidon_gadget(cs, {pair, r0n, r1n, supply1});
    const bool writes_pool = w.type == TxType::SwapExactIn || w.type == TxType::SwapExactOut ||
                             w.type == TxType::AddLiquidity || w.type == TxType::RemoveLiquidity ||
                             w.type == TxType::CreatePool;
    const Variable lp_old = cs.alloc(w.pool_leaf_old);
    // An LP full exit of a pool id no pool has (an empty leaf: nobody holds that LP token) moves
    // nothing and publishes tokens 0; otherwise it burns from the pool at its leaf.
    const Variable lp_dead = strict_is_zero(cs, lp_old);
    const Variable fel_live = cs.mul(fel, one() - Lc(lp_dead));
    cs.enforce(Lc(fel) - Lc(fel_live), tok_x, {});
    cs.enforce(Lc(fel) - Lc(fel_live), tok_y, {});
    const Lc pool_rw = pool_op + Lc(fel_live);
    const Variable lp_new =
        cs.alloc(writes_pool || (w.lp_exit && !w.pool_leaf_old.is_zero()) ? cs.eval(hp_new) : w.pool_leaf_old);
    cs.enforce(pool_exists_op + Lc(fel_live), Lc(lp_old) - hp_old, {});
    cs.enforce(cpool, lp_old, {});  // a new pool takes an empty leaf
    cs.enforce(pool_rw, Lc(lp_new) - hp_new, {});
    cs.enforce(one() - pool_rw, Lc(lp_new) - Lc(lp_old), {});
    pool_root1 = circuit::merkle_update_leaf(cs, pool_root, lp_old, lp_new, pid,
                                             gadgets::path_wires(cs, w.pool_path, 15), gadgets::kPoolShape);
    // create_pool: an empty pool of two distinct ordinary tokens, token0 < token1.
    cs.enforce(cpool, r0, {});
    cs.enforce(cpool, r1, {});
    cs.enforce(cpool, supply, {});
    cs.enforce(cpool, tx_bits[9], {});
    cs.enforce(cpool, ty_bits[9], {});
    const Lc ordered = circuit::less_than(cs, token0, token1, 10);
    cs.enforce(cpool, one() - ordered, {});
    // ... of tokens L1 registered (the header's count, which commitBatch bounds by its registry) ...
    const Lc registered = circuit::less_than(cs, token1, num_tokens, 16);
    cs.enforce(cpool, one() - registered, {});
    // ... at the next pool id (ids 0, 1, 2, ...; LP tokens stay below 1024) ...
    cs.enforce(cpool, Lc(pid) - in.num_pools, {});
    cs.enforce(cpool, pid_bits[9], {});
    // ... and one pool per pair: the pair tree's leaf at token0 + 2^9 * token1 was empty and now
    // holds pool id + 1. Every pool leaf's pair is in this tree (pool leaves are created only here,
    // and the other types rewrite a leaf with its own pair), so the pair a swap or liquidity
    // change signs names exactly one pool. Other types update key 0 to itself (no pool has (0, 0)).
    const Variable pair_key = cs.mul(cpool, token0 + token1 * fr(uint64_t{1} << 9));
    const Variable pl_old = cs.alloc(w.pair_leaf_old);
    cs.enforce(cpool, pl_old, {});
    const Variable pl_set = cs.mul(cpool, Lc(pid) + one());
    pair_root1 = circuit::merkle_update_leaf(cs, in.pair_root, pl_old, Lc(pl_old) + Lc(pl_set), pair_key,
                                             gadgets::path_wires(cs, w.pair_path, 27), gadgets::kPairShape);
  }

  // ---- swaps: Uniswap V2 getAmountOut / getAmountIn as num = q * den + rem, rem < den ----
  // exact in:  amount_out = floor(amount_in*997*r_out / (r_in*1000 + amount_in*997))
  // exact out: amount_in  = floor(r_in*amount_out*1000 / ((r_out - amount_out)*997)) + 1
  // Bounds (all < r): num < 2^128 * 2^112 * 2^10; den < 2^139; q < 2^112 (exact in, q = amount_out
  // < r_out) or < 2^128 with den < 2^122 (exact out). Other types: num = 0, den = 1.
  void swaps() {
    const Variable m1_d = cs.mul(fin, Lc(amt1) - rin);
    const Lc m1 = rin + Lc(m1_d);
    const Variable m2_in = cs.mul(fin, rout);
    const Variable m2_out = cs.mul(fout, amt2);
    const Variable prod = cs.mul(m1, Lc(m2_in) + Lc(m2_out));
    const Variable prod_in = cs.mul(fin, prod);
    const Lc num = Lc(prod) * fr(1000) - Lc(prod_in) * fr(3);
    const Variable den_in = cs.mul(fin, rin * fr(1000) + Lc(amt1) * fr(997));
    const Variable den_out = cs.mul(fout, rout - Lc(amt2));
    const Lc den = Lc(den_in) + Lc(den_out) * fr(997) + (one() - swap);
    const Variable q = divide(cs, num, den, 128, 141);
    cs.enforce(fin, Lc(q) - Lc(amt2), {});
    cs.enforce(fout, Lc(q) + one() - Lc(amt1), {});
    // Router: amount_out >= amount_out_min (exact in), amount_in <= amount_in_max (exact out).
    const Variable fo_amt1 = cs.mul(fout, amt1);
    const Variable fo_lim = cs.mul(fout, lim);
    const Variable fi_amt2 = cs.mul(fin, amt2);
    circuit::assert_less_or_equal(cs, Lc(lim) - Lc(fo_lim) + Lc(fo_amt1), Lc(fi_amt2) + Lc(fo_lim), 128);
    // INSUFFICIENT_INPUT/OUTPUT_AMOUNT (swaps), INSUFFICIENT_LIQUIDITY_BURNED (remove),
    // INSUFFICIENT_LIQUIDITY_MINTED (add).
    assert_nonzero_if(cs, swap + rmv, amt1);
    assert_nonzero_if(cs, swap + rmv, amt2);
    assert_nonzero_if(cs, add, amt3);
    // pair.swap's K check with the fee-adjusted balances (implied by the formulas above; kept as the
    // contract's own invariant): (r_in'*1000 - 3*in) * (r_out'*1000) >= r_in*r_out*1000^2.
    const Variable sin = cs.mul(swap, amt1);
    const Variable k_new = cs.mul(rin1 * fr(1000) - Lc(sin) * fr(3), rout1 * fr(1000));
    const Variable k_old = cs.mul(rin, rout);
    assert_ge_if(cs, swap, k_new, Lc(k_old) * fr(1000000), 245);
  }

  // ---- add liquidity: Router02._addLiquidity and pair.mint (caller order X = A, Y = B) ----
  // X is the signed token_a whichever of the pool's tokens it is: Router02 quotes from A's side
  // and quote rounds down, so pricing from token0 would take other amounts when A is token1.
  // First mint: (amt1, amt2) = desired, liquidity = isqrt(amt1*amt2) - 1000, 1000 to account 0.
  void add_liquidity() {
    const Variable fm_a = cs.mul(fm, amt1);
    const Variable p_ab = cs.mul(fm_a, amt2);  // < 2^224: both < 2^112 (reserves after the mint)
    U256 s_val{};
    if (!cs.value(fm).is_zero()) s_val = state::isqrt(cs.value(p_ab).to_canonical());
    const Variable sq = cs.alloc(fr(s_val));
    range_check(cs, sq, 112);
    const Variable sq2 = cs.mul(sq, sq);
    range_check(cs, Lc(p_ab) - Lc(sq2), 113);                   // s^2 <= p
    range_check(cs, Lc(sq2) + Lc(sq) * fr(2) - Lc(p_ab), 113);  // p < (s+1)^2
    cs.enforce(fm, Lc(amt3) - Lc(sq) + Lc::constant(state::kMinimumLiquidity), {});
    // Later mint: b_opt = floor(des_a*r_b/r_a); branch 1 when b_opt <= des_b (i.e. des_a*r_b <
    // (des_b+1)*r_a): (des_a, b_opt) with b_opt >= min_b; else (a_opt, des_b) with
    // a_opt = floor(des_b*r_a/r_b) >= min_a.
    const Variable nf_da = cs.mul(nf, des_a);
    const Variable lhs = cs.mul(nf_da, rout);             // < 2^240
    const Variable rhs = cs.mul(Lc(des_b) + one(), rin);  // < 2^241
    const Lc le1 = circuit::less_than(cs, lhs, rhs, 242);
    g1 = cs.mul(nf, le1);
    g0 = nf - Lc(g1);
    const Variable g1_da = cs.mul(g1, des_a);
    const Variable b_opt = divide(cs, Lc(cs.mul(g1_da, rout)), rin + one() - Lc(g1), 128, 113);
    const Variable g0_db = cs.mul(g0, des_b);
    const Variable a_opt = divide(cs, Lc(cs.mul(g0_db, rin)), rout + one() - g0, 128, 113);
    cs.enforce(Lc(fm) + Lc(g1), Lc(amt1) - Lc(des_a), {});
    cs.enforce(Lc(fm) + g0, Lc(amt2) - Lc(des_b), {});
    cs.enforce(g1, Lc(amt2) - Lc(b_opt), {});
    cs.enforce(g0, Lc(amt1) - Lc(a_opt), {});
    // pair.mint: liquidity = min(amt1*S/r_x, amt2*S/r_y).
    const Variable nf_a1 = cs.mul(nf, amt1);
    const Variable l_x = divide(cs, Lc(cs.mul(nf_a1, supply)), rin + one() - nf, 128, 113);
    const Variable nf_a2 = cs.mul(nf, amt2);
    const Variable l_y = divide(cs, Lc(cs.mul(nf_a2, supply)), rout + one() - nf, 128, 113);
    const Lc x_le_y = circuit::less_or_equal(cs, l_x, l_y, 128);
    const Variable lmin_d = cs.mul(x_le_y, Lc(l_x) - Lc(l_y));
    cs.enforce(nf, Lc(amt3) - Lc(l_y) - Lc(lmin_d), {});
  }

  // ---- remove liquidity and LP full exit: pair.burn pro rata, amt1 = amt3*r_x/S,
  // amt2 = amt3*r_y/S. The divisor is S, or 1 when S = 0 (then nothing is burned: a pool without
  // liquidity, or no pool at all on an LP exit), so it is never 0 ----
  void remove_liquidity() {
    const Lc burn = rmv + Lc(fel);
    const Variable rm_l = cs.mul(burn, amt3);
    const Lc s_den = Lc(supply) + Lc(first);
    const Variable burn_x = divide(cs, Lc(cs.mul(rm_l, rin)), s_den, 112, 129);
    const Variable burn_y = divide(cs, Lc(cs.mul(rm_l, rout)), s_den, 112, 129);
    cs.enforce(burn, Lc(amt1) - Lc(burn_x), {});
    cs.enforce(burn, Lc(amt2) - Lc(burn_y), {});
    // Router mins: amount_a >= min_a (branch 0, remove), amount_b >= min_b (branch 1, remove).
    assert_ge_if(cs, g0 + rmv, amt1, min_a, 128);
    assert_ge_if(cs, Lc(g1) + rmv, amt2, min_b, 128);
  }

  // Deadline: the tx is rejected when the batch timestamp is greater.
  void deadline_check() {
    const Lc late = circuit::less_than(cs, deadline, timestamp, 64);
    cs.enforce(pool_exists_op, late, {});
  }

  // ---- signature over M = Poseidon(e0..e5) (docs/TRANSACTIONS.md 3) ----
  void signature() {
    const Variable to_e0 = cs.mul(F(TxType::Transfer), bidx);
    // e2: amount (transfer, withdraw), amount_in / amount_out (swaps), desired_a, liquidity.
    const Variable e2_out = cs.mul(fout, Lc(amt2) - Lc(amt1));
    const Variable e2_liq = cs.mul(liq, amt1);
    const Variable e2_rm = cs.mul(rmv, amt3);
    const Lc e2 = Lc(amt1) + Lc(e2_out) - Lc(e2_liq) + Lc(des_a) + Lc(e2_rm);
    const Variable rm_mina = cs.mul(rmv, min_a);
    const Variable rm_minb = cs.mul(rmv, min_b);
    const Lc e3 = Lc(lim) + Lc(l1) + Lc(des_b) + Lc(rm_mina);
    const Lc e4 = Lc(min_a) - Lc(rm_mina) + Lc(rm_minb);
    const Lc e5 = Lc(min_b) - Lc(rm_minb);
    const Lc msg = gadgets::signed_message(cs, params.domain,
                                           {type_lc, aidx, nonce, tok_x, tok_y, deadline, to_e0, e2, e3, e4, e5});
    // Unsigned slots verify against Base8 instead of A: account 0's key (the identity) would leave
    // the gadget's x != 0 helper of 8*A free. A itself is always checked on the curve (a created
    // key must be usable).
    gadgets::verify_signature_if(cs, l2, pkx, pky, msg, w);
  }

  // ---- create_account: the packed key (circomlibjs packPoint: y little-endian, sign of x in
  // the top bit, sign = x > (r-1)/2) ----
  void create_account() {
    const auto y_bits = circuit::to_bits_strict(cs, pky);
    U256 half{};
    (void)ff::sub_with_borrow(half, Fr::kModulus, U256{1, 0, 0, 0});
    half = ff::shift_right(half, 1);
    const bool x_high = ff::less_than(half, w.a_pk_x.to_canonical());
    const Variable sgn = circuit::alloc_bit(cs, x_high);
    U256 half_plus_1{};
    (void)ff::add_with_carry(half_plus_1, half, U256{1, 0, 0, 0});
    const auto z_bits = to_bits(cs, Lc(pkx) - Lc(sgn) * fr(half_plus_1), 253);
    circuit::assert_bits_le_constant(cs, z_bits, half);
    packed.resize(32);
    for (size_t i = 0; i < 32; ++i) {
      for (size_t j = 0; j < 8; ++j) {
        const size_t b = 8 * i + j;
        if (b < y_bits.size()) packed[i].add_term(y_bits[b], circuit::pow2(static_cast<unsigned>(j)));
      }
    }
    packed[31].add_term(sgn, circuit::pow2(7));
  }

  // ---- public data (docs/TRANSACTIONS.md 4), zero-padded to kSlotPubdataBytes (42) ----
  SlotResult public_data() {
    std::vector<Lc> pd(kSlotPubdataBytes);
    pd[0] = type_lc;
    place(pd, 1, be_bytes(aidx_bits, 3));
    const auto tok_bytes = be_bytes(tx_bits, 2);
    const auto amt1_bytes = be_bytes(amt1_bits, 16);
    const auto amt2_bytes = be_bytes(amt2_bits, 16);
    const auto amt3_bytes = be_bytes(amt3_bits, 16);
    const Lc dfw = F(TxType::Deposit) + F(TxType::FullExit) + F(TxType::Withdraw);
    place_gated(cs, pd, 4, dfw + pair_op - fel, tok_bytes);
    place_gated(cs, pd, 6, dfw - fel, amt1_bytes);
    place(pd, 6, be_bytes(ty_bits, 2));  // zero outside swaps, pools, liquidity
    // Only the amounts that do not follow from the others and the pool: a swap's exact side, an
    // add's two amounts (not the liquidity minted), a remove's liquidity (not the amounts paid).
    place_gated(cs, pd, 8, Lc(fin) + add, amt1_bytes);
    place_gated(cs, pd, 8, fout + fel, amt2_bytes);
    place_gated(cs, pd, 24, add, amt2_bytes);
    place_gated(cs, pd, 8, rmv, amt3_bytes);
    std::vector<Lc> lp_bytes(2);
    lp_bytes[0] = Lc::constant(state::kFirstLpToken >> 8);
    lp_bytes[1] = Lc{};
    for (size_t j = 0; j < 10; ++j)
      lp_bytes[j < 8 ? 1 : 0].add_term(pid_bits[j], circuit::pow2(static_cast<unsigned>(j % 8)));
    place_gated(cs, pd, 8, cpool, lp_bytes);
    // LP full exit: lp_token, token0 (Y), amount0, token1 (X), amount1 (docs/TRANSACTIONS.md 4).
    place_gated(cs, pd, 4, fel, lp_bytes);
    place_gated(cs, pd, 24, fel, tok_bytes);
    place_gated(cs, pd, 26, fel, amt1_bytes);
    place(pd, 22, be_bytes(l1_bits, 20));  // zero outside withdraw
    place_gated(cs, pd, 4, F(TxType::Transfer), be_bytes(bidx_bits, 3));
    place_gated(cs, pd, 7, F(TxType::Transfer), tok_bytes);
    place_gated(cs, pd, 9, F(TxType::Transfer), amt1_bytes);
    place_gated(cs, pd, 4, F(TxType::CreateAccount), packed);

    SlotResult out;
    out.account_root = acc_root2;
    out.pool_root = pool_root1;
    out.pair_root = pair_root1;
    out.num_pools = in.num_pools + cpool;
    out.pubdata_bits = circuit::bytes_to_bits(cs, pd);
    out.priority = prio;
    return out;
  }
};

}  // namespace

SlotResult synthesize_slot(ConstraintSystem& cs, const BatchParams& params, const SlotWitness& w, const SlotChain& in,
                           const Lc& timestamp, const Lc& num_tokens) {
  return SlotSynth{cs, params, w, in, timestamp, num_tokens}.run();
}

}  // namespace zkamm::batch
