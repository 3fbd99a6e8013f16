// The L1 replica (issue 16, docs/PERFORMANCE.md "Rebuilding the state from L1"):
//   BM_Rebuild/<swaps>/<accounts>: replaying a synthetic history (sync/synthetic_history.hpp:
//     the accounts created and funded, two pools, then random swaps in 512-slot swap batches)
//     into a fresh replica: public data replay, Merkle trees, root checks and the synced RocksDB
//     steps, in steps of 64 batches (what one eth_getLogs range holds on a busy rollup). The
//     history is made before the clock starts. Counter swaps_per_s: swaps of L1 history per
//     second (the set-up slots are replayed too and not counted).
//   BM_ExitProof/<accounts>: one exit proof (balance path, account path, pool half) from the
//     replica's trees in memory, over a state of that many accounts.
// L1 reads (eth_getLogs, eth_getTransactionByHash) are not in these figures.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "sync/replica.hpp"
#include "sync/synthetic_history.hpp"

namespace zkamm::sync {
namespace {

namespace fs = std::filesystem;

constexpr uint32_t kStep = 64;

ChainInfo chain() {
  ChainInfo c;
  c.chain_id = 1;
  c.genesis_root = state::StateTrees::build(state::State{}).root();
  return c;
}

std::unique_ptr<Replica> rebuild(const History& h, const fs::path& dir) {
  fs::remove_all(dir);
  std::string err;
  auto r = Replica::open(dir.string(), err);
  if (!r || !r->bind(chain()).empty()) return nullptr;
  for (size_t i = 0; i < h.batches.size(); i += kStep) {
    SyncUpdate u;
    if (i == 0) u.tokens = h.tokens;
    for (size_t k = i; k < std::min(h.batches.size(), i + kStep); ++k) u.batches.push_back(h.batches[k]);
    u.cursor.block = u.batches.back().final_block;
    if (!r->commit(u).empty()) return nullptr;
  }
  return r;
}

History history(uint64_t swaps, uint32_t accounts) {
  HistoryParams p;
  p.swaps = swaps;
  p.accounts = accounts;
  p.slots = 512;
  p.root_every = kStep;
  return make_history(p);
}

void BM_Rebuild(benchmark::State& st) {
  const History h = history(static_cast<uint64_t>(st.range(0)), static_cast<uint32_t>(st.range(1)));
  const fs::path dir = fs::temp_directory_path() / ("zkamm-sync-bench-" + std::to_string(::getpid()));
  ReplicaTimings t;
  for (auto _ : st) {
    auto r = rebuild(h, dir);
    if (!r || r->root() != h.final_root) st.SkipWithError("the rebuild failed or gave another root");
    if (r) t = r->timings();
  }
  // Where the (last) rebuild's time went, wall and process CPU (all threads): replay, trees,
  // encoding the records, the RocksDB write.
  const std::pair<const char*, ReplicaTimings::Phase> phases[] = {
      {"replay", t.replay}, {"trees", t.trees}, {"records", t.records}, {"write", t.write}};
  double cpu = 0;
  for (const auto& [name, p] : phases) {
    st.counters[std::string(name) + "_s"] = p.wall_s;
    st.counters[std::string(name) + "_cpu_s"] = p.cpu_s;
    cpu += p.cpu_s;
  }
  st.counters["cpu_s"] = cpu;
  fs::remove_all(dir);
  st.counters["swaps"] = static_cast<double>(h.swaps);
  st.counters["batches"] = static_cast<double>(h.batches.size());
  st.counters["swaps_per_s"] = benchmark::Counter(static_cast<double>(h.swaps) * st.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Rebuild)->Args({100'000, 10'000})->Args({1'000'000, 100'000})->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

void BM_ExitProof(benchmark::State& st) {
  const uint32_t accounts = static_cast<uint32_t>(st.range(0));
  static std::unique_ptr<Replica> r;
  static uint32_t built = 0;
  const fs::path dir = fs::temp_directory_path() / ("zkamm-sync-bench-proof-" + std::to_string(::getpid()));
  if (built != accounts) {
    r = rebuild(history(10'000, accounts), dir);
    built = accounts;
  }
  if (!r) return st.SkipWithError("rebuild failed");
  std::mt19937_64 rng(7);
  for (auto _ : st) {
    const auto a = static_cast<state::AccountIndex>(1 + rng() % accounts);
    const node::ExitProofResult p = r->exit_proof(a, (a & 1) ? 1 : 2);
    if (!p.ok()) st.SkipWithError(p.message.c_str());
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ExitProof)->Arg(100'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace zkamm::sync
