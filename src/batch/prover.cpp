#include "batch/prover.hpp"

namespace zkamm::batch {

std::vector<Fr> witness_vector(const BatchParams& params, const BatchWitness& w) {
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
  (void)synthesize(cs, params, w);
  return cs.witness();
}

std::optional<BatchProof> prove(const snark::ProvingKey& pk, const BatchParams& params, const BatchWitness& w) {
  snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
  const BatchHandles h = synthesize(cs, params, w);
  const std::vector<Fr> wit = cs.witness();
  auto proof = snark::prove(pk, wit);
  if (!proof) return std::nullopt;
  return BatchProof{*proof, cs.value(h.public_input)};
}

}  // namespace zkamm::batch
