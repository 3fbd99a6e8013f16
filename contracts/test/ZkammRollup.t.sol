// SPDX-License-Identifier: MIT
pragma solidity ^0.8.21; // emit ZkammStorage.Event(...)

import {ZkammRollup, ZkammStorage} from "../src/ZkammRollup.sol";
import {IVerifier} from "../src/IVerifier.sol";
import {RollupTestBase, TestERC20, MockVerifier} from "./RollupTestBase.sol";
// Written by tests/e2e/contracts.sh: Baby Jubjub keys and their circomlibjs packPoint.
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";

/// The rollup with a mock verifier (proofs are checked for real in ZkammGroth16.t.sol): account
/// keys (packing against circomlibjs, invalid keys), queue,
/// commit rules, lifecycle with exact ETH/ERC-20 balances, withdrawals, reverts, exodus activation.
contract ZkammRollupTest is RollupTestBase {
    ZkammRollup internal rollup;
    MockVerifier internal verifier;
    TestERC20 internal token;
    uint16 internal tokenId;
    uint256 internal aliceX;
    uint256 internal aliceY;
    bytes32 internal pkAlice; // circomlibjs packPoint of (aliceX, aliceY)
    uint256 internal bobX;
    uint256 internal bobY;
    bytes32 internal pkBob;

    address internal constant ALICE = address(0xA11CE);
    address internal constant BOB = address(0xB0B);
    address internal constant CAROL = address(0xC0FFEE);
    uint32 internal constant N = 4;

    function setUp() public {
        vm.warp(T0);
        (aliceX, aliceY, pkAlice) = PubKeyFixture.key(1);
        (bobX, bobY, pkBob) = PubKeyFixture.key(2);
        verifier = new MockVerifier(0, N);
        rollup = deployRollup(verifier, rootOf("genesis"), N);
        token = new TestERC20();
        tokenId = rollup.addToken(address(token));
        token.mint(ALICE, 10_000);
        token.mint(BOB, 10_000);
        vm.deal(ALICE, 100 ether);
        vm.deal(BOB, 100 ether);
        vm.prank(ALICE);
        token.approve(address(rollup), type(uint256).max);
        vm.prank(BOB);
        token.approve(address(rollup), type(uint256).max);
    }

    // ---- helpers ----

    /// serials 0 (create 1), 1 (ETH 5 ether to 1), 2 (1000 TST to 1)
    function _aliceOnboards() internal returns (uint32 account) {
        account = registerKeyAndDepositETH(rollup, ALICE, 1, 5 ether);
        vm.prank(ALICE);
        rollup.deposit(account, tokenId, 1000);
    }

    function _commit(bytes memory h, bytes memory p) internal {
        rollup.commitBatch(h, p);
    }

    function _prove(uint256 n) internal {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(n, a, b, c);
    }

    function _batch1() internal view returns (bytes memory h, bytes memory p) {
        p = slots4(
            createAccountSlot(1, pkAlice),
            depositSlot(1, 0, 5 ether),
            depositSlot(1, tokenId, 1000),
            withdrawSlot(1, tokenId, 300, CAROL)
        );
        h = header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 3, N);
    }

    // ---- registry, queue ----

    function test_tokenRegistry() public {
        assert(tokenId == 1);
        assert(rollup.tokenAddress(1) == address(token));
        vm.expectRevert(bytes("zkamm: token exists"));
        rollup.addToken(address(token));
        TestERC20 other = new TestERC20();
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: not governor"));
        rollup.addToken(address(other));
        vm.expectRevert(bytes("zkamm: not a contract"));
        rollup.addToken(address(0x1234));
    }

    function test_queueRecordsOps() public {
        uint32 a = _aliceOnboards();
        assert(a == 1 && rollup.owner(1) == ALICE && rollup.numAccounts() == 1);
        assert(rollup.totalPriorityOps() == 3);
        ZkammRollup.PriorityOp memory op = rollup.priorityOp(0);
        assert(op.opType == 10 && op.account == 1 && op.pubkey == pkAlice && op.deadline == T0 + DEADLINE);
        op = rollup.priorityOp(1);
        assert(op.opType == 1 && op.token == 0 && op.amount == 5 ether && op.sender == ALICE);
        op = rollup.priorityOp(2);
        assert(op.opType == 1 && op.token == 1 && op.amount == 1000);
        assert(token.balanceOf(address(rollup)) == 1000 && address(rollup).balance == 5 ether);
    }

    function test_depositRules() public {
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: unknown account"));
        rollup.deposit(1, 0, 1);
        _aliceOnboards();
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: wrong msg.value"));
        rollup.deposit{value: 1}(1, 0, 2);
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: zero amount"));
        rollup.deposit(1, 0, 0);
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: ETH sent with ERC-20"));
        rollup.deposit{value: 1}(1, tokenId, 1);
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: unknown token"));
        rollup.deposit(1, 2, 1);
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: token call failed"));
        rollup.deposit(1, tokenId, 20_000); // more than BOB holds
    }

    function test_fullExitOwnerOnly() public {
        _aliceOnboards();
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: not owner"));
        rollup.requestFullExit(1, tokenId);
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: unknown token"));
        rollup.requestFullExit(1, 7);
        vm.prank(ALICE);
        rollup.requestFullExit(1, tokenId);
        assert(rollup.priorityOp(3).opType == 2);
    }

    // ---- account keys (docs/BATCH.md section 4) ----

    /// The contract packs (x, y) exactly as circomlibjs babyjub.packPoint (both signs of x, a y
    /// with zero low bytes, a point outside the prime-order subgroup), and queues and emits that.
    function test_packPubKeyMatchesCircomlibjs() public {
        for (uint256 i = 0; i < PubKeyFixture.COUNT; i++) {
            (uint256 x, uint256 y, bytes32 packed) = PubKeyFixture.key(i);
            assert(rollup.packPubKey(x, y) == packed);
            // signed before expectEmit, which watches the next call
            (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, BOB, x, y, PubKeyFixture.dlog8(i));
            uint64 serial = rollup.totalPriorityOps();
            vm.expectEmit();
            emit ZkammStorage.AccountRegistered(uint32(i + 1), BOB, packed);
            vm.expectEmit();
            // all in one block: every N ops queued ahead add one PRIORITY_BATCH (test_priorityDeadlines)
            uint64 deadline = uint64(T0 + DEADLINE + (serial / N) * PRIORITY_BATCH);
            emit ZkammStorage.PriorityOpQueued(serial, 10, uint32(i + 1), 0, 0, packed, BOB, deadline);
            vm.prank(BOB);
            assert(rollup.registerAccount(x, y, r8x, r8y, s) == i + 1);
            ZkammRollup.PriorityOp memory op = rollup.priorityOp(serial);
            assert(op.opType == 10 && op.account == i + 1 && op.pubkey == packed && op.sender == BOB);
            assert(rollup.owner(uint32(i + 1)) == BOB);
        }
    }

    function _expectKeyRejected(uint256 x, uint256 y, bytes memory reason) internal {
        vm.expectRevert(reason);
        rollup.packPubKey(x, y);
        vm.prank(ALICE);
        vm.expectRevert(reason);
        rollup.registerAccount(x, y, 0, 0, 0); // the key is checked before the signature
        vm.prank(ALICE);
        vm.expectRevert(reason);
        rollup.registerAndDepositETH{value: 1 ether}(x, y, 0, 0, 0);
    }

    /// Keys the L2 could not unpack (ec::unpack_point) are refused, so every queued
    /// create_account can be executed by the L2.
    function test_registerRejectsInvalidKeys() public {
        _expectKeyRejected(aliceX, addmod(aliceY, 1, R), "zkamm: pubkey not on Baby Jubjub");
        _expectKeyRejected(1, 1, "zkamm: pubkey not on Baby Jubjub");
        _expectKeyRejected(aliceX, bobY, "zkamm: pubkey not on Baby Jubjub");
        // the same points with a coordinate + r (on the curve mod r, but not canonical)
        _expectKeyRejected(aliceX + R, aliceY, "zkamm: pubkey not canonical");
        _expectKeyRejected(aliceX, aliceY + R, "zkamm: pubkey not canonical");
        _expectKeyRejected(R, 1, "zkamm: pubkey not canonical");
        _expectKeyRejected(type(uint256).max, aliceY, "zkamm: pubkey not canonical");
        // the identity and the order-2 point (0, -1): on the curve, but they do not unpack
        _expectKeyRejected(0, 1, "zkamm: pubkey x is zero");
        _expectKeyRejected(0, R - 1, "zkamm: pubkey x is zero");
        assert(rollup.numAccounts() == 0 && rollup.totalPriorityOps() == 0 && address(rollup).balance == 0);
        // (r - x, y) is the negated point: valid, and only the sign bit of the packed key differs
        assert(rollup.packPubKey(R - aliceX, aliceY) == pkAlice ^ bytes32(uint256(0x80)));
    }

    // ---- lifecycle ----

    function test_fullLifecycleExactBalances() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        uint256 g = gasleft();
        _commit(h, p);
        logGas("commitBatch N=4 (mock verifier, execution only)", g - gasleft());
        assert(rollup.lastCommitted() == 1 && rollup.committedPriorityOps() == 3);
        assert(rollup.storedBatch(1).publicInput == uint256(sha256(abi.encodePacked(h, p))) & ((1 << 253) - 1));

        g = gasleft();
        _prove(1);
        logGas("proveBatch (mock verifier)", g - gasleft());
        g = gasleft();
        rollup.executeBatch(1, p);
        logGas("executeBatch N=4", g - gasleft());
        assert(rollup.lastExecutedRoot() == rootOf("root1") && rollup.executedPriorityOps() == 3);
        assert(rollup.priorityOp(1).opType == 0); // dequeued
        assert(rollup.pendingWithdrawals(CAROL, tokenId) == 300);

        // batch 2: an ETH withdraw and a full exit of the rest of the token balance
        vm.prank(ALICE);
        rollup.requestFullExit(1, tokenId);
        bytes memory p2 = slots4(withdrawSlot(1, 0, 2 ether, CAROL), fullExitSlot(1, tokenId, 700), noopSlot(), noopSlot());
        _commit(header(2, uint64(T0 + 10), rootOf("root1"), rootOf("root2"), 3, 1, N), p2);
        _prove(2);
        // only the on-chain slots: the two noops left out
        rollup.executeBatch(2, abi.encodePacked(withdrawSlot(1, 0, 2 ether, CAROL), fullExitSlot(1, tokenId, 700)));
        assert(rollup.lastExecutedRoot() == rootOf("root2"));

        vm.prank(CAROL);
        rollup.withdraw(tokenId);
        vm.prank(CAROL);
        rollup.withdraw(0);
        uint256 aliceTokens = token.balanceOf(ALICE);
        vm.prank(ALICE);
        rollup.withdraw(tokenId);
        assert(token.balanceOf(CAROL) == 300);
        assert(CAROL.balance == 2 ether);
        assert(token.balanceOf(ALICE) == aliceTokens + 700);
        assert(token.balanceOf(address(rollup)) == 0);
        assert(address(rollup).balance == 3 ether);
        assert(rollup.pendingWithdrawals(CAROL, 0) == 0);

        vm.prank(CAROL);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdraw(tokenId); // double withdrawal
        vm.prank(CAROL);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdraw(0);
    }

    /// A deposit is credited in full: the slot's amount must equal the queued one. Before the
    /// token cap, amount 0 meant "the balance would overflow, refund it", which a malicious
    /// operator could claim for any deposit (docs/CIRCUIT.md section 4).
    function test_commitRejectsDepositAmountNotQueued() public {
        _aliceOnboards();
        uint128[3] memory wrong = [uint128(0), 999, 1001];
        for (uint256 i = 0; i < wrong.length; i++) {
            bytes memory p = slots4(
                createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, wrong[i]), noopSlot()
            );
            vm.expectRevert(bytes("zkamm: deposit amount"));
            _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 3, N), p);
        }
        bytes memory ok = slots4(
            createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), noopSlot()
        );
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 3, N), ok);
        _prove(1);
        rollup.executeBatch(1, ok);
        // nothing is refunded or paid out by executing deposits
        assert(rollup.pendingWithdrawals(ALICE, tokenId) == 0 && rollup.pendingWithdrawals(ALICE, 0) == 0);
        assert(rollup.l2Holdings(tokenId) == 1000 && rollup.l2Holdings(0) == 5 ether);
    }

    /// l2Holdings[token] + amount must stay below 2^128, so no L2 balance can overflow.
    function test_depositTokenCap() public {
        _aliceOnboards();
        uint256 cap = rollup.TOKEN_CAP();
        assert(cap == 1 << 128);
        token.mint(BOB, cap);
        // 1000 are held: a deposit reaching exactly 2^128 reverts, one reaching 2^128 - 1 does not
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: token cap"));
        rollup.deposit(1, tokenId, uint128(cap - 1000));
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: token cap"));
        rollup.deposit(1, tokenId, type(uint128).max);
        vm.prank(BOB);
        rollup.deposit(1, tokenId, uint128(cap - 1001));
        assert(rollup.l2Holdings(tokenId) == cap - 1);
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: token cap"));
        rollup.deposit(1, tokenId, 1);
        // the cap is per token: ETH deposits go on
        vm.prank(BOB);
        rollup.deposit{value: 1 ether}(1, 0, 1 ether);
        assert(rollup.l2Holdings(0) == 6 ether);
        // registerAndDepositETH goes through the same check
        vm.deal(BOB, cap);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, BOB, bobX, bobY, PubKeyFixture.dlog8(2));
        vm.prank(BOB);
        vm.expectRevert(bytes("zkamm: token cap"));
        rollup.registerAndDepositETH{value: cap - 6 ether}(bobX, bobY, r8x, r8y, s);
        vm.prank(BOB);
        rollup.registerAndDepositETH{value: cap - 6 ether - 1}(bobX, bobY, r8x, r8y, s);
        assert(rollup.l2Holdings(0) == cap - 1);
    }

    /// l2Holdings: + queued deposits, - executed withdrawals and full exits, - exodus refunds.
    function test_holdingsFollowDepositsAndPayouts() public {
        _aliceOnboards();
        assert(rollup.l2Holdings(0) == 5 ether && rollup.l2Holdings(tokenId) == 1000);
        (bytes memory h, bytes memory p) = _batch1(); // withdraws 300 of the token to CAROL
        _commit(h, p);
        _prove(1);
        assert(rollup.l2Holdings(tokenId) == 1000); // committed and proven: not yet paid
        rollup.executeBatch(1, p);
        assert(rollup.l2Holdings(tokenId) == 700 && rollup.l2Holdings(0) == 5 ether);
        vm.prank(ALICE);
        rollup.requestFullExit(1, tokenId);
        bytes memory p2 = slots4(withdrawSlot(1, 0, 2 ether, CAROL), fullExitSlot(1, tokenId, 700), noopSlot(), noopSlot());
        _commit(header(2, uint64(T0 + 10), rootOf("root1"), rootOf("root2"), 3, 1, N), p2);
        _prove(2);
        rollup.executeBatch(2, p2);
        assert(rollup.l2Holdings(tokenId) == 0 && rollup.l2Holdings(0) == 3 ether);
        // with holdings freed, the cap admits a deposit up to 2^128 - 1 again
        token.mint(BOB, type(uint128).max);
        vm.prank(BOB);
        rollup.deposit(1, tokenId, type(uint128).max);
        assert(rollup.l2Holdings(tokenId) == type(uint128).max);
        // exodus: refunding the unexecuted deposit takes it off the holdings
        vm.warp(T0 + 10 + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
        exodusOf(rollup).refundDeposit(4);
        assert(rollup.l2Holdings(tokenId) == 0 && rollup.pendingWithdrawals(BOB, tokenId) == type(uint128).max);
    }

    /// A proof cannot pay out more of a token than the L2 can hold: executeBatch reverts
    /// (checked arithmetic) instead of paying out of other tokens' or future deposits' funds.
    function test_payoutBeyondHoldingsReverts() public {
        _aliceOnboards();
        bytes memory p = slots4(withdrawSlot(1, tokenId, 1001, CAROL), noopSlot(), noopSlot(), noopSlot());
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 0, N), p);
        _prove(1);
        vm.expectRevert(abi.encodeWithSignature("Panic(uint256)", uint256(0x11))); // underflow
        rollup.executeBatch(1, p);
    }

    function test_priorityOpsAcrossBatches() public {
        _aliceOnboards();
        bytes memory p1 = slots4(createAccountSlot(1, pkAlice), noopSlot(), noopSlot(), noopSlot());
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 1, N), p1);
        bytes memory p2 = slots4(depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), noopSlot(), noopSlot());
        // batch 2 must start at serial 1, not 0
        vm.expectRevert(bytes("zkamm: priority_first"));
        _commit(header(2, uint64(T0), rootOf("root1"), rootOf("root2"), 0, 2, N), p2);
        _commit(header(2, uint64(T0), rootOf("root1"), rootOf("root2"), 1, 2, N), p2);
        assert(rollup.committedPriorityOps() == 3);
    }

    // ---- commit rules (negative) ----

    function test_commitRejectsSkippedDeposit() public {
        _aliceOnboards();
        // the ETH deposit (serial 1) is skipped: serial 1 compared with the token deposit
        bytes memory p = slots4(createAccountSlot(1, pkAlice), depositSlot(1, tokenId, 1000), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: priority op token"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 2, N), p);
        // skipping the account creation too, by starting at serial 1
        p = slots4(depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: priority_first"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 1, 2, N), p);
    }

    function test_commitRejectsReorderedDeposits() public {
        _aliceOnboards();
        vm.prank(BOB);
        rollup.deposit(1, tokenId, 999); // serial 3
        bytes memory p = slots4(
            createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 999), depositSlot(1, tokenId, 1000)
        );
        vm.expectRevert(bytes("zkamm: deposit amount"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 4, N), p);
        p = slots4(
            depositSlot(1, 0, 5 ether), createAccountSlot(1, pkAlice), depositSlot(1, tokenId, 1000), depositSlot(1, tokenId, 999)
        );
        vm.expectRevert(bytes("zkamm: priority op type"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 4, N), p);
    }

    function test_commitRejectsWrongPriorityFields() public {
        _aliceOnboards();
        bytes memory h = header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 1, N);
        vm.expectRevert(bytes("zkamm: priority op pubkey"));
        _commit(h, slots4(createAccountSlot(1, pkBob), noopSlot(), noopSlot(), noopSlot()));
        vm.expectRevert(bytes("zkamm: priority op account"));
        _commit(h, slots4(createAccountSlot(2, pkAlice), noopSlot(), noopSlot(), noopSlot()));
        // a deposit that was never queued
        bytes memory p = slots4(
            createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), depositSlot(1, 0, 1)
        );
        vm.expectRevert(bytes("zkamm: priority op not queued"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 4, N), p);
        // priority_count not matching the slots
        vm.expectRevert(bytes("zkamm: priority_count"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 2, N), slots4(createAccountSlot(1, pkAlice), noopSlot(), noopSlot(), noopSlot()));
        // a deposit amount other than the queued one
        p = slots4(createAccountSlot(1, pkAlice), depositSlot(1, 0, 4 ether), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: deposit amount"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 2, N), p);
    }

    function test_commitRejectsBadHeader() public {
        bytes memory p = slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: batch number"));
        _commit(header(2, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), p);
        vm.expectRevert(bytes("zkamm: old root"));
        _commit(header(1, uint64(T0), rootOf("other"), rootOf("r"), 0, 0, N), p);
        vm.expectRevert(bytes("zkamm: timestamp in the future"));
        _commit(header(1, uint64(T0 + 3601), rootOf("genesis"), rootOf("r"), 0, 0, N), p);
        vm.expectRevert(bytes("zkamm: new root not canonical"));
        _commit(header(1, uint64(T0), rootOf("genesis"), R, 0, 0, N), p);
        vm.expectRevert(bytes("zkamm: num_slots"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, 8), p);
        vm.expectRevert(bytes("zkamm: pubdata length"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), abi.encodePacked(p, uint8(0)));
        vm.expectRevert(bytes("zkamm: header length"));
        _commit(abi.encodePacked(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), uint8(0)), p);
        vm.expectRevert(bytes("zkamm: unknown slot type"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), slots4(pad(abi.encodePacked(uint8(11))), noopSlot(), noopSlot(), noopSlot()));
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: not operator"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), p);
        // timestamp going backwards
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), p);
        vm.expectRevert(bytes("zkamm: timestamp before previous batch"));
        _commit(header(2, uint64(T0 - 1), rootOf("r"), rootOf("r2"), 0, 0, N), p);
    }

    /// The public input is the sha256 digest with its top 3 bits cleared, so always < 2^253 < r.
    function test_publicInputMasked() public {
        bytes memory p = slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
        bytes memory h;
        uint256 digest;
        uint64 ts = uint64(T0);
        for (; ; ts++) { // find a header whose digest has a top bit set (1 in 8 do not)
            h = header(1, ts, rootOf("genesis"), rootOf("r"), 0, 0, N);
            digest = uint256(sha256(abi.encodePacked(h, p)));
            if (digest >= R) break;
        }
        vm.warp(ts);
        _commit(h, p);
        uint256 input = rollup.storedBatch(1).publicInput;
        assert(input == digest & ((1 << 253) - 1) && input < R && input != digest);
    }

    // ---- prove / execute order (negative) ----

    function test_proveBeforeCommitReverts() public {
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        vm.expectRevert(bytes("zkamm: batch not committed"));
        rollup.proveBatch(1, a, b, c);
    }

    function test_executeBeforeProveReverts() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        _commit(h, p);
        vm.expectRevert(bytes("zkamm: batch not proven"));
        rollup.executeBatch(1, p);
        _prove(1);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        vm.expectRevert(bytes("zkamm: not the next batch to prove"));
        rollup.proveBatch(1, a, b, c); // proving again
        bytes memory other = slots4(createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), withdrawSlot(1, tokenId, 301, CAROL));
        vm.expectRevert(bytes("zkamm: pubdata mismatch"));
        rollup.executeBatch(1, other);
        // an on-chain slot left out, or the slots reordered
        vm.expectRevert(bytes("zkamm: pubdata mismatch"));
        rollup.executeBatch(1, abi.encodePacked(createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000)));
        vm.expectRevert(bytes("zkamm: pubdata mismatch"));
        rollup.executeBatch(1, abi.encodePacked(createAccountSlot(1, pkAlice), depositSlot(1, tokenId, 1000), depositSlot(1, 0, 5 ether), withdrawSlot(1, tokenId, 300, CAROL)));
        vm.expectRevert(bytes("zkamm: ops length"));
        rollup.executeBatch(1, abi.encodePacked(p, uint8(0)));
        rollup.executeBatch(1, p);
        vm.expectRevert(bytes("zkamm: not the next batch to execute"));
        rollup.executeBatch(1, p);
    }

    function test_invalidProofReverts() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        _commit(h, p);
        verifier.setAccept(false);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(1, a, b, c);
    }

    function test_revertBatchesRequeuesOps() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        _commit(h, p);
        _prove(1);
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: not operator"));
        rollup.revertBatches(0);
        rollup.revertBatches(0);
        assert(rollup.lastCommitted() == 0 && rollup.lastProven() == 0 && rollup.committedPriorityOps() == 0);
        assert(rollup.storedBatch(1).publicInput == 0);
        // the same ops can be committed again
        _commit(h, p);
        _prove(1);
        rollup.executeBatch(1, p);
        vm.expectRevert(bytes("zkamm: bad revert target"));
        rollup.revertBatches(0); // executed batches stay
    }

    // ---- exodus activation (the Merkle exits are in ZkammExodus.t.sol) ----

    function test_exodusBeforeDeadlineReverts() public {
        vm.expectRevert(bytes("zkamm: no outstanding priority op"));
        exodusOf(rollup).activateExodus();
        _aliceOnboards();
        vm.warp(T0 + DEADLINE);
        vm.expectRevert(bytes("zkamm: priority op not overdue"));
        exodusOf(rollup).activateExodus();
        // ops committed but not executed still count as outstanding
        (, bytes memory p) = _batch1();
        _commit(header(1, uint64(T0 + DEADLINE), rootOf("genesis"), rootOf("root1"), 0, 3, N), p);
        vm.warp(T0 + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
        assert(rollup.exodusMode());
        vm.expectRevert(bytes("zkamm: exodus mode"));
        exodusOf(rollup).activateExodus();
    }

    function test_executedOpsDoNotTriggerExodus() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        _commit(h, p);
        _prove(1);
        rollup.executeBatch(1, p);
        vm.warp(T0 + 30 days);
        vm.expectRevert(bytes("zkamm: no outstanding priority op"));
        exodusOf(rollup).activateExodus();
    }

    function test_exodusFreezesAndRefunds() public {
        _aliceOnboards();
        vm.warp(T0 + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
        (bytes memory h, bytes memory p) = _batch1();
        vm.expectRevert(bytes("zkamm: exodus mode"));
        _commit(h, p);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, ALICE, bobX, bobY, PubKeyFixture.dlog8(2));
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: exodus mode"));
        rollup.registerAccount(bobX, bobY, r8x, r8y, s);
        vm.expectRevert(bytes("zkamm: not a deposit (or refunded)"));
        exodusOf(rollup).refundDeposit(0); // create_account
        exodusOf(rollup).refundDeposit(1);
        exodusOf(rollup).refundDeposit(2);
        vm.expectRevert(bytes("zkamm: not a deposit (or refunded)"));
        exodusOf(rollup).refundDeposit(2);
        vm.expectRevert(bytes("zkamm: not an outstanding op"));
        exodusOf(rollup).refundDeposit(3);
        uint256 ethBefore = ALICE.balance;
        uint256 tokBefore = token.balanceOf(ALICE);
        vm.prank(ALICE);
        rollup.withdraw(0);
        vm.prank(ALICE);
        rollup.withdraw(tokenId);
        assert(ALICE.balance == ethBefore + 5 ether && token.balanceOf(ALICE) == tokBefore + 1000);
    }

    function test_refundOnlyInExodus() public {
        _aliceOnboards();
        vm.expectRevert(bytes("zkamm: not in exodus mode"));
        exodusOf(rollup).refundDeposit(1);
    }

    // ---- commitProveExecute: one transaction per batch (or per run of batches) ----

    /// Settles (header, pubdata) pairs with commitProveExecute, mock proofs.
    function _settle(bytes memory h, bytes memory p) internal {
        bytes[] memory hs = new bytes[](1);
        bytes[] memory ps = new bytes[](1);
        hs[0] = h;
        ps[0] = p;
        rollup.commitProveExecute(hs, ps, new uint256[8][](1));
    }

    function _settle2(bytes memory h1, bytes memory p1, bytes memory h2, bytes memory p2) internal {
        bytes[] memory hs = new bytes[](2);
        bytes[] memory ps = new bytes[](2);
        (hs[0], hs[1], ps[0], ps[1]) = (h1, h2, p1, p2);
        rollup.commitProveExecute(hs, ps, new uint256[8][](2));
    }

    /// The lifecycle of test_fullLifecycleExactBalances with batches settled in one transaction,
    /// mixed with the pipelined path, and two batches in one call.
    function test_commitProveExecuteLifecycle() public {
        _aliceOnboards();
        (bytes memory h, bytes memory p) = _batch1();
        vm.expectEmit();
        emit ZkammStorage.BatchCommitted(1, rootOf("root1"), uint256(sha256(abi.encodePacked(h, p))) & ((1 << 253) - 1), keccak256(abi.encodePacked(h, p)), 0, 3);
        vm.expectEmit();
        emit ZkammStorage.BatchProven(1);
        vm.expectEmit();
        emit ZkammStorage.BatchExecuted(1, rootOf("root1"));
        _settle(h, p);
        assert(rollup.lastCommitted() == 1 && rollup.lastProven() == 1 && rollup.lastExecuted() == 1);
        assert(rollup.lastExecutedRoot() == rootOf("root1"));
        assert(rollup.committedPriorityOps() == 3 && rollup.executedPriorityOps() == 3);
        assert(rollup.priorityOp(0).opType == 0 && rollup.priorityOp(2).opType == 0); // dequeued
        assert(rollup.pendingWithdrawals(CAROL, tokenId) == 300 && rollup.l2Holdings(tokenId) == 700);
        assert(rollup.storedBatch(1).newRoot == 0); // nothing stored
        // replaying batch 1 fails: batch number and old root have moved on
        vm.expectRevert(bytes("zkamm: batch number"));
        _settle(h, p);

        // batch 2 on the pipelined path: old root = the settled batch's new root
        bytes memory noops = slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: timestamp before previous batch"));
        _commit(header(2, uint64(T0 - 1), rootOf("root1"), rootOf("root2"), 3, 0, N), noops);
        _commit(header(2, uint64(T0 + 5), rootOf("root1"), rootOf("root2"), 3, 0, N), noops);
        // not while a committed batch is pending
        vm.expectRevert(bytes("zkamm: batches pending"));
        _settle(header(3, uint64(T0 + 6), rootOf("root2"), rootOf("root3"), 3, 0, N), noops);
        _prove(2);
        vm.expectRevert(bytes("zkamm: batches pending"));
        _settle(header(3, uint64(T0 + 6), rootOf("root2"), rootOf("root3"), 3, 0, N), noops);
        rollup.executeBatch(2, "");

        // batches 3 and 4 in one call: an ETH withdraw and a full exit of the token balance
        vm.prank(ALICE);
        rollup.requestFullExit(1, tokenId); // serial 3
        bytes memory p3 = slots4(withdrawSlot(1, 0, 2 ether, CAROL), noopSlot(), noopSlot(), noopSlot());
        bytes memory p4 = slots4(noopSlot(), fullExitSlot(1, tokenId, 700), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: timestamp before previous batch")); // batch 2's timestamp counts
        _settle(header(3, uint64(T0 + 4), rootOf("root2"), rootOf("root3"), 3, 0, N), p3);
        // batch 4 must chain on batch 3 of the same call
        vm.expectRevert(bytes("zkamm: old root"));
        _settle2(
            header(3, uint64(T0 + 6), rootOf("root2"), rootOf("root3"), 3, 0, N), p3,
            header(4, uint64(T0 + 7), rootOf("root2"), rootOf("root4"), 3, 1, N), p4
        );
        _settle2(
            header(3, uint64(T0 + 6), rootOf("root2"), rootOf("root3"), 3, 0, N), p3,
            header(4, uint64(T0 + 7), rootOf("root3"), rootOf("root4"), 3, 1, N), p4
        );
        assert(rollup.lastExecuted() == 4 && rollup.lastCommitted() == 4 && rollup.lastExecutedRoot() == rootOf("root4"));
        assert(rollup.executedPriorityOps() == 4 && rollup.committedPriorityOps() == 4);
        assert(rollup.l2Holdings(tokenId) == 0 && rollup.l2Holdings(0) == 3 ether);

        uint256 aliceTokens = token.balanceOf(ALICE);
        vm.prank(CAROL);
        rollup.withdraw(tokenId);
        vm.prank(CAROL);
        rollup.withdraw(0);
        vm.prank(ALICE);
        rollup.withdraw(tokenId);
        assert(token.balanceOf(CAROL) == 300 && CAROL.balance == 2 ether);
        assert(token.balanceOf(ALICE) == aliceTokens + 700 && token.balanceOf(address(rollup)) == 0);
        vm.prank(CAROL);
        vm.expectRevert(bytes("zkamm: nothing to withdraw"));
        rollup.withdraw(0); // double withdrawal

        // the pipelined path goes on after settled batches
        _commit(header(5, uint64(T0 + 8), rootOf("root4"), rootOf("root5"), 4, 0, N), noops);
        rollup.revertBatches(4);
        assert(rollup.lastCommitted() == 4 && rollup.committedPriorityOps() == 4);
    }

    /// commitBatch's rules hold in commitProveExecute: skipped, reordered or invented priority
    /// operations, bad headers, a rejected proof, a non-operator, exodus mode, bad arrays.
    function test_commitProveExecuteRejects() public {
        _aliceOnboards();
        bytes memory h4 = header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 4, N);
        // an invented deposit
        vm.expectRevert(bytes("zkamm: priority op not queued"));
        _settle(h4, slots4(createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), depositSlot(1, 0, 1)));
        vm.prank(BOB);
        rollup.deposit(1, tokenId, 999); // serial 3
        // skipped ETH deposit
        vm.expectRevert(bytes("zkamm: priority op token"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 2, N),
            slots4(createAccountSlot(1, pkAlice), depositSlot(1, tokenId, 1000), noopSlot(), noopSlot()));
        vm.expectRevert(bytes("zkamm: priority_first"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 1, 2, N),
            slots4(depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 1000), noopSlot(), noopSlot()));
        // reordered deposits
        vm.expectRevert(bytes("zkamm: deposit amount"));
        _settle(h4, slots4(createAccountSlot(1, pkAlice), depositSlot(1, 0, 5 ether), depositSlot(1, tokenId, 999), depositSlot(1, tokenId, 1000)));
        vm.expectRevert(bytes("zkamm: priority op type"));
        _settle(h4, slots4(depositSlot(1, 0, 5 ether), createAccountSlot(1, pkAlice), depositSlot(1, tokenId, 1000), depositSlot(1, tokenId, 999)));
        // a wrong count, a wrong key
        vm.expectRevert(bytes("zkamm: priority_count"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 2, N), slots4(createAccountSlot(1, pkAlice), noopSlot(), noopSlot(), noopSlot()));
        vm.expectRevert(bytes("zkamm: priority op pubkey"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 1, N), slots4(createAccountSlot(1, pkBob), noopSlot(), noopSlot(), noopSlot()));
        // header fields
        bytes memory noops = slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: batch number"));
        _settle(header(2, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), noops);
        vm.expectRevert(bytes("zkamm: old root"));
        _settle(header(1, uint64(T0), rootOf("other"), rootOf("r"), 0, 0, N), noops);
        vm.expectRevert(bytes("zkamm: timestamp in the future"));
        _settle(header(1, uint64(T0 + 3601), rootOf("genesis"), rootOf("r"), 0, 0, N), noops);
        vm.expectRevert(bytes("zkamm: new root not canonical"));
        _settle(header(1, uint64(T0), rootOf("genesis"), R, 0, 0, N), noops);
        vm.expectRevert(bytes("zkamm: num_slots"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, 8), noops);
        vm.expectRevert(bytes("zkamm: pubdata length"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), abi.encodePacked(noops, uint8(0)));
        vm.expectRevert(bytes("zkamm: header length"));
        _settle(abi.encodePacked(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), uint8(0)), noops);
        vm.expectRevert(bytes("zkamm: unknown slot type"));
        _settle(header(1, uint64(T0), rootOf("genesis"), rootOf("r"), 0, 0, N), slots4(pad(abi.encodePacked(uint8(11))), noopSlot(), noopSlot(), noopSlot()));
        // arrays
        vm.expectRevert(bytes("zkamm: batch arrays"));
        rollup.commitProveExecute(new bytes[](0), new bytes[](0), new uint256[8][](0));
        vm.expectRevert(bytes("zkamm: batch arrays"));
        rollup.commitProveExecute(new bytes[](1), new bytes[](1), new uint256[8][](2));
        // a rejected proof: nothing happens, payouts included
        (bytes memory h, bytes memory p) = _batch1();
        h = header(1, uint64(T0), rootOf("genesis"), rootOf("root1"), 0, 3, N);
        verifier.setAccept(false);
        vm.expectRevert(bytes("zkamm: invalid proof"));
        _settle(h, p);
        verifier.setAccept(true);
        assert(rollup.lastCommitted() == 0 && rollup.pendingWithdrawals(CAROL, tokenId) == 0 && rollup.priorityOp(0).opType == 10);
        // a rejected proof for the second batch of a call undoes the first
        verifier.setAccept(false);
        vm.expectRevert(bytes("zkamm: invalid proof"));
        _settle2(h, p, header(2, uint64(T0), rootOf("root1"), rootOf("r2"), 3, 0, N), noops);
        verifier.setAccept(true);
        assert(rollup.lastExecuted() == 0 && rollup.lastExecutedRoot() == rootOf("genesis"));
        // operator only
        vm.prank(ALICE);
        vm.expectRevert(bytes("zkamm: not operator"));
        _settle(h, p);
        // exodus mode
        vm.warp(T0 + DEADLINE + 1);
        exodusOf(rollup).activateExodus();
        vm.expectRevert(bytes("zkamm: exodus mode"));
        _settle(h, p);
    }

    function test_constructorRejectsZeroGenesis() public {
        vm.expectRevert(bytes("zkamm: bad genesis root"));
        deployRollup(verifier, 0, N);
    }

    // ---- swap batches (kind 1: the swap circuit's verifier, 10-byte slots, nothing on-chain) ----

    /// A rollup whose universal verifier rejects everything and whose swap verifier accepts:
    /// every accepted proof below went to the swap verifier.
    function _swapRollup() internal returns (MockVerifier swapVerifier) {
        swapVerifier = new MockVerifier(1, N);
        verifier.setAccept(false);
        rollup = deployRollup(verifier, swapVerifier, rootOf("genesis"), N);
    }

    function _swapPubdata(uint8 seed) internal pure returns (bytes memory p) {
        p = new bytes(10 * N);
        for (uint256 i = 0; i < p.length; i++) {
            p[i] = bytes1(uint8(uint256(keccak256(abi.encodePacked(seed, i)))));
        }
    }

    function test_swapBatchLifecycle() public {
        MockVerifier swapVerifier = _swapRollup();
        bytes memory p = _swapPubdata(1);
        bytes memory h = header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 0, swapKind(N));
        uint256 g = gasleft();
        _commit(h, p);
        logGas("commitBatch swap batch N=4 (execution only)", g - gasleft());
        ZkammRollup.StoredBatch memory b = rollup.storedBatch(1);
        assert(b.kind == 1 && b.onchainOpsHash == bytes32(0) && b.priorityCount == 0);
        assert(b.publicInput == uint256(sha256(abi.encodePacked(h, p))) & ((1 << 253) - 1));
        _prove(1); // the universal verifier would reject
        rollup.executeBatch(1, "");
        assert(rollup.lastExecuted() == 1 && rollup.lastExecutedRoot() == rootOf("s1"));
        // a universal batch after it still goes to the universal verifier
        _commit(header(2, uint64(T0), rootOf("s1"), rootOf("u2"), 0, 0, N), slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot()));
        (uint256[2] memory a, uint256[2][2] memory bb, uint256[2] memory c) = emptyProof();
        vm.expectRevert(bytes("zkamm: invalid proof"));
        rollup.proveBatch(2, a, bb, c);
        verifier.setAccept(true);
        swapVerifier.setAccept(false);
        rollup.proveBatch(2, a, bb, c);
    }

    function test_swapBatchRejects() public {
        bytes memory p = _swapPubdata(2);
        bytes memory h = header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 0, swapKind(N));
        vm.expectRevert(bytes("zkamm: swap batches off")); // no swap verifier
        _commit(h, p);
        _swapRollup();
        vm.expectRevert(bytes("zkamm: pubdata length")); // 42-byte slots
        _commit(h, slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot()));
        vm.expectRevert(bytes("zkamm: batch kind"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 0, (uint32(2) << 24) | N), p);
        vm.expectRevert(bytes("zkamm: num_slots"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 0, swapKind(N + 1)), p);
        // queued priority operations cannot ride in a swap batch
        registerKeyAndDepositETH(rollup, ALICE, 1, 1 ether);
        vm.expectRevert(bytes("zkamm: priority_count"));
        _commit(header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 2, swapKind(N)), p);
        _commit(h, p);
    }

    /// commitProveExecute: swap batches share the swap verifier's batched check; a call that
    /// mixes kinds checks each proof with its own verifier.
    function test_swapBatchesSettleInOneTransaction() public {
        MockVerifier swapVerifier = _swapRollup();
        bytes memory h1 = header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 0, swapKind(N));
        bytes memory h2 = header(2, uint64(T0), rootOf("s1"), rootOf("s2"), 0, 0, swapKind(N));
        _settle2(h1, _swapPubdata(1), h2, _swapPubdata(2));
        assert(rollup.lastExecuted() == 2 && rollup.lastExecutedRoot() == rootOf("s2"));
        bytes memory u3 = header(3, uint64(T0), rootOf("s2"), rootOf("u3"), 0, 0, N);
        bytes memory s4 = header(4, uint64(T0), rootOf("u3"), rootOf("s4"), 0, 0, swapKind(N));
        bytes memory noops = slots4(noopSlot(), noopSlot(), noopSlot(), noopSlot());
        vm.expectRevert(bytes("zkamm: invalid proof")); // the universal batch's proof is rejected
        _settle2(u3, noops, s4, _swapPubdata(4));
        verifier.setAccept(true);
        swapVerifier.setAccept(false);
        vm.expectRevert(bytes("zkamm: invalid proof")); // now the swap batch's
        _settle2(u3, noops, s4, _swapPubdata(4));
        swapVerifier.setAccept(true);
        _settle2(u3, noops, s4, _swapPubdata(4));
        assert(rollup.lastExecuted() == 4 && rollup.lastExecutedRoot() == rootOf("s4"));
    }
}
