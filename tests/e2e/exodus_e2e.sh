#!/usr/bin/env bash
# The escape hatch end to end (issue 6), on `zkamm devnet --slots 2 --censor-full-exits`: the
# devnet's scenario leaves balances on the L2 with every batch executed on L1 (real Groth16
# proofs); then the owner of account 1 asks for a full exit on L1 (cast), the operator ignores it
# (test mode: the watcher drops it and the queue after it), a later L1 deposit is never processed
# either; anvil's clock moves past the 7-day priority deadline; a third party freezes the rollup
# (activateExodus); the owner exits its TKA, TKB and LP position with proofs that zkamm builds
# from the node's batches (`zkamm wallet exit-proof`, checked against L1's lastExecutedRoot) and
# the contract's Poseidon/Merkle code accepts; the L1 balances grow by exactly the L2 balances
# (and, for the LP position, by the pro-rata shares recomputed here in BigInt from the devnet's
# Uniswap V2 scenario); a second exit of the same (account, token) reverts; the unprocessed
# deposit is refunded. cast is the independent ABI encoder: zkamm's calldata must equal
# `cast calldata`. anvil (127.0.0.1) dies with the devnet at the end.
source "$(dirname "$0")/common.sh"
# anvil's default accounts 1-3 (public test keys of every anvil/hardhat node): the devnet's user 1
# (L2 account 1), user 2 (L2 account 2), and a third party.
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
K2=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
K3=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
E18=1000000000000000000

start_devnet --slots 2 --censor-full-exits
U1=$("$CAST" wallet address --private-key "$K1")
U2=$("$CAST" wallet address --private-key "$K2")

reverts() { # reverts <label> <reason> <key> <cast send args...>: must revert with that reason
  local label=$1 reason=$2 key=$3; shift 3
  if "$CAST" send --rpc-url "$RPC" --private-key "$key" --json "$@" > "$TMP/revert.log" 2>&1; then
    echo "FAIL: $label did not revert"; exit 1
  fi
  grep -q "$reason" "$TMP/revert.log" || { echo "FAIL: $label: expected '$reason'"; cat "$TMP/revert.log"; exit 1; }
  echo "ok (reverted): $label: $reason"
}

step "the state after the scenario: every batch executed, balances on the L2"
eq "L1 lastExecuted == lastCommitted" "$(call "$ROLLUP" 'lastExecuted()(uint64)')" "$(call "$ROLLUP" 'lastCommitted()(uint64)')"
eq "L1 executedPriorityOps" "$(call "$ROLLUP" 'executedPriorityOps()(uint64)')" 6
ACCT1=$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_getAccount","params":[1]}')
# user 1 deposited 500 TKA and 500 TKB and put 400/400 into the pool
eq "L2 account 1 TKA" "$(echo "$ACCT1" | jq -r '.balances["1"]')" "$(big "100*$E18")"
eq "L2 account 1 TKB" "$(echo "$ACCT1" | jq -r '.balances["2"]')" "$(big "100*$E18")"

step "the owner of account 1 asks for a full exit on L1; user 2 deposits; the operator ignores both"
send "requestFullExit(1, TKA)" "$K1" "$ROLLUP" "requestFullExit(uint32,uint16)" 1 1
send "deposit(2, ETH, 0.1 ETH)" "$K2" "$ROLLUP" "deposit(uint32,uint16,uint128)" 2 0 100000000000000000 --value 0.1ether
for _ in $(seq 1 100); do
  grep -q "devnet: censoring priority op 7" "$TMP/devnet.log" && break
  sleep 0.1
done
grep -q "devnet: censoring priority op 6 (full exit)" "$TMP/devnet.log" || { echo "FAIL: full exit not seen"; exit 1; }
grep -q "devnet: censoring priority op 7 (queued after a censored full exit)" "$TMP/devnet.log" || { echo "FAIL: deposit not seen"; exit 1; }
eq "L2 next_priority_serial" "$(l2 '{"jsonrpc":"2.0","id":1,"method":"zkamm_status","params":[]}' | jq -r .next_priority_serial)" 6
reverts "activateExodus before the deadline" "priority op not overdue" "$K3" "$ROLLUP" "activateExodus()"

