#!/usr/bin/env bash
# Builds, on a CPU machine with nvcc (no GPU needed), the binaries that bench/scripts/gpu_check.sh
# runs on a GPU machine, into .gpu-bin/ (git-ignored through .git/info/exclude): zkamm,
# zkamm_cuda_tests, zkamm_cuda_bench, stripped, with the shared libraries a bare image may lack.
# Built for any x86-64 with AVX2/BMI2/ADX (-march=x86-64-v3 -madx; not -march=native: the GPU
# machine's CPU is not this one) and sm_90 (H100/H200).
# Usage: bench/scripts/gpu_carry_build.sh [JOBS]
# Then, with the device tool: run(command="bash bench/scripts/gpu_check.sh", carry=[".gpu-bin"]);
# in another session, run(command="bash bench/scripts/gpu_devnet.sh", carry=[".gpu-devnet"]).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${1:-2}
build=$root/build/gpu-carry
dest=$root/.gpu-bin
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DZKAMM_NATIVE=OFF -DZKAMM_WERROR=ON \
  -DZKAMM_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90 -DCMAKE_CXX_FLAGS="-march=x86-64-v3 -madx" \
  ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER}
cmake --build "$build" --target zkamm zkamm_cuda_tests zkamm_cuda_bench -- -j"$jobs"
rm -rf "$dest"
mkdir -p "$dest/lib"
cp "$build/src/app/zkamm" "$build/src/cuda/zkamm_cuda_tests" "$build/src/cuda/zkamm_cuda_bench" "$dest/"
strip "$dest"/zkamm "$dest"/zkamm_cuda_tests "$dest"/zkamm_cuda_bench
# Shared libraries other than glibc's and the GPU driver's travel too (gpu_check.sh puts them on
# LD_LIBRARY_PATH only if the machine lacks them).
for b in "$dest"/zkamm "$dest"/zkamm_cuda_tests "$dest"/zkamm_cuda_bench; do
  ldd "$b" | awk '/=> \// {print $3}' | grep -Ev '/(libc|libm|libpthread|libdl|librt|libgcc_s|ld-linux[^/]*)\.so' |
    while read -r lib; do cp -Ln "$lib" "$dest/lib/" 2>/dev/null || true; done
done
# The devnet run (bench/scripts/gpu_devnet.sh, a device session of its own): zkamm, the same
# libraries and anvil, in one archive (anvil alone is 44 MB; what travels is limited to 64 MiB).
devnet=$root/.gpu-devnet
rm -rf "$devnet" "$build/devnet-pack"
mkdir -p "$devnet" "$build/devnet-pack"
cp -r "$dest/zkamm" "$dest/lib" "$build/devnet-pack/"
cp "$root/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil" "$build/devnet-pack/anvil"
strip "$build/devnet-pack/anvil"
tar -czf "$devnet/devnet.tar.gz" -C "$build/devnet-pack" .
for d in /.gpu-bin/ /.gpu-devnet/; do
  grep -qx "$d" "$(git -C "$root" rev-parse --git-common-dir)/info/exclude" 2>/dev/null ||
    echo "$d" >>"$(git -C "$root" rev-parse --git-common-dir)/info/exclude"
done
du -sh "$dest" "$devnet"
