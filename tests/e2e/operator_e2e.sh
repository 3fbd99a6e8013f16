#!/usr/bin/env bash
# zkamm against an L1 it did not start (issue 21): this script starts anvil itself (with a state
# file, so it can be restarted with its chain), then
#   zkamm deploy --l1 (the key from an environment variable, never printed, --test-tokens),
#   zkamm node --l1 --deployment --prover-jobs (no local prover) and two `zkamm prover` workers;
# L1 deposits (cast), an L2 pool, a swap and withdrawals, all finalized on L1, then L1 withdrawals
# whose ERC-20 balances are recomputed here (BigInt Uniswap V2). Faults on the way:
#   1. the operator dies right after sending its first commitProveExecute (ZKAMM_FAULT, _exit
#      with no cleanup: what kill -9 leaves) and is restarted;
#   2. the operator is killed with SIGKILL while a swap's batch is being proven and settled;
#   3. anvil is stopped and restarted under the running operator (same port, same chain) while
#      withdrawals are being settled, and a deposit made after the restart is credited.
# At the end no operator transaction on L1 has reverted (nothing was sent twice) and L1's
# lastExecuted equals the node's last finalized batch.
source "$(dirname "$0")/common.sh"
ANVIL="$NM/@foundry-rs/anvil-linux-amd64/bin/anvil"
CAST="$NM/@foundry-rs/cast-linux-amd64/bin/cast"
# anvil's default accounts 0-2 (public test keys of every anvil/hardhat node, never real funds):
# the deployer and operator (which sends nothing else: its nonces are the operator's), user 1
# (also mints the test tokens: anyone may), user 2.
K0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
K2=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
E18=1000000000000000000
Z18=000000000000000000  # 10^18 as a suffix: 5$Z18 = 5 * 10^18
# The devnet tests' key cache: same N, chain and rollup address (anvil account 0 at nonce 0).
KEYS="$CACHE/devnet"
PIDS=()
stop_all() {
  for p in "${PIDS[@]}"; do kill -INT "$p" 2> /dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2> /dev/null || true; done
}
trap 'stop_all; cleanup_tmp' EXIT
jget() { node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv.slice(1)) v = v[k]; console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$@"; }
expect_eq() { [ "$2" = "$3" ] || { echo "FAIL: $1: expected '$2', got '$3'"; exit 1; }; echo "ok: $1"; }
free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }
# wait_for <seconds> <description> <command...>
wait_for() {
  local n=$1 what=$2; shift 2
  for _ in $(seq 1 $((n * 5))); do "$@" > /dev/null 2>&1 && return 0; sleep 0.2; done
  echo "FAIL: timed out: $what"; tail -n 30 "$TMP"/node*.log; exit 1
}

start_anvil() { # start_anvil <port> <log>
  "$ANVIL" --host 127.0.0.1 --port "$1" --hardfork prague --state "$TMP/anvil-state.json" > "$2" 2>&1 &
  ANVIL_PID=$!
  PIDS+=("$ANVIL_PID")
  wait_for 20 "anvil listening" grep -q "Listening on 127.0.0.1:" "$2"
}

step "anvil, started by the test (an L1 zkamm did not start)"
start_anvil 0 "$TMP/anvil1.log"
PORT=$(grep -oE 'Listening on 127\.0\.0\.1:[0-9]+' "$TMP/anvil1.log" | head -n1 | cut -d: -f2)
RPC="http://127.0.0.1:$PORT"
echo "anvil at $RPC"

step "zkamm deploy"
expect_fail "deploy without a key" env -u ZKAMM_L1_KEY "$ZKAMM" deploy --l1 "$RPC" --out "$TMP/deployment.json"
ZKAMM_L1_KEY=$K0 "$ZKAMM" deploy --l1 "$RPC" --out "$TMP/deployment.json" --slots 2 --keys-dir "$KEYS" \
  --test-tokens TKA,TKB > "$TMP/deploy.log" 2>&1 || { cat "$TMP/deploy.log"; echo "FAIL: deploy"; exit 1; }
cat "$TMP/deploy.log"
if grep -qi "${K0#0x}" "$TMP/deploy.log"; then echo "FAIL: the L1 key was printed"; exit 1; fi
expect_fail "deploy refuses to overwrite a deployment file" \
  env ZKAMM_L1_KEY=$K0 "$ZKAMM" deploy --l1 "$RPC" --out "$TMP/deployment.json" --slots 2 --keys-dir "$KEYS"
D="$TMP/deployment.json"
ROLLUP=$(jget rollup < "$D")
TKA=$(jget tokens 0 address < "$D")
TKB=$(jget tokens 1 address < "$D")
expect_eq "deployment chain id" 31337 "$(jget chain_id < "$D")"
expect_eq "deployed code at the rollup address" true "$([ "$("$CAST" code --rpc-url "$RPC" "$ROLLUP")" != 0x ] && echo true)"
expect_eq "rollup's operator" "$("$CAST" wallet address --private-key $K0)" \
  "$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "operator()(address)")"

