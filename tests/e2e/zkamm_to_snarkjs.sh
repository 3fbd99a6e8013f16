#!/usr/bin/env bash
# zkamm-made circuits, keys and proofs checked by snarkjs (the oracle):
#  - `snarkjs r1cs info` / `wtns check` accept our .r1cs/.wtns;
#  - `snarkjs groth16 verify` accepts proofs from `zkamm demo` and `zkamm setup` + `zkamm prove`;
#  - `snarkjs zkey export verificationkey` on our .zkey equals our verification_key.json;
#  - `snarkjs groth16 prove` with our .zkey gives proofs that `zkamm verify` accepts.
# Circuits: multiplication chains of several lengths and public-input counts, each with a
# zero-valued wire and a repeated wire inside one linear combination (see src/app/cmd_demo.cpp).
source "$(dirname "$0")/common.sh"

for cfg in "4 3 1" "1 1 2" "9 5 7"; do
  read -r len inputs seed <<< "$cfg"
  d="$TMP/chain_${len}_${inputs}"
  step "demo: length $len, $inputs public inputs, seed $seed"
  "$ZKAMM" demo "$d" --length "$len" --inputs "$inputs" --seed "$seed"
  snarkjs r1cs info "$d/demo.r1cs"
  snarkjs wtns check "$d/demo.r1cs" "$d/demo.wtns"
  snarkjs groth16 verify "$d/verification_key.json" "$d/public.json" "$d/proof.json"
  snarkjs zkey export verificationkey "$d/demo.zkey" "$d/vk_snarkjs.json"
  json_equal "$d/verification_key.json" "$d/vk_snarkjs.json"
  # The file round trips below are the same for every shape: run them on the first one only.
  [ "$len" = 4 ] || continue

  step "zkamm setup/prove from the files, snarkjs verifies"
  "$ZKAMM" setup "$d/demo.r1cs" "$d/k.zkey"
  "$ZKAMM" zkey export-vk "$d/k.zkey" "$d/k_vk.json"
  snarkjs zkey export verificationkey "$d/k.zkey" "$d/k_vk_snarkjs.json"
  json_equal "$d/k_vk.json" "$d/k_vk_snarkjs.json"
  "$ZKAMM" prove "$d/k.zkey" "$d/demo.wtns" "$d/k_proof.json" "$d/k_public.json"
  json_equal "$d/k_public.json" "$d/public.json"
  snarkjs groth16 verify "$d/k_vk.json" "$d/k_public.json" "$d/k_proof.json"
  "$ZKAMM" verify "$d/k_vk.json" "$d/k_public.json" "$d/k_proof.json"

  step "snarkjs proves with our zkey, zkamm verifies"
  snarkjs groth16 prove "$d/k.zkey" "$d/demo.wtns" "$d/s_proof.json" "$d/s_public.json"
  "$ZKAMM" verify "$d/k_vk.json" "$d/s_public.json" "$d/s_proof.json"
  expect_fail "zkamm verify: proof for another key" "$ZKAMM" verify "$d/verification_key.json" "$d/s_public.json" "$d/s_proof.json"
done
echo "PASS"
