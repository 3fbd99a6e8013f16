// Fixtures for the rollup contract tests (contracts/test/ZkammGroth16.t.sol, ZkammExodus.t.sol),
// computed independently of the contract with circomlibjs (Poseidon, Baby Jubjub, the Poseidon
// EVM bytecode) and node's sha256. Used by tests/e2e/contracts.sh.
//   node contracts_fixture.js state <out dir> <generated dir> <zkamm binary>
//        writes <out>/input.json (the batch-1 public input as circuit input), <out>/key0.json
//        (the test key as a `zkamm wallet` key file) and, in <generated>, PoseidonCode.sol,
//        ExodusFixture.sol, BatchFixture.sol, PubKeyFixture.sol, RegistrationFixture.sol (whose
//        C++ signatures come from `<zkamm binary> wallet register`)
//   node contracts_fixture.js rerandomise <proof.json> <out.json>
//        A' = s*A, B' = B/s, C' = C: another valid proof of the same statement
//   node contracts_fixture.js proof <calldata.txt> <calldata_rerandomised.txt> <calldata2.txt> <out.sol>
//        writes BatchProofFixture.sol from three `zkamm calldata` outputs (batch 1, its
//        re-randomised proof, batch 2; <out>/input2.json is batch 2's circuit input)
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");
const { execFileSync } = require("child_process");
const NM = path.join(__dirname, "..", "..", "node_modules");
const circomlibjs = require(path.join(NM, "circomlibjs"));
const ffjavascript = require(path.join(NM, "ffjavascript"));

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const T0 = 1700000000n; // RollupTestBase.T0
const CAROL = "0000000000000000000000000000000000c0ffee"; // ZkammGroth16Test.CAROL
const N = 4;

const hex = (n, bytes) => BigInt(n).toString(16).padStart(bytes * 2, "0");
const u256 = (x) => `uint256(${BigInt(x)})`;

