#pragma once
// A batch of N signed swaps on a small self-made genesis (4 accounts, tokens 1 and 2, one pool):
// the workload of the batch benchmarks and of `zkamm batch-witness`, which writes the witness
// file that `zkamm prove` and `snarkjs groth16 prove` are timed on (issue 5's 64-slot figures).
#include "batch/batch_circuit.hpp"

namespace zkamm::batch {

/// The demo genesis: accounts 1..4 (keys from demo_key), 10^6 of tokens 0..2 each, pool (1, 2)
/// with 1,000 / 2,000 tokens of liquidity.
state::State demo_genesis();
/// Account a's demo signing key (self-generated; for benchmarks only).
hash::PrivateKey demo_key(uint32_t account);
/// n SwapExactIn of 1 token 1 -> 2, round-robin over the 4 accounts, signed for domain.
std::vector<tx::Tx> demo_swaps(uint32_t n, const tx::Domain& domain);
/// The witness of a batch of params.num_slots demo swaps on demo_genesis().
WitnessResult demo_swap_witness(const BatchParams& params);

}  // namespace zkamm::batch
