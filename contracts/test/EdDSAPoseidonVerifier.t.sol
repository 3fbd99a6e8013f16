// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {EdDSAPoseidonVerifier} from "../src/EdDSAPoseidonVerifier.sol";
import {IPoseidon2, IPoseidon5} from "../src/IPoseidon.sol";
import {RollupTestBase} from "./RollupTestBase.sol";
import {BabyJubTestSigner} from "./BabyJubTestSigner.sol";
// Written by tests/e2e/contracts.sh (contracts_fixture.js): circomlibjs' Poseidon contracts, and
// registration signatures by circomlibjs and by the C++ signer (`zkamm wallet register`).
import {PoseidonCode} from "../src/generated/PoseidonCode.sol";
import {RegistrationFixture} from "../src/generated/RegistrationFixture.sol";

/// EdDSAPoseidonVerifier against the oracles: the registration message as circomlibjs computes
/// it, signatures by circomlibjs signPoseidon and by the C++ signer accepted, and each rule of
/// EdDSA-Poseidon (S < l, R8 and A on the curve and canonical, the equation, the key's order, the
/// message's binding of chain, rollup and owner) enforced.
contract EdDSAPoseidonVerifierTest is RollupTestBase {
    uint256 internal constant L = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    address internal constant FRONT_RUNNER = address(0xBAD);
    EdDSAPoseidonVerifier internal v;

    function setUp() public {
        v = new EdDSAPoseidonVerifier(IPoseidon2(deployCode(PoseidonCode.inputs2())), IPoseidon5(deployCode(PoseidonCode.inputs5())));
        // The fixture's signatures name forge's default chain id.
        require(block.chainid == RegistrationFixture.CHAIN_ID, "chain id");
    }

    function _valid(uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) internal view returns (bool) {
        return v.verifyRegistration(RegistrationFixture.ROLLUP, RegistrationFixture.OWNER, ax, ay, r8x, r8y, s);
    }

    function test_registrationMessageMatchesCircomlibjsAndCpp() public view {
        uint256 m = v.registrationMessage(RegistrationFixture.CHAIN_ID, RegistrationFixture.ROLLUP, RegistrationFixture.OWNER);
        assert(m == RegistrationFixture.MESSAGE);
        for (uint256 i = 0; i < RegistrationFixture.KEYS; i++) {
            assert(RegistrationFixture.messageCpp(i) == m);
        }
        // every bound field changes it
        assert(v.registrationMessage(1, RegistrationFixture.ROLLUP, RegistrationFixture.OWNER) != m);
        assert(v.registrationMessage(RegistrationFixture.CHAIN_ID, address(0x1234), RegistrationFixture.OWNER) != m);
        assert(v.registrationMessage(RegistrationFixture.CHAIN_ID, RegistrationFixture.ROLLUP, FRONT_RUNNER) != m);
    }

    function test_circomlibjsSignaturesAccepted() public view {
        for (uint256 i = 0; i < RegistrationFixture.KEYS; i++) {
            (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(i);
            assert(_valid(ax, ay, r8x, r8y, s));
            assert(v.verify(ax, ay, r8x, r8y, s, RegistrationFixture.MESSAGE));
        }
        (uint256 gx, uint256 gy, uint256 gr8x, uint256 gr8y, uint256 gs) = RegistrationFixture.generic();
        assert(v.verify(gx, gy, gr8x, gr8y, gs, RegistrationFixture.GENERIC_M));
        assert(!v.verify(gx, gy, gr8x, gr8y, gs, RegistrationFixture.GENERIC_M + 1));
        assert(!_valid(gx, gy, gr8x, gr8y, gs)); // a signature on another message
    }

    /// The C++ signer (tx::sign_registration) is accepted; its nonces are derived as circomlibjs
    /// derives them, so its signatures are the same bytes.
    function test_cppSignaturesAccepted() public view {
        for (uint256 i = 0; i < RegistrationFixture.KEYS; i++) {
            (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.cpp(i);
            assert(_valid(ax, ay, r8x, r8y, s));
            (uint256 jx, uint256 jy, uint256 jr8x, uint256 jr8y, uint256 js) = RegistrationFixture.circomlibjs(i);
            assert(ax == jx && ay == jy && r8x == jr8x && r8y == jr8y && s == js);
        }
    }

    function test_refusesSAtOrAboveL() public view {
        (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        // S + l satisfies the curve equation (l * B8 is the identity): only the range check stops it
        assert(!_valid(ax, ay, r8x, r8y, s + L));
        assert(!_valid(ax, ay, r8x, r8y, L));
        assert(!_valid(ax, ay, r8x, r8y, type(uint256).max));
        assert(!_valid(ax, ay, r8x, r8y, s + 1));
        assert(!_valid(ax, ay, r8x, r8y, s - 1));
    }

    function test_refusesWrongKey() public view {
        (uint256 ax, uint256 ay,,,) = RegistrationFixture.circomlibjs(1);
        (,, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        assert(!_valid(ax, ay, r8x, r8y, s));
        (ax, ay,,,) = RegistrationFixture.circomlibjs(0);
        assert(_valid(ax, ay, r8x, r8y, s));
        assert(!_valid(R - ax, ay, r8x, r8y, s)); // the negated key
        assert(!_valid(ax + R, ay, r8x, r8y, s)); // not canonical
        assert(!_valid(ax, addmod(ay, 1, R), r8x, r8y, s)); // off the curve
    }

    /// The signature names its owner, chain and rollup: copied to another msg.sender (a
    /// front-runner), another chain or another rollup it is refused.
    function test_refusesOtherOwnerChainOrRollup() public {
        (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        assert(!v.verifyRegistration(RegistrationFixture.ROLLUP, FRONT_RUNNER, ax, ay, r8x, r8y, s));
        assert(!v.verifyRegistration(address(0x1234), RegistrationFixture.OWNER, ax, ay, r8x, r8y, s));
        vm.chainId(1);
        assert(!_valid(ax, ay, r8x, r8y, s));
        vm.chainId(RegistrationFixture.CHAIN_ID);
        assert(_valid(ax, ay, r8x, r8y, s));
    }

    function test_refusesR8OffCurveOrTampered() public view {
        (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        assert(!_valid(ax, ay, r8x, addmod(r8y, 1, R), s)); // off the curve
        assert(!_valid(ax, ay, 0, 0, s)); // off the curve
        assert(!_valid(ax, ay, r8x + R, r8y, s)); // not canonical
        assert(!_valid(ax, ay, R - r8x, r8y, s)); // -R8: on the curve
        assert(!_valid(ax, ay, 0, 1, s)); // the identity
        assert(!_valid(ax, ay, ax, ay, s)); // A in place of R8
        (,, uint256 o8x, uint256 o8y,) = RegistrationFixture.circomlibjs(1);
        assert(!_valid(ax, ay, o8x, o8y, s)); // another signature's R8
        assert(!_valid(r8x, r8y, ax, ay, s)); // R8 and A swapped
    }

    function test_refusesNonCanonicalMessage() public view {
        (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.circomlibjs(0);
        assert(v.verify(ax, ay, r8x, r8y, s, RegistrationFixture.MESSAGE));
        // the Poseidon contract would reduce M + r to M; the verifier refuses it instead
        assert(!v.verify(ax, ay, r8x, r8y, s, RegistrationFixture.MESSAGE + R));
        assert(!v.verify(ax, ay, r8x, r8y, s, RegistrationFixture.MESSAGE + 1));
    }

    /// For a key of order 4 anybody can make a signature that circomlib's rules accept
    /// (contracts_fixture.js checks circomlibjs verifyPoseidon accepts this one); it proves
    /// nothing, so the verifier refuses such keys.
    function test_refusesSmallOrderKey() public view {
        (uint256 r8x, uint256 r8y, uint256 s) = RegistrationFixture.smallOrderForgery();
        assert(v.onCurve(RegistrationFixture.SMALL_X, RegistrationFixture.SMALL_Y));
        assert(!_valid(RegistrationFixture.SMALL_X, RegistrationFixture.SMALL_Y, r8x, r8y, s));
        assert(!v.verify(RegistrationFixture.SMALL_X, RegistrationFixture.SMALL_Y, r8x, r8y, s, 42));
    }

    /// BabyJubTestSigner (affine arithmetic, written apart from the verifier) against the
    /// verifier on messages from a printed seed: accepted, and refused with M, S or R8 changed.
    function test_testSignerRoundTrip() public view {
        uint256 seed = uint256(keccak256("EdDSAPoseidonVerifierTest.seed"));
        logGas("seed", seed);
        for (uint256 i = 0; i < 4; i++) {
            uint256 m = uint256(keccak256(abi.encode(seed, i))) % R;
            uint256 k = uint256(keccak256(abi.encode(seed, i, "key"))) % L;
            (uint256 ax, uint256 ay) = BabyJubTestSigner.mul(k, 5299619240641551281634865583518297030282874472190772894086521144482721001553, 16950150798460657717958625567821834550301663161624707787222815936182638968203);
            (uint256 r8x, uint256 r8y, uint256 s) = BabyJubTestSigner.sign(mulmod(8, k, L), ax, ay, m, v.poseidon5());
            assert(v.verify(ax, ay, r8x, r8y, s, m));
            assert(!v.verify(ax, ay, r8x, r8y, s, addmod(m, 1, R)));
            assert(!v.verify(ax, ay, r8x, r8y, addmod(s, 1, L), m));
            assert(!v.verify(ax, ay, R - r8x, r8y, s, m));
        }
    }

    function test_constructorRefusesPoseidonWithoutCode() public {
        IPoseidon2 p2 = v.poseidon2();
        IPoseidon5 p5 = v.poseidon5();
        vm.expectRevert(bytes("eddsa: Poseidon without code"));
        new EdDSAPoseidonVerifier(p2, IPoseidon5(address(0xdead)));
        vm.expectRevert(bytes("eddsa: Poseidon without code"));
        new EdDSAPoseidonVerifier(IPoseidon2(address(0)), p5);
        new EdDSAPoseidonVerifier(p2, p5);
    }
}