L2PORT=$(free_port)
L2="http://127.0.0.1:$L2PORT"
start_node() { # start_node <log> [env assignments...]
  local log=$1; shift
  env ZKAMM_L1_KEY=$K0 "$@" "$ZKAMM" node --l1 "$RPC" --deployment "$D" --data-dir "$TMP/node" --keys-dir "$KEYS" \
    --prover-jobs --rpc-port "$L2PORT" --batch-timeout-ms 1000 --block-time-ms 50 --watch-interval-ms 200 \
    --l1-down-patience 120 --resubmit-after 30 > "$log" 2>&1 &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  wait_for 60 "operator RPC up ($log)" curl -sf "$L2/health"
}

step "zkamm node --l1 (dies after sending its first settlement: ZKAMM_FAULT=after-send-settled)"
start_node "$TMP/node1.log" ZKAMM_FAULT=after-send-settled
grep "operator of rollup" "$TMP/node1.log"
step "two zkamm prover workers"
for w in w1 w2; do
  "$ZKAMM" prover --node "$L2" --cache "$KEYS" --name "$w" > "$TMP/prover-$w.log" 2>&1 &
  PIDS+=("$!")
done

step "L1: mint, approve, register and deposit (cast)"
U1=$("$CAST" wallet address --private-key "$K1")
U2=$("$CAST" wallet address --private-key "$K2")
send() { # send <label> <key> <cast send args...>
  local label=$1 key=$2; shift 2
  local r
  r=$("$CAST" send --rpc-url "$RPC" --private-key "$key" --json "$@") || { echo "FAIL: $label"; exit 1; }
  [ "$(echo "$r" | jget status)" = "0x1" ] || { echo "FAIL: $label: $r"; exit 1; }
}
"$ZKAMM" wallet create --out "$TMP/a1.json" --account 1 > /dev/null
"$ZKAMM" wallet create --out "$TMP/a2.json" --account 2 > /dev/null
REG1=$("$ZKAMM" wallet register --key "$TMP/a1.json" --owner "$U1" --chain-id 31337 --rollup "$ROLLUP")
REG2=$("$ZKAMM" wallet register --key "$TMP/a2.json" --owner "$U2" --chain-id 31337 --rollup "$ROLLUP")
send "mint TKA u1" "$K1" "$TKA" "mint(address,uint256)" "$U1" 1000$Z18
send "mint TKB u1" "$K1" "$TKB" "mint(address,uint256)" "$U1" 1000$Z18
send "mint TKA u2" "$K1" "$TKA" "mint(address,uint256)" "$U2" 200$Z18
send "approve" "$K1" "$TKA" "approve(address,uint256)" "$ROLLUP" 1000$Z18
send "approve" "$K1" "$TKB" "approve(address,uint256)" "$ROLLUP" 1000$Z18
send "approve" "$K2" "$TKA" "approve(address,uint256)" "$ROLLUP" 200$Z18
send "registerAccount u1" "$K1" "$ROLLUP" "$(echo "$REG1" | jget register_account calldata)"
send "deposit" "$K1" "$ROLLUP" "deposit(uint32,uint16,uint128)" 1 1 500$Z18
send "deposit" "$K1" "$ROLLUP" "deposit(uint32,uint16,uint128)" 1 2 500$Z18
send "registerAndDepositETH u2" "$K2" "$ROLLUP" "$(echo "$REG2" | jget register_and_deposit_eth calldata)" --value 1ether
send "deposit" "$K2" "$ROLLUP" "deposit(uint32,uint16,uint128)" 2 1 100$Z18

step "fault 1: the operator exits right after sending a commitProveExecute; restart"
RC=0
for _ in $(seq 1 600); do kill -0 "$NODE_PID" 2> /dev/null || break; sleep 0.2; done
wait "$NODE_PID" || RC=$?
expect_eq "operator died at the fault (status 86)" 86 "$RC"
start_node "$TMP/node2.log"
W() { "$ZKAMM" wallet "$@" --url "$L2"; }
bal() { W balances --account "$1" | jget balances "$2"; }
# bal_is <account> <token> <want>: reads the balance anew on each call, so wait_for polls it (a
# "$(bal ...)" argument would be read once, before the first try, and could never change).
bal_is() { [ "$(bal "$1" "$2")" = "$3" ]; }
wait_for 120 "deposits credited on L2" bal_is 2 1 100$Z18
expect_eq "account 1 TKB" 500$Z18 "$(bal 1 2)"
expect_eq "account 2 ETH" $E18 "$(bal 2 0)"

