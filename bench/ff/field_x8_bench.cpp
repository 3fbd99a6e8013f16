// Eight Fr multiplications: the scalar Fr (mulx/adx CIOS) eight times against one FrX8
// multiplication (eight IFMA lanes when built with them). Dependent chains, as in an S-box.
#include <benchmark/benchmark.h>

#include <array>
#include <random>

#include "ff/field_x8.hpp"

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

// The base field (G1 coordinates, the MSM's batch-affine additions): four independent chains
// each, the scalar Fq (mulx/adx) against FqX8 (eight IFMA lanes when built with them).
namespace {
using zkamm::ff::Fq;
using zkamm::ff::FqX8;

std::array<Fq, 8> random8q(uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::array<Fq, 8> a;
  for (auto& x : a) x = Fq::random(rng);
  return a;
}

void BM_FqMulScalarThroughput(benchmark::State& state) {
  std::array<Fq, 8> a = random8q(1);
  const std::array<Fq, 8> b = random8q(2);
  for (auto _ : state) {
    for (size_t l = 0; l < 8; l += 4) {
      a[l] *= b[l];
      a[l + 1] *= b[l + 1];
      a[l + 2] *= b[l + 2];
      a[l + 3] *= b[l + 3];
    }
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 8));
}
BENCHMARK(BM_FqMulScalarThroughput);

void BM_FqX8MulThroughput(benchmark::State& state) {
  const std::array<Fq, 8> a0 = random8q(1), b0 = random8q(2);
  FqX8 a = FqX8::load(a0.data()), c = a.square(), d = c.square(), e = d.square();
  const FqX8 b = FqX8::load(b0.data());
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
BENCHMARK(BM_FqX8MulThroughput);
}  // namespace
