#include "state/amm.hpp"

namespace zkamm::state {
namespace {

// SafeMath wrappers: the first failing operation decides the error, as in the contracts.
#define ZKAMM_TRY(expr)                          \
  do {                                           \
    const AmmError zkamm_e_ = (expr);            \
    if (zkamm_e_ != AmmError::kOk) return zkamm_e_; \
  } while (0)

AmmError add(U256& out, const U256& a, const U256& b) noexcept {
  return checked_add(out, a, b) ? AmmError::kOk : AmmError::kAddOverflow;
}
AmmError sub(U256& out, const U256& a, const U256& b) noexcept {
  return checked_sub(out, a, b) ? AmmError::kOk : AmmError::kSubUnderflow;
}
AmmError mul(U256& out, const U256& a, const U256& b) noexcept {
  return checked_mul(out, a, b) ? AmmError::kOk : AmmError::kMulOverflow;
}
AmmError divide(U256& out, const U256& a, const U256& b) noexcept {
  if (ff::is_zero(b)) return AmmError::kDivisionByZero;
  out = div(a, b);
  return AmmError::kOk;
}

/// UniswapV2Pair._update's "require(balance <= uint112(-1))".
AmmError check_reserves(const U256& balance0, const U256& balance1) noexcept {
  if (ff::less_than(kMaxUint112, balance0) || ff::less_than(kMaxUint112, balance1)) return AmmError::kPairOverflow;
  return AmmError::kOk;
}

const U256 k997 = u256(997);
const U256 k1000 = u256(1000);
const U256 k3 = u256(3);
const U256 k1000000 = u256(1000000);

}  // namespace

std::string_view revert_reason(AmmError e) noexcept {
  switch (e) {
    case AmmError::kOk: return "";
    case AmmError::kAddOverflow: return "ds-math-add-overflow";
    case AmmError::kSubUnderflow: return "ds-math-sub-underflow";
    case AmmError::kMulOverflow: return "ds-math-mul-overflow";
    case AmmError::kDivisionByZero: return "";
    case AmmError::kPairInsufficientLiquidityMinted: return "UniswapV2: INSUFFICIENT_LIQUIDITY_MINTED";
    case AmmError::kPairInsufficientLiquidityBurned: return "UniswapV2: INSUFFICIENT_LIQUIDITY_BURNED";
    case AmmError::kPairInsufficientOutputAmount: return "UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT";
    case AmmError::kPairInsufficientLiquidity: return "UniswapV2: INSUFFICIENT_LIQUIDITY";
    case AmmError::kPairInsufficientInputAmount: return "UniswapV2: INSUFFICIENT_INPUT_AMOUNT";
    case AmmError::kPairK: return "UniswapV2: K";
    case AmmError::kPairOverflow: return "UniswapV2: OVERFLOW";
    case AmmError::kLibInsufficientAmount: return "UniswapV2Library: INSUFFICIENT_AMOUNT";
    case AmmError::kLibInsufficientInputAmount: return "UniswapV2Library: INSUFFICIENT_INPUT_AMOUNT";
    case AmmError::kLibInsufficientOutputAmount: return "UniswapV2Library: INSUFFICIENT_OUTPUT_AMOUNT";
    case AmmError::kLibInsufficientLiquidity: return "UniswapV2Library: INSUFFICIENT_LIQUIDITY";
    case AmmError::kLibInvalidPath: return "UniswapV2Library: INVALID_PATH";
    case AmmError::kRouterInsufficientAAmount: return "UniswapV2Router: INSUFFICIENT_A_AMOUNT";
    case AmmError::kRouterInsufficientBAmount: return "UniswapV2Router: INSUFFICIENT_B_AMOUNT";
    case AmmError::kRouterInsufficientOutputAmount: return "UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT";
    case AmmError::kRouterExcessiveInputAmount: return "UniswapV2Router: EXCESSIVE_INPUT_AMOUNT";
  }
  return "";
}

std::string_view describe(AmmError e) noexcept {
  if (e == AmmError::kDivisionByZero)
    return "division by zero (an empty reserve or LP supply, or an exact-out swap asking for the whole reserve; "
           "the contracts revert with no reason string)";
  return revert_reason(e);
}

AmmError quote(const U256& amount_a, const U256& reserve_a, const U256& reserve_b, U256& amount_b) noexcept {
  if (ff::is_zero(amount_a)) return AmmError::kLibInsufficientAmount;
  if (ff::is_zero(reserve_a) || ff::is_zero(reserve_b)) return AmmError::kLibInsufficientLiquidity;
  U256 t;
  ZKAMM_TRY(mul(t, amount_a, reserve_b));
  return divide(amount_b, t, reserve_a);
}

AmmError get_amount_out(const U256& amount_in, const U256& reserve_in, const U256& reserve_out,
                        U256& amount_out) noexcept {
  if (ff::is_zero(amount_in)) return AmmError::kLibInsufficientInputAmount;
  if (ff::is_zero(reserve_in) || ff::is_zero(reserve_out)) return AmmError::kLibInsufficientLiquidity;
  U256 in_with_fee, numerator, denominator;
  ZKAMM_TRY(mul(in_with_fee, amount_in, k997));
  ZKAMM_TRY(mul(numerator, in_with_fee, reserve_out));
  ZKAMM_TRY(mul(denominator, reserve_in, k1000));
  ZKAMM_TRY(add(denominator, denominator, in_with_fee));
  return divide(amount_out, numerator, denominator);
}

AmmError get_amount_in(const U256& amount_out, const U256& reserve_in, const U256& reserve_out,
                       U256& amount_in) noexcept {
  if (ff::is_zero(amount_out)) return AmmError::kLibInsufficientOutputAmount;
  if (ff::is_zero(reserve_in) || ff::is_zero(reserve_out)) return AmmError::kLibInsufficientLiquidity;
  U256 numerator, denominator, q;
  ZKAMM_TRY(mul(numerator, reserve_in, amount_out));
  ZKAMM_TRY(mul(numerator, numerator, k1000));
  ZKAMM_TRY(sub(denominator, reserve_out, amount_out));
  ZKAMM_TRY(mul(denominator, denominator, k997));
  ZKAMM_TRY(divide(q, numerator, denominator));  // amountOut == reserveOut divides by zero
  return add(amount_in, q, u256(1));
}

AmmError get_amounts_out(const U256& amount_in, std::span<const Hop> hops, std::span<U256> amounts) noexcept {
  if (hops.empty() || amounts.size() != hops.size() + 1) return AmmError::kLibInvalidPath;
  amounts[0] = amount_in;
  for (size_t i = 0; i < hops.size(); ++i) {
    ZKAMM_TRY(get_amount_out(amounts[i], hops[i].reserve_in, hops[i].reserve_out, amounts[i + 1]));
  }
  return AmmError::kOk;
}

AmmError get_amounts_in(const U256& amount_out, std::span<const Hop> hops, std::span<U256> amounts) noexcept {
  if (hops.empty() || amounts.size() != hops.size() + 1) return AmmError::kLibInvalidPath;
  amounts[hops.size()] = amount_out;
  for (size_t i = hops.size(); i > 0; --i) {
    ZKAMM_TRY(get_amount_in(amounts[i], hops[i - 1].reserve_in, hops[i - 1].reserve_out, amounts[i - 1]));
  }
  return AmmError::kOk;
}

AmmError pair_mint(const Pool& pool, const U256& amount0, const U256& amount1, MintOutcome& out) noexcept {
  U256 balance0, balance1;
  ZKAMM_TRY(add(balance0, pool.reserve0, amount0));  // the ERC-20 balance after the transfers in
  ZKAMM_TRY(add(balance1, pool.reserve1, amount1));
  U256 liquidity, locked{};
  if (ff::is_zero(pool.total_supply)) {
    U256 product;
    ZKAMM_TRY(mul(product, amount0, amount1));
    ZKAMM_TRY(sub(liquidity, isqrt(product), u256(kMinimumLiquidity)));
    locked = u256(kMinimumLiquidity);
  } else {
    U256 t0, t1, l0, l1;
    ZKAMM_TRY(mul(t0, amount0, pool.total_supply));
    ZKAMM_TRY(divide(l0, t0, pool.reserve0));
    ZKAMM_TRY(mul(t1, amount1, pool.total_supply));
    ZKAMM_TRY(divide(l1, t1, pool.reserve1));
    liquidity = min(l0, l1);
  }
  if (ff::is_zero(liquidity)) return AmmError::kPairInsufficientLiquidityMinted;
  U256 supply;
  ZKAMM_TRY(add(supply, pool.total_supply, locked));  // _mint(address(0), MINIMUM_LIQUIDITY)
  ZKAMM_TRY(add(supply, supply, liquidity));           // _mint(to, liquidity)
  ZKAMM_TRY(check_reserves(balance0, balance1));
  out.pool = pool;
  out.pool.reserve0 = balance0;
  out.pool.reserve1 = balance1;
  out.pool.total_supply = supply;
  out.liquidity = liquidity;
  out.locked = locked;
  return AmmError::kOk;
}

AmmError pair_burn(const Pool& pool, const U256& liquidity, BurnOutcome& out) noexcept {
  BurnOutcome o;
  ZKAMM_TRY(pro_rata_burn(pool, liquidity, o));
  if (ff::is_zero(o.amount0) || ff::is_zero(o.amount1)) return AmmError::kPairInsufficientLiquidityBurned;
  out = o;
  return AmmError::kOk;
}

AmmError pro_rata_burn(const Pool& pool, const U256& liquidity, BurnOutcome& out) noexcept {
  U256 t0, t1, amount0, amount1;
  ZKAMM_TRY(mul(t0, liquidity, pool.reserve0));
  ZKAMM_TRY(divide(amount0, t0, pool.total_supply));
  ZKAMM_TRY(mul(t1, liquidity, pool.reserve1));
  ZKAMM_TRY(divide(amount1, t1, pool.total_supply));
  U256 supply, balance0, balance1;
  ZKAMM_TRY(sub(supply, pool.total_supply, liquidity));  // _burn(address(this), liquidity)
  ZKAMM_TRY(sub(balance0, pool.reserve0, amount0));
  ZKAMM_TRY(sub(balance1, pool.reserve1, amount1));
  out.pool = pool;
  out.pool.reserve0 = balance0;
  out.pool.reserve1 = balance1;
  out.pool.total_supply = supply;
  out.amount0 = amount0;
  out.amount1 = amount1;
  return AmmError::kOk;
}

AmmError pair_swap(const Pool& pool, const U256& amount0_in, const U256& amount1_in, const U256& amount0_out,
                   const U256& amount1_out, Pool& out) noexcept {
  if (ff::is_zero(amount0_out) && ff::is_zero(amount1_out)) return AmmError::kPairInsufficientOutputAmount;
  if (!ff::less_than(amount0_out, pool.reserve0) || !ff::less_than(amount1_out, pool.reserve1)) {
    return AmmError::kPairInsufficientLiquidity;
  }
  // balance = reserve + in - out; the pair derives amountIn back from it, which gives `in` again.
  U256 balance0, balance1;
  ZKAMM_TRY(add(balance0, pool.reserve0, amount0_in));
  ZKAMM_TRY(add(balance1, pool.reserve1, amount1_in));
  ZKAMM_TRY(sub(balance0, balance0, amount0_out));
  ZKAMM_TRY(sub(balance1, balance1, amount1_out));
  if (ff::is_zero(amount0_in) && ff::is_zero(amount1_in)) return AmmError::kPairInsufficientInputAmount;
  U256 adjusted0, adjusted1, fee0, fee1, lhs, rhs;
  ZKAMM_TRY(mul(adjusted0, balance0, k1000));
  ZKAMM_TRY(mul(fee0, amount0_in, k3));
  ZKAMM_TRY(sub(adjusted0, adjusted0, fee0));
  ZKAMM_TRY(mul(adjusted1, balance1, k1000));
  ZKAMM_TRY(mul(fee1, amount1_in, k3));
  ZKAMM_TRY(sub(adjusted1, adjusted1, fee1));
  ZKAMM_TRY(mul(lhs, adjusted0, adjusted1));
  ZKAMM_TRY(mul(rhs, pool.reserve0, pool.reserve1));
  ZKAMM_TRY(mul(rhs, rhs, k1000000));
  if (ff::less_than(lhs, rhs)) return AmmError::kPairK;
  ZKAMM_TRY(check_reserves(balance0, balance1));
  out = pool;
  out.reserve0 = balance0;
  out.reserve1 = balance1;
  return AmmError::kOk;
}

AmmError add_liquidity_amounts(const U256& reserve_a, const U256& reserve_b, const U256& amount_a_desired,
                               const U256& amount_b_desired, const U256& amount_a_min, const U256& amount_b_min,
                               U256& amount_a, U256& amount_b) noexcept {
  if (ff::is_zero(reserve_a) && ff::is_zero(reserve_b)) {
    amount_a = amount_a_desired;
    amount_b = amount_b_desired;
    return AmmError::kOk;
  }
  // A's side first, as the router: when both (a_des, b_opt) and (a_opt, b_des) fit, the router
  // takes all of A; a desired A of 0 fails in quote before anything else.
  U256 amount_b_optimal;
  ZKAMM_TRY(quote(amount_a_desired, reserve_a, reserve_b, amount_b_optimal));
  if (!ff::less_than(amount_b_desired, amount_b_optimal)) {
    if (ff::less_than(amount_b_optimal, amount_b_min)) return AmmError::kRouterInsufficientBAmount;
    amount_a = amount_a_desired;
    amount_b = amount_b_optimal;
    return AmmError::kOk;
  }
  U256 amount_a_optimal;
  ZKAMM_TRY(quote(amount_b_desired, reserve_b, reserve_a, amount_a_optimal));
  // The router asserts amount_a_optimal <= amount_a_desired; it always holds here: b_des <
  // floor(a_des*r_b/r_a) gives b_des*r_a < a_des*r_b, so floor(b_des*r_a/r_b) < a_des.
  if (ff::less_than(amount_a_optimal, amount_a_min)) return AmmError::kRouterInsufficientAAmount;
  amount_a = amount_a_optimal;
  amount_b = amount_b_desired;
  return AmmError::kOk;
}

AmmError add_liquidity(const Pool& pool, bool a_is_token0, const U256& amount_a_desired, const U256& amount_b_desired,
                       const U256& amount_a_min, const U256& amount_b_min, AddLiquidityOutcome& out) noexcept {
  const U256& reserve_a = a_is_token0 ? pool.reserve0 : pool.reserve1;
  const U256& reserve_b = a_is_token0 ? pool.reserve1 : pool.reserve0;
  U256 amount_a, amount_b;
  ZKAMM_TRY(add_liquidity_amounts(reserve_a, reserve_b, amount_a_desired, amount_b_desired, amount_a_min,
                                  amount_b_min, amount_a, amount_b));
  ZKAMM_TRY(a_is_token0 ? pair_mint(pool, amount_a, amount_b, out.mint) : pair_mint(pool, amount_b, amount_a, out.mint));
  out.amount_a = amount_a;
  out.amount_b = amount_b;
  return AmmError::kOk;
}

AmmError remove_liquidity(const Pool& pool, bool a_is_token0, const U256& liquidity, const U256& amount_a_min,
                          const U256& amount_b_min, BurnOutcome& out) noexcept {
  BurnOutcome burn;
  ZKAMM_TRY(pair_burn(pool, liquidity, burn));
  const U256& amount_a = a_is_token0 ? burn.amount0 : burn.amount1;
  const U256& amount_b = a_is_token0 ? burn.amount1 : burn.amount0;
  if (ff::less_than(amount_a, amount_a_min)) return AmmError::kRouterInsufficientAAmount;
  if (ff::less_than(amount_b, amount_b_min)) return AmmError::kRouterInsufficientBAmount;
  out = burn;
  return AmmError::kOk;
}

/// Sends amount_in to the pair and takes amount_out through pair.swap, as the router does once
/// it has priced a hop; both swap directions of the router end here.
static AmmError settle_swap(const Pool& pool, bool zero_for_one, const U256& amount_in, const U256& amount_out,
                            SwapOutcome& out) noexcept {
  const U256 zero{};
  Pool after;
  ZKAMM_TRY(zero_for_one ? pair_swap(pool, amount_in, zero, zero, amount_out, after)
                         : pair_swap(pool, zero, amount_in, amount_out, zero, after));
  out.pool = after;
  out.amount_in = amount_in;
  out.amount_out = amount_out;
  return AmmError::kOk;
}

AmmError swap_exact_in(const Pool& pool, bool zero_for_one, const U256& amount_in, const U256& amount_out_min,
                       SwapOutcome& out) noexcept {
  const U256& reserve_in = zero_for_one ? pool.reserve0 : pool.reserve1;
  const U256& reserve_out = zero_for_one ? pool.reserve1 : pool.reserve0;
  U256 amount_out;
  ZKAMM_TRY(get_amount_out(amount_in, reserve_in, reserve_out, amount_out));
  if (ff::less_than(amount_out, amount_out_min)) return AmmError::kRouterInsufficientOutputAmount;
  return settle_swap(pool, zero_for_one, amount_in, amount_out, out);
}

AmmError swap_exact_out(const Pool& pool, bool zero_for_one, const U256& amount_out, const U256& amount_in_max,
                        SwapOutcome& out) noexcept {
  const U256& reserve_in = zero_for_one ? pool.reserve0 : pool.reserve1;
  const U256& reserve_out = zero_for_one ? pool.reserve1 : pool.reserve0;
  U256 amount_in;
  ZKAMM_TRY(get_amount_in(amount_out, reserve_in, reserve_out, amount_in));
  if (ff::less_than(amount_in_max, amount_in)) return AmmError::kRouterExcessiveInputAmount;
  return settle_swap(pool, zero_for_one, amount_in, amount_out, out);
}

#undef ZKAMM_TRY

}  // namespace zkamm::state
