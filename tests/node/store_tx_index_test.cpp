// The tx index ('x' records, docs/NODE.md "Store"): a record holds the tx's location only and
// Store::tx reads the tx from its block record; records of older nodes (the location followed by
// a copy of the tx and its Executed) still read; an index entry that does not lead to its tx
// (missing block, position past the end, another tx there, a damaged block) reads as nullopt.
#include <gtest/gtest.h>

#include <iostream>

#include "node/store.hpp"
#include "node_test_util.hpp"
#include "tx/encoding.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;
using testing::swap;
using testing::TempDir;
using testing::test_config;
using testing::test_genesis;
using testing::kE18;

std::string index_key(const Hash& h) {
  std::string k(1, 'x');
  k.append(reinterpret_cast<const char*>(h.data()), h.size());
  return k;
}

// The index record as nodes before the one-copy format wrote it (Store::put_tx then): the
// location, u16 length + tx encoding, Executed.
std::string old_index_record(const TxLocation& l, const tx::Tx& t, const tx::Executed& e) {
  std::string v = encode_location(l);
  ByteWriter w(v);
  const auto enc = tx::encode(t);
  w.u16(static_cast<uint16_t>(enc.size()));
  w.bytes(enc);
  write_executed(w, t, e);
  return v;
}

BlockTx block_tx(tx::Tx t, const tx::Executed& e) {
  BlockTx bt;
  bt.hash = tx::tx_hash(t);
  bt.tx = std::move(t);
  bt.executed = e;
  return bt;
}

// Block 3: a full exit of an ordinary token, a swap, a full exit of an LP token (its Executed
// is 4 bytes longer, so the entries after it start where only its tx tells) and two more swaps.
Block test_block() {
  Block b;
  b.header.number = 3;
  b.header.timestamp = 1'700'000'000'000;
  b.header.parent_hash[0] = 7;
  tx::FullExit fe;
  fe.serial = 8;
  fe.account = 2;
  fe.token = 1;
  b.txs.push_back(block_tx(fe, tx::Executed{4, 0, 0, 0, 0, 0}));
  b.txs.push_back(block_tx(swap(2, 0, kE18), tx::Executed{kE18, 3 * kE18, 0, 512, 0, 0}));
  fe.serial = 9;
  fe.account = 3;
  fe.token = tx::kFirstLpTokenId;
  b.txs.push_back(block_tx(fe, tx::Executed{5, 6, 7, 0, 1, 2}));
  b.txs.push_back(block_tx(swap(2, 1, 2 * kE18), tx::Executed{2 * kE18, 5 * kE18, 0, 512, 0, 0}));
  b.txs.push_back(block_tx(swap(3, 0, 3 * kE18), tx::Executed{3 * kE18, 7 * kE18, 0, 512, 0, 0}));
  b.header.tx_count = static_cast<uint32_t>(b.txs.size());
  b.header.hash = block_hash(b.header, b.txs);
  return b;
}

TxLocation location(uint64_t block, uint32_t position) {
  return TxLocation{block, position, 1000 + position, 2000 + position, 3000 + position};
}

void expect_tx(const std::optional<IndexedTx>& got, const TxLocation& l, const BlockTx& want) {
  ASSERT_TRUE(got);
  EXPECT_EQ(got->location.block, l.block);
  EXPECT_EQ(got->location.position, l.position);
  EXPECT_EQ(got->location.received, l.received);
  EXPECT_EQ(got->location.accepted, l.accepted);
  EXPECT_EQ(got->location.soft, l.soft);
  EXPECT_EQ(tx::encode(got->tx), tx::encode(want.tx));
  EXPECT_EQ(got->executed.amount_in, want.executed.amount_in);
  EXPECT_EQ(got->executed.amount_out, want.executed.amount_out);
  EXPECT_EQ(got->executed.liquidity, want.executed.liquidity);
  EXPECT_EQ(got->executed.lp_token, want.executed.lp_token);
  EXPECT_EQ(got->executed.token0, want.executed.token0);
  EXPECT_EQ(got->executed.token1, want.executed.token1);
}

std::unique_ptr<Store> open_store(const TempDir& dir) {
  std::string err;
  auto s = Store::open(dir.str(), err);
  EXPECT_TRUE(s) << err;
  return s;
}

