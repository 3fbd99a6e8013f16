#!/usr/bin/env bash
# `zkamm devnet --once` runs the paper's experiment (docs/BENCH.md) against its own L2 RPC,
# shrunk to 1 instance x 2 accounts x 2 swaps with N = 2 slots, without the scenario (e2e.devnet_e2e
# covers it; the bench's provider then creates the pool itself, 8 batches in all). The bench accounts
# are registered and funded by real L1 deposits (credited by the watcher); every swap is followed
# to hard finality (its batch proven and executed on L1). Checks (issue 7): every file of the
# report exists; every sent swap is accounted for (soft, rejected with a reason, or timed out);
# the counts agree with what the node reports (zkamm_status soft_txs delta, zkamm_getTransaction
# per swap); every soft swap ends finalized, with committed <= proven <= finalized; each batch
# has its proving time and the gas of its three L1 transactions.
source "$(dirname "$0")/common.sh"

step "zkamm devnet --once --no-scenario --slots 2 with a small bench"
"$ZKAMM" devnet --once --no-scenario --slots 2 --repo "$ROOT" --node-modules "$NM" --cache "$CACHE/devnet" \
  --work-dir "$TMP/devnet" --bench-instances 1 --bench-accounts 2 --bench-swaps 2 --bench-hard-timeout 300 \
  --report "$TMP/report" 2>&1 | tee "$TMP/devnet.log"
grep -q "devnet: bench PASS" "$TMP/devnet.log"
# the bench's key file: the accounts the devnet registered on L1, with their contract numbers
node -e '
  const g = JSON.parse(require("fs").readFileSync(process.argv[1]));
  if (g.accounts.length !== 2) throw new Error("expected 2 bench accounts");
  // account 1 is the liquidity provider (registered first), the bench accounts follow it
  if (g.accounts.map(a => a.account).join() !== "2,3") throw new Error("bench accounts " + g.accounts.map(a => a.account));' \
  "$TMP/devnet/bench-accounts.json"

