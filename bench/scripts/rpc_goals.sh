#!/usr/bin/env bash
# The node's RPC goals (docs/PERFORMANCE.md): 10,000 signed swaps/s for 30 s, then p99 at 5,000/s
# over 1,000 connections, three times; a fresh data dir per run; loopback only, bounded counts.
# Usage: bench/scripts/rpc_goals.sh [path/to/zkamm]
set -u
Z=${1:-/work/main/build/ci/src/app/zkamm}
D=$(mktemp -d /tmp/zkamm-rpcbench.XXXX)
$Z wallet new-genesis --out $D/g.json --accounts 2001 >/dev/null
run() {
  rm -rf $D/data
  $Z node --data-dir $D/data --genesis $D/g.json --rpc-port 18545 --block-time-ms 20 --batch-slots 64 > $D/node.log 2>&1 &
  local pid=$!
  for i in $(seq 50); do curl -s -o /dev/null http://127.0.0.1:18545/health && break; sleep 0.2; done
  $Z rpc-bench --url http://127.0.0.1:18545 --genesis $D/g.json "$@" 2>&1 | python3 -c 'import json,sys; j=json.load(sys.stdin); print("accepted", j["accepted"], "accepted/s %.0f" % j["accepted_per_s"], "soft/s %.0f" % j["soft_per_s"], "all soft %.1f s" % j["all_soft_seconds"], "p50 %.1f p99 %.1f ms" % (j["request_latency_ms"]["p50"], j["request_latency_ms"]["p99"]), "errors", j["errors"])'
  echo
  kill $pid; wait $pid 2>/dev/null
}
echo "== 16 x batches of 200, 10,000/s, 300,000 swaps"; run --connections 16 --batch 200 --rate 10000 --count 300000
for k in 1 2 3; do echo "== 1,000 connections, 5,000/s, 50,000 swaps (run $k)"; run --connections 1000 --rate 5000 --count 50000; done
rm -rf $D
