#include "circuit/merkle_gadget.hpp"

#include "circuit/bits.hpp"
#include "circuit/poseidon_gadget.hpp"

namespace zkamm::circuit {
namespace {

using snark::ConstraintSystem;
using snark::Variable;

/// b ? v1 : v0 for a boolean b; 1 constraint.
Lc pick(ConstraintSystem& cs, Variable b, const Lc& v0, const Lc& v1) { return v0 + Lc(cs.mul(b, v1 - v0)); }

/// Hashes up the tree from each of `leaves` (1 or 2 leaves at the same index and path) and returns
/// the roots. The sibling ordering that does not depend on the leaf is computed once.
std::vector<Lc> roots(ConstraintSystem& cs, std::vector<Lc> cur, std::span<const Variable> bits,
                      std::span<const Lc> siblings, const MerkleShape& shape) {
  for (unsigned level = 0; level < shape.depth; ++level) {
    if (shape.arity == 2) {
      const Variable b = bits[level];
      const Lc& s = siblings[level];
      for (Lc& c : cur) {
        const Lc left = pick(cs, b, c, s);
        const Lc right = c + s - left;
        c = poseidon_gadget(cs, {left, right});
      }
      continue;
    }
    // Arity 4, own position p = b0 + 2*b1, siblings s0 < s1 < s2 by position. The pair that holds
    // the path's child is (c0, c1) = b0 ? (x, cur) : (cur, x) with partner x = b1 ? s2 : s0; the
    // other pair is (y0, y1) = b1 ? (s0, s1) : (s1, s2); b1 puts the path's pair high or low.
    const Variable b0 = bits[2 * level];
    const Variable b1 = bits[2 * level + 1];
    const Lc& s0 = siblings[3 * level];
    const Lc& s1 = siblings[3 * level + 1];
    const Lc& s2 = siblings[3 * level + 2];
    const Lc x = pick(cs, b1, s0, s2);
    const Lc y0 = pick(cs, b1, s1, s0);
    const Lc y1 = s0 + s1 + s2 - x - y0;
    for (Lc& c : cur) {
      const Lc c0 = pick(cs, b0, c, x);
      const Lc c1 = c + x - c0;
      const Lc slot0 = pick(cs, b1, c0, y0);
      const Lc slot1 = pick(cs, b1, c1, y1);
      const Lc slot2 = c0 + y0 - slot0;
      const Lc slot3 = c1 + y1 - slot1;
      c = poseidon_gadget(cs, {slot0, slot1, slot2, slot3});
    }
  }
  return cur;
}

}  // namespace

Lc merkle_root(ConstraintSystem& cs, const Lc& leaf, const Lc& index, std::span<const Lc> siblings,
               const MerkleShape& shape) {
  const std::vector<Variable> bits = to_bits(cs, index, shape.index_bits());
  return roots(cs, {leaf}, bits, siblings, shape).front();
}

void merkle_verify_leaf(ConstraintSystem& cs, const Lc& root, const Lc& leaf, const Lc& index,
                        std::span<const Lc> siblings, const MerkleShape& shape) {
  cs.enforce_equal(merkle_root(cs, leaf, index, siblings, shape), root);
}

Lc merkle_update_leaf(ConstraintSystem& cs, const Lc& old_root, const Lc& old_leaf, const Lc& new_leaf,
                      const Lc& index, std::span<const Lc> siblings, const MerkleShape& shape) {
  const std::vector<Variable> bits = to_bits(cs, index, shape.index_bits());
  std::vector<Lc> r = roots(cs, {old_leaf, new_leaf}, bits, siblings, shape);
  cs.enforce_equal(r[0], old_root);
  return r[1];
}

size_t merkle_verify_constraint_count(const MerkleShape& shape) noexcept {
  const size_t per_level = shape.arity == 2 ? poseidon_constraint_count(2) + 1 : poseidon_constraint_count(4) + 5;
  return shape.depth * per_level + shape.index_bits() + 1 + 1;
}

size_t merkle_update_constraint_count(const MerkleShape& shape) noexcept {
  const size_t per_level =
      shape.arity == 2 ? 2 * (poseidon_constraint_count(2) + 1) : 2 * (poseidon_constraint_count(4) + 3) + 2;
  return shape.depth * per_level + shape.index_bits() + 1 + 1;
}

}  // namespace zkamm::circuit
