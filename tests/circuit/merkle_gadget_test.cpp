// Merkle path gadgets against a minimal native path computation written here from the tree's
// definition (node = Poseidon of its children in position order; hash::poseidon is checked against
// circomlibjs in tests/hash). Self-generated vectors.
#include <gtest/gtest.h>

#include <vector>

#include "circuit/merkle_gadget.hpp"
#include "circuit/mutation_check.hpp"
#include "common/seed.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

/// Native root from a leaf, its index and its siblings (leaf level first, ascending position).
Fr native_root(Fr cur, uint64_t index, const std::vector<Fr>& siblings, const MerkleShape& shape) {
  for (unsigned level = 0; level < shape.depth; ++level) {
    const unsigned pos = static_cast<unsigned>(index % shape.arity);
    index /= shape.arity;
    std::vector<Fr> children;
    unsigned s = level * (shape.arity - 1);
    for (unsigned c = 0; c < shape.arity; ++c) children.push_back(c == pos ? cur : siblings[s++]);
    cur = hash::poseidon(children);
  }
  return cur;
}

/// A full tree of arity^depth leaves, for the path of one index (checks native_root's use of
/// sibling order against a tree built level by level).
struct FullTree {
  std::vector<std::vector<Fr>> levels;
  FullTree(std::vector<Fr> leaves, const MerkleShape& shape) {
    levels.push_back(std::move(leaves));
    for (unsigned d = 0; d < shape.depth; ++d) {
      std::vector<Fr> up;
      const auto& below = levels.back();
      for (size_t i = 0; i < below.size(); i += shape.arity) {
        up.push_back(hash::poseidon(std::span<const Fr>(below.data() + i, shape.arity)));
      }
      levels.push_back(std::move(up));
    }
  }
  std::vector<Fr> path(uint64_t index, const MerkleShape& shape) const {
    std::vector<Fr> s;
    for (unsigned d = 0; d < shape.depth; ++d) {
      const uint64_t first = index - index % shape.arity;
      for (uint64_t c = first; c < first + shape.arity; ++c) {
        if (c != index) s.push_back(levels[d][c]);
      }
      index /= shape.arity;
    }
    return s;
  }
  const Fr& root() const { return levels.back().front(); }
};

uint64_t pow_u64(uint64_t b, unsigned e) {
  uint64_t r = 1;
  while (e--) r *= b;
  return r;
}

struct Instance {
  MerkleShape shape;
  uint64_t index = 0;
  Fr old_leaf, new_leaf, old_root;
  std::vector<Fr> siblings;
};

struct Built {
  ConstraintSystem cs;
  Lc new_root;
  Variable index_wire;
  Variable old_leaf_wire;
  std::vector<Variable> sibling_wires;
  uint32_t first_bit = 0;  // the index's bit wires follow the inputs
  size_t constraints = 0;
};

std::unique_ptr<Built> build_update(const Instance& in, ConstraintSystem::Mode mode = ConstraintSystem::Mode::kFull) {
  auto b = std::make_unique<Built>(Built{ConstraintSystem(mode), {}, {}, {}, {}, 0, 0});
  ConstraintSystem& cs = b->cs;
  const Variable old_root = cs.alloc_public(in.old_root);
  b->old_leaf_wire = cs.alloc(in.old_leaf);
  const Variable new_leaf = cs.alloc(in.new_leaf);
  b->index_wire = cs.alloc(Fr::from_u64(in.index));
  std::vector<Lc> sib;
  for (const Fr& s : in.siblings) {
    b->sibling_wires.push_back(cs.alloc(s));
    sib.emplace_back(b->sibling_wires.back());
  }
  b->first_bit = static_cast<uint32_t>(cs.num_variables());
  const size_t before = cs.num_constraints();
  b->new_root = merkle_update_leaf(cs, old_root, b->old_leaf_wire, new_leaf, b->index_wire, sib, in.shape);
  b->constraints = cs.num_constraints() - before;
  return b;
}

Instance random_instance(std::mt19937_64& rng, const MerkleShape& shape) {
  Instance in;
  in.shape = shape;
  in.index = rng() % pow_u64(shape.arity, shape.depth);
  in.old_leaf = Fr::random(rng);
  in.new_leaf = Fr::random(rng);
  in.siblings.resize(shape.depth * (shape.arity - 1));
  for (auto& s : in.siblings) s = (rng() % 3 == 0) ? Fr::zero() : Fr::random(rng);  // sparse-looking
  in.old_root = native_root(in.old_leaf, in.index, in.siblings, shape);
  return in;
}

class MerkleGadget : public ::testing::TestWithParam<unsigned> {};

TEST_P(MerkleGadget, PathOfAFullTreeVerifiesAndUpdates) {
  const unsigned arity = GetParam();
  const MerkleShape shape{arity, arity == 2 ? 6u : 3u};  // 64 leaves
  auto rng = zkamm::testing::seeded_rng("MerkleGadget.PathOfAFullTreeVerifiesAndUpdates", arity);
  std::vector<Fr> leaves(64);
  for (auto& l : leaves) l = (rng() % 2) ? Fr::random(rng) : Fr::zero();
  const FullTree tree(leaves, shape);
  for (int iter = 0; iter < 4; ++iter) {
    const uint64_t index = iter == 0 ? 0 : iter == 1 ? 63 : rng() % 64;
    Instance in{shape, index, leaves[index], Fr::random(rng), tree.root(), tree.path(index, shape)};
    ASSERT_EQ(native_root(in.old_leaf, index, in.siblings, shape), tree.root());
    auto b = build_update(in);
    EXPECT_TRUE(b->cs.is_satisfied()) << "index " << index;
    std::vector<Fr> changed = leaves;
    changed[index] = in.new_leaf;
    EXPECT_EQ(b->cs.eval(b->new_root), FullTree(changed, shape).root()) << "index " << index;
    EXPECT_EQ(b->constraints, merkle_update_constraint_count(shape));

    ConstraintSystem cs;
    const Variable root = cs.alloc_public(tree.root());
    std::vector<Lc> sib;
    for (const Fr& s : in.siblings) sib.emplace_back(cs.alloc(s));
    merkle_verify_leaf(cs, root, cs.alloc(in.old_leaf), cs.alloc(Fr::from_u64(index)), sib, shape);
    EXPECT_TRUE(cs.is_satisfied());
    EXPECT_EQ(cs.num_constraints(), merkle_verify_constraint_count(shape));
    cs.set_value(root, tree.root() + Fr::one());
    EXPECT_FALSE(cs.is_satisfied());
  }
}

