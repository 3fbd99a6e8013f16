#!/usr/bin/env bash
# Issue 20's GPU run, in one go on a GPU machine (H100/H200, 16 cores, no network): the CUDA
# backend's tests against the CPU backend, its benchmarks beside the CPU backend's (MSM G1 2^20,
# NTT 2^22, G2, quotient), and the 64-swap batch proof with the key on the device (`zkamm prove
# --repeat 3`: proofs 2 and 3 are the key-resident figure) beside the CPU backend's proof of the
# same witness. Results go to $OUT (the device tool's folder) or ./gpu-check-out.
# Binaries: .gpu-bin/ as made by bench/scripts/gpu_carry_build.sh (carried), else a build here
# with whatever nvcc and libraries this machine has. Bounded: each step has its own timeout, the
# whole run stays under ~9 minutes. Usage: bash bench/scripts/gpu_check.sh [BIN_DIR]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/gpu-check-out}
mkdir -p "$out"
exec > >(tee -a "$out/gpu_check.log") 2>&1
bin=${1:-$root/.gpu-bin}
step() { echo; echo "=== $(date -u +%H:%M:%S) $*"; }
summary() { echo "$*" | tee -a "$out/summary.txt"; }

step machine
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "nvidia-smi: none"
nproc; uname -r
command -v nvcc || ls /usr/local/cuda/bin/nvcc 2>/dev/null || echo "no nvcc"

if [ ! -x "$bin/zkamm" ]; then
  step "no carried binaries in $bin: building here"
  nvcc=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
  timeout 420 cmake -S "$root" -B /tmp/zkamm-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DZKAMM_NATIVE=ON \
    -DZKAMM_CUDA=ON -DCMAKE_CUDA_COMPILER="$nvcc" -DCMAKE_CUDA_ARCHITECTURES=90 &&
    timeout 420 cmake --build /tmp/zkamm-gpu --target zkamm zkamm_cuda_tests zkamm_cuda_bench -- -j16 || {
    summary "BUILD FAILED (see gpu_check.log)"
    exit 1
  }
  bin=/tmp/zkamm-gpu/bin
  mkdir -p "$bin"
  cp /tmp/zkamm-gpu/src/app/zkamm /tmp/zkamm-gpu/src/cuda/zkamm_cuda_tests /tmp/zkamm-gpu/src/cuda/zkamm_cuda_bench "$bin/"
fi
# Carried libraries only where the machine has none of its own.
if [ -d "$bin/lib" ]; then
  for l in "$bin"/lib/*; do
    [ -e "$l" ] || continue
    ldconfig -p | grep -q "$(basename "$l")" || { mkdir -p /tmp/zkamm-lib && cp "$l" /tmp/zkamm-lib/; }
  done
  export LD_LIBRARY_PATH=/tmp/zkamm-lib:${LD_LIBRARY_PATH:-}
fi
summary "gpu_check $(date -u +%FT%TZ) on $(nvidia-smi --query-gpu=name --format=csv,noheader 2>/dev/null | head -1), $(nproc) cores"

step "GPU tests (tests/cuda: CUDA backend == CPU backend)"
# No head here: a reader that quits early would end tee, and the tests with it, by SIGPIPE.
timeout 200 "$bin/zkamm_cuda_tests" --gtest_color=no 2>&1 | tee "$out/tests.txt" |
  grep -E '^\[ *(OK|FAILED|SKIPPED|PASSED) *\]|Failure|Expected|Which is|skip'
summary "tests: $(grep -E '^\[  (PASSED|FAILED)  \] [0-9]+ tests?|^\[  SKIPPED \] [0-9]+ tests?|^\[  FAILED  \] [A-Za-z]' "$out/tests.txt" |
  sort -u | tr '\n' ' ')"

step "benchmarks (CUDA beside CPU)"
timeout 150 "$bin/zkamm_cuda_bench" --benchmark_out="$out/bench.json" --benchmark_out_format=json 2>&1 | tee "$out/bench.txt"
grep -E '^BM_' "$out/bench.txt" | tee -a "$out/summary.txt"

step "64-swap batch proof: setup, witness, CUDA x3 (key on the device from proof 2), CPU x1"
work=/tmp/zkamm-gpu-batch
mkdir -p "$work"
if timeout 240 "$bin/zkamm" setup-batch --slots 64 --swap --out "$work/keys" | tee "$work/setup.txt" &&
  zkey=$(sed -n 's/^proving key -> //p' "$work/setup.txt") &&
  timeout 60 "$bin/zkamm" batch-witness --slots 64 --swap --out "$work/w.wtns"; then
  timeout 90 "$bin/zkamm" prove --backend cuda --repeat 3 "$zkey" "$work/w.wtns" "$work/p_cuda.json" "$work/pub_cuda.json" 2>&1 |
    tee "$work/cuda.txt"
  summary "batch64 cuda: rc=${PIPESTATUS[0]} $(grep -o 'proof [0-9]*: [0-9.]* ms' "$work/cuda.txt" | tr '\n' ' ')"
  timeout 120 "$bin/zkamm" prove --backend cpu "$zkey" "$work/w.wtns" "$work/p_cpu.json" "$work/pub_cpu.json" 2>&1 | tee "$work/cpu.txt"
  summary "batch64 cpu: rc=${PIPESTATUS[0]} $(grep -o 'proof [0-9]*: [0-9.]* ms' "$work/cpu.txt" | tr '\n' ' ')"
  if [ ! -s "$work/pub_cuda.json" ] || [ ! -s "$work/pub_cpu.json" ]; then
    summary "batch64: public signals not compared (a proof is missing)"
  elif cmp -s "$work/pub_cuda.json" "$work/pub_cpu.json"; then
    summary "batch64: public signals equal"
  else
    summary "batch64: public signals DIFFER"
  fi
  cp "$work/p_cuda.json" "$work/pub_cuda.json" "$out/" 2>/dev/null || true
else
  summary "batch64: setup or witness failed (see gpu_check.log)"
fi
step "done"
cat "$out/summary.txt"
