#include "tx/encoding.hpp"

#include <gtest/gtest.h>

#include "hash/keccak256.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

using testing::random_tx;

TEST(TxEncoding, RoundTripsEveryTypeOnRandomValues) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx encoding"));
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) {
    for (int k = 0; k < 200; ++k) {
      const Tx t = random_tx(rng, static_cast<TxType>(ty));
      ASSERT_TRUE(in_range(t));
      const auto bytes = encode(t);
      ASSERT_EQ(bytes.size(), encoded_size(static_cast<TxType>(ty)));
      EXPECT_EQ(bytes[0], ty);
      DecodeError why{};
      const auto back = decode(bytes, &why);
      ASSERT_TRUE(back.has_value()) << int(ty) << " error " << int(why);
      EXPECT_EQ(*back, t);
      EXPECT_EQ(encode(*back), bytes);
    }
  }
}

TEST(TxEncoding, SizesAreTheDocumentedOnes) {  // docs/TRANSACTIONS.md 2
  EXPECT_EQ(encoded_size(TxType::Noop), 1u);
  EXPECT_EQ(encoded_size(TxType::Deposit), 1u + 8 + 4 + 2 + 16);
  EXPECT_EQ(encoded_size(TxType::FullExit), 1u + 8 + 4 + 2);
  EXPECT_EQ(encoded_size(TxType::Transfer), 1u + 4 + 4 + 2 + 16 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::SwapExactIn), 1u + 4 + 2 + 2 + 16 + 16 + 8 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::SwapExactOut), 1u + 4 + 2 + 2 + 16 + 16 + 8 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::CreatePool), 1u + 4 + 2 + 2 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::AddLiquidity), 1u + 4 + 2 + 2 + 4 * 16 + 8 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::RemoveLiquidity), 1u + 4 + 2 + 2 + 3 * 16 + 8 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::Withdraw), 1u + 4 + 2 + 16 + 20 + 4 + 64);
  EXPECT_EQ(encoded_size(TxType::CreateAccount), 1u + 8 + 4 + 32);
  EXPECT_EQ(encoded_size(static_cast<TxType>(kTxTypeCount)), 0u);
}

TEST(TxEncoding, HandWrittenSwapBytes) {  // self-generated vector, layout read off the doc
  SwapExactIn s;
  s.account = 0x010203;
  s.token_in = 0x0104;
  s.token_out = 7;
  s.amount_in = (Amount{1} << 64) | 5;
  s.amount_out_min = 9;
  s.deadline = 0x1122334455667788ULL;
  s.nonce = 0xdeadbeef;
  s.signature.fill(0xab);
  const auto b = encode(Tx{s});
  std::vector<uint8_t> want = {4, 0, 1, 2, 3, 1, 4, 0, 7};
  for (int i = 0; i < 7; ++i) want.push_back(0);
  want.push_back(1);
  for (int i = 0; i < 7; ++i) want.push_back(0);
  want.push_back(5);
  for (int i = 0; i < 15; ++i) want.push_back(0);
  want.push_back(9);
  for (uint8_t x : {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0xde, 0xad, 0xbe, 0xef}) want.push_back(x);
  for (int i = 0; i < 64; ++i) want.push_back(0xab);
  EXPECT_EQ(b, want);
}

TEST(TxEncoding, RejectsTruncatedExtendedAndUnknown) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx encoding rejects"));
  DecodeError why{};
  EXPECT_FALSE(decode({}, &why));
  EXPECT_EQ(why, DecodeError::Empty);
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) {
    const auto bytes = encode(random_tx(rng, static_cast<TxType>(ty)));
    for (std::size_t n = 1; n < bytes.size(); ++n) {
      EXPECT_FALSE(decode(std::span(bytes.data(), n), &why));
      EXPECT_EQ(why, DecodeError::Truncated);
    }
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(decode(longer, &why));
    EXPECT_EQ(why, DecodeError::TrailingBytes);
  }
  for (int ty = kTxTypeCount; ty < 256; ++ty) {
    const std::vector<uint8_t> b(200, static_cast<uint8_t>(ty));
    EXPECT_FALSE(decode(b, &why));
    EXPECT_EQ(why, DecodeError::UnknownType);
  }
}

TEST(TxEncoding, RejectsOutOfRangeAccountAndToken) {
  Transfer t;
  t.from = kAccountLimit - 1;
  t.to = 1;
  t.token = kTokenLimit - 1;
  auto ok = encode(Tx{t});
  EXPECT_TRUE(decode(ok));
  DecodeError why{};
  auto bad = ok;
  bad[1] = 1;  // from's top byte: from >= 2^24
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::AccountOutOfRange);
  bad = ok;
  bad[5] = 0x80;  // to's top byte
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::AccountOutOfRange);
  bad = ok;
  bad[9] = 0x04;  // token = 0x04ff >= 2^10
  EXPECT_FALSE(decode(bad, &why));
  EXPECT_EQ(why, DecodeError::TokenOutOfRange);
  t.token = kTokenLimit;
  EXPECT_FALSE(in_range(Tx{t}));
  t.token = 0;
  t.from = kAccountLimit;
  EXPECT_FALSE(in_range(Tx{t}));

  Deposit d;
  d.token = kTokenLimit;
  EXPECT_FALSE(decode(encode(Tx{d}), &why));
  EXPECT_EQ(why, DecodeError::TokenOutOfRange);
  Withdraw w;
  w.account = 0xffffffff;
  EXPECT_FALSE(decode(encode(Tx{w}), &why));
  EXPECT_EQ(why, DecodeError::AccountOutOfRange);
}

TEST(TxEncoding, TxHashIsKeccakOfTheEncoding) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx hash"));
  const Tx t = random_tx(rng, TxType::Withdraw);
  const auto b = encode(t);
  EXPECT_EQ(tx_hash(t), hash::keccak256(b));
  Tx u = t;
  std::get<Withdraw>(u).nonce ^= 1;
  EXPECT_NE(tx_hash(u), tx_hash(t));
}

}  // namespace
}  // namespace zkamm::tx
