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
}
