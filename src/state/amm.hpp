#pragma once
// Uniswap V2 maths, reproducing to the wei (and to the revert) the contracts
// UniswapV2Pair (v2-core 1.0.1: mint, burn, swap), UniswapV2Library (quote, getAmountOut,
// getAmountIn) and UniswapV2Router02 (_addLiquidity, removeLiquidity, swapExactTokensForTokens,
// swapTokensForExactTokens). Source: github.com/Uniswap/v2-core and v2-periphery.
//
// Differences that are deliberate and do not change any amount:
// - no protocol fee: the factory's feeTo is off (as on a fresh factory), so _mintFee never mints
//   and kLast is not kept;
// - no price oracle: the cumulative prices and block timestamp do not affect any amount;
// - the pool's token balances always equal its reserves (no donations on the L2), so the
//   pair's "balance - reserve" amounts are the amounts passed in.
// Checks run in the contracts' order, so the first failing check gives the same error.
#include <cstdint>
#include <span>
#include <string_view>

#include "state/uint.hpp"

namespace zkamm::state {

/// Every way an AMM operation can fail, one per distinct revert reason of the contracts.
enum class [[nodiscard]] AmmError : uint8_t {
  kOk = 0,
  // SafeMath (ds-math) in the pair and the library.
  kAddOverflow,
  kSubUnderflow,
  kMulOverflow,
  kDivisionByZero,  // Solidity 0.5/0.6 division by zero: invalid opcode, no reason string
  // UniswapV2Pair.
  kPairInsufficientLiquidityMinted,
  kPairInsufficientLiquidityBurned,
  kPairInsufficientOutputAmount,
  kPairInsufficientLiquidity,
  kPairInsufficientInputAmount,
  kPairK,
  kPairOverflow,
  // UniswapV2Library.
  kLibInsufficientAmount,
  kLibInsufficientInputAmount,
  kLibInsufficientOutputAmount,
  kLibInsufficientLiquidity,
  kLibInvalidPath,
  // UniswapV2Router02.
  kRouterInsufficientAAmount,
  kRouterInsufficientBAmount,
  kRouterInsufficientOutputAmount,
  kRouterExcessiveInputAmount,
};

/// The contracts' revert string for an error ("" for kOk and kDivisionByZero).
std::string_view revert_reason(AmmError e) noexcept;
/// A reason for people and reject messages: the revert string, or for kDivisionByZero (which
/// the contracts revert on with no string) what divided by zero. "" for kOk only.
std::string_view describe(AmmError e) noexcept;

/// UniswapV2Pair.MINIMUM_LIQUIDITY: LP tokens locked forever at address(0) by the first mint.
inline constexpr uint64_t kMinimumLiquidity = 1000;

/// One pair's state. token0 < token1 (Uniswap sorts by address, the L2 by token id); the LP token
/// is an ordinary token id. total_supply includes the locked MINIMUM_LIQUIDITY.
struct Pool {
  uint32_t token0 = 0;
  uint32_t token1 = 0;
  uint32_t lp_token = 0;
  U256 reserve0{};
  U256 reserve1{};
  U256 total_supply{};