TEST(StoreTxIndex, ASwapSealedByTheNodeReadsBackFromItsBlockThroughALocationOnlyRecord) {
  TempDir dir;
  const auto cfg = test_config(dir.str());
  TxInfo soft;
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    ASSERT_EQ(n.load_genesis_json(test_genesis(3)), "");
    // A few txs so the one looked up is not alone in its block or at position 0 necessarily.
    for (uint32_t i = 0; i < 3; ++i) EXPECT_TRUE(n.submit(swap(3, i, kE18)).accepted);
    soft = n.submit_and_wait(swap(2, 0, 10 * kE18, 1), 5s);
    ASSERT_EQ(soft.status, TxStatus::kSoft) << soft.reason;
    ASSERT_TRUE(n.flush());
    const TxInfo again = n.tx_info(soft.hash);
    EXPECT_EQ(again.status, TxStatus::kSoft);
    EXPECT_EQ(again.block, soft.block);
    EXPECT_EQ(again.position, soft.position);
    EXPECT_EQ(again.times.received, soft.times.received);
    EXPECT_EQ(again.times.accepted, soft.times.accepted);
    EXPECT_EQ(again.times.soft, soft.times.soft);
    ASSERT_TRUE(again.tx && soft.tx && again.executed && soft.executed);
    EXPECT_EQ(tx::encode(*again.tx), tx::encode(*soft.tx));
    EXPECT_EQ(again.executed->amount_in, soft.executed->amount_in);
    EXPECT_EQ(again.executed->amount_out, soft.executed->amount_out);
    EXPECT_EQ(again.executed->lp_token, soft.executed->lp_token);
    n.stop();
  }
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  // One copy of the tx on disk: the index record is the 36-byte location.
  const auto raw = store->get_raw(index_key(soft.hash));
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->size(), 36u);
  const auto b = store->block(soft.block);
  ASSERT_TRUE(b);
  ASSERT_LT(soft.position, b->txs.size());
  expect_tx(store->tx(soft.hash),
            TxLocation{soft.block, soft.position, soft.times.received, soft.times.accepted, soft.times.soft},
            b->txs[soft.position]);
  // Every tx of every block is indexed at its place.
  for (uint64_t n = 1; n <= store->head().head; ++n) {
    const auto blk = store->block(n);
    ASSERT_TRUE(blk) << n;
    for (uint32_t i = 0; i < blk->txs.size(); ++i) {
      const auto it = store->tx(blk->txs[i].hash);
      ASSERT_TRUE(it) << "block " << n << " tx " << i;
      EXPECT_EQ(it->location.block, n);
      EXPECT_EQ(it->location.position, i);
    }
  }
}

TEST(StoreTxIndex, OldRecordsWithACopyOfTheTxReadAsTheNewOnesDo) {
  TempDir dir;
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  const Block b = test_block();
  rocksdb::WriteBatch wb;
  Store::put_block(wb, b);
  for (uint32_t i = 0; i < b.txs.size(); ++i) Store::put_tx(wb, b.txs[i].hash, location(3, i));
  ASSERT_TRUE(store->write(wb, true));
  for (uint32_t i = 0; i < b.txs.size(); ++i) {
    SCOPED_TRACE(i);
    const auto fresh = store->tx(b.txs[i].hash);
    expect_tx(fresh, location(3, i), b.txs[i]);
    // The same entry in the old layout, as a data dir of an older node holds it.
    rocksdb::WriteBatch old;
    Store::put_raw(old, index_key(b.txs[i].hash), old_index_record(location(3, i), b.txs[i].tx, b.txs[i].executed));
    ASSERT_TRUE(store->write(old, true));
    ASSERT_GT(store->get_raw(index_key(b.txs[i].hash))->size(), 36u);
    expect_tx(store->tx(b.txs[i].hash), location(3, i), b.txs[i]);
  }
  // An old record needs no block: it carries its tx.
  const BlockTx lone = block_tx(swap(1, 4, kE18), tx::Executed{kE18, 2, 0, 512, 0, 0});
  rocksdb::WriteBatch old;
  Store::put_raw(old, index_key(lone.hash), old_index_record(location(40, 2), lone.tx, lone.executed));
  ASSERT_TRUE(store->write(old, true));
  expect_tx(store->tx(lone.hash), location(40, 2), lone);
}

