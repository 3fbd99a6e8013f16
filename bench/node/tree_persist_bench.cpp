// The batcher's persisted state trees at 100,000 accounts (two token balances each, one pool):
// - a batch's tree update (StateTrees::sync of N swap-like slots: one account's two balances and
//   the pool each) without writing, writing the changed nodes every batch, and as the node's
//   checkpoint does (every 256 batches, each node once);
// - restart: loading the stored trees (Store::load_trees) against rebuilding them
//   (StateTrees::build, what every start did before the trees were persisted).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "node/store.hpp"
#include "state/commitment.hpp"

namespace zkamm::node {
namespace {

constexpr uint32_t kBenchAccounts = 100'000;

struct World {
  state::State s;
  state::TokenId t1 = 0, t2 = 0;
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  state::StateTrees trees;
};

World& world() {
  static World* w = [] {
    auto* x = new World;
    std::mt19937_64 rng(1);
    if (!x->s.add_token(state::L1Address{1}, x->t1).ok() || !x->s.add_token(state::L1Address{2}, x->t2).ok()) std::abort();
    for (uint32_t i = 0; i < kBenchAccounts; ++i) {
      state::AccountIndex a = 0;
      if (!x->s.create_account(state::PublicKey{ff::Fr::random(rng), ff::Fr::random(rng)}, a).ok()) std::abort();
      if (!x->s.deposit(a, x->t1, U256{1 + rng() % 1'000'000, 0, 0, 0}).ok()) std::abort();
      if (!x->s.deposit(a, x->t2, U256{1 + rng() % 1'000'000, 0, 0, 0}).ok()) std::abort();
    }
    state::TokenId lp = 0;
    if (!x->s.create_pool(x->t1, x->t2, lp).ok()) std::abort();
    x->trees = state::StateTrees::build(x->s);
    x->dir = std::filesystem::temp_directory_path() / ("zkamm-tree-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(x->dir);
    std::string err;
    x->store = Store::open(x->dir.string(), err);
    if (!x->store) std::abort();
    const auto nodes = x->trees.all_nodes();
    for (std::size_t i = 0; i < nodes.size(); i += 65536) {
      rocksdb::WriteBatch wb;
      Store::put_tree_nodes(wb, std::span(nodes).subspan(i, std::min<std::size_t>(65536, nodes.size() - i)));
      if (!x->store->write_trees(wb)) std::abort();
    }
    rocksdb::WriteBatch wb;
    Store::put_tree_batch(wb, 1);
    if (!x->store->write_trees(wb)) std::abort();
    x->trees.track_changes(true);
    std::atexit([] { std::filesystem::remove_all(world().dir); });
    return x;
  }();
  return *w;
}

/// One batch of N slots, each moving two balances of a random account and the pool's reserves;
/// the changed nodes written every `checkpoint_every` batches (0: never, 1: every batch as in
/// session 3, 256: the node's default checkpoint), the write's time included.
void BM_BatchTreeUpdate(benchmark::State& st, unsigned checkpoint_every) {
  World& w = world();
  const auto n = static_cast<std::size_t>(st.range(0));
  std::mt19937_64 rng(2);
  uint64_t batch = 1, nodes = 0, since = 0;
  for (auto _ : st) {
    st.PauseTiming();
    state::Touched touched;
    for (std::size_t i = 0; i < n; ++i) {
      const auto a = 1 + static_cast<state::AccountIndex>(rng() % kBenchAccounts);
      if (!w.s.deposit(a, w.t1, U256{1, 0, 0, 0}).ok() || !w.s.deposit(a, w.t2, U256{1, 0, 0, 0}).ok()) std::abort();
      touched.accounts.push_back(a);
      touched.balances.emplace_back(a, w.t1);
      touched.balances.emplace_back(a, w.t2);
    }
    touched.pools.push_back(0);
    st.ResumeTiming();
    w.trees.sync(w.s, touched);
    if (checkpoint_every != 0 && ++since == checkpoint_every) {
      since = 0;
      const auto changes = w.trees.take_changes();
      nodes += changes.size();
      rocksdb::WriteBatch wb;
      Store::put_tree_nodes(wb, changes);
      Store::put_tree_batch(wb, ++batch);
      if (!w.store->write_trees(wb)) st.SkipWithError("write failed");
    }
    benchmark::DoNotOptimize(w.trees.root());
  }
  if (checkpoint_every == 0) (void)w.trees.take_changes();
  st.counters["nodes_written_per_batch"] = static_cast<double>(nodes) / static_cast<double>(st.iterations());
}
BENCHMARK_CAPTURE(BM_BatchTreeUpdate, memory_only, 0u)->Arg(64)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_BatchTreeUpdate, written_every_batch, 1u)->Arg(64)->Arg(512)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_BatchTreeUpdate, checkpoint_every_256, 256u)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1024);

void BM_RestartLoadStoredTrees(benchmark::State& st) {
  World& w = world();
  for (auto _ : st) {
    state::StateTrees t;
    if (!w.store->load_trees(t)) st.SkipWithError("load failed");
    benchmark::DoNotOptimize(t.root());
  }
  st.counters["accounts"] = kBenchAccounts;
}
BENCHMARK(BM_RestartLoadStoredTrees)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

void BM_RestartRebuildTrees(benchmark::State& st) {
  World& w = world();
  for (auto _ : st) benchmark::DoNotOptimize(state::StateTrees::build(w.s).root());
  st.counters["accounts"] = kBenchAccounts;
}
BENCHMARK(BM_RestartRebuildTrees)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace
}  // namespace zkamm::node
