// Witness generation: runs each transaction through the node's state transition (tx::execute)
// and replays its leaf updates on the trees in the slot circuit's order, recording each leaf and
// path before it changes.
#include <algorithm>
#include <type_traits>

#include "batch/batch_circuit.hpp"
#include "hash/eddsa.hpp"
#include "hash/sha256.hpp"
#include "tx/encoding.hpp"
#include "tx/public_data.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::batch {
namespace {

U256 u256(tx::Amount a) noexcept { return U256{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }
U256 add(const U256& a, const U256& b) noexcept {
  U256 o{};
  (void)ff::add_with_carry(o, a, b);
  return o;
}
U256 sub(const U256& a, const U256& b) noexcept {
  U256 o{};
  (void)ff::sub_with_borrow(o, a, b);
  return o;
}

/// The fields of a transaction that pick the slot's leaves.
struct Route {
  uint32_t a = 0, b = 0;
  uint32_t token_x = 0, token_y = 0;
  bool pool = false;  ///< names an existing pool (swaps, add/remove liquidity)
};

Route route_of(const tx::Tx& t) {
  Route r;
  std::visit(
      [&](const auto& x) {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, tx::CreateAccount>) {
          r.a = x.account;
        } else if constexpr (std::is_same_v<T, tx::Deposit> || std::is_same_v<T, tx::FullExit>) {
          r.a = x.account;
          r.token_x = x.token;
        } else if constexpr (std::is_same_v<T, tx::Transfer>) {
          r.a = x.from;
          r.b = x.to;
          r.token_x = x.token;
        } else if constexpr (std::is_same_v<T, tx::SwapExactIn> || std::is_same_v<T, tx::SwapExactOut>) {
          r.a = x.account;
          r.token_x = x.token_in;
          r.token_y = x.token_out;
          r.pool = true;
        } else if constexpr (std::is_same_v<T, tx::Withdraw>) {
          r.a = x.account;
          r.token_x = x.token;
        } else if constexpr (std::is_same_v<T, tx::CreatePool> || std::is_same_v<T, tx::AddLiquidity> ||
                             std::is_same_v<T, tx::RemoveLiquidity>) {
          r.a = x.account;
          r.token_x = x.token_a;
          r.token_y = x.token_b;
          r.pool = !std::is_same_v<T, tx::CreatePool>;
        }
      },
      t);
  return r;
}

const tx::PackedSignature* signature_of(const tx::Tx& t) {
  return std::visit(
      [](const auto& x) -> const tx::PackedSignature* {
        if constexpr (requires { x.signature; }) return &x.signature;
        else return nullptr;
      },
      t);
}

}  // namespace

