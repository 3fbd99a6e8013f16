// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

// The verifier exported by `zkamm demo` (src/app/cmd_demo.cpp: 1 output + 3 public inputs) and
// the proof it made, written as Solidity by tests/e2e/solidity.sh from `zkamm calldata`.
import {DemoGroth16Verifier} from "../src/generated/DemoVerifier.sol";
import {DemoFixture} from "../src/generated/DemoFixture.sol";

contract Groth16VerifierTest {
    uint256 private constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 private constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;
    /// Enough for the 4-input verifier (~250k); too little gas would turn a valid proof into false.
    uint256 private constant GAS = 1_000_000;

    event GasUsed(uint256 gas);

    DemoGroth16Verifier private verifier;

    function setUp() public {
        verifier = new DemoGroth16Verifier();
    }

    function _verify(uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub)
        private
        view
        returns (bool)
    {
        return verifier.verifyProof{gas: GAS}(a, b, c, pub);
    }

    function test_acceptsValidProof() public {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        uint256 before = gasleft();
        bool ok = _verify(a, b, c, pub);
        emit GasUsed(before - gasleft());
        require(ok, "valid proof rejected");
    }

    function test_rejectsChangedPublicInput() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        for (uint256 i = 0; i < 4; i++) {
            uint256 old = pub[i];
            pub[i] = addmod(old, 1, R);
            require(!_verify(a, b, c, pub), "changed public input accepted");
            pub[i] = old;
        }
    }

    function test_rejectsPublicInputNotReduced() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        pub[1] += R; // congruent mod r: the precompile alone would accept it
        require(!_verify(a, b, c, pub), "public input >= r accepted");
    }

    function test_rejectsPointOffCurve() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        a[1] = addmod(a[1], 1, Q);
        require(!_verify(a, b, c, pub), "A off the curve accepted");
        (a, b, c, pub) = DemoFixture.proof();
        c[0] = addmod(c[0], 1, Q);
        require(!_verify(a, b, c, pub), "C off the curve accepted");
        (a, b, c, pub) = DemoFixture.proof();
        b[0][0] = addmod(b[0][0], 1, Q);
        require(!_verify(a, b, c, pub), "B off the curve accepted");
    }

    function test_rejectsCoordinateNotReduced() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        a[0] += Q;
        require(!_verify(a, b, c, pub), "A.x >= q accepted");
    }

    function test_rejectsSwappedProofPoints() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[4] memory pub) = DemoFixture.proof();
        require(!_verify(c, b, a, pub), "A and C swapped accepted");
        uint256[2][2] memory bSwapped = [[b[0][1], b[0][0]], [b[1][1], b[1][0]]];
        require(!_verify(a, bSwapped, c, pub), "B with c0/c1 swapped accepted");
    }
}
