// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPoseidon5} from "../src/IPoseidon.sol";

/// Test-only EdDSA-Poseidon signer, so that the rollup tests can register keys for whatever owner
/// and rollup address a test has (the fixed signatures of circomlibjs and of the C++ signer are in
/// RegistrationFixture and checked in EdDSAPoseidonVerifier.t.sol). Written apart from the
/// verifier on purpose: affine coordinates with the textbook addition law (EIP-2494) and one
/// inversion per step (modexp precompile), where the verifier uses extended coordinates.
/// Gas is no concern here (about 0.7M per signature).
library BabyJubTestSigner {
    uint256 internal constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant L = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    uint256 internal constant A = 168700;
    uint256 internal constant D = 168696;
    uint256 internal constant B8_X = 5299619240641551281634865583518297030282874472190772894086521144482721001553;
    uint256 internal constant B8_Y = 16950150798460657717958625567821834550301663161624707787222815936182638968203;

    /// v^(Q-2) mod Q with the modexp precompile (0x05).
    function inv(uint256 v) internal view returns (uint256 r) {
        require(v % Q != 0, "signer: inverse of zero");
        (bool ok, bytes memory out) = address(5).staticcall(abi.encodePacked(uint256(32), uint256(32), uint256(32), v, Q - 2, Q));
        require(ok && out.length == 32, "signer: modexp");
        r = abi.decode(out, (uint256));
    }

    /// (x1, y1) + (x2, y2): x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2),
    /// y3 = (y1 y2 - a x1 x2) / (1 - d x1 x2 y1 y2).
    function add(uint256 x1, uint256 y1, uint256 x2, uint256 y2) internal view returns (uint256 x3, uint256 y3) {
        uint256 k = mulmod(D, mulmod(mulmod(x1, x2, Q), mulmod(y1, y2, Q), Q), Q);
        x3 = mulmod(addmod(mulmod(x1, y2, Q), mulmod(y1, x2, Q), Q), inv(addmod(1, k, Q)), Q);
        y3 = mulmod(addmod(mulmod(y1, y2, Q), Q - mulmod(A, mulmod(x1, x2, Q), Q), Q), inv(addmod(1, Q - k, Q)), Q);
    }

    /// k * (x, y), most significant bit first.
    function mul(uint256 k, uint256 x, uint256 y) internal view returns (uint256 rx, uint256 ry) {
        (rx, ry) = (0, 1);
        for (uint256 i = 256; i > 0; i--) {
            (rx, ry) = add(rx, ry, rx, ry);
            if ((k >> (i - 1)) & 1 == 1) (rx, ry) = add(rx, ry, x, y);
        }
    }

    /// A signature on m by the key (ax, ay) whose 8 * key is dlog8 * B8 (for a key prv2pub made
    /// from a private key, dlog8 is circomlibjs' pruned scalar s mod l): S * B8 = R8 + 8 h A holds
    /// with S = r + h * dlog8. The nonce r is derived from (dlog8, m).
    function sign(uint256 dlog8, uint256 ax, uint256 ay, uint256 m, IPoseidon5 poseidon5)
        internal
        view
        returns (uint256 r8x, uint256 r8y, uint256 s)
    {
        uint256 r = uint256(keccak256(abi.encode("zkamm test nonce", dlog8, m))) % L;
        if (r == 0) r = 1;
        (r8x, r8y) = mul(r, B8_X, B8_Y);
        uint256 h = poseidon5.poseidon([r8x, r8y, ax, ay, m]) % L;
        s = addmod(r, mulmod(h, dlog8 % L, L), L);
    }
}
