// Sparse Merkle tree against (1) a dense tree recomputed naively from the definition (node =
// Poseidon of its children in position order; hash::poseidon is checked against circomlibjs in
// tests/hash) and (2) the circuit's Merkle gadget, which must accept the native path and produce
// the native root. Self-generated vectors.
#include <gtest/gtest.h>

#include <map>
#include <span>
#include <utility>
#include <vector>

#include "circuit/merkle_gadget.hpp"
#include "common/seed.hpp"
#include "hash/poseidon.hpp"
#include "state/merkle_tree.hpp"

namespace zkamm::state {
namespace {

using circuit::Lc;
using circuit::MerkleShape;
using snark::ConstraintSystem;
using snark::Variable;

/// Root of the dense tree over `leaves` (arity^depth of them), level by level.
Fr dense_root(std::vector<Fr> level, unsigned arity) {
  while (level.size() > 1) {
    std::vector<Fr> up;
    for (size_t i = 0; i < level.size(); i += arity) {
      up.push_back(hash::poseidon(std::span<const Fr>(level.data() + i, arity)));
    }
    level = std::move(up);
  }
  return level.front();
}

Fr random_leaf(std::mt19937_64& rng) { return (rng() % 5 == 0) ? Fr::zero() : Fr::random(rng); }

struct Shape {
  unsigned arity, depth;
};

class MerkleTree : public ::testing::TestWithParam<Shape> {};

TEST_P(MerkleTree, EmptyTreeRootIsTheEmptyHashAtTheTop) {
  const auto [arity, depth] = GetParam();
  const SparseMerkleTree t(arity, depth);
  EXPECT_EQ(t.empty_hash(0), Fr::zero());
  const uint64_t cap = t.capacity();
  EXPECT_EQ(t.root(), t.empty_hash(depth));
  EXPECT_EQ(t.root(), dense_root(std::vector<Fr>(cap, Fr::zero()), arity));
  EXPECT_EQ(t.stored_nodes(), 0u);
  // Independently: the binary tree's first empty level is Poseidon(0, 0).
  if (arity == 2) {
    EXPECT_EQ(t.empty_hash(1), hash::poseidon({Fr::zero(), Fr::zero()}));
  } else {
    EXPECT_EQ(t.empty_hash(1), hash::poseidon({Fr::zero(), Fr::zero(), Fr::zero(), Fr::zero()}));
  }
}

TEST_P(MerkleTree, MatchesDenseRecomputationAfterRandomUpdates) {
  const auto [arity, depth] = GetParam();
  auto rng = zkamm::testing::seeded_rng("MerkleTree.MatchesDenseRecomputationAfterRandomUpdates", arity);
  SparseMerkleTree t(arity, depth);
  std::vector<Fr> dense(t.capacity(), Fr::zero());
  for (int iter = 0; iter < 20; ++iter) {
    const uint64_t index = rng() % t.capacity();
    const Fr v = random_leaf(rng);
    ASSERT_TRUE(t.set_leaf(index, v));
    dense[index] = v;
    ASSERT_EQ(t.root(), dense_root(dense, arity)) << "after update " << iter << " at " << index;
    ASSERT_EQ(t.get_leaf(index), v);
  }
  // Clearing every leaf returns the tree to empty and sparse.
  for (uint64_t i = 0; i < t.capacity(); ++i) ASSERT_TRUE(t.set_leaf(i, Fr::zero()));
  EXPECT_EQ(t.root(), t.empty_hash(depth));
  EXPECT_EQ(t.stored_nodes(), 0u);
}

TEST_P(MerkleTree, BatchUpdateEqualsSequentialUpdates) {
  const auto [arity, depth] = GetParam();
  auto rng = zkamm::testing::seeded_rng("MerkleTree.BatchUpdateEqualsSequentialUpdates", arity);
  SparseMerkleTree seq(arity, depth), batch(arity, depth);
  for (size_t n : {size_t{1}, size_t{7}, size_t{100}, size_t{300}}) {  // 100, 300: parallel path, duplicates
    std::vector<std::pair<uint64_t, Fr>> updates;
    for (size_t i = 0; i < n; ++i) updates.emplace_back(rng() % seq.capacity(), random_leaf(rng));
    for (const auto& [index, v] : updates) ASSERT_TRUE(seq.set_leaf(index, v));
    ASSERT_TRUE(batch.set_leaves(updates));
    ASSERT_EQ(batch.root(), seq.root()) << "batch of " << n;
    ASSERT_EQ(batch.stored_nodes(), seq.stored_nodes());
    for (const auto& [index, v] : updates) {
      ASSERT_EQ(batch.get_leaf(index), seq.get_leaf(index));
      ASSERT_EQ(*batch.path(index), *seq.path(index));
    }
  }
  // A later entry for the same index wins.
  const std::vector<std::pair<uint64_t, Fr>> dup = {{3, Fr::from_u64(1)}, {3, Fr::from_u64(2)}};
  ASSERT_TRUE(batch.set_leaves(dup));
  EXPECT_EQ(batch.get_leaf(3), Fr::from_u64(2));
}

// set_leaves_many (all trees' nodes of a level hashed in one Poseidon batch) against set_leaf on
// each tree in order, with trees of 0, 1, a few and many updates; out of range changes no tree.
TEST_P(MerkleTree, ManyTreesEqualSequentialUpdates) {
  const auto [arity, depth] = GetParam();
  auto rng = zkamm::testing::seeded_rng("MerkleTree.ManyTreesEqualSequentialUpdates", arity);
  constexpr size_t kTrees = 12;
  std::vector<SparseMerkleTree> seq(kTrees, SparseMerkleTree(arity, depth)), many(kTrees, SparseMerkleTree(arity, depth));
  std::vector<std::vector<std::pair<uint64_t, Fr>>> updates(kTrees);
  for (size_t i = 0; i < kTrees; ++i) {
    const size_t n = i == 0 ? 0 : (i < 4 ? i : (i == 5 ? 150 : 9));
    for (size_t k = 0; k < n; ++k) updates[i].emplace_back(rng() % seq[i].capacity(), random_leaf(rng));
  }
  for (size_t i = 0; i < kTrees; ++i) {
    for (const auto& [index, v] : updates[i]) ASSERT_TRUE(seq[i].set_leaf(index, v));
  }
  std::vector<SparseMerkleTree*> ptrs;
  std::vector<std::span<const std::pair<uint64_t, Fr>>> spans;
  for (size_t i = 0; i < kTrees; ++i) {
    ptrs.push_back(&many[i]);
    spans.emplace_back(updates[i]);
  }
  ASSERT_TRUE(SparseMerkleTree::set_leaves_many(ptrs, spans));
  for (size_t i = 0; i < kTrees; ++i) {
    ASSERT_EQ(many[i].root(), seq[i].root()) << "tree " << i;
    ASSERT_EQ(many[i].stored_nodes(), seq[i].stored_nodes());
  }
  // One bad index anywhere: no tree changes.
  const Fr root1 = many[1].root();
  updates[1].emplace_back(0, Fr::from_u64(99));
  updates[2].emplace_back(many[2].capacity(), Fr::one());
  spans[1] = updates[1];
  spans[2] = updates[2];
  EXPECT_FALSE(SparseMerkleTree::set_leaves_many(ptrs, spans));
  EXPECT_EQ(many[1].root(), root1);
}

TEST_P(MerkleTree, RejectsIndicesOutOfRange) {
  const auto [arity, depth] = GetParam();
  SparseMerkleTree t(arity, depth);
  const Fr before = t.root();
  EXPECT_FALSE(t.set_leaf(t.capacity(), Fr::one()));
  const std::vector<std::pair<uint64_t, Fr>> updates = {{0, Fr::one()}, {t.capacity(), Fr::one()}};
  EXPECT_FALSE(t.set_leaves(updates));
  EXPECT_EQ(t.root(), before);  // nothing applied, not even the valid first entry
  EXPECT_EQ(t.get_leaf(0), Fr::zero());
  EXPECT_FALSE(t.path(t.capacity()).has_value());
  EXPECT_EQ(t.get_leaf(t.capacity()), Fr::zero());
  EXPECT_TRUE(t.path(t.capacity() - 1).has_value());
}

/// The consistency check: the gadget, fed the native path, computes the native root.
TEST_P(MerkleTree, GadgetAcceptsNativePathsAndComputesNativeRoot) {
  const auto [arity, depth] = GetParam();
  const MerkleShape shape{arity, depth};
  auto rng = zkamm::testing::seeded_rng("MerkleTree.GadgetAcceptsNativePathsAndComputesNativeRoot", arity);
  SparseMerkleTree t(arity, depth);
  std::vector<std::pair<uint64_t, Fr>> prefill;
  for (int i = 0; i < 10; ++i) prefill.emplace_back(rng() % t.capacity(), random_leaf(rng));
  ASSERT_TRUE(t.set_leaves(prefill));
  for (int iter = 0; iter < 6; ++iter) {
    const uint64_t index = iter == 0 ? 0 : iter == 1 ? t.capacity() - 1 : rng() % t.capacity();
    const Fr old_root = t.root(), old_leaf = t.get_leaf(index), new_leaf = Fr::random(rng);
    const std::vector<Fr> siblings = *t.path(index);
    ASSERT_EQ(siblings.size(), size_t{depth} * (arity - 1));

    ConstraintSystem cs;
    const Variable root_wire = cs.alloc_public(old_root);
    const Variable old_wire = cs.alloc(old_leaf), new_wire = cs.alloc(new_leaf);
    const Variable index_wire = cs.alloc(Fr::from_u64(index));
    std::vector<Lc> sib;
    for (const Fr& s : siblings) sib.emplace_back(cs.alloc(s));
    const Lc new_root = circuit::merkle_update_leaf(cs, root_wire, old_wire, new_wire, index_wire, sib, shape);
    ASSERT_TRUE(t.set_leaf(index, new_leaf));
    EXPECT_TRUE(cs.is_satisfied()) << "index " << index;
    EXPECT_EQ(cs.eval(new_root), t.root()) << "index " << index;

    // merkle_verify_leaf with the new path and root.
    ConstraintSystem vcs;
    const Variable vroot = vcs.alloc_public(t.root());
    const std::vector<Fr> new_path = *t.path(index);  // a local: *temporary in a range-for would dangle
    std::vector<Lc> vsib;
    for (const Fr& s : new_path) vsib.emplace_back(vcs.alloc(s));
    circuit::merkle_verify_leaf(vcs, vroot, vcs.alloc(new_leaf), vcs.alloc(Fr::from_u64(index)), vsib, shape);
    EXPECT_TRUE(vcs.is_satisfied()) << "index " << index;

    // Negative: the same path with a neighbouring index, or a wrong leaf, is rejected.
    ConstraintSystem bad;
    const Variable broot = bad.alloc_public(t.root());
    std::vector<Lc> bsib;
    for (const Fr& s : new_path) bsib.emplace_back(bad.alloc(s));
    circuit::merkle_verify_leaf(bad, broot, bad.alloc(new_leaf + Fr::one()), bad.alloc(Fr::from_u64(index)), bsib,
                                shape);
    EXPECT_FALSE(bad.is_satisfied()) << "index " << index;
  }
  // Negative: the first two siblings swapped break the root, so the
  // layout is pinned, not only the multiset of siblings.
  ASSERT_TRUE(t.set_leaf(1, Fr::from_u64(11)));
  ASSERT_TRUE(t.set_leaf(2, Fr::from_u64(22)));
  std::vector<Fr> swapped = *t.path(0);
  std::swap(swapped[0], swapped[1]);
  ConstraintSystem cs;
  const Variable root_wire = cs.alloc_public(t.root());
  std::vector<Lc> sib;
  for (const Fr& s : swapped) sib.emplace_back(cs.alloc(s));
  circuit::merkle_verify_leaf(cs, root_wire, cs.alloc(t.get_leaf(0)), cs.alloc(Fr::zero()), sib, shape);
  EXPECT_FALSE(cs.is_satisfied());
}

INSTANTIATE_TEST_SUITE_P(Shapes, MerkleTree, ::testing::Values(Shape{4, 3}, Shape{2, 5}),
                         [](const auto& test_info) {
                           return "arity" + std::to_string(test_info.param.arity) + "_depth" +
                                  std::to_string(test_info.param.depth);
                         });

}  // namespace
}  // namespace zkamm::state
