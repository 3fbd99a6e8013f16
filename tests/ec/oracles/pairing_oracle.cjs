// Oracle for tests/ec/pairing_oracle_test.cpp: prints e([a]G1, [b]G2) as computed by
// ffjavascript's bn128 (the library snarkjs uses), for each "a:b" argument (decimal scalars),
// one line of 12 decimal Fq values in the order c0.c0.c0 c0.c0.c1 c0.c1.c0 ... c1.c2.c1.
// Usage: node pairing_oracle.cjs <node_modules dir> a:b [a:b ...]
const path = require("path");
const { buildBn128 } = require(path.join(process.argv[2], "ffjavascript"));
(async () => {
  const bn = await buildBn128(true);
  for (const arg of process.argv.slice(3)) {
    const [a, b] = arg.split(":").map(BigInt);
    const p = bn.G1.timesScalar(bn.G1.g, a);
    const q = bn.G2.timesScalar(bn.G2.g, b);
    const e = bn.Gt.toObject(bn.pairing(bn.G1.toAffine(p), bn.G2.toAffine(q)));
    console.log(e.flat(2).map((v) => v.toString()).join(" "));
  }
  await bn.terminate();
})();
