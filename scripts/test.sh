#!/usr/bin/env bash
# CI's test run (docs/TESTING.md). Stages, each a CMake preset of CMakePresets.json that builds
# only the targets it runs:
#   ci           release build (g++, warnings as errors); every test: unit, oracle (snarkjs,
#                circomlibjs, cast, Uniswap V2 on anvil), forge and end-to-end
#   ci-sanitize  clang with ASan + UBSan for generic x86-64, so the portable field code instead of
#                the BMI2/ADX asm: the unit tests of ff ec hash snark circuit state tx l1 node cuda
#                (batch's take too long under ASan for CI), then each libFuzzer target for a few
#                seconds from its seed corpus (fuzz/)
#   ci-tsan      the node's unit tests under ThreadSanitizer (g++)
# Arguments go to the ci stage's ctest (e.g. `-R '^node\.'` or `-LE oracle`).
# ZKAMM_TEST_STAGES picks stages (default: all three, in this order).
set -euo pipefail
cd "$(dirname "$0")/.."
stages=${ZKAMM_TEST_STAGES:-ci ci-sanitize ci-tsan}
for stage in $stages; do
  start=$(date +%s)
  case $stage in
    ci-tsan) configure=tsan ;;
    *) configure=$stage ;;
  esac
  cmake --preset "$configure"
  cmake --build --preset "$stage"
  if [ "$stage" = ci ]; then
    ctest --preset ci "$@"
  else
    ctest --preset "$stage"
  fi
  echo "test.sh: stage $stage passed in $(( $(date +%s) - start )) s"
done
