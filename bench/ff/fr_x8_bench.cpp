// Eight Fr multiplications: the scalar Fr (mulx/adx CIOS) eight times against one FrX8
// multiplication (eight IFMA lanes when built with them). Dependent chains, as in an S-box.
#include <benchmark/benchmark.h>

#include <array>
#include <random>

#include "ff/fr_x8.hpp"

namespace {

using zkamm::ff::Fr;
using zkamm::ff::FrX8;

std::array<Fr, 8> random8(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::array<Fr, 8> a;
  for (auto& x : a) x = Fr::random(rng);
  return a;
}

void BM_FrMulScalarX8(benchmark::State& state) {
  std::array<Fr, 8> a = random8(1);
  const std::array<Fr, 8> b = random8(2);
  for (auto _ : state) {
    for (size_t l = 0; l < 8; ++l) a[l] *= b[l];
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 8));
}
BENCHMARK(BM_FrMulScalarX8);

void BM_FrX8Mul(benchmark::State& state) {
  const std::array<Fr, 8> a0 = random8(1), b0 = random8(2);
  FrX8 a = FrX8::load(a0.data());
  const FrX8 b = FrX8::load(b0.data());
  for (auto _ : state) {
    a = a * b;
    benchmark::DoNotOptimize(&a);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 8));
}
BENCHMARK(BM_FrX8Mul);

}  // namespace

namespace {
// Four independent chains: the kernel's throughput rather than its latency.
void BM_FrX8MulThroughput(benchmark::State& state) {
  const std::array<Fr, 8> a0 = random8(1), b0 = random8(2);
  FrX8 a = FrX8::load(a0.data()), c = a.square(), d = c.square(), e = d.square();
  const FrX8 b = FrX8::load(b0.data());
  for (auto _ : state) {
    a = a * b;
    c = c * b;
    d = d * b;
    e = e * b;
    benchmark::DoNotOptimize(&a);
    benchmark::DoNotOptimize(&c);
    benchmark::DoNotOptimize(&d);
    benchmark::DoNotOptimize(&e);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 32));
}
BENCHMARK(BM_FrX8MulThroughput);
}  // namespace
