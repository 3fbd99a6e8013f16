#!/usr/bin/env bash
# Forced exit of an LP position end to end (issue 15 item 3), on `zkamm devnet --slots 2
# --refuse-remove-liquidity-of 1`: a censoring operator that refuses account 1's remove_liquidity
# but serves the L1 queue. The owner of account 1 asks L1 for a full exit of its LP token (512);
# the operator must include it (or face exodus), the real Groth16 batch burns the whole position
# pro rata, and executeBatch pays both tokens to the owner on L1. The shares are recomputed here
# in BigInt from the pool the node reports before the exit (Uniswap V2 pair.burn:
# liquidity * reserve / totalSupply). anvil (127.0.0.1) dies with the devnet at the end.
source "$(dirname "$0")/common.sh"
# anvil's default account 1 (a public test key of every anvil/hardhat node): the devnet's user 1.
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d

start_devnet --slots 2 --refuse-remove-liquidity-of 1
U1=$("$CAST" wallet address --private-key "$K1")


step "the operator refuses account 1's remove_liquidity"
# The devnet's L2 key of user 1: sha256("zkamm-devnet-l2-key" || be32(1)) (settle/devnet.cpp).
PRV=$(node -e 'const c = require("crypto"); const m = Buffer.concat([Buffer.from("zkamm-devnet-l2-key"), Buffer.from([0, 0, 0, 1])]);
  console.log("0x" + c.createHash("sha256").update(m).digest("hex"));')
(umask 077; echo "{\"private_key\": \"$PRV\", \"account\": 1}" > "$TMP/user1.key")
ACCT1=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getAccount","params":[1]}')
LP=$(echo "$ACCT1" | jq -r '.balances["512"]')
[ -n "$LP" ] && [ "$LP" != null ] && [ "$LP" != 0 ] || { echo "FAIL: account 1 has no LP position: $ACCT1"; exit 1; }
expect_fail "remove-liquidity by account 1" "$ZKAMM" wallet remove-liquidity --url "$L2" --key "$TMP/user1.key" \
  --token-a 1 --token-b 2 --liquidity "$LP"
grep -q "refused" "$TMP/expect_fail.log" || { echo "FAIL: not refused by the operator"; exit 1; }

step "account 1's owner asks L1 for a full exit of LP token 512; the operator must serve it"
POOL=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}')
R0=$(echo "$POOL" | jq -r .reserve0); R1=$(echo "$POOL" | jq -r .reserve1); S=$(echo "$POOL" | jq -r .total_supply)
SHARE_A=$(big "$LP*$R0/$S"); SHARE_B=$(big "$LP*$R1/$S")
echo "LP $LP of $S; reserves $R0 / $R1; shares $SHARE_A TKA, $SHARE_B TKB"
PA=$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 1)
PB=$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 2)
HA=$(call "$ROLLUP" 'l2Holdings(uint16)(uint256)' 1)
SERIAL=$(call "$ROLLUP" 'totalPriorityOps()(uint64)')
send "requestFullExit(1, 512)" "$K1" "$ROLLUP" "requestFullExit(uint32,uint16)" 1 512
for _ in $(seq 1 300); do
  [ "$(call "$ROLLUP" 'executedPriorityOps()(uint64)')" -gt "$SERIAL" ] && break
  sleep 1
done
eq "L1 executedPriorityOps" "$(call "$ROLLUP" 'executedPriorityOps()(uint64)')" "$((SERIAL + 1))"
eq "pendingWithdrawals(user 1, TKA) grew by the TKA share" \
  "$(big "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 1)-$PA")" "$SHARE_A"
eq "pendingWithdrawals(user 1, TKB) grew by the TKB share" \
  "$(big "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 2)-$PB")" "$SHARE_B"
eq "l2Holdings(TKA) fell by the TKA share" "$(big "$HA-$(call "$ROLLUP" 'l2Holdings(uint16)(uint256)' 1)")" "$SHARE_A"
ACCT1=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getAccount","params":[1]}')
eq "L2 LP balance of account 1" "$(echo "$ACCT1" | jq -r '.balances["512"] // "0"')" 0
POOL=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}')
eq "L2 pool reserve0" "$(echo "$POOL" | jq -r .reserve0)" "$(big "$R0-$SHARE_A")"
eq "L2 pool reserve1" "$(echo "$POOL" | jq -r .reserve1)" "$(big "$R1-$SHARE_B")"
eq "L2 pool supply" "$(echo "$POOL" | jq -r .total_supply)" "$(big "$S-$LP")"

step "the owner withdraws both tokens on L1"
A_BEFORE=$(call "$TKA" 'balanceOf(address)(uint256)' "$U1")
B_BEFORE=$(call "$TKB" 'balanceOf(address)(uint256)' "$U1")
send "withdraw(TKA)" "$K1" "$ROLLUP" "withdraw(uint16)" 1
send "withdraw(TKB)" "$K1" "$ROLLUP" "withdraw(uint16)" 2
eq "user 1 TKA on L1: after - before" "$(big "$(call "$TKA" 'balanceOf(address)(uint256)' "$U1")-$A_BEFORE")" "$(big "$PA+$SHARE_A")"
eq "user 1 TKB on L1: after - before" "$(big "$(call "$TKB" 'balanceOf(address)(uint256)' "$U1")-$B_BEFORE")" "$(big "$PB+$SHARE_B")"

step "stop the devnet (anvil goes with it)"
kill -INT "$DEVNET_PID"
wait "$DEVNET_PID"
echo "PASS"
