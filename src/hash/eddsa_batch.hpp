#pragma once
// Verification of many EdDSA-Poseidon signatures with per-item answers, for the node's ingress.
//
// Why this is not a random-linear-combination (Bernstein et al. 2012) batch check: the single
// verifier (like circomlib's EdDSAPoseidonVerifier circuit) checks Base8*S == R8 + 8*hm*A
// without a cofactor on R8, so a signer can submit R8 = r*Base8 + T with T a torsion point (of
// order 2, 4 or 8); the single check always rejects it, since the left side and 8*hm*A lie in
// the order-l subgroup. In sum_i z_i*(S_i*Base8 - R8_i - 8*hm_i*A_i) == O the torsion parts
// combine to -sum_i z_i*T_i in the cyclic group of order 8, which vanishes with probability at
// least 1/2 for random z_i (z_i even kills an order-2 T; two order-2 T's cancel for odd z_i).
// A batch would then accept signatures that the circuit cannot prove. Making it exact needs a
// per-item subgroup test of R8 (l*R8 == O, ~250 doublings) that costs more than the shortened
// single verification itself (~128 doublings, see ec/babyjubjub_fast.hpp), and multiplying the
// batch equation by 8 would change what is accepted. So each item is verified exactly; the
// batch only shares work that does not change answers (the Poseidon hashes run interleaved).
#include <cstdint>
#include <span>
#include <vector>

#include "ec/babyjubjub_fast.hpp"
#include "hash/eddsa.hpp"

namespace zkamm::hash {

struct EddsaVerifyItem {
  ec::BabyJubAffine a;  ///< public key
  ff::Fr msg;
  EddsaSignature sig;
};

/// hm_i = Poseidon(R8.x, R8.y, A.x, A.y, msg) of every item (no validity checks), computed eight
/// at a time (hash::poseidon_batch) with IFMA, else two at a time with interleaved permutations;
/// equal to hash::poseidon of the same inputs.
std::vector<ff::Fr> poseidon_eddsa_hashes(std::span<const EddsaVerifyItem> items);

/// Per-item eddsa_verify_poseidon: result[i] == eddsa_verify_poseidon(items[i].a, items[i].msg,
/// items[i].sig) for every i, always (no probabilistic acceptance).
std::vector<bool> eddsa_verify_poseidon_batch(std::span<const EddsaVerifyItem> items);

/// An item checked against a key prepared once (ec::BabyJubPreparedKey), as the node does.
struct EddsaPreparedItem {
  const ec::BabyJubPreparedKey* a = nullptr;  ///< precondition: not null, on the curve
  ff::Fr msg;
  EddsaSignature sig;
};

/// result[i] == eddsa_verify_poseidon(*items[i].a, items[i].msg, items[i].sig) for every i; the
/// hm hashes of the items that pass the cheap checks run in one Poseidon batch.
std::vector<bool> eddsa_verify_poseidon_batch_prepared(std::span<const EddsaPreparedItem> items);

/// Whether every item verifies (stops at the first failure).
[[nodiscard]] bool eddsa_verify_poseidon_all(std::span<const EddsaVerifyItem> items) noexcept;

}  // namespace zkamm::hash
