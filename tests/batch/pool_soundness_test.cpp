// One pool per pair, created at the next id, of registered tokens (issue 15 item 1): each test
// starts from an honest create_pool that proves, then makes one dishonest choice a prover could
// make with the old circuit (which only checked that the chosen pool leaf was empty) and shows
// that the witness no longer satisfies the R1CS. The genesis of batch_fixture.hpp has tokens
// 0..3 and pools 0 = (1, 2) and 1 = (0, 1).
#include "batch_fixture.hpp"

namespace zkamm::batch::testing {
namespace {

/// The witness of one create_pool slot turned into a create_pool of (ta, tb), re-signed by the
/// slot's account and re-recorded on the genesis trees.
void retarget(Built& b, uint16_t ta, uint16_t tb) {
  SlotWitness& sw = b.w.slots[0];
  sw.token_x = ta;
  sw.token_y = tb;
  sw.zero_for_one = ta < tb;
  tx::CreatePool t = std::get<tx::CreatePool>(create_pool(sw.account_a, ta, tb));
  resign(sw, t, sw.account_a);
  rerecord(b.w, b.s0);
}

TEST(PoolSoundness, HonestCreatePoolProvesAtTheNextId) {
  Built b = build({create_pool(3, 3, 2)});
  EXPECT_EQ(b.w.slots[0].pool_id, 2u);
  EXPECT_EQ(b.w.num_pools_old, 2u);
  EXPECT_EQ(b.w.num_tokens, 4u);
  const Checked c = check(b.w);
  EXPECT_TRUE(c.satisfied);
  EXPECT_EQ(c.public_input, b.w.public_input);
}

TEST(PoolSoundness, SecondPoolForAPairFails) {
  // (1, 2) already has pool 0: a second one at the next id (2), whose leaf is empty, in either
  // argument order.
  for (const auto& [ta, tb] : {std::pair<uint16_t, uint16_t>{1, 2}, {2, 1}}) {
    Built b = build({create_pool(3, 3, 2)});
    retarget(b, ta, tb);
    ASSERT_EQ(b.w.slots[0].pool_leaf_old, Fr::zero()) << "the old circuit's only check holds";
    EXPECT_FALSE(check(b.w).satisfied) << ta << "," << tb;
  }
  {  // the prover claims the pair's leaf is empty: the pair tree's root no longer matches
    Built b = build({create_pool(3, 3, 2)});
    retarget(b, 1, 2);
    b.w.slots[0].pair_leaf_old = Fr::zero();
    EXPECT_FALSE(check(b.w).satisfied);
  }
}

TEST(PoolSoundness, PoolAtAnotherEmptyIdFails) {
  for (uint32_t id : {3u, 5u, 511u}) {
    Built b = build({create_pool(3, 3, 2)});
    b.w.slots[0].pool_id = id;
    rerecord(b.w, b.s0);
    ASSERT_EQ(b.w.slots[0].pool_leaf_old, Fr::zero());
    EXPECT_FALSE(check(b.w).satisfied) << id;
  }
}

TEST(PoolSoundness, PoolOfAnUnregisteredTokenFails) {
  Built b = build({create_pool(3, 3, 2)});
  retarget(b, 3, 7);  // tokens 0..3 are registered: num_tokens = 4 in the header
  EXPECT_FALSE(check(b.w).satisfied);
  // Control: with a header that claims 8 tokens the same slot satisfies the circuit; commitBatch
  // refuses such a header unless L1 registered 8 tokens (ZkammRollup: "zkamm: num_tokens").
  b.w.num_tokens = 8;
  EXPECT_TRUE(check(b.w).satisfied);
  b.w.num_tokens = 7;
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(PoolSoundness, TwoPoolsOfOnePairInOneBatchFail) {
  // Two honest create_pools of distinct pairs prove; the second turned into the first's pair
  // (at the next id, an empty leaf) does not.
  Built b = build({create_pool(3, 3, 2), create_pool(3, 0, 3, 1)});
  EXPECT_TRUE(check(b.w).satisfied);
  SlotWitness& sw = b.w.slots[1];
  sw.token_x = 2;
  sw.token_y = 3;
  sw.zero_for_one = true;
  resign(sw, std::get<tx::CreatePool>(create_pool(3, 2, 3, 1)), 3);
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(PoolSoundness, ASwapOnlyFitsThePoolOfItsSignedPair) {
  // The public data of a universal swap names its tokens, not its pool: routing it through the
  // other genesis pool (or any pool) changes nothing visible, and fails.
  Built b = build({swap_in(2, 1, 2, e18(1), u(1))});
  EXPECT_TRUE(check(b.w).satisfied);
  const state::Pool* other = b.s0.pool(0, 1);
  ASSERT_NE(other, nullptr);
  SlotWitness& sw = b.w.slots[0];
  sw.pool_id = state::pool_id(*other);
  sw.reserve0 = other->reserve0;
  sw.reserve1 = other->reserve1;
  sw.supply = other->total_supply;
  rerecord(b.w, b.s0);
  EXPECT_FALSE(check(b.w).satisfied);
}

TEST(PoolSoundness, ThePairTreeAndPoolCountAreInTheRoot) {
  state::State s = genesis();
  state::StateTrees t = state::StateTrees::build(s);
  EXPECT_EQ(t.num_pools(), 2u);
  EXPECT_EQ(t.pair_leaf_value(state::pair_key(1, 2)), Fr::from_u64(1));
  EXPECT_EQ(t.pair_leaf_value(state::pair_key(0, 1)), Fr::from_u64(2));
  EXPECT_EQ(t.root(), state::state_root(t.account_root(), state::pools_commitment(t.pool_root(), t.pair_root(), 2)));
  // The same trees rebuilt node by node (a restart from storage) recover the pool count.
  state::StateTrees loaded;
  for (const state::TreeNodeChange& c : t.all_nodes()) {
    ASSERT_TRUE(loaded.load_node(c.kind, c.account, c.node.level, c.node.index, c.node.value));
  }
  EXPECT_EQ(loaded.num_pools(), 2u);
  EXPECT_EQ(loaded.root(), t.root());
}

}  // namespace
}  // namespace zkamm::batch::testing
