// SPDX-License-Identifier: MIT
pragma solidity ^0.8.21; // emit ZkammStorage.Event(...)

import {ZkammRollup, ZkammStorage} from "../src/ZkammRollup.sol";
import {IPoseidon2, IPoseidon4} from "../src/IPoseidon.sol";
import {RollupTestBase, TestERC20, MockVerifier} from "./RollupTestBase.sol";
// Written by tests/e2e/contracts.sh with circomlibjs: the genesis and post-batch-1 state roots and
// account 1's Merkle paths.
import {BatchFixture} from "../src/generated/BatchFixture.sol";
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";
import {ExodusFixture} from "../src/generated/ExodusFixture.sol";

/// Exodus exits with real Merkle proofs (circomlibjs state) checked by circomlib's Poseidon
/// contracts; batches are proven with a mock verifier.
contract ZkammExodusTest is RollupTestBase {
    ZkammRollup internal rollup;
    MockVerifier internal verifier;
    TestERC20 internal token;
    IPoseidon2 internal p2;
    IPoseidon4 internal p4;

    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xC0FFEE);

    function setUp() public {
        vm.warp(T0);
        (p2, p4) = poseidons();
        verifier = new MockVerifier(0, 4);
        rollup = deployRollup(verifier, ExodusFixture.GENESIS_ROOT, 4);
        token = new TestERC20();
        rollup.addToken(address(token));
        token.mint(ALICE, 1000);
        vm.deal(ALICE, 5 ether);
        vm.deal(BOB, 1 ether);
        // ExodusFixture's key is PubKeyFixture key 0
        (uint256 r8x, uint256 r8y, uint256 s) =
            signRegistration(rollup, ALICE, ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, PubKeyFixture.dlog8(0));
        vm.startPrank(ALICE);
        token.approve(address(rollup), 1000);
        rollup.registerAndDepositETH{value: 5 ether}(ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, r8x, r8y, s);
        rollup.deposit(1, 1, 1000);
        vm.stopPrank();
    }

    function _batch1(bool execute) internal {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.commitBatch(BatchFixture.header1(), BatchFixture.pubdata1());
        rollup.proveBatch(1, a, b, c);
        if (execute) rollup.executeBatch(1, BatchFixture.pubdata1());
    }

    function _exodusAfterBobDeposits() internal {
        vm.prank(BOB);
        rollup.deposit{value: 1 ether}(1, 0, 1 ether); // serial 3, never processed
        vm.warp(block.timestamp + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
    }

    function _keys() internal pure returns (uint256[3] memory k) {
        k = [ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, ExodusFixture.NONCE];
    }

    function _exitToken1(uint128 balance) internal {
        exodusOf(rollup).exodusExit(1, 1, balance, _keys(), ExodusFixture.balancePathToken1(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
    }

    /// Batch 2 (create_pool, add_liquidity) to ExodusFixture.STATE2_ROOT, executed.
    function _batch2() internal {
        bytes memory p = slots4(
            pad(abi.encodePacked(uint8(6), uint24(1), uint16(0), uint16(1), uint16(512))),
            // amounts 1e18 and 400; the 2e10 - 1000 LP tokens minted are not published
            pad(abi.encodePacked(uint8(7), uint24(1), uint16(0), uint16(1), uint128(1e18), uint128(400))),
            noopSlot(),
            noopSlot()
        );
        rollup.commitBatch(header(2, uint64(T0 + 10), ExodusFixture.STATE_ROOT, ExodusFixture.STATE2_ROOT, 3, 0, 4), p);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(2, a, b, c);
        rollup.executeBatch(2, "");
    }

    function _keys2() internal pure returns (uint256[3] memory k) {
        k = [ExodusFixture.PUBKEY_X, ExodusFixture.PUBKEY_Y, ExodusFixture.NONCE2];
    }

    function _exitLp(uint128 lp, uint256[4] memory leaf) internal {
        exodusOf(rollup).exodusExitLp(
            1, 0, lp, _keys2(), ExodusFixture.balance2PathLp(), ExodusFixture.account2Path(), _leaf6(leaf), ExodusFixture.poolPath()
        );
    }

    function test_exodusExitWithLpPosition() public {
        _batch1(true);
        _batch2();
        _exodusAfterBobDeposits();
        // what it pays, each token credited and the exit reported with both amounts
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 0, 1e18 - 5e10);
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 1, 399);
        vm.expectEmit();
        emit ZkammStorage.ExodusExitLp(1, 0, ALICE, ExodusFixture.BALANCE2_LP, 0, 1e18 - 5e10, 1, 399);
        uint256 g = gasleft();
        _exitLp(ExodusFixture.BALANCE2_LP, ExodusFixture.poolLeaf());
        logGas("exodusExitLp", g - gasleft());
        assert(rollup.exited(1, 512));
        // floor((2e10 - 1000) * reserve / 2e10): 1e18 - 5e10 wei and 399 of token 1
        assert(rollup.pendingWithdrawals(ALICE, 0) == 1e18 - 5e10);
        assert(rollup.pendingWithdrawals(ALICE, 1) == 399);
        exodusOf(rollup).exodusExit(1, 0, ExodusFixture.BALANCE2_ETH, _keys2(), ExodusFixture.balance2PathEth(), ExodusFixture.account2Path(), ExodusFixture.POOL2_ROOT);
        exodusOf(rollup).exodusExit(1, 1, ExodusFixture.BALANCE2_TOKEN1, _keys2(), ExodusFixture.balance2PathToken1(), ExodusFixture.account2Path(), ExodusFixture.POOL2_ROOT);
        exodusOf(rollup).refundDeposit(3);
        vm.prank(ALICE);
        rollup.withdraw(0);
        vm.prank(ALICE);
        rollup.withdraw(1);
        vm.prank(CAROL);
        rollup.withdraw(1);
        vm.prank(BOB);
        rollup.withdraw(0);
        assert(ALICE.balance == 5 ether - 5e10 && BOB.balance == 1 ether);
        assert(token.balanceOf(ALICE) == 699 && token.balanceOf(CAROL) == 300);
        // what stays: the share of the locked MINIMUM_LIQUIDITY
        assert(address(rollup).balance == 5e10 && token.balanceOf(address(rollup)) == 1);

        vm.expectRevert(bytes("zkamm: already exited"));
        _exitLp(ExodusFixture.BALANCE2_LP, ExodusFixture.poolLeaf());
    }

    function test_lpExitWithWrongDataReverts() public {
        _batch1(true);
        _batch2();
        _exodusAfterBobDeposits();
        uint256[4] memory leaf = ExodusFixture.poolLeaf();
        leaf[1] += 1; // a larger reserve
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        _exitLp(ExodusFixture.BALANCE2_LP, leaf);
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        _exitLp(ExodusFixture.BALANCE2_LP + 1, ExodusFixture.poolLeaf());
        leaf = ExodusFixture.poolLeaf();
        leaf[3] += R;
        vm.expectRevert(bytes("zkamm: pool field not canonical"));
        _exitLp(ExodusFixture.BALANCE2_LP, leaf);
        // an LP token through the plain exit
        vm.expectRevert(bytes("zkamm: not an L1 token"));
        exodusOf(rollup).exodusExit(1, 512, ExodusFixture.BALANCE2_LP, _keys2(), ExodusFixture.balance2PathLp(), ExodusFixture.account2Path(), ExodusFixture.POOL2_ROOT);
        vm.expectRevert(bytes("zkamm: bad pool id"));
        exodusOf(rollup).exodusExitLp(1, 512, 1, _keys2(), ExodusFixture.balance2PathLp(), ExodusFixture.account2Path(), _leaf6(leaf), ExodusFixture.poolPath());
    }

    function test_poseidonContractsMatchCircomlibjs() public view {
        // TOOLING-NOTES value of circomlibjs poseidon([1, 2])
        assert(p2.poseidon([uint256(1), 2]) == 7853200120776062878684798364095072458815029376092732009249414926327459813530);
    }

    function test_exodusExitAndRefund() public {
        _batch1(true);
        _exodusAfterBobDeposits();
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 1, ExodusFixture.BALANCE_TOKEN1);
        vm.expectEmit();
        emit ZkammStorage.ExodusExit(1, 1, ALICE, ExodusFixture.BALANCE_TOKEN1);
        uint256 g = gasleft();
        _exitToken1(ExodusFixture.BALANCE_TOKEN1);
        logGas("exodusExit (depth 5 + 12 Poseidon(4) path, circomlib contracts)", g - gasleft());
        exodusOf(rollup).exodusExit(1, 0, ExodusFixture.BALANCE_ETH, _keys(), ExodusFixture.balancePathEth(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        assert(rollup.exited(1, 1) && rollup.exited(1, 0));
        exodusOf(rollup).refundDeposit(3);

        vm.prank(ALICE);
        rollup.withdraw(1);
        vm.prank(ALICE);
        rollup.withdraw(0);
        vm.prank(CAROL);
        rollup.withdraw(1);
        vm.prank(BOB);
        rollup.withdraw(0);
        assert(token.balanceOf(ALICE) == 700 && token.balanceOf(CAROL) == 300 && token.balanceOf(address(rollup)) == 0);
        assert(ALICE.balance == 5 ether && BOB.balance == 1 ether && address(rollup).balance == 0);
    }

    function test_exitTwiceReverts() public {
        _batch1(true);
        _exodusAfterBobDeposits();
        _exitToken1(ExodusFixture.BALANCE_TOKEN1);
        vm.expectRevert(bytes("zkamm: already exited"));
        _exitToken1(ExodusFixture.BALANCE_TOKEN1);
    }

    function test_exitBeforeExodusReverts() public {
        _batch1(true);
        vm.expectRevert(bytes("zkamm: not in exodus mode"));
        _exitToken1(ExodusFixture.BALANCE_TOKEN1);
        vm.prank(BOB);
        rollup.deposit{value: 1 ether}(1, 0, 1 ether);
        vm.warp(block.timestamp + DEADLINE); // exactly at the deadline: not overdue yet
        vm.expectRevert(bytes("zkamm: priority op not overdue"));
        exodusOf(rollup).activateExodus();
    }

    function test_exitAgainstUnexecutedRootReverts() public {
        _batch1(false); // committed and proven, not executed: lastExecutedRoot is still genesis
        _exodusAfterBobDeposits();
        assert(rollup.lastExecutedRoot() == ExodusFixture.GENESIS_ROOT);
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        _exitToken1(ExodusFixture.BALANCE_TOKEN1);
        // the deposits of the unexecuted batch are refundable instead
        exodusOf(rollup).refundDeposit(1);
        exodusOf(rollup).refundDeposit(2);
        assert(rollup.pendingWithdrawals(ALICE, 0) == 5 ether && rollup.pendingWithdrawals(ALICE, 1) == 1000);
    }

    function test_exitWithWrongDataReverts() public {
        _batch1(true);
        _exodusAfterBobDeposits();
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        _exitToken1(ExodusFixture.BALANCE_TOKEN1 + 1);
        // the ETH path with token 1
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        exodusOf(rollup).exodusExit(1, 1, ExodusFixture.BALANCE_ETH, _keys(), ExodusFixture.balancePathEth(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        // an all-zero path (an empty tree)
        vm.expectRevert(bytes("zkamm: bad Merkle proof"));
        exodusOf(rollup).exodusExit(1, 1, 700, _keys(), new uint256[](15), new uint256[](36), ExodusFixture.POOL_ROOT);
        vm.expectRevert(bytes("zkamm: unknown account"));
        exodusOf(rollup).exodusExit(0, 1, 700, _keys(), ExodusFixture.balancePathToken1(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        vm.expectRevert(bytes("zkamm: not an L1 token"));
        exodusOf(rollup).exodusExit(1, 2, 700, _keys(), ExodusFixture.balancePathToken1(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        vm.expectRevert(bytes("zkamm: zero balance"));
        _exitToken1(0);
        // a sibling >= r (congruent to the real one: the Poseidon contract alone would accept it)
        uint256[] memory path = ExodusFixture.balancePathToken1();
        path[3] += R;
        vm.expectRevert(bytes("Merkle: sibling not canonical"));
        exodusOf(rollup).exodusExit(1, 1, 700, _keys(), path, ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        vm.expectRevert(bytes("Merkle: path length"));
        exodusOf(rollup).exodusExit(1, 1, 700, _keys(), new uint256[](14), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        uint256[3] memory keys = _keys();
        keys[0] += R;
        vm.expectRevert(bytes("zkamm: account field not canonical"));
        exodusOf(rollup).exodusExit(1, 1, 700, keys, ExodusFixture.balancePathToken1(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT);
        vm.expectRevert(bytes("zkamm: pool root not canonical"));
        exodusOf(rollup).exodusExit(1, 1, 700, _keys(), ExodusFixture.balancePathToken1(), ExodusFixture.accountPath(), ExodusFixture.POOL_ROOT + R);
    }

    /// The pool leaf followed by the pair root and the pool count (exodusExitLp's poolLeaf).
    function _leaf6(uint256[4] memory leaf) internal pure returns (uint256[6] memory out) {
        for (uint256 i = 0; i < 4; i++) out[i] = leaf[i];
        out[4] = ExodusFixture.PAIR2_ROOT;
        out[5] = ExodusFixture.NUM_POOLS2;
    }
}
