#!/usr/bin/env bash
# Builds with warnings as errors (the `ci` preset) and runs every test: unit tests, the
# oracle tests against snarkjs / circomlibjs / Uniswap V2 on anvil, and the forge tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset ci
cmake --build --preset ci
ctest --preset ci "$@"
