// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IPoseidon2, IPoseidon5} from "./IPoseidon.sol";

/// EdDSA-Poseidon over Baby Jubjub, as circomlib's `EdDSAPoseidonVerifier` (eddsaposeidon.circom)
/// and circomlibjs `eddsa.verifyPoseidon` define it: a signature (R8, S) by the key A on the
/// field element M is valid when S < l, A and R8 are on the curve and
///     S * B8 == R8 + 8 * h * A,   h = Poseidon(R8.x, R8.y, A.x, A.y, M).
/// Stricter than circomlib in one point: a key of small order (8 * A = identity) is refused,
/// because for such a key anybody can make valid signatures (R8 = S * B8 for any S), so it would
/// prove nothing about who holds it. Coordinates and M must be canonical (< r).
///
/// ZkammRollup checks with verifyRegistration that whoever registers a key holds it
/// (docs/CONTRACTS.md, "Key ownership"; message in docs/TRANSACTIONS.md section 3.4). A contract
/// of its own because the rollup is close to the EIP-170 code size limit.
///
/// Curve (EIP-2494; circomlib babyjub.js): a x^2 + y^2 = 1 + d x^2 y^2 over F_r, r the BN254
/// scalar field, a = 168700, d = 168696; order 8 * l; B8 = circomlib's Base8 generates the
/// subgroup of prime order l. Since a is a square and d is not in F_r, the addition law is
/// complete (Bernstein, Birkner, Joye, Lange, Peters, "Twisted Edwards Curves", AFRICACRYPT 2008,
/// Theorem 3.3), so the extended-coordinate formulas below (Hisil, Wong, Carter, Dawson, "Twisted
/// Edwards Curves Revisited", ASIACRYPT 2008; EFD add-2008-hwcd and dbl-2008-hwcd) need no special
/// cases: identity, doubling and inverse points go through the same code.
contract EdDSAPoseidonVerifier {
    uint256 internal constant Q = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// Order of the prime subgroup (EIP-2494 `l`; circomlibjs babyJub.subOrder).
    uint256 public constant SUBGROUP_ORDER = 2736030358979909402780800718157159386076813972158567259200215660948447373041;
    uint256 internal constant CURVE_A = 168700;
    uint256 internal constant CURVE_D = 168696;
    // k * B8 for k = 1, 2, 3 (circomlib Base8 and circomlibjs mulPointEscalar; the fixture tests
    // check signatures made by circomlibjs against these).
    uint256 internal constant B8_X = 5299619240641551281634865583518297030282874472190772894086521144482721001553;
    uint256 internal constant B8_Y = 16950150798460657717958625567821834550301663161624707787222815936182638968203;
    uint256 internal constant B8_2X = 10031262171927540148667355526369034398030886437092045105752248699557385197826;
    uint256 internal constant B8_2Y = 633281375905621697187330766174974863687049529291089048651929454608812697683;
    uint256 internal constant B8_3X = 2763488322167937039616325905516046217694264098671987087929565332380420898366;
    uint256 internal constant B8_3Y = 15305195750036305661220525648961313310481046260814497672243197092298550508693;
    /// "zkR1": the registration message's tag (docs/TRANSACTIONS.md section 3.4).
    uint256 public constant REGISTRATION_TAG = 0x7a6b5231;

    IPoseidon2 public immutable poseidon2;
    /// circomlib Poseidon with 5 inputs (circomlibjs poseidonContract.createCode(5)): h.
    IPoseidon5 public immutable poseidon5;

    constructor(IPoseidon2 poseidon2_, IPoseidon5 poseidon5_) {
        require(address(poseidon2_).code.length > 0 && address(poseidon5_).code.length > 0, "eddsa: Poseidon without code");
        poseidon2 = poseidon2_;
        poseidon5 = poseidon5_;
    }

    /// The message a key signs to be registered by `owner` on the rollup contract `rollup` of
    /// chain `chainId` (docs/TRANSACTIONS.md section 3.4):
    ///     Poseidon(chainId + 2^64 * rollup, owner + 2^160 * "zkR1").
    function registrationMessage(uint256 chainId, address rollup, address owner) public view returns (uint256) {
        require(chainId < 1 << 64, "eddsa: chain id");
        return poseidon2.poseidon([chainId | uint256(uint160(rollup)) << 64, uint256(uint160(owner)) | REGISTRATION_TAG << 160]);
    }

    /// True when (r8x, r8y, s) is a valid signature by the key (ax, ay) on
    /// registrationMessage(block.chainid, rollup, owner).
    function verifyRegistration(address rollup, address owner, uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s)
        external
        view
        returns (bool)
    {
        return verify(ax, ay, r8x, r8y, s, registrationMessage(block.chainid, rollup, owner));
    }

    /// EdDSA-Poseidon verification (see the contract's comment); false, never a revert, for any
    /// invalid input.
    function verify(uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s, uint256 m) public view returns (bool) {
        if (ax >= Q || ay >= Q || r8x >= Q || r8y >= Q || m >= Q || s >= SUBGROUP_ORDER) return false;
        if (!onCurve(ax, ay) || !onCurve(r8x, r8y)) return false;
        uint256 h = poseidon5.poseidon([r8x, r8y, ax, ay, m]);
        // 8A lies in the subgroup of order l, so h acts on it modulo l.
        uint256[4] memory io = [ax, ay, s, h % SUBGROUP_ORDER];
        _combination(io);
        // io[2] = z = 0: A has small order. Otherwise compare with R8 projectively (no inversion).
        return io[2] != 0 && io[0] == mulmod(r8x, io[2], Q) && io[1] == mulmod(r8y, io[2], Q);
    }

    /// a x^2 + y^2 == 1 + d x^2 y^2 (x, y < r).
    function onCurve(uint256 x, uint256 y) public pure returns (bool) {
        uint256 x2 = mulmod(x, x, Q);
        uint256 y2 = mulmod(y, y, Q);
        return addmod(mulmod(CURVE_A, x2, Q), y2, Q) == addmod(1, mulmod(CURVE_D, mulmod(x2, y2, Q), Q), Q);
    }

    /// io = [A.x, A.y, s, h] in, [x, y, z] out: s * B8 + h * (-8A) in projective coordinates
    /// (x : y : z), for s, h < l; z = 0 when 8A is the identity (A of small order). A joint
    /// 2-bit-window (Straus-Shamir) double scalar multiplication: 126 steps of two doublings and at
    /// most one addition of a table entry i * B8 + j * (-8A), i, j in 0..3.
    ///
    /// Points are extended coordinates (X, Y, Z, T): x = X/Z, y = Y/Z, T = XY/Z. Written for the
    /// gas of the hot loop: the field modulus sits in a stack variable (q), because with the
    /// optimizer on (as deployed) the same loop naming the constant Q costs twice the gas per
    /// doubling (measured: 81k against 176k for 252 doublings), and the doubling and addition are
    /// inlined (Yul function calls cost ~80 gas each). Inputs and outputs go through memory to stay within the
    /// 16 reachable stack slots.
    function _combination(uint256[4] memory io) private pure {
        assembly {
            let q := Q

            // dbl-2008-hwcd (table only; the loop inlines it)
            function dbl(x1, y1, z1, m) -> x3, y3, z3, t3 {
                let e := mulmod(add(x1, x1), y1, m) // E = (X+Y)^2 - X^2 - Y^2 = 2XY
                let b := mulmod(y1, y1, m) // B
                let d := mulmod(CURVE_A, mulmod(x1, x1, m), m) // D = a X^2
                y3 := addmod(d, b, m) // G = D + B
                d := addmod(d, sub(m, b), m) // H = D - B
                b := addmod(y3, sub(m, mulmod(2, mulmod(z1, z1, m), m)), m) // F = G - 2 Z^2
                x3 := mulmod(e, b, m) // E F
                z3 := mulmod(b, y3, m) // F G
                y3 := mulmod(y3, d, m) // G H
                t3 := mulmod(e, d, m) // E H
            }

            // add-2008-hwcd (table only): the point at p + the point at p2, stored at out.
            function padd(p, p2, out, m) {
                let x1 := mload(p)
                let y1 := mload(add(p, 0x20))
                let a := mulmod(x1, mload(p2), m) // A = X1 X2
                let b := mulmod(y1, mload(add(p2, 0x20)), m) // B = Y1 Y2
                // E = (X1 + Y1)(X2 + Y2) - A - B; the sums are < 2r < 2^255
                let e := addmod(mulmod(add(x1, y1), add(mload(p2), mload(add(p2, 0x20))), m), sub(add(m, m), add(a, b)), m)
                b := addmod(b, sub(m, mulmod(CURVE_A, a, m)), m) // H = B - a A
                a := mulmod(mulmod(mload(add(p, 0x60)), CURVE_D, m), mload(add(p2, 0x60)), m) // C = T1 d T2
                let d := mulmod(mload(add(p, 0x40)), mload(add(p2, 0x40)), m) // D = Z1 Z2
                x1 := addmod(d, sub(m, a), m) // F = D - C
                d := addmod(d, a, m) // G = D + C
                mstore(out, mulmod(e, x1, m)) // E F
                mstore(add(out, 0x20), mulmod(d, b, m)) // G H
                mstore(add(out, 0x40), mulmod(x1, d, m)) // F G
                mstore(add(out, 0x60), mulmod(e, b, m)) // E H
            }

            // table[k] = i * B8 + j * (-8A) for k = i + 4j, 128 bytes each, above the free memory
            // pointer (not allocated: nothing else uses memory before this function returns).
            let tbl := mload(0x40)
            mstore(add(tbl, 0x080), B8_X)
            mstore(add(tbl, 0x0a0), B8_Y)
            mstore(add(tbl, 0x0c0), 1)
            mstore(add(tbl, 0x0e0), mulmod(B8_X, B8_Y, q))
            mstore(add(tbl, 0x100), B8_2X)
            mstore(add(tbl, 0x120), B8_2Y)
            mstore(add(tbl, 0x140), 1)
            mstore(add(tbl, 0x160), mulmod(B8_2X, B8_2Y, q))
            mstore(add(tbl, 0x180), B8_3X)
            mstore(add(tbl, 0x1a0), B8_3Y)
            mstore(add(tbl, 0x1c0), 1)
            mstore(add(tbl, 0x1e0), mulmod(B8_3X, B8_3Y, q))
            {
                let x, y, z, t := dbl(mload(io), mload(add(io, 0x20)), 1, q)
                x, y, z, t := dbl(x, y, z, q)
                x, y, z, t := dbl(x, y, z, q)
                // 8A = (0 : 1) exactly when X = 0 (8A cannot be (0, -1), which has order 2)
                if iszero(x) { z := 0 }
                mstore(add(tbl, 0x200), sub(q, x)) // -8A = (-x, y)
                mstore(add(tbl, 0x220), y)
                mstore(add(tbl, 0x240), z)
                mstore(add(tbl, 0x260), sub(q, t))
                x, y, z, t := dbl(sub(q, x), y, z, q)
                mstore(add(tbl, 0x400), x) // -16A
                mstore(add(tbl, 0x420), y)
                mstore(add(tbl, 0x440), z)
                mstore(add(tbl, 0x460), t)
            }
            switch iszero(mload(add(tbl, 0x240)))
            case 1 { mstore(add(io, 0x40), 0) }
            default {
                padd(add(tbl, 0x400), add(tbl, 0x200), add(tbl, 0x600), q) // -24A
                for { let j := 0x200 } lt(j, 0x800) { j := add(j, 0x200) } {
                    let p := add(tbl, j)
                    padd(p, add(tbl, 0x080), add(p, 0x080), q)
                    padd(p, add(tbl, 0x100), add(p, 0x100), q)
                    padd(p, add(tbl, 0x180), add(p, 0x180), q)
                }
                let x := 0
                let y := 1
                let z := 1
                let t := 0
                // s, h < l < 2^251: windows at bits 250, 248, ..., 0.
                for { let sh := 252 } sh {} {
                    sh := sub(sh, 2)
                    {
                        // dbl-2008-hwcd, without T (the next doubling does not read it)
                        let e := mulmod(add(x, x), y, q) // E = 2XY
                        let b := mulmod(y, y, q) // B
                        let d := mulmod(CURVE_A, mulmod(x, x, q), q) // D = a X^2
                        y := addmod(d, b, q) // G = D + B
                        d := addmod(d, sub(q, b), q) // H = D - B
                        b := addmod(y, sub(q, mulmod(2, mulmod(z, z, q), q)), q) // F = G - 2 Z^2
                        x := mulmod(e, b, q) // E F
                        z := mulmod(b, y, q) // F G
                        y := mulmod(y, d, q) // G H
                    }
                    {
                        // dbl-2008-hwcd
                        let e := mulmod(add(x, x), y, q)
                        let b := mulmod(y, y, q)
                        let d := mulmod(CURVE_A, mulmod(x, x, q), q)
                        y := addmod(d, b, q)
                        d := addmod(d, sub(q, b), q)
                        b := addmod(y, sub(q, mulmod(2, mulmod(z, z, q), q)), q)
                        x := mulmod(e, b, q)
                        z := mulmod(b, y, q)
                        y := mulmod(y, d, q)
                        t := mulmod(e, d, q) // E H
                    }
                    let p := or(and(shr(sh, mload(add(io, 0x40))), 3), shl(2, and(shr(sh, mload(add(io, 0x60))), 3)))
                    if p {
                        // add-2008-hwcd with table[p]
                        p := add(tbl, shl(7, p))
                        let a := mulmod(x, mload(p), q) // A = X1 X2
                        let b := mulmod(y, mload(add(p, 0x20)), q) // B = Y1 Y2
                        let e := addmod(mulmod(add(x, y), add(mload(p), mload(add(p, 0x20))), q), sub(add(q, q), add(a, b)), q)
                        b := addmod(b, sub(q, mulmod(CURVE_A, a, q)), q) // H = B - a A
                        a := mulmod(mulmod(t, CURVE_D, q), mload(add(p, 0x60)), q) // C = T1 d T2
                        let d := mulmod(z, mload(add(p, 0x40)), q) // D = Z1 Z2
                        z := addmod(d, sub(q, a), q) // F = D - C
                        d := addmod(d, a, q) // G = D + C
                        x := mulmod(e, z, q) // E F
                        t := mulmod(e, b, q) // E H
                        y := mulmod(d, b, q) // G H
                        z := mulmod(z, d, q) // F G
                    }
                }
                mstore(io, x)
                mstore(add(io, 0x20), y)
                mstore(add(io, 0x40), z)
            }
        }
    }
}
