// The prover pipeline on a real node: priority ops (CreateAccount, Deposit) are batched by the
// node, the hook records the witness, the worker proves with a 1-slot dev key, and the proof
// verifies against the node's own public input (sha256 of header || pubdata, computed by the
// node independently of the circuit). Negative: a key for fewer slots than the node's batches
// halts the pipeline and no batch is proven.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
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

}  // namespace
}  // namespace zkamm::settle::testing
