#include "state/merkle_tree.hpp"

#include <algorithm>
#include <array>

#include "ff/parallel.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::state {
namespace {

/// Below this many nodes a level is hashed on one thread: spawning threads costs more than a few
/// Poseidon permutations.
constexpr size_t kParallelMinNodes = 64;

}  // namespace

SparseMerkleTree::SparseMerkleTree(unsigned arity, unsigned depth)
    : arity_(arity), depth_(depth), capacity_(1), empty_(depth + 1), levels_(depth + 1) {
  for (unsigned l = 0; l < depth; ++l) capacity_ *= arity;
  empty_[0] = Fr::zero();
  std::array<Fr, 4> children{};
  for (unsigned l = 1; l <= depth; ++l) {
    std::fill_n(children.begin(), arity, empty_[l - 1]);
    empty_[l] = hash::poseidon(std::span<const Fr>(children.data(), arity));
  }
}

const Fr& SparseMerkleTree::node(unsigned level, uint64_t index) const noexcept {
  const auto& m = levels_[level];
  const auto it = m.find(index);
  return it == m.end() ? empty_[level] : it->second;
}

Fr SparseMerkleTree::get_leaf(uint64_t index) const noexcept {
  return index < capacity_ ? node(0, index) : Fr::zero();
}

Fr SparseMerkleTree::hash_children(unsigned level, uint64_t parent) const noexcept {
  std::array<Fr, 4> children{};
  const uint64_t first = parent * arity_;
  for (unsigned c = 0; c < arity_; ++c) children[c] = node(level, first + c);
  return hash::poseidon(std::span<const Fr>(children.data(), arity_));
}

void SparseMerkleTree::store(unsigned level, uint64_t index, const Fr& value) {
  // Keeping empty nodes out of the maps keeps the tree sparse after leaves are cleared.
  if (value == empty_[level]) {
    levels_[level].erase(index);
  } else {
    levels_[level][index] = value;
  }
}

bool SparseMerkleTree::set_leaf(uint64_t index, const Fr& value) {
  if (index >= capacity_) return false;
  store(0, index, value);
  for (unsigned l = 0; l < depth_; ++l) {
    index /= arity_;
    store(l + 1, index, hash_children(l, index));
  }
  return true;
}

bool SparseMerkleTree::set_leaves(std::span<const std::pair<uint64_t, Fr>> updates) {
  for (const auto& u : updates) {
    if (u.first >= capacity_) return false;
  }
  std::vector<uint64_t> touched;
  touched.reserve(updates.size());
  for (const auto& [index, value] : updates) {
    store(0, index, value);
    touched.push_back(index / arity_);
  }
  std::vector<Fr> hashes;
  for (unsigned l = 0; l < depth_; ++l) {
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    hashes.resize(touched.size());
    // Concurrent finds on the (unchanging) child level are safe; the parent level is written
    // afterwards on this thread because unordered_map insertion is not.
    ff::parallel_for_chunks(
        touched.size(),
        [&](size_t begin, size_t end, unsigned) {
          for (size_t i = begin; i < end; ++i) hashes[i] = hash_children(l, touched[i]);
        },
        touched.size() < kParallelMinNodes ? 1u : 0u);
    for (size_t i = 0; i < touched.size(); ++i) {
      store(l + 1, touched[i], hashes[i]);
      touched[i] /= arity_;
    }
  }
  return true;
}

std::optional<std::vector<Fr>> SparseMerkleTree::path(uint64_t index) const {
  if (index >= capacity_) return std::nullopt;
  std::vector<Fr> siblings;
  siblings.reserve(size_t{depth_} * (arity_ - 1));
  for (unsigned l = 0; l < depth_; ++l) {
    const uint64_t first = index - index % arity_;
    for (uint64_t c = first; c < first + arity_; ++c) {
      if (c != index) siblings.push_back(node(l, c));
    }
    index /= arity_;
  }
  return siblings;
}

size_t SparseMerkleTree::stored_nodes() const noexcept {
  size_t n = 0;
  for (const auto& m : levels_) n += m.size();
  return n;
}

}  // namespace zkamm::state
