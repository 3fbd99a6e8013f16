// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ZkammRollup} from "../src/ZkammRollup.sol";
import {IPoseidon2, IPoseidon4} from "../src/IPoseidon.sol";
import {RollupTestBase, MockVerifier} from "./RollupTestBase.sol";
// Written by tests/e2e/contracts.sh (contracts_fixture.js): registration signatures by circomlibjs
// and by the C++ signer for OWNER on the rollup deployed here from DEPLOYER.
import {RegistrationFixture} from "../src/generated/RegistrationFixture.sol";

/// Key ownership at registration (issue 15 item 6; docs/CONTRACTS.md): registerAccount and
/// registerAndDepositETH take a key only with its signature on (chain, rollup, msg.sender), so
/// nobody can register, and then own the exits of, a key they do not hold.
contract ZkammKeyOwnershipTest is RollupTestBase {
    uint256 internal constant L = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    address internal constant OWNER = RegistrationFixture.OWNER; // holds the fixture's keys
    address internal constant MALLORY = address(0xBAD);
    address internal constant BOB = address(0xB0B);
    uint32 internal constant N = 4;
    ZkammRollup internal rollup;
    MockVerifier internal verifier;

    function setUp() public {
        vm.warp(T0);
        verifier = new MockVerifier(0, N);
        // deployed first: the prank below must reach the rollup's creation
        keyVerifier();
        poseidons();
        uint256 genesis = rootOf("genesis");
        vm.prank(RegistrationFixture.DEPLOYER);
        rollup = deployRollup(verifier, genesis, N);
        // The fixture signed for this address (CREATE from DEPLOYER at nonce 0).
        require(address(rollup) == RegistrationFixture.ROLLUP, "rollup not at the fixture's address");
        vm.deal(OWNER, 10 ether);
        vm.deal(MALLORY, 10 ether);
        vm.deal(BOB, 10 ether);
    }

    function _expectRefused(address sender, uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) internal {
        vm.prank(sender);
        vm.expectRevert(bytes("zkamm: key signature"));
        rollup.registerAccount(x, y, r8x, r8y, s);
        vm.prank(sender);
        vm.expectRevert(bytes("zkamm: key signature"));
        rollup.registerAndDepositETH{value: 1 ether}(x, y, r8x, r8y, s);
    }

    /// circomlibjs' and the C++ signer's registrations go through, the latter as the exact
    /// calldata `zkamm wallet register` prints.
    function test_acceptsCircomlibjsAndCppRegistrations() public {
        (uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        vm.prank(OWNER);
        assert(rollup.registerAccount(x, y, r8x, r8y, s) == 1);
        assert(rollup.owner(1) == OWNER && rollup.priorityOp(0).pubkey == rollup.packPubKey(x, y));
        for (uint256 i = 0; i < RegistrationFixture.KEYS; i++) {
            (x, y, r8x, r8y, s) = RegistrationFixture.cpp(i);
            bytes memory data = RegistrationFixture.calldataCpp(i);
            assert(keccak256(data) == keccak256(abi.encodeCall(ZkammRollup.registerAccount, (x, y, r8x, r8y, s))));
            vm.prank(OWNER);
            (bool ok, bytes memory ret) = address(rollup).call(data);
            assert(ok && abi.decode(ret, (uint32)) == i + 2);
            assert(rollup.owner(uint32(i + 2)) == OWNER);
        }
        (x, y, r8x, r8y, s) = RegistrationFixture.circomlibjs(1);
        vm.prank(OWNER);
        assert(rollup.registerAndDepositETH{value: 1 ether}(x, y, r8x, r8y, s) == 4);
        assert(rollup.numAccounts() == 4 && rollup.totalPriorityOps() == 5 && address(rollup).balance == 1 ether);
    }

    /// A front-runner that copies the owner's pending registration (same key and signature, its
    /// own msg.sender) is refused.
    function test_refusesFrontRunner() public {
        (uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        _expectRefused(MALLORY, x, y, r8x, r8y, s);
        (x, y, r8x, r8y, s) = RegistrationFixture.cpp(1);
        _expectRefused(MALLORY, x, y, r8x, r8y, s);
        assert(rollup.numAccounts() == 0 && rollup.totalPriorityOps() == 0);
    }

    /// A signature for this rollup on this chain is useless on another chain or rollup.
    function test_refusesOtherChainOrRollup() public {
        (uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        vm.chainId(1);
        _expectRefused(OWNER, x, y, r8x, r8y, s);
        vm.chainId(RegistrationFixture.CHAIN_ID);
        ZkammRollup other = deployRollup(verifier, rootOf("genesis"), N);
        vm.prank(OWNER);
        vm.expectRevert(bytes("zkamm: key signature"));
        other.registerAccount(x, y, r8x, r8y, s);
        vm.prank(OWNER);
        assert(rollup.registerAccount(x, y, r8x, r8y, s) == 1);
    }

    /// Each broken rule of EdDSA-Poseidon is refused by the rollup (the verifier's own tests are
    /// in EdDSAPoseidonVerifier.t.sol).
    function test_refusesBrokenSignatures() public {
        (uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        _expectRefused(OWNER, x, y, r8x, r8y, s + L); // S >= l (valid but for the range check)
        _expectRefused(OWNER, x, y, r8x, r8y, L);
        _expectRefused(OWNER, x, y, r8x, r8y, addmod(s, 1, L));
        _expectRefused(OWNER, x, y, r8x, addmod(r8y, 1, R), s); // R8 off the curve
        _expectRefused(OWNER, x, y, R - r8x, r8y, s); // R8 tampered (-R8, on the curve)
        _expectRefused(OWNER, x, y, r8x + R, r8y, s); // R8 not canonical
        _expectRefused(OWNER, x, y, 0, 0, 0); // no signature
        (uint256 x1, uint256 y1,,,) = RegistrationFixture.circomlibjs(1);
        _expectRefused(OWNER, x1, y1, r8x, r8y, s); // another key's signature
        // A key of order 4 unpacks on the L2 (x != 0), and anyone can sign for it: refused.
        rollup.packPubKey(RegistrationFixture.SMALL_X, RegistrationFixture.SMALL_Y);
        (r8x, r8y, s) = RegistrationFixture.smallOrderForgery();
        _expectRefused(OWNER, RegistrationFixture.SMALL_X, RegistrationFixture.SMALL_Y, r8x, r8y, s);
        assert(rollup.numAccounts() == 0 && rollup.totalPriorityOps() == 0 && address(rollup).balance == 0);
    }

    /// The attack of issue 15 item 6: a squatter registering someone else's key would own the
    /// account's full exits and exodus payouts. Now the squatter cannot register the key, neither
    /// without a signature nor with the holder's; the holder's account gets the funds sent to the
    /// key, and only the holder can take them out.
    function test_squattedKeyCannotTakeFunds() public {
        (uint256 x, uint256 y, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        _expectRefused(MALLORY, x, y, 0, 0, 0);
        _expectRefused(MALLORY, x, y, r8x, r8y, s); // copied from OWNER's transaction
        // A signature the squatter makes for itself needs the key's secret; its own key's does not fit.
        (,, uint256 o8x, uint256 o8y, uint256 os) = RegistrationFixture.circomlibjs(1);
        _expectRefused(MALLORY, x, y, o8x, o8y, os);
        assert(rollup.numAccounts() == 0);

        vm.prank(OWNER);
        uint32 account = rollup.registerAccount(x, y, r8x, r8y, s); // serial 0
        bytes32 packed = rollup.packPubKey(x, y);
        // a payment to the key's account (serial 1)
        vm.prank(BOB);
        rollup.deposit{value: 2 ether}(account, 0, 2 ether);
        vm.prank(MALLORY);
        vm.expectRevert(bytes("zkamm: not owner"));
        rollup.requestFullExit(account, 0);
        vm.prank(OWNER);
        rollup.requestFullExit(account, 0); // serial 2
        rollup.commitBatch(
            header(1, uint64(T0), rootOf("genesis"), rootOf("s1"), 0, 3, N),
            slots4(createAccountSlot(account, packed), depositSlot(account, 0, 2 ether), fullExitSlot(account, 0, 2 ether), noopSlot())
        );
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(1, a, b, c);
        rollup.executeBatch(
            1, abi.encodePacked(createAccountSlot(account, packed), depositSlot(account, 0, 2 ether), fullExitSlot(account, 0, 2 ether))
        );
        assert(rollup.pendingWithdrawals(OWNER, 0) == 2 ether && rollup.pendingWithdrawals(MALLORY, 0) == 0);
        // exodus payouts go to owner[account] too
        assert(rollup.owner(account) == OWNER);
    }
}
