// Batch circuit figures: constraints per slot (universal: the same for every type), the SHA-256
// share per slot, witness generation and Groth16 proving time for a small batch of swaps.
// Run: build/<dir>/src/batch/zkamm_batch_bench --benchmark_filter=...
#include <benchmark/benchmark.h>

#include "batch/batch_circuit.hpp"
#include "batch/swap_demo.hpp"
#include "batch/slot_circuit.hpp"
#include "batch/swap_slot_circuit.hpp"
#include "hash/eddsa.hpp"
#include "circuit/eddsa_gadget.hpp"
#include "circuit/merkle_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "snark/groth16.hpp"

namespace {

using namespace zkamm;

const tx::Domain kDomain{31337, {0xde, 0xad}};

batch::BatchWitness witness_for(const batch::BatchParams& p) { return batch::demo_swap_witness(p).witness; }

void BM_ConstraintCounts(benchmark::State& st) {
  size_t c1 = 0, c2 = 0, c4 = 0, c64 = 0, slot = 0;
  for (auto _ : st) {
    for (uint32_t n : {1u, 2u, 4u, 64u}) {
      const batch::BatchParams p{n, kDomain};
      snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
      const auto h = batch::synthesize(cs, p, witness_for(p));
      (void)h;
      (n == 1 ? c1 : n == 2 ? c2 : n == 4 ? c4 : c64) = cs.num_constraints();
    }
    const batch::BatchParams p{1, kDomain};
    const batch::BatchWitness w = witness_for(p);
    snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
    const size_t before = cs.num_constraints();
    (void)batch::synthesize_slot(cs, p, w.slots[0], batch::SlotChain{}, snark::LinearExpr::constant(1),
                                 snark::LinearExpr::constant(ff::Fr::from_u64(w.num_tokens)));
    slot = cs.num_constraints() - before;
  }
  // Breakdown of one slot by gadget.
  const size_t merkle = 2 * circuit::merkle_update_constraint_count({4, state::kAccountTreeDepth}) +
                        5 * circuit::merkle_update_constraint_count({4, state::kBalanceTreeDepth}) +
                        circuit::merkle_update_constraint_count({4, state::kPairTreeDepth});
  const size_t leaves = 6 * circuit::poseidon_constraint_count(4);
  snark::ConstraintSystem ecs(snark::ConstraintSystem::Mode::kWitnessOnly);
  const ec::BabyJubAffine b8 = ec::BabyJubAffine::base8();
  circuit::eddsa_poseidon_verify(ecs, circuit::point_constant(b8), snark::LinearExpr{},
                                 circuit::EddsaSignatureExpr{{ecs.alloc(b8.x), ecs.alloc(b8.y)}, ecs.alloc(ff::Fr::zero())},
                                 ecs.alloc(ff::Fr::zero()));
  st.counters["merkle_8_updates"] = static_cast<double>(merkle);
  st.counters["leaf_hashes"] = static_cast<double>(leaves);
  st.counters["eddsa"] = static_cast<double>(ecs.num_constraints());
  st.counters["msg_poseidon6"] = static_cast<double>(circuit::poseidon_constraint_count(6));
  st.counters["slot_only"] = static_cast<double>(slot);
  st.counters["batch_n1"] = static_cast<double>(c1);
  st.counters["batch_n2"] = static_cast<double>(c2);
  st.counters["batch_n4"] = static_cast<double>(c4);
  st.counters["batch_n64"] = static_cast<double>(c64);
  // A slot with its share of the SHA-256: over 60 slots the 64-byte block boundaries average out
  // (between N = 2 and 4 they do not: 2 x 42 bytes may add one block or two).
  st.counters["per_slot_all_in"] = static_cast<double>(c64 - c4) / 60.0;
  st.counters["per_swap_n64"] = static_cast<double>(c64) / 64.0;
}
BENCHMARK(BM_ConstraintCounts)->Iterations(1)->Unit(benchmark::kMillisecond);

// Swap batches (docs/CIRCUIT.md section 5): the swap slot alone, and a swap all-in (its slot, its
// share of the SHA-256 of the header and the 10-byte slots, the roots) in 64- and 128-slot batches.
void BM_SwapBatchConstraintCounts(benchmark::State& st) {
  size_t c64 = 0, c128 = 0, slot = 0;
  for (auto _ : st) {
    for (uint32_t n : {64u, 128u}) {
      const batch::BatchParams p{n, kDomain, batch::BatchKind::Swap};
      snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
      (void)batch::synthesize(cs, p, witness_for(p));
      (n == 64 ? c64 : c128) = cs.num_constraints();
    }
    const batch::BatchParams p{1, kDomain, batch::BatchKind::Swap};
    const batch::BatchWitness w = witness_for(p);
    snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
    const size_t before = cs.num_constraints();
    (void)batch::synthesize_swap_slot(cs, p, w.slots[0], snark::LinearExpr{}, snark::LinearExpr{},
                                      snark::LinearExpr::constant(1));
    slot = cs.num_constraints() - before;
  }
  st.counters["merkle_4_updates"] = static_cast<double>(
      circuit::merkle_update_constraint_count({4, state::kAccountTreeDepth}) +
      3 * circuit::merkle_update_constraint_count({4, state::kBalanceTreeDepth}));
  st.counters["leaf_hashes"] = static_cast<double>(4 * circuit::poseidon_constraint_count(4));
  st.counters["swap_slot_only"] = static_cast<double>(slot);
  st.counters["batch_n64"] = static_cast<double>(c64);
  st.counters["batch_n128"] = static_cast<double>(c128);
  st.counters["per_swap_n64"] = static_cast<double>(c64) / 64.0;
  st.counters["per_swap_n128"] = static_cast<double>(c128) / 128.0;
}
BENCHMARK(BM_SwapBatchConstraintCounts)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Witness(benchmark::State& st) {
  const batch::BatchParams p{static_cast<uint32_t>(st.range(0)), kDomain};
  for (auto _ : st) {
    const auto r = batch::demo_swap_witness(p);
    snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
    (void)batch::synthesize(cs, p, r.witness);
    benchmark::DoNotOptimize(cs.witness());
  }
}
BENCHMARK(BM_Witness)->Arg(2)->Arg(4)->Unit(benchmark::kMillisecond);

void BM_Prove(benchmark::State& st) {
  const batch::BatchParams p{static_cast<uint32_t>(st.range(0)), kDomain};
  const auto pk = snark::setup_dev(batch::batch_r1cs(p));
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
  (void)batch::synthesize(cs, p, witness_for(p));
  const std::vector<ff::Fr> wit = cs.witness();
  for (auto _ : st) benchmark::DoNotOptimize(snark::prove(*pk, wit));
}
BENCHMARK(BM_Prove)->Arg(2)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
