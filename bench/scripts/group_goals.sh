#!/usr/bin/env bash
# Issue 23's goals (docs/PERFORMANCE.md): a sequencer group of three `zkamm node` members with
# quorum soft finality and an etcd, all on this machine's loopback (they share its cores with the
# client): (1) signed swaps/s through the leader's RPC (batches of zkamm_sendTransaction, 10,000/s
# offered), (2) soft p99 at 5,000/s over 1,000 connections (zkamm_sendTransactionSync), and, for
# comparison in the same run, one plain node (local soft finality); (3) failover time: the group
# test's kill -9 loop with ZKAMM_FAILOVER_ROUNDS rounds (kill -> the new leader holds the key).
# Usage: bench/scripts/group_goals.sh [build dir] [failover rounds]
# BLOCK_TIME_MS (default 20): --block-time-ms of every node, the plain one included.
# THREADS=1: also the CPU seconds of every node thread (by name, summed over the members) and of
# the client during the 5,000/s runs (docs/PERFORMANCE.md "Session 14").
set -u
BT=${BLOCK_TIME_MS:-20}
B=${1:-/work/main/build/ci}
ROUNDS=${2:-50}
Z=$B/src/app/zkamm
D=$(mktemp -d /tmp/zkamm-groupbench.XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, $(date -u +%F), block time $BT ms"
$Z wallet new-genesis --out $D/g.json --accounts 2001 >/dev/null
report() {
  python3 -c 'import json,sys; j=json.load(sys.stdin); print("accepted", j["accepted"], "accepted/s %.0f" % j["accepted_per_s"], "soft/s %.0f" % j["soft_per_s"], "all soft %.1f s" % j["all_soft_seconds"], "p50 %.1f p99 %.1f ms" % (j["request_latency_ms"]["p50"], j["request_latency_ms"]["p99"]), "errors", j["errors"])'
}
# drain URL...: waits (up to 300 s) until every node has an empty mempool, no batcher backlog, every
# batch root computed and the same head, and says how long that took. The latency run measures 5,000/s on a settled
# group, not the digestion of the 200,000-swap burst before it (whose backlog is its own figure).
drain() {
  local t0=$(date +%s.%N) i
  for i in $(seq 1500); do
    python3 - "$@" <<'PY' && break
import json, sys, urllib.request
heads = set()
for url in sys.argv[1:]:
    req = urllib.request.Request(url, data=b'{"jsonrpc":"2.0","id":1,"method":"zkamm_status","params":[]}',
                                 headers={"Content-Type": "application/json"})
    s = json.load(urllib.request.urlopen(req, timeout=5))["result"]
    if s["pending"] != 0 or s["batcher_backlog_batches"] != 0 or s["last_root_batch"] != s["last_batch"]: sys.exit(1)
    heads.add(s["head_block"])
sys.exit(0 if len(heads) == 1 else 1)
PY
    sleep 0.2
  done
  echo "   (drained in $(python3 -c "print(round($(date +%s.%N) - $t0, 1))") s)"
}
# cpu_snap PID...: "pid thread-name ticks" for every thread of those processes
cpu_snap() {
  local p t f
  for p in "$@"; do for t in /proc/$p/task/*; do
    f=$(cut -d' ' -f14,15 $t/stat 2>/dev/null) || continue
    echo "$p $(tr ' ' _ < $t/comm) $(( ${f% *} + ${f#* } ))"
  done; done
}
cpu_diff() {  # before after: CPU seconds per thread name (all processes) and per process
  python3 - "$1" "$2" <<'PY'
import collections, sys
def load(f):
    d = collections.Counter()
    for line in open(f):
        p, name, ticks = line.split(); d[(p, name)] += int(ticks)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
by_name, by_proc = collections.Counter(), collections.Counter()
for k, v in b.items():
    by_name[k[1]] += v - a[k]; by_proc[k[0]] += v - a[k]
print("   cpu-s by thread:", ", ".join("%s %.2f" % (n, v / 100) for n, v in by_name.most_common() if v >= 5))
print("   cpu-s by process:", ", ".join("%s %.2f" % (p, v / 100) for p, v in by_proc.most_common()))
PY
}
bench_pair() {  # $1 = RPC URL of the node to load, then every node's URL
  echo "== 16 x batches of 200, 10,000/s, 200,000 swaps"
  $Z rpc-bench --url $1 --genesis $D/g.json --connections 16 --batch 200 --rate 10000 --count 200000 2>&1 | report
  drain "${@:2}"
  echo "== 1,000 connections, 5,000/s, 50,000 swaps"
  local timed=()
  if [ "${THREADS:-0}" = 1 ]; then cpu_snap "${pids[@]}" > $D/cpu0; timed=(/usr/bin/time -f "%U %S" -o $D/client.time); fi
  "${timed[@]}" $Z rpc-bench --url $1 --genesis $D/g.json --connections 1000 --rate 5000 --count 50000 2>&1 | report
  if [ "${THREADS:-0}" = 1 ]; then
    cpu_snap "${pids[@]}" > $D/cpu1
    cpu_diff $D/cpu0 $D/cpu1
    echo "   client (signing before the window included): $(awk '{print $1 + $2}' $D/client.time) cpu-s"
  fi
}

echo "### one node, local soft finality"
RP=$(port)
$Z node --data-dir $D/solo --genesis $D/g.json --rpc-port $RP --block-time-ms $BT --batch-slots 64 > $D/solo.log 2>&1 &
pids+=($!)
for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:$RP/health && break; sleep 0.2; done
bench_pair http://127.0.0.1:$RP http://127.0.0.1:$RP
kill ${pids[-1]}; wait ${pids[-1]} 2>/dev/null

echo "### group of three, quorum soft finality"
EC=$(port); EP=$(port)
etcd --name b --data-dir $D/etcd --listen-client-urls http://127.0.0.1:$EC --advertise-client-urls http://127.0.0.1:$EC \
  --listen-peer-urls http://127.0.0.1:$EP --initial-advertise-peer-urls http://127.0.0.1:$EP --initial-cluster b=http://127.0.0.1:$EP \
  --heartbeat-interval 10 --election-timeout 100 --log-level error > $D/etcd.log 2>&1 &
pids+=($!)
for i in $(seq 50); do curl -s -o /dev/null -X POST http://127.0.0.1:$EC/v3/kv/range -d '{"key":"eA=="}' && break; sleep 0.2; done
declare -A RPC
for n in n1 n2 n3; do
  RPC[$n]=$(port)
  $Z node --data-dir $D/$n --genesis $D/g.json --rpc-port ${RPC[$n]} --block-time-ms $BT --batch-slots 64 \
    --group-etcd http://127.0.0.1:$EC --group-id $n --soft-finality quorum > $D/$n.log 2>&1 &
  pids+=($!)
done
leader() {
  curl -s -X POST http://127.0.0.1:$EC/v3/kv/range -d "{\"key\":\"$(printf /zkamm/group/leader | base64)\"}" |
    python3 -c 'import json,sys,base64; j=json.load(sys.stdin); print(json.loads(base64.b64decode(j["kvs"][0]["value"]))["id"] if j.get("kvs") else "")'
}
L=""
for i in $(seq 300); do L=$(leader); [ -n "$L" ] && break; sleep 0.2; done
# genesis done: the leader's pool has reserves
for i in $(seq 600); do
  curl -s -X POST http://127.0.0.1:${RPC[$L]} -d '{"jsonrpc":"2.0","id":1,"method":"zkamm_getPool","params":[1,2]}' | grep -q reserve0 && break
  sleep 0.2
done
echo "leader $L"
bench_pair http://127.0.0.1:${RPC[$L]} http://127.0.0.1:${RPC[n1]} http://127.0.0.1:${RPC[n2]} http://127.0.0.1:${RPC[n3]}
for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; wait 2>/dev/null; pids=()

echo "### failover: kill -9 the leader $ROUNDS times under load (tests/cluster/group_test.cpp)"
ZKAMM_FAILOVER_ROUNDS=$ROUNDS $B/src/cluster/zkamm_cluster_tests --gtest_filter='GroupFailover.Kill*' 2>&1 |
  grep -E "failover \(|acknowledged|OK|FAILED"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