  friend bool operator==(const Pool&, const Pool&) = default;
};

// ---- UniswapV2Library ----------------------------------------------------------------------

/// amountA * reserveB / reserveA.
AmmError quote(const U256& amount_a, const U256& reserve_a, const U256& reserve_b, U256& amount_b) noexcept;
/// amountIn*997*reserveOut / (reserveIn*1000 + amountIn*997).
AmmError get_amount_out(const U256& amount_in, const U256& reserve_in, const U256& reserve_out,
                        U256& amount_out) noexcept;
/// reserveIn*amountOut*1000 / ((reserveOut-amountOut)*997) + 1.
AmmError get_amount_in(const U256& amount_out, const U256& reserve_in, const U256& reserve_out,
                       U256& amount_in) noexcept;

/// One hop of a multi-hop path: the reserves of its pool seen from the input side.
struct Hop {
  U256 reserve_in;
  U256 reserve_out;
};
/// UniswapV2Library.getAmountsOut: amounts[0] = amount_in, amounts[i+1] = out of hop i;
/// amounts.size() == hops.size() + 1 (hops empty: INVALID_PATH).
AmmError get_amounts_out(const U256& amount_in, std::span<const Hop> hops, std::span<U256> amounts) noexcept;
/// UniswapV2Library.getAmountsIn: amounts.back() = amount_out, walking the path backwards.
AmmError get_amounts_in(const U256& amount_out, std::span<const Hop> hops, std::span<U256> amounts) noexcept;

// ---- UniswapV2Pair (pool in, new pool out; `pool` is never modified) ------------------------

struct MintOutcome {
  Pool pool;
  U256 liquidity;  ///< minted to the provider
  U256 locked;     ///< minted to account 0: MINIMUM_LIQUIDITY on the first mint, else 0
};
/// pair.mint after amount0/amount1 were sent to the pair.
AmmError pair_mint(const Pool& pool, const U256& amount0, const U256& amount1, MintOutcome& out) noexcept;

struct BurnOutcome {
  Pool pool;
  U256 amount0;
  U256 amount1;
};
/// pair.burn after `liquidity` LP tokens were sent to the pair.
AmmError pair_burn(const Pool& pool, const U256& liquidity, BurnOutcome& out) noexcept;
/// pair.burn's pro-rata amounts and pool without its INSUFFICIENT_LIQUIDITY_BURNED check (either
/// amount may be 0): the forced exit of an LP position (State::exit_lp).
AmmError pro_rata_burn(const Pool& pool, const U256& liquidity, BurnOutcome& out) noexcept;

/// pair.swap(amount0Out, amount1Out) after amount0In/amount1In were sent to the pair (the K check
/// with the 0.3% fee on the input side).
AmmError pair_swap(const Pool& pool, const U256& amount0_in, const U256& amount1_in, const U256& amount0_out,
                   const U256& amount1_out, Pool& out) noexcept;

// ---- UniswapV2Router02, one hop ------------------------------------------------------------
// The router is called with (tokenA, tokenB) in the caller's order and computes from A's side;
// since quote rounds down, the caller's order changes the amounts (and the revert), so the
// liquidity functions take the caller's order and say which of the pool's tokens is A.

/// Router02._addLiquidity: the amounts the router takes from the provider, in the caller's
/// order, from the pool's reserves of token A and token B (UniswapV2Library.getReserves sorted
/// to (reserveA, reserveB)).
AmmError add_liquidity_amounts(const U256& reserve_a, const U256& reserve_b, const U256& amount_a_desired,
                               const U256& amount_b_desired, const U256& amount_a_min, const U256& amount_b_min,
                               U256& amount_a, U256& amount_b) noexcept;

struct AddLiquidityOutcome {
  MintOutcome mint;
  U256 amount_a;  ///< taken from the provider, caller order
  U256 amount_b;
};
/// Router02.addLiquidity(tokenA, tokenB, ...) on an existing pool; a_is_token0: token A is the
/// pool's token0.
AmmError add_liquidity(const Pool& pool, bool a_is_token0, const U256& amount_a_desired, const U256& amount_b_desired,
                       const U256& amount_a_min, const U256& amount_b_min, AddLiquidityOutcome& out) noexcept;

/// Router02.removeLiquidity(tokenA, tokenB, ...): pair.burn, then amountA >= amountAMin, then
/// amountB >= amountBMin (caller order). out's amounts stay in pool order.
AmmError remove_liquidity(const Pool& pool, bool a_is_token0, const U256& liquidity, const U256& amount_a_min,
                          const U256& amount_b_min, BurnOutcome& out) noexcept;

struct SwapOutcome {
  Pool pool;
  U256 amount_in;
  U256 amount_out;
};
/// Router02.swapExactTokensForTokens over this one pool; zero_for_one: token0 in, token1 out.
AmmError swap_exact_in(const Pool& pool, bool zero_for_one, const U256& amount_in, const U256& amount_out_min,
                       SwapOutcome& out) noexcept;
/// Router02.swapTokensForExactTokens over this one pool.
AmmError swap_exact_out(const Pool& pool, bool zero_for_one, const U256& amount_out, const U256& amount_in_max,
                        SwapOutcome& out) noexcept;

}  // namespace zkamm::state
