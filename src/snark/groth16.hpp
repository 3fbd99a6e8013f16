#pragma once
// Groth16 (Groth, "On the Size of Pairing-based Non-interactive Arguments", EUROCRYPT 2016,
// eprint 2016/260) over BN254 with exactly snarkjs' conventions (snarkjs 0.7.x zkey_new.js,
// groth16_prove.js, groth16_verify.js), so that:
//   - a ProvingKey is field-for-field a snarkjs groth16 .zkey (sections 2-9);
//   - proofs made here verify in snarkjs and on L1, and snarkjs' keys prove here.
//
// snarkjs' QAP, which every key and proof follows:
//   - n = domain_size = the smallest power of two >= nConstraints + nPublic + 1 (at least 2).
//     Beyond the R1CS rows, A gets one extra row per wire s in 0..nPublic: constraint
//     nConstraints + s has A = w_s (coefficient 1), B = C = 0. These rows make the public wires'
//     A polynomials linearly independent (Groth16's soundness needs it); they are listed in
//     `coefs` like any other A entry.
//   - A_i(X), B_i(X), C_i(X): Lagrange interpolants over the n-th roots of unity <w_n>
//     (roots of snark/ntt.hpp) of the matrices' column i.
//   - Section 9 (h_g1) holds [L^{2n}_{2j+1}(tau) / delta]_1, the Lagrange basis of the 2n-th
//     roots at the odd indices; the prover's H scalars are (A*B - C) evaluated at w_2n^(2j+1).
//     No division by Z: A*B - C vanishes on the even points, so its value at tau equals
//     h(tau) Z(tau) by Lagrange interpolation over all 2n points.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/bn254.hpp"
#include "snark/backend.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::snark {

/// One entry of the zkey's section 4: the prover's A/B matrices (R1CS rows + public rows).
struct Coef {
  uint32_t matrix = 0;      ///< 0 = A, 1 = B
  uint32_t constraint = 0;  ///< row, < domain_size
  uint32_t signal = 0;      ///< wire, < num_vars
  ff::Fr value;             ///< the true field value (the file layer applies snarkjs' R^2 scaling)
};

/// Everything a snarkjs groth16 .zkey holds for proving (sections 2-9; n8q = n8r = 32 and the
/// primes are BN254's, implied). Section 10 (MPC contributions) is the file layer's business.
struct ProvingKey {
  uint32_t num_vars = 0;     ///< nVars: all wires, including wire 0
  uint32_t num_public = 0;   ///< nPublic: public outputs + public inputs, not counting wire 0
  uint32_t domain_size = 0;  ///< n, a power of two
  ec::G1Affine alpha_g1, beta_g1, delta_g1;
  ec::G2Affine beta_g2, gamma_g2, delta_g2;
  std::vector<ec::G1Affine> ic;     ///< section 3: [(beta A_i + alpha B_i + C_i)(tau)/gamma]_1, i <= nPublic
  std::vector<Coef> coefs;          ///< section 4
  std::vector<ec::G1Affine> a_g1;   ///< section 5: [A_i(tau)]_1, num_vars points
  std::vector<ec::G1Affine> b1_g1;  ///< section 6: [B_i(tau)]_1, num_vars points
  std::vector<ec::G2Affine> b2_g2;  ///< section 7: [B_i(tau)]_2, num_vars points
  std::vector<ec::G1Affine> c_g1;   ///< section 8: [(beta A_i + alpha B_i + C_i)(tau)/delta]_1, i > nPublic
  std::vector<ec::G1Affine> h_g1;   ///< section 9: [L^{2n}_{2j+1}(tau)/delta]_1, domain_size points

  /// Sizes agree with each other (lengths, power-of-two domain, coef indices in range).
  [[nodiscard]] bool is_consistent() const noexcept;
};

/// What the prover reads of a proving key, as views: over a decoded ProvingKey (view_of) or over
/// a mapped .zkey (MappedZkey, snark/zkey_file.hpp), so that one prover serves both and a mapped
/// key is read in place, never copied. The viewed storage must outlive the view.
struct ProverKeyView {
  uint32_t num_vars = 0, num_public = 0, domain_size = 0;
  ec::G1Affine alpha_g1, beta_g1, delta_g1;
  ec::G2Affine beta_g2, delta_g2;
  /// Section 4 either decoded (coefs) or, when coefs is empty, as the file's records
  /// (kCoefRecordBytes each: matrix u32 | constraint u32 | signal u32 | value * R^2 mod r as 32 LE
  /// bytes), which the prover checks as it reads them.
  std::span<const Coef> coefs;
  std::span<const uint8_t> coef_records;
  static constexpr size_t kCoefRecordBytes = 12 + 32;
  MsmBases<ec::G1Config> a_g1, b1_g1, c_g1, h_g1;  ///< sections 5, 6, 8, 9
  MsmBases<ec::G2Config> b2_g2;                    ///< section 7
  /// Called with each part of coef_records once the prover has read it (a mapped key drops
  /// those pages from memory); may be null.
  void (*release)(std::span<const uint8_t>) = nullptr;

