// Oracle for tests/tx: computes the signed message M of zkamm L2 transactions from their JSON
// form with the packing of docs/TRANSACTIONS.md section 3, written here independently of the C++
// code, and signs it with circomlibjs 0.1.7 (buildPoseidon, buildEddsa, signPoseidon).
// Request (argv[2], JSON): [{tx, domain: {chain_id: "dec", rollup: "0x.."}, prv: "0x..64"}]
// Answer (stdout, JSON):   [{inputs: [dec x6], M: dec, A: [x, y], pub: hex, signature: "0x..128"}]
"use strict";
const fs = require("fs");
const { buildPoseidon, buildEddsa } = require("circomlibjs");

const TAG = 0x7a6b4131n; // "zkA1"
const TYPES = {
  transfer: 3, swap_exact_in: 4, swap_exact_out: 5, create_pool: 6,
  add_liquidity: 7, remove_liquidity: 8, withdraw: 9,
};

// Per type: which tx fields go to account, to_account, token_a, token_b, and the four wide slots.
function fields(tx) {
  const n = (k) => BigInt(tx[k]);
  const amt = (k) => BigInt(tx[k]);
  const z = 0n;
  switch (tx.type) {
    case "transfer":
      return { account: n("from"), to: n("to"), ta: n("token"), tb: z, deadline: z, wide: [amt("amount"), z, z, z] };
    case "swap_exact_in":
      return { account: n("account"), to: z, ta: n("token_in"), tb: n("token_out"), deadline: n("deadline"),
               wide: [amt("amount_in"), amt("amount_out_min"), z, z] };
    case "swap_exact_out":
      return { account: n("account"), to: z, ta: n("token_in"), tb: n("token_out"), deadline: n("deadline"),
               wide: [amt("amount_out"), amt("amount_in_max"), z, z] };
    case "create_pool":
      return { account: n("account"), to: z, ta: n("token_a"), tb: n("token_b"), deadline: z, wide: [z, z, z, z] };
    case "add_liquidity":
      return { account: n("account"), to: z, ta: n("token_a"), tb: n("token_b"), deadline: n("deadline"),
               wide: [amt("amount_a_desired"), amt("amount_b_desired"), amt("amount_a_min"), amt("amount_b_min")] };
    case "remove_liquidity":
      return { account: n("account"), to: z, ta: n("token_a"), tb: n("token_b"), deadline: n("deadline"),
               wide: [amt("liquidity"), amt("amount_a_min"), amt("amount_b_min"), z] };
    case "withdraw":
      return { account: n("account"), to: z, ta: n("token"), tb: z, deadline: z,
               wide: [amt("amount"), BigInt(tx.l1_address), z, z] };
    default:
      throw new Error("not an L2 transaction: " + tx.type);
  }
}

function inputs(tx, domain) {
  const f = fields(tx);
  const e0 = BigInt(TYPES[tx.type]) | (f.account << 8n) | (BigInt(tx.nonce) << 32n) | (f.ta << 64n) |
             (f.tb << 80n) | (f.deadline << 96n) | (f.to << 160n) | (TAG << 184n);
  const e1 = BigInt(domain.chain_id) | (BigInt(domain.rollup) << 64n);
  return [e0, e1, ...f.wide];
}

(async () => {
  const req = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const poseidon = await buildPoseidon();
  const eddsa = await buildEddsa();
  const F = eddsa.babyJub.F;
  const hex = (u8) => "0x" + Buffer.from(u8).toString("hex");
  const out = req.map(({ tx, domain, prv }) => {
    const ins = inputs(tx, domain);
    const M = F.toObject(poseidon(ins));
    const key = Buffer.from(prv.slice(2), "hex");
    const A = eddsa.prv2pub(key);
    const sig = eddsa.signPoseidon(key, F.e(M));
    return {
      inputs: ins.map((x) => x.toString()),
      M: M.toString(),
      A: [F.toObject(A[0]).toString(), F.toObject(A[1]).toString()],
      pub: hex(eddsa.babyJub.packPoint(A)),
      signature: hex(eddsa.packSignature(sig)),
    };
  });
  process.stdout.write(JSON.stringify(out));
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
