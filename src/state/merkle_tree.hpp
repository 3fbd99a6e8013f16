#pragma once
// The native sparse Merkle tree of the state, node for node the tree that circuit/merkle_gadget
// proves paths in: arity 2 (node = Poseidon(c0, c1)) or 4 (node = Poseidon(c0, c1, c2, c3)),
// children in position order; the leaf at `index` has at level l (0 = leaf level) the position
// (index / arity^l) % arity, i.e. the least significant digit picks the child at the leaf level.
// An empty leaf is 0; an empty subtree of height h + 1 is Poseidon of `arity` empty subtrees of
// height h. Only non-empty nodes are stored.
//
// Persistence: with track_changes(true) the tree remembers every node it stores; take_changes()
// hands them to the caller (the node writes them to RocksDB with the batch they belong to) and
// load_node() puts a stored node back without hashing, so a restart needs no Poseidon work.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ff/bn254.hpp"

namespace zkamm::state {

using ff::Fr;

/// The one place the trees hash: Poseidon of `arity` children in position order (a faster
/// Poseidon swaps in here). Precondition: children.size() is 2 or 4.
Fr hash_children_of(std::span<const Fr> children) noexcept;

/// A node the tree stored since the last take_changes(): `value` is the empty hash of `level`
/// when the node became empty (the store then deletes it).
struct NodeChange {
  unsigned level = 0;
  uint64_t index = 0;
  Fr value = Fr::zero();
  bool empty = false;
};

class SparseMerkleTree {
 public:
  /// Precondition: arity is 2 or 4, depth >= 1 and depth * log2(arity) <= 62.
  SparseMerkleTree(unsigned arity, unsigned depth);

  unsigned arity() const noexcept { return arity_; }
  unsigned depth() const noexcept { return depth_; }
  /// Number of leaves, arity^depth.
  uint64_t capacity() const noexcept { return capacity_; }

  const Fr& root() const noexcept { return node(depth_, 0); }
  /// Hash of an empty subtree whose root is at `level` (0 = an empty leaf). Precondition: level <= depth.
  const Fr& empty_hash(unsigned level) const noexcept { return (*empty_)[level]; }

  /// The leaf at index (0 when never set or out of range).
  Fr get_leaf(uint64_t index) const noexcept;

  /// Node `index` of `level` (0 = leaves). Precondition: level <= depth, index < arity^(depth - level).
  const Fr& node(unsigned level, uint64_t index) const noexcept;

  /// Sets one leaf and rehashes its path. Returns false (tree unchanged) when index >= capacity().
  [[nodiscard]] bool set_leaf(uint64_t index, const Fr& value);

  /// Sets many leaves (a later entry for the same index wins) and rehashes every touched node once,
  /// level by level, the nodes of a level in parallel. Same result as set_leaf in order. Returns
  /// false (tree unchanged) when any index >= capacity().
  [[nodiscard]] bool set_leaves(std::span<const std::pair<uint64_t, Fr>> updates);

  /// set_leaves on several distinct trees of one arity and depth together: at each level the
  /// touched nodes of all trees are hashed in one batch (hash::poseidon_many, eight at a time).
  /// updates[i] goes to trees[i]; same result as trees[i]->set_leaves(updates[i]) for every i.
  /// Returns false (no tree changed) when any index is out of its tree's range.
  [[nodiscard]] static bool set_leaves_many(std::span<SparseMerkleTree* const> trees,
                                            std::span<const std::span<const std::pair<uint64_t, Fr>>> updates);

  /// The siblings of the leaf's path in the gadget's layout: leaf level first, at each level the
  /// arity - 1 other children in increasing position; depth * (arity - 1) elements. nullopt when
  /// index >= capacity().
  std::optional<std::vector<Fr>> path(uint64_t index) const;

  /// Non-empty stored nodes over all levels (for tests and memory estimates).
  size_t stored_nodes() const noexcept;

  /// Starts (or stops and forgets) recording which nodes are stored.
  void track_changes(bool on);
  bool tracking_changes() const noexcept { return tracking_; }
  /// The nodes stored since tracking started or the last call, each once, in (level, index)
  /// order, with their current values; forgets them.
  std::vector<NodeChange> take_changes();
  /// Every non-empty node (for writing a whole tree), in no particular order.
  std::vector<NodeChange> all_nodes() const;
  /// Puts a node read back from storage, without hashing or recording it. false (tree unchanged)
  /// when level > depth or index >= arity^(depth - level). The caller loads a consistent set
  /// (the nodes take_changes() produced); the root is checked by the caller.
  [[nodiscard]] bool load_node(unsigned level, uint64_t index, const Fr& value);

 private:
  /// Poseidon of the children of node `parent` at `level` + 1 (children read from `level`).
  Fr hash_children(unsigned level, uint64_t parent) const noexcept;
  void store(unsigned level, uint64_t index, const Fr& value);

  unsigned arity_;
  unsigned depth_;
  uint64_t capacity_;
  std::shared_ptr<const std::vector<Fr>> empty_;  // depth + 1 entries, shared by trees of one shape
  std::vector<std::unordered_map<uint64_t, Fr>> levels_;  // depth + 1 levels, non-empty nodes only
  bool tracking_ = false;
  std::vector<std::pair<unsigned, uint64_t>> changed_;  // (level, index) stored while tracking
};

}  // namespace zkamm::state
