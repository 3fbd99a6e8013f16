#!/usr/bin/env python3
"""Hostile clients against a real `zkamm node` (issue 17 items 1, 4, 5): loopback only, bounded,
self-stopping. Prints one line per attack; docs/NODE.md "Failure modes" keeps the last result.

Usage: tests/node/hostile_clients.py [path/to/zkamm] [--port 18645] [--swaps 10000] [--attacks exit,idle,readers]

1. exit proofs: 2 connections each send one batch of zkamm_getExitProof (150 per batch, then
   16: the largest the node accepts) while /health is polled: the slowest /health answer.
2. idle sockets: 5,000 sockets from 127.0.0.1 (WebSocket handshakes, then silence), then a new
   HTTP client from the same address: its time to an answer (goal: within 1 s).
3. non-readers: 60 connections each send one batch of zkamm_getBatch (1,000, then 500 calls) and
   never read: the node's RSS before and after, and whether others are served meanwhile.
"""
import base64, json, os, re, resource, signal, socket, subprocess, sys, tempfile, threading, time, urllib.request

Z = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "build/ci/src/app/zkamm"
args = sys.argv[1:]
PORT = int(args[args.index("--port") + 1]) if "--port" in args else 18645
SWAPS = int(args[args.index("--swaps") + 1]) if "--swaps" in args else 10000
ATTACKS = (args[args.index("--attacks") + 1] if "--attacks" in args else "exit,idle,readers").split(",")
URL = f"http://127.0.0.1:{PORT}"


def rpc_body(method, params, i=1):
    return {"jsonrpc": "2.0", "id": i, "method": method, "params": params}


