// The L2 state model: limits, error paths and all-or-nothing application (self-generated
// expectations; the AMM amounts themselves are checked against the contracts in amm_diff_test).
#include <gtest/gtest.h>

#include "state/state.hpp"
#include "state/u256_test_util.hpp"

namespace zkamm::state {
namespace {

using test_util::dec;
using test_util::k2pow128;
using test_util::kZero;
const U256 kMaxAmount{~0ULL, ~0ULL, 0, 0};  // 2^128 - 1

struct StateModel : ::testing::Test {
  State st;
  TokenId t1 = 0, t2 = 0, t3 = 0, lp12 = 0;
  AccountIndex alice = 0, bob = 0;
  void SetUp() override {
    L1Address a{}, b{}, c{};
    a[0] = 1;
    b[0] = 2;
    c[0] = 3;
    ASSERT_TRUE(st.add_token(a, t1).ok());
    ASSERT_TRUE(st.add_token(b, t2).ok());
    ASSERT_TRUE(st.add_token(c, t3).ok());
    ASSERT_TRUE(st.create_account(PublicKey{}, alice).ok());
    ASSERT_TRUE(st.create_account(PublicKey{}, bob).ok());
    for (TokenId t : {t1, t2, t3}) {
      ASSERT_TRUE(st.deposit(alice, t, dec("10000000000000000000000000")).ok());
      ASSERT_TRUE(st.deposit(bob, t, dec("10000000000000000000000")).ok());
    }
    ASSERT_TRUE(st.create_pool(t2, t1, lp12).ok());
  }
  /// Runs op and checks it fails with `want` and leaves the state exactly as it was.
  template <class Op>
  void expect_rejected(Op op, Status want) {
    const State before = st;
    const Status got = op();
    EXPECT_EQ(got.error, want.error) << to_string(got.error);
    EXPECT_EQ(got.amm, want.amm) << revert_reason(got.amm);
    EXPECT_TRUE(st == before);
  }
};

TEST_F(StateModel, GenesisAndTokens) {
  EXPECT_EQ(st.num_accounts(), 3u);
  EXPECT_EQ(st.token(kEthToken)->is_lp, false);
  EXPECT_TRUE(st.token(lp12)->is_lp);
  const Pool* p = st.pool(t1, t2);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p, st.pool(t2, t1));
  EXPECT_EQ(p->token0, t1);
  EXPECT_EQ(p->token1, t2);
  L1Address dup{};
  dup[0] = 1;
  TokenId id;
  expect_rejected([&] { return st.add_token(dup, id); }, {StateError::kTokenExists, AmmError::kOk});
}

TEST_F(StateModel, DepositTransferWithdrawLimits) {
  expect_rejected([&] { return st.deposit(alice, t1, k2pow128); }, {StateError::kAmountTooLarge, AmmError::kOk});
  expect_rejected([&] { return st.deposit(kReservedAccount, t1, u256(1)); }, {StateError::kReservedAccount, AmmError::kOk});
  expect_rejected([&] { return st.deposit(99, t1, u256(1)); }, {StateError::kUnknownAccount, AmmError::kOk});
  expect_rejected([&] { return st.deposit(alice, 99, u256(1)); }, {StateError::kUnknownToken, AmmError::kOk});
  ASSERT_TRUE(st.deposit(bob, kEthToken, kMaxAmount).ok());
  expect_rejected([&] { return st.deposit(bob, kEthToken, u256(1)); }, {StateError::kBalanceOverflow, AmmError::kOk});
  expect_rejected([&] { return st.transfer(bob, alice, t1, kZero); }, {StateError::kZeroAmount, AmmError::kOk});
  expect_rejected([&] { return st.transfer(kReservedAccount, alice, t1, u256(1)); },
                  {StateError::kReservedAccount, AmmError::kOk});
  expect_rejected([&] { return st.transfer(bob, alice, t1, dec("10000000000000000000001")); },
                  {StateError::kInsufficientBalance, AmmError::kOk});
  ASSERT_TRUE(st.transfer(bob, alice, kEthToken, u256(5)).ok());
  ASSERT_TRUE(st.deposit(bob, kEthToken, u256(5)).ok());
  expect_rejected([&] { return st.transfer(alice, bob, kEthToken, u256(5)); }, {StateError::kBalanceOverflow, AmmError::kOk});
  ASSERT_TRUE(st.transfer(bob, bob, kEthToken, u256(7)).ok());  // to self: a no-op
  EXPECT_EQ(st.balance(bob, kEthToken), kMaxAmount);
  ASSERT_TRUE(st.withdraw(alice, kEthToken, u256(5)).ok());
  EXPECT_EQ(st.balance(alice, kEthToken), kZero);
  EXPECT_TRUE(st.account(alice)->balances.count(kEthToken) == 0);  // zero balances are not stored
  expect_rejected([&] { return st.withdraw(alice, kEthToken, u256(1)); }, {StateError::kInsufficientBalance, AmmError::kOk});
  ASSERT_TRUE(st.bump_nonce(alice).ok());
  EXPECT_EQ(st.account(alice)->nonce, 1u);
}

TEST_F(StateModel, CreatePoolRules) {
  TokenId lp;
  expect_rejected([&] { return st.create_pool(t1, t1, lp); }, {StateError::kIdenticalTokens, AmmError::kOk});
  expect_rejected([&] { return st.create_pool(t1, t2, lp); }, {StateError::kPoolExists, AmmError::kOk});
  expect_rejected([&] { return st.create_pool(t1, lp12, lp); }, {StateError::kLpTokenInPool, AmmError::kOk});
  expect_rejected([&] { return st.create_pool(t1, 99, lp); }, {StateError::kUnknownToken, AmmError::kOk});
  ASSERT_TRUE(st.create_pool(kEthToken, t3, lp).ok());
  EXPECT_EQ(st.pool(t3, kEthToken)->lp_token, lp);
}

TEST_F(StateModel, LiquidityAndSwapsMoveBalances) {
  AddLiquidityReceipt add;
  expect_rejected([&] { return st.add_liquidity(alice, t1, t2, u256(1000), u256(1000), kZero, kZero, add); },
                  {StateError::kAmm, AmmError::kPairInsufficientLiquidityMinted});
  expect_rejected([&] { return st.add_liquidity(bob, t1, t2, dec("20000000000000000000000"), u256(1), kZero, kZero, add); },
                  {StateError::kInsufficientBalance, AmmError::kOk});
  expect_rejected([&] { return st.add_liquidity(alice, t1, t3, u256(1), u256(1), kZero, kZero, add); },
                  {StateError::kPoolNotFound, AmmError::kOk});
  // Caller order (t2, t1) is the reverse of pool order: amounts come back in caller order.
  ASSERT_TRUE(st.add_liquidity(alice, t2, t1, dec("4000000000000000000000"), dec("1000000000000000000000"), kZero,
                               kZero, add).ok());
  EXPECT_EQ(add.liquidity, dec("1999999999999999999000"));  // anvil (TOOLING-NOTES)
  EXPECT_EQ(st.balance(kReservedAccount, lp12), u256(kMinimumLiquidity));
  EXPECT_EQ(st.balance(alice, lp12), add.liquidity);
  EXPECT_EQ(st.pool(t1, t2)->reserve0, dec("1000000000000000000000"));

  SwapReceipt sw;
  const U256 bob_t1 = st.balance(bob, t1), bob_t2 = st.balance(bob, t2);
  ASSERT_TRUE(st.swap_exact_in(bob, t1, t2, dec("10000000000000000000"), kZero, sw).ok());
  EXPECT_EQ(sw.amount_out, dec("39486321375882451954"));  // anvil
  U256 t;
  ASSERT_TRUE(checked_sub(t, bob_t1, st.balance(bob, t1)));
  EXPECT_EQ(t, dec("10000000000000000000"));
  ASSERT_TRUE(checked_sub(t, st.balance(bob, t2), bob_t2));
  EXPECT_EQ(t, sw.amount_out);
  expect_rejected([&] { return st.swap_exact_in(bob, t1, t2, u256(1000), dec("1000000000000000000"), sw); },
                  {StateError::kAmm, AmmError::kRouterInsufficientOutputAmount});
  // More than the reserve: the library's (reserveOut - amountOut) underflows.
  expect_rejected([&] { return st.swap_exact_out(bob, t2, t1, dec("2000000000000000000000"), kMaxAmount, sw); },
                  {StateError::kAmm, AmmError::kSubUnderflow});
  expect_rejected([&] { return st.swap_exact_out(bob, t2, t1, dec("900000000000000000000"), kMaxAmount, sw); },
                  {StateError::kInsufficientBalance, AmmError::kOk});
  expect_rejected([&] { return st.swap_exact_in(bob, t1, t1, u256(1), kZero, sw); },
                  {StateError::kIdenticalTokens, AmmError::kOk});
  expect_rejected([&] { return st.swap_exact_in(kReservedAccount, t1, t2, u256(1), kZero, sw); },
                  {StateError::kReservedAccount, AmmError::kOk});
  expect_rejected([&] { return st.swap_exact_in(bob, t1, t2, k2pow128, kZero, sw); },
                  {StateError::kAmountTooLarge, AmmError::kOk});
  ASSERT_TRUE(st.swap_exact_out(bob, t2, t1, u256(12345), kMaxAmount, sw).ok());
  EXPECT_EQ(sw.amount_out, u256(12345));

  // A receiver whose balance would pass 2^128 makes the whole swap fail.
  U256 room;
  ASSERT_TRUE(checked_sub(room, kMaxAmount, st.balance(bob, t2)));
  ASSERT_TRUE(st.deposit(bob, t2, room).ok());
  expect_rejected([&] { return st.swap_exact_in(bob, t1, t2, u256(1000000), kZero, sw); },
                  {StateError::kBalanceOverflow, AmmError::kOk});

  RemoveLiquidityReceipt rm;
  expect_rejected([&] { return st.remove_liquidity(bob, t1, t2, u256(1), kZero, kZero, rm); },
                  {StateError::kInsufficientBalance, AmmError::kOk});
  expect_rejected([&] { return st.remove_liquidity(alice, t1, t2, kZero, kZero, kZero, rm); },
                  {StateError::kAmm, AmmError::kPairInsufficientLiquidityBurned});
  // Min-amount errors are named in the caller's order: A = t2 here.
  expect_rejected([&] { return st.remove_liquidity(alice, t2, t1, add.liquidity, kMaxAmount, kZero, rm); },
                  {StateError::kAmm, AmmError::kRouterInsufficientAAmount});
  expect_rejected([&] { return st.remove_liquidity(alice, t2, t1, add.liquidity, kZero, kMaxAmount, rm); },
                  {StateError::kAmm, AmmError::kRouterInsufficientBAmount});
  ASSERT_TRUE(st.remove_liquidity(alice, t2, t1, add.liquidity, kZero, kZero, rm).ok());
  EXPECT_EQ(st.pool(t1, t2)->total_supply, u256(kMinimumLiquidity));
  EXPECT_EQ(st.balance(alice, lp12), kZero);
}

// Router02._addLiquidity prices from token A's side (v2-periphery UniswapV2Router02.sol), so with
// token_a = the pool's token1 it takes all of A where pricing from token0 would have taken all of
// token0; the refusals name the router's errors. Expectations from the router's source.
TEST_F(StateModel, AddLiquidityWithTokenAAsToken1FollowsRouter02) {
  AddLiquidityReceipt rc;
  ASSERT_TRUE(st.add_liquidity(alice, t1, t2, dec("3000000000000000000000"), dec("2000000000000000000000"), kZero, kZero,
                               rc).ok());
  // rA = 2e21 (t2), rB = 3e21 (t1): b_opt = floor(6*3/2) = 9 <= 10, so (6, 9); from t1's side it
  // would have been (6, 10).
  expect_rejected([&] { return st.add_liquidity(bob, t2, t1, u256(6), u256(10), kZero, u256(10), rc); },
                  {StateError::kAmm, AmmError::kRouterInsufficientBAmount});
  expect_rejected([&] { return st.add_liquidity(bob, t2, t1, kZero, u256(10), kZero, kZero, rc); },
                  {StateError::kAmm, AmmError::kLibInsufficientAmount});
  // floor(1*2/3) = 0 of t2 for one t1: token0's side reached pair.mint and minted nothing.
  expect_rejected([&] { return st.add_liquidity(bob, t2, t1, kZero, u256(1), kZero, kZero, rc); },
                  {StateError::kAmm, AmmError::kLibInsufficientAmount});
  const U256 bob_t1 = st.balance(bob, t1), bob_t2 = st.balance(bob, t2);
  ASSERT_TRUE(st.add_liquidity(bob, t2, t1, u256(6), u256(10), u256(6), u256(9), rc).ok());
  EXPECT_EQ(rc.amount_a, u256(6));
  EXPECT_EQ(rc.amount_b, u256(9));
  EXPECT_EQ(rc.liquidity, u256(7));  // min(9*S/3e21, 6*S/2e21), S = isqrt(6e42)
  U256 d;
  ASSERT_TRUE(checked_sub(d, bob_t1, st.balance(bob, t1)));
  EXPECT_EQ(d, u256(9));
  ASSERT_TRUE(checked_sub(d, bob_t2, st.balance(bob, t2)));
  EXPECT_EQ(d, u256(6));
  EXPECT_EQ(st.balance(bob, lp12), u256(7));
  EXPECT_EQ(st.pool(t1, t2)->reserve0, dec("3000000000000000000009"));
  // removeLiquidity checks A's minimum first: both too high names A (t2, the pool's token1).
  RemoveLiquidityReceipt rm;
  expect_rejected([&] { return st.remove_liquidity(bob, t2, t1, u256(7), kMaxAmount, kMaxAmount, rm); },
                  {StateError::kAmm, AmmError::kRouterInsufficientAAmount});
}

// pair.mint of given amounts (what a replay of add_liquidity's public data does): the same
// transition as the router when handed the router's own amounts; other amounts mint
// min(a*S/r_a, b*S/r_b) and keep the excess in the pool, as the pair would.
TEST_F(StateModel, AddLiquidityExactIsPairMintOfTheGivenAmounts) {
  AddLiquidityReceipt first, via_router, exact;
  ASSERT_TRUE(st.add_liquidity(alice, t1, t2, dec("1000000000000000000000"), dec("4000000000000000000000"), kZero, kZero,
                               first).ok());
  State replay = st;
  // Desired (3e18, 5e18) against a 1:4 pool: the router takes (1.25e18, 5e18).
  ASSERT_TRUE(st.add_liquidity(bob, t1, t2, dec("3000000000000000000"), dec("5000000000000000000"), kZero, kZero,
                               via_router).ok());
  EXPECT_EQ(via_router.amount_a, dec("1250000000000000000"));
  ASSERT_TRUE(replay.add_liquidity_exact(bob, t1, t2, via_router.amount_a, via_router.amount_b, exact).ok());
  EXPECT_EQ(exact.liquidity, via_router.liquidity);
  EXPECT_TRUE(replay == st);
  // Given (3e18, 5e18) as they are (on top of the first), the pair mints for the scarcer side
  // and keeps the rest.
  State other = replay;
  ASSERT_TRUE(other.add_liquidity_exact(bob, t1, t2, dec("3000000000000000000"), dec("5000000000000000000"), exact).ok());
  EXPECT_EQ(exact.liquidity, via_router.liquidity);  // b*S/r_b is the smaller share both times
  EXPECT_EQ(other.pool(t1, t2)->reserve0, dec("1004250000000000000000"));  // 1000 + 1.25 + 3
  expect_rejected([&] { return st.add_liquidity_exact(bob, t1, t3, u256(1), u256(1), exact); },
                  {StateError::kPoolNotFound, AmmError::kOk});
  expect_rejected([&] { return st.add_liquidity_exact(bob, t1, t2, dec("20000000000000000000000"), u256(1), exact); },
                  {StateError::kInsufficientBalance, AmmError::kOk});
}

}  // namespace
}  // namespace zkamm::state
