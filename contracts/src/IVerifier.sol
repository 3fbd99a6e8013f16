// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The Groth16 verifier exported by `zkamm export-verifier` for the batch circuit, which has
/// exactly one public input (docs/BATCH.md section 5). Returns false, never reverts, on a bad proof.
interface IVerifier {
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[1] calldata input
    ) external view returns (bool);

    /// All of proofs[i] = [a0, a1, b00, b01, b10, b11, c0, c1] for inputs[i], checked together
    /// (random-weight batch verification: k + 3 pairings). False on empty or mismatched arrays.
    function verifyProofs(uint256[8][] calldata proofs, uint256[1][] calldata inputs) external view returns (bool);

    /// The batch circuit whose keys the verifier holds: its kind (header byte 92: 0 universal,
    /// 1 swap) and num_slots N. The exporter writes it from the parameters the circuit was built
    /// with (`zkamm export-verifier --batch-kind K --num-slots N`, src/settle/batch_keys.cpp);
    /// ZkammRollup's constructor refuses a verifier of another kind or N.
    function batchCircuit() external view returns (uint8 kind, uint32 numSlots);
}
