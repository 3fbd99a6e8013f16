#include "state/state.hpp"

namespace zkamm::state {
namespace {

Status fail(StateError e) noexcept { return Status{e, AmmError::kOk}; }
Status amm_fail(AmmError e) noexcept { return Status{StateError::kAmm, e}; }
constexpr Status kOk{};

#define ZKAMM_CHECK(expr)           \
  do {                              \
    const Status zkamm_s_ = (expr); \
    if (!zkamm_s_.ok()) return zkamm_s_; \
  } while (0)

}  // namespace

std::string_view to_string(StateError e) noexcept {
  switch (e) {
    case StateError::kOk: return "ok";
    case StateError::kUnknownAccount: return "unknown account";
    case StateError::kUnknownToken: return "unknown token";
    case StateError::kReservedAccount: return "reserved account";
    case StateError::kAmountTooLarge: return "amount too large";
    case StateError::kZeroAmount: return "zero amount";
    case StateError::kInsufficientBalance: return "insufficient balance";
    case StateError::kBalanceOverflow: return "balance overflow";
    case StateError::kIdenticalTokens: return "identical tokens";
    case StateError::kLpTokenInPool: return "LP token in pool";
    case StateError::kPoolExists: return "pool exists";
    case StateError::kPoolNotFound: return "pool not found";
    case StateError::kTokenExists: return "token exists";
    case StateError::kAmm: return "amm";
    case StateError::kCapacity: return "capacity exhausted";
  }
  return "?";
}

U256 Account::balance(TokenId token) const noexcept {
  const auto it = balances.find(token);
  return it == balances.end() ? U256{} : it->second;
}

State::State() {
  accounts_.push_back(Account{kReservedAccount, PublicKey{}, 0, {}});
  tokens_.push_back(Token{kEthToken, L1Address{}, false});
}

const Account* State::account(AccountIndex index) const noexcept {
  return index < accounts_.size() ? &accounts_[index] : nullptr;
}

const Token* State::token(TokenId id) const noexcept {
  if (id < kFirstLpToken) return id < tokens_.size() ? &tokens_[id] : nullptr;
  return id - kFirstLpToken < lp_tokens_.size() ? &lp_tokens_[id - kFirstLpToken] : nullptr;
}

std::optional<State> State::from_parts(std::vector<Account> accounts, std::vector<Token> l1_tokens,
                                       std::vector<Pool> pools) {
  if (accounts.empty() || accounts.size() > kMaxAccounts || l1_tokens.empty() || l1_tokens.size() > kMaxL1Tokens ||
      pools.size() > kMaxPools) {
    return std::nullopt;
  }
  State s;
  for (size_t i = 0; i < accounts.size(); ++i) {
    if (accounts[i].index != i) return std::nullopt;
  }
  for (size_t i = 0; i < l1_tokens.size(); ++i) {
    if (l1_tokens[i].id != i || l1_tokens[i].is_lp) return std::nullopt;
  }
  s.accounts_ = std::move(accounts);
  s.tokens_ = std::move(l1_tokens);
  for (size_t i = 0; i < pools.size(); ++i) {
    const Pool& p = pools[i];
    if (p.lp_token != kFirstLpToken + i || p.token0 >= p.token1 || p.token1 >= s.tokens_.size() ||
        !s.pools_.emplace(std::pair{p.token0, p.token1}, p).second) {
      return std::nullopt;
    }
    s.lp_tokens_.push_back(Token{p.lp_token, L1Address{}, true});
    s.pool_pairs_.emplace_back(p.token0, p.token1);
  }
  return s;
}

bool State::token_exists(TokenId id) const noexcept { return token(id) != nullptr; }

const Pool* State::pool_by_id(uint32_t id) const noexcept {
  if (id >= pool_pairs_.size()) return nullptr;
  return &pools_.at(pool_pairs_[id]);
}

const Pool* State::pool(TokenId token_a, TokenId token_b) const noexcept {
  const auto it = pools_.find(token_a < token_b ? std::pair{token_a, token_b} : std::pair{token_b, token_a});
  return it == pools_.end() ? nullptr : &it->second;
}

Pool* State::find_pool(TokenId token_a, TokenId token_b) noexcept {
  return const_cast<Pool*>(std::as_const(*this).pool(token_a, token_b));
}

U256 State::balance(AccountIndex index, TokenId token) const noexcept {
  const Account* a = account(index);
  return a ? a->balance(token) : U256{};
}

Status State::check_amount(const U256& amount) const noexcept {
  return fits_bits(amount, kAmountBits) ? kOk : fail(StateError::kAmountTooLarge);
}

Status State::check_trader(AccountIndex index) const noexcept {
  if (index == kReservedAccount) return fail(StateError::kReservedAccount);
  return index < accounts_.size() ? kOk : fail(StateError::kUnknownAccount);
}

Status State::can_debit(AccountIndex index, TokenId token, const U256& amount) const noexcept {
  if (index >= accounts_.size()) return fail(StateError::kUnknownAccount);
  if (!token_exists(token)) return fail(StateError::kUnknownToken);
  ZKAMM_CHECK(check_amount(amount));
  if (ff::less_than(accounts_[index].balance(token), amount)) return fail(StateError::kInsufficientBalance);
  return kOk;
}

Status State::can_credit(AccountIndex index, TokenId token, const U256& amount) const noexcept {
  if (index >= accounts_.size()) return fail(StateError::kUnknownAccount);
  if (!token_exists(token)) return fail(StateError::kUnknownToken);
  ZKAMM_CHECK(check_amount(amount));
  U256 sum;
  if (!checked_add(sum, accounts_[index].balance(token), amount) || !fits_bits(sum, kAmountBits)) {
    return fail(StateError::kBalanceOverflow);
  }
  return kOk;
}

void State::debit(AccountIndex index, TokenId token, const U256& amount) noexcept {
  auto& balances = accounts_[index].balances;
  const auto it = balances.find(token);
  if (it == balances.end()) return;  // amount is 0 (checked by can_debit)
  (void)checked_sub(it->second, it->second, amount);
  if (ff::is_zero(it->second)) balances.erase(it);  // keep one representation of a zero balance
}

void State::credit(AccountIndex index, TokenId token, const U256& amount) noexcept {
  if (ff::is_zero(amount)) return;
  U256& b = accounts_[index].balances[token];
  (void)checked_add(b, b, amount);
}

Status State::add_token(const L1Address& l1_address, TokenId& id) {
  for (const Token& t : tokens_) {
    if (!t.is_lp && t.id != kEthToken && t.l1_address == l1_address) return fail(StateError::kTokenExists);
  }
  if (tokens_.size() >= kMaxL1Tokens) return fail(StateError::kCapacity);
  id = static_cast<TokenId>(tokens_.size());
  tokens_.push_back(Token{id, l1_address, false});
  return kOk;
}

Status State::create_account(const PublicKey& key, AccountIndex& index) {
  if (accounts_.size() >= kMaxAccounts) return fail(StateError::kCapacity);
  index = static_cast<AccountIndex>(accounts_.size());
  accounts_.push_back(Account{index, key, 0, {}});
  return kOk;
}

Status State::deposit(AccountIndex to, TokenId token, const U256& amount) {
  ZKAMM_CHECK(check_trader(to));
  ZKAMM_CHECK(can_credit(to, token, amount));
  credit(to, token, amount);
  return kOk;
}

Status State::withdraw(AccountIndex from, TokenId token, const U256& amount) {
  ZKAMM_CHECK(check_trader(from));
  if (ff::is_zero(amount)) return fail(StateError::kZeroAmount);
  ZKAMM_CHECK(can_debit(from, token, amount));
  debit(from, token, amount);
  return kOk;
}

Status State::transfer(AccountIndex from, AccountIndex to, TokenId token, const U256& amount) {
  ZKAMM_CHECK(check_trader(from));
  if (to >= accounts_.size()) return fail(StateError::kUnknownAccount);
  if (ff::is_zero(amount)) return fail(StateError::kZeroAmount);
  ZKAMM_CHECK(can_debit(from, token, amount));
  if (from == to) return kOk;
  ZKAMM_CHECK(can_credit(to, token, amount));
  debit(from, token, amount);
  credit(to, token, amount);
  return kOk;
}

Status State::bump_nonce(AccountIndex index) {
  if (index >= accounts_.size()) return fail(StateError::kUnknownAccount);
  ++accounts_[index].nonce;
  return kOk;
}

Status State::create_pool(TokenId token_a, TokenId token_b, TokenId& lp_token) {
  if (token_a == token_b) return fail(StateError::kIdenticalTokens);
  const Token* a = token(token_a);
  const Token* b = token(token_b);
  if (a == nullptr || b == nullptr) return fail(StateError::kUnknownToken);
  if (a->is_lp || b->is_lp) return fail(StateError::kLpTokenInPool);
  if (pool(token_a, token_b) != nullptr) return fail(StateError::kPoolExists);
  if (pool_pairs_.size() >= kMaxPools) return fail(StateError::kCapacity);
  lp_token = static_cast<TokenId>(kFirstLpToken + pool_pairs_.size());
  lp_tokens_.push_back(Token{lp_token, L1Address{}, true});
  Pool p;
  p.token0 = std::min(token_a, token_b);
  p.token1 = std::max(token_a, token_b);
  p.lp_token = lp_token;
  pools_.emplace(std::pair{p.token0, p.token1}, p);
  pool_pairs_.emplace_back(p.token0, p.token1);
  return kOk;
}

Status State::add_liquidity(AccountIndex account, TokenId token_a, TokenId token_b, const U256& amount_a_desired,
                            const U256& amount_b_desired, const U256& amount_a_min, const U256& amount_b_min,
                            AddLiquidityReceipt& receipt) {
  ZKAMM_CHECK(check_trader(account));
  for (const U256* v : {&amount_a_desired, &amount_b_desired, &amount_a_min, &amount_b_min}) {
    ZKAMM_CHECK(check_amount(*v));
  }
  Pool* p = find_pool(token_a, token_b);
  if (p == nullptr) return fail(StateError::kPoolNotFound);
  const bool a_is_0 = p->token0 == token_a;
  // Router02 prices from token A's side (reserves sorted to A/B), not the pool's token0.
  U256 amount_a, amount_b;
  const AmmError e = add_liquidity_amounts(a_is_0 ? p->reserve0 : p->reserve1, a_is_0 ? p->reserve1 : p->reserve0,
                                           amount_a_desired, amount_b_desired, amount_a_min, amount_b_min, amount_a,
                                           amount_b);
  if (e != AmmError::kOk) return amm_fail(e);
  return a_is_0 ? mint(account, *p, amount_a, amount_b, true, receipt) : mint(account, *p, amount_b, amount_a, false, receipt);
}

Status State::add_liquidity_exact(AccountIndex account, TokenId token_a, TokenId token_b, const U256& amount_a,
                                  const U256& amount_b, AddLiquidityReceipt& receipt) {
  ZKAMM_CHECK(check_trader(account));
  ZKAMM_CHECK(check_amount(amount_a));
  ZKAMM_CHECK(check_amount(amount_b));
  Pool* p = find_pool(token_a, token_b);
  if (p == nullptr) return fail(StateError::kPoolNotFound);
  const bool a_is_0 = p->token0 == token_a;
  return a_is_0 ? mint(account, *p, amount_a, amount_b, true, receipt) : mint(account, *p, amount_b, amount_a, false, receipt);
}

Status State::mint(AccountIndex account, Pool& p, const U256& amount0, const U256& amount1, bool a_is_0,
                   AddLiquidityReceipt& receipt) {
  // The router pulls the amounts from the provider before the pair mints.
  ZKAMM_CHECK(can_debit(account, p.token0, amount0));
  ZKAMM_CHECK(can_debit(account, p.token1, amount1));
  MintOutcome minted;
  const AmmError m = pair_mint(p, amount0, amount1, minted);
  if (m != AmmError::kOk) return amm_fail(m);
  ZKAMM_CHECK(can_credit(account, p.lp_token, minted.liquidity));
  ZKAMM_CHECK(can_credit(kReservedAccount, p.lp_token, minted.locked));
  debit(account, p.token0, amount0);
  debit(account, p.token1, amount1);
  credit(account, p.lp_token, minted.liquidity);
  credit(kReservedAccount, p.lp_token, minted.locked);
  p = minted.pool;
  receipt.amount_a = a_is_0 ? amount0 : amount1;
  receipt.amount_b = a_is_0 ? amount1 : amount0;
  receipt.liquidity = minted.liquidity;
  return kOk;
}

Status State::remove_liquidity(AccountIndex account, TokenId token_a, TokenId token_b, const U256& liquidity,
                               const U256& amount_a_min, const U256& amount_b_min, RemoveLiquidityReceipt& receipt) {
  ZKAMM_CHECK(check_trader(account));
  for (const U256* v : {&liquidity, &amount_a_min, &amount_b_min}) ZKAMM_CHECK(check_amount(*v));
  Pool* p = find_pool(token_a, token_b);
  if (p == nullptr) return fail(StateError::kPoolNotFound);
  ZKAMM_CHECK(can_debit(account, p->lp_token, liquidity));  // transferFrom to the pair comes first
  const bool a_is_0 = p->token0 == token_a;
  BurnOutcome out;
  const AmmError e = state::remove_liquidity(*p, a_is_0, liquidity, amount_a_min, amount_b_min, out);
  if (e != AmmError::kOk) return amm_fail(e);
  ZKAMM_CHECK(can_credit(account, p->token0, out.amount0));
  ZKAMM_CHECK(can_credit(account, p->token1, out.amount1));
  debit(account, p->lp_token, liquidity);
  credit(account, p->token0, out.amount0);
  credit(account, p->token1, out.amount1);
  *p = out.pool;
  receipt.amount_a = a_is_0 ? out.amount0 : out.amount1;
  receipt.amount_b = a_is_0 ? out.amount1 : out.amount0;
  return kOk;
}


Status State::exit_lp(AccountIndex account, uint32_t pool_id, LpExitReceipt& receipt) {
  ZKAMM_CHECK(check_trader(account));
  if (pool_id >= pool_pairs_.size()) return fail(StateError::kPoolNotFound);
  Pool& p = pools_.at(pool_pairs_[pool_id]);
  const U256 liquidity = accounts_[account].balance(p.lp_token);
  receipt = LpExitReceipt{liquidity, {}, {}};
  if (ff::is_zero(liquidity)) return kOk;  // the pool may be empty (total_supply 0)
  // liquidity <= total_supply - MINIMUM_LIQUIDITY (account 0 holds the locked part), so the
  // amounts are below the reserves and nothing here fails.
  BurnOutcome out;
  const AmmError e = pro_rata_burn(p, liquidity, out);
  if (e != AmmError::kOk) return amm_fail(e);
  debit(account, p.lp_token, liquidity);
  p = out.pool;
  receipt = LpExitReceipt{liquidity, out.amount0, out.amount1};
  return kOk;
}

Status State::swap(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount,
                   const U256& limit, bool exact_in, SwapReceipt& receipt) {
  ZKAMM_CHECK(check_trader(account));
  ZKAMM_CHECK(check_amount(amount));
  ZKAMM_CHECK(check_amount(limit));
  if (token_in == token_out) return fail(StateError::kIdenticalTokens);
  Pool* p = find_pool(token_in, token_out);
  if (p == nullptr) return fail(StateError::kPoolNotFound);
  const bool zero_for_one = p->token0 == token_in;
  const U256& reserve_in = zero_for_one ? p->reserve0 : p->reserve1;
  const U256& reserve_out = zero_for_one ? p->reserve1 : p->reserve0;
  // Router02 order: amounts from the library, the limit check, the transfer in, pair.swap.
  U256 amount_in, amount_out;
  if (exact_in) {
    amount_in = amount;
    const AmmError e = get_amount_out(amount_in, reserve_in, reserve_out, amount_out);
    if (e != AmmError::kOk) return amm_fail(e);
    if (ff::less_than(amount_out, limit)) return amm_fail(AmmError::kRouterInsufficientOutputAmount);
  } else {
    amount_out = amount;
    const AmmError e = get_amount_in(amount_out, reserve_in, reserve_out, amount_in);
    if (e != AmmError::kOk) return amm_fail(e);
    if (ff::less_than(limit, amount_in)) return amm_fail(AmmError::kRouterExcessiveInputAmount);
  }
  ZKAMM_CHECK(can_debit(account, token_in, amount_in));
  const U256 zero{};
  Pool after;
  const AmmError e = zero_for_one ? pair_swap(*p, amount_in, zero, zero, amount_out, after)
                                  : pair_swap(*p, zero, amount_in, amount_out, zero, after);
  if (e != AmmError::kOk) return amm_fail(e);
  ZKAMM_CHECK(can_credit(account, token_out, amount_out));
  debit(account, token_in, amount_in);
  credit(account, token_out, amount_out);
  *p = after;
  receipt.amount_in = amount_in;
  receipt.amount_out = amount_out;
  return kOk;
}

Status State::swap_exact_in(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount_in,
                            const U256& amount_out_min, SwapReceipt& receipt) {
  return swap(account, token_in, token_out, amount_in, amount_out_min, true, receipt);
}

Status State::swap_exact_out(AccountIndex account, TokenId token_in, TokenId token_out, const U256& amount_out,
                             const U256& amount_in_max, SwapReceipt& receipt) {
  return swap(account, token_in, token_out, amount_out, amount_in_max, false, receipt);
}

#undef ZKAMM_CHECK

}  // namespace zkamm::state
