#!/usr/bin/env bash
# Issue 20's devnet goal on a GPU machine, in a device session of its own (gpu_check.sh fills
# one): the paper's 3,000 swaps with every batch proven on the GPU,
#   zkamm devnet --once --slots 64 --bench-accounts 10 --bench-swaps 20 --prover-backend cuda
# goal: the last swap hard-final <= 15 s after it was sent (paper: 10 to 20 minutes). The 64-slot
# keys are set up there first by the devnet itself, on all cores (on 2 cores that took 20 min for
# the universal circuit and 3 for the swap circuit). Carried: .gpu-devnet/devnet.tar.gz, made by
# bench/scripts/gpu_carry_build.sh (zkamm, the shared libraries a bare image may lack, anvil).
# Results under $OUT (the device tool's folder) or ./gpu-devnet-out: gpu_devnet.log, summary.txt,
# the report's summary.md and summary.json. Bounded by BUDGET_S (default 560 s) as a whole.
# Usage on the GPU machine: bash bench/scripts/gpu_devnet.sh   (timeout_s 600)
# A dry run on any machine, from a build: BIN=build/ci/src/app BACKEND=cpu SLOTS=2 ACCOUNTS=2 SWAPS=2
#   INSTANCES=1 EXTRA=--no-scenario CACHE=build/bench/e2e-cache/devnet bash bench/scripts/gpu_devnet.sh
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/gpu-devnet-out}
mkdir -p "$out"
exec > >(tee -a "$out/gpu_devnet.log") 2>&1
work=${WORK:-/tmp/zkamm-gpu-devnet}
backend=${BACKEND:-cuda}
slots=${SLOTS:-64}
accounts=${ACCOUNTS:-10}
swaps=${SWAPS:-20}
instances=${INSTANCES:-1 2 3 4 5}
budget=${BUDGET_S:-560}
step() { echo; echo "=== $(date -u +%H:%M:%S) $*"; }
summary() { echo "$*" | tee -a "$out/summary.txt"; }
mkdir -p "$work"

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "nvidia-smi: none"
nproc
free -g | head -2

if [ -f "$root/.gpu-devnet/devnet.tar.gz" ]; then
  step "unpacking the carried binaries"
  rm -rf "${work:?}/bin"
  mkdir -p "$work/bin"
  if ! tar -xzf "$root/.gpu-devnet/devnet.tar.gz" -C "$work/bin"; then
    summary "devnet: the carried archive does not unpack"
    exit 1
  fi
  bin=$work/bin
  nm=$work/node_modules
  mkdir -p "$nm/@foundry-rs/anvil-linux-amd64/bin"
  mv "$bin/anvil" "$nm/@foundry-rs/anvil-linux-amd64/bin/anvil"
  # Carried libraries only where the machine has none of its own (as gpu_check.sh).
  for l in "$bin"/lib/*; do
    [ -e "$l" ] || continue
    ldconfig -p | grep -q "$(basename "$l")" || { mkdir -p /tmp/zkamm-lib && cp "$l" /tmp/zkamm-lib/; }
  done
  export LD_LIBRARY_PATH=/tmp/zkamm-lib:${LD_LIBRARY_PATH:-}
else
  bin=${BIN:-$root/build/ci/src/app}
  nm=${NM:-$root/node_modules}
fi
[ -x "$bin/zkamm" ] || {
  summary "devnet: no zkamm in $bin"
  exit 1
}
cache=${CACHE:-$work/keys}
summary "gpu_devnet $(date -u +%FT%TZ) on $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1) $(nproc) cores:" \
  "backend $backend, $slots slots, instances $instances x $accounts accounts x $swaps swaps"

step "zkamm devnet --once (keys set up first when $cache has none)"
start=$(date +%s)
# shellcheck disable=SC2086 # instances and EXTRA are lists of words
timeout "$budget" "$bin/zkamm" devnet --once --slots "$slots" --bench-accounts "$accounts" --bench-swaps "$swaps" \
  --bench-instances $instances --prover-backend "$backend" --node-modules "$nm" --cache "$cache" \
  --work-dir "$work/run-$start" --report "$work/report-$start" --bench-no-plots ${EXTRA:-} 2>&1 |
  tee "$work/devnet-$start.log" | grep -E "^devnet: (keys|setup|bench|figures|ZkammRollup)|PASS|FAIL|rror"
rc=${PIPESTATUS[0]}
summary "devnet: rc=$rc after $(($(date +%s) - start)) s"
grep -E "setup|keys .* ms|bench (PASS|FAIL)" "$work/devnet-$start.log" | head -8 | tee -a "$out/summary.txt"
if [ -f "$work/report-$start/summary.md" ]; then
  cp "$work/report-$start/summary.md" "$work/report-$start/summary.json" "$out/"
  grep -E '^\| [0-9]' "$work/report-$start/summary.md" | tee -a "$out/summary.txt"  # the tables' rows
else
  summary "devnet: no report (see gpu_devnet.log)"
fi
tail -c 200000 "$work/devnet-$start.log" >"$out/devnet_tail.log"
step "done"
cat "$out/summary.txt"