step "7 days pass (anvil evm_increaseTime); a third party freezes the rollup"
"$CAST" rpc --rpc-url "$RPC" evm_increaseTime 604801 > /dev/null
"$CAST" rpc --rpc-url "$RPC" evm_mine > /dev/null
send "activateExodus (third party)" "$K3" "$ROLLUP" "activateExodus()"
eq "exodusMode" "$(call "$ROLLUP" 'exodusMode()(bool)')" true
reverts "requestFullExit in exodus mode" "exodus mode" "$K1" "$ROLLUP" "requestFullExit(uint32,uint16)" 1 2

step "exit proofs from the node against L1's lastExecutedRoot"
ROOT=$(call "$ROLLUP" 'lastExecutedRoot()(bytes32)')
echo "lastExecutedRoot $ROOT"
SIG='exodusExit(uint32,uint16,uint128,uint256[3],uint256[],uint256[],uint256)'
SIG_LP='exodusExitLp(uint32,uint16,uint128,uint256[3],uint256[],uint256[],uint256[6],uint256[])'
# cast arguments of a proof file, one per line
args_of() {
  jq -r 'def a: "[" + (map(tostring) | join(",")) + "]";
    if .pool then
      .account, .pool.pool, .balance, ([.pubkey_x, .pubkey_y, .nonce] | a), (.balance_path | a), (.account_path | a), (.pool.leaf + [.pool.pair_root, .pool.num_pools] | a), (.pool.path | a)
    else
      .account, .token, .balance, ([.pubkey_x, .pubkey_y, .nonce] | a), (.balance_path | a), (.account_path | a), .pool_root
    end' "$1"
}
for T in 1 2 512; do
  "$ZKAMM" wallet exit-proof --url "$L2" --account 1 --token "$T" --root "$ROOT" > "$TMP/proof$T.json"
  eq "proof root (token $T)" "$(jq -r .root "$TMP/proof$T.json")" "$ROOT"
  mapfile -t A < <(args_of "$TMP/proof$T.json")
  S=$SIG; [ "$T" = 512 ] && S=$SIG_LP
  CD=$(jq -r .calldata "$TMP/proof$T.json")
  [ "$CD" = "$("$CAST" calldata "$S" "${A[@]}")" ] || { echo "FAIL: zkamm calldata != cast calldata (token $T)"; exit 1; }
  echo "ok: zkamm calldata == cast calldata (token $T, $(( (${#CD} - 2) / 2 )) bytes)"
done
expect_fail "exit-proof against a root that is no batch's" \
  "$ZKAMM" wallet exit-proof --url "$L2" --account 1 --token 1 --root 0x0000000000000000000000000000000000000000000000000000000000000001
grep -q "not the new root of any batch" "$TMP/expect_fail.log"
expect_fail "exit-proof of a zero balance" "$ZKAMM" wallet exit-proof --url "$L2" --account 2 --token 1 --root "$ROOT"

step "account 1 exits TKA and TKB; the L1 balances grow by exactly the L2 balances"
A_BEFORE=$(call "$TKA" 'balanceOf(address)(uint256)' "$U1")
B_BEFORE=$(call "$TKB" 'balanceOf(address)(uint256)' "$U1")
mapfile -t A < <(args_of "$TMP/proof1.json")
send "exodusExit(1, TKA)" "$K1" "$ROLLUP" "$SIG" "${A[@]}"
reverts "second exodusExit(1, TKA)" "already exited" "$K1" "$ROLLUP" "$SIG" "${A[@]}"
reverts "second exodusExit(1, TKA) by another sender" "already exited" "$K3" "$ROLLUP" "$SIG" "${A[@]}"
mapfile -t A < <(args_of "$TMP/proof2.json")
A[2]=$(big "${A[2]}+1")
reverts "exodusExit(1, TKB) claiming 1 wei more" "bad Merkle proof" "$K1" "$ROLLUP" "$SIG" "${A[@]}"
mapfile -t A < <(args_of "$TMP/proof2.json")
send "exodusExit(1, TKB)" "$K1" "$ROLLUP" "$SIG" "${A[@]}"
eq "pendingWithdrawals(user 1, TKA)" "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 1)" "$(big "100*$E18")"
send "withdraw(TKA)" "$K1" "$ROLLUP" "withdraw(uint16)" 1
A_AFTER=$(call "$TKA" 'balanceOf(address)(uint256)' "$U1")
eq "user 1 TKA on L1: after - before" "$(big "$A_AFTER-$A_BEFORE")" "$(big "100*$E18")"

