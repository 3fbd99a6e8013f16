#!/usr/bin/env bash
# The L1 rollup contract (contracts/src/ZkammRollup.sol) under forge, offline (solc-js via
# scripts/solc-wrapper.js), on a fresh copy of contracts/ with fixtures made here:
#  - contracts_fixture.js (circomlibjs + node sha256) computes a batch (header + 56-byte slots),
#    its public input, the genesis and post-batch state roots with a Merkle path (exodus),
#    Baby Jubjub keys with their packPoint bytes, the circomlib Poseidon contracts' bytecode, and
#    registration signatures by circomlibjs and by `zkamm wallet register` (the C++ signer);
#  - a one-public-input circuit (circom 2) whose public input is the batch's sha256 value;
#    `zkamm setup` + `zkamm prove` give a real Groth16 proof, `zkamm export-verifier` the
#    verifier, and a re-randomised copy of the proof (checked by zkamm and snarkjs);
#  - forge runs contracts/test/ZkammRollup.t.sol (mock verifier), ZkammGroth16.t.sol (real
#    verifier: verifyProof, verifyProofs with the proofs of batches 1 and 2, commitProveExecute),
#    ZkammExodus.t.sol (Merkle exits with the Poseidon contracts), ZkammGuards.t.sol (batch
#    timestamp window, priority deadlines under a flood, fee-on-transfer deposits, withdrawFor,
#    deployment checks, payout events), EdDSAPoseidonVerifier.t.sol and ZkammKeyOwnership.t.sol
#    (registration signatures, key ownership), BatchFormat.t.sol (the Solidity header decoder
#    against the headers the C++ encoder wrote: the committed generated/BatchHeaderFixture.sol,
#    which tests/tx/batch_header_test.cpp checks and rewrites with ZKAMM_UPDATE_FIXTURES=1, and
#    the pubdata slots' named offsets against generated/SlotFixture.sol, likewise from
#    tests/tx/slot_fixture_test.cpp);
#  - on anvil: registration with the C++ signer's calldata (a front-runner's copy refused),
#    batch 1 through commitBatch/proveBatch/executeBatch, batch 2 through one
#    commitProveExecute transaction, both with real proofs.
source "$(dirname "$0")/common.sh"

step "fixtures: batch, state roots, Merkle paths, Poseidon bytecode, registration signatures"
P="$TMP/forge"
mkdir -p "$P/src/generated" "$P/test"
node "$ROOT/tests/e2e/contracts_fixture.js" state "$TMP" "$P/src/generated" "$ZKAMM"

step "circom 2: a circuit with the batch's public input"
cat > "$TMP/batchinput.circom" <<'CIRCOM'
pragma circom 2.0.0;

// One public input x (the batch's sha256 value) bound by a constraint with a private w.
template BatchInput() {
    signal input x;
    signal input w;
    signal xw;
    xw <== x * w;
}

component main {public [x]} = BatchInput();
CIRCOM
(cd "$TMP" && node "$NM/circom2/cli.js" batchinput.circom --r1cs --wasm -o .)
snarkjs wtns calculate "$TMP/batchinput_js/batchinput.wasm" "$TMP/input.json" "$TMP/batch.wtns"

step "zkamm setup, prove, export-verifier; re-randomised proof"
"$ZKAMM" setup "$TMP/batchinput.r1cs" "$TMP/batch.zkey" --vk "$TMP/vk.json"
"$ZKAMM" prove "$TMP/batch.zkey" "$TMP/batch.wtns" "$TMP/proof.json" "$TMP/public.json"
node -e '
  const pub = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const want = JSON.parse(require("fs").readFileSync(process.argv[2])).x;
  if (pub.length !== 1 || pub[0] !== want) { console.error("public.json", pub, "!=", want); process.exit(1); }' \
  "$TMP/public.json" "$TMP/input.json"
