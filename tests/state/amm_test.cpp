// Uniswap V2 maths at edge values. Known answers marked "anvil" come from the real contracts
// (docs: shared/design/TOOLING-NOTES.md); the rest follow from the contracts' source and are
// self-generated expectations (the random cross-check against the contracts is amm_diff_test).
#include <gtest/gtest.h>

#include <random>

#include "state/amm.hpp"
#include "state/u256_test_util.hpp"

namespace zkamm::state {
namespace {

using test_util::dec;
using test_util::k2pow128;
using test_util::kZero;

U256 add_u(const U256& a, const U256& b) {
  U256 r;
  EXPECT_TRUE(checked_add(r, a, b));
  return r;
}
U256 sub_u(const U256& a, const U256& b) {
  U256 r;
  EXPECT_TRUE(checked_sub(r, a, b));
  return r;
}
const U256 k2pow112{0, 1ULL << 48, 0, 0};

Pool pool_with(const U256& r0, const U256& r1) {
  Pool p{1, 2, 3, {}, {}, {}};
  MintOutcome m;
  EXPECT_EQ(pair_mint(p, r0, r1, m), AmmError::kOk);
  return m.pool;
}

TEST(Amm, KnownAnswersFromAnvil) {
  const U256 r0 = dec("1000000000000000000000"), r1 = dec("4000000000000000000000");
  MintOutcome m;
  ASSERT_EQ(pair_mint(Pool{1, 2, 3, {}, {}, {}}, r0, r1, m), AmmError::kOk);
  EXPECT_EQ(m.liquidity, dec("1999999999999999999000"));  // anvil
  EXPECT_EQ(m.locked, u256(kMinimumLiquidity));
  EXPECT_EQ(m.pool.total_supply, dec("2000000000000000000000"));
  U256 out;
  ASSERT_EQ(get_amount_out(dec("10000000000000000000"), r0, r1, out), AmmError::kOk);
  EXPECT_EQ(out, dec("39486321375882451954"));  // anvil
  SwapOutcome s;
  ASSERT_EQ(swap_exact_in(m.pool, true, dec("10000000000000000000"), out, s), AmmError::kOk);
  EXPECT_EQ(s.pool.reserve0, dec("1010000000000000000000"));
  EXPECT_EQ(s.pool.reserve1, dec("3960513678624117548046"));  // anvil (oracle smoke run)
}

TEST(Amm, LibraryErrors) {
  U256 v;
  EXPECT_EQ(get_amount_out(kZero, u256(1), u256(1), v), AmmError::kLibInsufficientInputAmount);
  EXPECT_EQ(get_amount_out(u256(1), kZero, u256(1), v), AmmError::kLibInsufficientLiquidity);
  EXPECT_EQ(get_amount_out(u256(1), u256(1), kZero, v), AmmError::kLibInsufficientLiquidity);
  EXPECT_EQ(get_amount_in(kZero, u256(1), u256(1), v), AmmError::kLibInsufficientOutputAmount);
  EXPECT_EQ(get_amount_in(u256(1), kZero, u256(1), v), AmmError::kLibInsufficientLiquidity);
  EXPECT_EQ(get_amount_in(u256(5), u256(5), u256(5), v), AmmError::kDivisionByZero);  // amountOut == reserveOut
  EXPECT_EQ(get_amount_in(u256(6), u256(5), u256(5), v), AmmError::kSubUnderflow);
  EXPECT_EQ(quote(kZero, u256(1), u256(1), v), AmmError::kLibInsufficientAmount);
  EXPECT_EQ(quote(u256(1), kZero, u256(1), v), AmmError::kLibInsufficientLiquidity);
  // SafeMath overflow of amountIn * 997 * reserveOut with amounts beyond the L2's limits.
  EXPECT_EQ(get_amount_out(U256{0, 0, 0, 1ULL << 60}, u256(1), u256(1), v), AmmError::kMulOverflow);
  EXPECT_EQ(get_amount_out(k2pow128, u256(1), U256{0, 0, 1ULL << 40, 0}, v), AmmError::kMulOverflow);
  EXPECT_EQ(revert_reason(AmmError::kPairK), "UniswapV2: K");
  EXPECT_EQ(revert_reason(AmmError::kLibInsufficientLiquidity), "UniswapV2Library: INSUFFICIENT_LIQUIDITY");
}

TEST(Amm, FirstMintEdges) {
  const Pool empty{1, 2, 3, {}, {}, {}};
  MintOutcome m;
  EXPECT_EQ(pair_mint(empty, u256(999), u256(1000), m), AmmError::kSubUnderflow);  // sqrt 999 < 1000
  EXPECT_EQ(pair_mint(empty, u256(1000), u256(1000), m), AmmError::kPairInsufficientLiquidityMinted);
  EXPECT_EQ(pair_mint(empty, kZero, u256(1000000), m), AmmError::kSubUnderflow);
  ASSERT_EQ(pair_mint(empty, u256(1001), u256(1001), m), AmmError::kOk);
  EXPECT_EQ(m.liquidity, u256(1));
  EXPECT_EQ(m.pool.total_supply, u256(1001));
  ASSERT_EQ(pair_mint(empty, kMaxUint112, kMaxUint112, m), AmmError::kOk);  // reserves at uint112 max
  EXPECT_EQ(m.liquidity, sub_u(kMaxUint112, u256(1000)));
  EXPECT_EQ(pair_mint(empty, k2pow112, u256(1000000), m), AmmError::kPairOverflow);
  EXPECT_EQ(pair_mint(empty, k2pow128, k2pow128, m), AmmError::kMulOverflow);  // a0*a1 = 2^256
}

TEST(Amm, LaterMint) {
  const Pool p = pool_with(u256(1000000), u256(4000000));  // S = 2000000
  MintOutcome m;
  ASSERT_EQ(pair_mint(p, u256(10), u256(100), m), AmmError::kOk);
  EXPECT_EQ(m.liquidity, u256(20));  // min(10*S/r0, 100*S/r1)
  EXPECT_EQ(m.locked, kZero);
  EXPECT_EQ(pair_mint(p, kZero, u256(100), m), AmmError::kPairInsufficientLiquidityMinted);
  EXPECT_EQ(pair_mint(p, u256(1), u256(1), m), AmmError::kPairInsufficientLiquidityMinted);  // 1*S/r1 = 0
  EXPECT_EQ(pair_mint(p, k2pow112, k2pow112, m), AmmError::kPairOverflow);
}

TEST(Amm, BurnRoundsDown) {
  const Pool p = pool_with(u256(1000000), u256(4000000));
  BurnOutcome b;
  EXPECT_EQ(pair_burn(p, kZero, b), AmmError::kPairInsufficientLiquidityBurned);
  EXPECT_EQ(pair_burn(p, u256(1), b), AmmError::kPairInsufficientLiquidityBurned);  // 1e6/2e6 rounds to 0
  ASSERT_EQ(pair_burn(p, u256(3), b), AmmError::kOk);
  EXPECT_EQ(b.amount0, u256(1));  // 3*1e6/2e6
  EXPECT_EQ(b.amount1, u256(6));
  EXPECT_EQ(b.pool.total_supply, u256(1999997));
  ASSERT_EQ(pair_burn(p, u256(1999000), b), AmmError::kOk);  // everything but the locked 1000
  EXPECT_EQ(b.pool.reserve0, u256(500));
  EXPECT_EQ(b.pool.reserve1, u256(2000));
  EXPECT_EQ(pair_burn(Pool{1, 2, 3, {}, {}, {}}, u256(1), b), AmmError::kDivisionByZero);
}

TEST(Amm, SwapChecksInContractOrder) {
  const Pool p = pool_with(u256(1000000), u256(1000000));
  Pool out;
  EXPECT_EQ(pair_swap(p, u256(10), kZero, kZero, kZero, out), AmmError::kPairInsufficientOutputAmount);
  EXPECT_EQ(pair_swap(p, u256(10), kZero, u256(1000000), kZero, out), AmmError::kPairInsufficientLiquidity);
  EXPECT_EQ(pair_swap(p, kZero, kZero, kZero, u256(1), out), AmmError::kPairInsufficientInputAmount);
  U256 amount_out;
  ASSERT_EQ(get_amount_out(u256(1000), p.reserve0, p.reserve1, amount_out), AmmError::kOk);
  EXPECT_EQ(amount_out, u256(996));
  EXPECT_EQ(pair_swap(p, u256(1000), kZero, kZero, u256(997), out), AmmError::kPairK);  // one wei more
  ASSERT_EQ(pair_swap(p, u256(1000), kZero, kZero, u256(996), out), AmmError::kOk);
  EXPECT_EQ(out.reserve0, u256(1001000));
  EXPECT_EQ(out.reserve1, u256(999004));
  // (r0 + in) * 1000 * (r1 * 1000) overflows 2^256 before the uint112 check.
  EXPECT_EQ(pair_swap(p, U256{0, 0, 0, 1ULL << 40}, kZero, kZero, u256(1), out), AmmError::kMulOverflow);
}

TEST(Amm, ReservesAtUint112Max) {
  const Pool p = pool_with(kMaxUint112, kMaxUint112);
  SwapOutcome s;
  // 1 wei in buys nothing.
  EXPECT_EQ(swap_exact_in(p, true, u256(1), kZero, s), AmmError::kPairInsufficientOutputAmount);
  // Any real swap pushes reserve0 past 2^112 - 1.
  EXPECT_EQ(swap_exact_in(p, true, u256(1000000), kZero, s), AmmError::kPairOverflow);
  // Exact out: 1 wei out needs 2 wei in (1*r*1000/((r-1)*997) + 1), still over the limit.
  EXPECT_EQ(swap_exact_out(p, false, u256(1), k2pow128, s), AmmError::kPairOverflow);
  // Burning brings it back below the limit; then a swap fits again.
  BurnOutcome b;
  ASSERT_EQ(pair_burn(p, dec("1000000000000000000000000"), b), AmmError::kOk);
  ASSERT_EQ(swap_exact_in(b.pool, false, dec("500000000000000000000000"), kZero, s), AmmError::kOk);
  EXPECT_TRUE(fits_bits(s.pool.reserve1, kReserveBits));
}

TEST(Amm, RouterLimits) {
  const Pool p = pool_with(u256(1000000), u256(2000000));
  SwapOutcome s;
  U256 out;
  ASSERT_EQ(get_amount_out(u256(5000), p.reserve0, p.reserve1, out), AmmError::kOk);
  EXPECT_EQ(swap_exact_in(p, true, u256(5000), add_u(out, u256(1)), s), AmmError::kRouterInsufficientOutputAmount);
  ASSERT_EQ(swap_exact_in(p, true, u256(5000), out, s), AmmError::kOk);
  U256 in;
  ASSERT_EQ(get_amount_in(u256(7000), p.reserve0, p.reserve1, in), AmmError::kOk);
  EXPECT_EQ(swap_exact_out(p, true, u256(7000), sub_u(in, u256(1)), s), AmmError::kRouterExcessiveInputAmount);
  ASSERT_EQ(swap_exact_out(p, true, u256(7000), in, s), AmmError::kOk);
  EXPECT_EQ(s.amount_in, in);

  AddLiquidityOutcome a;
  ASSERT_EQ(add_liquidity(p, true, u256(100), u256(1000), kZero, kZero, a), AmmError::kOk);
  EXPECT_EQ(a.amount_a, u256(100));  // amountBOptimal = 200 <= 1000
  EXPECT_EQ(a.amount_b, u256(200));
  EXPECT_EQ(add_liquidity(p, true, u256(100), u256(1000), kZero, u256(201), a), AmmError::kRouterInsufficientBAmount);
  ASSERT_EQ(add_liquidity(p, true, u256(1000), u256(100), kZero, kZero, a), AmmError::kOk);
  EXPECT_EQ(a.amount_a, u256(50));  // amountAOptimal = quote(100, rB, rA)
  EXPECT_EQ(a.amount_b, u256(100));
  EXPECT_EQ(add_liquidity(p, true, u256(1000), u256(100), u256(51), kZero, a), AmmError::kRouterInsufficientAAmount);
  BurnOutcome b;
  EXPECT_EQ(remove_liquidity(p, true, u256(1000), u256(708), kZero, b), AmmError::kRouterInsufficientAAmount);
  ASSERT_EQ(remove_liquidity(p, true, u256(1000), u256(707), u256(1414), b), AmmError::kOk);  // S = 1414213
  EXPECT_EQ(b.amount0, u256(707));
}

// Router02._addLiquidity prices from token A's side (v2-periphery UniswapV2Router02.sol): when
// A is the pool's token1 and both (a_des, b_opt) and (a_opt, b_des) fit, it takes all of A.
// Expectations worked out from the router's source; amm_diff_test checks such cases on anvil.
TEST(Amm, AddLiquidityPricesFromTokenA) {
  const Pool p = pool_with(u256(3000000), u256(2000000));  // r0 = 3e6, r1 = 2e6, S = 2449489
  AddLiquidityOutcome a;
  // A = token1 (rA = 2e6, rB = 3e6): b_opt = floor(6*3/2) = 9 <= 10, so (6, 9). Priced from
  // token0's side it would be (a_opt, 10) with a_opt = floor(10*2/3) = 6: one more B taken.
  ASSERT_EQ(add_liquidity(p, false, u256(6), u256(10), kZero, kZero, a), AmmError::kOk);
  EXPECT_EQ(a.amount_a, u256(6));
  EXPECT_EQ(a.amount_b, u256(9));
  EXPECT_EQ(a.mint.pool.reserve0, u256(3000009));
  EXPECT_EQ(a.mint.pool.reserve1, u256(2000006));
  EXPECT_EQ(a.mint.liquidity, u256(7));  // min(9*S/3e6, 6*S/2e6)
  // Minimums equal to the router's own amounts pass; min B one above fails on B. The first
  // branch never checks min A (the router takes all of A), so min A above a_des still passes.
  EXPECT_EQ(add_liquidity(p, false, u256(6), u256(10), u256(6), u256(9), a), AmmError::kOk);
  EXPECT_EQ(add_liquidity(p, false, u256(6), u256(10), kZero, u256(10), a), AmmError::kRouterInsufficientBAmount);
  EXPECT_EQ(add_liquidity(p, false, u256(6), u256(10), u256(7), kZero, a), AmmError::kOk);
  // Second branch: b_opt = floor(9*3/2) = 13 > 10, a_opt = floor(10*2/3) = 6 >= a_min.
  ASSERT_EQ(add_liquidity(p, false, u256(9), u256(10), u256(6), kZero, a), AmmError::kOk);
  EXPECT_EQ(a.amount_a, u256(6));
  EXPECT_EQ(a.amount_b, u256(10));
  EXPECT_EQ(add_liquidity(p, false, u256(9), u256(10), u256(7), kZero, a), AmmError::kRouterInsufficientAAmount);
  // A = token0 at the same pool: b_opt = floor(10*2/3) = 6 <= 6, all of A again.
  ASSERT_EQ(add_liquidity(p, true, u256(10), u256(6), kZero, kZero, a), AmmError::kOk);
  EXPECT_EQ(a.amount_a, u256(10));
  EXPECT_EQ(a.amount_b, u256(6));
  // A desired 0: quote(0) fails first, even where token0's side would have quoted
  // floor(1*2/3) = 0 of A and failed later in pair.mint.
  EXPECT_EQ(add_liquidity(p, false, kZero, u256(1), kZero, kZero, a), AmmError::kLibInsufficientAmount);
  EXPECT_EQ(add_liquidity(p, true, kZero, u256(1), kZero, kZero, a), AmmError::kLibInsufficientAmount);
  // b_opt = floor(1*3/2) = 1 > 0 = b_des: then quote(b_des = 0) fails the same way.
  EXPECT_EQ(add_liquidity(p, false, u256(1), kZero, kZero, kZero, a), AmmError::kLibInsufficientAmount);
  // b_opt = floor(1*2/3) = 0 <= b_des: the router goes on to the pair, which mints nothing.
  EXPECT_EQ(add_liquidity(p, true, u256(1), u256(5), kZero, kZero, a), AmmError::kPairInsufficientLiquidityMinted);
  // An empty pool takes the desired amounts in either order.
  const Pool empty{1, 2, 3, {}, {}, {}};
  ASSERT_EQ(add_liquidity(empty, false, u256(4000), u256(1000), u256(5000), u256(5000), a), AmmError::kOk);
  EXPECT_EQ(a.mint.pool.reserve0, u256(1000));
  EXPECT_EQ(a.mint.pool.reserve1, u256(4000));
  EXPECT_EQ(a.mint.liquidity, u256(1000));  // sqrt(4e6) - 1000
}

// Router02.removeLiquidity checks A's minimum before B's in the caller's order, whichever is
// token0: with both minimums too high the revert names A.
TEST(Amm, RemoveLiquidityChecksMinAFirst) {
  const Pool p = pool_with(u256(1000000), u256(2000000));  // S = 1414213
  BurnOutcome b;
  // Burning 1000 pays 707 of token0 and 1414 of token1.
  EXPECT_EQ(remove_liquidity(p, false, u256(1000), u256(1415), u256(708), b), AmmError::kRouterInsufficientAAmount);
  EXPECT_EQ(remove_liquidity(p, false, u256(1000), kZero, u256(708), b), AmmError::kRouterInsufficientBAmount);
  EXPECT_EQ(remove_liquidity(p, true, u256(1000), u256(708), u256(1415), b), AmmError::kRouterInsufficientAAmount);
  ASSERT_EQ(remove_liquidity(p, false, u256(1000), u256(1414), u256(707), b), AmmError::kOk);
  EXPECT_EQ(b.amount0, u256(707));
  EXPECT_EQ(b.amount1, u256(1414));
}

TEST(Amm, MultiHopAmountsChainSingleHops) {
  const Hop hops[2] = {{u256(1000000), u256(2000000)}, {u256(5000000), u256(3000000)}};
  U256 amounts[3];
  ASSERT_EQ(get_amounts_out(u256(10000), hops, amounts), AmmError::kOk);
  U256 a1, a2;
  ASSERT_EQ(get_amount_out(u256(10000), hops[0].reserve_in, hops[0].reserve_out, a1), AmmError::kOk);
  ASSERT_EQ(get_amount_out(a1, hops[1].reserve_in, hops[1].reserve_out, a2), AmmError::kOk);
  EXPECT_EQ(amounts[0], u256(10000));
  EXPECT_EQ(amounts[1], a1);
  EXPECT_EQ(amounts[2], a2);
  ASSERT_EQ(get_amounts_in(u256(7000), hops, amounts), AmmError::kOk);
  ASSERT_EQ(get_amount_in(u256(7000), hops[1].reserve_in, hops[1].reserve_out, a1), AmmError::kOk);
  ASSERT_EQ(get_amount_in(a1, hops[0].reserve_in, hops[0].reserve_out, a2), AmmError::kOk);
  EXPECT_EQ(amounts[1], a1);
  EXPECT_EQ(amounts[0], a2);
  EXPECT_EQ(amounts[2], u256(7000));
  EXPECT_EQ(get_amounts_out(u256(1), std::span<const Hop>{}, std::span<U256>(amounts, 1)), AmmError::kLibInvalidPath);
  EXPECT_EQ(get_amounts_out(u256(1), hops, std::span<U256>(amounts, 2)), AmmError::kLibInvalidPath);
  const Hop dry[2] = {{u256(1000000), u256(2000000)}, {u256(5000000), kZero}};
  EXPECT_EQ(get_amounts_out(u256(10000), dry, amounts), AmmError::kLibInsufficientLiquidity);
}

// Self-generated property checks: getAmountOut is the largest output the K check accepts,
// getAmountIn an input it accepts, and K never decreases.
TEST(Amm, AmountsSitOnTheKBoundary) {
  std::mt19937_64 rng(7);
  auto rand_bits = [&](unsigned max_bits) {
    const unsigned n = 1 + static_cast<unsigned>(rng() % max_bits);
    U256 v{};
    for (unsigned i = 0; i < n; ++i) v[i / 64] |= (rng() & 1ULL) << (i % 64);
    v[(n - 1) / 64] |= 1ULL << ((n - 1) % 64);
    return v;
  };
  for (int i = 0; i < 2000; ++i) {
    const Pool p = pool_with(add_u(rand_bits(100), u256(1000)), add_u(rand_bits(100), u256(1000)));
    const U256 in = rand_bits(100);
    U256 out;
    ASSERT_EQ(get_amount_out(in, p.reserve0, p.reserve1, out), AmmError::kOk);
    Pool after;
    if (!ff::is_zero(out)) {
      const AmmError e = pair_swap(p, in, kZero, kZero, out, after);
      ASSERT_TRUE(e == AmmError::kOk || e == AmmError::kPairOverflow);
      if (e == AmmError::kOk) {
        U256 k_before, k_after;
        ASSERT_TRUE(checked_mul(k_before, p.reserve0, p.reserve1));
        ASSERT_TRUE(checked_mul(k_after, after.reserve0, after.reserve1));
        ASSERT_FALSE(ff::less_than(k_after, k_before));
      }
    }
    const U256 more = add_u(out, u256(1));
    if (ff::less_than(more, p.reserve1)) {
      ASSERT_EQ(pair_swap(p, in, kZero, kZero, more, after), AmmError::kPairK);
    }
    const U256 want = div(p.reserve1, u256(2 + rng() % 1000));
    if (ff::is_zero(want)) continue;
    U256 need;
    ASSERT_EQ(get_amount_in(want, p.reserve0, p.reserve1, need), AmmError::kOk);
    const AmmError e = pair_swap(p, need, kZero, kZero, want, after);
    ASSERT_TRUE(e == AmmError::kOk || e == AmmError::kPairOverflow);
  }
}

}  // namespace
}  // namespace zkamm::state
