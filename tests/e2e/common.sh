# Sourced by the e2e scripts: arguments <zkamm> <repo root> <node_modules> <cache dir>.
set -euo pipefail
ZKAMM=$(realpath "$1")
ROOT=$(realpath "$2")
NM=$(realpath "$3")
CACHE=$4
mkdir -p "$CACHE"
CACHE=$(realpath "$CACHE")
snarkjs() { node "$NM/snarkjs/build/cli.cjs" "$@"; }
TMP=$(mktemp -d "${TMPDIR:-/tmp}/zkamm-e2e.XXXXXX")
cleanup_tmp() { rm -rf "$TMP"; }
trap cleanup_tmp EXIT
step() { echo "== $*"; }
# expect_fail <description> <command...>: the command must exit with status 1 (an error, not a crash).
expect_fail() {
  local what=$1; shift
  local rc=0
  "$@" > "$TMP/expect_fail.log" 2>&1 || rc=$?
  if [ "$rc" -ne 1 ]; then
    echo "FAIL: $what: expected exit 1, got $rc"; cat "$TMP/expect_fail.log"; exit 1
  fi
  echo "ok (rejected): $what: $(tail -n 1 "$TMP/expect_fail.log")"
}
# json_equal <a.json> <b.json>: deep equality of two JSON files.
json_equal() {
  node -e '
    const fs = require("fs"); const assert = require("assert");
    const a = JSON.parse(fs.readFileSync(process.argv[1])); const b = JSON.parse(fs.readFileSync(process.argv[2]));
    assert.deepStrictEqual(a, b);' "$1" "$2"
}
