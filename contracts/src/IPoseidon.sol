// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// circomlib Poseidon with 2 inputs, as deployed from circomlibjs
/// `poseidon_gencontract.createCode(2)` (the same permutation the circuit and src/hash use).
/// The contract reduces inputs mod r silently: callers must pass canonical values.
interface IPoseidon2 {
    function poseidon(uint256[2] calldata input) external pure returns (uint256);
}

/// circomlib Poseidon with 4 inputs (`createCode(4)`), the quaternary tree node hash.
interface IPoseidon4 {
    function poseidon(uint256[4] calldata input) external pure returns (uint256);
}

/// circomlib Poseidon with 5 inputs (`createCode(5)`): EdDSA-Poseidon's h = H(R8, A, M)
/// (EdDSAPoseidonVerifier).
interface IPoseidon5 {
    function poseidon(uint256[5] calldata input) external pure returns (uint256);
}
