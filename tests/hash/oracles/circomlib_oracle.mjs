// Oracle for tests/hash: reads a JSON request file (argv[2]) and prints circomlibjs 0.1.7's
// answers as JSON on stdout. Field elements and scalars are decimal strings, points [x, y],
// byte strings lowercase hex. Every key of the request is optional:
//   poseidon: [[in...]]            -> poseidon: [out]
//   mul:      [{p, e}]             -> mul: [point]          (babyJub.mulPointEscalar)
//   add:      [[p, q]]             -> add: [point]          (babyJub.addPoint)
//   pack:     [p]                  -> pack: [hex]           (babyJub.packPoint)
//   unpack:   [hex]                -> unpack: [point|null]  (babyJub.unpackPoint)
//   in_subgroup: [p]               -> in_subgroup: [bool]
//   blake512: [hex]                -> blake512: [hex]       (blake-hash, as eddsa.js uses it)
//   sign:     [{prv, msg}]         -> sign: [{A, R8, S, packed}] (prv2pub, signPoseidon, packSignature)
//   verify:   [{A, msg, R8, S}]    -> verify: [bool]        (verifyPoseidon)
import { readFileSync } from "fs";
import { buildEddsa } from "circomlibjs";
import createBlakeHash from "blake-hash";

const req = JSON.parse(readFileSync(process.argv[2], "utf8"));
const eddsa = await buildEddsa();
const babyJub = eddsa.babyJub;
const F = babyJub.F;
const poseidon = eddsa.poseidon;

const hex = (u8) => Buffer.from(u8).toString("hex");
const unhex = (h) => new Uint8Array(Buffer.from(h, "hex"));
const pt = (p) => [F.e(p[0]), F.e(p[1])];
const dec = (p) => [F.toObject(p[0]).toString(), F.toObject(p[1]).toString()];

const out = {};
if (req.poseidon) out.poseidon = req.poseidon.map((ins) => F.toObject(poseidon(ins.map((x) => BigInt(x)))).toString());
if (req.mul) out.mul = req.mul.map(({ p, e }) => dec(babyJub.mulPointEscalar(pt(p), BigInt(e))));
if (req.add) out.add = req.add.map(([p, q]) => dec(babyJub.addPoint(pt(p), pt(q))));
if (req.pack) out.pack = req.pack.map((p) => hex(babyJub.packPoint(pt(p))));
if (req.unpack) {
  out.unpack = req.unpack.map((h) => {
    const p = babyJub.unpackPoint(unhex(h));
    return p ? dec(p) : null;
  });
}
if (req.in_subgroup) out.in_subgroup = req.in_subgroup.map((p) => babyJub.inSubgroup(pt(p)));
if (req.blake512) out.blake512 = req.blake512.map((h) => hex(createBlakeHash("blake512").update(Buffer.from(h, "hex")).digest()));
if (req.sign) {
  out.sign = req.sign.map(({ prv, msg }) => {
    const key = Buffer.from(prv, "hex");
    const A = eddsa.prv2pub(key);
    const sig = eddsa.signPoseidon(key, F.e(BigInt(msg)));
    return { A: dec(A), R8: dec(sig.R8), S: sig.S.toString(), packed: hex(eddsa.packSignature(sig)) };
  });
}
if (req.verify) {
  out.verify = req.verify.map(({ A, msg, R8, S }) => eddsa.verifyPoseidon(F.e(BigInt(msg)), { R8: pt(R8), S: BigInt(S) }, pt(A)));
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
