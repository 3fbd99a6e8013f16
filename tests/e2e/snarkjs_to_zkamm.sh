#!/usr/bin/env bash
# snarkjs-made keys and witnesses used by zkamm, and back:
#  circom 2 (circom2 npm, WASI) compiles a circuit; a small powers-of-tau ceremony (power 7, one
#  contribution, cached under the build dir); `snarkjs groth16 setup` + `zkey contribute`;
#  `snarkjs wtns calculate` -> `zkamm prove` -> `snarkjs groth16 verify` OK;
#  `snarkjs groth16 prove` -> `zkamm verify` OK; our verification-key export equals snarkjs'.
source "$(dirname "$0")/common.sh"

POWER=7
PTAU="$CACHE/pot${POWER}_final.ptau"
if [ ! -s "$PTAU" ]; then
  step "powers of tau (2^$POWER, one contribution) -> $PTAU"
  snarkjs powersoftau new bn128 $POWER "$TMP/pot_0.ptau"
  snarkjs powersoftau contribute "$TMP/pot_0.ptau" "$TMP/pot_1.ptau" --name=zkamm-e2e -e="zkamm e2e entropy $RANDOM$RANDOM"
  snarkjs powersoftau prepare phase2 "$TMP/pot_1.ptau" "$TMP/pot_final.ptau"
  mv "$TMP/pot_final.ptau" "$PTAU.tmp.$$" && mv "$PTAU.tmp.$$" "$PTAU"
fi

step "circom 2: compile"
cat > "$TMP/chain.circom" <<'CIRCOM'
pragma circom 2.0.0;

// out = prod over i of (x[i] + secret), plus a constant-weighted term; all x public.
template Chain(n) {
    signal input x[n];
    signal input secret;
    signal output out;
    signal acc[n + 1];
    acc[0] <== secret * secret;
    for (var i = 0; i < n; i++) {
        acc[i + 1] <== acc[i] * (x[i] + 3 * secret + 1);
    }
    out <== acc[n] + 7;
}

component main {public [x]} = Chain(4);
CIRCOM
echo '{"x": ["3", "0", "21888242871839275222246405745257275088548364400416034343698204186575808495616", "12345678901234567890"], "secret": "5"}' > "$TMP/input.json"
(cd "$TMP" && node "$NM/circom2/cli.js" chain.circom --r1cs --wasm -o .)
snarkjs r1cs info "$TMP/chain.r1cs"

step "snarkjs: groth16 setup + one phase-2 contribution, witness"
snarkjs groth16 setup "$TMP/chain.r1cs" "$PTAU" "$TMP/chain_0.zkey"
snarkjs zkey contribute "$TMP/chain_0.zkey" "$TMP/chain.zkey" --name=zkamm-e2e -e="phase2 entropy $RANDOM$RANDOM"
snarkjs zkey export verificationkey "$TMP/chain.zkey" "$TMP/vk.json"
snarkjs wtns calculate "$TMP/chain_js/chain.wasm" "$TMP/input.json" "$TMP/chain.wtns"
snarkjs wtns check "$TMP/chain.r1cs" "$TMP/chain.wtns"

step "zkamm reads snarkjs' zkey: vk export equal"
"$ZKAMM" zkey export-vk "$TMP/chain.zkey" "$TMP/vk_zkamm.json"
json_equal "$TMP/vk.json" "$TMP/vk_zkamm.json"

step "zkamm prove with snarkjs' zkey and witness -> snarkjs verify"
"$ZKAMM" prove "$TMP/chain.zkey" "$TMP/chain.wtns" "$TMP/proof.json" "$TMP/public.json"
snarkjs groth16 verify "$TMP/vk.json" "$TMP/public.json" "$TMP/proof.json"

step "snarkjs prove -> zkamm verify"
snarkjs groth16 prove "$TMP/chain.zkey" "$TMP/chain.wtns" "$TMP/s_proof.json" "$TMP/s_public.json"
json_equal "$TMP/public.json" "$TMP/s_public.json"
"$ZKAMM" verify "$TMP/vk.json" "$TMP/s_public.json" "$TMP/s_proof.json"

step "zkamm reads circom's r1cs: dev setup + prove -> snarkjs verify"
"$ZKAMM" setup "$TMP/chain.r1cs" "$TMP/dev.zkey" --vk "$TMP/dev_vk.json"
"$ZKAMM" prove "$TMP/dev.zkey" "$TMP/chain.wtns" "$TMP/dev_proof.json" "$TMP/dev_public.json"
snarkjs groth16 verify "$TMP/dev_vk.json" "$TMP/dev_public.json" "$TMP/dev_proof.json"
echo "PASS"
