#!/usr/bin/env bash
# L1 gas of ZkammRollup per swap-only batch of N slots, as transaction receipts on anvil (Prague,
# so EIP-7623's calldata floor applies), with the real Groth16 verifier `zkamm export-verifier`
# writes and real proofs (`zkamm prove`) of a one-public-input circuit whose input is the batch's
# sha256 value (the verifier's cost does not depend on the circuit beyond its one public input).
# Contracts compiled as deployed: solc 0.8.30 (solc-js), optimizer runs 200.
# For each N: batch 1 warms the contract up (counters become non-zero, as in production); then
#  - pipelined: batch 2 through commitBatch, proveBatch, executeBatch(n, "") (three transactions);
#  - one transaction: batch 2 through commitProveExecute;
#  - two batches in one transaction: batches 3 and 4 through one commitProveExecute call
#    (verifyProofs: 5 pairings for both); four: batches 5 to 8 in one call (7 pairings).
# Usage: [KIND=swap] bench/scripts/rollup_gas.sh [ZKAMM_BINARY] [N...]   (defaults: build/release, 8 64 512)
# KIND=swap: swap batches (docs/BATCH.md section 8, 10-byte slots, the swap verifier slot of the
# rollup holds a verifier of the same keys). Each N gets its own verifiers: the rollup's constructor
# checks their batchCircuit() (kind, N).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
zkamm=$(realpath "${1:-$root/build/release/src/app/zkamm}")
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(8 64 512)
NM=$root/node_modules
FORGE=$NM/@foundry-rs/forge-linux-amd64/bin/forge
source "$root/scripts/lib/anvil.sh"
CAST=$NM/@foundry-rs/cast-linux-amd64/bin/cast
snarkjs() { node "$NM/snarkjs/build/cli.cjs" "$@"; }
work=$(mktemp -d)
ANVIL_PID=""
trap '[ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null; rm -rf "$work"' EXIT

cat > "$work/batchinput.circom" <<'CIRCOM'
pragma circom 2.0.0;
template BatchInput() {
    signal input x;
    signal input w;
    signal xw;
    xw <== x * w;
}
component main {public [x]} = BatchInput();
CIRCOM
(cd "$work" && node "$NM/circom2/cli.js" batchinput.circom --r1cs --wasm -o . > /dev/null)
"$zkamm" setup "$work/batchinput.r1cs" "$work/batch.zkey" --vk "$work/vk.json" > /dev/null
mkdir -p "$work/forge/src/generated"
for n in "${sizes[@]}"; do
  for kind in 0 1; do
    "$zkamm" export-verifier "$work/batch.zkey" "$work/forge/src/generated/Verifier_${kind}_$n.sol" --batch-kind $kind \
      --num-slots "$n" > /dev/null
  done
