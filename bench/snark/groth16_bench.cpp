// Groth16 setup and prove on synthetic circuits of 2^k - 2 constraints (domain 2^k):
//   --benchmark_filter='BM_Groth16Prove/16'   (2^18 and 2^20 need minutes of setup and GBs)
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>
#include <vector>

#include "snark/groth16.hpp"

namespace {

using zkamm::ff::Fr;
using namespace zkamm::snark;

struct Synthetic {
  R1cs r1cs;
  std::vector<Fr> witness;
};

/// (t_{j-1} + j) * t_{j-2} = t_j for j = 2 .. m, then t_m * 1 = out (public output).
/// Wires: 0 one, 1 out, 2 t_0 (private input), 3 t_1, 4.. t_2 .. t_m. 2^log_n - 2 constraints.
Synthetic synthetic_circuit(unsigned log_n) {
  const uint32_t n_constraints = (1u << log_n) - 2;
  Synthetic s;
  auto& r = s.r1cs;
  r.num_public_outputs = 1;
  r.num_private_inputs = 2;
  const uint32_t m = n_constraints;  // t_2 .. t_m: m - 1 product constraints + 1 output constraint
  r.num_wires = 4 + (m - 1);
  r.num_labels = r.num_wires;
  auto wire_of = [](uint32_t j) { return 2 + j; };
  s.witness.assign(r.num_wires, Fr{});
  s.witness[0] = Fr::one();
  s.witness[wire_of(0)] = Fr::from_u64(3);
  s.witness[wire_of(1)] = Fr::from_u64(5);
  r.constraints.reserve(n_constraints);
  for (uint32_t j = 2; j <= m; ++j) {
    const Fr c = Fr::from_u64(j);
    s.witness[wire_of(j)] = (s.witness[wire_of(j - 1)] + c) * s.witness[wire_of(j - 2)];
    r.constraints.push_back({{{wire_of(j - 1), Fr::one()}, {0, c}}, {{wire_of(j - 2), Fr::one()}}, {{wire_of(j), Fr::one()}}});
  }
  s.witness[1] = s.witness[wire_of(m)];
  r.constraints.push_back({{{wire_of(m), Fr::one()}}, {{0, Fr::one()}}, {{1, Fr::one()}}});
  return s;
}

struct Cached {
  Synthetic circuit;
  ProvingKey pk;
};

const Cached& cached(unsigned log_n) {
  static std::map<unsigned, std::unique_ptr<Cached>> cache;
  auto& slot = cache[log_n];
  if (!slot) {
    auto c = std::make_unique<Cached>();
    c->circuit = synthetic_circuit(log_n);
    c->pk = *setup_dev(c->circuit.r1cs);
    slot = std::move(c);
  }
  return *slot;
}

void BM_Groth16Setup(benchmark::State& state) {
  const auto circuit = synthetic_circuit(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    auto pk = setup_dev(circuit.r1cs);
    benchmark::DoNotOptimize(pk);
  }
}
BENCHMARK(BM_Groth16Setup)->Arg(12)->Arg(16)->Arg(18)->Arg(20)->Unit(benchmark::kSecond)->Iterations(1);

void BM_Groth16Prove(benchmark::State& state) {
  const auto& c = cached(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    auto proof = prove(c.pk, c.circuit.witness);
    benchmark::DoNotOptimize(proof);
  }
  state.counters["constraints"] = static_cast<double>(c.circuit.r1cs.constraints.size());
}
BENCHMARK(BM_Groth16Prove)->Arg(12)->Arg(16)->Arg(18)->Arg(20)->Unit(benchmark::kMillisecond)->Iterations(2);

void BM_Groth16Verify(benchmark::State& state) {
  const auto& c = cached(12);
  const auto vk = verification_key(c.pk);
  const auto proof = *prove(c.pk, c.circuit.witness);
  const std::vector<Fr> pub{c.circuit.witness[1]};
  for (auto _ : state) benchmark::DoNotOptimize(verify(vk, pub, proof));
}
BENCHMARK(BM_Groth16Verify)->Unit(benchmark::kMillisecond);

}  // namespace
