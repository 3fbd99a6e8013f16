// Key plumbing shared by setup, prover and verifier: sizes, the verification key, randomness.
#include <openssl/rand.h>

#include <cstdlib>

#include "snark/groth16.hpp"
#include "snark/ntt.hpp"

namespace zkamm::snark {

uint64_t groth16_domain_size(uint64_t n_constraints, uint32_t n_public) noexcept {
  // snarkjs zkey_new.js: cirPower = log2(nConstraints + nPublic + 1 - 1) + 1 (floor log2), so the
  // domain is the smallest power of two >= nConstraints + nPublic + 1, and never below 2.
  const uint64_t m = n_constraints + n_public + 1;
  uint64_t n = 2;
  while (n < m) n *= 2;
  return n;
}

bool ProvingKey::is_consistent() const noexcept {
  if (!is_ntt_size(domain_size) || domain_size < 2 || domain_size > (uint64_t{1} << (kMaxLogNtt - 1))) return false;
  if (num_vars < num_public + 1) return false;
  if (ic.size() != size_t{num_public} + 1) return false;
  if (a_g1.size() != num_vars || b1_g1.size() != num_vars || b2_g2.size() != num_vars) return false;
  if (c_g1.size() != size_t{num_vars} - num_public - 1) return false;
  if (h_g1.size() != domain_size) return false;
  for (const auto& c : coefs) {
    if (c.matrix > 1 || c.constraint >= domain_size || c.signal >= num_vars) return false;
  }
  return true;
}

bool ProverKeyView::is_consistent() const noexcept {
  if (!is_ntt_size(domain_size) || domain_size < 2 || domain_size > (uint64_t{1} << (kMaxLogNtt - 1))) return false;
  if (num_vars < num_public + 1) return false;
  if (a_g1.size() != num_vars || b1_g1.size() != num_vars || b2_g2.size() != num_vars) return false;
  if (c_g1.size() != size_t{num_vars} - num_public - 1) return false;
  if (h_g1.size() != domain_size) return false;
  return !coefs.empty() || coef_records.size() % kCoefRecordBytes == 0;
}

ProverKeyView view_of(const ProvingKey& pk) noexcept {
  ProverKeyView v;
  v.num_vars = pk.num_vars;
  v.num_public = pk.num_public;
  v.domain_size = pk.domain_size;
  v.alpha_g1 = pk.alpha_g1;
  v.beta_g1 = pk.beta_g1;
  v.delta_g1 = pk.delta_g1;
  v.beta_g2 = pk.beta_g2;
  v.delta_g2 = pk.delta_g2;
  v.coefs = pk.coefs;
  v.a_g1 = pk.a_g1;
  v.b1_g1 = pk.b1_g1;
  v.b2_g2 = pk.b2_g2;
  v.c_g1 = pk.c_g1;
  v.h_g1 = pk.h_g1;
  return v;
}

VerificationKey verification_key(const ProvingKey& pk) {
  return VerificationKey{pk.alpha_g1, pk.beta_g2, pk.gamma_g2, pk.delta_g2, pk.ic};
}

namespace {

/// 64-bit words from OpenSSL's CSPRNG (seeded by the OS).
struct OsRng {
  uint64_t operator()() {
    uint64_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) {
      // No entropy means no safe key or proof; there is no sound way to continue.
      std::abort();
    }
    return v;
  }
};

}  // namespace

ff::Fr random_fr_csprng() {
  OsRng rng;
  return ff::Fr::random(rng);
}

}  // namespace zkamm::snark
