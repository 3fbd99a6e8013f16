// Swap-only batches for bench/scripts/rollup_gas.sh: `node rollup_gas.js <N> <count> <out dir> [swap]`
// writes genesis.txt (a canonical root) and, for k = 1..count, h<k>.hex (96-byte header,
// docs/BATCH.md section 2, chained roots), p<k>.hex (N swap_exact_in slots of 42 bytes,
// docs/TRANSACTIONS.md section 4) and input<k>.json ({x: sha256(h || p) & (2^253 - 1), w: 1},
// the witness input of the one-public-input circuit). Amounts as the node publishes them for
// swaps of 1e15..1e21 wei: 10^e plus random low digits, e in 15..20 (7 to 9 significant bytes).
// With `swap`: swap batches (docs/BATCH.md section 8): header kind 1 and N 10-byte words
// (docs/TRANSACTIONS.md section 6), the amount as a float with 10 significant digits.
// Deterministic (sha256 of N and slot): a self-generated vector.
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const hex = (n, bytes) => BigInt(n).toString(16).padStart(bytes * 2, "0");
const rand = (...parts) => BigInt("0x" + crypto.createHash("sha256").update(parts.join("/")).digest("hex"));

function amount(n, i, side) {
  const h = rand("amount", n, i, side);
  const p = 10n ** (15n + (h % 6n));
  return p + ((h >> 8n) % p);
}

function swapSlot(n, i) {
  // type, account, token_in, token_out, amount_in: the amount out is not published
  const s = "04" + hex(1000 + i, 3) + hex(1, 2) + hex(2, 2) + hex(amount(n, i, 0), 16);
  return s.padEnd(84, "0"); // 42-byte slot
}

// op 1 (exact in), zero_for_one, account, pool 0, exponent, 35-bit mantissa, 3 zero bits.
function compactSwapSlot(n, i) {
  const h = rand("amount", n, i, 0);
  const m = 1000000000n + (h % 9000000000n); // 10 significant digits
  const e = 6n + ((h >> 64n) % 6n); // 1e15..1e21 wei
  const w = (1n << 78n) | (1n << 77n) | (BigInt(1000 + i) << 53n) | (e << 38n) | (m << 3n);
  return hex(w, 10);
}

const [nArg, countArg, outDir, kind] = process.argv.slice(2);
const swapBatch = kind === "swap";
const N = Number(nArg);
const count = Number(countArg);
fs.mkdirSync(outDir, { recursive: true });
let root = rand("root", N, 0) % R;
fs.writeFileSync(path.join(outDir, "genesis.txt"), root.toString());
let ts = BigInt(Math.floor(Date.now() / 1000) - 600);
for (let k = 1; k <= count; k++) {
  const newRoot = rand("root", N, k) % R;
  const h = hex(k, 8) + hex(ts + BigInt(k), 8) + hex(root, 32) + hex(newRoot, 32) + hex(0, 8) + hex(0, 4) + hex((swapBatch ? 1 << 24 : 0) + N, 4);
  let p = "";
  for (let i = 0; i < N; i++) p += (swapBatch ? compactSwapSlot : swapSlot)(N, (k - 1) * N + i);
  const digest = BigInt("0x" + crypto.createHash("sha256").update(Buffer.from(h + p, "hex")).digest("hex"));
  const x = digest & ((1n << 253n) - 1n);
  fs.writeFileSync(path.join(outDir, `h${k}.hex`), "0x" + h);
  fs.writeFileSync(path.join(outDir, `p${k}.hex`), "0x" + p);
  fs.writeFileSync(path.join(outDir, `input${k}.json`), JSON.stringify({ x: x.toString(), w: "1" }));
  root = newRoot;
}
