#pragma once
// A Solidity Groth16 verifier for one verification key, with the ABI of snarkjs' exported
// verifier: verifyProof(uint[2] _pA, uint[2][2] _pB, uint[2] _pC, uint[N] _pubSignals) -> bool.
// _pB uses the EVM precompile order (x.c1, x.c0), (y.c1, y.c0), as snarkjs' generatecall prints.
// The contract (our own text) uses the EIP-196/197 precompiles 0x06 (add), 0x07 (mul) and
// 0x08 (pairing); it returns false for any public input >= r, any proof coordinate >= q, and
// any point the precompiles reject (off the curve, G2 outside the subgroup).
// It also has verifyProofs(uint256[8][] proofs, uint[N][] pubSignals) -> bool: k proofs checked
// together with random weights (k + 3 pairings instead of 4k), for the rollup's several-batches
// transaction (contracts/src/ZkammRollup.sol commitProveExecute).
#include <cstdint>
#include <optional>
#include <string>

#include "snark/groth16.hpp"

namespace zkamm::snark {

/// The zkamm batch circuit a verifier is for: its kind (the header's byte 92: 0 universal,
/// 1 swap) and num_slots. ZkammRollup's constructor reads it back from the verifier's
/// batchCircuit() and refuses a verifier of another circuit (docs/CONTRACTS.md).
struct BatchCircuitId {
  uint8_t kind = 0;
  uint32_t num_slots = 0;
};

/// Solidity source of contract `contract_name`; nullopt when vk has no public inputs
/// (the ABI needs uint[N] with N >= 1). With `batch`, the contract also has
/// batchCircuit() returns (uint8 kind, uint32 numSlots), the values of `batch`.
std::optional<std::string> export_solidity_verifier(const VerificationKey& vk,
                                                    const std::string& contract_name = "Groth16Verifier",
                                                    std::optional<BatchCircuitId> batch = std::nullopt);

/// The arguments of verifyProof as Solidity/JSON literals in snarkjs' `generatecall` layout:
/// ["0x..","0x.."],[["0x..","0x.."],["0x..","0x.."]],["0x..","0x.."],["0x..",...].
std::string solidity_calldata(const Proof& proof, std::span<const ff::Fr> public_inputs);

}  // namespace zkamm::snark
