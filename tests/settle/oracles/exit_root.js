#!/usr/bin/env node
// Independent oracle for tests/settle/exit_proof_test.cpp: recomputes the state root of a zkamm
// exit proof (zkamm_getExitProof's JSON) with circomlibjs 0.1.7's Poseidon, folding the
// quaternary paths as contracts/src/QuaternaryMerkle.sol does (docs/STATE.md): at level l the
// node sits at position (index >> 2l) & 3 and path[3l..3l+2] are the other children in order.
// Usage: node exit_root.js PROOF.json   -> prints the root as 0x + 64 hex digits.
"use strict";
const fs = require("fs");
const { buildPoseidon } = require("circomlibjs");

async function main() {
  const p = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const poseidon = await buildPoseidon();
  const F = poseidon.F;
  const h = (xs) => BigInt(F.toString(poseidon(xs.map((x) => BigInt(x)))));
  const fold = (leaf, index, path, depth) => {
    if (path.length !== 3 * depth) throw new Error("path length");
    let node = BigInt(leaf);
    for (let l = 0; l < depth; l++) {
      const pos = (BigInt(index) >> BigInt(2 * l)) & 3n;
      const children = [];
      let s = 0;
      for (let k = 0n; k < 4n; k++) children.push(k === pos ? node : BigInt(path[3 * l + s++]));
      node = h(children);
    }
    return node;
  };
  const balanceRoot = fold(p.balance, p.token, p.balance_path, 5);
  const leaf = h([p.pubkey_x, p.pubkey_y, p.nonce, balanceRoot]);
  const accountRoot = fold(leaf, p.account, p.account_path, 12);
  let poolRoot = BigInt(p.pool_root);
  if (p.pool) {
    // pool_root is the state root's pool half: H(pool tree root, pair tree root, num_pools, 0).
    const treeRoot = fold(h(p.pool.leaf), p.pool.pool, p.pool.path, 5);
    poolRoot = h([treeRoot, p.pool.pair_root, p.pool.num_pools, 0n]);
    if (poolRoot !== BigInt(p.pool_root)) throw new Error("pool path does not give pool_root");
  }
  const root = h([accountRoot, poolRoot]);
  console.log("0x" + root.toString(16).padStart(64, "0"));
}
main().catch((e) => {
  console.error(e.message);
  process.exit(1);
});
