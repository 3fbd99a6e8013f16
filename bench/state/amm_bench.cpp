// Uniswap V2 maths and state application: getAmountOut, the pair's K-checked swap, and a full
// State::swap_exact_in (balance checks, pool lookup, all-or-nothing update).
#include <benchmark/benchmark.h>

#include "state/state.hpp"

namespace zkamm::state {
namespace {

U256 dec(const char* s) { return *ff::parse_u256(s); }

void BM_GetAmountOut(benchmark::State& bs) {
  const U256 in = dec("10000000000000000000"), r0 = dec("1000000000000000000000"), r1 = dec("4000000000000000000000");
  U256 out;
  for (auto _ : bs) {
    benchmark::DoNotOptimize(get_amount_out(in, r0, r1, out));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_GetAmountOut);

void BM_GetAmountOutNearLimits(benchmark::State& bs) {  // 128-bit amount, 111-bit reserves
  const U256 in = dec("170141183460469231731687303715884105727");
  const U256 r = dec("2596148429267413814265248164610047");
  U256 out;
  for (auto _ : bs) {
    benchmark::DoNotOptimize(get_amount_out(in, r, r, out));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_GetAmountOutNearLimits);

void BM_PairSwapExactIn(benchmark::State& bs) {
  Pool p{1, 2, 3, dec("1000000000000000000000"), dec("4000000000000000000000"), dec("2000000000000000000000")};
  const U256 in = dec("10000000000000000000");
  SwapOutcome out;
  for (auto _ : bs) {
    benchmark::DoNotOptimize(swap_exact_in(p, true, in, U256{}, out));
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_PairSwapExactIn);

void BM_Isqrt(benchmark::State& bs) {
  const U256 y = dec("4000000000000000000000000000000000000000000000");
  for (auto _ : bs) benchmark::DoNotOptimize(isqrt(y));
}
BENCHMARK(BM_Isqrt);

void BM_StateSwapApply(benchmark::State& bs) {
  State st;
  TokenId t1, t2, lp;
  AccountIndex alice, bob;
  L1Address a{}, b{};
  a[0] = 1;
  b[0] = 2;
  (void)st.add_token(a, t1);
  (void)st.add_token(b, t2);
  (void)st.create_account(PublicKey{}, alice);
  (void)st.create_account(PublicKey{}, bob);
  const U256 big = dec("1000000000000000000000000000");
  for (TokenId t : {t1, t2}) {
    (void)st.deposit(alice, t, big);
    (void)st.deposit(bob, t, big);
  }
  (void)st.create_pool(t1, t2, lp);
  AddLiquidityReceipt r;
  (void)st.add_liquidity(alice, t1, t2, dec("100000000000000000000000"), dec("400000000000000000000000"), U256{},
                         U256{}, r);
  SwapReceipt sw;
  const U256 amount = dec("1000000000000000000");
  bool dir = false;
  for (auto _ : bs) {
    // Alternate directions so the pool stays balanced over millions of iterations.
    benchmark::DoNotOptimize(dir ? st.swap_exact_in(bob, t1, t2, amount, U256{}, sw)
                                 : st.swap_exact_in(bob, t2, t1, amount, U256{}, sw));
    dir = !dir;
  }
}
BENCHMARK(BM_StateSwapApply);

}  // namespace
}  // namespace zkamm::state
