// The state tree at production shape (quaternary, depth 12: 2^24 leaves): 10,000 random leaf
// updates one by one (set_leaf) against one batch (set_leaves), and a batch's worth of updates of
// 64 and 512 leaves followed by the root (what the sequencer does per batch). The tree starts
// with 100,000 random leaves so that paths are not mostly empty.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

#include "state/merkle_tree.hpp"

namespace zkamm::state {
namespace {

constexpr unsigned kArity = 4, kDepth = 12;

using Updates = std::vector<std::pair<uint64_t, Fr>>;

Updates random_updates(std::mt19937_64& rng, size_t n) {
  Updates u;
  u.reserve(n);
  for (size_t i = 0; i < n; ++i) u.emplace_back(rng() % (uint64_t{1} << 24), Fr::random(rng));
  return u;
}

SparseMerkleTree& populated_tree() {
  static SparseMerkleTree* tree = [] {
    auto* t = new SparseMerkleTree(kArity, kDepth);
    std::mt19937_64 rng(1);
    const Updates u = random_updates(rng, 100'000);
    if (!t->set_leaves(u)) std::abort();
    return t;
  }();
  return *tree;
}

void BM_SetLeafSequential(benchmark::State& bs) {
  SparseMerkleTree& t = populated_tree();
  std::mt19937_64 rng(2);
  for (auto _ : bs) {
    bs.PauseTiming();
    const Updates u = random_updates(rng, static_cast<size_t>(bs.range(0)));
    bs.ResumeTiming();
    for (const auto& [index, v] : u) {
      if (!t.set_leaf(index, v)) bs.SkipWithError("index out of range");
    }
    benchmark::DoNotOptimize(t.root());
  }
  bs.SetItemsProcessed(bs.iterations() * bs.range(0));
}
BENCHMARK(BM_SetLeafSequential)->Arg(64)->Arg(512)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SetLeavesBatch(benchmark::State& bs) {
  SparseMerkleTree& t = populated_tree();
  std::mt19937_64 rng(3);
  for (auto _ : bs) {
    bs.PauseTiming();
    const Updates u = random_updates(rng, static_cast<size_t>(bs.range(0)));
    bs.ResumeTiming();
    if (!t.set_leaves(u)) bs.SkipWithError("index out of range");
    benchmark::DoNotOptimize(t.root());
  }
  bs.SetItemsProcessed(bs.iterations() * bs.range(0));
}
BENCHMARK(BM_SetLeavesBatch)->Arg(64)->Arg(512)->Arg(10'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Path(benchmark::State& bs) {
  const SparseMerkleTree& t = populated_tree();
  std::mt19937_64 rng(4);
  for (auto _ : bs) benchmark::DoNotOptimize(t.path(rng() % t.capacity()));
}
BENCHMARK(BM_Path);

}  // namespace
}  // namespace zkamm::state
