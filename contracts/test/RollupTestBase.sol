// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ZkammRollup} from "../src/ZkammRollup.sol";
import {IVerifier} from "../src/IVerifier.sol";
import {IPoseidon2, IPoseidon4, IPoseidon5} from "../src/IPoseidon.sol";
import {ZkammExodus} from "../src/ZkammExodus.sol";
import {EdDSAPoseidonVerifier} from "../src/EdDSAPoseidonVerifier.sol";
// Written by tests/e2e/contracts.sh with circomlibjs: the Poseidon contracts' creation code.
import {PoseidonCode} from "../src/generated/PoseidonCode.sol";
import {PubKeyFixture} from "../src/generated/PubKeyFixture.sol";
import {BabyJubTestSigner} from "./BabyJubTestSigner.sol";

/// The few forge cheatcodes the tests use (forge-std is not available offline).
interface Vm {
    function warp(uint256 timestamp) external;
    function prank(address sender) external;
    function startPrank(address sender) external;
    function stopPrank() external;
    function deal(address who, uint256 amount) external;
    function expectRevert(bytes calldata revertData) external;
    function expectEmit() external;
    function chainId(uint256 newChainId) external;
}

/// A plain ERC-20 for the tests: anyone may mint.
contract TestERC20 {
    string public name = "Test";
    string public symbol = "TST";
    uint8 public decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _deliver(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 allowed = allowance[from][msg.sender];
        require(allowed >= amount, "TestERC20: allowance");
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _deliver(from, to, amount);
        return true;
    }

    /// Moves `amount` (tokens with other transfer rules override it: ZkammGuards.t.sol).
    function _deliver(address from, address to, uint256 amount) internal virtual {
        require(balanceOf[from] >= amount, "TestERC20: balance");
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}

/// Accepts (or rejects) every proof and remembers the last public input it saw; says it is the
/// verifier of a `kind` batch of `slots` slots (the rollup's constructor checks that).
contract MockVerifier is IVerifier {
    bool public accept = true;
    uint256 public lastInput;
    uint8 internal immutable kind;
    uint32 internal immutable slots;

    constructor(uint8 kind_, uint32 slots_) {
        kind = kind_;
        slots = slots_;
    }

    function batchCircuit() external view returns (uint8, uint32) {
        return (kind, slots);
    }

    function setAccept(bool a) external {
        accept = a;
    }

    function verifyProof(uint256[2] calldata, uint256[2][2] calldata, uint256[2] calldata, uint256[1] calldata input)
        external
        view
        returns (bool)
    {
        input;
        return accept;
    }

    function verifyProofs(uint256[8][] calldata proofs, uint256[1][] calldata inputs) external view returns (bool) {
        return accept && proofs.length == inputs.length && proofs.length > 0;
    }
}

/// Builds headers and 42-byte slots as docs/BATCH.md and docs/TRANSACTIONS.md section 4 define.
abstract contract RollupTestBase {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
    uint256 internal constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint64 internal constant DEADLINE = 7 days;
    /// The operator's documented rate: one full batch of priority operations per hour.
    uint64 internal constant PRIORITY_BATCH = 1 hours;
    /// A batch timestamp may lag its commit by a day (the devnet's default).
    uint64 internal constant WINDOW = 1 days;
    uint256 internal constant T0 = 1_700_000_000;

    /// Prints through forge's console (shown with -vv); forge-std is not available offline.
    function logGas(string memory what, uint256 gas) internal view {
        (bool ok,) = address(0x000000000000000000636F6e736F6c652e6c6f67).staticcall(
            abi.encodeWithSignature("log(string,uint256)", what, gas)
        );
        ok;
    }

    function header(
        uint64 batchNumber,
        uint64 timestamp,
        uint256 oldRoot,
        uint256 newRoot,
        uint64 priorityFirst,
        uint32 priorityCount,
        uint32 slots
    ) internal pure returns (bytes memory) {
        // num_tokens = 1 (ETH): never more than the contract has registered.
        return abi.encodePacked(batchNumber, timestamp, oldRoot, newRoot, priorityFirst, priorityCount, slots, uint16(1));
    }

    function pad(bytes memory s) internal pure returns (bytes memory out) {
        require(s.length <= 42, "slot too long");
        out = new bytes(42);
        for (uint256 i = 0; i < s.length; i++) {
            out[i] = s[i];
        }
    }

    function noopSlot() internal pure returns (bytes memory) {
        return new bytes(42);
    }

    function createAccountSlot(uint32 account, bytes32 pubkey) internal pure returns (bytes memory) {
        return pad(abi.encodePacked(uint8(10), uint24(account), pubkey));
    }

    function depositSlot(uint32 account, uint16 token, uint128 amount) internal pure returns (bytes memory) {
        return pad(abi.encodePacked(uint8(1), uint24(account), token, amount));
    }

    function fullExitSlot(uint32 account, uint16 token, uint128 amount) internal pure returns (bytes memory) {
        return pad(abi.encodePacked(uint8(2), uint24(account), token, amount));
    }

    /// A full exit of LP token `lpToken`: the pool's tokens and the amounts paid out (42 bytes).
    function lpFullExitSlot(uint32 account, uint16 lpToken, uint16 token0, uint128 amount0, uint16 token1, uint128 amount1)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(uint8(2), uint24(account), lpToken, token0, amount0, token1, amount1);
    }

    function withdrawSlot(uint32 account, uint16 token, uint128 amount, address to) internal pure returns (bytes memory) {
        return pad(abi.encodePacked(uint8(9), uint24(account), token, amount, to));
    }

    function swapSlot(uint32 account, uint16 tokenIn, uint16 tokenOut, uint128 amountIn, uint128 amountOut)
        internal
        pure
        returns (bytes memory)
    {
        return pad(abi.encodePacked(uint8(4), uint24(account), tokenIn, tokenOut, amountIn, amountOut));
    }

    function slots4(bytes memory a, bytes memory b, bytes memory c, bytes memory d) internal pure returns (bytes memory) {
        return abi.encodePacked(a, b, c, d);
    }

    function rootOf(string memory tag) internal pure returns (uint256) {
        return uint256(keccak256(bytes(tag))) % R;
    }

    IPoseidon2 private p2Deployed;
    IPoseidon4 private p4Deployed;

    /// circomlib's Poseidon contracts (deployed once per test contract): the constructor checks
    /// them with a known answer.
    function poseidons() internal returns (IPoseidon2, IPoseidon4) {
        if (address(p2Deployed) == address(0)) {
            p2Deployed = IPoseidon2(deployCode(PoseidonCode.inputs2()));
            p4Deployed = IPoseidon4(deployCode(PoseidonCode.inputs4()));
        }
        return (p2Deployed, p4Deployed);
    }

    /// A rollup without a swap verifier: swap batches are refused.
    function deployRollup(IVerifier verifier, uint256 genesis, uint32 slots) internal returns (ZkammRollup) {
        return deployRollup(verifier, IVerifier(address(0)), genesis, slots);
    }

    function deployRollup(IVerifier verifier, IVerifier swapVerifier, uint256 genesis, uint32 slots)
        internal
        returns (ZkammRollup)
    {
        (IPoseidon2 p2, IPoseidon4 p4) = poseidons();
        return new ZkammRollup(
            verifier, swapVerifier, p2, p4, keyVerifier(), genesis, slots, DEADLINE, PRIORITY_BATCH, WINDOW, address(this), address(this)
        );
    }

    /// The exodus calls, which the rollup's fallback hands to ZkammExodus.
    function exodusOf(ZkammRollup rollup) internal pure returns (ZkammExodus) {
        return ZkammExodus(address(rollup));
    }

    // ---- key ownership at registration (EdDSAPoseidonVerifier) ----

    EdDSAPoseidonVerifier private keyVerifier_;

    /// The real registration-signature verifier (with circomlib's Poseidon contracts), made once
    /// per test contract: every rollup a test deploys shares it.
    function keyVerifier() internal returns (EdDSAPoseidonVerifier) {
        if (address(keyVerifier_) == address(0)) {
            keyVerifier_ = new EdDSAPoseidonVerifier(
                IPoseidon2(deployCode(PoseidonCode.inputs2())), IPoseidon5(deployCode(PoseidonCode.inputs5()))
            );
        }
        return keyVerifier_;
    }

    /// The signature by the key (x, y) (8 * key = dlog8 * Base8) that lets `owner` register it on
    /// `rollup` (BabyJubTestSigner; fixed circomlibjs and C++ signatures are in
    /// EdDSAPoseidonVerifier.t.sol).
    function signRegistration(ZkammRollup rollup, address owner, uint256 x, uint256 y, uint256 dlog8)
        internal
        view
        returns (uint256 r8x, uint256 r8y, uint256 s)
    {
        EdDSAPoseidonVerifier v = rollup.keyVerifier();
        return BabyJubTestSigner.sign(dlog8, x, y, v.registrationMessage(block.chainid, address(rollup), owner), v.poseidon5());
    }

    /// PubKeyFixture key i registered by `owner` (signed, then sent from `owner`).
    function registerKey(ZkammRollup rollup, address owner, uint256 i) internal returns (uint32) {
        (uint256 x, uint256 y,) = PubKeyFixture.key(i);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, owner, x, y, PubKeyFixture.dlog8(i));
        vm.prank(owner);
        return rollup.registerAccount(x, y, r8x, r8y, s);
    }

    /// registerAndDepositETH of PubKeyFixture key i by `owner` with `value` wei.
    function registerKeyAndDepositETH(ZkammRollup rollup, address owner, uint256 i, uint256 value) internal returns (uint32) {
        (uint256 x, uint256 y,) = PubKeyFixture.key(i);
        (uint256 r8x, uint256 r8y, uint256 s) = signRegistration(rollup, owner, x, y, PubKeyFixture.dlog8(i));
        vm.prank(owner);
        return rollup.registerAndDepositETH{value: value}(x, y, r8x, r8y, s);
    }

    /// The header's slot-count field of a swap batch: kind 1 in the top byte (docs/BATCH.md 8).
    function swapKind(uint32 slots) internal pure returns (uint32) {
        return (uint32(1) << 24) | slots;
    }

    /// Deploys raw creation code (the circomlibjs Poseidon contracts).
    function deployCode(bytes memory code) internal returns (address a) {
        assembly {
            a := create(0, add(code, 0x20), mload(code))
        }
        require(a != address(0), "deploy failed");
    }

    function emptyProof() internal pure returns (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) {
        a = [uint256(1), 2];
        b = [[uint256(0), 0], [uint256(0), 0]];
        c = [uint256(1), 2];
    }
}
