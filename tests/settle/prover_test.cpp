// The prover pipeline on a real node: priority ops (CreateAccount, Deposit) are batched by the
// node, the hook records the witness, the worker proves with a 1-slot dev key, and the proof
// verifies against the node's own public input (sha256 of header || pubdata, computed by the
// node independently of the circuit). Swap batches are proven with the swap circuit's keys.
// Negative: a key for fewer slots than the node's batches, or a swap batch without swap keys,
// halts the pipeline and no batch is proven.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "common/test_keys.hpp"
#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "node/codec.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"
#include "tx/swap_public_data.hpp"
#include "settle/prover.hpp"
#include "settle_fixture.hpp"

namespace zkamm::settle::testing {
namespace {

namespace fs = std::filesystem;

node::NodeConfig config(const TempDir& d, uint32_t slots) {
  node::NodeConfig c;
  c.data_dir = d.path.string();
  c.batch_slots = slots;
  c.batch_timeout = std::chrono::milliseconds(50);
  c.block_time = std::chrono::milliseconds(20);
  c.domain.chain_id = 31337;
  return c;
}

TEST(Prover, ProvesEachBatchAndMatchesTheNodesRootAndPublicInput) {
  const BatchKeys& k = keys_n1();
  TempDir dir("prover");
  node::Node node(config(dir, 1));
  ASSERT_EQ(node.error(), "");
  Prover prover(node, k);
  std::vector<uint64_t> seen;
  prover.on_proved([&](const ProvedBatch& p) { seen.push_back(p.number); });
  ASSERT_TRUE(node.submit_priority(create_account(0, 1)).accepted);
  tx::Deposit d;
  d.serial = 1;
  d.account = 1;
  d.token = 0;
  d.amount = 12345;
  ASSERT_TRUE(node.submit_priority(d).accepted);
  ASSERT_TRUE(prover.wait_proved(2, std::chrono::seconds(120))) << prover.error();
  EXPECT_EQ(prover.error(), "");
  for (uint64_t n : {1u, 2u}) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b && b->root_ready);
    EXPECT_EQ(p->new_root, b->header.new_root);
    EXPECT_EQ(p->public_input, b->public_input());
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(k.vk, pub, p->proof));
    const std::vector<ff::Fr> wrong = {b->public_input() + ff::Fr::one()};
    EXPECT_FALSE(snark::verify(k.vk, wrong, p->proof));
  }
  prover.stop();
  EXPECT_EQ(seen, (std::vector<uint64_t>{1, 2}));
}

TEST(Prover, KeyForFewerSlotsHaltsAndProvesNothing) {
  const BatchKeys& k = keys_n1();
  TempDir dir("prover-bad");
  node::Node node(config(dir, 2));  // the node's batches have 2 slots, the key 1
  ASSERT_EQ(node.error(), "");
  Prover prover(node, k);
  ASSERT_TRUE(node.submit_priority(create_account(0, 1)).accepted);
  ASSERT_TRUE(node.flush());
  EXPECT_FALSE(prover.wait_proved(1, std::chrono::seconds(10)));
  EXPECT_NE(prover.error(), "");
  EXPECT_EQ(prover.last_proved(), 0u);
}

/// A node of 1-slot swap-batch-enabled batches whose genesis (one account, tokens 1 and 2 and
/// their pool, all by transactions) is batched, then two swaps: two universal batches of
/// genesis transactions precede the swap batches. Returns the first swap's batch number.
uint64_t genesis_then_two_swaps(node::Node& node) {
  const hash::PrivateKey key = zkamm::testing::test_key(7);
  const std::string g = R"({"tokens":["0x1111111111111111111111111111111111111111","0x2222222222222222222222222222222222222222"],)"
                        R"("accounts":[{"private_key":")" + tx::to_hex0x(key.data(), key.size()) +
                        R"(","balances":{"1":"1000000000000000000000","2":"1000000000000000000000"}}],)"
                        R"("pools":[{"token_a":1,"token_b":2,"amount_a":"100000000000000000000","amount_b":"400000000000000000000","provider":1}]})";
  EXPECT_EQ(node.load_genesis_json(g), "");
  EXPECT_TRUE(node.flush());
  const uint64_t first = node.status().soft_txs + 1;  // 1-slot batches: one per transaction
  for (uint32_t nonce = 2; nonce < 4; ++nonce) {  // the genesis signed CreatePool and AddLiquidity
    tx::SwapExactIn s;
    s.account = 1;
    s.token_in = nonce == 2 ? 1 : 2;
    s.token_out = nonce == 2 ? 2 : 1;
    s.amount_in = 1'000'000'000'000'000'000ULL;
    s.deadline = UINT64_MAX;
    s.nonce = nonce;
    tx::Tx t = s;
    EXPECT_TRUE(tx::sign(t, key, node.config().domain));
    EXPECT_TRUE(node.submit(t).accepted);
  }
  EXPECT_TRUE(node.flush());
  return first;
}

TEST(Prover, ProvesSwapBatchesWithTheSwapCircuitsKeys) {
  const BatchKeys& k = keys_n1();
  const BatchKeys& sk = swap_keys_n1();
  TempDir dir("prover-swap");
  node::NodeConfig c = config(dir, 1);
  c.swap_batches = true;
  node::Node node(c);
  ASSERT_EQ(node.error(), "");
  ProverOptions po;
  po.swap_keys = &sk;
  Prover prover(node, k, po);
  const uint64_t first_swap = genesis_then_two_swaps(node);
  ASSERT_TRUE(prover.wait_proved(first_swap + 1, std::chrono::seconds(300))) << prover.error();
  for (uint64_t n = 1; n <= first_swap + 1; ++n) {
    auto p = prover.proved(n);
    auto b = node.batch(n);
    ASSERT_TRUE(p && b && b->root_ready);
    EXPECT_EQ(b->header.kind, n >= first_swap ? tx::BatchKind::Swap : tx::BatchKind::Universal) << n;
    EXPECT_EQ(p->public_input, b->public_input());
    EXPECT_EQ(p->pubdata.size(), n >= first_swap ? tx::kSwapSlotBytes : tx::kSlotPublicDataBytes);
    const std::vector<ff::Fr> pub = {b->public_input()};
    EXPECT_TRUE(snark::verify(n >= first_swap ? sk.vk : k.vk, pub, p->proof)) << n;
    EXPECT_FALSE(snark::verify(n >= first_swap ? k.vk : sk.vk, pub, p->proof)) << n;  // the other circuit's key
  }
}

TEST(Prover, SwapBatchWithoutSwapKeysHalts) {
  TempDir dir("prover-swap-nokeys");
  node::NodeConfig c = config(dir, 1);
  c.swap_batches = true;
  node::Node node(c);
  ASSERT_EQ(node.error(), "");
  Prover prover(node, keys_n1());
  const uint64_t first_swap = genesis_then_two_swaps(node);
  EXPECT_FALSE(prover.wait_proved(first_swap, std::chrono::seconds(120)));
  EXPECT_NE(prover.error().find("no keys for batch kind 1"), std::string::npos) << prover.error();
  EXPECT_LT(prover.last_proved(), first_swap);  // the halt may come before the earlier batches are proven
}

}  // namespace
}  // namespace zkamm::settle::testing
