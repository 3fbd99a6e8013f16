// Change tracking and reloading of the sparse Merkle trees (the node persists the nodes each batch
// stores and loads them back at restart instead of rehashing). A simulated store (a map that
// applies every take_changes() round as puts and deletes) must reload into a tree with the same
// root, paths and node count as the tree that produced it, and as a tree built from scratch
// (which tests/state/merkle_tree_test.cpp checks against a dense recomputation and the circuit's
// gadget). Self-generated random vectors; seed printed, ZKAMM_SEED replays one.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "common/seed.hpp"
#include "state/commitment.hpp"
#include "state/merkle_tree.hpp"

namespace zkamm::state {
namespace {

using NodeKey = std::pair<unsigned, uint64_t>;

void record(std::map<NodeKey, Fr>& store, const std::vector<NodeChange>& changes) {
  for (const auto& c : changes) {
    if (c.empty) {
      store.erase({c.level, c.index});
    } else {
      store[{c.level, c.index}] = c.value;
    }
  }
}

TEST(TreeChanges, StoredChangesReloadToTheSameTree) {
  std::mt19937_64 rng = zkamm::testing::seeded_rng("TreeChanges.StoredChangesReloadToTheSameTree");
  SparseMerkleTree t(4, 6);
  t.track_changes(true);
  std::map<NodeKey, Fr> store;
  for (int round = 0; round < 8; ++round) {
    std::vector<std::pair<uint64_t, Fr>> updates;
    for (int i = 0; i < 40; ++i) {
      const uint64_t index = rng() % 256;  // a corner of the tree, so rounds overwrite and clear leaves
      updates.emplace_back(index, rng() % 3 == 0 ? Fr::zero() : Fr::random(rng));
    }
    if (round % 2 == 0) {
      ASSERT_TRUE(t.set_leaves(updates));
    } else {
      for (const auto& [i, v] : updates) ASSERT_TRUE(t.set_leaf(i, v));
    }
    const auto changes = t.take_changes();
    for (size_t i = 1; i < changes.size(); ++i) {
      EXPECT_TRUE(std::tie(changes[i - 1].level, changes[i - 1].index) < std::tie(changes[i].level, changes[i].index))
          << "each node once, in (level, index) order";
    }
    record(store, changes);
    EXPECT_TRUE(t.take_changes().empty()) << "take_changes forgets what it returned";

    SparseMerkleTree loaded(4, 6);
    for (const auto& [key, value] : store) ASSERT_TRUE(loaded.load_node(key.first, key.second, value));
    EXPECT_EQ(loaded.root(), t.root()) << "round " << round;
    EXPECT_EQ(loaded.stored_nodes(), t.stored_nodes()) << "empty nodes were deleted, not kept";
    EXPECT_EQ(store.size(), t.stored_nodes());
    for (uint64_t i = 0; i < 300; i += 7) EXPECT_EQ(loaded.path(i), t.path(i)) << "leaf " << i;
  }
  // Clearing every leaf leaves nothing stored.
  for (uint64_t i = 0; i < 256; ++i) ASSERT_TRUE(t.set_leaf(i, Fr::zero()));
  record(store, t.take_changes());
  EXPECT_TRUE(store.empty());
  EXPECT_EQ(t.root(), t.empty_hash(6));
}

TEST(TreeChanges, UntrackedTreeRecordsNothing) {
  SparseMerkleTree t(2, 8);
  ASSERT_TRUE(t.set_leaf(3, Fr::one()));
  EXPECT_TRUE(t.take_changes().empty());
  t.track_changes(true);
  ASSERT_TRUE(t.set_leaf(4, Fr::one()));
  t.track_changes(false);  // forgets
  EXPECT_TRUE(t.take_changes().empty());
  EXPECT_EQ(t.all_nodes().size(), t.stored_nodes());
}

TEST(TreeChanges, LoadNodeRejectsPositionsOutsideTheTree) {
  SparseMerkleTree t(4, 3);  // 64 leaves
  EXPECT_FALSE(t.load_node(0, 64, Fr::one()));
  EXPECT_FALSE(t.load_node(1, 16, Fr::one()));
  EXPECT_FALSE(t.load_node(3, 1, Fr::one()));
  EXPECT_FALSE(t.load_node(4, 0, Fr::one()));
  EXPECT_EQ(t.stored_nodes(), 0u);
  EXPECT_TRUE(t.load_node(3, 0, Fr::one()));
  EXPECT_EQ(t.root(), Fr::one());
  // Loading a level's empty hash stores nothing.
  EXPECT_TRUE(t.load_node(2, 3, t.empty_hash(2)));
  EXPECT_EQ(t.stored_nodes(), 1u);
}

TEST(TreeChanges, TreesOfOneShapeShareTheirEmptyHashes) {
  const SparseMerkleTree a(4, 5), b(4, 5), c(2, 5);
  EXPECT_EQ(&a.empty_hash(5), &b.empty_hash(5));
  EXPECT_NE(a.empty_hash(5), c.empty_hash(5));
}

using StateKey = std::tuple<TreeKind, AccountIndex, unsigned, uint64_t>;

void record(std::map<StateKey, Fr>& store, const std::vector<TreeNodeChange>& changes) {
  for (const auto& c : changes) {
    const StateKey k{c.kind, c.account, c.node.level, c.node.index};
    if (c.node.empty) {
      store.erase(k);
    } else {
      store[k] = c.node.value;
    }
  }
}

StateTrees load(const std::map<StateKey, Fr>& store) {
  StateTrees t;
  for (const auto& [k, v] : store) EXPECT_TRUE(t.load_node(std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), v));
  return t;
}

void expect_same(const StateTrees& a, const StateTrees& b, const State& s) {
  EXPECT_EQ(a.root(), b.root());
  for (AccountIndex i = 0; i < s.num_accounts() + 2; ++i) {
    EXPECT_EQ(a.account_path(i), b.account_path(i)) << "account " << i;
    EXPECT_EQ(a.balance_root(i), b.balance_root(i)) << "account " << i;
    for (TokenId t = 0; t < 4; ++t) EXPECT_EQ(a.balance_path(i, t), b.balance_path(i, t)) << i << "/" << t;
  }
  for (uint32_t p = 0; p < 4; ++p) EXPECT_EQ(a.pool_path(p), b.pool_path(p)) << "pool " << p;
}

TEST(TreeChanges, StateTreesReloadFromSyncAndSetterChanges) {
  std::mt19937_64 rng = zkamm::testing::seeded_rng("TreeChanges.StateTreesReloadFromSyncAndSetterChanges", 1);
  State s;
  TokenId t1 = 0, t2 = 0, lp = 0;
  ASSERT_TRUE(s.add_token(L1Address{1}, t1).ok());
  ASSERT_TRUE(s.add_token(L1Address{2}, t2).ok());
  for (int i = 0; i < 6; ++i) {
    AccountIndex a = 0;
    ASSERT_TRUE(s.create_account(PublicKey{Fr::random(rng), Fr::random(rng)}, a).ok());
  }
  ASSERT_TRUE(s.create_pool(t1, t2, lp).ok());

  StateTrees trees = StateTrees::build(s);
  std::map<StateKey, Fr> store;
  record(store, trees.all_nodes());
  trees.track_changes(true);
  for (int round = 0; round < 6; ++round) {
    Touched touched;
    for (int i = 0; i < 10; ++i) {
      const AccountIndex a = 1 + static_cast<AccountIndex>(rng() % 6);
      const TokenId tok = rng() % 2 ? t1 : t2;
      const U256 amount{1 + rng() % 1000, 0, 0, 0};
      if (rng() % 3 == 0) {
        if (s.withdraw(a, tok, s.balance(a, tok)).ok()) touched.balances.emplace_back(a, tok);  // back to empty
      } else {
        ASSERT_TRUE(s.deposit(a, tok, amount).ok());
        touched.balances.emplace_back(a, tok);
      }
      touched.accounts.push_back(a);
    }
    if (round % 2 == 0) {
      trees.sync(s, touched);
    } else {
      // the single-leaf setters (what a witness builder calls) are tracked too
      for (const auto& [a, tok] : touched.balances) trees.set_balance(a, tok, s.balance(a, tok));
      for (const AccountIndex a : touched.accounts) trees.set_account(a, s.account(a)->public_key, s.account(a)->nonce);
    }
    record(store, trees.take_changes());
    const StateTrees fresh = StateTrees::build(s);
    ASSERT_EQ(trees.root(), fresh.root()) << "round " << round;
    expect_same(load(store), fresh, s);
  }
  // all_nodes() of the loaded trees is the store itself
  std::map<StateKey, Fr> again;
  record(again, load(store).all_nodes());
  EXPECT_EQ(again, store);
}

TEST(TreeChanges, StateTreesLoadNodeRejectsBadPositions) {
  StateTrees t;
  EXPECT_FALSE(t.load_node(TreeKind::kAccounts, 0, kAccountTreeDepth + 1, 0, Fr::one()));
  EXPECT_FALSE(t.load_node(TreeKind::kPools, 0, 0, uint64_t{1} << 10, Fr::one()));
  EXPECT_FALSE(t.load_node(TreeKind::kBalances, 1u << 24, 0, 0, Fr::one()));
  EXPECT_FALSE(t.load_node(TreeKind::kBalances, 1, 0, 1024, Fr::one()));
  EXPECT_FALSE(t.load_node(static_cast<TreeKind>(7), 0, 0, 0, Fr::one()));
  EXPECT_EQ(t.root(), StateTrees().root());
}

}  // namespace
}  // namespace zkamm::state