async function state(outDir, genDir, zkamm) {
  if (!zkamm) throw new Error("state needs the zkamm binary (C++ registration signatures)");
  const poseidon = await circomlibjs.buildPoseidon();
  const babyJub = await circomlibjs.buildBabyjub();
  const eddsa = await circomlibjs.buildEddsa();
  const F = poseidon.F;
  const H = (xs) => F.toObject(poseidon(xs.map((x) => BigInt(x))));

  // Quaternary sparse tree (docs/STATE.md): empty[l+1] = H(empty[l] x 4), position (i >> 2l) & 3.
  function tree(leaves, depth) {
    const empty = [0n];
    for (let l = 0; l < depth; l++) empty.push(H([empty[l], empty[l], empty[l], empty[l]]));
    const levels = [new Map(leaves)];
    for (let l = 0; l < depth; l++) {
      const next = new Map();
      for (const i of levels[l].keys()) {
        const p = i >> 2n;
        if (next.has(p)) continue;
        const kids = [0n, 1n, 2n, 3n].map((k) => levels[l].get(4n * p + k) ?? empty[l]);
        next.set(p, H(kids));
      }
      levels.push(next);
    }
    const root = levels[depth].get(0n) ?? empty[depth];
    const pathOf = (index) => {
      const out = [];
      for (let l = 0; l < depth; l++) {
        const i = BigInt(index) >> (2n * BigInt(l));
        const p = i >> 2n;
        for (let k = 0n; k < 4n; k++) if (4n * p + k !== i) out.push(levels[l].get(4n * p + k) ?? empty[l]);
      }
      return out;
    };
    return { root, pathOf };
  }

  // Genesis: account 0 = H(0, 1, 0, empty balance root), no pools.
  const emptyBalances = tree([], 5);
  const account0 = H([0n, 1n, 0n, emptyBalances.root]);
  // The state root's pool half: H(pool tree root, pair tree root, num_pools, 0) (docs/STATE.md).
  const poolRoot = H([tree([], 5).root, tree([], 9).root, 0n, 0n]);
  const genesis = H([tree([[0n, account0]], 12).root, poolRoot]);

  // After batch 1 (create account 1, deposit 5 ETH and 1000 of token 1, withdraw 300 to CAROL).
  const prv = Buffer.from("zkamm contracts test key 0000001".slice(0, 32));
  const pub = eddsa.prv2pub(prv);
  const px = F.toObject(pub[0]);
  const py = F.toObject(pub[1]);
  const packed = Buffer.from(babyJub.packPoint(pub)).toString("hex");
  const nonce = 0n;
  const ETH = 5n * 10n ** 18n;
  const TOK = 700n;
  const balances = tree([[0n, ETH], [1n, TOK]], 5);
  const account1 = H([px, py, nonce, balances.root]);
  const accounts = tree([[0n, account0], [1n, account1]], 12);
  const stateRoot = H([accounts.root, poolRoot]);

  // After batch 2 (account 1 creates pool 0 = (ETH, token 1) and adds 1 ETH + 400: LP supply
  // sqrt(1e18 * 400) = 2e10, of which MINIMUM_LIQUIDITY = 1000 locked in account 0; nonce 2).
  const POOL_R0 = 10n ** 18n;
  const POOL_R1 = 400n;
  const SUPPLY = 20000000000n;
  const LP = SUPPLY - 1000n;
  const nonce2 = 2n;
  const balances2 = tree([[0n, ETH - POOL_R0], [1n, TOK - POOL_R1], [512n, LP]], 5);
  const account0b = H([0n, 1n, 0n, tree([[512n, 1000n]], 5).root]);
  const account1b = H([px, py, nonce2, balances2.root]);
  const accounts2 = tree([[0n, account0b], [1n, account1b]], 12);
  const poolLeaf = [0n + 1024n * 1n, POOL_R0, POOL_R1, SUPPLY];
  const pools2 = tree([[0n, H(poolLeaf)]], 5);
  const pairs2 = tree([[0n + 512n * 1n, 1n]], 9); // pair (0, 1) -> pool 0 + 1
  const poolHalf2 = H([pools2.root, pairs2.root, 1n, 0n]);
  const state2Root = H([accounts2.root, poolHalf2]);

  const slot = (h) => h.padEnd(84, "0"); // 42-byte slots (docs/BATCH.md section 3)
  const pubdata1 =
    slot("0a" + hex(1, 3) + packed) +
    slot("01" + hex(1, 3) + hex(0, 2) + hex(ETH, 16)) +
    slot("01" + hex(1, 3) + hex(1, 2) + hex(1000, 16)) +
    slot("09" + hex(1, 3) + hex(1, 2) + hex(300, 16) + CAROL);
  const hdr = (num, ts, oldRoot, newRoot, first, count) =>
    hex(num, 8) + hex(ts, 8) + hex(oldRoot, 32) + hex(newRoot, 32) + hex(first, 8) + hex(count, 4) + hex(N, 4) + hex(1, 2); // num_tokens 1: ETH
  const header1 = hdr(1, T0, genesis, stateRoot, 0, 3);
  const header1Changed = hdr(1, T0 + 1n, genesis, stateRoot, 0, 3); // another timestamp
  const pubdata2 = "00".repeat(42 * N);
  const root2 = (stateRoot + 1n) % R;
  const header2 = hdr(2, T0 + 10n, stateRoot, root2, 3, 0);
  const input = (h, p) => BigInt("0x" + crypto.createHash("sha256").update(Buffer.from(h + p, "hex")).digest("hex")) & ((1n << 253n) - 1n);
  const input1 = input(header1, pubdata1);
  // Baby Jubjub keys and their circomlibjs packPoint (PubKeyFixture.sol): the key above, k * Base8
  // for k = 1.. until both signs of x occur three times, the full-group Generator (not in the
  // prime-order subgroup; the L2 unpacks it too) and the negation of the first key.
  const toKey = (P) => ({ x: F.toObject(P[0]), y: F.toObject(P[1]), packed: Buffer.from(babyJub.packPoint(P)).toString("hex") });
  const keys = [toKey(pub)];
  const half = (R - 1n) / 2n;
  const signs = [0, 0];
  for (let k = 1n; signs[0] < 3 || signs[1] < 3; k++) {
    const key = toKey(babyJub.mulPointEscalar(babyJub.Base8, k));
    const s = key.x > half ? 1 : 0;
    if (signs[s] >= 3) continue;
    signs[s]++;
    key.k = k;
    keys.push(key);
  }
  keys.push(toKey(babyJub.Generator));
  keys.push(toKey([F.neg(pub[0]), pub[1]]));
  // dlog8 of each key: 8 * key = dlog8 * Base8, what a signer needs (S = r + h * dlog8 mod l).
  // The first key is prv2pub(prv) = (s >> 3) * Base8 with s circomlibjs' pruned scalar (low 3
  // bits clear), so dlog8 = s; k * Base8 gives 8k; Base8 = 8 * Generator gives 1; a negation -s.
  const L = babyJub.subOrder;
  const prunedScalar = (p) => {
    const b = eddsa.pruneBuffer(require(path.join(NM, "blake-hash"))("blake512").update(Buffer.from(p)).digest());
    return BigInt("0x" + Buffer.from(b.slice(0, 32)).reverse().toString("hex"));
  };
  const s0 = prunedScalar(prv) % L;
  keys[0].dlog8 = s0;
  for (let i = 1; i < keys.length - 2; i++) keys[i].dlog8 = (8n * keys[i].k) % L;
  keys[keys.length - 2].dlog8 = 1n;
  keys[keys.length - 1].dlog8 = (L - s0) % L;
  for (const k of keys) {
    const eight = babyJub.mulPointEscalar([F.e(k.x), F.e(k.y)], 8n);
    const viaBase = babyJub.mulPointEscalar(babyJub.Base8, k.dlog8);
    if (!F.eq(eight[0], viaBase[0]) || !F.eq(eight[1], viaBase[1])) throw new Error("dlog8 of key " + k.x);
  }
  for (const k of keys) {
    if (!babyJub.inCurve([F.e(k.x), F.e(k.y)])) throw new Error("key not on the curve");
    const u = babyJub.unpackPoint(Buffer.from(k.packed, "hex"));
    if (F.toObject(u[0]) !== k.x || F.toObject(u[1]) !== k.y) throw new Error("packPoint round trip");
  }
  const head = `// SPDX-License-Identifier: MIT
// Generated by tests/e2e/contracts_fixture.js (circomlibjs ${require(path.join(NM, "circomlibjs", "package.json")).version}). Do not edit.
pragma solidity ^0.8.20;
`;
  const reg = await registrationFixture(genDir, head, outDir, zkamm, { poseidon, babyJub, eddsa, prv });
  fs.writeFileSync(path.join(outDir, "input.json"), JSON.stringify({ x: input1.toString(), w: "1" }));
  fs.writeFileSync(path.join(outDir, "input2.json"), JSON.stringify({ x: input(header2, pubdata2).toString(), w: "1" }));
  // For the anvil run of contracts.sh (cast arguments).
  fs.writeFileSync(path.join(outDir, "batch.json"), JSON.stringify({
    genesis: genesis.toString(), stateRoot: stateRoot.toString(), pubkey: "0x" + packed,
    pubkeyX: px.toString(), pubkeyY: py.toString(),
    // key1.json's key (RegistrationFixture key 1), registered by the C++ signer on anvil
    pubkey2X: reg.key1.x.toString(), pubkey2Y: reg.key1.y.toString(), pubkey2: "0x" + reg.key1.packed,
    header1: "0x" + header1, pubdata1: "0x" + pubdata1, carol: "0x" + CAROL,
    header2: "0x" + header2, pubdata2: "0x" + pubdata2, t0: T0.toString(),
    poseidon2: circomlibjs.poseidonContract.createCode(2), poseidon4: circomlibjs.poseidonContract.createCode(4),
    poseidon5: circomlibjs.poseidonContract.createCode(5),
  }));

  const arr = (xs) => `[${xs.map(u256).join(", ")}]`;
  const dynArr = (name, xs) => `    function ${name}() internal pure returns (uint256[] memory p) {
        uint256[${xs.length}] memory s = ${arr(xs)};
        p = new uint256[](${xs.length});
        for (uint256 i = 0; i < ${xs.length}; i++) p[i] = s[i];
    }
`;
  fs.writeFileSync(path.join(genDir, "ExodusFixture.sol"), `${head}
/// The state after batch 1 of BatchFixture, as circomlibjs computes it (docs/STATE.md): account 1
/// holds 5 ETH (token 0) and 700 of token 1, nonce 0; account 0 is the genesis one; no pools.
library ExodusFixture {
    uint256 internal constant GENESIS_ROOT = ${genesis};
    uint256 internal constant STATE_ROOT = ${stateRoot};
    uint256 internal constant POOL_ROOT = ${poolRoot};
    uint256 internal constant PUBKEY_X = ${px};
    uint256 internal constant PUBKEY_Y = ${py};
    uint256 internal constant NONCE = ${nonce};
    bytes32 internal constant PUBKEY_PACKED = hex"${packed}";
    uint128 internal constant BALANCE_ETH = ${ETH};
    uint128 internal constant BALANCE_TOKEN1 = ${TOK};

${dynArr("balancePathEth", balances.pathOf(0n))}
${dynArr("balancePathToken1", balances.pathOf(1n))}
${dynArr("accountPath", accounts.pathOf(1n))}
    // After batch 2: pool 0 = (ETH, token 1) with reserves 1e18 and 400, LP supply 2e10; account 1
    // holds 4 ETH, 300 of token 1 and 2e10 - 1000 LP (token 512), nonce 2.
    uint256 internal constant STATE2_ROOT = ${state2Root};
    uint256 internal constant NONCE2 = ${nonce2};
    uint128 internal constant BALANCE2_ETH = ${ETH - POOL_R0};
    uint128 internal constant BALANCE2_TOKEN1 = ${TOK - POOL_R1};
    uint128 internal constant BALANCE2_LP = ${LP};
    uint256 internal constant POOL2_ROOT = ${poolHalf2};
    uint256 internal constant PAIR2_ROOT = ${pairs2.root};
    uint256 internal constant NUM_POOLS2 = 1;

    function poolLeaf() internal pure returns (uint256[4] memory) {
        return ${arr(poolLeaf)};
    }

${dynArr("balance2PathEth", balances2.pathOf(0n))}
${dynArr("balance2PathToken1", balances2.pathOf(1n))}
${dynArr("balance2PathLp", balances2.pathOf(512n))}
${dynArr("account2Path", accounts2.pathOf(1n))}
${dynArr("poolPath", pools2.pathOf(0n))}}
`);
  fs.writeFileSync(path.join(genDir, "BatchFixture.sol"), `${head}
/// Batch 1 (create account 1, deposit 5 ETH and 1000 of token 1 to it, withdraw 300 of token 1 to
/// CAROL) from genesis to ExodusFixture.STATE_ROOT; the same header with another timestamp; and
/// batch 2 (all noop). INPUT1 = sha256(header1 || pubdata1) & (2^253 - 1), computed by node.
library BatchFixture {
    uint256 internal constant INPUT1 = ${input1};

    function header1() internal pure returns (bytes memory) {
        return hex"${header1}";
    }

    function header1Changed() internal pure returns (bytes memory) {
        return hex"${header1Changed}";
    }

    function pubdata1() internal pure returns (bytes memory) {
        return hex"${pubdata1}";
    }

    function header2() internal pure returns (bytes memory) {
        return hex"${header2}";
    }

    function pubdata2() internal pure returns (bytes memory) {
        return hex"${pubdata2}";
    }
}
`);
  const list = (f) => keys.map(f).join(", ");
  fs.writeFileSync(path.join(genDir, "PubKeyFixture.sol"), `${head}
/// Baby Jubjub public keys (x, y) and circomlibjs babyjub.packPoint of each (the bytes32 whose
/// first byte is packPoint's byte 0): ExodusFixture's key, k * Base8 for small k (both signs of
/// x), the full-group Generator and the negation (r - x, y) of the first key. dlog8(i): 8 * key(i)
/// = dlog8(i) * Base8, with which BabyJubTestSigner signs for the key.
library PubKeyFixture {
    uint256 internal constant COUNT = ${keys.length};

    function dlog8(uint256 i) internal pure returns (uint256) {
        uint256[${keys.length}] memory ds = [${list((k) => u256(k.dlog8))}];
        return ds[i];
    }

    function key(uint256 i) internal pure returns (uint256 x, uint256 y, bytes32 packed) {
        uint256[${keys.length}] memory xs = [${list((k) => u256(k.x))}];
        uint256[${keys.length}] memory ys = [${list((k) => u256(k.y))}];
        bytes32[${keys.length}] memory ps = [${list((k) => `bytes32(hex"${k.packed}")`)}];
        return (xs[i], ys[i], ps[i]);
    }
}
`);
  const code = (n) => circomlibjs.poseidonContract.createCode(n).replace(/^0x/, "");
  fs.writeFileSync(path.join(genDir, "PoseidonCode.sol"), `${head}
/// Creation code of circomlib's Poseidon contracts (circomlibjs poseidon_gencontract createCode).
library PoseidonCode {
    function inputs2() internal pure returns (bytes memory) {
        return hex"${code(2)}";
    }

    function inputs4() internal pure returns (bytes memory) {
        return hex"${code(4)}";
    }

    function inputs5() internal pure returns (bytes memory) {
        return hex"${code(5)}";
    }
}
`);
  // Self-check of the oracle against the value in /work/shared/design/TOOLING-NOTES.md.
  if (H([1n, 2n]) !== 7853200120776062878684798364095072458815029376092732009249414926327459813530n) throw new Error("poseidon");
}

