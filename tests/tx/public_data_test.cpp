#include "tx/public_data.hpp"

#include <gtest/gtest.h>

#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

/// Appends a 16-byte big-endian amount below 2^16, as the public data writes it.
void push_amount(std::vector<uint8_t>& v, uint16_t amount) {
  v.insert(v.end(), 14, 0);
  v.push_back(static_cast<uint8_t>(amount >> 8));
  v.push_back(static_cast<uint8_t>(amount));
}

TEST(TxPublicData, SizeMatchesTableForEveryType) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx public data"));
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) {
    const Tx t = testing::random_tx(rng, static_cast<TxType>(ty));
    const auto pd = public_data(t, Executed{1, 2, 3, 4});
    const auto* fe = std::get_if<FullExit>(&t);
    const size_t want = fe != nullptr && fe->token < kFirstLpTokenId ? 22 : public_data_size(static_cast<TxType>(ty));
    EXPECT_EQ(pd.size(), want) << int(ty);
    EXPECT_EQ(pd[0], ty);
  }
  EXPECT_EQ(public_data_size(TxType::SwapExactIn), 24u);  // 384 calldata gas at 16 gas/byte
  EXPECT_EQ(public_data_size(TxType::Withdraw), kSlotPublicDataBytes);  // the largest: 42
  EXPECT_TRUE(slot_fits_every_type());
}

TEST(TxPublicData, FullExitLayouts) {  // self-generated vectors, layouts read off the doc
  const FullExit plain{5, 0x010203, 7};
  std::vector<uint8_t> want = {2, 0x01, 0x02, 0x03, 0x00, 0x07};
  push_amount(want, 99);
  EXPECT_EQ(public_data(Tx{plain}, Executed{99, 0, 0, 0}), want);
  // An LP token (512 + 3): lp_token, token0, amount0, token1, amount1; the liquidity burned is
  // not published (the whole position, which the state knows).
  const FullExit lp{6, 0x010203, 515};
  Executed ex{11, 22, 1000, 0, 4, 9};
  want = {2, 0x01, 0x02, 0x03, 0x02, 0x03, 0x00, 0x04};
  push_amount(want, 11);
  want.insert(want.end(), {0x00, 0x09});
  push_amount(want, 22);
  EXPECT_EQ(public_data(Tx{lp}, ex), want);
  EXPECT_EQ(want.size(), kSlotPublicDataBytes);
}

TEST(TxPublicData, SwapLayout) {  // self-generated vector, layout read off the doc
  SwapExactOut s;
  s.account = 0xabcdef;
  s.token_in = 0x3ff;
  s.token_out = 1;
  s.amount_out = 77;
  s.amount_in_max = 1000;  // the signed limit is not published, nor the amount paid in
  Executed ex;
  ex.amount_in = (Amount{0x1234} << 112) | 0x99;
  ex.amount_out = 77;
  std::vector<uint8_t> want = {5, 0xab, 0xcd, 0xef, 0x03, 0xff, 0x00, 0x01};
  push_amount(want, 77);
  EXPECT_EQ(public_data(Tx{s}, ex), want);

  SwapExactIn e;  // exact in: the amount paid in, not the amount out
  e.account = 2;
  e.token_in = 1;
  e.token_out = 2;
  e.amount_in = 0x99;
  e.amount_out_min = 5;
  ex.amount_in = 0x99;
  ex.amount_out = 60;
  want = {4, 0, 0, 2, 0, 1, 0, 2};
  push_amount(want, 0x99);
  EXPECT_EQ(public_data(Tx{e}, ex), want);
}

TEST(TxPublicData, LiquidityLayouts) {  // self-generated vectors, layout read off the doc
  AddLiquidity a;
  a.account = 3;
  a.token_a = 1;
  a.token_b = 2;
  a.amount_a_desired = 100;
  a.amount_b_desired = 200;
  Executed ex;
  ex.amount_in = 100;  // amount_a
  ex.amount_out = 150;  // amount_b
  ex.liquidity = 122;   // minted: not published
  std::vector<uint8_t> want = {7, 0, 0, 3, 0, 1, 0, 2};
  push_amount(want, 100);
  push_amount(want, 150);
  EXPECT_EQ(public_data(Tx{a}, ex), want);

  RemoveLiquidity r;
  r.account = 3;
  r.token_a = 1;
  r.token_b = 2;
  r.liquidity = 0x4242;  // burned: published; the amounts paid are not
  want = {8, 0, 0, 3, 0, 1, 0, 2};
  push_amount(want, 0x4242);
  EXPECT_EQ(public_data(Tx{r}, ex), want);
}

TEST(TxPublicData, AppendsBatchesBackToBack) {
  std::vector<uint8_t> out;
  append_public_data(out, Tx{Noop{}});
  append_public_data(out, Tx{Noop{}});
  Withdraw w;
  w.l1_address.fill(0xee);
  append_public_data(out, Tx{w});
  EXPECT_EQ(out.size(), 2 + public_data_size(TxType::Withdraw));
  EXPECT_EQ(out.back(), 0xee);
}

}  // namespace
}  // namespace zkamm::tx
