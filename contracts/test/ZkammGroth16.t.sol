// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ZkammRollup} from "../src/ZkammRollup.sol";
import {IVerifier} from "../src/IVerifier.sol";
import {IPoseidon2, IPoseidon4} from "../src/IPoseidon.sol";
import {RollupTestBase, TestERC20} from "./RollupTestBase.sol";
// Written by tests/e2e/contracts.sh: the verifier `zkamm export-verifier` made for a circuit
// whose one public input is the batch value, a `zkamm prove` proof of BatchFixture.INPUT1 and
// its re-randomisation, and the batch/state fixtures computed with node + circomlibjs.
import {BatchGroth16Verifier} from "../src/generated/BatchVerifier.sol";
import {BatchProofFixture} from "../src/generated/BatchProofFixture.sol";
import {BatchFixture} from "../src/generated/BatchFixture.sol";
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
        rollup = deployRollup(
            IVerifier(address(verifier)), IPoseidon2(address(0)), IPoseidon4(address(0)), ExodusFixture.GENESIS_ROOT, 4
        );
        token = new TestERC20();
        require(rollup.addToken(address(token)) == 1, "token id");
        token.mint(ALICE, 1000);
        vm.deal(ALICE, 5 ether);
        vm.startPrank(ALICE);
        token.approve(address(rollup), 1000);
        rollup.registerAndDepositETH{value: 5 ether}(ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y);
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
}
