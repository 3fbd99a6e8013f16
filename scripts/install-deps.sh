#!/usr/bin/env bash
# Installs what zkamm builds and tests with, on Debian 12 as root (or with sudo). Idempotent:
# apt-get skips installed packages and `npm ci` restores node_modules from package-lock.json.
# C++ libraries come from Debian; the L1 (anvil/forge/cast), solc-js and the test oracles
# (snarkjs, circomlibjs, circom2, @uniswap/v2-core) from npm (ARCHITECTURE.md section 8).
# libclang-rt-14-dev (only recommended by clang) holds libFuzzer and clang's sanitizer runtimes.
# Debian's chromium runs the explorer's browser test (tests/e2e/explorer_e2e.sh), driven by npm's
# playwright-core, which never downloads a browser of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential g++ clang libclang-rt-14-dev cmake ninja-build pkg-config git ca-certificates
  libgtest-dev libgmock-dev libbenchmark-dev
  libgmp-dev libssl-dev libcrypto++-dev libsecp256k1-dev librocksdb-dev
  libboost-dev nlohmann-json3-dev libspdlog-dev libcli11-dev
  gnuplot-nox nodejs npm
  etcd-server  # the sequencer group's leases and fencing (docs/NODE.md "Sequencer group")
  chromium     # the explorer's browser test (docs/EXPLORER.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# nodejs may come from elsewhere than Debian (a newer build already on the machine): keep it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "install-deps: apt-get install ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
echo "install-deps: done"
