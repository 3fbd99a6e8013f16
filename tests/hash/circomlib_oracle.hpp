#pragma once
// One run of tests/hash/oracles/circomlib_oracle.mjs (circomlibjs 0.1.7) per test binary:
// node starts slowly, so every comparison with circomlibjs shares one request, built from a seed
// (printed; ZKAMM_SEED overrides it) and including our own signatures for circomlibjs to verify.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ec/babyjubjub.hpp"
#include "ff/bn254.hpp"
#include "hash/eddsa.hpp"

namespace zkamm::hash::testing {

struct OracleRun {
  uint64_t seed = 0;
  std::vector<std::vector<ff::Fr>> poseidon_inputs;     // widths 1..16, several each
  std::vector<std::pair<ec::BabyJubAffine, ff::U256>> mul_inputs;
  std::vector<std::pair<ec::BabyJubAffine, ec::BabyJubAffine>> add_inputs;
  std::vector<ec::BabyJubAffine> pack_inputs;
  std::vector<std::array<uint8_t, 32>> unpack_inputs;
  std::vector<ec::BabyJubAffine> subgroup_inputs;
  std::vector<std::vector<uint8_t>> blake_inputs;
  std::vector<std::pair<PrivateKey, ff::Fr>> sign_inputs;
  std::vector<EddsaSignature> our_signatures;  // ours for sign_inputs, sent to verifyPoseidon
  nlohmann::json answer;                       // circomlibjs' output; empty when node failed
  std::string error;                           // why the oracle failed, if it did
};

// Checks against one run, defined beside the tests of each primitive.
void check_Poseidon_EqualsCircomlibjsForOneToSixteenInputs(const OracleRun& o);
void check_Blake512_EqualsCircomlibjsBlakeHash(const OracleRun& o);
void check_BabyJubOracle_MulPointEscalar(const OracleRun& o);
void check_BabyJubOracle_AddPoint(const OracleRun& o);
void check_BabyJubOracle_PackPoint(const OracleRun& o);
void check_BabyJubOracle_UnpackPointAcceptsAndRejectsAsCircomlibjs(const OracleRun& o);
void check_BabyJubOracle_InSubgroup(const OracleRun& o);
void check_EddsaOracle_SameKeysAndSignaturesAsCircomlibjs(const OracleRun& o);
void check_EddsaOracle_CircomlibjsAcceptsOurSignatures(const OracleRun& o);
void check_EddsaOracle_WeAcceptCircomlibjsSignatures(const OracleRun& o);

/// The shared run (executed on first call).
const OracleRun& oracle();

ff::Fr fr(const nlohmann::json& decimal);
ec::BabyJubAffine point(const nlohmann::json& xy);
std::string to_hex(const uint8_t* data, size_t n);

}  // namespace zkamm::hash::testing