step "the report: every file, every swap accounted for, counts agree with the node, hard finality"
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  const fail = (m) => { console.error("FAIL:", m); process.exit(1); };
  for (const f of ["summary.md", "summary.json", "table.csv", "txs.csv", "blocks.csv", "batches.csv", "tps.csv",
                   "cumulative.csv", "latency_cdf.csv", "resources.csv", "reasons.csv", "plots.gp", "tps.png",
                   "cumulative.png", "blocks.png", "latency_cdf.png", "latency_hard_cdf.png", "resources.png"]) {
    const p = path.join(dir, f);
    if (!fs.existsSync(p) || fs.statSync(p).size === 0) fail("missing or empty " + f);
  }
  // CSV with quoted fields
  const csv = (f) => {
    const rows = fs.readFileSync(path.join(dir, f), "utf8").split("\n").filter(l => l.length > 0).map(l => {
      const out = []; let cur = "", q = false;
      for (let i = 0; i < l.length; ++i) {
        const c = l[i];
        if (q) { if (c === "\"" && l[i + 1] === "\"") { cur += c; ++i; } else if (c === "\"") q = false; else cur += c; }
        else if (c === "\"") q = true; else if (c === ",") { out.push(cur); cur = ""; } else cur += c;
      }
      out.push(cur); return out;
    });
    const head = rows.shift();
    return rows.map(r => Object.fromEntries(head.map((h, i) => [h, r[i]])));
  };
  const sum = JSON.parse(fs.readFileSync(path.join(dir, "summary.json")));
  if (sum.runs.length !== 1) fail("expected 1 run");
  const r = sum.runs[0];
  if (r.sent !== 4) fail("sent " + r.sent + " != 1 x 2 x 2");
  if (r.soft + r.rejected + r.timed_out !== r.sent) fail("unaccounted swaps");
  if (r.soft < 1) fail("no soft swap");
  if (r.node_soft_delta !== r.soft) fail("zkamm_status soft_txs delta " + r.node_soft_delta + " != soft " + r.soft);
  if (r.node_verified !== r.sent) fail("zkamm_getTransaction disagrees on " + (r.sent - r.node_verified) + " swaps");
  if (r.finalized !== r.soft) fail("finalized " + r.finalized + " != soft " + r.soft);
  if (!(r.hard_max_s >= r.hard_p50_s && r.hard_p50_s > 0)) fail("hard latency");
  if (!(r.prover_share > 0 && r.prover_share <= 1.5)) fail("prover share " + r.prover_share);
  const txs = csv("txs.csv");
  if (txs.length !== r.sent) fail("txs.csv rows " + txs.length);
  let soft = 0, reasons = 0;
  for (const t of txs) {
    if (t.outcome === "soft") {
      ++soft;
      if (t.node_status !== "finalized") fail(t.hash + " node status " + t.node_status);
      const c = +t.committed_ms, p = +t.proven_ms, f = +t.finalized_ms;
      if (t.finalized_ms === "" || t.committed_ms === "" || t.proven_ms === "") fail(t.hash + " without L1 times");
      if (!(c <= p && p <= f)) fail(t.hash + " L1 times out of order " + [c, p, f]);
      if (!(f >= +t.intended_ms)) fail(t.hash + " finalized before it was sent");
      if (t.batch === "") fail(t.hash + " without a batch");
    } else {
      if (t.reason === "") fail(t.hash + " " + t.outcome + " without a reason");
      ++reasons;
    }
  }
  if (soft !== r.soft) fail("txs.csv soft " + soft + " != " + r.soft);
  const reasonCount = Object.values(r.reasons).reduce((a, b) => a + b, 0);
  if (reasonCount !== reasons) fail("reasons " + reasonCount + " != " + reasons);
  const batches = csv("batches.csv");
  if (batches.length < 1) fail("no batches");
  let ours = 0, swapBatches = 0;
  for (const b of batches) {
    ours += +b.ours;
    if (!(+b.proving_ms > 0 && +b.witness_ms >= 0 && +b.prove_ms > 0)) fail("batch " + b.number + " without proving time");
    // A fresh devnet settles every batch with one commitProveExecute (docs/DEVNET.md).
    if (!(+b.gas_settle > 0)) fail("batch " + b.number + " without L1 gas (commitProveExecute)");
    if (+b.gas_commit + +b.gas_prove + +b.gas_execute !== 0) fail("batch " + b.number + " also has three-call gas");
    if (+b.l1_gas !== +b.gas_settle) fail("batch " + b.number + " l1_gas != gas_settle");
    if (b.l1_stage !== "finalized") fail("batch " + b.number + " stage " + b.l1_stage);
    if (+b.used > +b.slots) fail("batch " + b.number + " uses more slots than it has");
    // our swaps alone (amounts of 9 significant digits): a swap batch, settled with the swap verifier
    if (+b.used === +b.ours && b.kind !== "swap") fail("batch " + b.number + " of swaps only is " + b.kind);
    if (b.kind === "swap") ++swapBatches;
  }
  if (swapBatches < 1) fail("no swap batch");
  if (ours !== r.soft) fail("batches hold " + ours + " of our swaps, soft " + r.soft);
  const table = csv("table.csv");
  if (table.length !== 1 || +table[0].swaps !== r.sent || +table[0].finalized !== r.finalized) fail("table.csv");
  const md = fs.readFileSync(path.join(dir, "summary.md"), "utf8");
  if (!md.includes("| 1 | 200 | 1 | 200.00 | 4 |")) fail("summary.md Table 1 row");
  if (!md.includes("hard p50 / p99 / max")) fail("summary.md hard-finality columns");
  console.log("report ok:", r.sent, "sent,", r.soft, "soft,", r.finalized, "finalized; hard p50", r.hard_p50_s.toFixed(1),
              "s; prover share", (100 * r.prover_share).toFixed(0) + " %;", batches.length, "batches,", swapBatches, "swap batches");' "$TMP/report"
echo "PASS"
