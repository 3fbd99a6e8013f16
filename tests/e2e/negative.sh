#!/usr/bin/env bash
# Negative cases: a witness that violates one constraint yields no verifying proof (zkamm prove
# refuses; with --no-check the proof it writes is rejected by snarkjs and by zkamm verify);
# tampered public signals and hostile/truncated files give exit 1 with a message, never a crash.
source "$(dirname "$0")/common.sh"

d="$TMP/demo"
"$ZKAMM" demo "$d" --length 3 --inputs 2 --seed 5 > /dev/null

step "corrupted witness"
# Flip the lowest byte of the last wire (z, always 0 in the demo): violates z = (x - x) * s.
node -e '
  const fs = require("fs");
  const b = fs.readFileSync(process.argv[1]);
  b[b.length - 32] ^= 1;
  fs.writeFileSync(process.argv[2], b);' "$d/demo.wtns" "$d/bad.wtns"
expect_fail "snarkjs wtns check on the corrupted witness" snarkjs wtns check "$d/demo.r1cs" "$d/bad.wtns"
expect_fail "zkamm prove with a corrupted witness" "$ZKAMM" prove "$d/demo.zkey" "$d/bad.wtns" "$d/p.json" "$d/pub.json"
"$ZKAMM" prove --no-check "$d/demo.zkey" "$d/bad.wtns" "$d/bad_proof.json" "$d/bad_public.json"
expect_fail "snarkjs verify of a proof from a bad witness" snarkjs groth16 verify "$d/verification_key.json" "$d/bad_public.json" "$d/bad_proof.json"
expect_fail "zkamm verify of a proof from a bad witness" "$ZKAMM" verify "$d/verification_key.json" "$d/bad_public.json" "$d/bad_proof.json"

step "tampered public signals"
node -e '
  const fs = require("fs");
  const p = JSON.parse(fs.readFileSync(process.argv[1]));
  const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
  const a = [...p]; a[1] = (BigInt(a[1]) + 1n).toString(); fs.writeFileSync(process.argv[2], JSON.stringify(a));
  const b = [...p]; b[1] = (BigInt(b[1]) + r).toString(); fs.writeFileSync(process.argv[3], JSON.stringify(b));
  fs.writeFileSync(process.argv[4], JSON.stringify(p.slice(1)));' \
  "$d/public.json" "$d/pub_plus1.json" "$d/pub_plus_r.json" "$d/pub_short.json"
"$ZKAMM" verify "$d/verification_key.json" "$d/public.json" "$d/proof.json"
expect_fail "zkamm verify: public signal + 1" "$ZKAMM" verify "$d/verification_key.json" "$d/pub_plus1.json" "$d/proof.json"
expect_fail "zkamm verify: public signal + r" "$ZKAMM" verify "$d/verification_key.json" "$d/pub_plus_r.json" "$d/proof.json"
expect_fail "snarkjs verify: public signal + r" snarkjs groth16 verify "$d/verification_key.json" "$d/pub_plus_r.json" "$d/proof.json"
expect_fail "zkamm verify: one public signal missing" "$ZKAMM" verify "$d/verification_key.json" "$d/pub_short.json" "$d/proof.json"

step "hostile files"
for f in demo.zkey demo.wtns demo.r1cs; do
  size=$(stat -c %s "$d/$f")
  for cut in 0 3 11 40 $((size / 2)) $((size - 1)); do
    head -c "$cut" "$d/$f" > "$d/cut_$f"
    case $f in
      demo.zkey) expect_fail "truncated $f ($cut bytes)" "$ZKAMM" prove "$d/cut_$f" "$d/demo.wtns" "$d/x.json" "$d/y.json" ;;
      demo.wtns) expect_fail "truncated $f ($cut bytes)" "$ZKAMM" prove "$d/demo.zkey" "$d/cut_$f" "$d/x.json" "$d/y.json" ;;
      demo.r1cs) expect_fail "truncated $f ($cut bytes)" "$ZKAMM" setup "$d/cut_$f" "$d/x.zkey" ;;
    esac
  done
done
head -c 4096 /dev/urandom > "$d/garbage"
expect_fail "garbage zkey" "$ZKAMM" zkey export-vk "$d/garbage" "$d/x.json"
expect_fail "garbage r1cs" "$ZKAMM" setup "$d/garbage" "$d/x.zkey"
expect_fail "garbage proof.json" "$ZKAMM" verify "$d/verification_key.json" "$d/public.json" "$d/garbage"
expect_fail "missing file" "$ZKAMM" verify "$d/nope.json" "$d/public.json" "$d/proof.json"
"$ZKAMM" demo "$TMP/other" --length 6 --inputs 2 > /dev/null
expect_fail "witness for another circuit" "$ZKAMM" prove "$d/demo.zkey" "$TMP/other/demo.wtns" "$d/x.json" "$d/y.json"
expect_fail "unknown subcommand" "$ZKAMM" frobnicate
expect_fail "missing arguments" "$ZKAMM" prove "$d/demo.zkey"
echo "PASS"