step "L2: pool, liquidity, swap"
W create-pool --key "$TMP/a1.json" --token-a 1 --token-b 2 | tee "$TMP/tx.json" | grep -q '"soft"'
W add-liquidity --key "$TMP/a1.json" --token-a 1 --token-b 2 --amount-a 400$Z18 --amount-b 400$Z18 | grep -q '"soft"'
SWAP_OUT=$(node -e 'const e = 10n ** 18n, a = 10n * e, r = 400n * e; console.log(((a * 997n * r) / (r * 1000n + a * 997n)).toString())')
W swap --key "$TMP/a2.json" --in 1 --out 2 --amount-in 10$Z18 --min-out "$SWAP_OUT" > "$TMP/swap.json"
expect_eq "swap soft" soft "$(jget status < "$TMP/swap.json")"
expect_eq "swap amount out (Uniswap V2)" "$SWAP_OUT" "$(jget executed amount_out < "$TMP/swap.json")"
HASHES=("$(jget hash < "$TMP/swap.json")")

step "fault 2: kill -9 the operator while the swap's batch is proven and settled; restart"
in_batch() { [ "$(W status "$1" | jget batch)" != null ]; }
wait_for 60 "the swap is in a batch" in_batch "${HASHES[0]}"
kill -9 "$NODE_PID"
wait "$NODE_PID" 2> /dev/null || true
start_node "$TMP/node3.log"

step "L2: withdrawals"
for args in "--token 2 --amount $SWAP_OUT" "--token 1 --amount 90$Z18" "--token 0 --amount 500000000000000000"; do
  # shellcheck disable=SC2086
  W withdraw --key "$TMP/a2.json" $args --to "$U2" > "$TMP/w.json"
  expect_eq "withdraw soft ($args)" soft "$(jget status < "$TMP/w.json")"
  HASHES+=("$(jget hash < "$TMP/w.json")")
done

step "fault 3: anvil stopped and restarted under the operator (same port, same chain)"
wait_for 60 "the withdrawals are in a batch" in_batch "${HASHES[3]}"
kill -TERM "$ANVIL_PID"
wait "$ANVIL_PID" 2> /dev/null || true
sleep 3
start_anvil "$PORT" "$TMP/anvil2.log"
send "mint TKA u2 after the restart" "$K1" "$TKA" "mint(address,uint256)" "$U2" 5$Z18
send "deposit after the restart" "$K2" "$ROLLUP" "deposit(uint32,uint16,uint128)" 2 1 5$Z18
wait_for 120 "deposit after the L1 restart credited" bal_is 2 1 5$Z18

step "every transaction finalized on L1"
finalized() { for h in "${HASHES[@]}"; do [ "$(W status "$h" | jget status)" = finalized ] || return 1; done; }
wait_for 240 "swap and withdrawals finalized" finalized
same_tip() {
  LAST=$("$CAST" call --rpc-url "$RPC" "$ROLLUP" "lastExecuted()(uint256)" | cut -d' ' -f1)
  curl -sf -X POST -H 'Content-Type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"zkamm_status"}' "$L2" |
    grep -qE "\"last_finalized\": *$LAST[,}]"
}
wait_for 60 "node's last finalized batch = L1 lastExecuted" same_tip
echo "L1 lastExecuted $LAST"

step "L1 withdrawals and balances"
send "withdraw TKB" "$K2" "$ROLLUP" "withdraw(uint16)" 2
send "withdraw TKA" "$K2" "$ROLLUP" "withdraw(uint16)" 1
send "withdraw ETH" "$K2" "$ROLLUP" "withdraw(uint16)" 0
expect_eq "u2 TKB on L1 = swap output" "$SWAP_OUT" "$("$CAST" call --rpc-url "$RPC" "$TKB" "balanceOf(address)(uint256)" "$U2" | cut -d' ' -f1)"
# minted 200 + 5, deposited 100 + 5, withdrew 90
expect_eq "u2 TKA on L1" 190$Z18 "$("$CAST" call --rpc-url "$RPC" "$TKA" "balanceOf(address)(uint256)" "$U2" | cut -d' ' -f1)"

step "no operator transaction reverted (nothing sent twice), workers proved"
node -e '
  const [url, op, from] = process.argv.slice(1);
  const rpc = async (method, params) => (await (await fetch(url, {method: "POST", headers: {"Content-Type": "application/json"},
    body: JSON.stringify({jsonrpc: "2.0", id: 1, method, params})})).json()).result;
  (async () => {
    const head = parseInt(await rpc("eth_blockNumber", []), 16);
    let sent = 0;
    for (let b = from; b <= head; b++) {
      const blk = await rpc("eth_getBlockByNumber", ["0x" + b.toString(16), true]);
      for (const t of blk.transactions) {
        if (t.from.toLowerCase() !== op.toLowerCase()) continue;
        const r = await rpc("eth_getTransactionReceipt", [t.hash]);
        if (r.status !== "0x1") { console.error("FAIL: operator tx", t.hash, "reverted in block", b); process.exit(1); }
        sent++;
      }
    }
    console.log("ok: " + sent + " operator transactions since the deployment, none reverted");
  })();' "$RPC" "$("$CAST" wallet address --private-key $K0)" "$(jget deploy_block < "$D")"
grep -h "proven in" "$TMP"/prover-w*.log | head -n 4
[ "$(grep -l "accepted" "$TMP"/prover-w*.log | wc -l)" -ge 1 ] || { echo "FAIL: no worker proof accepted"; exit 1; }
echo "PASS"
