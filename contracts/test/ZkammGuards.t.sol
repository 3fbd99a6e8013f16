// SPDX-License-Identifier: MIT
pragma solidity ^0.8.21; // emit ZkammStorage.Event(...)

import {ZkammRollup, ZkammStorage} from "../src/ZkammRollup.sol";
import {IVerifier} from "../src/IVerifier.sol";
import {IPoseidon2, IPoseidon4} from "../src/IPoseidon.sol";
import {RollupTestBase, TestERC20, MockVerifier} from "./RollupTestBase.sol";
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";

/// An ERC-20 that burns 10% of every transfer: the recipient gets 90% of the amount.
contract FeeOnTransferERC20 is TestERC20 {
    function _deliver(address from, address to, uint256 amount) internal override {
        uint256 fee = amount / 10;
        balanceOf[from] -= amount;
        balanceOf[to] += amount - fee;
        totalSupply -= fee;
        emit Transfer(from, to, amount - fee);
    }
}

/// An ERC-20 whose transferFrom says true and moves nothing.
contract HollowERC20 is TestERC20 {
    function _deliver(address, address, uint256) internal pure override {}
}

/// A recipient that cannot call the rollup (it has no code for it) but accepts ETH.
contract PassiveRecipient {
    receive() external payable {}
}

/// The operator's bounds of issue 15 (docs/CONTRACTS.md): batch timestamps within the window of
/// the committing L1 block, priority deadlines that grow with the queue, deposits credited with
/// what arrived, withdrawals anyone can trigger, deployment checks, payout events.
contract ZkammGuardsTest is RollupTestBase {
    ZkammRollup internal rollup;
    MockVerifier internal verifier;
    uint256 internal keyX;
    uint256 internal keyY;
    bytes32 internal packed;
    // Registration signatures (key ownership): key 1 by ALICE, key 2 by BOB, on `rollup`.
    uint256[3] internal sigA;
    uint256[3] internal sigB;

    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xC0FFEE);
    uint32 internal constant N = 4;

    function setUp() public {
        vm.warp(T0);
        (keyX, keyY, packed) = PubKeyFixture.key(1);
        verifier = new MockVerifier(0, N);
        rollup = deployRollup(verifier, rootOf("genesis"), N);
        (sigA[0], sigA[1], sigA[2]) = signRegistration(rollup, ALICE, keyX, keyY, PubKeyFixture.dlog8(1));
        (uint256 bx, uint256 by,) = PubKeyFixture.key(2);
        (sigB[0], sigB[1], sigB[2]) = signRegistration(rollup, BOB, bx, by, PubKeyFixture.dlog8(2));
        vm.deal(ALICE, 100 ether);
        vm.deal(BOB, 100 ether);
    }

    function _proof() internal pure returns (uint256[8] memory p) {
        p = [uint256(1), 2, 0, 0, 0, 0, 1, 2];
    }

    /// commitProveExecute of one batch.
    function _settle(bytes memory h, bytes memory p) internal {
        bytes[] memory hs = new bytes[](1);
        bytes[] memory ps = new bytes[](1);
        uint256[8][] memory proofs = new uint256[8][](1);
        (hs[0], ps[0], proofs[0]) = (h, p, _proof());
        rollup.commitProveExecute(hs, ps, proofs);
    }

    function _noops() internal pure returns (bytes memory) {
        return slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
    }

    // ---- item 2: batch timestamps bound by the L1 block that commits them ----

    function test_timestampWindow() public {
        assert(rollup.timestampWindow() == WINDOW);
        uint256 t = T0 + 30 days;
        vm.warp(t);
        // W + 1 s behind the committing block: refused, by both commit paths
        bytes memory old = header(1, uint64(t - WINDOW - 1), rootOf("genesis"), rootOf("r1"), 0, 0, N);
        vm.expectRevert(bytes("zkamm: timestamp too old"));
        rollup.commitBatch(old, _noops());
        vm.expectRevert(bytes("zkamm: timestamp too old"));
        _settle(old, _noops());
        // a batch timestamped 60 days back (the review's case)
        vm.expectRevert(bytes("zkamm: timestamp too old"));
        rollup.commitBatch(header(1, uint64(t - 60 days), rootOf("genesis"), rootOf("r1"), 0, 0, N), _noops());
        // exactly W behind: accepted, pipelined and in one transaction
        rollup.commitBatch(header(1, uint64(t - WINDOW), rootOf("genesis"), rootOf("r1"), 0, 0, N), _noops());
        rollup.revertBatches(0);
        _settle(header(1, uint64(t - WINDOW), rootOf("genesis"), rootOf("r1"), 0, 0, N), _noops());
        // the other bounds hold as before: not before the previous batch, at most an hour ahead
        vm.expectRevert(bytes("zkamm: timestamp before previous batch"));
        _settle(header(2, uint64(t - WINDOW - 1), rootOf("r1"), rootOf("r2"), 0, 0, N), _noops());
        vm.expectRevert(bytes("zkamm: timestamp in the future"));
        _settle(header(2, uint64(t + 3601), rootOf("r1"), rootOf("r2"), 0, 0, N), _noops());
        _settle(header(2, uint64(t + 3600), rootOf("r1"), rootOf("r2"), 0, 0, N), _noops());
        // a pipelined batch committed in time stays valid when it is proven and executed later
        rollup.commitBatch(header(3, uint64(t + 3600), rootOf("r2"), rootOf("r3"), 0, 0, N), _noops());
        vm.warp(t + 3600 + WINDOW + 1 days);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(3, a, b, c);
        rollup.executeBatch(3, "");
        assert(rollup.lastExecuted() == 3);
    }

    // ---- item 4: a priority queue that cannot be flooded into exodus ----

    uint64 internal constant FLOOD_P = 2 hours; // the shortest deadline a 1-hour rate allows
    uint64 internal constant FLOOD_I = 1 hours;
    uint64 internal constant FLOOD_OPS = 10 * N; // ten full batches

    /// A rollup with priority deadline 2 h and rate one full batch per hour, then ten batches'
    /// worth of priority operations in one L1 block: account 1's registration and 39 deposits.
    function _flood() internal {
        (IPoseidon2 p2, IPoseidon4 p4) = poseidons();
        rollup = new ZkammRollup(
            verifier, IVerifier(address(0)), p2, p4, keyVerifier(), rootOf("genesis"), N, FLOOD_P, FLOOD_I, WINDOW, address(this), address(this)
        );
        (sigA[0], sigA[1], sigA[2]) = signRegistration(rollup, ALICE, keyX, keyY, PubKeyFixture.dlog8(1));
        vm.startPrank(ALICE);
        rollup.registerAccount(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        for (uint64 i = 1; i < FLOOD_OPS; i++) {
            rollup.deposit{value: i}(1, 0, uint128(i));
        }
        vm.stopPrank();
    }

    /// Batch j: the next N priority operations of the flood, timestamped now.
    function _floodBatch(uint64 j) internal view returns (bytes memory h, bytes memory p) {
        for (uint64 k = j * N; k < (j + 1) * N; k++) {
            p = abi.encodePacked(p, k == 0 ? createAccountSlot(1, packed) : depositSlot(1, 0, uint128(k)));
        }
        h = header(j + 1, uint64(block.timestamp), j == 0 ? rootOf("genesis") : rootOf(string(abi.encode(j))),
            rootOf(string(abi.encode(j + 1))), j * N, N, N);
    }

    function _expectNoExodus() internal {
        vm.expectRevert(bytes("zkamm: priority op not overdue"));
        exodusOf(rollup).activateExodus();
    }

    function test_priorityDeadlinesGrowWithTheQueue() public {
        _flood();
        // every N ops queued ahead add one batch interval; with a fixed deadline, all 40 would
        // be due at T0 + 2 h, nine hours before this operator can have proven the last of them
        for (uint64 k = 0; k < FLOOD_OPS; k++) {
            assert(rollup.priorityOp(k).deadline == T0 + FLOOD_P + (k / N) * FLOOD_I);
        }
    }

    /// An operator that settles one full batch per FLOOD_I, the first after FLOOD_P - FLOOD_I
    /// (the latency the deadline leaves it) and each one at the last moment allowed, never gives
    /// anyone a reason to start exodus.
    function test_floodAtTheDocumentedRateNeverTriggersExodus() public {
        _flood();
        for (uint64 j = 0; j < 10; j++) {
            uint256 at = T0 + FLOOD_P + j * FLOOD_I;
            vm.warp(at - 1);
            _expectNoExodus();
            vm.warp(at);
            _expectNoExodus();
            (bytes memory h, bytes memory p) = _floodBatch(j);
            _settle(h, p);
            if (j == 9) break;
            _expectNoExodus();
            vm.warp(at + FLOOD_I / 2);
            _expectNoExodus();
        }
        assert(rollup.executedPriorityOps() == FLOOD_OPS && rollup.totalPriorityOps() == FLOOD_OPS);
        vm.warp(block.timestamp + 365 days);
        vm.expectRevert(bytes("zkamm: no outstanding priority op"));
        exodusOf(rollup).activateExodus();
        assert(!rollup.exodusMode());
        // the queue drained: the next op's deadline starts afresh from its own block
        vm.prank(ALICE);
        rollup.deposit{value: 1}(1, 0, 1);
        assert(rollup.priorityOp(FLOOD_OPS).deadline == block.timestamp + FLOOD_P);
    }

    /// Control: an operator that stops after three batches is overdue one second after the
    /// fourth batch's deadline, and anyone can then start exodus.
    function test_stalledOperatorStillTriggersExodus() public {
        _flood();
        for (uint64 j = 0; j < 3; j++) {
            vm.warp(T0 + FLOOD_P + j * FLOOD_I);
            (bytes memory h, bytes memory p) = _floodBatch(j);
            _settle(h, p);
        }
        uint256 due = T0 + FLOOD_P + 3 * FLOOD_I;
        assert(rollup.priorityOp(3 * N).deadline == due);
        vm.warp(due);
        _expectNoExodus();
        vm.warp(due + 1);
        exodusOf(rollup).activateExodus();
        assert(rollup.exodusMode());
    }

    /// Control: an operator that settles nothing is overdue after the plain deadline.
    function test_operatorThatNeverSettlesTriggersExodus() public {
        _flood();
        vm.warp(T0 + FLOOD_P);
        _expectNoExodus();
        vm.warp(T0 + FLOOD_P + 1);
        exodusOf(rollup).activateExodus();
        assert(rollup.exodusMode());
    }

    /// Ops queued in different blocks: a deadline never precedes the previous op's, and a late
    /// op is due priorityDeadlineSeconds after its own block.
    function test_priorityDeadlinesAcrossBlocks() public {
        vm.prank(ALICE);
        rollup.registerAccount(keyX, keyY, sigA[0], sigA[1], sigA[2]); // serial 0: T0 + 7 d
        vm.warp(T0 + 10);
        vm.prank(ALICE);
        rollup.deposit{value: 1}(1, 0, 1); // serial 1
        assert(rollup.priorityOp(1).deadline == T0 + 10 + DEADLINE);
        // serials 2, 3 in the same block; serial 4 starts the second batch's worth
        vm.startPrank(ALICE);
        rollup.deposit{value: 1}(1, 0, 1);
        rollup.deposit{value: 1}(1, 0, 1);
        rollup.deposit{value: 1}(1, 0, 1);
        vm.stopPrank();
        assert(rollup.priorityOp(3).deadline == T0 + 10 + DEADLINE);
        assert(rollup.priorityOp(4).deadline == T0 + 10 + DEADLINE + PRIORITY_BATCH);
        vm.warp(T0 + 10 + 2 * PRIORITY_BATCH);
        vm.prank(ALICE);
        rollup.deposit{value: 1}(1, 0, 1); // serial 5: its own block's deadline is later
        assert(rollup.priorityOp(5).deadline == T0 + 10 + 2 * PRIORITY_BATCH + DEADLINE);
    }

    // ---- item 5: deposits credited with what arrived ----

    function test_feeOnTransferDepositCreditsWhatArrived() public {
        FeeOnTransferERC20 fot = new FeeOnTransferERC20();
        uint16 id = rollup.addToken(address(fot));
        fot.mint(ALICE, 2000);
        fot.mint(BOB, 2000);
        vm.prank(ALICE);
        fot.approve(address(rollup), 2000);
        vm.prank(BOB);
        fot.approve(address(rollup), 2000);
        vm.prank(ALICE);
        rollup.registerAccount(keyX, keyY, sigA[0], sigA[1], sigA[2]); // serial 0
        (uint256 bx, uint256 by, bytes32 bobKey) = PubKeyFixture.key(2);
        vm.prank(BOB);
        rollup.registerAccount(bx, by, sigB[0], sigB[1], sigB[2]); // serial 1
        // 2,000 asked, 1,800 arrived: 1,800 queued, emitted and held
        vm.expectEmit();
        emit ZkammStorage.PriorityOpQueued(2, 1, 1, id, 1800, bytes32(0), ALICE, uint64(T0 + DEADLINE));
        vm.prank(ALICE);
        rollup.deposit(1, id, 2000);
        vm.prank(BOB);
        rollup.deposit(2, id, 2000);
        assert(rollup.priorityOp(2).amount == 1800 && rollup.priorityOp(3).amount == 1800);
        assert(rollup.l2Holdings(id) == 3600 && fot.balanceOf(address(rollup)) == 3600);
        // the L2 must credit 1,800: a deposit slot of the 2,000 asked is refused
        bytes memory asked = slots4(
            createAccountSlot(1, packed), createAccountSlot(2, bobKey), depositSlot(1, id, 2000), depositSlot(2, id, 1800)
        );
        vm.expectRevert(bytes("zkamm: deposit amount"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r1"), 0, 4, N), asked);
        bytes memory credited = slots4(
            createAccountSlot(1, packed), createAccountSlot(2, bobKey), depositSlot(1, id, 1800), depositSlot(2, id, 1800)
        );
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r1"), 0, 4, N), credited);
        // both users take all of it out again: every withdrawal is paid, nothing is left over
        bytes memory out = slots4(
            withdrawSlot(1, id, 1800, ALICE), withdrawSlot(2, id, 1800, BOB), noopSlot(), noopSlot()
        );
        _settle(header(2, uint64(T0), rootOf("r1"), rootOf("r2"), 4, 0, N), out);
        assert(rollup.l2Holdings(id) == 0);
        vm.prank(ALICE);
        rollup.withdraw(id);
        vm.prank(BOB);
        rollup.withdraw(id);
        assert(fot.balanceOf(address(rollup)) == 0);
        assert(fot.balanceOf(ALICE) == 1620 && fot.balanceOf(BOB) == 1620); // the token's fee again
    }

    function test_depositOfNothingReceivedIsRefused() public {
        HollowERC20 hollow = new HollowERC20();
        uint16 id = rollup.addToken(address(hollow));
        hollow.mint(ALICE, 2000);
        vm.startPrank(ALICE);
        hollow.approve(address(rollup), 2000);
        rollup.registerAccount(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        vm.expectRevert(bytes("zkamm: nothing received"));
        rollup.deposit(1, id, 2000);
        vm.stopPrank();
        assert(rollup.totalPriorityOps() == 1 && rollup.l2Holdings(id) == 0);
    }

    /// The token cap counts what arrived: 2^128 asked of a 10% fee token credits less.
    function test_tokenCapCountsWhatArrived() public {
        FeeOnTransferERC20 fot = new FeeOnTransferERC20();
        uint16 id = rollup.addToken(address(fot));
        uint256 cap = rollup.TOKEN_CAP();
        fot.mint(ALICE, 2 * cap);
        vm.startPrank(ALICE);
        fot.approve(address(rollup), type(uint256).max);
        rollup.registerAccount(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        // type(uint128).max asked, 90% of it arrives: below the cap, credited
        rollup.deposit(1, id, type(uint128).max);
        uint256 arrived = type(uint128).max - type(uint128).max / 10;
        assert(rollup.l2Holdings(id) == arrived && rollup.priorityOp(1).amount == arrived);
        // what would arrive of the next deposit reaches 2^128: refused
        uint256 room = cap - 1 - arrived; // the most that may still arrive
        vm.expectRevert(bytes("zkamm: token cap"));
        rollup.deposit(1, id, uint128((room + 1) * 10 / 9 + 1));
        vm.stopPrank();
    }

    // ---- item 8: withdrawals anyone can trigger, deployment checks, payout events ----

    function test_withdrawForPaysTheRecipient() public {
        TestERC20 token = new TestERC20();
        uint16 id = rollup.addToken(address(token));
        token.mint(ALICE, 1000);
        PassiveRecipient passive = new PassiveRecipient();
        vm.startPrank(ALICE);
        token.approve(address(rollup), 1000);
        rollup.registerAndDepositETH{value: 5 ether}(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        rollup.deposit(1, id, 1000);
        vm.stopPrank();
        bytes memory p = slots4(
            createAccountSlot(1, packed),
            depositSlot(1, 0, 5 ether),
            depositSlot(1, id, 1000),
            withdrawSlot(1, id, 300, address(passive))
        );
        // executing a withdraw credits its recipient and says so
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(address(passive), id, 300);
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r1"), 0, 3, N), p);
        bytes memory p2 = slots4(withdrawSlot(1, 0, 2 ether, address(passive)), noopSlot(), noopSlot(), noopSlot());
        _settle(header(2, uint64(T0), rootOf("r1"), rootOf("r2"), 3, 0, N), p2);
        // the recipient, a contract that cannot call the rollup, is paid by a third party
        vm.expectEmit();
        emit ZkammStorage.Withdrawal(address(passive), id, 300);
        vm.prank(CAROL);
        rollup.withdrawFor(address(passive), id);
        vm.prank(CAROL);
        rollup.withdrawFor(address(passive), 0);
        assert(token.balanceOf(address(passive)) == 300 && address(passive).balance == 2 ether);
        assert(token.balanceOf(CAROL) == 0 && CAROL.balance == 0);
        vm.prank(CAROL);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdrawFor(address(passive), id);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdraw(id); // the caller's own balance is untouched by withdrawFor
    }

    function test_fullExitPayoutEmitsEvent() public {
        vm.prank(ALICE);
        rollup.registerAndDepositETH{value: 5 ether}(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        vm.prank(ALICE);
        rollup.requestFullExit(1, 0);
        bytes memory p = slots4(createAccountSlot(1, packed), depositSlot(1, 0, 5 ether), fullExitSlot(1, 0, 5 ether), noopSlot());
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 0, 5 ether);
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r1"), 0, 3, N), p);
        assert(rollup.pendingWithdrawals(ALICE, 0) == 5 ether);
    }

    // ---- item 3: forced exit of an LP position ----

    /// A full exit of LP token 512 + p pays the owner both of the pool's tokens, as the slot says
    /// (the circuit proves they are the whole position's pro-rata shares), and takes them off
    /// l2Holdings; only ids of the LP range are accepted, and the slot must name the queued token.
    function test_lpFullExitPaysBothTokens() public {
        TestERC20 token = new TestERC20();
        uint16 id = rollup.addToken(address(token));
        token.mint(ALICE, 1000);
        vm.startPrank(ALICE);
        token.approve(address(rollup), 1000);
        rollup.registerAndDepositETH{value: 5 ether}(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        rollup.deposit(1, id, 1000);
        vm.expectRevert(bytes("zkamm: unknown token"));
        rollup.requestFullExit(1, 1024);
        vm.expectRevert(bytes("zkamm: unknown token"));
        rollup.requestFullExit(1, id + 1); // an L1 id nobody registered
        rollup.requestFullExit(1, 512); // pool 0's LP token
        vm.stopPrank();
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: not owner"));
        rollup.requestFullExit(1, 512);
        _settle(
            header(1, uint64(T0), rootOf("genesis"), rootOf("r1"), 0, 3, N),
            slots4(createAccountSlot(1, packed), depositSlot(1, 0, 5 ether), depositSlot(1, id, 1000), noopSlot())
        );
        // (the L2 batch in between: ALICE adds 2 ETH and 300 tokens to pool (0, id))
        vm.expectRevert(bytes("zkamm: priority op token"));
        _settle(
            header(2, uint64(T0), rootOf("r1"), rootOf("r2"), 3, 1, N),
            slots4(lpFullExitSlot(1, 513, 0, 2 ether, id, 300), noopSlot(), noopSlot(), noopSlot())
        );

        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 0, 2 ether);
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, id, 300);
        _settle(
            header(2, uint64(T0), rootOf("r1"), rootOf("r2"), 3, 1, N),
            slots4(lpFullExitSlot(1, 512, 0, 2 ether, id, 300), noopSlot(), noopSlot(), noopSlot())
        );
        assert(rollup.pendingWithdrawals(ALICE, 0) == 2 ether);
        assert(rollup.pendingWithdrawals(ALICE, id) == 300);
        assert(rollup.l2Holdings(0) == 3 ether && rollup.l2Holdings(id) == 700);
        vm.startPrank(ALICE);
        rollup.withdraw(id);
        rollup.withdraw(0);
        vm.stopPrank();
        assert(token.balanceOf(ALICE) == 300);
    }

    function test_refundEmitsPayout() public {
        vm.prank(ALICE);
        rollup.registerAndDepositETH{value: 5 ether}(keyX, keyY, sigA[0], sigA[1], sigA[2]);
        vm.warp(T0 + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
        vm.expectEmit();
        emit ZkammStorage.PayoutCredited(ALICE, 0, 5 ether);
        vm.expectEmit();
        emit ZkammStorage.DepositRefunded(1, ALICE, 0, 5 ether);
        exodusOf(rollup).refundDeposit(1);
    }

    function _deploy(
        IVerifier v,
        IVerifier sv,
        IPoseidon2 p2,
        IPoseidon4 p4,
        uint32 slots,
        uint64 deadline,
        uint64 batchSeconds,
        uint64 window
    ) internal returns (ZkammRollup) {
        return new ZkammRollup(
            v, sv, p2, p4, keyVerifier(), rootOf("genesis"), slots, deadline, batchSeconds, window, address(this), address(this)
        );
    }

    function _refused(
        bytes memory reason,
        IVerifier v,
        IVerifier sv,
        IPoseidon2 p2,
        IPoseidon4 p4,
        uint32 slots,
        uint64 deadline,
        uint64 batchSeconds,
        uint64 window
    ) internal {
        vm.expectRevert(reason);
        _deploy(v, sv, p2, p4, slots, deadline, batchSeconds, window);
    }

    function test_constructorChecks() public {
        (IPoseidon2 p2, IPoseidon4 p4) = poseidons();
        IVerifier v = verifier;
        IVerifier none = IVerifier(address(0));
        MockVerifier swapV = new MockVerifier(1, N);
        // verifiers: code, and the circuit they say they verify (kind and N)
        _refused("zkamm: verifier has no code", IVerifier(address(0xBEEF)), none, p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier has no code", none, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier is for another circuit", v, none, p2, p4, N + 1, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier is for another circuit", swapV, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier is for another circuit", v, v, p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier is for another circuit", v, new MockVerifier(1, 2 * N), p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        // code that is no verifier at all (no batchCircuit)
        IVerifier notVerifier = IVerifier(address(new TestERC20()));
        _refused("zkamm: verifier is for another circuit", notVerifier, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: verifier has no code", v, IVerifier(address(0xBEEF)), p2, p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        // Poseidon: code, and circomlib's hash with the right arity
        _refused("zkamm: Poseidon has no code", v, none, IPoseidon2(address(0)), p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: Poseidon has no code", v, none, p2, IPoseidon4(address(0xBEEF)), N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: not Poseidon(2)", v, none, IPoseidon2(address(p4)), IPoseidon4(address(p2)), N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: not Poseidon(4)", v, none, p2, IPoseidon4(address(p2)), N, DEADLINE, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: not Poseidon(2)", v, none, IPoseidon2(address(v)), p4, N, DEADLINE, PRIORITY_BATCH, WINDOW);
        // priority deadline: not zero, at least an hour, at most 30 days
        _refused("zkamm: priority deadline", v, none, p2, p4, N, 0, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: priority deadline", v, none, p2, p4, N, 1 hours - 1, 1, WINDOW);
        _refused("zkamm: priority deadline", v, none, p2, p4, N, 30 days + 1, PRIORITY_BATCH, WINDOW);
        _refused("zkamm: priority deadline", v, none, p2, p4, N, type(uint64).max, PRIORITY_BATCH, WINDOW);
        // rate: a positive interval that leaves the deadline at least as much again for latency
        _refused("zkamm: priority batch seconds", v, none, p2, p4, N, DEADLINE, 0, WINDOW);
        _refused("zkamm: priority batch seconds", v, none, p2, p4, N, DEADLINE, DEADLINE / 2 + 1, WINDOW);
        // timestamp window: 5 minutes .. 30 days
        _refused("zkamm: timestamp window", v, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, 0);
        _refused("zkamm: timestamp window", v, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, 5 minutes - 1);
        _refused("zkamm: timestamp window", v, none, p2, p4, N, DEADLINE, PRIORITY_BATCH, 30 days + 1);
        // every boundary value is accepted
        ZkammRollup r = _deploy(v, swapV, p2, p4, N, 1 hours, 30 minutes, 5 minutes);
        assert(r.priorityDeadlineSeconds() == 1 hours && r.priorityBatchSeconds() == 30 minutes);
        assert(r.timestampWindow() == 5 minutes && address(r.swapVerifier()) == address(swapV));
        r = _deploy(v, none, p2, p4, N, 30 days, 15 days, 30 days);
        assert(r.exodusModule().code.length > 0);
    }
}
