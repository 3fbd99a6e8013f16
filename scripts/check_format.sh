#!/usr/bin/env bash
# Reports the C++ lines a change touched that clang-format (.clang-format) would write
# differently; the untouched tree is not reformatted (issue 22 item 6). Cheap: only the diff.
#   scripts/check_format.sh [BASE]      # BASE defaults to main; exit 1 when something differs
#   scripts/check_format.sh [BASE] -i   # rewrite those lines in place instead
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:-main}
inplace=${2:-}
cfd=$(command -v clang-format-diff-14 || command -v clang-format-diff || true)
[ -n "$cfd" ] || { echo "check_format: clang-format-diff not found (Debian: clang-format)"; exit 2; }
diff=$(git diff -U0 --no-color "$base" -- '*.cpp' '*.hpp')
[ -n "$diff" ] || { echo "check_format: no C++ changes against $base"; exit 0; }
if [ "$inplace" = -i ]; then
  echo "$diff" | "$cfd" -p1 -i
  exit 0
fi
out=$(echo "$diff" | "$cfd" -p1)
if [ -n "$out" ]; then
  echo "$out"
  echo "check_format: the lines above differ from .clang-format (scripts/check_format.sh $base -i fixes them)"
  exit 1
fi
echo "check_format: changed lines follow .clang-format"