def post(body, timeout=60):
    req = urllib.request.Request(URL, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def health_ms(timeout=30):
    t = time.monotonic()
    try:
        with urllib.request.urlopen(URL + "/health", timeout=timeout) as r:
            r.read()
    except Exception as e:  # noqa: BLE001 - a refused or reset probe is a result too
        return None, str(e)
    return (time.monotonic() - t) * 1000, None


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def metric(name):
    try:
        with urllib.request.urlopen(URL + "/metrics", timeout=10) as r:
            m = re.search(rf"^{name} (\S+)$", r.read().decode(), re.M)
    except Exception as e:  # noqa: BLE001 - an older node, or one that refuses us
        return f"n/a ({e})"
    return float(m.group(1)) if m else None


def attack_exit_proofs(per_batch, conns=2):
    stop = threading.Event()
    worst = [0.0, 0]
    def probe():
        while not stop.is_set():
            ms, err = health_ms()
            if ms is None:
                worst[1] += 1
            else:
                worst[0] = max(worst[0], ms)
            time.sleep(0.02)
    p = threading.Thread(target=probe)
    p.start()
    results = []
    def attacker():
        body = [rpc_body("zkamm_getExitProof", [1 + (i % 100), 1], i) for i in range(per_batch)]
        for _ in range(1):
            t = time.monotonic()
            st, r = post(body, timeout=300)
            ok = sum(1 for x in r if "result" in x) if isinstance(r, list) else 0
            err = r.get("error", {}).get("code") if isinstance(r, dict) else None
            results.append((time.monotonic() - t, ok, err))
    t0 = time.monotonic()
    ts = [threading.Thread(target=attacker) for _ in range(conns)]
    for t in ts: t.start()
    for t in ts: t.join()
    stop.set(); p.join()
    took = time.monotonic() - t0
    oks = sum(r[1] for r in results)
    errs = sorted(set(r[2] for r in results if r[2] is not None))
    print(f"exit proofs, {conns} connections x 1 batch of {per_batch}: {took:.1f} s, {oks} proofs, errors {errs}; "
          f"slowest /health {worst[0]:.0f} ms, failed probes {worst[1]}")


def attack_idle_sockets(n=5000):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 1024), hard))
    key = base64.b64encode(os.urandom(16)).decode()
    hs = (f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
    socks, failed = [], 0
    t0 = time.monotonic()
    for _ in range(n):
        try:
            s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
            s.sendall(hs)
            socks.append(s)
        except OSError:
            failed += 1
    opened = time.monotonic() - t0
    time.sleep(0.5)
    t = time.monotonic()
    try:
        st, r = post(rpc_body("zkamm_status", []), timeout=10)
        served = f"{(time.monotonic() - t) * 1000:.0f} ms (HTTP {st})"
    except Exception as e:  # noqa: BLE001
        served = f"NOT served after {(time.monotonic() - t) * 1000:.0f} ms: {e}"
    evicted = metric("zkamm_rpc_evicted_total")
    for s in socks: s.close()
    print(f"idle sockets: {n} WebSocket handshakes from 127.0.0.1 in {opened:.1f} s ({failed} failed to open); "
          f"new client from the same address served in {served}; evicted {evicted}")


def attack_non_readers(pid, per_batch, conns=60):
    body = json.dumps([rpc_body("zkamm_getBatch", [1 + (i % 200)], i) for i in range(per_batch)]).encode()
    req = (f"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
    before = rss_mb(pid)
    socks = []
    for _ in range(conns):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", PORT))
        s.sendall(req)
        socks.append(s)
    peak, probe_worst = before, 0.0
    for _ in range(30):  # 15 s: longer than the node's write timeout
        time.sleep(0.5)
        peak = max(peak, rss_mb(pid))
        ms, _ = health_ms()
        probe_worst = max(probe_worst, ms if ms is not None else 1e9)
    dropped = metric("zkamm_rpc_slow_readers_dropped_total")
    held_peak = metric("zkamm_rpc_buffered_bytes_peak")
    held_peak = f"{held_peak / 2**20:.0f} MiB" if isinstance(held_peak, float) else "n/a"
    alive = 0
    for s in socks:
        s.setblocking(False)
        try:
            alive += 1 if s.recv(1, socket.MSG_PEEK) else 0
        except BlockingIOError:
            alive += 1
        except OSError:
            pass
        s.close()
    print(f"non-readers: {conns} connections x 1 batch of {per_batch} zkamm_getBatch ({len(body) // 1024} KB each), never read: "
          f"RSS {before:.0f} -> peak {peak:.0f} MB (response bytes held at most: {held_peak}); slowest /health {probe_worst:.0f} ms; dropped by the node {dropped}; "
          f"still open after 15 s {alive}")


def main():
    d = tempfile.mkdtemp(prefix="zkamm-hostile.")
    subprocess.run([Z, "wallet", "new-genesis", "--out", f"{d}/g.json", "--accounts", "201"], check=True, stdout=subprocess.DEVNULL)
    log = open(f"{d}/node.log", "w")
    node = subprocess.Popen([Z, "node", "--data-dir", f"{d}/data", "--genesis", f"{d}/g.json", "--rpc-port", str(PORT),
                             "--block-time-ms", "20", "--batch-slots", "64"], stdout=log, stderr=log)
    try:
        for _ in range(100):
            if health_ms(1)[0] is not None: break
            time.sleep(0.2)
        subprocess.run([Z, "rpc-bench", "--url", URL, "--genesis", f"{d}/g.json", "--connections", "16", "--batch", "200",
                        "--rate", "10000", "--count", str(SWAPS)], check=True, stdout=subprocess.DEVNULL)
        for _ in range(600):
            st, r = post(rpc_body("zkamm_status", []))
            if r["result"].get("batcher_backlog_batches", 0) == 0: break
            time.sleep(0.1)
        print(f"node {Z}: {r['result'].get('last_batch')} batches, head block {r['result'].get('head_block')}")
        if "exit" in ATTACKS:
            attack_exit_proofs(150)
            attack_exit_proofs(16)
        if "idle" in ATTACKS:
            attack_idle_sockets()
            time.sleep(1)
        if "readers" in ATTACKS:
            attack_non_readers(node.pid, 1000)
            attack_non_readers(node.pid, 500)
        print("node still running:", node.poll() is None, "; health:", health_ms()[0] is not None)
    finally:
        node.send_signal(signal.SIGTERM)
        try:
            node.wait(30)
        except subprocess.TimeoutExpired:
            node.kill()
        subprocess.run(["rm", "-rf", d])


if __name__ == "__main__":
    main()
