#include "tx/execute.hpp"

#include <type_traits>

#include "ec/babyjubjub.hpp"
#include "tx/encoding.hpp"

namespace zkamm::tx {
namespace {

using state::U256;

ExecResult fail(ExecError e) noexcept { return ExecResult{e, {}, {}}; }
ExecResult state_fail(state::Status st) noexcept { return ExecResult{ExecError::kState, st, {}}; }

template <class T>
concept HasDeadline = requires(const T& x) { x.deadline; };

static_assert(kFirstLpTokenId == state::kFirstLpToken);

/// The full exit of an LP position: the whole balance burned pro rata, both tokens paid out on
/// L1. The pool's tokens are published whenever the pool exists (the circuit reads them from its
/// leaf), even when nothing is burned (account 0, an unknown account, an empty position).
ExecResult exit_lp(state::State& s, const FullExit& f) noexcept {
  ExecResult r;
  const state::Pool* p = s.pool_by_id(f.token - state::kFirstLpToken);
  if (p == nullptr) return r;  // no such pool: nobody holds its LP token
  r.executed.token0 = static_cast<uint16_t>(p->token0);
  r.executed.token1 = static_cast<uint16_t>(p->token1);
  if (f.account == state::kReservedAccount || s.account(f.account) == nullptr) return r;
  state::LpExitReceipt rc;
  const state::Status st = s.exit_lp(f.account, f.token - state::kFirstLpToken, rc);
  if (!st.ok()) return state_fail(st);
  r.executed.liquidity = to_amount(rc.liquidity);
  r.executed.amount_in = to_amount(rc.amount0);
  r.executed.amount_out = to_amount(rc.amount1);
  return r;
}

/// Priority operations: the contract is their authority, so they only fail on an inconsistency
/// between the contract's queue and this state (which the node treats as fatal).
ExecResult execute_priority(state::State& s, const Tx& t) noexcept {
  ExecResult r;
  if (const auto* c = std::get_if<CreateAccount>(&t)) {
    if (c->account != s.num_accounts()) return fail(ExecError::kUnknownAccount);
    const auto key = ec::unpack_point(c->pubkey.data());
    if (!key) return fail(ExecError::kOutOfRange);  // the contract only queues keys on the curve
    state::AccountIndex index = 0;
    const state::Status st = s.create_account(state::PublicKey{key->x, key->y}, index);
    if (!st.ok()) return state_fail(st);
    return r;
  }
  if (const auto* d = std::get_if<Deposit>(&t)) {
    if (d->account == state::kReservedAccount || s.account(d->account) == nullptr) return fail(ExecError::kUnknownAccount);
    // kBalanceOverflow is unreachable: the contract caps each token's L2 supply below 2^128
    // (docs/BATCH.md section 4), and every balance is at most that supply.
    const state::Status st = s.deposit(d->account, d->token, to_u256(d->amount));
    if (!st.ok()) return state_fail(st);
    r.executed.amount_in = d->amount;
    return r;
  }
  const auto& f = std::get<FullExit>(t);
  if (f.token >= state::kFirstLpToken) return exit_lp(s, f);
  if (f.account == state::kReservedAccount || s.account(f.account) == nullptr) {
    return r;  // nothing to withdraw
  }
  const U256 balance = s.balance(f.account, f.token);
  if (!ff::is_zero(balance)) {
    const state::Status st = s.withdraw(f.account, f.token, balance);
    if (!st.ok()) return state_fail(st);
    r.executed.amount_in = to_amount(balance);
  }
  return r;
}

/// The LP token of the pool of (a, b), 0 when there is none.
uint16_t pool_lp_token(const state::State& s, uint16_t a, uint16_t b) noexcept {
  const state::Pool* p = s.pool(a, b);
  return p == nullptr ? 0 : static_cast<uint16_t>(p->lp_token);
}

ExecResult apply_l2(state::State& s, const Tx& t) noexcept {
  ExecResult r;
  state::Status st;
  std::visit(
      [&](const auto& x) {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, Transfer>) {
          st = s.transfer(x.from, x.to, x.token, to_u256(x.amount));
        } else if constexpr (std::is_same_v<T, SwapExactIn>) {
          state::SwapReceipt rc;
          st = s.swap_exact_in(x.account, x.token_in, x.token_out, to_u256(x.amount_in), to_u256(x.amount_out_min), rc);
          r.executed.amount_in = to_amount(rc.amount_in);
          r.executed.amount_out = to_amount(rc.amount_out);
          r.executed.lp_token = pool_lp_token(s, x.token_in, x.token_out);
        } else if constexpr (std::is_same_v<T, SwapExactOut>) {
          state::SwapReceipt rc;
          st = s.swap_exact_out(x.account, x.token_in, x.token_out, to_u256(x.amount_out), to_u256(x.amount_in_max), rc);
          r.executed.amount_in = to_amount(rc.amount_in);
          r.executed.amount_out = to_amount(rc.amount_out);
          r.executed.lp_token = pool_lp_token(s, x.token_in, x.token_out);
        } else if constexpr (std::is_same_v<T, CreatePool>) {
          state::TokenId lp = 0;
          st = s.create_pool(x.token_a, x.token_b, lp);
          r.executed.lp_token = static_cast<uint16_t>(lp);
        } else if constexpr (std::is_same_v<T, AddLiquidity>) {
          state::AddLiquidityReceipt rc;
          st = s.add_liquidity(x.account, x.token_a, x.token_b, to_u256(x.amount_a_desired), to_u256(x.amount_b_desired),
                               to_u256(x.amount_a_min), to_u256(x.amount_b_min), rc);
          r.executed.amount_in = to_amount(rc.amount_a);
          r.executed.amount_out = to_amount(rc.amount_b);
          r.executed.liquidity = to_amount(rc.liquidity);
        } else if constexpr (std::is_same_v<T, RemoveLiquidity>) {
          state::RemoveLiquidityReceipt rc;
          st = s.remove_liquidity(x.account, x.token_a, x.token_b, to_u256(x.liquidity), to_u256(x.amount_a_min),
                                  to_u256(x.amount_b_min), rc);
          r.executed.amount_in = to_amount(rc.amount_a);
          r.executed.amount_out = to_amount(rc.amount_b);
        } else if constexpr (std::is_same_v<T, Withdraw>) {
          st = s.withdraw(x.account, x.token, to_u256(x.amount));
        }
      },
      t);
  if (!st.ok()) return state_fail(st);
  return r;
}

}  // namespace

