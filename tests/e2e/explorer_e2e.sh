#!/usr/bin/env bash
# The web explorer (docs/EXPLORER.md) in a real browser: Debian's chromium, headless, driven by
# npm's playwright-core (tests/e2e/explorer_e2e.js; never a downloaded browser), against
# `zkamm devnet --slots 2` (real Groth16 batches settled on anvil, the default scenario first).
# The page loads with no console error; while a short, bounded load of `zkamm wallet swap` runs,
# the dashboard's live soft TPS moves; a swap sent with the wallet appears on its transaction
# page, whose finality timeline reaches `finalized`; a rejected swap's page gives its reason; the blocks, batches, account, pool and
# search pages render; a `zkamm sync` replica of the devnet's L1 serves its own explorer (status,
# final batches, pools). With ZKAMM_EXPLORER_SHOTS=DIR it also writes the screenshots of
# docs/EXPLORER.md there. Everything binds 127.0.0.1 and stops with the script.
source "$(dirname "$0")/common.sh"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || { echo "FAIL: no $CHROMIUM (scripts/install-deps.sh installs Debian's chromium)"; exit 1; }
[ -d "$NM/playwright-core" ] || { echo "FAIL: no $NM/playwright-core (npm ci)"; exit 1; }

start_devnet --slots 2 --batch-timeout-ms 500

step "the scenario's account 1 (its devnet key: sha256(\"zkamm-devnet-l2-key\" || be32(1))) as a wallet key file"
ZKAMM_L2_KEY=$(node -e '
  const b = Buffer.concat([Buffer.from("zkamm-devnet-l2-key"), Buffer.from([0, 0, 0, 1])]);
  console.log("0x" + require("crypto").createHash("sha256").update(b).digest("hex"));') \
  "$ZKAMM" wallet import --out "$TMP/a1.key" --account 1 > /dev/null
export ZKAMM_L2_KEY=

# The load: swaps of account 1 in both directions, one after the other (each waits for soft
# finality), LOAD_SWAPS of them (default 12: each 2-slot batch is proven in turn before the test swap can finalize); the browser driver waits for the script to end.
cat > "$TMP/load.sh" << LOAD
#!/usr/bin/env bash
set -euo pipefail
for i in \$(seq 1 ${LOAD_SWAPS:-12}); do
  if (( i % 2 )); then a=1; b=2; else a=2; b=1; fi
  "$ZKAMM" wallet swap --url "$L2" --key "$TMP/a1.key" --in \$a --out \$b --amount-in 1000000 --min-out 1 > /dev/null
done
LOAD
cat > "$TMP/swap.sh" << SWAP
#!/usr/bin/env bash
"$ZKAMM" wallet swap --url "$L2" --key "$TMP/a1.key" --in 1 --out 2 --amount-in 7000000 --min-out 1
SWAP
# A swap the node rejects at execution (its minimum output is above anything the pool pays):
# signed first to learn its hash, then sent; prints the hash.
cat > "$TMP/reject.sh" << REJECT
#!/usr/bin/env bash
set -euo pipefail
"$ZKAMM" wallet swap --url "$L2" --key "$TMP/a1.key" --in 1 --out 2 --amount-in 1000 --min-out 1000000000000000000000000 --sign-only > "$TMP/reject.json"
"$ZKAMM" wallet send "$TMP/reject.json" --url "$L2" > /dev/null 2>&1 && { echo "the node accepted the greedy swap" >&2; exit 1; }
node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).hash)' "$TMP/reject.json"
REJECT
chmod +x "$TMP/load.sh" "$TMP/swap.sh" "$TMP/reject.sh"

step "zkamm sync: the L1 replica, with its own explorer"
"$ZKAMM" sync --l1 "$RPC" --rollup "$ROLLUP" --data-dir "$TMP/replica" --rpc-port 0 --poll-ms 200 > "$TMP/sync.log" 2>&1 &
SYNC_PID=$!
trap 'kill -INT "$SYNC_PID" 2> /dev/null; wait "$SYNC_PID" 2> /dev/null; stop_devnet; cleanup_tmp' EXIT
for _ in $(seq 1 100); do grep -q "JSON-RPC on http" "$TMP/sync.log" && break; sleep 0.2; done
REPLICA=$(grep -oE 'JSON-RPC on http://127\.0\.0\.1:[0-9]+' "$TMP/sync.log" | cut -d' ' -f3)
[ -n "$REPLICA" ] || { cat "$TMP/sync.log"; echo "FAIL: zkamm sync did not start"; exit 1; }

step "headless chromium on $L2 and $REPLICA"
NODE_PATH="$NM" timeout 400 node "$ROOT/tests/e2e/explorer_e2e.js" "$L2" "$CHROMIUM" "$TMP/load.sh" "$TMP/swap.sh" \
  "$TMP/reject.sh" "$REPLICA" "${ZKAMM_EXPLORER_SHOTS:-}"
if grep -q "devnet: error" "$TMP/devnet.log"; then cat "$TMP/devnet.log"; echo "FAIL: devnet error"; exit 1; fi
echo "PASS: explorer e2e"
