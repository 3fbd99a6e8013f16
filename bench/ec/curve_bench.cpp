// Group and pairing micro-benchmarks (G1 mixed addition is the MSM's inner loop).
#include <benchmark/benchmark.h>

#include <random>
#include <utility>
#include <vector>

#include "ec/pairing.hpp"
#include "ec/serialize.hpp"

namespace zkamm::ec {
namespace {

template <class P>
P random_point(std::mt19937_64& rng) {
  return P::generator().mul(Fr::random(rng).to_canonical());
}

void BM_G1Add(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G1 a = random_point<G1>(rng);
  const G1 b = random_point<G1>(rng);
  for (auto _ : state) {
    a = a + b;
    benchmark::DoNotOptimize(a);
  }
}
void BM_G1AddMixed(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G1 a = random_point<G1>(rng);
  const G1Affine b = random_point<G1>(rng).to_affine();
  for (auto _ : state) {
    a = a.add_mixed(b);
    benchmark::DoNotOptimize(a);
  }
}
void BM_G1Double(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G1 a = random_point<G1>(rng);
  for (auto _ : state) {
    a = a.dbl();
    benchmark::DoNotOptimize(a);
  }
}
void BM_G1Mul(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G1 a = random_point<G1>(rng);
  const Fr k = Fr::random(rng);
  for (auto _ : state) benchmark::DoNotOptimize(a * k);
}
void BM_G2Add(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G2 a = random_point<G2>(rng);
  const G2 b = random_point<G2>(rng);
  for (auto _ : state) {
    a = a + b;
    benchmark::DoNotOptimize(a);
  }
}
void BM_G2AddMixed(benchmark::State& state) {
  std::mt19937_64 rng(1);
  G2 a = random_point<G2>(rng);
  const G2Affine b = random_point<G2>(rng).to_affine();
  for (auto _ : state) {
    a = a.add_mixed(b);
    benchmark::DoNotOptimize(a);
  }
}
void BM_G2SubgroupCheck(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G2Affine a = random_point<G2>(rng).to_affine();
  for (auto _ : state) benchmark::DoNotOptimize(a.is_in_subgroup());
}
void BM_G1BatchToAffine1024(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::vector<G1> pts(1024, random_point<G1>(rng));
  for (size_t i = 1; i < pts.size(); ++i) pts[i] = pts[i - 1].dbl();
  std::vector<G1Affine> out(pts.size());
  for (auto _ : state) {
    G1::batch_to_affine(pts, out);
    benchmark::DoNotOptimize(out.data());
  }
}
void BM_MillerLoop(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G1Affine p = random_point<G1>(rng).to_affine();
  const G2Affine q = random_point<G2>(rng).to_affine();
  for (auto _ : state) benchmark::DoNotOptimize(miller_loop(p, q));
}
void BM_FinalExponentiation(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const Fq12 f = miller_loop(random_point<G1>(rng).to_affine(), random_point<G2>(rng).to_affine());
  for (auto _ : state) benchmark::DoNotOptimize(final_exponentiation(f));
}
void BM_Pairing(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G1Affine p = random_point<G1>(rng).to_affine();
  const G2Affine q = random_point<G2>(rng).to_affine();
  for (auto _ : state) benchmark::DoNotOptimize(pairing(p, q));
}
void BM_PairingCheck2(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G1Affine p = random_point<G1>(rng).to_affine();
  const G2Affine q = random_point<G2>(rng).to_affine();
  const std::vector<std::pair<G1Affine, G2Affine>> pairs = {{p, q}, {-p, q}};
  for (auto _ : state) benchmark::DoNotOptimize(pairing_product_is_one(pairs));
}
void BM_PairingCheck4(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::vector<std::pair<G1Affine, G2Affine>> pairs;
  for (int i = 0; i < 4; ++i) pairs.emplace_back(random_point<G1>(rng).to_affine(), random_point<G2>(rng).to_affine());
  for (auto _ : state) benchmark::DoNotOptimize(pairing_product_is_one(pairs));
}
void BM_DecodeG2Evm(benchmark::State& state) {
  std::mt19937_64 rng(1);
  const G2Bytes b = encode_g2_evm(random_point<G2>(rng).to_affine());
  for (auto _ : state) benchmark::DoNotOptimize(decode_g2_evm(b));
}

BENCHMARK(BM_G1Add);
BENCHMARK(BM_G1AddMixed);
BENCHMARK(BM_G1Double);
BENCHMARK(BM_G1Mul);
BENCHMARK(BM_G2Add);
BENCHMARK(BM_G2AddMixed);
BENCHMARK(BM_G2SubgroupCheck);
BENCHMARK(BM_G1BatchToAffine1024);
BENCHMARK(BM_MillerLoop);
BENCHMARK(BM_FinalExponentiation);
BENCHMARK(BM_Pairing);
BENCHMARK(BM_PairingCheck2);
BENCHMARK(BM_PairingCheck4);
BENCHMARK(BM_DecodeG2Evm);

}  // namespace
}  // namespace zkamm::ec
