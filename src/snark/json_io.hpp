#pragma once
// snarkjs' JSON files (layouts from snarkjs src/groth16_prove.js, zkey_export_verificationkey.js
// and ffjavascript's toObject): numbers are decimal strings; G1 points [x, y, "1"], G2 points
// [[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]], the point at infinity ["0", "1", "0"] (G2:
// [["0","0"],["1","0"],["0","0"]]).
//   proof.json         {pi_a, pi_b, pi_c, protocol: "groth16", curve: "bn128"}
//   public.json        ["<decimal>", ...]
//   verification_key   {protocol, curve, nPublic, vk_alpha_1, vk_beta_2, vk_gamma_2, vk_delta_2,
//                       vk_alphabeta_12 (= e(alpha, beta) in Fq12), IC}
// Readers validate: decimal strings only, values below their modulus, points on the curve,
// G2 points in the subgroup.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "snark/groth16.hpp"
#include "snark/iden3_binfile.hpp"

namespace zkamm::snark {

std::string proof_to_json(const Proof& proof);
Result<Proof> proof_from_json(std::string_view text);

std::string public_signals_to_json(std::span<const ff::Fr> signals);
/// Rejects any value >= r (kNonCanonical), like snarkjs' verifier.
Result<std::vector<ff::Fr>> public_signals_from_json(std::string_view text);

std::string verification_key_to_json(const VerificationKey& vk);
/// Reads protocol/curve (must be groth16/bn128), IC and the four vk points; nPublic must match IC;
/// vk_alphabeta_12 is ignored (it is derived data).
Result<VerificationKey> verification_key_from_json(std::string_view text);

/// Text-file helpers.
Result<std::string> read_text_file(const std::string& path);
FileError write_text_file(const std::string& path, std::string_view text);

}  // namespace zkamm::snark