void record_slot(state::StateTrees& trees, SlotWitness& sw) {
  using tx::TxType;
  const TxType type = sw.type;
  const bool swap = type == TxType::SwapExactIn || type == TxType::SwapExactOut;
  const bool add_l = type == TxType::AddLiquidity, rm_l = type == TxType::RemoveLiquidity;
  const bool l2 = tx::is_l2(type);
  const uint32_t a = sw.account_a, b = sw.account_b;
  const uint32_t lp = state::kFirstLpToken + sw.pool_id;
  const bool first_mint = add_l && ff::is_zero(sw.supply);
  const U256 locked = first_mint ? U256{state::kMinimumLiquidity, 0, 0, 0} : U256{};

  sw.a_balance_root = trees.balance_root(a);
  sw.path_x = *trees.balance_path(a, sw.token_x);
  sw.bal_x = trees.balance_leaf_value(a, sw.token_x).to_canonical();
  const bool lp_exit = sw.lp_exit;  // its amounts leave the L2: balances X and Y stay
  U256 new_x = sw.bal_x;
  if (type == TxType::Deposit || rm_l) new_x = add(sw.bal_x, sw.amt1);
  if (type == TxType::Transfer || swap || add_l || type == TxType::Withdraw || (type == TxType::FullExit && !lp_exit)) {
    new_x = sub(sw.bal_x, sw.amt1);
  }
  if (new_x != sw.bal_x) trees.set_balance(a, sw.token_x, new_x);
  sw.path_y = *trees.balance_path(a, sw.token_y);
  sw.bal_y = trees.balance_leaf_value(a, sw.token_y).to_canonical();
  if (!ff::is_zero(sw.amt2) && !lp_exit) {
    trees.set_balance(a, sw.token_y, add_l ? sub(sw.bal_y, sw.amt2) : add(sw.bal_y, sw.amt2));
  }
  sw.path_z = *trees.balance_path(a, lp);
  sw.bal_z = trees.balance_leaf_value(a, lp).to_canonical();
  if (!ff::is_zero(sw.amt3)) trees.set_balance(a, lp, add_l ? add(sw.bal_z, sw.amt3) : sub(sw.bal_z, sw.amt3));
  sw.a_account_path = *trees.account_path(a);
  if (sw.a_exists || type == TxType::CreateAccount) {
    trees.set_account(a, state::PublicKey{sw.a_pk_x, sw.a_pk_y}, sw.a_nonce + (l2 ? 1 : 0));
  }

  const uint32_t tok_b = add_l ? lp : sw.token_x;
  sw.b_balance_root = trees.balance_root(b);
  sw.path_b = *trees.balance_path(b, tok_b);
  sw.bal_b = trees.balance_leaf_value(b, tok_b).to_canonical();
  const bool b_changes = type == TxType::Transfer || first_mint;
  if (b_changes) trees.set_balance(b, tok_b, add(sw.bal_b, type == TxType::Transfer ? sw.amt1 : locked));
  sw.b_account_path = *trees.account_path(b);
  if (b_changes) trees.set_account(b, state::PublicKey{sw.b_pk_x, sw.b_pk_y}, sw.b_nonce);

  sw.pool_leaf_old = trees.pool_leaf_value(sw.pool_id);
  sw.pool_path = *trees.pool_path(sw.pool_id);
  // The pair leaf before set_pool (which writes it for a new pool): the new pool's pair, else key 0.
  const uint64_t pkey = type == TxType::CreatePool
                            ? state::pair_key(std::min(sw.token_x, sw.token_y), std::max(sw.token_x, sw.token_y))
                            : 0;
  sw.pair_leaf_old = trees.pair_leaf_value(pkey);
  sw.pair_path = *trees.pair_path(pkey);
  const bool burns = rm_l || (lp_exit && !sw.pool_leaf_old.is_zero());
  if (swap || add_l || burns || type == TxType::CreatePool) {
    state::Pool after;
    after.token0 = sw.zero_for_one ? sw.token_x : sw.token_y;
    after.token1 = sw.zero_for_one ? sw.token_y : sw.token_x;
    after.lp_token = lp;
    U256& r_x = sw.zero_for_one ? after.reserve0 : after.reserve1;
    U256& r_y = sw.zero_for_one ? after.reserve1 : after.reserve0;
    const U256& rx0 = sw.zero_for_one ? sw.reserve0 : sw.reserve1;
    const U256& ry0 = sw.zero_for_one ? sw.reserve1 : sw.reserve0;
    r_x = burns ? sub(rx0, sw.amt1) : add(rx0, sw.amt1);
    r_y = (swap || burns) ? sub(ry0, sw.amt2) : add(ry0, sw.amt2);
    after.total_supply = add_l ? add(add(sw.supply, sw.amt3), locked) : burns ? sub(sw.supply, sw.amt3) : sw.supply;
    trees.set_pool(after);
  }
}

