// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ZkammRollup} from "../src/ZkammRollup.sol";
import {IVerifier} from "../src/IVerifier.sol";
import {RollupTestBase, TestERC20} from "./RollupTestBase.sol";
// Written by tests/e2e/contracts.sh: the verifier `zkamm export-verifier` made for a circuit
// whose one public input is the batch value, a `zkamm prove` proof of BatchFixture.INPUT1 and
// its re-randomisation, and the batch/state fixtures computed with node + circomlibjs.
import {BatchGroth16Verifier} from "../src/generated/BatchVerifier.sol";
import {BatchProofFixture} from "../src/generated/BatchProofFixture.sol";
import {BatchFixture} from "../src/generated/BatchFixture.sol";
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";
import {ExodusFixture} from "../src/generated/ExodusFixture.sol";

/// The rollup with a real Groth16 verifier and proof.
contract ZkammGroth16Test is RollupTestBase {
    ZkammRollup internal rollup;
    BatchGroth16Verifier internal verifier;
    TestERC20 internal token;

    address internal constant ALICE = address(0xA11CE);
    address internal constant CAROL = address(0xC0FFEE); // the withdraw's l1_address in BatchFixture

    function setUp() public {
        vm.warp(T0);
        verifier = new BatchGroth16Verifier();
        rollup = deployRollup(IVerifier(address(verifier)), ExodusFixture.GENESIS_ROOT, 4);
        token = new TestERC20();
        require(rollup.addToken(address(token)) == 1, "token id");
        token.mint(ALICE, 1000);
        vm.deal(ALICE, 5 ether);
        // ExodusFixture's key is PubKeyFixture key 0
        (uint256 r8x, uint256 r8y, uint256 s) =
            signRegistration(rollup, ALICE, ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, PubKeyFixture.dlog8(0));
        vm.startPrank(ALICE);
        token.approve(address(rollup), 1000);
        rollup.registerAndDepositETH{value: 5 ether}(ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, r8x, r8y, s);
        rollup.deposit(1, 1, 1000);
        vm.stopPrank();
    }

    function _prove(uint256 n, bool rerandomised) internal {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) =
            rerandomised ? BatchProofFixture.proofRerandomised() : BatchProofFixture.proof();
        rollup.proveBatch(n, a, b, c);
    }

    function test_fixtureMatchesContractInput() public {
        (,,, uint256[1] memory pub) = BatchProofFixture.proof();
        assert(pub[0] == BatchFixture.INPUT1);
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        // node's sha256 and the contract's agree
        assert(rollup.storedBatch(1).publicInput == BatchFixture.INPUT1);
    }

    function test_realProofLifecycle() public {
        uint256 g = gasleft();
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        logGas("commitBatch N=4 (execution only)", g - gasleft());
        g = gasleft();
        _prove(1, false);
        logGas("proveBatch, real Groth16 verifier, 1 public input", g - gasleft());
        g = gasleft();
        rollup.executeBatch(1, BatchFixture.pubdata1());
        logGas("executeBatch N=4 (execution only)", g - gasleft());
        assert(rollup.lastExecutedRoot() == ExodusFixture.STATE_ROOT);
        vm.prank(CAROL);
        rollup.withdraw(1);
        assert(token.balanceOf(CAROL) == 300 && token.balanceOf(address(rollup)) == 700);
        assert(address(rollup).balance == 5 ether);
    }

    function test_verifierDirect() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[1] memory pub) = BatchProofFixture.proof();
        require(verifier.verifyProof{gas: 1_000_000}(a, b, c, pub), "valid proof rejected");
        (a, b, c, pub) = BatchProofFixture.proofRerandomised();
        require(verifier.verifyProof{gas: 1_000_000}(a, b, c, pub), "re-randomised proof rejected");
        pub[0] = BatchFixture.INPUT1 + R; // input >= r, congruent to the right one
        require(!verifier.verifyProof{gas: 1_000_000}(a, b, c, pub), "input >= r accepted");
        pub[0] = BatchFixture.INPUT1 + 1;
        require(!verifier.verifyProof{gas: 1_000_000}(a, b, c, pub), "changed input accepted");
    }

    function test_changedPublicInputRejected() public {
        // the same pubdata under a header with another timestamp: another public input
        rollup.commitBatch(BatchFixture.header1Changed(), BatchFixture.pubdata1());
        assert(rollup.storedBatch(1).publicInput != BatchFixture.INPUT1);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proof();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(1, a, b, c);
        (a, b, c,) = BatchProofFixture.proofRerandomised();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(1, a, b, c);
    }

    function test_rerandomisedProofOfExecutedBatchRejected() public {
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        _prove(1, false);
        rollup.executeBatch(1, BatchFixture.pubdata1());
        // batch 1 again: not the next unproven batch
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proofRerandomised();
        vm.expectRevert(bytes("zkamm: not the next batch to prove"));
        rollup.proveBatch(1, a, b, c);
        // batch 2 (another header): the re-randomised proof does not verify for it
        vm.expectRevert(bytes("zkamm: batch not committed"));
        rollup.proveBatch(2, a, b, c);
        rollup.commitBatch(BatchFixture.header2(), BatchFixture.pubdata2());
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(2, a, b, c);
        (a, b, c,) = BatchProofFixture.proof();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(2, a, b, c);
    }

    function test_rerandomisedProofProvesTheSameBatch() public {
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        _prove(1, true);
        assert(rollup.lastProven() == 1);
    }

    function test_tooLittleGasDoesNotProve() public {
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proof();
        // the verifier answers false when its precompile call runs out of gas: must revert
        (bool ok,) = address(rollup).call{gas: 120_000}(abi.encodeCall(ZkammRollup.proveBatch, (1, a, b, c)));
        assert(!ok);
        assert(rollup.lastProven() == 0);
    }

    // ---- commitProveExecute with the real verifier ----

    function _settle(bytes memory h, bytes memory p, bool rerandomised) internal {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) =
            rerandomised ? BatchProofFixture.proofRerandomised() : BatchProofFixture.proof();
        bytes[] memory hs = new bytes[](1);
        bytes[] memory ps = new bytes[](1);
        uint256[8][] memory proofs = new uint256[8][](1);
        (hs[0], ps[0]) = (h, p);
        proofs[0] = [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
        rollup.commitProveExecute(hs, ps, proofs);
    }

    function test_commitProveExecuteRealProof() public {
        // another public input (changed header): rejected, with the proof and its re-randomisation
        vm.expectRevert(bytes("zkamm: invalid proof"));
        _settle(BatchFixture.header1Changed(), BatchFixture.pubdata1(), false);
        vm.expectRevert(bytes("zkamm: invalid proof"));
        _settle(BatchFixture.header1Changed(), BatchFixture.pubdata1(), true);
        uint256 g = gasleft();
        _settle(BatchFixture.header1(), BatchFixture.pubdata1(), false);
        logGas("commitProveExecute N=4, real verifier (execution only)", g - gasleft());
        assert(rollup.lastExecuted() == 1 && rollup.lastExecutedRoot() == ExodusFixture.STATE_ROOT);
        vm.prank(CAROL);
        rollup.withdraw(1);
        assert(token.balanceOf(CAROL) == 300 && token.balanceOf(address(rollup)) == 700);
        vm.prank(CAROL);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdraw(1);
        // the re-randomised proof of the executed batch 1: batch 1 is not next, batch 2 differs
        vm.expectRevert(bytes("zkamm: batch number"));
        _settle(BatchFixture.header1(), BatchFixture.pubdata1(), true);
        vm.expectRevert(bytes("zkamm: invalid proof"));
        _settle(BatchFixture.header2(), BatchFixture.pubdata2(), true);
        // nor through the pipelined path
        rollup.commitBatch(BatchFixture.header2(), BatchFixture.pubdata2());
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proofRerandomised();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(2, a, b, c);
    }

    function test_commitProveExecuteTooLittleGas() public {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proof();
        bytes[] memory hs = new bytes[](1);
        bytes[] memory ps = new bytes[](1);
        uint256[8][] memory proofs = new uint256[8][](1);
        (hs[0], ps[0]) = (BatchFixture.header1(), BatchFixture.pubdata1());
        proofs[0] = [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
        (bool ok,) = address(rollup).call{gas: 200_000}(abi.encodeCall(ZkammRollup.commitProveExecute, (hs, ps, proofs)));
        assert(!ok);
        assert(rollup.lastExecuted() == 0 && rollup.lastCommitted() == 0);
    }

    // ---- several batches: verifyProofs (random-weight batch verification) ----

    function _flat(uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) internal pure returns (uint256[8] memory) {
        return [a[0], a[1], b[0][0], b[0][1], b[1][0], b[1][1], c[0], c[1]];
    }

    function _verifyMany(uint256[8][] memory proofs, uint256[] memory inputs) internal view returns (bool) {
        uint256[1][] memory ins = new uint256[1][](inputs.length);
        for (uint256 i = 0; i < inputs.length; i++) {
            ins[i][0] = inputs[i];
        }
        return verifier.verifyProofs{gas: 2_000_000}(proofs, ins);
    }

    function _two(uint256[8] memory p, uint256[8] memory q) internal pure returns (uint256[8][] memory out) {
        out = new uint256[8][](2);
        (out[0], out[1]) = (p, q);
    }

    function _pair(uint256 x, uint256 y) internal pure returns (uint256[] memory out) {
        out = new uint256[](2);
        (out[0], out[1]) = (x, y);
    }

    function test_verifyProofs() public view {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[1] memory pub1) = BatchProofFixture.proof();
        uint256[8] memory p1 = _flat(a, b, c);
        (a, b, c,) = BatchProofFixture.proofRerandomised();
        uint256[8] memory p1r = _flat(a, b, c);
        uint256[1] memory pub2;
        (a, b, c, pub2) = BatchProofFixture.proof2();
        uint256[8] memory p2 = _flat(a, b, c);
        uint256 x1 = pub1[0];
        uint256 x2 = pub2[0];
        require(x1 == BatchFixture.INPUT1 && x2 != x1, "fixture inputs");
        require(_verifyMany(_two(p1, p2), _pair(x1, x2)), "two valid proofs rejected");
        require(_verifyMany(_two(p1r, p1), _pair(x1, x1)), "a proof and its re-randomisation rejected");
        uint256[8][] memory one = new uint256[8][](1);
        one[0] = p2;
        uint256[] memory in1 = new uint256[](1);
        in1[0] = x2;
        require(_verifyMany(one, in1), "one valid proof rejected");
        require(!_verifyMany(_two(p1, p2), _pair(x2, x1)), "swapped inputs accepted");
        require(!_verifyMany(_two(p1, p2), _pair(x1, x2 + 1)), "changed input accepted");
        require(!_verifyMany(_two(p1, p2), _pair(x1 + R, x2)), "input >= r accepted");
        require(!_verifyMany(_two(p1, p1r), _pair(x1, x2)), "a proof for another input accepted");
        uint256[8] memory bad = _copy(p2); // memory arrays alias: copy before changing
        bad[0] += Q;
        require(!_verifyMany(_two(p1, bad), _pair(x1, x2)), "coordinate >= q accepted");
        require(!_verifyMany(new uint256[8][](0), new uint256[](0)), "empty batch accepted");
        require(!_verifyMany(_two(p1, p2), in1), "mismatched lengths accepted");
        // Two invalid proofs whose errors cancel in an unweighted sum: (A, B, 2C) and (A, B, 0).
        // e(A,B)^2 = e(alpha,beta)^2 e(vk_x,gamma)^2 e(2C + 0, delta) holds; the random weights
        // must catch it.
        uint256[8] memory twiceC = _copy(p1);
        (twiceC[6], twiceC[7]) = _double(p1[6], p1[7]);
        uint256[8] memory zeroC = _copy(p1);
        (zeroC[6], zeroC[7]) = (0, 0);
        one[0] = twiceC;
        in1[0] = x1;
        require(!_verifyMany(one, in1), "(A, B, 2C) accepted alone");
        require(!_verifyMany(_two(twiceC, zeroC), _pair(x1, x1)), "cancelling invalid proofs accepted");
        require(!_verifyMany(_two(zeroC, twiceC), _pair(x1, x1)), "cancelling invalid proofs accepted (swapped)");
        require(_verifyMany(_two(p1, p2), _pair(x1, x2)), "valid proofs changed by the test");
    }

    function _copy(uint256[8] memory p) internal pure returns (uint256[8] memory q) {
        for (uint256 i = 0; i < 8; i++) {
            q[i] = p[i];
        }
    }

    uint256 internal constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    function _double(uint256 x, uint256 y) internal view returns (uint256, uint256) {
        (bool ok, bytes memory out) = address(0x06).staticcall(abi.encode(x, y, x, y));
        require(ok, "ecAdd");
        return abi.decode(out, (uint256, uint256));
    }

    function test_commitProveExecuteTwoBatchesRealProofs() public {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c,) = BatchProofFixture.proof();
        uint256[8] memory p1 = _flat(a, b, c);
        (a, b, c,) = BatchProofFixture.proof2();
        uint256[8] memory p2 = _flat(a, b, c);
        bytes[] memory hs = new bytes[](2);
        bytes[] memory ps = new bytes[](2);
        (hs[0], hs[1]) = (BatchFixture.header1(), BatchFixture.header2());
        (ps[0], ps[1]) = (BatchFixture.pubdata1(), BatchFixture.pubdata2());
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.commitProveExecute(hs, ps, _two(p2, p1)); // proofs swapped
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.commitProveExecute(hs, ps, _two(p1, p1));
        uint256 g = gasleft();
        rollup.commitProveExecute(hs, ps, _two(p1, p2));
        logGas("commitProveExecute, 2 batches of N=4, real verifier (execution only)", g - gasleft());
        assert(rollup.lastExecuted() == 2 && rollup.storedBatch(2).newRoot == 0);
        vm.prank(CAROL);
        rollup.withdraw(1);
        assert(token.balanceOf(CAROL) == 300);
    }
}
