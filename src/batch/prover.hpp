#pragma once
// Proving a batch: witness-only synthesis of the batch circuit, then Groth16 with a key made for
// the same BatchParams (batch_r1cs + snark::setup_dev, or a ceremony key read from a .zkey).
#include <optional>
#include <vector>

#include "batch/batch_circuit.hpp"
#include "snark/groth16.hpp"

namespace zkamm::batch {

struct BatchProof {
  snark::Proof proof;
  Fr public_input = Fr::zero();  ///< the circuit's single public input (= witness.public_input)
};

/// The full witness vector (iden3 order, as batch_r1cs(params)) of w.
std::vector<Fr> witness_vector(const BatchParams& params, const BatchWitness& w);

/// Proves w. nullopt when the key does not match the circuit's size. Does not check the
/// constraints (like snarkjs): a witness that breaks one gives a proof that fails verification.
std::optional<BatchProof> prove(const snark::ProvingKey& pk, const BatchParams& params, const BatchWitness& w);

}  // namespace zkamm::batch
