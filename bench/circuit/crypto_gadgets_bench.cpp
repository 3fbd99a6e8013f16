// Constraint counts (reported as counters) and witness-only build time of the crypto gadgets:
// Poseidon(2), Poseidon(5), EdDSA-Poseidon verification, and a state-tree leaf update (binary
// depth 24 and quaternary depth 12, both 2^24 leaves).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "circuit/eddsa_gadget.hpp"
#include "circuit/merkle_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "hash/eddsa.hpp"
#include "hash/poseidon.hpp"

namespace {

using zkamm::circuit::Lc;
using zkamm::ff::Fr;
using zkamm::snark::ConstraintSystem;

void BM_PoseidonGadget(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<Fr> in(n);
  for (auto& v : in) v = Fr::random(rng);
  size_t constraints = 0;
  for (auto _ : state) {
    ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
    std::vector<Lc> lcs;
    for (const Fr& v : in) lcs.emplace_back(cs.alloc(v));
    benchmark::DoNotOptimize(cs.eval(zkamm::circuit::poseidon_gadget(cs, lcs)));
    constraints = cs.num_constraints();
  }
  state.counters["constraints"] = static_cast<double>(constraints);
}
BENCHMARK(BM_PoseidonGadget)->Arg(2)->Arg(5)->Unit(benchmark::kMicrosecond);

void BM_PoseidonNative(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(1);
  std::vector<Fr> in(n);
  for (auto& v : in) v = Fr::random(rng);
  for (auto _ : state) benchmark::DoNotOptimize(zkamm::hash::poseidon(in));
}
BENCHMARK(BM_PoseidonNative)->Arg(2)->Arg(5)->Unit(benchmark::kMicrosecond);

void BM_EddsaVerifyGadget(benchmark::State& state) {
  zkamm::hash::PrivateKey prv{};
  prv[0] = 7;
  const Fr msg = Fr::from_u64(12345);
  const auto sig = zkamm::hash::eddsa_sign_poseidon(prv, msg);
  const auto a = zkamm::hash::eddsa_public_key(prv);
  size_t constraints = 0;
  for (auto _ : state) {
    ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
    const auto ae = zkamm::circuit::alloc_point(cs, a);
    const auto r8 = zkamm::circuit::alloc_point(cs, sig.r8);
    const Lc s = cs.alloc(Fr::from_u256_reduced(sig.s));
    zkamm::circuit::eddsa_poseidon_verify(cs, ae, cs.alloc(msg), {r8, s});
    constraints = cs.num_constraints();
  }
  state.counters["constraints"] = static_cast<double>(constraints);
}
BENCHMARK(BM_EddsaVerifyGadget)->Unit(benchmark::kMillisecond);

void BM_MerkleUpdateGadget(benchmark::State& state) {
  const zkamm::circuit::MerkleShape shape{static_cast<unsigned>(state.range(0)), static_cast<unsigned>(state.range(1))};
  std::mt19937_64 rng(1);
  std::vector<Fr> siblings(shape.depth * (shape.arity - 1));
  for (auto& s : siblings) s = Fr::random(rng);
  size_t constraints = 0;
  for (auto _ : state) {
    ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
    std::vector<Lc> sib;
    for (const Fr& s : siblings) sib.emplace_back(cs.alloc(s));
    // The old root is not the path's (the witness is unsatisfied); the cost is the same.
    const Lc root = zkamm::circuit::merkle_update_leaf(cs, cs.alloc(Fr::from_u64(1)), cs.alloc(Fr::from_u64(2)),
                                                       cs.alloc(Fr::from_u64(3)), cs.alloc(Fr::from_u64(12345)), sib,
                                                       shape);
    benchmark::DoNotOptimize(cs.eval(root));
    constraints = cs.num_constraints();
  }
  state.counters["constraints"] = static_cast<double>(constraints);
}
BENCHMARK(BM_MerkleUpdateGadget)->Args({2, 24})->Args({4, 12})->Unit(benchmark::kMillisecond);

}  // namespace
