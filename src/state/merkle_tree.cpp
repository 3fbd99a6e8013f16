#include "state/merkle_tree.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <mutex>

#include "ff/parallel.hpp"
#include "hash/poseidon.hpp"
#include "hash/poseidon_batch.hpp"

namespace zkamm::state {
namespace {

/// Below this many nodes a level is hashed on one thread: spawning threads costs more than a few
/// Poseidon permutations.
constexpr size_t kParallelMinNodes = 64;

/// Empty-subtree hashes per (arity, depth), computed once per process: a node holds one balance
/// tree per account, and recomputing them per tree cost `depth` Poseidon calls each.
std::shared_ptr<const std::vector<Fr>> empty_hashes(unsigned arity, unsigned depth) {
  static std::mutex mu;
  static std::map<std::pair<unsigned, unsigned>, std::shared_ptr<const std::vector<Fr>>> cache;
  std::lock_guard lk(mu);
  auto& slot = cache[{arity, depth}];
  if (!slot) {
    auto e = std::make_shared<std::vector<Fr>>(depth + 1);
    (*e)[0] = Fr::zero();
    std::array<Fr, 4> children{};
    for (unsigned l = 1; l <= depth; ++l) {
      std::fill_n(children.begin(), arity, (*e)[l - 1]);
      (*e)[l] = hash_children_of(std::span<const Fr>(children.data(), arity));
    }
    slot = std::move(e);
  }
  return slot;
}

}  // namespace

Fr hash_children_of(std::span<const Fr> children) noexcept { return hash::poseidon(children); }

SparseMerkleTree::SparseMerkleTree(unsigned arity, unsigned depth)
    : arity_(arity), depth_(depth), capacity_(1), empty_(empty_hashes(arity, depth)), levels_(depth + 1) {
  for (unsigned l = 0; l < depth; ++l) capacity_ *= arity;
}

const Fr& SparseMerkleTree::node(unsigned level, uint64_t index) const noexcept {
  const auto& m = levels_[level];
  const auto it = m.find(index);
  return it == m.end() ? (*empty_)[level] : it->second;
}

Fr SparseMerkleTree::get_leaf(uint64_t index) const noexcept {
  return index < capacity_ ? node(0, index) : Fr::zero();
}

Fr SparseMerkleTree::hash_children(unsigned level, uint64_t parent) const noexcept {
  std::array<Fr, 4> children{};
  const uint64_t first = parent * arity_;
  for (unsigned c = 0; c < arity_; ++c) children[c] = node(level, first + c);
  return hash_children_of(std::span<const Fr>(children.data(), arity_));
}

void SparseMerkleTree::store(unsigned level, uint64_t index, const Fr& value) {
  if (tracking_) changed_.emplace_back(level, index);
  // Keeping empty nodes out of the maps keeps the tree sparse after leaves are cleared.
  if (value == (*empty_)[level]) {
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
  SparseMerkleTree* self = this;
  const std::span<const std::pair<uint64_t, Fr>> one[1] = {updates};
  return set_leaves_many(std::span<SparseMerkleTree* const>(&self, 1), one);
}

bool SparseMerkleTree::set_leaves_many(std::span<SparseMerkleTree* const> trees,
                                       std::span<const std::span<const std::pair<uint64_t, Fr>>> updates) {
  for (size_t i = 0; i < trees.size(); ++i) {
    for (const auto& u : updates[i]) {
      if (u.first >= trees[i]->capacity_) return false;
    }
  }
  if (trees.empty()) return true;
  const unsigned arity = trees[0]->arity_, depth = trees[0]->depth_;
  std::vector<std::pair<size_t, uint64_t>> touched;  // (tree, node index at the current parent level)
  for (size_t i = 0; i < trees.size(); ++i) {
    for (const auto& [index, value] : updates[i]) {
      trees[i]->store(0, index, value);
      touched.emplace_back(i, index / arity);
    }
  }
  // Sorted once: (tree, index / arity) keeps the order of (tree, index), so each level above
  // only drops the duplicates.
  std::sort(touched.begin(), touched.end());
  std::vector<Fr> children, hashes;
  for (unsigned l = 0; l < depth; ++l) {
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    const size_t n = touched.size();
    children.resize(n * arity);
    hashes.resize(n);
    // Eight nodes per Poseidon batch; groups of eight split across threads for large levels.
    // Concurrent finds on the (unchanging) child level are safe; the parent level is written
    // afterwards on this thread because unordered_map insertion is not.
    ff::parallel_for_chunks(
        (n + 7) / 8,
        [&](size_t begin, size_t end, unsigned) {
          const size_t first = begin * 8, last = std::min(n, end * 8);
          for (size_t i = first; i < last; ++i) {
            const auto& [tree, parent] = touched[i];
            for (unsigned c = 0; c < arity; ++c) children[i * arity + c] = trees[tree]->node(l, parent * arity + c);
          }
          hash::poseidon_many(std::span<const Fr>(children.data() + first * arity, (last - first) * arity), arity,
                              std::span<Fr>(hashes.data() + first, last - first));
        },
        n < kParallelMinNodes ? 1u : 0u);
    for (size_t i = 0; i < n; ++i) {
      trees[touched[i].first]->store(l + 1, touched[i].second, hashes[i]);
      touched[i].second /= arity;
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

void SparseMerkleTree::track_changes(bool on) {
  tracking_ = on;
  changed_.clear();
}

std::vector<NodeChange> SparseMerkleTree::take_changes() {
  std::sort(changed_.begin(), changed_.end());
  changed_.erase(std::unique(changed_.begin(), changed_.end()), changed_.end());
  std::vector<NodeChange> out;
  out.reserve(changed_.size());
  for (const auto& [level, index] : changed_) {
    const auto& m = levels_[level];
    const auto it = m.find(index);
    if (it == m.end()) {
      out.push_back(NodeChange{level, index, (*empty_)[level], true});
    } else {
      out.push_back(NodeChange{level, index, it->second, false});
    }
  }
  changed_.clear();
  return out;
}

std::vector<NodeChange> SparseMerkleTree::all_nodes() const {
  std::vector<NodeChange> out;
  out.reserve(stored_nodes());
  for (unsigned l = 0; l <= depth_; ++l) {
    for (const auto& [index, value] : levels_[l]) out.push_back(NodeChange{l, index, value, false});
  }
  return out;
}

bool SparseMerkleTree::load_node(unsigned level, uint64_t index, const Fr& value) {
  if (level > depth_) return false;
  uint64_t width = capacity_;
  for (unsigned l = 0; l < level; ++l) width /= arity_;
  if (index >= width) return false;
  if (value == (*empty_)[level]) {
    levels_[level].erase(index);
  } else {
    levels_[level][index] = value;
  }
  return true;
}

}  // namespace zkamm::state
