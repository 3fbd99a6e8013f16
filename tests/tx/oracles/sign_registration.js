// Oracle for tests/tx/registration_test.cpp: the L1 registration message of docs/TRANSACTIONS.md
// section 3.4, packed here with BigInt independently of the C++ code, hashed and signed with
// circomlibjs 0.1.7 (buildPoseidon, buildEddsa, signPoseidon).
// Request (argv[2], JSON): [{chain_id: "dec", rollup: "0x..40", owner: "0x..40", prv: "0x..64"}]
// Answer (stdout, JSON):   [{inputs: [dec, dec], M: dec, A: [x, y], R8: [x, y], S: dec}]
"use strict";
const fs = require("fs");
const { buildPoseidon, buildEddsa } = require("circomlibjs");

const TAG = 0x7a6b5231n; // "zkR1"

(async () => {
  const poseidon = await buildPoseidon();
  const eddsa = await buildEddsa();
  const F = eddsa.babyJub.F;
  const req = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const out = req.map((c) => {
    const e1 = BigInt(c.chain_id) + (BigInt(c.rollup) << 64n);
    const eo = BigInt(c.owner) + (TAG << 160n);
    const M = poseidon.F.toObject(poseidon([e1, eo]));
    const prv = Buffer.from(c.prv.slice(2), "hex");
    const A = eddsa.prv2pub(prv);
    const sig = eddsa.signPoseidon(prv, F.e(M));
    if (!eddsa.verifyPoseidon(F.e(M), sig, A)) throw new Error("circomlibjs rejects its own signature");
    const d = (x) => F.toObject(x).toString();
    return { inputs: [e1.toString(), eo.toString()], M: M.toString(), A: [d(A[0]), d(A[1])],
             R8: [d(sig.R8[0]), d(sig.R8[1])], S: sig.S.toString() };
  });
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