TEST_P(MerkleGadget, StateTreeDepthCostsAndWitnessOnlyMode) {
  const unsigned arity = GetParam();
  const MerkleShape shape{arity, arity == 2 ? 24u : 12u};  // 2^24 accounts
  auto rng = zkamm::testing::seeded_rng("MerkleGadget.StateTreeDepthCostsAndWitnessOnlyMode", arity);
  const Instance in = random_instance(rng, shape);
  auto b = build_update(in);
  EXPECT_TRUE(b->cs.is_satisfied());
  EXPECT_EQ(b->cs.eval(b->new_root), native_root(in.new_leaf, in.index, in.siblings, shape));
  std::cout << "arity " << arity << " depth " << shape.depth << ": update " << b->constraints
            << " constraints, verify " << merkle_verify_constraint_count(shape) << "\n";
  EXPECT_EQ(b->constraints, merkle_update_constraint_count(shape));
  auto w = build_update(in, ConstraintSystem::Mode::kWitnessOnly);
  ASSERT_EQ(w->cs.num_variables(), b->cs.num_variables());
  EXPECT_EQ(w->cs.num_constraints(), b->cs.num_constraints());
  for (uint32_t i = 0; i < b->cs.num_variables(); ++i) ASSERT_EQ(w->cs.value(Variable{i}), b->cs.value(Variable{i}));
}

TEST_P(MerkleGadget, WrongWitnessesAreRejected) {
  const unsigned arity = GetParam();
  const MerkleShape shape{arity, arity == 2 ? 6u : 3u};
  auto rng = zkamm::testing::seeded_rng("MerkleGadget.WrongWitnessesAreRejected", arity);
  const Instance in = random_instance(rng, shape);
  ASSERT_TRUE(build_update(in)->cs.is_satisfied());

  Instance wrong_sibling = in;
  wrong_sibling.siblings[rng() % in.siblings.size()] += Fr::one();
  EXPECT_FALSE(build_update(wrong_sibling)->cs.is_satisfied());

  Instance wrong_leaf = in;
  wrong_leaf.old_leaf += Fr::one();
  EXPECT_FALSE(build_update(wrong_leaf)->cs.is_satisfied());

  // The leaf hashed at another position: the path no longer leads to the root.
  Instance moved = in;
  moved.index = (in.index + 1) % pow_u64(arity, shape.depth);
  EXPECT_FALSE(build_update(moved)->cs.is_satisfied());

  // An index beyond the tree (its bits would wrap to a leaf in range) is out of the range check.
  Instance beyond = in;
  beyond.index = in.index + pow_u64(arity, shape.depth);
  EXPECT_FALSE(build_update(beyond)->cs.is_satisfied());

  const unsigned nbits = shape.index_bits();
  for (unsigned k = 0; k < nbits; ++k) {
    // Flipping a position bit (the prover routing the path elsewhere) breaks the index binding.
    auto b = build_update(in);
    const Variable bit{b->first_bit + k};
    b->cs.set_value(bit, Fr::one() - b->cs.value(bit));
    EXPECT_FALSE(b->cs.is_satisfied()) << "bit " << k;
  }
  {
    // A consistent path for position j presented with index i != j.
    Instance other = in;
    other.index = (in.index + 1) % pow_u64(arity, shape.depth);
    other.old_root = native_root(other.old_leaf, other.index, other.siblings, shape);
    auto b = build_update(other);
    ASSERT_TRUE(b->cs.is_satisfied());
    b->cs.set_value(b->index_wire, Fr::from_u64(in.index));
    EXPECT_FALSE(b->cs.is_satisfied());
  }
}

TEST_P(MerkleGadget, EveryInternalWireIsPinned) {
  const unsigned arity = GetParam();
  const MerkleShape shape{arity, 2};
  auto rng = zkamm::testing::seeded_rng("MerkleGadget.EveryInternalWireIsPinned", arity);
  const Instance in = random_instance(rng, shape);
  auto b = build_update(in);
  ASSERT_TRUE(b->cs.is_satisfied());
  for (uint32_t i = b->first_bit; i < b->cs.num_variables(); ++i) {
    const Variable v{i};
    const Fr saved = b->cs.value(v);
    b->cs.set_value(v, saved + Fr::one());
    EXPECT_FALSE(b->cs.is_satisfied()) << "wire " << i;
    b->cs.set_value(v, saved);
  }
  EXPECT_TRUE(find_free_wires(b->cs, b->first_bit, zkamm::testing::test_seed()).free_wires.empty());
}

INSTANTIATE_TEST_SUITE_P(Arity, MerkleGadget, ::testing::Values(2u, 4u));

}  // namespace
}  // namespace zkamm::circuit
