// Swap batches (docs/CIRCUIT.md section 5) against the node's state transition: an honest batch
// of swaps satisfies the swap-batch R1CS with the node's new root and the public input of the
// natively built header and 10-byte slots (OpenSSL SHA-256), and the public data alone rebuilds
// the state; every swap rule broken in a witness makes it unsatisfied (the rules the universal
// circuit shares: swap_soundness_test.cpp, run on both). Self-generated
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

U256 pow10(unsigned e) {
  U256 v = u(1);
  for (unsigned i = 0; i < e; ++i) (void)state::checked_mul(v, v, u(10));
  return v;
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
// The swap rules the universal circuit shares are the SwapSoundness suite
// (swap_soundness_test.cpp), run on both circuits; here only the swap circuit's own rule.

TEST(SwapBatchSoundness, AmountWithoutAFloatEncoding) {
  Built b = build_swaps({swap_in(1, 1, 2, e18(3), u(1))});
  retarget_exact_in(b, 1, 1, 2, plus(e18(3), 1));  // 3 * 10^18 + 1: 19 significant digits
  EXPECT_FALSE(check_swap(b.w).satisfied);
  retarget_exact_in(b, 1, 1, 2, plus(e18(3), 1'000'000'000));  // 3,000,000,001 * 10^9: encodable
  EXPECT_TRUE(check_swap(b.w).satisfied);
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