node "$ROOT/tests/e2e/contracts_fixture.js" rerandomise "$TMP/proof.json" "$TMP/proof_r.json"
"$ZKAMM" verify "$TMP/vk.json" "$TMP/public.json" "$TMP/proof_r.json"
snarkjs groth16 verify "$TMP/vk.json" "$TMP/public.json" "$TMP/proof_r.json"
"$ZKAMM" calldata "$TMP/public.json" "$TMP/proof.json" > "$TMP/calldata.txt"
"$ZKAMM" calldata "$TMP/public.json" "$TMP/proof_r.json" > "$TMP/calldata_r.txt"
# batch 2's proof: commitProveExecute settles batches 1 and 2 with one verifyProofs call
snarkjs wtns calculate "$TMP/batchinput_js/batchinput.wasm" "$TMP/input2.json" "$TMP/batch2.wtns"
"$ZKAMM" prove "$TMP/batch.zkey" "$TMP/batch2.wtns" "$TMP/proof2.json" "$TMP/public2.json"
"$ZKAMM" calldata "$TMP/public2.json" "$TMP/proof2.json" > "$TMP/calldata2.txt"
# It stands in for the N = 4 universal batch circuit: the rollup's constructor checks batchCircuit().
"$ZKAMM" export-verifier "$TMP/batch.zkey" "$TMP/Verifier.sol" --batch-kind 0 --num-slots 4
sed "s/^contract Groth16Verifier /contract BatchGroth16Verifier /" "$TMP/Verifier.sol" > "$P/src/generated/BatchVerifier.sol"
grep -q "contract BatchGroth16Verifier " "$P/src/generated/BatchVerifier.sol"
node "$ROOT/tests/e2e/contracts_fixture.js" proof "$TMP/calldata.txt" "$TMP/calldata_r.txt" "$TMP/calldata2.txt" "$P/src/generated/BatchProofFixture.sol"

