#pragma once
// The L1 contracts' creation code, compiled when zkamm is built (src/settle/compile_contracts.js,
// run by src/settle/CMakeLists.txt), so deploying needs no Solidity compiler at run time. The
// batch verifiers are compiled as templates and given a key's constants here
// (settle/verifier_template.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "l1/bytes.hpp"
#include "snark/groth16.hpp"

namespace zkamm::settle::contract_code {

enum class Contract : uint8_t {
  kPoseidon2,     ///< circomlib's Poseidon, 2 inputs (circomlibjs poseidonContract)
  kPoseidon4,     ///< 4 inputs
  kPoseidon5,     ///< 5 inputs
  kKeyVerifier,   ///< EdDSAPoseidonVerifier(poseidon2, poseidon5)
  kRollup,        ///< ZkammRollup (constructor: rollup_constructor_args in settle/deploy.hpp)
  kTestErc20,     ///< DevnetERC20(name, symbol): anyone may mint; devnet and tests only
  kVerifierTemplateUniversal,  ///< BatchGroth16Verifier of the template key, kind 0
  kVerifierTemplateSwap,       ///< kind 1
};

/// "0x" + creation code; empty when the build had no solc-js (node_modules) to compile with.
std::string_view creation_code_hex(Contract c);
/// The compiler the build used ("solc-js <version>"), or "" when it had none.
std::string_view compiler();

/// The creation code of c, or nullopt (and *error) when the build compiled no contracts.
std::optional<l1::Bytes> creation_code(Contract c, std::string* error);

/// The creation code of the Groth16 verifier of `vk` for batch `kind` (0 universal, 1 swap) and
/// `num_slots`: the template's with vk's constants in place of the placeholders. nullopt and
/// *error when vk has not exactly one public input, num_slots >= 2^24 or there is no template.
std::optional<l1::Bytes> verifier_code(const snark::VerificationKey& vk, uint8_t kind, uint32_t num_slots,
                                       std::string* error);

}  // namespace zkamm::settle::contract_code
