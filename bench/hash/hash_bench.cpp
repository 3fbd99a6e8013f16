#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "ec/babyjubjub.hpp"
#include "ec/babyjubjub_fast.hpp"
#include "hash/blake512.hpp"
#include "hash/eddsa.hpp"
#include "hash/eddsa_batch.hpp"
#include "hash/poseidon.hpp"

namespace {

using zkamm::ff::Fr;
using zkamm::ff::U256;

void BM_Poseidon(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::vector<Fr> in(static_cast<size_t>(state.range(0)));
  for (auto& v : in) v = Fr::random(rng);
  (void)zkamm::hash::poseidon(in);  // constants generated outside the timing
  for (auto _ : state) {
    benchmark::DoNotOptimize(zkamm::hash::poseidon(in));
    in[0] += Fr::one();
  }
}
BENCHMARK(BM_Poseidon)->DenseRange(1, 5)->Arg(16);

void BM_PoseidonConstantsGeneration(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::generate_poseidon_params(static_cast<unsigned>(state.range(0))));
}
BENCHMARK(BM_PoseidonConstantsGeneration)->Arg(3)->Arg(17)->Unit(benchmark::kMillisecond);

void BM_BabyJubMul(benchmark::State& state) {
  std::mt19937_64 rng(2);
  const zkamm::ec::BabyJubPoint p(zkamm::ec::BabyJubAffine::generator());
  const U256 k{rng(), rng(), rng(), rng() >> 4};
  for (auto _ : state) benchmark::DoNotOptimize(p.mul(k));
}
BENCHMARK(BM_BabyJubMul)->Unit(benchmark::kMicrosecond);

void BM_BabyJubMulBase8(benchmark::State& state) {
  std::mt19937_64 rng(3);
  const U256 k{rng(), rng(), rng(), rng() >> 4};
  (void)zkamm::ec::mul_base8(k);
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::ec::mul_base8(k));
}
BENCHMARK(BM_BabyJubMulBase8)->Unit(benchmark::kMicrosecond);

zkamm::hash::PrivateKey test_key() {
  zkamm::hash::PrivateKey prv{};
  for (size_t i = 0; i < prv.size(); ++i) prv[i] = static_cast<uint8_t>(i + 1);
  return prv;
}

void BM_EddsaSign(benchmark::State& state) {
  const auto prv = test_key();
  Fr msg = Fr::from_u64(7);
  for (auto _ : state) {
    benchmark::DoNotOptimize(zkamm::hash::eddsa_sign_poseidon(prv, msg));
    msg += Fr::one();
  }
}
BENCHMARK(BM_EddsaSign)->Unit(benchmark::kMicrosecond);

void BM_EddsaVerify(benchmark::State& state) {
  const auto prv = test_key();
  const Fr msg = Fr::from_u64(7);
  const auto a = zkamm::hash::eddsa_public_key(prv);
  const auto sig = zkamm::hash::eddsa_sign_poseidon(prv, msg);
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon(a, msg, sig));
}
BENCHMARK(BM_EddsaVerify)->Unit(benchmark::kMicrosecond);

void BM_Blake512_64B(benchmark::State& state) {
  std::array<uint8_t, 64> buf{};
  for (auto _ : state) {
    benchmark::DoNotOptimize(zkamm::hash::blake512(buf));
    ++buf[0];
  }
}
BENCHMARK(BM_Blake512_64B);

}  // namespace

namespace {

void BM_EddsaVerifyReference(benchmark::State& state) {
  const auto prv = test_key();
  const Fr msg = Fr::from_u64(7);
  const auto a = zkamm::hash::eddsa_public_key(prv);
  const auto sig = zkamm::hash::eddsa_sign_poseidon(prv, msg);
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon_reference(a, msg, sig));
}
BENCHMARK(BM_EddsaVerifyReference)->Unit(benchmark::kMicrosecond);

void BM_EddsaVerifyPrepared(benchmark::State& state) {
  const auto prv = test_key();
  const Fr msg = Fr::from_u64(7);
  const zkamm::ec::BabyJubPreparedKey a(zkamm::hash::eddsa_public_key(prv));
  const auto sig = zkamm::hash::eddsa_sign_poseidon(prv, msg);
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon(a, msg, sig));
}
BENCHMARK(BM_EddsaVerifyPrepared)->Unit(benchmark::kMicrosecond);

void BM_BabyJubPrepareKey(benchmark::State& state) {
  const auto a = zkamm::hash::eddsa_public_key(test_key());
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::ec::BabyJubPreparedKey(a));
}
BENCHMARK(BM_BabyJubPrepareKey)->Unit(benchmark::kMicrosecond);

// Distinct keys and messages; items processed per second = signatures per second.
void BM_EddsaVerifyBatch(benchmark::State& state) {
  std::vector<zkamm::hash::EddsaVerifyItem> items;
  for (int64_t i = 0; i < state.range(0); ++i) {
    auto prv = test_key();
    prv[0] = static_cast<uint8_t>(i);
    prv[1] = static_cast<uint8_t>(i >> 8);
    const Fr msg = Fr::from_u64(static_cast<uint64_t>(1000 + i));
    items.push_back({zkamm::hash::eddsa_public_key(prv), msg, zkamm::hash::eddsa_sign_poseidon(prv, msg)});
  }
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon_batch(items));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_EddsaVerifyBatch)->Arg(64)->Unit(benchmark::kMicrosecond);

void BM_BabyJubVerifyEquation(benchmark::State& state) {
  const auto prv = test_key();
  const Fr msg = Fr::from_u64(7);
  const auto a = zkamm::hash::eddsa_public_key(prv);
  const auto sig = zkamm::hash::eddsa_sign_poseidon(prv, msg);
  const U256 hm = zkamm::hash::poseidon({sig.r8.x, sig.r8.y, a.x, a.y, msg}).to_canonical();
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::ec::babyjub_verify_equation(a, sig.r8, sig.s, hm));
}
BENCHMARK(BM_BabyJubVerifyEquation)->Unit(benchmark::kMicrosecond);

void BM_BabyJubShortRelation(benchmark::State& state) {
  std::mt19937_64 rng(4);
  const U256 k = zkamm::ec::BabyJubScalar::random(rng).to_canonical();
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::ec::babyjub_short_relation(k));
}
BENCHMARK(BM_BabyJubShortRelation)->Unit(benchmark::kMicrosecond);

}  // namespace
