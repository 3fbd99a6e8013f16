// Per-hash cost of Poseidon over a batch of 64 independent inputs: scalar poseidon() one by one
// against poseidon_many (eight lanes of the IFMA kernel when built with it). Items/s = hashes/s.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "hash/poseidon_batch.hpp"

namespace {

using zkamm::ff::Fr;
constexpr size_t kBatch = 64;

std::vector<Fr> inputs(size_t k) {
  std::mt19937_64 rng(5);
  std::vector<Fr> in(kBatch * k);
  for (auto& v : in) v = Fr::random(rng);
  return in;
}

void BM_PoseidonScalar64(benchmark::State& state) {
  const size_t k = static_cast<size_t>(state.range(0));
  const std::vector<Fr> in = inputs(k);
  std::vector<Fr> out(kBatch);
  (void)zkamm::hash::poseidon(std::span<const Fr>(in.data(), k));
  for (auto _ : state) {
    for (size_t i = 0; i < kBatch; ++i) out[i] = zkamm::hash::poseidon(std::span<const Fr>(in.data() + i * k, k));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_PoseidonScalar64)->DenseRange(1, 6)->Unit(benchmark::kMicrosecond);

void BM_PoseidonBatch64(benchmark::State& state) {
  const size_t k = static_cast<size_t>(state.range(0));
  const std::vector<Fr> in = inputs(k);
  std::vector<Fr> out(kBatch);
  zkamm::hash::poseidon_many(in, k, out);
  for (auto _ : state) {
    zkamm::hash::poseidon_many(in, k, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_PoseidonBatch64)->DenseRange(1, 6)->Unit(benchmark::kMicrosecond);

}  // namespace

#include "hash/eddsa.hpp"
#include "hash/eddsa_batch.hpp"

namespace {

// 16 prepared-key EdDSA checks (the node verifier pool's group): the hm Poseidon of each in one
// batch, against 16 single eddsa_verify_poseidon(prepared) calls. Items/s = signatures/s.
struct PreparedGroup {
  std::vector<zkamm::ec::BabyJubPreparedKey> keys;
  std::vector<zkamm::hash::EddsaPreparedItem> items;
  PreparedGroup() {
    keys.reserve(16);
    for (int i = 0; i < 16; ++i) {
      zkamm::hash::PrivateKey prv{};
      for (size_t j = 0; j < prv.size(); ++j) prv[j] = static_cast<uint8_t>(i * 7 + j + 1);
      const Fr msg = Fr::from_u64(static_cast<uint64_t>(100 + i));
      keys.emplace_back(zkamm::hash::eddsa_public_key(prv));
      items.push_back({&keys.back(), msg, zkamm::hash::eddsa_sign_poseidon(prv, msg)});
    }
  }
};

void BM_EddsaPrepared16Single(benchmark::State& state) {
  const PreparedGroup g;
  for (auto _ : state) {
    for (const auto& it : g.items) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon(*it.a, it.msg, it.sig));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 16));
}
BENCHMARK(BM_EddsaPrepared16Single)->Unit(benchmark::kMicrosecond);

void BM_EddsaPrepared16Batch(benchmark::State& state) {
  const PreparedGroup g;
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::eddsa_verify_poseidon_batch_prepared(g.items));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 16));
}
BENCHMARK(BM_EddsaPrepared16Batch)->Unit(benchmark::kMicrosecond);

}  // namespace