TEST(StoreTxIndex, AnEntryThatDoesNotLeadToItsTxIsNoAnswer) {
  TempDir dir;
  auto store = open_store(dir);
  ASSERT_TRUE(store);
  const Block b = test_block();
  const Hash h = b.txs[3].hash;
  const auto put = [&](const TxLocation& l) {
    rocksdb::WriteBatch wb;
    Store::put_tx(wb, h, l);
    ASSERT_TRUE(store->write(wb, true));
  };
  // No block 3 yet.
  put(location(3, 3));
  EXPECT_FALSE(store->tx(h));
  EXPECT_TRUE(store->has_tx(h));  // has_tx looks at the key only
  rocksdb::WriteBatch wb;
  Store::put_block(wb, b);
  ASSERT_TRUE(store->write(wb, true));
  expect_tx(store->tx(h), location(3, 3), b.txs[3]);
  // Another block, a position past the end, another tx's position (before and after the LP exit).
  put(location(4, 2));
  EXPECT_FALSE(store->tx(h));
  put(location(3, 5));
  EXPECT_FALSE(store->tx(h));
  put(location(3, UINT32_MAX));
  EXPECT_FALSE(store->tx(h));
  for (const uint32_t other : {0u, 1u, 2u, 4u}) {
    put(location(3, other));
    EXPECT_FALSE(store->tx(h)) << other;
  }
  // A damaged block record: cut short before the tx or inside it, garbage, empty; and an index
  // record cut short.
  put(location(3, 3));
  const std::string whole = encode_block(b);
  const std::size_t tx_end = whole.size() - encode_block(Block{b.header, {b.txs[4]}}).size() + 84;
  for (const std::string& damaged : {whole.substr(0, whole.size() / 2), whole.substr(0, tx_end - 10),
                                     std::string(200, '\xff'), std::string()}) {
    rocksdb::WriteBatch d;
    Store::put_raw(d, std::string(1, 'b') + whole.substr(0, 8), damaged);
    ASSERT_TRUE(store->write(d, true));
    EXPECT_FALSE(store->tx(h)) << damaged.size();
  }
  rocksdb::WriteBatch cut;
  Store::put_raw(cut, index_key(h), encode_location(location(3, 3)).substr(0, 20));
  ASSERT_TRUE(store->write(cut, true));
  EXPECT_FALSE(store->tx(h));
}

// The bytes the sealer's WriteBatch carries per swap with the index holding the location only,
// against the old layout (the index holding a copy of each tx): a block of 100 signed swaps by
// 100 accounts, its index entries, head meta, and the 100 accounts and the pool the block changed
// (the writer's state records). Encodings are fixed-width, so the figure depends on no value.
TEST(StoreTxIndex, SealerBatchBytesPerSwap) {
  constexpr uint32_t kSwaps = 100;
  Block b;
  b.header.number = 12;
  b.header.timestamp = 1'700'000'000'000;
  for (uint32_t i = 0; i < kSwaps; ++i)
    b.txs.push_back(block_tx(swap(2 + i, 5, kE18), tx::Executed{kE18, 3 * kE18, 0, 512, 0, 0}));
  b.header.tx_count = kSwaps;
  b.header.hash = block_hash(b.header, b.txs);
  const auto state_records = [&](rocksdb::WriteBatch& wb) {
    for (uint32_t i = 0; i < kSwaps; ++i) {
      state::Account a;
      a.index = 2 + i;
      a.nonce = 6;
      a.balances[1] = U256{1, 2, 0, 0};
      a.balances[2] = U256{3, 4, 0, 0};
      Store::put_account(wb, a);
    }
    Store::put_pool(wb, 0, state::Pool{1, 2, 512, U256{1, 0, 0, 0}, U256{2, 0, 0, 0}, U256{3, 0, 0, 0}});
    Store::put_head(wb, HeadMeta{12, b.header.timestamp, b.header.hash, 0, 1200});
  };
  rocksdb::WriteBatch now, before;
  for (uint32_t i = 0; i < kSwaps; ++i) {
    Store::put_tx(now, b.txs[i].hash, location(12, i));
    Store::put_raw(before, index_key(b.txs[i].hash), old_index_record(location(12, i), b.txs[i].tx, b.txs[i].executed));
  }
  Store::put_block(now, b);
  Store::put_block(before, b);
  const std::size_t block_index_now = now.GetDataSize(), block_index_before = before.GetDataSize();
  state_records(now);
  state_records(before);
  const double per = static_cast<double>(now.GetDataSize()) / kSwaps;
  const double per_before = static_cast<double>(before.GetDataSize()) / kSwaps;
  std::cout << "sealer WriteBatch of " << kSwaps << " swaps: " << now.GetDataSize() << " B (" << per
            << " B/swap); with a copy of each tx in the index: " << before.GetDataSize() << " B (" << per_before
            << " B/swap). Block + index only: " << block_index_now / kSwaps << " vs "
            << block_index_before / kSwaps << " B/swap\n";
  EXPECT_LT(now.GetDataSize(), before.GetDataSize());
  // The index entry of a swap is its key and the location: 33 + 36 bytes plus RocksDB's framing.
  EXPECT_LE(block_index_now - encode_block(b).size(), kSwaps * (33 + 36 + 8) + 64);
}

}  // namespace
}  // namespace zkamm::node
