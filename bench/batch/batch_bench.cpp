// Batch circuit figures: constraints per slot (universal: the same for every type), the SHA-256
// share per slot, witness generation and Groth16 proving time for a small batch of swaps.
// Run: build/<dir>/src/batch/zkamm_batch_bench --benchmark_filter=...
#include <benchmark/benchmark.h>

#include "batch/batch_circuit.hpp"
#include "batch/slot_circuit.hpp"
#include "hash/eddsa.hpp"
#include "circuit/eddsa_gadget.hpp"
#include "circuit/merkle_gadget.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "snark/groth16.hpp"

namespace {

using namespace zkamm;
using state::U256;

const tx::Domain kDomain{31337, {0xde, 0xad}};

hash::PrivateKey key_for(uint32_t a) {
  hash::PrivateKey k{};
  k[0] = static_cast<uint8_t>(a);
  k[2] = 0x5a;
  return k;
}

U256 e18(uint64_t v) {
  U256 out{};
  (void)state::checked_mul(out, U256{v, 0, 0, 0}, U256{1'000'000'000'000'000'000ULL, 0, 0, 0});
  return out;
}

state::State genesis() {
  state::State s;
  for (uint8_t t = 1; t <= 2; ++t) {
    state::L1Address addr{};
    addr[19] = t;
    state::TokenId id = 0;
    (void)s.add_token(addr, id);
  }
  for (uint32_t a = 1; a <= 4; ++a) {
    const ec::BabyJubAffine p = hash::eddsa_public_key(key_for(a));
    state::AccountIndex idx = 0;
    (void)s.create_account(state::PublicKey{p.x, p.y}, idx);
    for (state::TokenId t = 0; t <= 2; ++t) (void)s.deposit(a, t, e18(1'000'000));
  }
  state::TokenId lp = 0;
  (void)s.create_pool(1, 2, lp);
  state::AddLiquidityReceipt rc;
  (void)s.add_liquidity(1, 1, 2, e18(1000), e18(2000), U256{}, U256{}, rc);
  return s;
}

std::vector<tx::Tx> swaps(uint32_t n) {
  std::vector<tx::Tx> out;
  for (uint32_t i = 0; i < n; ++i) {
    tx::SwapExactIn t;
    t.account = 1 + i % 4;
    t.token_in = 1;
    t.token_out = 2;
    t.amount_in = 1'000'000'000'000'000'000ULL;
    t.deadline = 2'000'000'000;
    t.nonce = i / 4;
    tx::Tx tx = t;
    (void)tx::sign(tx, key_for(t.account), kDomain);
    out.push_back(tx);
  }
  return out;
}

batch::BatchWitness witness_for(const batch::BatchParams& p) {
  state::State s = genesis();
  state::StateTrees trees = state::StateTrees::build(s);
  batch::BatchInput in;
  in.txs = swaps(p.num_slots);
  in.timestamp = 1'700'000'000;
  return batch::build_witness(s, trees, p, in).witness;
}

void BM_ConstraintCounts(benchmark::State& st) {
  size_t c1 = 0, c2 = 0, c4 = 0, slot = 0;
  for (auto _ : st) {
    for (uint32_t n : {1u, 2u, 4u}) {
      const batch::BatchParams p{n, kDomain};
      snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
      const auto h = batch::synthesize(cs, p, witness_for(p));
      (void)h;
      (n == 1 ? c1 : n == 2 ? c2 : c4) = cs.num_constraints();
    }
    const batch::BatchParams p{1, kDomain};
    const batch::BatchWitness w = witness_for(p);
    snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
    const size_t before = cs.num_constraints();
    (void)batch::synthesize_slot(cs, p, w.slots[0], snark::LinearExpr{}, snark::LinearExpr{},
                                 snark::LinearExpr::constant(1));
    slot = cs.num_constraints() - before;
  }
  // Breakdown of one slot by gadget.
  const size_t merkle = 2 * circuit::merkle_update_constraint_count({4, state::kAccountTreeDepth}) +
                        5 * circuit::merkle_update_constraint_count({4, state::kBalanceTreeDepth});
  const size_t leaves = 6 * circuit::poseidon_constraint_count(4);
  snark::ConstraintSystem ecs(snark::ConstraintSystem::Mode::kWitnessOnly);
  const ec::BabyJubAffine b8 = ec::BabyJubAffine::base8();
  circuit::eddsa_poseidon_verify(ecs, circuit::point_constant(b8), snark::LinearExpr{},
                                 circuit::EddsaSignatureExpr{{ecs.alloc(b8.x), ecs.alloc(b8.y)}, ecs.alloc(ff::Fr::zero())},
                                 ecs.alloc(ff::Fr::zero()));
  st.counters["merkle_7_updates"] = static_cast<double>(merkle);
  st.counters["leaf_hashes"] = static_cast<double>(leaves);
  st.counters["eddsa"] = static_cast<double>(ecs.num_constraints());
  st.counters["msg_poseidon6"] = static_cast<double>(circuit::poseidon_constraint_count(6));
  st.counters["slot_only"] = static_cast<double>(slot);
  st.counters["batch_n1"] = static_cast<double>(c1);
  st.counters["batch_n2"] = static_cast<double>(c2);
  st.counters["batch_n4"] = static_cast<double>(c4);
  st.counters["per_slot_all_in"] = static_cast<double>(c4 - c2) / 2.0;
}
BENCHMARK(BM_ConstraintCounts)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_Witness(benchmark::State& st) {
  const batch::BatchParams p{static_cast<uint32_t>(st.range(0)), kDomain};
  for (auto _ : st) {
    state::State s = genesis();
    state::StateTrees trees = state::StateTrees::build(s);
    batch::BatchInput in;
    in.txs = swaps(p.num_slots);
    in.timestamp = 1'700'000'000;
    const auto r = batch::build_witness(s, trees, p, in);
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
