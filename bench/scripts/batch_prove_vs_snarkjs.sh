#!/usr/bin/env bash
# Issue 5's batch figures: for a batch of N swaps, witness time, `zkamm prove` time and
# `snarkjs groth16 prove` time on the same .zkey (zkamm's dev setup of the batch circuit) and the
# same .wtns (zkamm batch-witness), one run each (a 64-slot batch takes minutes per prover on
# 2 cores), then snarkjs verifies zkamm's proof.
# Usage: bench/scripts/batch_prove_vs_snarkjs.sh [ZKAMM_BINARY] [N] [KEY_DIR] [swap]
# (swap: the swap-batch circuit, docs/CIRCUIT.md section 5)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
zkamm=${1:-$root/build/release/src/app/zkamm}
n=${2:-64}
keys=${3:-$root/.zkamm-cache/bench}
kind=()
[ "${4:-}" = swap ] && kind=(--swap)
snarkjs="node --max-old-space-size=16384 $root/node_modules/snarkjs/build/cli.cjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$keys"

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(date +%s.%N)
"$zkamm" setup-batch --slots "$n" "${kind[@]}" --out "$keys" | tee "$work/setup.txt"
t1=$(date +%s.%N)
zkey=$(sed -n 's/^proving key -> //p' "$work/setup.txt")
"$zkamm" batch-witness --slots "$n" "${kind[@]}" --out "$work/w.wtns" | tee "$work/witness.txt"
t2=$(date +%s.%N)
/usr/bin/time -f "zkamm prove: max RSS %M KB" "$zkamm" prove "$zkey" "$work/w.wtns" "$work/p.json" "$work/pub.json"
t3=$(date +%s.%N)
/usr/bin/time -f "snarkjs prove: max RSS %M KB" $snarkjs groth16 prove "$zkey" "$work/w.wtns" "$work/ps.json" "$work/pubs.json"
t4=$(date +%s.%N)
$snarkjs zkey export verificationkey "$zkey" "$work/vk.json" >/dev/null
$snarkjs groth16 verify "$work/vk.json" "$work/pub.json" "$work/p.json"
cmp <(tr -d ' \n' <"$work/pub.json") <(tr -d ' \n' <"$work/pubs.json")

echo
echo "| N | constraints | setup (s, or cached) | witness (s) | zkamm prove (s) | snarkjs groth16 prove (s) | snarkjs / zkamm |"
echo "|---|---|---|---|---|---|---|"
printf '| %d | %s | %s | %s | %s | %s | %s |\n' "$n" "$(sed -n 's/.*N = [0-9]*, \([0-9]*\) constraints.*/\1/p' "$work/setup.txt")" \
  "$(secs "$t0" "$t1")" "$(secs "$t1" "$t2")" "$(secs "$t2" "$t3")" "$(secs "$t3" "$t4")" \
  "$(awk -v a="$t2" -v b="$t3" -v c="$t4" 'BEGIN { printf "%.1fx", (c - b) / (b - a) }')"
