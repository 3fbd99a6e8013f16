// Field arithmetic micro-benchmarks: the inner loops of MSM, NTT and the pairing.
#include <benchmark/benchmark.h>

#include <array>
#include <random>

#include "ff/fq12.hpp"

namespace zkamm::ff {
namespace {

template <class F, class Op>
void run_binary(benchmark::State& state, Op op) {
  std::mt19937_64 rng(1);
  F a = F::random(rng);
  const F b = F::random(rng);
  for (auto _ : state) {
    a = op(a, b);
    benchmark::DoNotOptimize(a);
  }
}

void BM_FqMul(benchmark::State& s) { run_binary<Fq>(s, [](const Fq& a, const Fq& b) { return a * b; }); }
void BM_FqSquare(benchmark::State& s) { run_binary<Fq>(s, [](const Fq& a, const Fq&) { return a.square(); }); }
void BM_FqAdd(benchmark::State& s) { run_binary<Fq>(s, [](const Fq& a, const Fq& b) { return a + b; }); }
void BM_FrMul(benchmark::State& s) { run_binary<Fr>(s, [](const Fr& a, const Fr& b) { return a * b; }); }
void BM_FqInverse(benchmark::State& s) { run_binary<Fq>(s, [](const Fq& a, const Fq& b) { return a.inverse() + b; }); }
void BM_Fq2Mul(benchmark::State& s) { run_binary<Fq2>(s, [](const Fq2& a, const Fq2& b) { return a * b; }); }
void BM_Fq2Square(benchmark::State& s) { run_binary<Fq2>(s, [](const Fq2& a, const Fq2&) { return a.square(); }); }
void BM_Fq12Mul(benchmark::State& s) { run_binary<Fq12>(s, [](const Fq12& a, const Fq12& b) { return a * b; }); }
void BM_Fq12CyclotomicSquare(benchmark::State& s) {
  run_binary<Fq12>(s, [](const Fq12& a, const Fq12&) { return a.cyclotomic_square(); });
}

// A width-5 Poseidon matrix row: five products summed, as Montgomery products (arg 0) or as one
// lazily reduced dot product (arg 1, Fr::dot). Each result feeds the next row's first operand.
void BM_FrDot5(benchmark::State& s) {
  std::mt19937_64 rng(1);
  std::array<Fr, 5> a, b;
  for (auto& x : a) x = Fr::random(rng);
  for (auto& x : b) x = Fr::random(rng);
  const bool lazy = s.range(0) == 1;
  for (auto _ : s) {
    Fr r;
    if (lazy) {
      r = Fr::dot(a.data(), b.data(), a.size());
    } else {
      r = a[0] * b[0];
      for (std::size_t i = 1; i < a.size(); ++i) r += a[i] * b[i];
    }
    a[0] = r;
    benchmark::DoNotOptimize(a);
  }
}

BENCHMARK(BM_FqMul);
BENCHMARK(BM_FqSquare);
BENCHMARK(BM_FqAdd);
BENCHMARK(BM_FrMul);
BENCHMARK(BM_FqInverse);
BENCHMARK(BM_Fq2Mul);
BENCHMARK(BM_Fq2Square);
BENCHMARK(BM_Fq12Mul);
BENCHMARK(BM_Fq12CyclotomicSquare);
BENCHMARK(BM_FrDot5)->Arg(0)->Arg(1);

}  // namespace
}  // namespace zkamm::ff
