#!/usr/bin/env bash
# A real full disk under the node (issue 17 item 2; docs/NODE.md "Failure modes"): mounts a small
# tmpfs (needs root), fills it while the node seals blocks, checks that the node rejects with
# store_unavailable instead of aborting, that nothing reported soft is lost, that it resumes when
# the space returns, and that a start on a full disk fails with a clear error.
# Usage: tests/node/full_disk_tmpfs.sh [build dir, default build/ci]
set -euo pipefail
build=${1:-build/ci}
bin="$build/src/node/zkamm_node_tests"
[[ -x $bin ]] || { echo "build $bin first (cmake --build --preset ci --target zkamm_node_tests)"; exit 2; }
[[ $(id -u) == 0 ]] || { echo "needs root to mount a tmpfs"; exit 2; }
mnt=$(mktemp -d)
mount -t tmpfs -o size=96m tmpfs "$mnt"
trap 'umount "$mnt"; rmdir "$mnt"' EXIT
ZKAMM_FULL_DISK_DIR=$mnt "$bin" --gtest_also_run_disabled_tests \
  --gtest_filter='StoreFailureManual.DISABLED_RealFullDiskStopsCleanlyAndResumes'
