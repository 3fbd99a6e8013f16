#!/usr/bin/env bash
# `zkamm devnet --once` with N = 2 slots: anvil + contracts (optimized solc-js build, circomlib
# Poseidon), real L1 deposits picked up by the watcher, an L2 pool, a swap and withdrawals,
# every batch proven (Groth16, dev keys cached in the e2e cache) and verified on L1 by the
# exported verifier, then L1 withdrawals. The devnet checks the L1 ERC-20 balances itself
# (eth_call balanceOf) and prints them as `check` lines; this script recomputes the expected
# amounts independently (Uniswap V2 getAmountOut in BigInt) and compares.
source "$(dirname "$0")/common.sh"

step "zkamm setup-batch (keys cached by (N, domain, r1cs hash))"
"$ZKAMM" setup-batch --slots 1 --out "$TMP/keys" > "$TMP/setup1.log"
grep -q "new dev keys" "$TMP/setup1.log"
"$ZKAMM" setup-batch --slots 1 --out "$TMP/keys" > "$TMP/setup2.log"
grep -q "cached keys reused" "$TMP/setup2.log"
grep -q "contract BatchGroth16Verifier" "$TMP/keys"/batch-n1-c31337-*.Verifier.sol
# A tampered key is not reused: the recorded zkey hash no longer matches.
printf 'x' >> "$TMP/keys"/batch-n1-c31337-0000000000000000000000000000000000000000.zkey
"$ZKAMM" setup-batch --slots 1 --out "$TMP/keys" > "$TMP/setup3.log"
grep -q "new dev keys" "$TMP/setup3.log"

step "zkamm devnet --once --slots 2"
"$ZKAMM" devnet --once --no-bench --slots 2 --repo "$ROOT" --node-modules "$NM" --cache "$CACHE/devnet" \
  --work-dir "$TMP/devnet" 2>&1 | tee "$TMP/devnet.log"
grep -q "devnet: scenario PASS" "$TMP/devnet.log"

step "independent check of the L1 token balances (BigInt Uniswap V2 arithmetic)"
# User 2 deposited 100 TKA, swapped 10 TKA into a 400/400 pool (0.3% fee), withdrew everything.
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(l => l.startsWith("devnet: check "));
  const e18 = 10n ** 18n;
  const ain = 10n * e18, rin = 400n * e18, rout = 400n * e18;
  const out = (ain * 997n * rout) / (rin * 1000n + ain * 997n);
  const want = [out, 90n * e18];
  if (lines.length !== 2) { console.error("expected 2 check lines"); process.exit(1); }
  lines.forEach((l, i) => {
    const got = BigInt(l.trim().split(" ").pop());
    if (got !== want[i]) { console.error("balance", i, got, "!=", want[i]); process.exit(1); }
  });
  console.log("balances ok:", want.map(String).join(", "));' "$TMP/devnet.log"
echo "PASS"
