#include "tx/public_data.hpp"

#include <gtest/gtest.h>

#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

TEST(TxPublicData, SizeMatchesTableForEveryType) {
  std::mt19937_64 rng(testing::test_seed("tx public data"));
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) {
    const Tx t = testing::random_tx(rng, static_cast<TxType>(ty));
    const auto pd = public_data(t, Executed{1, 2, 3, 4});
    EXPECT_EQ(pd.size(), public_data_size(static_cast<TxType>(ty))) << int(ty);
    EXPECT_EQ(pd[0], ty);
  }
  EXPECT_EQ(public_data_size(TxType::SwapExactIn), 40u);  // 640 calldata gas at 16 gas/byte
}

TEST(TxPublicData, SwapLayout) {  // self-generated vector, layout read off the doc
  SwapExactOut s;
  s.account = 0xabcdef;
  s.token_in = 0x3ff;
  s.token_out = 1;
  s.amount_out = 77;          // the signed limit is not published ...
  s.amount_in_max = 1000;
  Executed ex;
  ex.amount_in = (Amount{0x1234} << 112) | 0x99;  // ... the executed amounts are
  ex.amount_out = 77;
  const auto pd = public_data(Tx{s}, ex);
  std::vector<uint8_t> want = {5, 0xab, 0xcd, 0xef, 0x03, 0xff, 0x00, 0x01, 0x12, 0x34};
  for (int i = 0; i < 13; ++i) want.push_back(0);
  want.push_back(0x99);
  for (int i = 0; i < 15; ++i) want.push_back(0);
  want.push_back(77);
  EXPECT_EQ(pd, want);
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
