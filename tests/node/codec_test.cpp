// Store records round-trip and reject truncated or extended input; the batch header and public
// input follow docs/BATCH.md (checked against OpenSSL's SHA-256 via hash::sha256 and hand layout).
#include "node/codec.hpp"

#include <gtest/gtest.h>

#include "hash/sha256.hpp"
#include "tx/encoding.hpp"

namespace zkamm::node {
namespace {

TEST(Codec, AccountRoundTripAndRejects) {
  state::Account a;
  a.index = 77;
  a.public_key.x = ff::Fr::from_u64(5);
  a.public_key.y = ff::Fr::from_u64(9);
  a.nonce = 123456789;
  a.balances[1] = U256{1, 2, 0, 0};
  a.balances[600] = U256{~0ull, ~0ull, 0, 0};
  const std::string enc = encode_account(a);
  const auto back = decode_account(enc);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, a);
  EXPECT_FALSE(decode_account(enc.substr(0, enc.size() - 1)));
  EXPECT_FALSE(decode_account(enc + "x"));
  std::string bad = enc;
  for (int i = 4; i < 36; ++i) bad[i] = '\xff';  // x >= r
  EXPECT_FALSE(decode_account(bad));
}

TEST(Codec, PoolAndTokenRoundTrip) {
  state::Pool p{1, 2, 512, U256{10, 0, 0, 0}, U256{20, 1, 0, 0}, U256{7, 0, 0, 0}};
  EXPECT_EQ(*decode_pool(encode_pool(p)), p);
  EXPECT_FALSE(decode_pool(encode_pool(p).substr(1)));
  state::Token t{3, {}, false};
  t.l1_address[19] = 0x42;
  EXPECT_EQ(*decode_token(encode_token(t)), t);
}

TEST(Codec, BlockRoundTrip) {
  Block b;
  b.header.number = 9;
  b.header.timestamp = 1700000000123;
  b.header.parent_hash[0] = 1;
  tx::Transfer tr;
  tr.from = 1;
  tr.to = 2;
  tr.token = 3;
  tr.amount = 44;
  tr.nonce = 5;
  tx::Deposit d;
  d.serial = 7;
  d.account = 3;
  d.token = 1;
  d.amount = 1000;
  b.txs.push_back(BlockTx{tx::tx_hash(tr), tr, tx::Executed{}});
  b.txs.push_back(BlockTx{tx::tx_hash(d), d, tx::Executed{1000, 0, 0, 0}});
  // An LP full exit also stores the pool's tokens (its public data names them).
  const tx::FullExit fe{8, 3, 513};
  b.txs.push_back(BlockTx{tx::tx_hash(fe), fe, tx::Executed{11, 22, 33, 0, 4, 5}});
  b.header.tx_count = 3;
  b.header.hash = block_hash(b.header, b.txs);
  const auto back = decode_block(encode_block(b));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->header.hash, b.header.hash);
  ASSERT_EQ(back->txs.size(), 3u);
  EXPECT_EQ(back->txs[0].tx, b.txs[0].tx);
  EXPECT_EQ(back->txs[1].executed.amount_in, 1000u);
  const tx::Executed& e = back->txs[2].executed;
  EXPECT_EQ(e.amount_in, 11u);
  EXPECT_EQ(e.amount_out, 22u);
  EXPECT_EQ(e.liquidity, 33u);
  EXPECT_EQ(e.token0, 4u);
  EXPECT_EQ(e.token1, 5u);
  EXPECT_FALSE(decode_block(encode_block(b).substr(0, 50)));
}

TEST(Codec, BatchHeaderLayoutAndPublicInput) {
  Batch b;
  b.header.number = 0x0102030405060708ull;
  b.header.timestamp = 0x1112131415161718ull;
  b.header.old_root = ff::Fr::from_u64(0xaabb);
  b.header.new_root = ff::Fr::from_u64(0xccdd);
  b.header.priority_first = 3;
  b.header.priority_count = 2;
  b.header.num_slots = 4;
  const auto h = b.header.encode();
  EXPECT_EQ(h[0], 0x01);
  EXPECT_EQ(h[7], 0x08);
  EXPECT_EQ(h[8], 0x11);
  EXPECT_EQ(h[46], 0xaa);
  EXPECT_EQ(h[47], 0xbb);
  EXPECT_EQ(h[79], 0xdd);
  EXPECT_EQ(h[87], 3);
  EXPECT_EQ(h[91], 2);
  EXPECT_EQ(h[95], 4);
  b.slots.resize(4);
  b.pubdata = batch_pubdata(b.slots);
  ASSERT_EQ(b.pubdata.size(), 4 * kSlotPubdataBytes);
  for (auto x : b.pubdata) EXPECT_EQ(x, 0);
  std::vector<uint8_t> msg(h.begin(), h.end());
  msg.insert(msg.end(), b.pubdata.begin(), b.pubdata.end());
  auto d = hash::sha256(msg);
  d[0] &= 0x1f;
  EXPECT_EQ(b.public_input(), *ff::Fr::from_bytes_be(d.data()));
  const auto back = decode_batch(encode_batch(b));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->header.encode(), h);
  EXPECT_EQ(back->pubdata, b.pubdata);
}

}  // namespace
}  // namespace zkamm::node
