// Constraint counts of the gadgets (as the "constraints" counter) and the time to build them in
// witness-only mode (the prover's path for a fixed circuit).
//   build/<dir>/src/circuit/zkamm_circuit_bench --benchmark_filter='Gadget|Sha'
#include <benchmark/benchmark.h>

#include <random>

#include "circuit/bits.hpp"
#include "circuit/comparators.hpp"
#include "circuit/sha256.hpp"

namespace {

using zkamm::ff::Fr;
using zkamm::snark::ConstraintSystem;
using zkamm::snark::Variable;
namespace circuit = zkamm::circuit;

template <class Build>
void run_gadget(benchmark::State& state, Build build) {
  size_t constraints = 0;
  for (auto _ : state) {
    ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
    const Variable a = cs.alloc(Fr::from_u64(12345));
    const Variable b = cs.alloc(Fr::from_u64(54321));
    const size_t before = cs.num_constraints();
    build(cs, a, b);
    constraints = cs.num_constraints() - before;
    benchmark::DoNotOptimize(cs.num_variables());
  }
  state.counters["constraints"] = static_cast<double>(constraints);
}

void GadgetToBits(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  run_gadget(state, [n](ConstraintSystem& cs, Variable a, Variable) { (void)circuit::to_bits(cs, a, n); });
}
BENCHMARK(GadgetToBits)->Arg(8)->Arg(32)->Arg(64)->Arg(128)->Arg(253);

void GadgetToBitsStrict(benchmark::State& state) {
  run_gadget(state, [](ConstraintSystem& cs, Variable a, Variable) { (void)circuit::to_bits_strict(cs, a); });
}
BENCHMARK(GadgetToBitsStrict);

void GadgetRangeCheck(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  run_gadget(state, [n](ConstraintSystem& cs, Variable a, Variable) { circuit::range_check(cs, a, n); });
}
BENCHMARK(GadgetRangeCheck)->Arg(32)->Arg(112)->Arg(128)->Arg(252);

void GadgetLessThan(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  run_gadget(state, [n](ConstraintSystem& cs, Variable a, Variable b) { (void)circuit::less_than(cs, a, b, n); });
}
BENCHMARK(GadgetLessThan)->Arg(32)->Arg(128)->Arg(252);

void GadgetLessOrEqual(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  run_gadget(state, [n](ConstraintSystem& cs, Variable a, Variable b) { (void)circuit::less_or_equal(cs, a, b, n); });
}
BENCHMARK(GadgetLessOrEqual)->Arg(128);

void GadgetAssertLessThan(benchmark::State& state) {
  const auto n = static_cast<size_t>(state.range(0));
  run_gadget(state, [n](ConstraintSystem& cs, Variable a, Variable b) { circuit::assert_less_than(cs, a, b, n); });
}
BENCHMARK(GadgetAssertLessThan)->Arg(128);

void GadgetIsZero(benchmark::State& state) {
  run_gadget(state, [](ConstraintSystem& cs, Variable a, Variable) { (void)circuit::is_zero(cs, a); });
}
BENCHMARK(GadgetIsZero);

void GadgetIsEqual(benchmark::State& state) {
  run_gadget(state, [](ConstraintSystem& cs, Variable a, Variable b) { (void)circuit::is_equal(cs, a, b); });
}
BENCHMARK(GadgetIsEqual);

void GadgetSelect(benchmark::State& state) {
  run_gadget(state, [](ConstraintSystem& cs, Variable a, Variable b) {
    (void)circuit::select(cs, circuit::alloc_bit(cs, true), a, b);  // + 1 for the condition bit
  });
}
BENCHMARK(GadgetSelect);

/// SHA-256 of `len` byte wires in witness-only mode; counts exclude the byte decomposition.
void Sha256Witness(benchmark::State& state) {
  const auto len = static_cast<size_t>(state.range(0));
  std::mt19937_64 rng(42);
  std::vector<uint8_t> msg(len);
  for (auto& b : msg) b = static_cast<uint8_t>(rng());
  size_t constraints = 0;
  size_t wires = 0;
  for (auto _ : state) {
    ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
    std::vector<circuit::Bit> bits;
    bits.reserve(len * 8);
    for (uint8_t byte : msg) {
      for (int j = 7; j >= 0; --j) bits.push_back(circuit::Bit::of(circuit::alloc_bit(cs, ((byte >> j) & 1) != 0)));
    }
    const size_t before = cs.num_constraints();
    const size_t wires_before = cs.num_variables();
    const auto digest = circuit::sha256(cs, bits);
    benchmark::DoNotOptimize(digest.data());
    constraints = cs.num_constraints() - before;
    wires = cs.num_variables() - wires_before;
  }
  state.counters["constraints"] = static_cast<double>(constraints);
  state.counters["wires"] = static_cast<double>(wires);
}
BENCHMARK(Sha256Witness)->Arg(32)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);

}  // namespace
