#!/usr/bin/env bash
# The wallet's L1 side end to end (issue 18 part 2), on `zkamm devnet --slots 2 --no-scenario`
# (real Groth16 batches on anvil): a new user with only an L1 key and a fresh L2 key registers
# (`zkamm wallet register --deposit-eth`, the key's proof of ownership), deposits TKA and TKB
# (`wallet deposit`, approving first), creates a pool, adds liquidity and swaps on L2, withdraws
# ETH on L2 and claims it on L1 (`wallet claim`), forces exits of its TKB balance and of its LP
# position on L1 (`wallet full-exit`, token 512) and claims what they paid. Every L1 step is the
# wallet's; cast only checks results (and mints the devnet's test tokens, which anyone may).
# Balances are checked to the wei with `wallet l1-balance` (ETH net of the fees the wallet
# reports) and the LP exit's shares recomputed here in BigInt from the pool before the exit.
# The L1 key must never appear in any output. anvil (127.0.0.1) dies with the devnet at the end.
source "$(dirname "$0")/common.sh"
# anvil's default accounts 4 and 5 (public test keys of every anvil/hardhat node; the devnet uses 0-2).
K4=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
K5=0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba
E18=1000000000000000000

start_devnet --slots 2 --no-scenario --batch-timeout-ms 500
DEP="$TMP/devnet/deployment.json"
[ -f "$DEP" ] || { echo "FAIL: no deployment file $DEP"; exit 1; }
U4=$("$CAST" wallet address --private-key "$K4")

# Every wallet call of the user: the L1 key in the environment only; outputs kept to scan for it.
mkdir "$TMP/outputs"
w() {
  local f
  f=$(mktemp "$TMP/outputs/w.XXXXXX")
  ZKAMM_L1_KEY=$K4 "$ZKAMM" wallet "$@" > "$f.out" 2> "$f.err" || { cat "$f.out" "$f.err"; echo "FAIL: wallet $*"; exit 1; }
  cat "$f.out"
}
# expect_fail, keeping its output for the scan at the end.
refused() { expect_fail "$@"; cp "$TMP/expect_fail.log" "$(mktemp "$TMP/outputs/f.XXXXXX")"; }
L1=(--l1 "$RPC" --deployment "$DEP")
l1bal() { w l1-balance "${L1[@]}" --token "$1" | jq -r ".tokens[0].$2"; }
l2bal() { l2 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zkamm_getAccount\",\"params\":[$ACCT]}" | jq -r ".balances[\"$1\"] // \"0\""; }
wait_l2() { # wait_l2 <token> <want>: the L2 balance reaches want (a priority op was executed)
  for _ in $(seq 1 240); do [ "$(l2bal "$1")" = "$2" ] && break; sleep 0.5; done
  eq "L2 balance of token $1" "$(l2bal "$1")" "$2"
}
wait_pending() { # wait_pending <token> <want>: pendingWithdrawals(U4, token) reaches want (a batch executed on L1)
  for _ in $(seq 1 360); do [ "$(l1bal "$1" pending_withdrawal)" = "$2" ] && break; sleep 0.5; done
  eq "pending withdrawal of token $1" "$(l1bal "$1" pending_withdrawal)" "$2"
}

step "a new L2 key; register it on L1 with 2 ETH (registerAndDepositETH)"
"$ZKAMM" wallet create --out "$TMP/user.key" > /dev/null
ETH0=$(l1bal 0 balance)
REG=$(w register --key "$TMP/user.key" "${L1[@]}" --deposit-eth "$(big "2*$E18")")
ACCT=$(echo "$REG" | jq -r .account)
eq "register: owner" "$(echo "$REG" | jq -r .owner)" "$U4"
eq "register: account in the key file" "$(jq -r .account "$TMP/user.key")" "$ACCT"
eq "L1 owner($ACCT)" "$(call "$ROLLUP" 'owner(uint32)(address)' "$ACCT")" "$U4"
eq "L1 ETH after register" "$(l1bal 0 balance)" "$(big "$ETH0-2*$E18-$(echo "$REG" | jq -r .fee)")"
PUB=$("$ZKAMM" wallet address --key "$TMP/user.key" | jq -r .pubkey)
for _ in $(seq 1 240); do [ "$(l2 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zkamm_getAccount\",\"params\":[$ACCT]}" | jq -r .pubkey)" = "$PUB" ] && break; sleep 0.5; done
wait_l2 0 "$(big "2*$E18")"

