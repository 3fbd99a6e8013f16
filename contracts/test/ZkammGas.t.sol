// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ZkammRollup} from "../src/ZkammRollup.sol";
import {RollupTestBase, MockVerifier, TestERC20} from "./RollupTestBase.sol";
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";
import {EdDSAPoseidonVerifier} from "../src/EdDSAPoseidonVerifier.sol";

/// Gas of commitBatch / executeBatch and of commitProveExecute for N = 4, 8, 64, 512 slots of swap
/// pubdata (mock verifier; the Groth16 verification cost, measured in ZkammGroth16.t.sol, does not
/// depend on N). Execution gas inside one forge test: the rollup is fresh (its counters go from
/// zero), so these overstate a steady-state batch; the transaction figures with the real verifier
/// come from bench/scripts/rollup_gas.sh (anvil receipts).
/// Prints (forge test -vv) the execution gas measured with gasleft() and the calldata tokens
/// (zero bytes + 4 * non-zero bytes of the ABI-encoded call) from which the intrinsic calldata
/// cost follows: 4 gas/token (EIP-2028), or the EIP-7623 floor of 10 gas/token (Prague).
contract ZkammGasTest is RollupTestBase {
    /// A swap amount as the node publishes it for swaps of 1e15..1e21 wei: 10^e plus random low
    /// digits below 10^e, e in 15..20 (7 to 9 significant bytes, all of them non-zero bytes in
    /// general). Deterministic (keccak of the slot index and side): a self-generated vector.
    function _amount(uint256 i, uint256 side) internal pure returns (uint128) {
        uint256 h = uint256(keccak256(abi.encode(i, side)));
        uint256 p = 10 ** (15 + h % 6);
        return uint128(p + (h >> 8) % p);
    }

    /// n swap_exact_in slots: type 4, account 1000 + i, tokens 1 -> 2, amount_in from _amount (the
    /// amount out is not published).
    function _swapPubdata(uint256 n) internal pure returns (bytes memory p) {
        p = new bytes(42 * n);
        for (uint256 i = 0; i < n; i++) {
            bytes memory s = abi.encodePacked(uint8(4), uint24(1000 + i), uint16(1), uint16(2), _amount(i, 0));
            for (uint256 k = 0; k < s.length; k++) {
                p[42 * i + k] = s[k];
            }
        }
    }

    function _tokens(bytes memory data) internal pure returns (uint256 t) {
        for (uint256 i = 0; i < data.length; i++) {
            t += data[i] == 0 ? 1 : 4;
        }
    }

    function _measure(uint32 n) internal {
        vm.warp(T0);
        ZkammRollup rollup = deployRollup(new MockVerifier(0, n), rootOf("g"), n);
        bytes memory p = _swapPubdata(n);
        bytes memory h = header(1, uint64(T0), rootOf("g"), rootOf("r"), 0, 0, n);
        uint256 g = gasleft();
        rollup.commitBatch(h, p);
        uint256 commitGas = g - gasleft();
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(1, a, b, c);
        g = gasleft();
        rollup.executeBatch(1, ""); // no on-chain slots in a swap-only batch
        uint256 executeGas = g - gasleft();
        logGas("N", n);
        logGas("  commitBatch execution gas", commitGas);
        logGas("  commitBatch calldata tokens", _tokens(abi.encodeCall(ZkammRollup.commitBatch, (h, p))));
        logGas("  executeBatch(n, \"\") execution gas", executeGas);
        logGas("  executeBatch calldata tokens", _tokens(abi.encodeCall(ZkammRollup.executeBatch, (1, ""))));

        // the same batch in one transaction (a fresh rollup: the same cold state as above)
        rollup = deployRollup(new MockVerifier(0, n), rootOf("g"), n);
        bytes[] memory hs = new bytes[](1);
        bytes[] memory ps = new bytes[](1);
        (hs[0], ps[0]) = (h, p);
        uint256[8][] memory proofs = new uint256[8][](1);
        proofs[0] = [uint256(type(uint256).max), 1, 2, 3, 4, 5, 6, 7]; // 256 non-zero bytes, as a real proof
        g = gasleft();
        rollup.commitProveExecute(hs, ps, proofs);
        logGas("  commitProveExecute execution gas (mock verifier)", g - gasleft());
        logGas("  commitProveExecute calldata tokens", _tokens(abi.encodeCall(ZkammRollup.commitProveExecute, (hs, ps, proofs))));
    }

    function test_gas_swaps_4() public {
        _measure(4);
    }

    function test_gas_swaps_8() public {
        _measure(8);
    }

    function test_gas_swaps_64() public {
        _measure(64);
    }

    function test_gas_swaps_512() public {
        _measure(512);
    }

    /// executeBatch over a full pubdata of withdrawals (the most expensive slot to execute).
    function test_gas_withdrawals_64() public {
        vm.warp(T0);
        uint32 n = 64;
        ZkammRollup rollup = deployRollup(new MockVerifier(0, n), rootOf("g"), n);
        bytes memory p = new bytes(42 * n);
        for (uint256 i = 0; i < n; i++) {
            bytes memory s = withdrawSlot(uint32(1 + i), 0, uint128(1e17 + i), address(uint160(0x1000 + i)));
            for (uint256 k = 0; k < 42; k++) {
                p[42 * i + k] = s[k];
            }
        }
        // The ETH the withdrawals pay out must have been deposited (l2Holdings); the deposit
        // stays queued, as batch 1 consumes no priority operation.
        vm.deal(address(this), 10 ether);
        registerKeyAndDepositETH(rollup, address(this), 0, 10 ether);
        rollup.commitBatch(header(1, uint64(T0), rootOf("g"), rootOf("r"), 0, 0, n), p);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(1, a, b, c);
        uint256 g = gasleft();
        rollup.executeBatch(1, p);
        logGas("executeBatch, 64 withdrawals to distinct addresses, execution gas", g - gasleft());
    }

    /// registerAccount: the key check and packing (packPubKey), the key's signature
    /// (EdDSAPoseidonVerifier: registration message, Poseidon(5), double scalar multiplication)
    /// plus the account and queue entry.
    function test_gas_registerAccount() public {
        vm.warp(T0);
        ZkammRollup rollup = deployRollup(new MockVerifier(0, 4), rootOf("g"), 4);
        (uint256 x, uint256 y,) = PubKeyFixture.key(0);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, address(this), x, y, PubKeyFixture.dlog8(0));
        uint256 g = gasleft();
        rollup.packPubKey(x, y);
        logGas("packPubKey (external call) execution gas", g - gasleft());
        EdDSAPoseidonVerifier kv = rollup.keyVerifier();
        g = gasleft();
        kv.registrationMessage(block.chainid, address(rollup), address(this));
        logGas("registrationMessage (Poseidon(2)) execution gas", g - gasleft());
        uint256 m = kv.registrationMessage(block.chainid, address(rollup), address(this));
        g = gasleft();
        kv.poseidon5().poseidon([r8x, r8y, x, y, m]);
        logGas("Poseidon(5) execution gas", g - gasleft());
        g = gasleft();
        require(kv.verifyRegistration(address(rollup), address(this), x, y, r8x, r8y, s), "valid signature refused");
        logGas("verifyRegistration execution gas", g - gasleft());
        g = gasleft();
        rollup.registerAccount(x, y, r8x, r8y, s);
        logGas("registerAccount, first account, execution gas", g - gasleft());
        (x, y,) = PubKeyFixture.key(5); // x > (r-1)/2: the sign bit is set
        (r8x, r8y, s) = signRegistration(rollup, address(this), x, y, PubKeyFixture.dlog8(5));
        g = gasleft();
        rollup.registerAccount(x, y, r8x, r8y, s);
        logGas("registerAccount, second account, execution gas", g - gasleft());
    }

    /// Queueing and withdrawing: ERC-20 and ETH deposits (the third op of a batch's worth, then
    /// the fifth: its deadline adds a batch interval), a full exit request, and withdraw of ETH
    /// and of the ERC-20 after a batch credited them.
    function test_gas_queueAndWithdraw() public {
        vm.warp(T0);
        ZkammRollup rollup = deployRollup(new MockVerifier(0, 4), rootOf("g"), 4);
        TestERC20 token = new TestERC20();
        uint16 id = rollup.addToken(address(token));
        token.mint(address(this), 10_000);
        token.approve(address(rollup), type(uint256).max);
        (uint256 x, uint256 y, bytes32 packed) = PubKeyFixture.key(0);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, address(this), x, y, PubKeyFixture.dlog8(0));
        uint256 g = gasleft();
        rollup.registerAndDepositETH{value: 1 ether}(x, y, r8x, r8y, s); // serials 0, 1
        logGas("registerAndDepositETH, execution gas", g - gasleft());
        g = gasleft();
        rollup.deposit(1, id, 1000); // serial 2
        logGas("deposit ERC-20, first of the token, execution gas", g - gasleft());
        g = gasleft();
        rollup.deposit(1, id, 1000); // serial 3
        logGas("deposit ERC-20, execution gas", g - gasleft());
        g = gasleft();
        rollup.deposit{value: 1 ether}(1, 0, 1 ether); // serial 4
        logGas("deposit ETH, execution gas", g - gasleft());
        g = gasleft();
        rollup.requestFullExit(1, 0); // serial 5
        logGas("requestFullExit, execution gas", g - gasleft());
        bytes memory p = slots4(
            createAccountSlot(1, packed),
            depositSlot(1, 0, 1 ether),
            depositSlot(1, id, 1000),
            withdrawSlot(1, id, 600, address(this))
        );
        rollup.commitBatch(header(1, uint64(T0), rootOf("g"), rootOf("r1"), 0, 3, 4), p);
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) = emptyProof();
        rollup.proveBatch(1, a, b, c);
        rollup.executeBatch(1, p);
        g = gasleft();
        rollup.withdraw(id);
        logGas("withdraw ERC-20, execution gas", g - gasleft());
    }
}
