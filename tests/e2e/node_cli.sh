#!/usr/bin/env bash
# `zkamm node` + `zkamm wallet` end to end: a devnet genesis (wallet new-genesis), the node on a
# free loopback port, a swap (exact in and exact out), a transfer and balance reads through the
# wallet, rejected transactions (slippage, bad amount) leaving balances unchanged, curl against
# the raw JSON-RPC, /health and /metrics, then SIGTERM and a clean exit. The amounts are checked
# against the Uniswap V2 formula recomputed here with bc-free node BigInt arithmetic.
# Usage: node_cli.sh <zkamm> <repo root> <node_modules> <cache dir>
source "$(dirname "$0")/common.sh"
NODE_PID=
cleanup() {
  if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then kill -KILL "$NODE_PID" 2>/dev/null || true; fi
  cleanup_tmp
}
trap cleanup EXIT
expect_eq() {
  if [ "$2" != "$3" ]; then echo "FAIL: $1: expected '$2', got '$3'"; exit 1; fi
  echo "ok: $1"
}
jget() { node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv.slice(1)) v = v[k]; console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$@"; }

step "genesis and config"
"$ZKAMM" wallet new-genesis --accounts 4 --tokens 2 --out "$TMP/genesis.json" --keys-dir "$TMP/keys"
test "$(stat -c %a "$TMP/keys/account-2.json")" = 600
cat > "$TMP/node.json" <<JSON
{"data_dir": "data", "genesis": "genesis.json", "chain_id": 31337,
 "rollup": "0x00000000000000000000000000000000000000aa",
 "rpc": {"host": "127.0.0.1", "port": 0}, "block_time_ms": 20, "batch_slots": 4, "batch_timeout_ms": 200}
JSON

step "start the node"
"$ZKAMM" node --config "$TMP/node.json" > "$TMP/node.log" 2>&1 &
NODE_PID=$!
URL=
for _ in $(seq 1 600); do
  URL=$(grep -o 'listening on http://[0-9.:]*' "$TMP/node.log" | sed 's/listening on //' || true)
  [ -n "$URL" ] && break
  kill -0 "$NODE_PID" 2>/dev/null || { echo "FAIL: node exited"; cat "$TMP/node.log"; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "FAIL: node did not start"; cat "$TMP/node.log"; exit 1; }
echo "node at $URL"
W() { "$ZKAMM" wallet "$@" --url "$URL"; }
K2="$TMP/keys/account-2.json"

step "reads"
expect_eq "health" ok "$(curl -sf "$URL/health" | jget status)"
expect_eq "chain id" 31337 "$(curl -sf -X POST -H 'Content-Type: application/json' \
  -d '{"jsonrpc":"2.0","id":1,"method":"zkamm_chainId"}' "$URL" | jget result)"
B0=$(W balances --key "$K2")
expect_eq "genesis balance token 1" 1000000000000000000000 "$(echo "$B0" | jget balances 1)"
POOL=$(curl -sf -X POST -d '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}' "$URL" | jget result)
R0=$(echo "$POOL" | jget reserve0); R1=$(echo "$POOL" | jget reserve1)

step "swap exact in"
OUT=$(W swap --key "$K2" --in 1 --out 2 --amount-in 1000000 --min-out 1)
expect_eq "swap status" soft "$(echo "$OUT" | jget status)"
WANT=$(node -e 'const [a,r0,r1]=process.argv.slice(1).map(BigInt); const f=a*997n; console.log((f*r1/(r0*1000n+f)).toString())' 1000000 "$R0" "$R1")
expect_eq "amount out = getAmountOut (Uniswap V2 formula)" "$WANT" "$(echo "$OUT" | jget executed amount_out)"
B1=$(W balances --key "$K2")
expect_eq "token 1 debited" 999999999999999000000 "$(echo "$B1" | jget balances 1)"
expect_eq "token 2 credited" "$(node -e 'console.log((BigInt(process.argv[1])+BigInt(process.argv[2])).toString())' 1000000000000000000000 "$WANT")" "$(echo "$B1" | jget balances 2)"
expect_eq "nonce" 1 "$(echo "$B1" | jget nonce)"
HASH=$(echo "$OUT" | jget hash)
expect_eq "wallet status" soft "$(W status "$HASH" | jget status)"