std::string_view reason(const ExecResult& r) noexcept {
  switch (r.error) {
    case ExecError::kOk: return "ok";
    case ExecError::kNotExecutable: return "not executable";
    case ExecError::kOutOfRange: return "field out of range";
    case ExecError::kUnknownAccount: return "unknown account";
    case ExecError::kBadNonce: return "nonce mismatch";
    case ExecError::kExpired: return "deadline expired";
    case ExecError::kBadSignature: return "bad signature";
    case ExecError::kLpWithdraw: return "LP tokens cannot be withdrawn";
    case ExecError::kState:
      if (r.status.error == state::StateError::kAmm) return state::describe(r.status.amm);
      return state::to_string(r.status.error);
  }
  return "?";
}

bool check_signature(const state::State& s, const Tx& t, const Domain& d) noexcept {
  const auto signer = signer_account(t);
  if (!signer) return false;
  const state::Account* a = s.account(*signer);
  if (a == nullptr) return false;
  return verify(t, ec::BabyJubAffine{a->public_key.x, a->public_key.y}, d);
}

ExecResult execute(state::State& s, const Tx& t, const Domain& d, const ExecOptions& opt) noexcept {
  const TxType type = type_of(t);
  if (type == TxType::Noop) return fail(ExecError::kNotExecutable);
  if (!in_range(t)) return fail(ExecError::kOutOfRange);
  if (is_priority(type)) return execute_priority(s, t);

  const uint32_t signer = *signer_account(t);
  const state::Account* account = s.account(signer);
  if (account == nullptr) return fail(ExecError::kUnknownAccount);
  if (account->nonce != *nonce_of(t)) return fail(ExecError::kBadNonce);
  const bool expired = std::visit(
      [&](const auto& x) {
        if constexpr (HasDeadline<std::remove_cvref_t<decltype(x)>>) return x.deadline < opt.timestamp;
        else return false;
      },
      t);
  if (expired) return fail(ExecError::kExpired);
  if (const auto* w = std::get_if<Withdraw>(&t); w && w->token >= state::kFirstLpToken) {
    return fail(ExecError::kLpWithdraw);
  }
  if (opt.verify_signature && !check_signature(s, t, d)) return fail(ExecError::kBadSignature);
  ExecResult r = apply_l2(s, t);
  if (r.ok()) (void)s.bump_nonce(signer);  // the signer exists: cannot fail
  return r;
}

void collect_touched(const state::State& s, const Tx& t, state::Touched& out) {
  const auto pool_of = [&](uint32_t a, uint32_t b) {
    if (const state::Pool* p = s.pool(a, b)) out.pools.push_back(state::pool_id(*p));
  };
  std::visit(
      [&](const auto& x) {
        using T = std::remove_cvref_t<decltype(x)>;
        if constexpr (std::is_same_v<T, CreateAccount>) {
          out.accounts.push_back(x.account);
        } else if constexpr (std::is_same_v<T, Deposit> || std::is_same_v<T, FullExit>) {
          if (x.token < kTokenLimit) out.balances.emplace_back(x.account, x.token);
          if (x.token >= state::kFirstLpToken) {
            if (const state::Pool* p = s.pool_by_id(x.token - state::kFirstLpToken)) out.pools.push_back(state::pool_id(*p));
          }
        } else if constexpr (std::is_same_v<T, Transfer>) {
          out.accounts.push_back(x.from);
          out.balances.emplace_back(x.from, x.token);
          out.balances.emplace_back(x.to, x.token);
        } else if constexpr (std::is_same_v<T, SwapExactIn> || std::is_same_v<T, SwapExactOut>) {
          out.accounts.push_back(x.account);
          out.balances.emplace_back(x.account, x.token_in);
          out.balances.emplace_back(x.account, x.token_out);
          pool_of(x.token_in, x.token_out);
        } else if constexpr (std::is_same_v<T, CreatePool>) {
          out.accounts.push_back(x.account);
          pool_of(x.token_a, x.token_b);
        } else if constexpr (std::is_same_v<T, AddLiquidity> || std::is_same_v<T, RemoveLiquidity>) {
          out.accounts.push_back(x.account);
          out.balances.emplace_back(x.account, x.token_a);
          out.balances.emplace_back(x.account, x.token_b);
          if (const state::Pool* p = s.pool(x.token_a, x.token_b)) {
            out.balances.emplace_back(x.account, p->lp_token);
            out.balances.emplace_back(state::kReservedAccount, p->lp_token);  // MINIMUM_LIQUIDITY
            out.pools.push_back(state::pool_id(*p));
          }
        } else if constexpr (std::is_same_v<T, Withdraw>) {
          out.accounts.push_back(x.account);
          out.balances.emplace_back(x.account, x.token);
        }
      },
      t);
}

}  // namespace zkamm::tx