// Registration signatures (docs/TRANSACTIONS.md section 3.4) for RegistrationFixture.sol, used by
// contracts/test/EdDSAPoseidonVerifier.t.sol: the message computed here with circomlibjs Poseidon
// and BigInt packing, signatures by circomlibjs signPoseidon and by the C++ signer (`zkamm wallet
// register`, tx::sign_registration), for a rollup that the test deploys from DEPLOYER at its
// nonce 0 on forge's default chain id.
async function registrationFixture(genDir, head, outDir, zkamm, { poseidon, babyJub, eddsa, prv }) {
  const F = babyJub.F;
  const ethers = require(path.join(NM, "ethers"));
  const CHAIN_ID = 31337n; // forge's default block.chainid
  const DEPLOYER = "0x000000000000000000000000000000005eed0001";
  const ROLLUP = ethers.utils.getContractAddress({ from: DEPLOYER, nonce: 0 }).toLowerCase();
  const OWNER = "0x0000000000000000000000000000000000a11ce0";
  const TAG = 0x7a6b5231n; // "zkR1"
  const message = (chainId, rollup, owner) =>
    F.toObject(poseidon([chainId + (BigInt(rollup) << 64n), BigInt(owner) + (TAG << 160n)]));
  const M = message(CHAIN_ID, ROLLUP, OWNER);
  const prvs = [prv, Buffer.from("zkamm contracts test key 0000002".slice(0, 32))];
  const sigs = [];
  const cpp = [];
  for (let i = 0; i < prvs.length; i++) {
    const A = eddsa.prv2pub(prvs[i]);
    const sig = eddsa.signPoseidon(prvs[i], F.e(M));
    if (!eddsa.verifyPoseidon(F.e(M), sig, A)) throw new Error("circomlibjs rejects its own signature");
    sigs.push({ ax: F.toObject(A[0]), ay: F.toObject(A[1]), r8x: F.toObject(sig.R8[0]), r8y: F.toObject(sig.R8[1]), s: sig.S });
    // The C++ signer reads the key from a key file (never from the command line).
    const keyFile = path.join(outDir, `key${i}.json`);
    fs.rmSync(keyFile, { force: true });
    fs.writeFileSync(keyFile, JSON.stringify({ private_key: "0x" + Buffer.from(prvs[i]).toString("hex") }), { mode: 0o600 });
    const out = JSON.parse(execFileSync(zkamm, ["wallet", "register", "--key", keyFile, "--owner", OWNER,
      "--chain-id", CHAIN_ID.toString(), "--rollup", ROLLUP], { encoding: "utf8" }));
    cpp.push(out);
  }
  // A generic signature (not a registration message) and a key of order 4, (1/sqrt(a), 0), with
  // a "signature" made without any secret: R8 = S * Base8 satisfies S*B8 == R8 + 8hA because
  // 8A is the identity; circomlibjs accepts it, EdDSAPoseidonVerifier must not.
  const GENERIC_M = 1234567890123456789n;
  const g = eddsa.signPoseidon(prvs[1], F.e(GENERIC_M));
  const gA = eddsa.prv2pub(prvs[1]);
  const small = [F.sqrt(F.inv(F.e(168700n))), F.e(0n)];
  if (!babyJub.inCurve(small)) throw new Error("order-4 point off the curve");
  const forgedS = 123456789n;
  const forged = { R8: babyJub.mulPointEscalar(babyJub.Base8, forgedS), S: forgedS };
  if (!eddsa.verifyPoseidon(F.e(M), forged, small)) throw new Error("circomlibjs rejects the small-order forgery");
  const sol = (x) => u256(x);
  const tuple = (xs) => xs.map(sol).join(", ");
  const pick = (arr, f) => arr.map((x, i) => `        if (i == ${i}) return (${tuple(f(x))});
`).join("");
  fs.writeFileSync(path.join(genDir, "RegistrationFixture.sol"), `${head}
/// Registration signatures (docs/TRANSACTIONS.md section 3.4) for OWNER on ROLLUP (the rollup
/// EdDSAPoseidonVerifier.t.sol deploys from DEPLOYER at its nonce 0) on chain CHAIN_ID: MESSAGE by
/// circomlibjs Poseidon, signatures by circomlibjs signPoseidon and by \`zkamm wallet register\`
/// (the C++ signer, with its own MESSAGE_CPP and calldata), for KEYS keys (key 0 is ExodusFixture's).
/// Plus a circomlibjs signature on GENERIC_M, and a key of order 4 with a signature made without
/// any secret that circomlib's rules accept.
library RegistrationFixture {
    uint256 internal constant CHAIN_ID = ${CHAIN_ID};
    address internal constant DEPLOYER = ${ethers.utils.getAddress(DEPLOYER)};
    address internal constant ROLLUP = ${ethers.utils.getAddress(ROLLUP)};
    address internal constant OWNER = ${ethers.utils.getAddress(OWNER)};
    uint256 internal constant MESSAGE = ${M};
    uint256 internal constant KEYS = ${prvs.length};
    uint256 internal constant GENERIC_M = ${GENERIC_M};
    uint256 internal constant SMALL_X = ${F.toObject(small[0])};
    uint256 internal constant SMALL_Y = ${F.toObject(small[1])};

    /// Key i and circomlibjs' signature on MESSAGE.
    function circomlibjs(uint256 i) internal pure returns (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) {
${pick(sigs, (x) => [x.ax, x.ay, x.r8x, x.r8y, x.s])}        revert("no such key");
    }

    /// Key i and the C++ signature on MESSAGE_CPP(i) (zkamm wallet register).
    function cpp(uint256 i) internal pure returns (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) {
${pick(cpp, (x) => [x.x, x.y, x.r8x, x.r8y, x.s])}        revert("no such key");
    }

    function messageCpp(uint256 i) internal pure returns (uint256) {
${cpp.map((x, i) => `        if (i == ${i}) return ${sol(x.message)};
`).join("")}        revert("no such key");
    }

    /// zkamm wallet register's registerAccount calldata for key i.
    function calldataCpp(uint256 i) internal pure returns (bytes memory) {
${cpp.map((x, i) => `        if (i == ${i}) return hex"${x.register_account.calldata.replace(/^0x/, "")}";
`).join("")}        revert("no such key");
    }

    /// circomlibjs' signature by key 1 on GENERIC_M.
    function generic() internal pure returns (uint256 ax, uint256 ay, uint256 r8x, uint256 r8y, uint256 s) {
        return (${tuple([F.toObject(gA[0]), F.toObject(gA[1]), F.toObject(g.R8[0]), F.toObject(g.R8[1]), g.S])});
    }

    /// The forgery for the order-4 key (SMALL_X, SMALL_Y) on MESSAGE: R8 = S * Base8.
    function smallOrderForgery() internal pure returns (uint256 r8x, uint256 r8y, uint256 s) {
        return (${tuple([F.toObject(forged.R8[0]), F.toObject(forged.R8[1]), forged.S])});
    }
}
`);
  const A1 = eddsa.prv2pub(prvs[1]);
  return { key1: { x: F.toObject(A1[0]), y: F.toObject(A1[1]), packed: Buffer.from(babyJub.packPoint(A1)).toString("hex") } };
}

