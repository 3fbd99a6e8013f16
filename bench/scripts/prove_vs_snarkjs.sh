#!/usr/bin/env bash
# Side by side: `zkamm prove` vs `snarkjs groth16 prove` on the same .zkey and .wtns.
# Usage: bench/scripts/prove_vs_snarkjs.sh [ZKAMM_BINARY] [LOG2_CONSTRAINTS...]
# The circuit is zkamm's demo chain sized to fill a 2^k domain; the key is zkamm's dev setup
# (snarkjs proves from it as from its own). Each prover runs 3 times; the best time counts.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
zkamm=${1:-$root/build/release/src/app/zkamm}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(12 14 16)
snarkjs="node $root/node_modules/snarkjs/build/cli.cjs"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

best_of_3() {  # prints the best wall time in seconds of the command
  local best=""
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s.%N)
    best=$(echo "$t0 $t1 $best" | awk '{d=$2-$1; if ($3=="" || d<$3) print d; else print $3}')
  done
  echo "$best"
}

echo "| constraints (domain) | zkamm prove (s) | snarkjs groth16 prove (s) | snarkjs / zkamm |"
echo "|---|---|---|---|"
for k in "${sizes[@]}"; do
  length=$(( (1 << k) - 16 ))
  dir=$work/k$k
  "$zkamm" demo "$dir" --length "$length" --inputs 4 >/dev/null
  tz=$(best_of_3 "$zkamm" prove "$dir/demo.zkey" "$dir/demo.wtns" "$dir/p.json" "$dir/pub.json")
  ts=$(best_of_3 $snarkjs groth16 prove "$dir/demo.zkey" "$dir/demo.wtns" "$dir/ps.json" "$dir/pubs.json")
  $snarkjs groth16 verify "$dir/verification_key.json" "$dir/pub.json" "$dir/p.json" >/dev/null
  printf '| %d (2^%d) | %.2f | %.2f | %.1fx |\n' "$((length + 3))" "$k" "$tz" "$ts" "$(echo "$ts $tz" | awk '{print $1/$2}')"
done
