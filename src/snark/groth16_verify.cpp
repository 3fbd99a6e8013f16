// The Groth16 verifier as snarkjs 0.7.x groth16_verify.js (and the EIP-197 pairing check of the
// Solidity verifier): e(-A, B) e(IC(x), gamma) e(C, delta) e(alpha, beta) == 1.
#include <array>
#include <utility>

#include "ec/pairing.hpp"
#include "snark/groth16.hpp"

namespace zkamm::snark {

bool verify(const VerificationKey& vk, std::span<const ff::Fr> public_inputs, const Proof& proof) {
  if (vk.ic.empty() || public_inputs.size() != vk.num_public()) return false;
  if (!proof.a.is_in_subgroup() || !proof.b.is_in_subgroup() || !proof.c.is_in_subgroup()) return false;
  ec::G1 acc(vk.ic[0]);
  for (size_t i = 0; i < public_inputs.size(); ++i) {
    if (public_inputs[i].is_zero() || vk.ic[i + 1].is_identity()) continue;
    acc += ec::G1(vk.ic[i + 1]).mul(public_inputs[i].to_canonical());
  }
  const std::array<std::pair<ec::G1Affine, ec::G2Affine>, 4> pairs{{
      {-proof.a, proof.b},
      {acc.to_affine(), vk.gamma_g2},
      {proof.c, vk.delta_g2},
      {vk.alpha_g1, vk.beta_g2},
  }};
  return ec::pairing_product_is_one(pairs);
}

}  // namespace zkamm::snark