WitnessResult build_witness(state::State& s, state::StateTrees& trees, const BatchParams& params,
                            const BatchInput& in) {
  WitnessResult res;
  BatchWitness& w = res.witness;
  if (in.txs.size() > params.num_slots) {
    res.error = "more transactions than slots";
    return res;
  }
  if (params.num_slots >> 24 != 0) {
    res.error = "num_slots must be < 2^24";
    return res;
  }
  const bool swap_batch = params.kind == BatchKind::Swap;
  if (!in.executed.empty() && in.executed.size() != in.txs.size()) {
    res.error = "executed results do not match the transactions";
    return res;
  }
  w.batch_number = in.batch_number;
  w.timestamp = in.timestamp;
  w.priority_first = in.priority_first;
  w.account_root_old = trees.account_root();
  w.pool_root_old = trees.pool_root();
  w.pair_root_old = trees.pair_root();
  w.num_pools_old = trees.num_pools();
  w.num_tokens = in.num_tokens.value_or(static_cast<uint32_t>(s.num_tokens()));
  if (w.num_tokens > 0xffff) {
    res.error = "num_tokens must be < 2^16";
    return res;
  }
  w.old_root = trees.root();
  uint32_t priority_count = 0;

  for (uint32_t i = 0; i < params.num_slots; ++i) {
    const tx::Tx t = i < in.txs.size() ? in.txs[i] : tx::Tx{tx::Noop{}};
    const tx::TxType type = tx::type_of(t);
    if (!circuit_supports(type)) {
      res.error = "slot " + std::to_string(i) + ": type " + std::string(tx::type_name(type)) + " not supported";
      return res;
    }
    if (type != tx::TxType::Noop && !tx::in_range(t)) {
      res.error = "slot " + std::to_string(i) + ": field out of range";
      return res;
    }
    if (swap_batch && type != tx::TxType::Noop && type != tx::TxType::SwapExactIn && type != tx::TxType::SwapExactOut) {
      res.error = "slot " + std::to_string(i) + ": a swap batch holds only swaps";
      return res;
    }
    if (tx::is_priority(type)) ++priority_count;
    SlotWitness sw;
    sw.type = type;
    const Route r = route_of(t);
    sw.account_a = r.a;
    sw.account_b = r.b;
    sw.token_x = r.token_x;
    sw.token_y = r.token_y;

    // Pre-state reads.
    const state::Account* acc_a = s.account(r.a);
    sw.a_exists = type != tx::TxType::CreateAccount && acc_a != nullptr;
    sw.a_nonce = sw.a_exists ? acc_a->nonce : 0;
    state::Pool pool_before{};
    const state::Pool* exit_pool = nullptr;  // a full exit of an LP token: its pool, if any
    if (const auto* fe = std::get_if<tx::FullExit>(&t); fe && fe->token >= state::kFirstLpToken) {
      sw.lp_exit = true;
      sw.pool_id = fe->token - state::kFirstLpToken;
      sw.token_x = sw.token_y = 0;
      exit_pool = s.pool_by_id(sw.pool_id);
      if (exit_pool != nullptr) {
        pool_before = *exit_pool;
        sw.token_x = exit_pool->token1;
        sw.token_y = exit_pool->token0;
      }
    }
    if (r.pool) {
      const state::Pool* p = s.pool(r.token_x, r.token_y);
      if (p == nullptr) {
        res.error = "slot " + std::to_string(i) + ": pool not found";
        return res;
      }
      pool_before = *p;
    }

    tx::Executed ex{};
    if (type != tx::TxType::Noop) {
      const tx::ExecResult er = tx::execute(s, t, params.domain, tx::ExecOptions{in.timestamp, false});
      if (!er.ok()) {
        res.error = "slot " + std::to_string(i) + ": " + std::string(tx::reason(er));
        return res;
      }
      ex = er.executed;
      if (!in.executed.empty()) {
        const tx::Executed& e = in.executed[i];
        if (e.amount_in != ex.amount_in || e.amount_out != ex.amount_out || e.liquidity != ex.liquidity ||
            e.lp_token != ex.lp_token || e.token0 != ex.token0 || e.token1 != ex.token1) {
          res.error = "slot " + std::to_string(i) + ": executed amounts differ from the node's";
          return res;
        }
      }
    }

    // Amounts (docs/CIRCUIT.md: amt1 moves on balance X, amt2 on balance Y).
    std::visit(
        [&](const auto& x) {
          using T = std::remove_cvref_t<decltype(x)>;
          if constexpr (std::is_same_v<T, tx::Deposit>) {
            sw.amt1 = u256(ex.amount_in);  // == x.amount: a deposit either credits it all or fails
          } else if constexpr (std::is_same_v<T, tx::FullExit>) {
            if (sw.lp_exit) {  // X = token1, Y = token0
              sw.amt1 = u256(ex.amount_out);
              sw.amt2 = u256(ex.amount_in);
              sw.amt3 = u256(ex.liquidity);
            } else {
              sw.amt1 = u256(ex.amount_in);
            }
          } else if constexpr (std::is_same_v<T, tx::Transfer> || std::is_same_v<T, tx::Withdraw>) {
            sw.amt1 = u256(x.amount);
            if constexpr (std::is_same_v<T, tx::Withdraw>) {
              uint8_t b[32] = {};
              for (size_t k = 0; k < 20; ++k) b[12 + k] = x.l1_address[k];
              sw.l1_address = ff::from_bytes_be(b);
            }
          } else if constexpr (std::is_same_v<T, tx::SwapExactIn>) {
            sw.amt1 = u256(ex.amount_in);
            sw.amt2 = u256(ex.amount_out);
            sw.limit = u256(x.amount_out_min);
            sw.deadline = x.deadline;
          } else if constexpr (std::is_same_v<T, tx::SwapExactOut>) {
            sw.amt1 = u256(ex.amount_in);
            sw.amt2 = u256(ex.amount_out);
            sw.limit = u256(x.amount_in_max);
            sw.deadline = x.deadline;
          } else if constexpr (std::is_same_v<T, tx::AddLiquidity>) {
            sw.amt1 = u256(ex.amount_in);
            sw.amt2 = u256(ex.amount_out);
            sw.amt3 = u256(ex.liquidity);
            sw.desired_a = u256(x.amount_a_desired);
            sw.desired_b = u256(x.amount_b_desired);
            sw.min_a = u256(x.amount_a_min);
            sw.min_b = u256(x.amount_b_min);
            sw.deadline = x.deadline;
          } else if constexpr (std::is_same_v<T, tx::RemoveLiquidity>) {
            sw.amt1 = u256(ex.amount_in);
            sw.amt2 = u256(ex.amount_out);
            sw.amt3 = u256(x.liquidity);
            sw.min_a = u256(x.amount_a_min);
            sw.min_b = u256(x.amount_b_min);
            sw.deadline = x.deadline;
          }
        },
        t);
    if (const tx::PackedSignature* sig = signature_of(t)) {
      const auto es = hash::unpack_signature(sig->data());
      if (!es) {
        res.error = "slot " + std::to_string(i) + ": signature does not unpack";
        return res;
      }
      sw.r8_x = es->r8.x;
      sw.r8_y = es->r8.y;
      sw.s = es->s;
    }

    // A's key after the slot (create_account sets it); absent accounts keep the identity.
    if (const state::Account* post_a = s.account(r.a); post_a != nullptr && type != tx::TxType::Noop) {
      sw.a_pk_x = post_a->public_key.x;
      sw.a_pk_y = post_a->public_key.y;
    } else if (type == tx::TxType::Noop && acc_a != nullptr) {
      sw.a_pk_x = acc_a->public_key.x;
      sw.a_pk_y = acc_a->public_key.y;
    }
    const state::Account* acc_b = s.account(r.b);
    if (acc_b == nullptr) {
      res.error = "slot " + std::to_string(i) + ": account B missing";
      return res;
    }
    sw.b_pk_x = acc_b->public_key.x;
    sw.b_pk_y = acc_b->public_key.y;
    sw.b_nonce = acc_b->nonce;
    if (exit_pool != nullptr) {
      sw.zero_for_one = false;
      sw.reserve0 = pool_before.reserve0;
      sw.reserve1 = pool_before.reserve1;
      sw.supply = pool_before.total_supply;
    } else if (r.pool) {
      sw.pool_id = state::pool_id(pool_before);
      sw.zero_for_one = pool_before.token0 == r.token_x;
      sw.reserve0 = pool_before.reserve0;
      sw.reserve1 = pool_before.reserve1;
      sw.supply = pool_before.total_supply;
    } else if (type == tx::TxType::CreatePool) {
      sw.pool_id = static_cast<uint32_t>(ex.lp_token) - state::kFirstLpToken;
      sw.zero_for_one = r.token_x < r.token_y;
    }
    record_slot(trees, sw);
    if (swap_batch) {
      const std::optional<tx::SwapSlot> slot =
          type == tx::TxType::Noop ? std::optional<tx::SwapSlot>(tx::SwapSlot{}) : tx::swap_slot_of(t, ex);
      if (!slot) {
        res.error = "slot " + std::to_string(i) + ": the swap's exact amount has no float encoding";
        return res;
      }
      tx::append_swap_slot(w.pubdata, *slot);
    } else {
      tx::append_slot_public_data(w.pubdata, t, ex);
    }
    w.slots.push_back(std::move(sw));
  }

  w.new_root = trees.root();
  const tx::BatchHeader header{.number = w.batch_number,
                               .timestamp = w.timestamp,
                               .old_root = w.old_root,
                               .new_root = w.new_root,
                               .priority_first = w.priority_first,
                               .priority_count = priority_count,
                               .kind = params.kind,
                               .num_slots = params.num_slots,
                               .num_tokens = static_cast<uint16_t>(w.num_tokens)};
  const tx::BatchHeaderBytes hb = header.encode();
  w.header.assign(hb.begin(), hb.end());
  std::vector<uint8_t> all = w.header;
  all.insert(all.end(), w.pubdata.begin(), w.pubdata.end());
  hash::Digest32 d = hash::sha256(all);
  d[0] &= 0x1f;
  w.public_input = Fr::from_bytes_be(d.data()).value_or(Fr::zero());
  return res;
}

BatchWitness noop_witness(const BatchParams& params) {
  state::State s;
  state::StateTrees trees = state::StateTrees::build(s);
  return build_witness(s, trees, params, BatchInput{}).witness;
}

snark::R1cs batch_r1cs(const BatchParams& params) {
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kFull);
  (void)synthesize(cs, params, noop_witness(params));
  return cs.to_r1cs();
}

BatchHandles synthesize(snark::ConstraintSystem& cs, const BatchParams& params, const BatchWitness* w) {
  if (w == nullptr) return synthesize(cs, params, noop_witness(params));
  return synthesize(cs, params, *w);
}

}  // namespace zkamm::batch
