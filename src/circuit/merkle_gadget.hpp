#pragma once
// Merkle path gadgets for the state tree: a Poseidon tree of arity 2 (node = Poseidon(l, r)) or 4
// (node = Poseidon(c0, c1, c2, c3)). The leaf's position bits are derived from the index inside
// the circuit (a depth * log2(arity)-bit decomposition, which also range-checks the index), never
// taken as free inputs, so a path cannot be re-routed to another leaf.
//
// Why arity 4 is the cheaper choice (constraints per leaf update, 2^24 leaves):
//   binary:     Poseidon(2) = 240 per level + 1 to order the pair; 24 levels:
//               verify 24 * 241 = 5,784; update (old and new root) 24 * 482 = 11,568.
//   quaternary: Poseidon(4) = 297 (t = 5, 8 full + 60 partial rounds) per level, i.e. per two
//               binary levels, + 5 to order the four children (3 of them shared by the old and
//               new path in an update); 12 levels: verify 12 * 302 = 3,624; update 12 * 602 = 7,224.
// A quaternary level costs 297 + 5 against 2 * 241 for the two binary levels it replaces: about
// 37% fewer constraints, for 3 siblings per level instead of 2 per two levels (36 instead of 24
// sibling wires). (Arity 8, Poseidon(8) = 402 per 3 binary levels, would gain a few percent more
// for 56 siblings and a costlier ordering; not worth it.)
#include <cstddef>
#include <span>
#include <vector>

#include "snark/constraint_system.hpp"

namespace zkamm::circuit {

using Lc = snark::LinearExpr;

struct MerkleShape {
  unsigned arity = 4;  ///< 2 or 4
  unsigned depth = 12;  ///< levels of that arity; depth * log2(arity) <= 253
  unsigned index_bits() const noexcept { return depth * (arity == 4 ? 2 : 1); }
  unsigned siblings_per_level() const noexcept { return arity - 1; }
};

/// Siblings are given leaf level first; at each level the arity - 1 other children in increasing
/// child position (position p of the path's own child = the index's digit of that level).
/// Root of the tree in which `leaf` sits at `index`. Precondition: siblings.size() ==
/// depth * (arity - 1); index < arity^depth (enforced: otherwise unsatisfiable).
Lc merkle_root(snark::ConstraintSystem& cs, const Lc& leaf, const Lc& index, std::span<const Lc> siblings,
               const MerkleShape& shape);

/// Enforces that `leaf` sits at `index` in the tree of `root`.
void merkle_verify_leaf(snark::ConstraintSystem& cs, const Lc& root, const Lc& leaf, const Lc& index,
                        std::span<const Lc> siblings, const MerkleShape& shape);

/// Enforces that old_leaf sits at index under old_root and returns the root after replacing it by
/// new_leaf, with one shared path (one index decomposition, shared sibling ordering).
Lc merkle_update_leaf(snark::ConstraintSystem& cs, const Lc& old_root, const Lc& old_leaf, const Lc& new_leaf,
                      const Lc& index, std::span<const Lc> siblings, const MerkleShape& shape);

/// Constraints of merkle_update_leaf / merkle_verify_leaf for a shape.
size_t merkle_update_constraint_count(const MerkleShape& shape) noexcept;
size_t merkle_verify_constraint_count(const MerkleShape& shape) noexcept;

}  // namespace zkamm::circuit
