#!/usr/bin/env bash
# Constraint counts of circomlib's reference circuits (npm circomlib 2.0.5, compiled with circom
# 2.2.3 from npm circom2 at --O2, as circom users deploy them), to set beside zkamm's gadget
# counts in docs/PERFORMANCE.md. Usage: bench/scripts/circomlib_counts.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# circom2 runs under WASI and sees only the folder it starts in: run it from the repo root on
# files under build/, which include circomlib by a path that stays inside the root.
mkdir -p "$root/build"
work=$(mktemp -d -p "$root/build" circomlib-counts.XXXX)
rel=${work#"$root"/}
trap 'rm -rf "$work"' EXIT
echo "| circomlib template | non-linear constraints (--O2) |"
echo "|---|---|"
while IFS=: read -r file template name; do
  printf 'pragma circom 2.0.0;\ninclude "../../node_modules/circomlib/circuits/%s";\ncomponent main = %s;\n' "$file" "$template" >"$work/$name.circom"
  count=$(cd "$root" && node node_modules/circom2/cli.js "$rel/$name.circom" --r1cs --O2 -o "$rel" 2>&1 |
          awk -F': ' '/non-linear constraints/ {print $2}')
  echo "| $template | $count |"
done <<'LIST'
poseidon.circom:Poseidon(2):poseidon2
poseidon.circom:Poseidon(4):poseidon4
bitify.circom:Num2Bits_strict():num2bits_strict
comparators.circom:LessThan(128):lessthan128
eddsaposeidon.circom:EdDSAPoseidonVerifier():eddsa
sha256/sha256.circom:Sha256(512):sha256_64bytes
LIST