step "forge test"
cp "$ROOT"/contracts/src/*.sol "$P/src/"
cp "$ROOT"/contracts/src/generated/BatchHeaderFixture.sol "$ROOT"/contracts/src/generated/SlotFixture.sol "$P/src/generated/"
cp "$ROOT"/contracts/test/ZkammRollup.t.sol "$ROOT"/contracts/test/ZkammGroth16.t.sol \
   "$ROOT"/contracts/test/ZkammExodus.t.sol "$ROOT"/contracts/test/ZkammGas.t.sol \
   "$ROOT"/contracts/test/ZkammGuards.t.sol "$ROOT"/contracts/test/RollupTestBase.sol "$ROOT"/contracts/test/BabyJubTestSigner.sol \
   "$ROOT"/contracts/test/EdDSAPoseidonVerifier.t.sol "$ROOT"/contracts/test/ZkammKeyOwnership.t.sol \
   "$ROOT"/contracts/test/BatchFormat.t.sol "$P/test/"
sed "s|^solc = .*|solc = \"$ROOT/scripts/solc-wrapper.js\"|" "$ROOT/contracts/foundry.toml" > "$P/foundry.toml"
printf '\n[lint]\nlint_on_build = false\n' >> "$P/foundry.toml" # style notes only: keep the log readable
# With the optimizer (runs 200, foundry.toml), as deployed; `forge build --sizes` fails when a
# contract is over the EIP-170 code size limit of 24,576 bytes.
FORGE="$NM/@foundry-rs/forge-linux-amd64/bin/forge"
(cd "$P" && "$FORGE" test -vv)
(cd "$P" && "$FORGE" build --sizes | grep -E "Contract|ZkammRollup |ZkammExodus |EdDSAPoseidonVerifier ")
step "anvil + cast: deploy (optimized bytecode), deposit, commit, prove, execute"
CAST="$NM/@foundry-rs/cast-linux-amd64/bin/cast"
source "$ROOT/scripts/lib/anvil.sh"
trap 'kill "${ANVIL_PID:-}" 2>/dev/null || true; cleanup_tmp' EXIT
fx() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]]))' "$TMP/batch.json" "$1"; }
# L1 time starts at the fixture's batch timestamps (T0): the rollup refuses a batch timestamp more
# than its timestampWindow behind the committing block.
start_anvil "$TMP/anvil.log" --timestamp "$(fx t0)"
# anvil's first default account (public test key of every anvil/hardhat node): operator,
# governor and user.
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
ME=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
artifact() { node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1])).bytecode.object)' "$P/out/$1"; }
field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(String(JSON.parse(s)[process.argv[1]])))' "$1"; }
create() { "$CAST" send --rpc-url "$RPC" --private-key "$KEY" --json --create "$@" | field contractAddress; }
send() { # send <label> <cast send args...>: prints the gas the transaction used
  local label=$1; shift
  local r
  r=$("$CAST" send --rpc-url "$RPC" --private-key "$KEY" --json "$@")
  [ "$(echo "$r" | field status)" = "0x1" ] || { echo "FAIL: $label: $r"; exit 1; }
  echo "anvil gas: $label $(( $(echo "$r" | field gasUsed) ))"
}
P2=$(create "$(fx poseidon2)")
P4=$(create "$(fx poseidon4)")
P5=$(create "$(fx poseidon5)")
KEYV=$(create "$(artifact EdDSAPoseidonVerifier.sol/EdDSAPoseidonVerifier.json)" "constructor(address,address)" "$P2" "$P5")
VERIFIER=$(create "$(artifact BatchVerifier.sol/BatchGroth16Verifier.json)")
TOKEN=$(create "$(artifact RollupTestBase.sol/TestERC20.json)")
ROLLUP=$(create "$(artifact ZkammRollup.sol/ZkammRollup.json)" \
  "constructor(address,address,address,address,address,uint256,uint32,uint64,uint64,uint64,address,address)" \
  "$VERIFIER" 0x0000000000000000000000000000000000000000 "$P2" "$P4" "$KEYV" "$(fx genesis)" 4 604800 3600 86400 "$ME" "$ME")
[ -n "$ROLLUP" ] && [ "$ROLLUP" != undefined ] || { echo "FAIL: rollup deployment"; exit 1; }
send addToken "$ROLLUP" "addToken(address)" "$TOKEN"
send mint "$TOKEN" "mint(address,uint256)" "$ME" 1000
send approve "$TOKEN" "approve(address,uint256)" "$ROLLUP" 1000
# The contract packs the key itself; it must queue exactly circomlibjs' packPoint bytes (the
# create_account slot of pubdata1 carries them, so commitBatch checks this too).
GOT=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "packPubKey(uint256,uint256)(bytes32)" "$(fx pubkeyX)" "$(fx pubkeyY)")
[ "$GOT" = "$(fx pubkey)" ] || { echo "FAIL: packPubKey $GOT != $(fx pubkey)"; exit 1; }
# The key signs (chain, rollup, owner) with the C++ signer; the calldata is what `zkamm wallet
# register` prints. A front-runner (anvil's account 1) sending the same calldata is refused.
CHAIN_ID=$("$CAST" chain-id --rpc-url "$RPC")
register() { # register <key file> <register_account | register_and_deposit_eth>: the calldata
  "$ZKAMM" wallet register --key "$TMP/$1" --owner "$ME" --chain-id "$CHAIN_ID" --rollup "$ROLLUP" > "$TMP/register.json"
  node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1]))[process.argv[2]].calldata)' "$TMP/register.json" "$2"
}
REG0=$(register key0.json register_and_deposit_eth)
KEY1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d # anvil's public test key 1
if "$CAST" send --rpc-url "$RPC" --private-key "$KEY1" --json "$ROLLUP" "$REG0" --value 5ether > "$TMP/frontrun.json" 2>&1; then
  echo "FAIL: a front-runner registered the key with a copied signature"; exit 1
fi
grep -q "zkamm: key signature" "$TMP/frontrun.json" || { echo "FAIL: front-runner refused without the expected reason"; cat "$TMP/frontrun.json"; exit 1; }
echo "anvil: a copied registration from another address is refused (zkamm: key signature)"
send registerAndDepositETH "$ROLLUP" "$REG0" --value 5ether
send deposit "$ROLLUP" "deposit(uint32,uint16,uint128)" 1 1 1000
send "commitBatch(N=4)" "$ROLLUP" "commitBatch(bytes,bytes)" "$(fx header1)" "$(fx pubdata1)"
ARGS=$(node -e '
  const v = JSON.parse("[" + require("fs").readFileSync(process.argv[1], "utf8").trim() + "]");
  const f = (x) => Array.isArray(x) ? "[" + x.map(f).join(",") + "]" : BigInt(x).toString();
  process.stdout.write(v.slice(0, 3).map(f).join("\n"));' "$TMP/calldata.txt")
mapfile -t A <<< "$ARGS"
send proveBatch --gas-limit 1000000 "$ROLLUP" "proveBatch(uint256,uint256[2],uint256[2][2],uint256[2])" 1 "${A[0]}" "${A[1]}" "${A[2]}"
send "executeBatch(full pubdata)" "$ROLLUP" "executeBatch(uint256,bytes)" 1 "$(fx pubdata1)"
GOT=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "lastExecutedRoot()(uint256)" | cut -d' ' -f1)
[ "$GOT" = "$(fx stateRoot)" ] || { echo "FAIL: lastExecutedRoot $GOT"; exit 1; }
GOT=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "pendingWithdrawals(address,uint16)(uint256)" "$(fx carol)" 1)
[ "$GOT" = 300 ] || { echo "FAIL: pendingWithdrawals(carol, 1) = $GOT"; exit 1; }
echo "anvil: batch 1 committed, proven with the real verifier and executed"
# batch 2 in one transaction (commitProveExecute), its real proof flattened as [a, b, c]
F2=$(node -e '
  const v = JSON.parse("[" + require("fs").readFileSync(process.argv[1], "utf8").trim() + "]");
  process.stdout.write("[" + v.slice(0, 3).flat(2).map((x) => BigInt(x).toString()).join(",") + "]");' "$TMP/calldata2.txt")
send "commitProveExecute(batch 2, N=4)" --gas-limit 1000000 "$ROLLUP" "commitProveExecute(bytes[],bytes[],uint256[8][])" \
  "[$(fx header2)]" "[$(fx pubdata2)]" "[$F2]"
GOT=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "lastExecuted()(uint256)")
[ "$GOT" = 2 ] || { echo "FAIL: lastExecuted after commitProveExecute = $GOT"; exit 1; }
REG1=$(register key1.json register_account)
send "registerAccount(second account)" "$ROLLUP" "$REG1"
GOT=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "priorityOp(uint64)((address,uint64,uint32,uint128,uint16,uint8,bytes32))" 3)
case "$GOT" in *"2, 0, 0, 10, $(fx pubkey2))") ;; *) echo "FAIL: priorityOp(3) = $GOT"; exit 1 ;; esac
if "$CAST" send --rpc-url "$RPC" --private-key "$KEY" --json "$ROLLUP" "registerAccount(uint256,uint256,uint256,uint256,uint256)" 0 1 0 0 0 > "$TMP/identity.json" 2>&1; then
  echo "FAIL: registerAccount accepted the identity point"; exit 1
fi
grep -q "pubkey x is zero" "$TMP/identity.json" || { echo "FAIL: identity rejected without the expected reason"; cat "$TMP/identity.json"; exit 1; }

# ZKAMM_UPDATE_FIXTURES=1 refreshes the committed copies, so `forge test` also runs in contracts/.
if [ "${ZKAMM_UPDATE_FIXTURES:-0}" = 1 ]; then
  for f in BatchVerifier BatchProofFixture BatchFixture ExodusFixture PoseidonCode PubKeyFixture RegistrationFixture; do
    cp "$P/src/generated/$f.sol" "$ROOT/contracts/src/generated/$f.sol"
  done
  echo "fixtures copied to $ROOT/contracts/src/generated"
fi
echo "PASS"