step "deposit TKA and TKB (the wallet approves first)"
"$CAST" send --rpc-url "$RPC" --private-key "$K5" "$TKA" "mint(address,uint256)" "$U4" "$(big "50*$E18")" > /dev/null
"$CAST" send --rpc-url "$RPC" --private-key "$K5" "$TKB" "mint(address,uint256)" "$U4" "$(big "50*$E18")" > /dev/null
DA=$(w deposit --key "$TMP/user.key" --token 1 --amount "$(big "30*$E18")" "${L1[@]}")
[ "$(echo "$DA" | jq -r .approve.tx)" != null ] || { echo "FAIL: no approve before the TKA deposit: $DA"; exit 1; }
w deposit --account "$ACCT" --token 2 --amount "$(big "40*$E18")" "${L1[@]}" > /dev/null
eq "L1 TKA after deposit" "$(l1bal 1 balance)" "$(big "20*$E18")"
eq "L1 TKB after deposit (cast)" "$(call "$TKB" 'balanceOf(address)(uint256)' "$U4")" "$(big "10*$E18")"
wait_l2 1 "$(big "30*$E18")"
wait_l2 2 "$(big "40*$E18")"

step "L2: create the TKA/TKB pool, add liquidity, swap"
w create-pool --url "$L2" --key "$TMP/user.key" --token-a 1 --token-b 2 > /dev/null
ADD=$(w add-liquidity --url "$L2" --key "$TMP/user.key" --token-a 1 --token-b 2 --amount-a "$(big "10*$E18")" --amount-b "$(big "20*$E18")")
eq "add-liquidity executed amount_a" "$(echo "$ADD" | jq -r .executed.amount_a)" "$(big "10*$E18")"
eq "add-liquidity executed amount_b" "$(echo "$ADD" | jq -r .executed.amount_b)" "$(big "20*$E18")"
# No --min-out: the wallet's limit is the node's quote less the default 50 basis points.
Q=$(l2 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zkamm_quote\",\"params\":{\"token_in\":1,\"token_out\":2,\"amount_in\":\"$E18\"}}" | jq -r .amount_out)
SW=$(w swap --url "$L2" --key "$TMP/user.key" --in 1 --out 2 --amount-in "$E18")
eq "swap amount_out_min (quote - 0.5%)" "$(echo "$SW" | jq -r .tx.amount_out_min)" "$(big "$Q-$Q*50/10000")"
eq "swap amount_out (the quote)" "$(echo "$SW" | jq -r .executed.amount_out)" "$Q"
LP=$(l2bal 512)
[ "$LP" != 0 ] || { echo "FAIL: no LP position"; exit 1; }
# docs/API.md: account 0 holds the locked MINIMUM_LIQUIDITY, and total_supply counts it.
eq "account 0's LP balance" "$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getAccount","params":[0]}' | jq -r '.balances["512"]')" 1000
eq "pool total_supply" "$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}' | jq -r .total_supply)" "$(big "$LP+1000")"

step "the same key imported (from the environment), a transfer signed with --sign-only, sent later"
ZKAMM_L2_KEY=$(jq -r .private_key "$TMP/user.key") "$ZKAMM" wallet import --out "$TMP/imported.key" --account "$ACCT" > /dev/null
eq "imported pubkey" "$("$ZKAMM" wallet address --key "$TMP/imported.key" | jq -r .pubkey)" "$PUB"
w transfer --url "$L2" --key "$TMP/imported.key" --to "$ACCT" --token 1 --amount 1 --sign-only > "$TMP/signed.json"
eq "nothing sent by --sign-only: nonce" "$(l2 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"zkamm_getAccount\",\"params\":[$ACCT]}" | jq -r .nonce)" "$(jq -r .tx.nonce "$TMP/signed.json")"
SENT=$(w send "$TMP/signed.json" --url "$L2")
eq "wallet send: hash" "$(echo "$SENT" | jq -r .hash)" "$(jq -r .hash "$TMP/signed.json")"
eq "wallet send: status" "$(echo "$SENT" | jq -r .status)" soft

