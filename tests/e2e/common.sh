# Sourced by the e2e scripts: arguments <zkamm> <repo root> <node_modules> <cache dir>.
set -euo pipefail
ZKAMM=$(realpath "$1")
ROOT=$(realpath "$2")
NM=$(realpath "$3")
CACHE=$4
mkdir -p "$CACHE"
CACHE=$(realpath "$CACHE")
snarkjs() { node "$NM/snarkjs/build/cli.cjs" "$@"; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zkamm-e2e.XXXXXX")
cleanup_tmp() { rm -rf "$TMP"; }
trap cleanup_tmp EXIT
step() { echo "== $*"; }
# expect_fail <description> <command...>: the command must exit with status 1 (an error, not a crash).
expect_fail() {
  local what=$1; shift
  local rc=0
  "$@" > "$TMP/expect_fail.log" 2>&1 || rc=$?
  if [ "$rc" -ne 1 ]; then
    echo "FAIL: $what: expected exit 1, got $rc"; cat "$TMP/expect_fail.log"; exit 1
  fi
  echo "ok (rejected): $what: $(tail -n 1 "$TMP/expect_fail.log")"
}
# json_equal <a.json> <b.json>: deep equality of two JSON files.
json_equal() {
  node -e '
    const fs = require("fs"); const assert = require("assert");
    const a = JSON.parse(fs.readFileSync(process.argv[1])); const b = JSON.parse(fs.readFileSync(process.argv[2]));
    assert.deepStrictEqual(a, b);' "$1" "$2"
}

# ---- the devnet scripts (exodus_e2e, lp_exit_e2e, wallet_l1_e2e) ----
CAST="$NM/@foundry-rs/cast-linux-amd64/bin/cast"
# start_devnet <devnet flags...>: `zkamm devnet` in the background on its own anvil (127.0.0.1),
# stopped with it when the script exits; waits for "devnet: running" (and "devnet: scenario
# PASS" unless --no-scenario is given) and sets DEVNET_PID, RPC, ROLLUP, TKA, TKB and L2.
start_devnet() {
  step "zkamm devnet $* (keeps running)"
  "$ZKAMM" devnet "$@" --repo "$ROOT" --node-modules "$NM" --cache "$CACHE/devnet" --work-dir "$TMP/devnet" \
    > "$TMP/devnet.log" 2>&1 &
  DEVNET_PID=$!
  trap 'stop_devnet; cleanup_tmp' EXIT
  for _ in $(seq 1 540); do
    grep -q "devnet: running" "$TMP/devnet.log" && break
    if ! kill -0 "$DEVNET_PID" 2> /dev/null; then cat "$TMP/devnet.log"; echo "FAIL: devnet exited"; exit 1; fi
    sleep 1
  done
  grep -q "devnet: running" "$TMP/devnet.log" || { cat "$TMP/devnet.log"; echo "FAIL: devnet did not start"; exit 1; }
  case " $* " in
    *" --no-scenario "*) ;;
    *) grep -q "devnet: scenario PASS" "$TMP/devnet.log" || { cat "$TMP/devnet.log"; echo "FAIL: scenario"; exit 1; } ;;
  esac
  RPC=$(grep -oE 'devnet: anvil http://127\.0\.0\.1:[0-9]+' "$TMP/devnet.log" | head -n1 | cut -d' ' -f3)
  ROLLUP=$(grep -oE 'devnet: ZkammRollup 0x[0-9a-fA-F]{40}' "$TMP/devnet.log" | cut -d' ' -f3)
  TKA=$(grep -oE 'devnet: token 1 TKA 0x[0-9a-fA-F]{40}' "$TMP/devnet.log" | cut -d' ' -f5)
  TKB=$(grep -oE 'devnet: token 2 TKB 0x[0-9a-fA-F]{40}' "$TMP/devnet.log" | cut -d' ' -f5)
  L2=$(grep -oE 'devnet: L2 RPC http://127\.0\.0\.1:[0-9]+' "$TMP/devnet.log" | head -n1 | cut -d' ' -f4)
  echo "anvil $RPC, rollup $ROLLUP, TKA $TKA, TKB $TKB, L2 $L2"
}
stop_devnet() {
  if [ -n "${DEVNET_PID:-}" ] && kill -0 "$DEVNET_PID" 2> /dev/null; then
    kill -INT "$DEVNET_PID" 2> /dev/null || true
    wait "$DEVNET_PID" 2> /dev/null || true
  fi
}
# L1 reads and writes with cast, the L2 JSON-RPC, checks and BigInt arithmetic.
call() { "$CAST" call --rpc-url "$RPC" "$@" | cut -d' ' -f1; }
send() { # send <label> <key> <cast send args...>
  local label=$1 key=$2; shift 2
  local r
  r=$("$CAST" send --rpc-url "$RPC" --private-key "$key" --json "$@") || { echo "FAIL: $label"; exit 1; }
  [ "$(echo "$r" | jq -r .status)" = "0x1" ] || { echo "FAIL: $label: $r"; exit 1; }
  echo "ok: $label (gas $(( $(echo "$r" | jq -r .gasUsed) )))"
}
l2() { curl -s -X POST -H 'content-type: application/json' --data "$1" "$L2" | jq -c .result; }
eq() { [ "$2" = "$3" ] || { echo "FAIL: $1: got $2, want $3"; exit 1; }; echo "ok: $1 = $3"; }
big() { node -e 'console.log(String(eval(process.argv[1].replace(/(\d+)/g, "$1n"))))' "$1"; }
