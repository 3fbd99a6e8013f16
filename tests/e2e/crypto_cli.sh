#!/usr/bin/env bash
# `zkamm crypto poseidon | eddsa-verify | sha256` against independent oracles: circomlibjs 0.1.7
# (Poseidon vector, EdDSA-Poseidon signature on a fixed key) and coreutils sha256sum.
# Usage: crypto_cli.sh <zkamm> <repo root> <node_modules> <cache dir>
source "$(dirname "$0")/common.sh"
crypto() { "$ZKAMM" crypto "$@"; }
# expect_eq <description> <expected> <actual>
expect_eq() {
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected '$2', got '$3'"; exit 1; fi
  echo "ok: $1"
}
R=21888242871839275222246405745257275088548364400416034343698204186575808495617

step "poseidon"
# circomlibjs buildPoseidon()([1, 2]) (docs/TOOLING-NOTES.md; recomputed below as well).
expect_eq "poseidon 1 2" 7853200120776062878684798364095072458815029376092732009249414926327459813530 "$(crypto poseidon 1 2)"
expect_fail "poseidon input = r" crypto poseidon 1 "$R"
expect_fail "poseidon input 2^256" crypto poseidon 115792089237316195423570985008687907853269984665640564039457584007913129639936
expect_fail "poseidon non-decimal input" crypto poseidon 0x01
expect_fail "poseidon leading zero" crypto poseidon 01
expect_fail "poseidon no inputs" crypto poseidon
expect_fail "poseidon 17 inputs" crypto poseidon 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17

step "sha256"
expect_eq "sha256 empty" "$(printf '' | sha256sum | cut -d' ' -f1)" "$(crypto sha256 '')"
expect_eq "sha256 616263" "$(printf 'abc' | sha256sum | cut -d' ' -f1)" "$(crypto sha256 616263)"
expect_eq "sha256 0x616263" "$(printf 'abc' | sha256sum | cut -d' ' -f1)" "$(crypto sha256 0x616263)"
expect_fail "sha256 odd length" crypto sha256 616
expect_fail "sha256 non-hex" crypto sha256 zz

step "eddsa-verify (circomlibjs signPoseidon oracle)"
# Prints: Ax Ay R8x R8y S msg poseidon(1,2,3), all decimal.
read -r AX AY RX RY S MSG P123 < <(NODE_PATH="$NM" node -e '
  const { buildEddsa, buildPoseidon } = require("circomlibjs");
  (async () => {
    const eddsa = await buildEddsa(); const poseidon = await buildPoseidon();
    const F = eddsa.babyJub.F;
    const prv = Buffer.from("0001020304050607080900010203040506070809000102030405060708090001", "hex");
    const msg = 1234567890123456789n;
    const A = eddsa.prv2pub(prv);
    const sig = eddsa.signPoseidon(prv, F.e(msg));
    if (!eddsa.verifyPoseidon(F.e(msg), sig, A)) throw new Error("circomlibjs rejects its own signature");
    const d = (x) => F.toObject(x).toString();
    console.log([d(A[0]), d(A[1]), d(sig.R8[0]), d(sig.R8[1]), sig.S.toString(), msg.toString(),
                 poseidon.F.toObject(poseidon([1, 2, 3])).toString()].join(" "));
  })().catch((e) => { console.error(e); process.exit(1); });')
[ -n "$P123" ] || { echo "FAIL: oracle produced no output"; exit 1; }
expect_eq "poseidon 1 2 3 (circomlibjs)" "$P123" "$(crypto poseidon 1 2 3)"
expect_eq "valid signature" true "$(crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "$S" "$MSG")"
MSG1=$(node -e 'console.log((BigInt(process.argv[1]) + 1n).toString())' "$MSG")
S1=$(node -e 'console.log((BigInt(process.argv[1]) + 1n).toString())' "$S")
expect_eq "message + 1" false "$(crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "$S" "$MSG1")"
expect_eq "S + 1" false "$(crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "$S1" "$MSG")"
expect_eq "R8 swapped with A" false "$(crypto eddsa-verify "$RX" "$RY" "$AX" "$AY" "$S" "$MSG")"
expect_fail "eddsa-verify 5 arguments" crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "$S"
expect_fail "eddsa-verify AX = r" crypto eddsa-verify "$R" "$AY" "$RX" "$RY" "$S" "$MSG"
expect_fail "eddsa-verify non-decimal S" crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "x$S" "$MSG"
expect_fail "eddsa-verify MSG = r" crypto eddsa-verify "$AX" "$AY" "$RX" "$RY" "$S" "$R"

step "usage"
expect_fail "crypto without a subcommand" crypto
expect_fail "unknown crypto subcommand" crypto keccak 00
echo "crypto_cli: all ok"