async function rerandomise(inFile, outFile) {
  const { unstringifyBigInts, stringifyBigInts } = ffjavascript.utils;
  const curve = await ffjavascript.buildBn128(true);
  const proof = unstringifyBigInts(JSON.parse(fs.readFileSync(inFile, "utf8")));
  const s = (BigInt("0x" + crypto.randomBytes(32).toString("hex")) % (R - 2n)) + 2n;
  const sInv = curve.Fr.toObject(curve.Fr.inv(curve.Fr.e(s)));
  const A = curve.G1.timesScalar(curve.G1.fromObject(proof.pi_a), s);
  const B = curve.G2.timesScalar(curve.G2.fromObject(proof.pi_b), sInv);
  proof.pi_a = curve.G1.toObject(curve.G1.toAffine(A));
  proof.pi_b = curve.G2.toObject(curve.G2.toAffine(B));
  fs.writeFileSync(outFile, JSON.stringify(stringifyBigInts(proof), null, 1));
  await curve.terminate();
}

function proofFixture(calldata, calldataR, calldata2, outFile) {
  const read = (f) => JSON.parse("[" + fs.readFileSync(f, "utf8").trim() + "]");
  const fn = (name, [a, b, c, pub]) => `    function ${name}()
        internal
        pure
        returns (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c, uint256[1] memory pub)
    {
        a = [${u256(a[0])}, ${u256(a[1])}];
        b = [[${u256(b[0][0])}, ${u256(b[0][1])}], [${u256(b[1][0])}, ${u256(b[1][1])}]];
        c = [${u256(c[0])}, ${u256(c[1])}];
        pub = [${u256(pub[0])}];
    }
`;
  fs.writeFileSync(outFile, `// SPDX-License-Identifier: MIT
// Generated by tests/e2e/contracts_fixture.js from \`zkamm calldata\`. Do not edit.
pragma solidity ^0.8.20;

/// A zkamm Groth16 proof for BatchFixture.INPUT1, a re-randomised copy of it (A*s, B/s, C), and a
/// proof for batch 2 (sha256(header2 || pubdata2) & (2^253 - 1)).
library BatchProofFixture {
${fn("proof", read(calldata))}
${fn("proofRerandomised", read(calldataR))}
${fn("proof2", read(calldata2))}}
`);
}

const [mode, ...args] = process.argv.slice(2);
const run = { state: () => state(args[0], args[1], args[2]), rerandomise: () => rerandomise(args[0], args[1]), proof: async () => proofFixture(args[0], args[1], args[2], args[3]) }[mode];
if (!run) {
  console.error("usage: contracts_fixture.js state|rerandomise|proof ...");
  process.exit(2);
}
run().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
