// Forced exit of an LP position (issue 15 item 3): an L1 full exit of LP token 512 + p burns the
// owner's whole position in pool p pro rata and publishes both amounts, which the contract pays
// out on L1, so an operator that censors the owner's remove_liquidity cannot freeze it. Each
// dishonest test starts from an honest witness that proves and makes one choice the prover
// controls (how much is burned, what is paid, which pool, whether the pool exists, the kind of
// exit) and checks that the R1CS rejects it. The genesis of batch_fixture.hpp: account 1 holds
// the liquidity of pools 0 = (1, 2) and 1 = (0, 1).
#include "batch_fixture.hpp"
#include "tx/public_data_replay.hpp"

namespace zkamm::batch::testing {
namespace {

tx::Tx lp_full_exit(uint32_t account, uint16_t token) { return tx::FullExit{0, account, token}; }

/// pair.burn's pro-rata amount, computed independently of the state code: l * r / s.
U256 pro_rata(const U256& l, const U256& r, const U256& s) {
  U256 p{};
  EXPECT_TRUE(state::checked_mul(p, l, r));
  return state::div(p, s);
}

uint64_t read_be(const std::vector<uint8_t>& b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | b[at + i];
  return v;
}
U256 read_amount(const std::vector<uint8_t>& b, size_t at) { return U256{read_be(b, at + 8, 8), read_be(b, at, 8), 0, 0}; }

TEST(LpExit, HonestExitBurnsTheWholePositionAndPublishesBothAmounts) {
  // A swap moves pool 0's reserves first, so the amounts are not round numbers.
  const state::State s0 = genesis();
  Built b = build({swap_in(2, 1, 2, e18(7), u(1)), lp_full_exit(1, 512)});
  const Checked c = check(b.w);
  ASSERT_TRUE(c.satisfied);
  EXPECT_EQ(c.public_input, b.w.public_input);
  expect_no_free_wires(kParams, b.w);

  // The expected outcome from the pool after the swap, by the pair.burn formula.
  state::State after_swap = s0;
  state::SwapReceipt rc;
  ASSERT_TRUE(after_swap.swap_exact_in(2, 1, 2, e18(7), u(1), rc).ok());
  const state::Pool p = *after_swap.pool_by_id(0);
  const U256 l = after_swap.balance(1, 512);
  ASSERT_FALSE(ff::is_zero(l));
  const U256 a0 = pro_rata(l, p.reserve0, p.total_supply), a1 = pro_rata(l, p.reserve1, p.total_supply);

  const SlotWitness& sw = b.w.slots[1];
  EXPECT_TRUE(sw.lp_exit);
  EXPECT_EQ(sw.amt3, l);
  const std::vector<uint8_t> slot(b.w.pubdata.begin() + 42, b.w.pubdata.begin() + 84);
  EXPECT_EQ(slot[0], static_cast<uint8_t>(tx::TxType::FullExit));
  EXPECT_EQ(read_be(slot, 1, 3), 1u);
  EXPECT_EQ(read_be(slot, 4, 2), 512u);
  EXPECT_EQ(read_be(slot, 6, 2), 1u);  // token0
  EXPECT_EQ(read_amount(slot, 8), a0);
  EXPECT_EQ(read_be(slot, 24, 2), 2u);  // token1
  EXPECT_EQ(read_amount(slot, 26), a1);

  // The L2 after it: no LP balance, the pool shrank by exactly the amounts, the owner's token
  // balances unchanged (the amounts left for L1).
  state::State s = s0;
  ASSERT_EQ(tx::replay_public_data(s, b.w.pubdata), "");
  EXPECT_TRUE(ff::is_zero(s.balance(1, 512)));
  EXPECT_EQ(s.balance(1, 1), after_swap.balance(1, 1));
  EXPECT_EQ(s.balance(1, 2), after_swap.balance(1, 2));
  const state::Pool q = *s.pool_by_id(0);
  U256 r0{}, r1{}, sup{};
  ASSERT_TRUE(state::checked_sub(r0, p.reserve0, a0));
  ASSERT_TRUE(state::checked_sub(r1, p.reserve1, a1));
  ASSERT_TRUE(state::checked_sub(sup, p.total_supply, l));
  EXPECT_EQ(q.reserve0, r0);
  EXPECT_EQ(q.reserve1, r1);
  EXPECT_EQ(q.total_supply, sup);
  EXPECT_EQ(sup, u(state::kMinimumLiquidity));  // account 1 was the only provider
  EXPECT_EQ(state::StateTrees::build(s).root(), b.w.new_root);
}

TEST(LpExit, BurningLessThanTheWholePositionFails) {
  Built b = build({lp_full_exit(1, 512), tx::Tx{tx::Noop{}}});
  ASSERT_TRUE(check(b.w).satisfied);
  rerecord(b.w, b.s0);
  ASSERT_TRUE(check(b.w).satisfied) << "re-recording an honest witness changes nothing";
  SlotWitness& sw = b.w.slots[0];
  // Half the position, paid pro rata (a consistent partial burn): the owner keeps LP tokens the
  // operator could keep frozen.
  sw.amt3 = ff::shift_right(sw.amt3, 1);
  sw.amt1 = pro_rata(sw.amt3, sw.reserve1, sw.supply);
  sw.amt2 = pro_rata(sw.amt3, sw.reserve0, sw.supply);
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(LpExit, PayingOtherAmountsFails) {
  for (int which = 0; which < 4; ++which) {
    Built b = build({lp_full_exit(1, 513), tx::Tx{tx::Noop{}}});
    ASSERT_TRUE(check(b.w).satisfied);
    SlotWitness& sw = b.w.slots[0];
    U256& v = which < 2 ? sw.amt1 : sw.amt2;
    U256 nv{};
    if (which % 2 == 0) {
      ASSERT_TRUE(state::checked_sub(nv, v, u(1)));  // one wei less to the owner
    } else {
      ASSERT_TRUE(state::checked_add(nv, v, u(1)));  // one wei more, out of the other providers
    }
    v = nv;
    rerecord(b.w, b.s0);
    EXPECT_FALSE(check(b.w).satisfied) << which;
  }
}

TEST(LpExit, AnotherPoolsReservesFail) {
  // The exit of pool 0 priced with pool 1's reserves (where account 1 also has liquidity).
  Built b = build({lp_full_exit(1, 512), tx::Tx{tx::Noop{}}});
  ASSERT_TRUE(check(b.w).satisfied);
  SlotWitness& sw = b.w.slots[0];
  const state::Pool* other = b.s0.pool_by_id(1);
  sw.reserve0 = other->reserve0;
  sw.reserve1 = other->reserve1;
  sw.supply = other->total_supply;
  sw.amt1 = pro_rata(sw.amt3, sw.reserve1, sw.supply);
  sw.amt2 = pro_rata(sw.amt3, sw.reserve0, sw.supply);
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(LpExit, ClaimingThePoolDoesNotExistFails) {
  // The prover says pool 0's leaf is empty, so nothing would be burned or paid.
  Built b = build({lp_full_exit(1, 512), tx::Tx{tx::Noop{}}});
  SlotWitness& sw = b.w.slots[0];
  sw.token_x = sw.token_y = 0;
  sw.amt1 = sw.amt2 = sw.amt3 = U256{};
  sw.reserve0 = sw.reserve1 = sw.supply = U256{};
  rerecord(b.w, b.s0);
  sw.pool_leaf_old = Fr::zero();
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(LpExit, TreatingItAsAnOrdinaryFullExitFails) {
  // The old rule: a full exit of an LP token withdrew nothing. The queued token (512) is in the
  // public data either way; an ordinary full exit may no longer name it.
  Built b = build({lp_full_exit(1, 512), tx::Tx{tx::Noop{}}});
  SlotWitness& sw = b.w.slots[0];
  sw.lp_exit = false;
  sw.token_x = 512;
  sw.token_y = 0;
  sw.amt1 = sw.amt2 = sw.amt3 = U256{};
  sw.reserve0 = sw.reserve1 = sw.supply = U256{};
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(LpExit, AnEmptyPositionOrAMissingPoolMovesNothing) {
  {  // account 2 holds no LP of pool 0: nothing burned, the pool's tokens still published
    Built b = build({lp_full_exit(2, 512), lp_full_exit(3, 512 + 9)});
    ASSERT_TRUE(check(b.w).satisfied);
    EXPECT_TRUE(ff::is_zero(b.w.slots[0].amt3));
    EXPECT_EQ(read_be(b.w.pubdata, 6, 2), 1u);
    EXPECT_EQ(read_be(b.w.pubdata, 24, 2), 2u);
    // pool 9 does not exist: all zero after the LP token
    for (size_t i = 42 + 6; i < 84; ++i) EXPECT_EQ(b.w.pubdata[i], 0) << i;
    EXPECT_EQ(b.w.new_root, b.w.old_root);
  }
  {  // account 0's locked MINIMUM_LIQUIDITY is never burned; burning it fails
    Built b = build({lp_full_exit(0, 512), tx::Tx{tx::Noop{}}});
    ASSERT_TRUE(check(b.w).satisfied);
    EXPECT_EQ(b.w.new_root, b.w.old_root);
    SlotWitness& sw = b.w.slots[0];
    sw.amt3 = u(state::kMinimumLiquidity);
    sw.amt1 = pro_rata(sw.amt3, sw.reserve1, sw.supply);
    sw.amt2 = pro_rata(sw.amt3, sw.reserve0, sw.supply);
    rerecord(b.w, b.s0);
    EXPECT_FALSE(check(b.w).satisfied);
  }
}

TEST(LpExit, ExecuteReportsThePoolsTokens) {
  // The public data needs them; the node stores them with the block.
  state::State s = genesis();
  const tx::ExecResult r = tx::execute(s, lp_full_exit(1, 513), kDomain, tx::ExecOptions{kTimestamp, false});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.executed.token0, 0u);
  EXPECT_EQ(r.executed.token1, 1u);
  EXPECT_FALSE(r.executed.liquidity == 0);
}

}  // namespace
}  // namespace zkamm::batch::testing