step "L2 withdraw of 0.5 ETH; claim it on L1 once its batch is executed"
W=$((E18 / 2))
w withdraw --url "$L2" --key "$TMP/user.key" --token 0 --amount "$W" --to "$U4" > /dev/null
wait_pending 0 "$W"
ETH1=$(l1bal 0 balance)
CL=$(w claim --token 0 "${L1[@]}")
eq "claim: amount" "$(echo "$CL" | jq -r '.claims[0].amount')" "$W"
eq "L1 ETH after claim" "$(l1bal 0 balance)" "$(big "$ETH1+$W-$(echo "$CL" | jq -r '.claims[0].fee')")"
eq "pending ETH after claim" "$(l1bal 0 pending_withdrawal)" 0
refused "claim with nothing pending" env ZKAMM_L1_KEY=$K4 "$ZKAMM" wallet claim --token 0 "${L1[@]}"

step "full exit of the TKB balance, then of the LP position (token 512)"
refused "full-exit from an L1 key that does not own the account" env ZKAMM_L1_KEY=$K5 "$ZKAMM" wallet full-exit --account "$ACCT" --token 2 "${L1[@]}"
B2=$(l2bal 2)
w full-exit --key "$TMP/user.key" --token 2 "${L1[@]}" > /dev/null
wait_pending 2 "$B2"
eq "L2 TKB after its full exit" "$(l2bal 2)" 0
POOL=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}')
R0=$(echo "$POOL" | jq -r .reserve0); R1=$(echo "$POOL" | jq -r .reserve1); S=$(echo "$POOL" | jq -r .total_supply)
SHARE_A=$(big "$LP*$R0/$S"); SHARE_B=$(big "$LP*$R1/$S")
echo "LP $LP of $S; reserves $R0 / $R1; shares $SHARE_A TKA, $SHARE_B TKB"
w full-exit --key "$TMP/user.key" --token 512 "${L1[@]}" > /dev/null
wait_pending 1 "$SHARE_A"
eq "pending TKB after the LP exit" "$(l1bal 2 pending_withdrawal)" "$(big "$B2+$SHARE_B")"
eq "L2 LP after its full exit" "$(l2bal 512)" 0
A0=$(l1bal 1 balance); B0=$(l1bal 2 balance)
CL=$(w claim --all "${L1[@]}")
eq "claim --all: tokens paid" "$(echo "$CL" | jq -c '[.claims[].token]')" "[1,2]"
eq "L1 TKA after claims" "$(l1bal 1 balance)" "$(big "$A0+$SHARE_A")"
eq "L1 TKB after claims (cast)" "$(call "$TKB" 'balanceOf(address)(uint256)' "$U4")" "$(big "$B0+$B2+$SHARE_B")"

step "--json failures, --l1-key-file, and the L1 key never printed"
(umask 077; echo "$K4" > "$TMP/l1.key")
eq "l1-balance with --l1-key-file: address" \
  "$(env -u ZKAMM_L1_KEY "$ZKAMM" wallet l1-balance --l1-key-file "$TMP/l1.key" "${L1[@]}" --token 0 | tee "$TMP/outputs/keyfile" | jq -r .address)" "$U4"
R=0
ZKAMM_L1_KEY=$K4 "$ZKAMM" wallet l1-balance --json --l1 "$RPC" --rollup 0x00000000000000000000000000000000000000e2 > "$TMP/outputs/json1" 2>&1 || R=$?
eq "--json failure: exit code" "$R" 1
eq "--json failure: kind" "$(jq -r .error.kind "$TMP/outputs/json1")" input
R=0
env -u ZKAMM_L1_KEY "$ZKAMM" wallet deposit --json --account "$ACCT" --token 0 --amount 1 "${L1[@]}" > "$TMP/outputs/json2" 2> /dev/null || R=$?
eq "--json without an L1 key: exit code" "$R" 1
eq "--json without an L1 key: kind" "$(jq -r .error.kind "$TMP/outputs/json2")" input
grep -q ZKAMM_L1_KEY "$TMP/outputs/json2" || { echo "FAIL: the error does not name the key's variable"; cat "$TMP/outputs/json2"; exit 1; }
if grep -rqi "${K4#0x}" "$TMP/outputs"; then echo "FAIL: the L1 key was printed"; exit 1; fi
echo "ok: the L1 key appears in none of the $(ls "$TMP/outputs" | wc -l) wallet output files"

step "stop the devnet (anvil goes with it)"
kill -INT "$DEVNET_PID"
wait "$DEVNET_PID"
echo "PASS"