  /// The section sizes agree with the header (coefficient entries are checked as they are read).
  [[nodiscard]] bool is_consistent() const noexcept;
};

/// A view of pk (which must outlive it).
ProverKeyView view_of(const ProvingKey& pk) noexcept;

struct VerificationKey {
  ec::G1Affine alpha_g1;
  ec::G2Affine beta_g2, gamma_g2, delta_g2;
  std::vector<ec::G1Affine> ic;  ///< nPublic + 1 points

  size_t num_public() const noexcept { return ic.empty() ? 0 : ic.size() - 1; }
};

struct Proof {
  ec::G1Affine a;
  ec::G2Affine b;
  ec::G1Affine c;
  friend bool operator==(const Proof&, const Proof&) = default;
};

/// The secrets of a setup ("toxic waste"); all non-zero.
struct ToxicWaste {
  ff::Fr tau, alpha, beta, gamma, delta;
};

/// The proof's blinding factors (any values; fresh uniform ones give zero knowledge).
struct Blinding {
  ff::Fr r, s;
};

/// snarkjs' domain size for a circuit: smallest power of two >= n_constraints + n_public + 1, >= 2.
uint64_t groth16_domain_size(uint64_t n_constraints, uint32_t n_public) noexcept;

/// A uniform non-zero-or-zero element of Fr from the OS CSPRNG (OpenSSL RAND_bytes).
ff::Fr random_fr_csprng();

/// Development setup: a single party draws the toxic waste from the OS CSPRNG and discards it.
/// Whoever runs it could forge proofs; production keys come from a multi-party ceremony
/// (snarkjs powers of tau + phase 2), read through the .zkey reader instead.
/// Precondition: r1cs.num_wires > r1cs.num_public(), every term's wire < num_wires, and the
/// domain fits (groth16_domain_size < 2^28). Returns nullopt when a precondition fails.
[[nodiscard]] std::optional<ProvingKey> setup_dev(const R1cs& r1cs);
/// The same setup from given secrets (tests, benchmarks and reproducible fixtures only).
[[nodiscard]] std::optional<ProvingKey> setup_with_toxic_waste(const R1cs& r1cs, const ToxicWaste& tw);

VerificationKey verification_key(const ProvingKey& pk);

/// A proof for witness (iden3 order, witness[0] = 1, all num_vars wires), blinded with fresh
/// CSPRNG r, s. Returns nullopt when witness.size() != pk.num_vars or pk is inconsistent.
/// Like snarkjs it does NOT check the constraints: for a witness that violates one, it returns a
/// proof that fails verification. Callers that want an error instead check
/// R1cs::first_unsatisfied first.
[[nodiscard]] std::optional<Proof> prove(const ProvingKey& pk, std::span<const ff::Fr> witness,
                                         ProverBackend& backend = default_backend());
/// As prove(), with given blinding factors (tests only: reused r, s leak the witness).
[[nodiscard]] std::optional<Proof> prove_with_blinding(const ProvingKey& pk, std::span<const ff::Fr> witness,
                                                       const Blinding& blinding,
                                                       ProverBackend& backend = default_backend());

/// prove() from a view (a mapped .zkey); nullopt also when a coefficient record is out of range.
[[nodiscard]] std::optional<Proof> prove(const ProverKeyView& key, std::span<const ff::Fr> witness,
                                         ProverBackend& backend = default_backend());
[[nodiscard]] std::optional<Proof> prove_with_blinding(const ProverKeyView& key, std::span<const ff::Fr> witness,
                                                       const Blinding& blinding,
                                                       ProverBackend& backend = default_backend());

/// e(-A, B) e(alpha, beta) e(IC(x), gamma) e(C, delta) == 1, with IC(x) = IC_0 + sum x_i IC_i.
/// False when public_inputs.size() != vk.num_public(), or any proof point is off the curve or
/// outside the prime-order subgroup. (Inputs are field elements, so >= r cannot occur here; the
/// decoders reject such values.)
[[nodiscard]] bool verify(const VerificationKey& vk, std::span<const ff::Fr> public_inputs, const Proof& proof);

}  // namespace zkamm::snark