step "swap exact out, transfer"
OUT=$(W swap --key "$K2" --in 2 --out 1 --amount-out 5000 --max-in 10000)
expect_eq "exact out amount" 5000 "$(echo "$OUT" | jget executed amount_out)"
OUT=$(W transfer --key "$K2" --to 3 --token 1 --amount 42)
expect_eq "transfer status" soft "$(echo "$OUT" | jget status)"
expect_eq "recipient balance" 1000000000000000000042 "$(W balances --account 3 | jget balances 1)"

step "rejections leave balances unchanged"
B2=$(W balances --key "$K2")
expect_fail "slippage" W swap --key "$K2" --in 1 --out 2 --amount-in 1000 --min-out 1000000
expect_fail "insufficient balance" W swap --key "$K2" --in 1 --out 2 --amount-in 99000000000000000000000
expect_fail "amount not a number" W swap --key "$K2" --in 1 --out 2 --amount-in 12abc
expect_fail "both exact in and exact out" W swap --key "$K2" --in 1 --out 2 --amount-in 1 --amount-out 1 --max-in 1
expect_fail "unknown pool" W swap --key "$K2" --in 0 --out 1 --amount-in 1000
expect_fail "wrong key for the account" W transfer --key "$TMP/keys/account-3.json" --account 2 --to 3 --token 1 --amount 1
expect_eq "balances unchanged" "$B2" "$(W balances --key "$K2")"
CODE=$(curl -s -X POST -d '{"jsonrpc":"2.0","id":1,"method":"zkamm_sendTransaction","params":["0xzz"]}' "$URL" | jget error code)
expect_eq "bad hex" -32602 "$CODE"
CODE=$(curl -s -X POST -d '{"jsonrpc":"2.0","id":1,' "$URL" | jget error code)
expect_eq "malformed JSON" -32700 "$CODE"
# Not curl | grep -q: grep exits at its first match and, under pipefail, curl's failed write of the
# rest (exit 23) would fail the step whenever the body outlives grep.
curl -sf "$URL/metrics" > "$TMP/metrics.txt"
grep -q '^zkamm_txs_soft_total ' "$TMP/metrics.txt"

step "wallet create / address"
"$ZKAMM" wallet create --out "$TMP/new.json" > "$TMP/create.out"
test "$(stat -c %a "$TMP/new.json")" = 600
if grep -q "$(jget private_key < "$TMP/new.json")" "$TMP/create.out"; then echo "FAIL: key printed"; exit 1; fi
expect_eq "address" "$(jget pubkey < "$TMP/create.out")" "$("$ZKAMM" wallet address --key "$TMP/new.json" | jget pubkey)"
expect_fail "create refuses to overwrite" "$ZKAMM" wallet create --out "$TMP/new.json"

step "soft finality options"
echo '{}' > "$TMP/deployment.json"
expect_fail "an L1 group under local soft finality" "$ZKAMM" node --data-dir "$TMP/l1group" --l1 http://127.0.0.1:1 \
  --deployment "$TMP/deployment.json" --group-etcd http://127.0.0.1:2 --group-id a
expect_fail "quorum without a group" "$ZKAMM" node --data-dir "$TMP/l1solo" --l1 http://127.0.0.1:1 \
  --deployment "$TMP/deployment.json" --soft-finality quorum

step "SIGTERM"
kill -TERM "$NODE_PID"
RC=0; wait "$NODE_PID" || RC=$?
NODE_PID=
expect_eq "node exit status" 0 "$RC"
grep -q "stopped at block" "$TMP/node.log"
if grep -qi "private_key\|$(jget private_key < "$K2" | cut -c3-20)" "$TMP/node.log"; then echo "FAIL: a key in the log"; exit 1; fi
echo "node_cli: all ok"