step "account 1 exits its LP position: pro-rata shares of the frozen reserves"
mapfile -t A < <(args_of "$TMP/proof512.json")
send "exodusExitLp(1, pool 0)" "$K1" "$ROLLUP" "$SIG_LP" "${A[@]}"
reverts "second exodusExitLp(1, pool 0)" "already exited" "$K1" "$ROLLUP" "$SIG_LP" "${A[@]}"
# The devnet scenario (docs/DEVNET.md): 400/400 liquidity (LP supply sqrt(400e18 * 400e18), of
# which 1000 locked), then a 10 TKA swap in (Uniswap V2 getAmountOut, 0.3% fee).
SHARES=$(node -e '
  const e18 = 10n ** 18n, supply = 400n * e18, lp = supply - 1000n;
  const ain = 10n * e18, out = (ain * 997n * 400n * e18) / (400n * e18 * 1000n + ain * 997n);
  const r0 = 400n * e18 + ain, r1 = 400n * e18 - out;
  console.log(String(lp), String((lp * r0) / supply), String((lp * r1) / supply));')
read -r LP SHARE_A SHARE_B <<< "$SHARES"
eq "LP balance in the proof" "$(jq -r .balance "$TMP/proof512.json")" "$LP"
eq "pendingWithdrawals(user 1, TKA) = TKA share" "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 1)" "$SHARE_A"
eq "pendingWithdrawals(user 1, TKB) = 100 TKB + TKB share" \
  "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U1" 2)" "$(big "100*$E18+$SHARE_B")"
send "withdraw(TKA)" "$K1" "$ROLLUP" "withdraw(uint16)" 1
send "withdraw(TKB)" "$K1" "$ROLLUP" "withdraw(uint16)" 2
eq "user 1 TKA on L1: after - before" "$(big "$(call "$TKA" 'balanceOf(address)(uint256)' "$U1")-$A_BEFORE")" \
  "$(big "100*$E18+$SHARE_A")"
eq "user 1 TKB on L1: after - before" "$(big "$(call "$TKB" 'balanceOf(address)(uint256)' "$U1")-$B_BEFORE")" \
  "$(big "100*$E18+$SHARE_B")"

step "the deposit no batch consumed is refunded; the ignored full exit is not a deposit"
reverts "refundDeposit(6) (the full exit)" "not a deposit" "$K3" "$ROLLUP" "refundDeposit(uint64)" 6
send "refundDeposit(7) (third party)" "$K3" "$ROLLUP" "refundDeposit(uint64)" 7
reverts "refundDeposit(7) again" "not a deposit" "$K3" "$ROLLUP" "refundDeposit(uint64)" 7
eq "pendingWithdrawals(user 2, ETH)" "$(call "$ROLLUP" 'pendingWithdrawals(address,uint16)(uint256)' "$U2" 0)" 100000000000000000
ETH_BEFORE=$("$CAST" balance --rpc-url "$RPC" "$ROLLUP")
send "withdraw(ETH) by user 2" "$K2" "$ROLLUP" "withdraw(uint16)" 0
eq "rollup ETH: before - after" "$(big "$ETH_BEFORE-$("$CAST" balance --rpc-url "$RPC" "$ROLLUP")")" 100000000000000000

step "stop the devnet (anvil goes with it)"
kill -INT "$DEVNET_PID"
wait "$DEVNET_PID"
if "$CAST" block-number --rpc-url "$RPC" > /dev/null 2>&1; then echo "FAIL: anvil still answers"; exit 1; fi
echo "PASS"
