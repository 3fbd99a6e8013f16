// Swap batches (docs/CIRCUIT.md section 5) against the node's state transition: an honest batch
// of swaps satisfies the swap-batch R1CS with the node's new root and the public input of the
// natively built header and 10-byte slots (OpenSSL SHA-256), and the public data alone rebuilds
// the state; every swap rule broken in a witness makes it unsatisfied. Self-generated
// transactions (seeded, ZKAMM_SEED replays).
#include <gtest/gtest.h>

#include <iostream>

#include "batch_fixture.hpp"
#include "state/amm.hpp"
#include "tx/public_data_replay.hpp"
#include "tx/swap_public_data.hpp"

namespace zkamm::batch::testing {
namespace {

Built build_swaps(const std::vector<tx::Tx>& txs, const state::State& s0 = genesis()) {
  return build(txs, kTimestamp, kSwapParams, s0);
}

void expect_honest_swap(const Built& b) {
  const Checked c = check_swap(b.w);
  EXPECT_TRUE(c.satisfied);
  EXPECT_EQ(c.public_input, b.w.public_input);
}

U256 plus(const U256& v, uint64_t d) {
  U256 o{};
  (void)ff::add_with_carry(o, v, u(d));
  return o;
}
U256 minus(const U256& v, uint64_t d) {
  U256 o{};
  (void)ff::sub_with_borrow(o, v, u(d));
  return o;
}

U256 pow10(unsigned e) {
  U256 v = u(1);
  for (unsigned i = 0; i < e; ++i) (void)state::checked_mul(v, v, u(10));
  return v;
}

/// Reserves (in, out) of the pool of (tin, tout) in s.
std::pair<U256, U256> reserves(const state::State& s, uint16_t tin, uint16_t tout) {
  const state::Pool* p = s.pool(tin, tout);
  EXPECT_NE(p, nullptr);
  return p->token0 == tin ? std::pair{p->reserve0, p->reserve1} : std::pair{p->reserve1, p->reserve0};
}

/// Slot 0 of b turned into an exact-in swap of `in` (amount out by the Uniswap formula), signed by
/// `account`, leaves re-recorded: only the rule the new amount breaks can fail.
void retarget_exact_in(Built& b, uint32_t account, uint16_t tin, uint16_t tout, const U256& in) {
  const auto [rin, rout] = reserves(b.s0, tin, tout);
  U256 out{};
  ASSERT_EQ(state::get_amount_out(in, rin, rout, out), state::AmmError::kOk);
  auto t = std::get<tx::SwapExactIn>(swap_in(account, tin, tout, in, u(1)));
  b.w.slots[0].amt1 = in;
  b.w.slots[0].amt2 = out;
  b.w.slots[0].limit = u(1);
  resign(b.w.slots[0], t, account);
  rerecord(b.w, b.s0);
}

// ---- honest batches ------------------------------------------------------------------------

TEST(SwapBatch, HonestBatchesMatchTheNodeAndTheL1Data) {
  const std::vector<std::vector<tx::Tx>> batches = {
      {},
      {swap_in(1, 1, 2, e18(3), u(1)), swap_out(2, 2, 1, e18(1), e18(100))},  // both directions
      {swap_in(3, 0, 1, e18(1), u(0)), tx::Noop{}},
      {swap_out(1, 1, 0, u(12345), e18(1))},  // one swap, one padding slot
      {swap_in(2, 2, 1, u((uint64_t{1} << 35) - 1), u(0)), swap_in(2, 1, 2, e18(7), u(0), 1)},  // largest mantissa
  };
  for (const auto& txs : batches) {
    const Built b = build_swaps(txs);
    state::State s = b.s0;
    for (const tx::Tx& t : txs) {
      if (tx::type_of(t) == tx::TxType::Noop) continue;
      ASSERT_TRUE(tx::execute(s, t, kDomain, tx::ExecOptions{kTimestamp, true}).ok());
    }
    EXPECT_EQ(b.w.new_root, state::StateTrees::build(s).root());
    ASSERT_EQ(b.w.header.size(), kHeaderBytes);
    const auto h = tx::decode_batch_header(b.w.header);
    ASSERT_TRUE(h) << h.error().message;
    EXPECT_EQ(h->kind, BatchKind::Swap);
    EXPECT_EQ(h->num_slots, kSwapParams.num_slots);
    EXPECT_EQ(b.w.header[tx::batch_header::kKind.offset], static_cast<uint8_t>(BatchKind::Swap));  // the kind, then the slot count
    EXPECT_EQ(b.w.pubdata.size(), kSwapParams.num_slots * tx::kSwapSlotBytes);
    expect_honest_swap(b);
    state::State from_l1 = b.s0;
    EXPECT_EQ(tx::replay_swap_public_data(from_l1, b.w.pubdata), "");
    EXPECT_TRUE(from_l1 == s) << "the public data does not rebuild the state";
  }
}

TEST(SwapBatch, HoldsOnlySwapsWithAFloatEncodableAmount) {
  tx::Transfer tr;
  tr.from = 1;
  tr.to = 2;
  tr.amount = 5;
  const std::vector<std::vector<tx::Tx>> refused = {
      {signed_tx(tr, 1)},
      {swap_in(1, 1, 2, u((uint64_t{1} << 35) * 10 + 1), u(0))},  // 12 significant digits
      {swap_out(1, 1, 2, u(1), e18(1)), swap_out(1, 1, 2, u((uint64_t{1} << 35) * 10 + 3), e18(1), 1)},
  };
  for (const auto& txs : refused) {
    state::State s = genesis();
    state::StateTrees trees = state::StateTrees::build(s);
    BatchInput in;
    in.txs = txs;
    in.timestamp = kTimestamp;
    EXPECT_FALSE(build_witness(s, trees, kSwapParams, in).ok());
  }
}

TEST(SwapBatch, SeededRandomSwapStreams) {
  auto rng = zkamm::testing::seeded_rng("SwapBatch.SeededRandomSwapStreams");
  const auto rnd = [&](uint64_t lo, uint64_t hi) { return std::uniform_int_distribution<uint64_t>(lo, hi)(rng); };
  state::State s = genesis();
  state::StateTrees trees = state::StateTrees::build(s);
  state::State shadow = s;   // the node's view
  state::State from_l1 = s;  // rebuilt from the public data alone
  int exact_in = 0, exact_out = 0, noops = 0, refused = 0;
  for (int batch = 0; batch < 8; ++batch) {
    std::vector<tx::Tx> txs;
    for (int attempt = 0; txs.size() < kSwapParams.num_slots && attempt < 50; ++attempt) {
      if (rnd(0, 7) == 0) {
        txs.push_back(tx::Noop{});
        ++noops;
        continue;
      }
      const uint32_t a = static_cast<uint32_t>(rnd(1, 4));
      const uint32_t nonce = static_cast<uint32_t>(shadow.account(a)->nonce);
      const bool p12 = rnd(0, 1) == 0;
      uint16_t x = p12 ? 1 : 0, y = p12 ? 2 : 1;
      if (rnd(0, 1) != 0) std::swap(x, y);
      // mantissa * 10^e: from dust to far more than the pool holds (those the node refuses)
      U256 amt{};
      (void)state::checked_mul(amt, u(rnd(1, (uint64_t{1} << 35) - 1)), pow10(static_cast<unsigned>(rnd(0, 13))));
      const bool in = rnd(0, 1) == 0;
      const tx::Tx t = in ? swap_in(a, x, y, amt, u(rnd(0, 1)), nonce) : swap_out(a, x, y, amt, e18(1'000'000), nonce);
      state::State trial = shadow;
      if (!tx::execute(trial, t, kDomain, tx::ExecOptions{kTimestamp, true}).ok()) {
        ++refused;
        continue;
      }
      shadow = std::move(trial);
      ++(in ? exact_in : exact_out);
      txs.push_back(t);
    }
    BatchInput in;
    in.txs = txs;
    in.timestamp = kTimestamp;
    in.batch_number = static_cast<uint64_t>(batch) + 1;
    WitnessResult r = build_witness(s, trees, kSwapParams, in);
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_TRUE(s == shadow);
    EXPECT_EQ(tx::replay_swap_public_data(from_l1, r.witness.pubdata), "") << "batch " << batch;
    EXPECT_TRUE(from_l1 == s) << "batch " << batch << ": the public data does not rebuild the state";
    EXPECT_EQ(r.witness.new_root, state::StateTrees::build(s).root());
    const Checked c = check_swap(r.witness);
    EXPECT_TRUE(c.satisfied) << "batch " << batch;
    EXPECT_EQ(c.public_input, r.witness.public_input);
  }
  std::cout << "[ swaps ] exact_in=" << exact_in << " exact_out=" << exact_out << " noops=" << noops
            << " refused_by_the_node=" << refused << "\n";
  EXPECT_GT(exact_in, 0);
  EXPECT_GT(exact_out, 0);
}

// ---- soundness: one broken rule per test ---------------------------------------------------

TEST(SwapBatchSoundness, AmountOutOffTheFormula) {
  for (int d : {+1, -1}) {  // paying out more than the formula, or keeping a wei
    Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
    expect_honest_swap(b);
    b.w.slots[0].amt2 = d > 0 ? plus(b.w.slots[0].amt2, 1) : minus(b.w.slots[0].amt2, 1);
    rerecord(b.w, b.s0);
    EXPECT_FALSE(check_swap(b.w).satisfied) << d;
  }
}

TEST(SwapBatchSoundness, KDecreasingExactOutPaysLess) {
  Built b = build_swaps({swap_out(1, 2, 1, e18(1), e18(100))});
  expect_honest_swap(b);
  b.w.slots[0].amt1 = minus(b.w.slots[0].amt1, 1);
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, MinOutAndMaxInViolated) {
  {
    Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
    auto t = std::get<tx::SwapExactIn>(swap_in(1, 1, 2, e18(3), u(1)));
    const U256 min = plus(b.w.slots[0].amt2, 1);
    t.amount_out_min = amount(min);
    b.w.slots[0].limit = min;
    resign(b.w.slots[0], t, 1);
    EXPECT_FALSE(check_swap(b.w).satisfied);
    t.amount_out_min = amount(b.w.slots[0].amt2);  // exactly the amount out: valid
    b.w.slots[0].limit = b.w.slots[0].amt2;
    resign(b.w.slots[0], t, 1);
    EXPECT_TRUE(check_swap(b.w).satisfied);
  }
  {
    Built b = build_swaps({swap_out(1, 2, 1, e18(1), e18(100))});
    auto t = std::get<tx::SwapExactOut>(swap_out(1, 2, 1, e18(1), e18(100)));
    const U256 max = minus(b.w.slots[0].amt1, 1);
    t.amount_in_max = amount(max);
    b.w.slots[0].limit = max;
    resign(b.w.slots[0], t, 1);
    EXPECT_FALSE(check_swap(b.w).satisfied);
  }
}

TEST(SwapBatchSoundness, BalanceUnderflow) {
  state::State s0 = genesis();
  state::AccountIndex idx = 0;
  ASSERT_TRUE(s0.create_account(pub_for(5), idx).ok());
  ASSERT_TRUE(s0.deposit(5, 1, e18(1)).ok());
  Built control = build_swaps({swap_in(1, 1, 2, e18(2), u(1))}, s0);
  expect_honest_swap(control);
  Built b = build_swaps({swap_in(5, 1, 2, e18(1), u(1))}, s0);  // all of account 5's token 1
  expect_honest_swap(b);
  retarget_exact_in(b, 5, 1, 2, e18(2));  // the control's amounts, one token more than it holds
  EXPECT_EQ(b.w.slots[0].amt2, control.w.slots[0].amt2);
  EXPECT_FALSE(check_swap(b.w).satisfied);
}

/// A pool (3, 0) whose token-3 reserve is 2^112 - 10^20 (and 5 * 10^23 of token 0), added by
/// account 4 (which holds 2^128 - 10 of token 3).
state::State genesis_with_deep_pool() {
  state::State s0 = genesis();
  state::TokenId lp = 0;
  EXPECT_TRUE(s0.create_pool(3, 0, lp).ok());
  state::AddLiquidityReceipt rc;
  const U256 deep{0, uint64_t{1} << 48, 0, 0};  // 2^112
  U256 r3{};
  (void)ff::sub_with_borrow(r3, deep, e18(100));
  EXPECT_TRUE(s0.add_liquidity(4, 3, 0, r3, e18(500'000), u(0), u(0), rc).ok());
  return s0;
}

TEST(SwapBatchSoundness, ReserveReaches2To112) {
  const state::State s0 = genesis_with_deep_pool();
  Built b = build_swaps({swap_in(4, 3, 0, e18(50), u(0))}, s0);
  expect_honest_swap(b);
  retarget_exact_in(b, 4, 3, 0, e18(100));  // r_in + 10^20 = 2^112: the pair's OVERFLOW
  EXPECT_FALSE(check_swap(b.w).satisfied);
  retarget_exact_in(b, 4, 3, 0, e18(99));
  EXPECT_TRUE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, BalanceOverflow) {
  // Account 4 holds 2^128 - 10 of token 3 and buys 5, then (tampered) 20 of it, from a pool
  // (3, 0) that account 1 funded.
  state::State s0 = genesis();
  state::TokenId lp = 0;
  ASSERT_TRUE(s0.create_pool(3, 0, lp).ok());
  state::AddLiquidityReceipt rc;
  ASSERT_TRUE(s0.add_liquidity(1, 3, 0, e18(1000), e18(1000), u(0), u(0), rc).ok());
  const auto [rin, rout] = reserves(s0, 0, 3);
  const auto bought = [&, rin = rin, rout = rout](uint64_t out) {  // clang 14 captures no structured binding  // the exact-out swap retargeted to `out`, checked
    Built b = build_swaps({swap_out(4, 0, 3, u(5), e18(1))}, s0);
    U256 in{};
    EXPECT_EQ(state::get_amount_in(u(out), rin, rout, in), state::AmmError::kOk);
    auto t = std::get<tx::SwapExactOut>(swap_out(4, 0, 3, u(out), e18(1)));
    b.w.slots[0].amt1 = in;
    b.w.slots[0].amt2 = u(out);
    resign(b.w.slots[0], t, 4);
    rerecord(b.w, b.s0);
    return check_swap(b.w).satisfied;
  };
  EXPECT_TRUE(bought(9));    // 2^128 - 1: the largest balance
  EXPECT_FALSE(bought(10));  // 2^128
  EXPECT_FALSE(bought(20));
}

TEST(SwapBatchSoundness, ReplayedNonce) {
  Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  auto t = std::get<tx::SwapExactIn>(swap_in(1, 1, 2, e18(3), u(1)));
  t.nonce = 1;  // signed for another nonce than the account's (0)
  resign(b.w.slots[0], t, 1);
  EXPECT_FALSE(check_swap(b.w).satisfied);
  b.w.slots[0].a_nonce = 1;  // and the leaf claimed at that nonce: not the tree's leaf
  EXPECT_FALSE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, ExpiredDeadline) {
  Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  b.w.timestamp = kTimestamp + 101;
  EXPECT_FALSE(check_swap(b.w).satisfied);
  b.w.timestamp = kTimestamp + 100;  // deadline == timestamp is still valid
  EXPECT_TRUE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, BadSignatureAndSNotReduced) {
  Built b = build_swaps({swap_out(1, 2, 1, e18(1), e18(100))});
  const U256 s = b.w.slots[0].s;
  b.w.slots[0].s = plus(s, 1);
  EXPECT_FALSE(check_swap(b.w).satisfied);
  U256 sl{};  // S + l: the same point S * Base8, rejected only by S < l
  (void)ff::add_with_carry(sl, s, ec::BabyJubScalarSpec::kModulus);
  b.w.slots[0].s = sl;
  EXPECT_FALSE(check_swap(b.w).satisfied);
  b.w.slots[0].s = s;
  EXPECT_TRUE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, WrongMerkleSibling) {
  for (int which = 0; which < 4; ++which) {
    Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
    SlotWitness& sw = b.w.slots[0];
    std::vector<Fr>& path = which == 0 ? sw.path_x : which == 1 ? sw.path_y : which == 2 ? sw.a_account_path : sw.pool_path;
    path[which] += Fr::one();
    EXPECT_FALSE(check_swap(b.w).satisfied) << which;
  }
}

TEST(SwapBatchSoundness, SwapThroughAnotherPool) {
  // The user signed token 1 -> 2; the operator routes it through pool (0, 1) instead.
  Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  const Built other = build_swaps({swap_in(1, 1, 0, e18(3), u(1))});
  b.w.slots[0] = other.w.slots[0];
  const auto sig = b.w.slots[0];
  Built signed_right = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  b.w.slots[0].r8_x = signed_right.w.slots[0].r8_x;
  b.w.slots[0].r8_y = signed_right.w.slots[0].r8_y;
  b.w.slots[0].s = signed_right.w.slots[0].s;
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check_swap(b.w).satisfied);
  b.w.slots[0] = sig;  // with the other swap's own signature it is that valid swap
  rerecord(b.w, b.s0);
  EXPECT_TRUE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, NoopCarriesNoAccount) {
  Built b = build_swaps({swap_in(2, 1, 2, e18(3), u(1)), tx::Noop{}});
  expect_honest_swap(b);
  SlotWitness& noop = b.w.slots[1];  // account 1's leaf, unchanged: only the noop rule breaks
  noop.account_a = 1;
  noop.a_pk_x = pub_for(1).x;
  noop.a_pk_y = pub_for(1).y;
  noop.a_nonce = 0;
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, AmountWithoutAFloatEncoding) {
  Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  retarget_exact_in(b, 1, 1, 2, plus(e18(3), 1));  // 3 * 10^18 + 1: 19 significant digits
  EXPECT_FALSE(check_swap(b.w).satisfied);
  retarget_exact_in(b, 1, 1, 2, plus(e18(3), 1'000'000'000));  // 3,000,000,001 * 10^9: encodable
  EXPECT_TRUE(check_swap(b.w).satisfied);
}

TEST(SwapBatchSoundness, WrongPubdataByte) {
  const Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1)), swap_out(2, 2, 1, e18(1), e18(100))});
  for (size_t byte : {size_t{0}, size_t{4}, size_t{9}, size_t{10}, b.w.pubdata.size() - 1}) {
    std::vector<uint8_t> all = b.w.header;
    all.insert(all.end(), b.w.pubdata.begin(), b.w.pubdata.end());
    all[kHeaderBytes + byte] ^= 1;
    const Fr pi = public_input_of(all);
    EXPECT_FALSE(check_swap(b.w, &pi).satisfied) << "byte " << byte;
  }
  // The universal circuit's key cannot take a swap batch's header (its slot-count field differs).
  std::vector<uint8_t> all = b.w.header;
  all[92] = 0;
  all.insert(all.end(), b.w.pubdata.begin(), b.w.pubdata.end());
  const Fr pi = public_input_of(all);
  EXPECT_FALSE(check_swap(b.w, &pi).satisfied);
}

TEST(SwapBatch, NoFreeWires) {
  const std::vector<std::vector<tx::Tx>> batches = {
      {swap_in(2, 1, 2, e18(3), u(1)), tx::Noop{}},
      {swap_out(1, 2, 1, e18(1), e18(100)), swap_in(3, 0, 1, e18(1), u(0))},
      {tx::Noop{}, swap_in(3, 0, 1, e18(1), u(0))},
  };
  for (const auto& txs : batches) expect_no_free_wires(kSwapParams, build_swaps(txs).w);
}

}  // namespace
}  // namespace zkamm::batch::testing