done
cp "$root"/contracts/src/*.sol "$work/forge/src/"
sed "s|^solc = .*|solc = \"$root/scripts/solc-wrapper.js\"|" "$root/contracts/foundry.toml" > "$work/forge/foundry.toml"
printf '\n[lint]\nlint_on_build = false\n' >> "$work/forge/foundry.toml"
(cd "$work/forge" && "$FORGE" build > /dev/null) # optimizer: foundry.toml

start_anvil "$work/anvil.log"
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # anvil's public test key 0
ME=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s)[process.argv[1]])))' "$1"; }
artifact() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).bytecode.object)' "$work/forge/out/$1"; }
create() { "$CAST" send --rpc-url "$RPC" --private-key "$KEY" --json --create "$@" | field contractAddress; }
gas() { # gas <cast send args...>: the receipt's gasUsed; fails on a reverted transaction
  local r
  r=$("$CAST" send --rpc-url "$RPC" --private-key "$KEY" --json --gas-limit 5000000 "$@")
  [ "$(echo "$r" | field status)" = "0x1" ] || { echo "FAIL: $*: $r" >&2; exit 1; }
  echo $(( $(echo "$r" | field gasUsed) ))
}
poseidon() { node -e 'process.stdout.write(require(process.argv[1]).poseidonContract.createCode(Number(process.argv[2])))' "$NM/circomlibjs" "$1"; }
P2=$(create "$(poseidon 2)")
P4=$(create "$(poseidon 4)")
ROLLUP_CODE=$(artifact ZkammRollup.sol/ZkammRollup.json)
CTOR="constructor(address,address,address,address,address,uint256,uint32,uint64,uint64,uint64,address,address)"
SIG_CPE="commitProveExecute(bytes[],bytes[],uint256[8][])"
# The key verifier argument (5th) only needs code: this bench registers no account.

echo "| N | commitBatch | proveBatch | executeBatch | 3 transactions | per swap | commitProveExecute | per swap | 2 batches in one call, per batch | per swap | 4 batches in one call, per batch | per swap |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for n in "${sizes[@]}"; do
  d="$work/n$n"
  node "$root/bench/scripts/rollup_gas.js" "$n" 8 "$d" "${KIND:-}"
  for k in 1 2 3 4 5 6 7 8; do
    snarkjs wtns calculate "$work/batchinput_js/batchinput.wasm" "$d/input$k.json" "$d/w$k.wtns"
    "$zkamm" prove "$work/batch.zkey" "$d/w$k.wtns" "$d/proof$k.json" "$d/public$k.json" > /dev/null
    "$zkamm" calldata "$d/public$k.json" "$d/proof$k.json" > "$d/cd$k.txt"
    # proveBatch's a, b, c (one per line) and commitProveExecute's flat [a, b, c]
    node -e '
      const v = JSON.parse("[" + require("fs").readFileSync(process.argv[1], "utf8").trim() + "]");
      const f = (x) => Array.isArray(x) ? "[" + x.map(f).join(",") + "]" : BigInt(x).toString();
      process.stdout.write(v.slice(0, 3).map(f).join("\n") + "\n" + f(v.slice(0, 3).flat(2)));' "$d/cd$k.txt" > "$d/args$k.txt"
  done
  H=(); P=(); A=(); B=(); C=(); F=()
  for k in 1 2 3 4 5 6 7 8; do
    H[k]=$(cat "$d/h$k.hex"); P[k]=$(cat "$d/p$k.hex")
    mapfile -t L < "$d/args$k.txt"
    A[k]=${L[0]}; B[k]=${L[1]}; C[k]=${L[2]}; F[k]=${L[3]}
  done
  G=$(cat "$d/genesis.txt")
  VERIFIER=$(create "$(artifact "Verifier_0_$n.sol/Groth16Verifier.json")")
  SWAP_VERIFIER=$(create "$(artifact "Verifier_1_$n.sol/Groth16Verifier.json")")
  PIPE=$(create "$ROLLUP_CODE" "$CTOR" "$VERIFIER" "$SWAP_VERIFIER" "$P2" "$P4" "$VERIFIER" "$G" "$n" 604800 3600 86400 "$ME" "$ME")
  ONE=$(create "$ROLLUP_CODE" "$CTOR" "$VERIFIER" "$SWAP_VERIFIER" "$P2" "$P4" "$VERIFIER" "$G" "$n" 604800 3600 86400 "$ME" "$ME")
  # batch 1: warm-up on both
  gas "$PIPE" "commitBatch(bytes,bytes)" "${H[1]}" "${P[1]}" > /dev/null
  gas "$PIPE" "proveBatch(uint256,uint256[2],uint256[2][2],uint256[2])" 1 "${A[1]}" "${B[1]}" "${C[1]}" > /dev/null
  gas "$PIPE" "executeBatch(uint256,bytes)" 1 0x > /dev/null
  gas "$ONE" "$SIG_CPE" "[${H[1]}]" "[${P[1]}]" "[${F[1]}]" > /dev/null
  # batch 2
  gc=$(gas "$PIPE" "commitBatch(bytes,bytes)" "${H[2]}" "${P[2]}")
  gp=$(gas "$PIPE" "proveBatch(uint256,uint256[2],uint256[2][2],uint256[2])" 2 "${A[2]}" "${B[2]}" "${C[2]}")
  ge=$(gas "$PIPE" "executeBatch(uint256,bytes)" 2 0x)
  g1=$(gas "$ONE" "$SIG_CPE" "[${H[2]}]" "[${P[2]}]" "[${F[2]}]")
  # batches 3 and 4 together
  g2=$(gas "$ONE" "$SIG_CPE" "[${H[3]},${H[4]}]" "[${P[3]},${P[4]}]" "[${F[3]},${F[4]}]")
  # four batches: only while the pubdata argument stays under Linux's 128 KiB per argument
  g4=""
  if [ $((4 * 112 * n)) -lt 120000 ]; then
    g4=$(gas "$ONE" "$SIG_CPE" "[${H[5]},${H[6]},${H[7]},${H[8]}]" "[${P[5]},${P[6]},${P[7]},${P[8]}]" "[${F[5]},${F[6]},${F[7]},${F[8]}]")
    [ "$("$CAST" call --rpc-url "$RPC" "$ONE" "lastExecuted()(uint256)")" = 8 ] || { echo "FAIL: lastExecuted"; exit 1; }
  fi
  all=$((gc + gp + ge))
  four="- | -"
  [ -n "$g4" ] && four="$((g4 / 4)) | $((g4 / 4 / n))"
  printf '| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n' "$n" "$gc" "$gp" "$ge" "$all" $((all / n)) \
    "$g1" $((g1 / n)) $((g2 / 2)) $((g2 / 2 / n)) "$four"
done
