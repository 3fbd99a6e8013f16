// The swap rules both batch circuits enforce, each dishonest choice written once and run against
// the universal circuit (docs/CIRCUIT.md sections 3-4) and the swap-only one (section 5): build
// an honest batch of swaps for the circuit, tamper with its witness, check that it no longer
// satisfies the circuit's R1CS. Rules only one circuit has stay in batch_circuit_test.cpp
// (BatchSoundness) and swap_batch_test.cpp (SwapBatchSoundness).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "batch_fixture.hpp"
#include "state/amm.hpp"

namespace zkamm::batch::testing {
namespace {

// ---- the adapter: one circuit kind, its parameters and its R1CS ----------------------------

struct Circuit {
  const char* name;
  const BatchParams* params;
  const snark::R1cs& (*r1cs)();
};
const Circuit kUniversal{"Universal", &kParams, &r1cs2};
const Circuit kSwapOnly{"SwapOnly", &kSwapParams, &swap_r1cs2};

class SwapSoundness : public ::testing::TestWithParam<Circuit> {
 protected:
  const BatchParams& params() const { return *GetParam().params; }
  /// An honest batch of txs for this circuit on s0.
  Built build_for(const std::vector<tx::Tx>& txs, const state::State& s0 = genesis()) const {
    return build(txs, kTimestamp, params(), s0);
  }
  Checked check_for(const BatchWitness& w, const Fr* pi_override = nullptr) const {
    return check_with(params(), GetParam().r1cs(), w, pi_override);
  }
  bool satisfied(const BatchWitness& w) const { return check_for(w).satisfied; }
  void expect_honest(const Built& b) const {
    const Checked c = check_for(b.w);
    EXPECT_TRUE(c.satisfied);
    EXPECT_EQ(c.public_input, b.w.public_input);
  }
};

U256 minus(const U256& v, uint64_t d) {
  U256 o{};
  (void)ff::sub_with_borrow(o, v, u(d));
  return o;
}

// ---- soundness: one broken rule per test ---------------------------------------------------

TEST_P(SwapSoundness, AmountOutOffTheFormula) {
  for (int d : {+1, -1}) {  // paying out more than the formula, or keeping a wei
    Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
    expect_honest(b);
    b.w.slots[0].amt2 = d > 0 ? plus(b.w.slots[0].amt2, 1) : minus(b.w.slots[0].amt2, 1);
    rerecord(b.w, b.s0);
    EXPECT_FALSE(satisfied(b.w)) << d;
  }
}

TEST_P(SwapSoundness, KDecreasingExactOutPaysLess) {
  Built b = build_for({swap_out(1, 2, 1, e18(1), e18(100))});
  expect_honest(b);
  b.w.slots[0].amt1 = minus(b.w.slots[0].amt1, 1);
  rerecord(b.w, b.s0);
  EXPECT_FALSE(satisfied(b.w));
}

TEST_P(SwapSoundness, MinOutAndMaxInViolated) {
  {
    Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
    auto t = std::get<tx::SwapExactIn>(swap_in(1, 1, 2, e18(3), u(1)));
    const U256 min = plus(b.w.slots[0].amt2, 1);
    t.amount_out_min = amount(min);
    b.w.slots[0].limit = min;
    resign(b.w.slots[0], t, 1);
    EXPECT_FALSE(satisfied(b.w));
    t.amount_out_min = amount(b.w.slots[0].amt2);  // exactly the amount out: valid
    b.w.slots[0].limit = b.w.slots[0].amt2;
    resign(b.w.slots[0], t, 1);
    EXPECT_TRUE(satisfied(b.w));
  }
  {
    Built b = build_for({swap_out(1, 2, 1, e18(1), e18(100))});
    auto t = std::get<tx::SwapExactOut>(swap_out(1, 2, 1, e18(1), e18(100)));
    const U256 max = minus(b.w.slots[0].amt1, 1);
    t.amount_in_max = amount(max);
    b.w.slots[0].limit = max;
    resign(b.w.slots[0], t, 1);
    EXPECT_FALSE(satisfied(b.w));
    t.amount_in_max = amount(b.w.slots[0].amt1);  // exactly the amount in: valid
    b.w.slots[0].limit = b.w.slots[0].amt1;
    resign(b.w.slots[0], t, 1);
    EXPECT_TRUE(satisfied(b.w));
  }
}

TEST_P(SwapSoundness, BalanceUnderflow) {
  state::State s0 = genesis();
  state::AccountIndex idx = 0;
  ASSERT_TRUE(s0.create_account(pub_for(5), idx).ok());
  ASSERT_TRUE(s0.deposit(5, 1, e18(1)).ok());
  Built control = build_for({swap_in(1, 1, 2, e18(2), u(1))}, s0);
  expect_honest(control);
  Built b = build_for({swap_in(5, 1, 2, e18(1), u(1))}, s0);  // all of account 5's token 1
  expect_honest(b);
  retarget_exact_in(b, 5, 1, 2, e18(2));  // the control's amounts, one token more than it holds
  EXPECT_EQ(b.w.slots[0].amt2, control.w.slots[0].amt2);
  EXPECT_FALSE(satisfied(b.w));
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

TEST_P(SwapSoundness, ReserveReaches2To112) {
  const state::State s0 = genesis_with_deep_pool();
  Built b = build_for({swap_in(4, 3, 0, e18(50), u(0))}, s0);
  expect_honest(b);
  retarget_exact_in(b, 4, 3, 0, e18(100));  // r_in + 10^20 = 2^112: the pair's OVERFLOW
  EXPECT_FALSE(satisfied(b.w));
  retarget_exact_in(b, 4, 3, 0, e18(99));
  EXPECT_TRUE(satisfied(b.w));
}

TEST_P(SwapSoundness, BalanceOverflow) {
  // Account 4 holds 2^128 - 10 of token 3 and buys 5, then (tampered) 20 of it, from a pool
  // (3, 0) that account 1 funded.
  state::State s0 = genesis();
  state::TokenId lp = 0;
  ASSERT_TRUE(s0.create_pool(3, 0, lp).ok());
  state::AddLiquidityReceipt rc;
  ASSERT_TRUE(s0.add_liquidity(1, 3, 0, e18(1000), e18(1000), u(0), u(0), rc).ok());
  const auto [rin, rout] = reserves(s0, 0, 3);
  // The exact-out swap retargeted to `out`, checked (clang 14 captures no structured binding).
  const auto bought = [&, rin = rin, rout = rout](uint64_t out) {
    Built b = build_for({swap_out(4, 0, 3, u(5), e18(1))}, s0);
    U256 in{};
    EXPECT_EQ(state::get_amount_in(u(out), rin, rout, in), state::AmmError::kOk);
    auto t = std::get<tx::SwapExactOut>(swap_out(4, 0, 3, u(out), e18(1)));
    b.w.slots[0].amt1 = in;
    b.w.slots[0].amt2 = u(out);
    resign(b.w.slots[0], t, 4);
    rerecord(b.w, b.s0);
    return satisfied(b.w);
  };
  EXPECT_TRUE(bought(9));    // 2^128 - 1: the largest balance
  EXPECT_FALSE(bought(10));  // 2^128
  EXPECT_FALSE(bought(20));
}

TEST_P(SwapSoundness, ReplayedNonce) {
  Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
  auto t = std::get<tx::SwapExactIn>(swap_in(1, 1, 2, e18(3), u(1)));
  t.nonce = 1;  // signed for another nonce than the account's (0)
  resign(b.w.slots[0], t, 1);
  EXPECT_FALSE(satisfied(b.w));
  b.w.slots[0].a_nonce = 1;  // and the leaf claimed at that nonce: not the tree's leaf
  EXPECT_FALSE(satisfied(b.w));
}

TEST_P(SwapSoundness, ExpiredDeadline) {
  Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
  b.w.timestamp = kTimestamp + 101;
  EXPECT_FALSE(satisfied(b.w));
  b.w.timestamp = kTimestamp + 100;  // deadline == timestamp is still valid
  EXPECT_TRUE(satisfied(b.w));
}

TEST_P(SwapSoundness, BadSignatureAndSNotReduced) {
  Built b = build_for({swap_out(1, 2, 1, e18(1), e18(100))});
  const U256 s = b.w.slots[0].s;
  b.w.slots[0].s = plus(s, 1);
  EXPECT_FALSE(satisfied(b.w));
  U256 sl{};  // S + l: the same point S * Base8, rejected only by S < l
  (void)ff::add_with_carry(sl, s, ec::BabyJubScalarSpec::kModulus);
  b.w.slots[0].s = sl;
  EXPECT_FALSE(satisfied(b.w));
  b.w.slots[0].s = s;
  EXPECT_TRUE(satisfied(b.w));
}

TEST_P(SwapSoundness, WrongMerkleSibling) {
  // One sibling of each path a swap slot opens, at several levels.
  struct Case {
    std::vector<Fr> SlotWitness::*path;
    size_t level;
  };
  for (const Case& c :
       {Case{&SlotWitness::path_x, 0}, Case{&SlotWitness::path_y, 1}, Case{&SlotWitness::a_account_path, 2},
        Case{&SlotWitness::pool_path, 3}, Case{&SlotWitness::pool_path, 4}}) {
    Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
    (b.w.slots[0].*c.path)[c.level] += Fr::one();
    EXPECT_FALSE(satisfied(b.w)) << "level " << c.level;
  }
}

TEST_P(SwapSoundness, SwapThroughAnotherPool) {
  // The user signed token 1 -> 2; the operator routes it through pool (0, 1) instead.
  Built b = build_for({swap_in(1, 1, 2, e18(3), u(1))});
  const Built other = build_for({swap_in(1, 1, 0, e18(3), u(1))});
  b.w.slots[0] = other.w.slots[0];
  const auto sig = b.w.slots[0];
  Built signed_right = build_for({swap_in(1, 1, 2, e18(3), u(1))});
  b.w.slots[0].r8_x = signed_right.w.slots[0].r8_x;
  b.w.slots[0].r8_y = signed_right.w.slots[0].r8_y;
  b.w.slots[0].s = signed_right.w.slots[0].s;
  rerecord(b.w, b.s0);
  EXPECT_FALSE(satisfied(b.w));
  b.w.slots[0] = sig;  // with the other swap's own signature it is that valid swap
  rerecord(b.w, b.s0);
  EXPECT_TRUE(satisfied(b.w));
}

TEST_P(SwapSoundness, NoopCarriesNoAccount) {
  Built b = build_for({swap_in(2, 1, 2, e18(3), u(1)), tx::Noop{}});
  expect_honest(b);
  SlotWitness& noop = b.w.slots[1];  // account 1's leaf, unchanged: only the noop rule breaks
  noop.account_a = 1;
  noop.a_pk_x = pub_for(1).x;
  noop.a_pk_y = pub_for(1).y;
  noop.a_nonce = 0;
  rerecord(b.w, b.s0);
  EXPECT_FALSE(satisfied(b.w));
}

TEST_P(SwapSoundness, WrongPubdataByte) {
  const Built b = build_for({swap_in(1, 1, 2, e18(3), u(1)), swap_out(2, 2, 1, e18(1), e18(100))});
  const size_t slot_bytes = b.w.pubdata.size() / params().num_slots;
  // The first, a middle and the last byte of each slot, and the swap-only slots' boundaries.
  for (size_t byte : {size_t{0}, size_t{4}, size_t{5}, size_t{9}, slot_bytes - 1, slot_bytes, slot_bytes + 5,
                      b.w.pubdata.size() - 1}) {
    std::vector<uint8_t> all = b.w.header;
    all.insert(all.end(), b.w.pubdata.begin(), b.w.pubdata.end());
    all[kHeaderBytes + byte] ^= 1;
    const Fr pi = public_input_of(all);
    EXPECT_FALSE(check_for(b.w, &pi).satisfied) << "byte " << byte;
  }
  // The other circuit's key cannot take this batch's header (its kind byte differs).
  std::vector<uint8_t> all = b.w.header;
  all[tx::batch_header::kKind.offset] ^= 1;
  all.insert(all.end(), b.w.pubdata.begin(), b.w.pubdata.end());
  const Fr pi = public_input_of(all);
  EXPECT_FALSE(check_for(b.w, &pi).satisfied);
}

INSTANTIATE_TEST_SUITE_P(Circuits, SwapSoundness, ::testing::Values(kUniversal, kSwapOnly),
                         [](const ::testing::TestParamInfo<Circuit>& kind) { return std::string(kind.param.name); });

}  // namespace
}  // namespace zkamm::batch::testing
