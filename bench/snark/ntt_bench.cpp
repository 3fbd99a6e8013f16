// NTT over Fr, sizes 2^16 .. 2^22 (e.g. --benchmark_filter='BM_Ntt/65536').
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "snark/ntt.hpp"

namespace {

using zkamm::ff::Fr;

std::vector<Fr> random_values(size_t n) {
  std::mt19937_64 rng(42);
  std::vector<Fr> v(n);
  for (auto& x : v) x = Fr::random(rng);
  return v;
}

void BM_Ntt(benchmark::State& state) {
  auto v = random_values(static_cast<size_t>(state.range(0)));
  zkamm::snark::ntt(v);  // builds the twiddle table outside the timed loop
  for (auto _ : state) {
    zkamm::snark::ntt(v);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Ntt)->RangeMultiplier(2)->Range(1 << 16, 1 << 22)->Unit(benchmark::kMillisecond)->MinTime(0.2);

void BM_Intt(benchmark::State& state) {
  auto v = random_values(static_cast<size_t>(state.range(0)));
  zkamm::snark::intt(v);
  for (auto _ : state) {
    zkamm::snark::intt(v);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Intt)->RangeMultiplier(4)->Range(1 << 16, 1 << 22)->Unit(benchmark::kMillisecond)->MinTime(0.2);

void BM_CosetNtt(benchmark::State& state) {
  auto v = random_values(static_cast<size_t>(state.range(0)));
  const Fr shift = zkamm::snark::root_of_unity(static_cast<unsigned>(__builtin_ctzll(v.size())) + 1);
  zkamm::snark::coset_ntt(v, shift);
  for (auto _ : state) {
    zkamm::snark::coset_ntt(v, shift);
    benchmark::DoNotOptimize(v.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CosetNtt)->RangeMultiplier(4)->Range(1 << 16, 1 << 22)->Unit(benchmark::kMillisecond)->MinTime(0.2);

}  // namespace
