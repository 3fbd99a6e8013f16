// zkamm explorer: one page served by the node on its RPC port (docs/EXPLORER.md). It reads the
// node's JSON-RPC (POST /) and its WebSocket feed (/ws: newBlocks and txStatus subscriptions,
// zkamm_metrics once a second). Plain JavaScript, no dependencies: it works offline. Every value
// from the node goes into the page as text (textContent), never as HTML.
"use strict";

// ---- small helpers ---------------------------------------------------------------------------

/** h("td", {class: "x"}, child, "text", ...): an element; strings become text nodes. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const link = (href, text) => h("a", { href }, text);
const txLink = (hash) => h("a", { href: "#/tx/" + hash, class: "mono" }, short(hash));
const blockLink = (n) => link("#/block/" + n, "#" + n);
const batchLink = (n) => link("#/batch/" + n, "#" + n);
const accountLink = (n) => link("#/account/" + n, String(n));
const poolLink = (a, b) => link("#/pool/" + a + "-" + b, tokenName(a) + " / " + tokenName(b));

function short(hex) {
  return typeof hex === "string" && hex.length > 20 ? hex.slice(0, 10) + "…" + hex.slice(-8) : String(hex);
}
function tokenName(t) {
  t = Number(t);
  if (t === 0) return "ETH";
  if (t >= 512) return "LP-" + (t - 512);
  return "T" + t;
}
/** A decimal string (amounts go up to 2^128) with thousands separators. */
function amount(s) {
  if (s === undefined || s === null) return "–";
  try {
    return BigInt(s).toLocaleString("en-US");
  } catch (e) {
    return String(s);
  }
}
/** The quotient of two decimal strings as a float (display only). */
function ratio(a, b) {
  const x = Number(BigInt(a)), y = Number(BigInt(b));
  return y === 0 ? NaN : x / y;
}
function num(x, digits) {
  if (x === undefined || x === null || Number.isNaN(x)) return "–";
  return Number(x).toLocaleString("en-US", { maximumFractionDigits: digits === undefined ? 1 : digits });
}
function ms(x) {
  if (x === undefined || x === null) return "–";
  if (x >= 10000) return num(x / 1000, 1) + " s";
  return num(x, x < 10 ? 2 : 0) + " ms";
}
function time(t) {
  t = Number(t);
  if (!t) return "–";
  const d = new Date(t);
  return d.toLocaleTimeString("en-GB", { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
}
function ago(t) {
  t = Number(t);
  if (!t) return "";
  const s = (Date.now() - t) / 1000;
  if (s < 1) return "just now";
  if (s < 120) return Math.round(s) + " s ago";
  if (s < 7200) return Math.round(s / 60) + " min ago";
  return Math.round(s / 3600) + " h ago";
}
/** view.replaceChildren without the null/false placeholders of conditional parts. */
function show(view, ...children) {
  view.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}
function table(headers, rows, empty) {
  if (!rows.length) return h("p", { class: "muted" }, empty || "nothing yet");
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}
function kv(pairs) {
  return h("dl", { class: "kv" }, pairs.filter(Boolean).map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}
function badge(status) {
  return h("span", { class: "badge s-" + status, "data-status": status }, status);
}

// ---- the node: JSON-RPC over HTTP, and the WebSocket feed -------------------------------------

class RpcError extends Error {
  constructor(e) {
    super(e.message);
    this.code = e.code;
    this.data = e.data;
  }
}
let nextId = 1;
async function rpc(method, params) {
  const res = await fetch("/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params: params === undefined ? [] : params }),
  });
  const j = await res.json();
  if (j.error) throw new RpcError(j.error);
  return j.result;
}
/** rpc(), or null when the node does not serve the method (a replica) or the item is not found. */
async function maybe(method, params) {
  try {
    return await rpc(method, params);
  } catch (e) {
    if (e instanceof RpcError && (e.code === -32601 || e.code === -32002)) return null;
    throw e;
  }
}

/** The WebSocket: calls and subscriptions, reconnected after a drop. */
class Feed {
  constructor() {
    this.pending = new Map();
    this.subs = new Map(); // our key -> {params, cb, id}
    this.byId = new Map(); // node's subscription id -> our key
    this.open = false;
    this.listeners = [];
    this.connect();
  }
  connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(proto + "//" + location.host + "/ws");
    this.ws = ws;
    ws.onopen = () => {
      this.open = true;
      setConn("live", true);
      for (const [key, s] of this.subs) this.resubscribe(key, s);
      for (const f of this.listeners) f();
    };
    ws.onmessage = (ev) => {
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (m.method === "zkamm_subscription") {
        const key = this.byId.get(m.params.subscription);
        const s = key && this.subs.get(key);
        if (s) s.cb(m.params.result);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new RpcError(m.error));
      else p.resolve(m.result);
    };
    ws.onclose = () => {
      this.open = false;
      setConn("reconnecting", false);
      for (const p of this.pending.values()) p.reject(new Error("connection closed"));
      this.pending.clear();
      this.byId.clear();
      setTimeout(() => this.connect(), 2000);
    };
    ws.onerror = () => {}; // onclose follows and reconnects
  }
  call(method, params) {
    if (!this.open) return rpc(method, params); // plain HTTP meanwhile
    const id = nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params: params === undefined ? [] : params }));
    });
  }
  /** cb for every notification of zkamm_subscribe(params); returns a function that unsubscribes. */
  subscribe(params, cb) {
    const key = Symbol();
    const s = { params, cb, id: null };
    this.subs.set(key, s);
    if (this.open) this.resubscribe(key, s);
    return () => {
      this.subs.delete(key);
      if (s.id && this.open) this.call("zkamm_unsubscribe", [s.id]).catch(() => {});
      if (s.id) this.byId.delete(s.id);
    };
  }
  resubscribe(key, s) {
    this.call("zkamm_subscribe", s.params).then((id) => {
      if (!this.subs.has(key)) return this.call("zkamm_unsubscribe", [id]).catch(() => {});
      s.id = id;
      this.byId.set(id, key);
    }).catch(() => {}); // a replica has no subscriptions: pages poll instead
  }
  onOpen(f) {
    this.listeners.push(f);
  }
}

function setConn(text, ok) {
  const el = document.getElementById("conn");
  el.textContent = text;
  el.className = "conn " + (ok ? "ok" : "bad");
}

// ---- state shared by pages ---------------------------------------------------------------------

const app = {
  feed: null,
  status: null, // zkamm_status at start (mode, chain)
  replica: false,
  pools: null, // zkamm_getPools, cached for the account page's LP positions
  cleanup: [], // what the current page must stop when the route changes
  tpsHistory: [], // [time ms, soft TPS], the last 120 samples, kept across pages
};

/** f now and every msInterval while `view` (the page's box) is in the document. */
function every(view, msInterval, f) {
  // A failed round (the node restarting, a dropped connection) is retried by the next one.
  const run = () => Promise.resolve().then(f).catch(() => {});
  run();
  const t = setInterval(() => (view.isConnected ? run() : clearInterval(t)), msInterval);
  app.cleanup.push(() => clearInterval(t));
}
function onCleanup(f) {
  app.cleanup.push(f);
}
/** Runs f, and shows its error in place of the page instead of throwing. */
async function guard(view, f) {
  try {
    await f();
  } catch (e) {
    show(view, h("div", { class: "error" }, "Error: " + (e && e.message ? e.message : String(e))));
  }
}

// ---- pages -------------------------------------------------------------------------------------

function card(label, id, sub) {
  return h("div", { class: "card" }, h("div", { class: "label" }, label), h("div", { class: "value", id }, "–"),
    h("div", { class: "sub", id: id + "-sub" }, sub || ""));
}
function setText(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function drawSparkline(canvas, points) {
  // Drawn at the size it is shown, in device pixels, so lines and text stay sharp.
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 640, hh = canvas.clientHeight || 120;
  if (canvas.width !== Math.round(w * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(hh * dpr);
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, hh);
  if (points.length < 2) return;
  const max = Math.max(1, ...points.map((p) => p[1]));
  const t0 = points[0][0], t1 = points[points.length - 1][0];
  ctx.strokeStyle = "#3b82f6";
  ctx.fillStyle = "rgba(59,130,246,0.15)";
  ctx.lineWidth = 2;
  ctx.beginPath();
  points.forEach(([t, v], i) => {
    const x = t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (w - 2) + 1;
    const y = hh - 2 - (v / max) * (hh - 6);
    if (i === 0) ctx.moveTo(x, y);
    else ctx.lineTo(x, y);
  });
  ctx.stroke();
  ctx.lineTo(w - 1, hh);
  ctx.lineTo(1, hh);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = "#64748b";
  ctx.font = "11px sans-serif";
  ctx.fillText("max " + num(max, 0) + " tx/s", 6, 12);
}

function stageBar(b) {
  const total = Math.max(b.last, 1);
  const parts = [
    ["finalized", b.finalized],
    ["proven", b.proven - b.finalized],
    ["committed", b.committed - b.proven],
    ["soft", b.last - b.committed],
  ];
  return h("div", {},
    h("div", { class: "stagebar" }, parts.filter(([, n]) => n > 0).map(([s, n]) => {
      const seg = h("div", { class: "seg s-" + s, title: s + ": " + n });
      seg.style.width = (100 * n) / total + "%"; // CSSOM, which the page's CSP allows (a style attribute it would not)
      return seg;
    })),
    h("div", { class: "legend" }, parts.map(([s, n]) => h("span", {}, h("i", { class: "s-" + s }), s === "soft" ? "not on L1" : s, " ", h("b", { id: "stage-" + s }, String(n))))));
}

async function pageDashboard(view) {
  if (app.replica) return pageReplicaDashboard(view);
  const canvas = h("canvas", { id: "tps-chart", width: 640, height: 120 });
  const blocksBox = h("div", { id: "live-blocks" });
  const batchesBox = h("div", { id: "live-batches" });
  const stages = h("div", { id: "stages" });
  show(view, 
    h("h1", {}, "Live"),
    h("div", { class: "cards" },
      card("Soft TPS", "tps", "sealed txs/s, last 5 s"),
      card("Soft latency p50 / p99", "soft-lat", "RPC receipt to sealed block"),
      card("Hard latency p50 / p99", "hard-lat", "receipt to finalized on L1"),
      card("Block fill", "fill", ""),
      card("Mempool", "mempool", "pending txs"),
      card("Batcher backlog", "backlog", "batches of soft txs"),
      card("Prover queue", "prover", "batches to prove"),
      card("Head block", "head", "")),
    h("div", { class: "panel" }, h("h2", {}, "Soft TPS"), canvas),
    h("div", { class: "panel" }, h("h2", {}, "Batches by L1 stage"), stages),
    h("div", { class: "cols" },
      h("div", { class: "panel" }, h("h2", {}, "Latest blocks ", link("#/blocks", "all")), blocksBox),
      h("div", { class: "panel" }, h("h2", {}, "Latest batches ", link("#/batches", "all")), batchesBox)));

  const recentBlocks = [];
  const renderBlocks = () => blocksBox.replaceChildren(table(["block", "txs", "time"],
    recentBlocks.map((b) => [blockLink(b.number), String(b.tx_count), time(b.timestamp)]), "no blocks yet"));
  for (const b of (await rpc("zkamm_getBlocks", [10])) || []) recentBlocks.push(b);
  renderBlocks();
  onCleanup(app.feed.subscribe(["newBlocks"], (b) => {
    recentBlocks.unshift(b);
    recentBlocks.length = Math.min(recentBlocks.length, 10);
    renderBlocks();
  }));

  let lastBatches = "";
  const refreshBatches = async (force) => {
    // Only when a batch was recorded or moved on L1.
    const key = app.lastMetrics ? JSON.stringify(app.lastMetrics.batches) : "";
    if (!force && key === lastBatches) return;
    lastBatches = key;
    const list = await rpc("zkamm_getBatches", [8]);
    batchesBox.replaceChildren(batchTable(list, true));
  };

  const tick = async () => {
    let m;
    try {
      m = await app.feed.call("zkamm_metrics");
    } catch (e) {
      return;
    }
    app.lastMetrics = m;
    app.tpsHistory.push([m.time, m.soft_tps]);
    if (app.tpsHistory.length > 120) app.tpsHistory.shift();
    setText("tps", num(m.soft_tps, 1));
    setText("soft-lat", ms(m.soft_latency_ms.p50) + " / " + ms(m.soft_latency_ms.p99));
    setText("soft-lat-sub", m.soft_latency_ms.count + " txs in the last 5 s");
    const s = m.settle;
    if (s && s.hard_latency_ms && s.hard_latency_ms.count) {
      setText("hard-lat", ms(s.hard_latency_ms.p50) + " / " + ms(s.hard_latency_ms.p99));
      setText("hard-lat-sub", s.hard_latency_ms.count + " txs finalized in the last " + num(s.hard_latency_ms.window_ms / 1000, 0) + " s");
    } else {
      setText("hard-lat", "–");
      setText("hard-lat-sub", s ? "no tx finalized lately" : "this node does not settle on L1");
    }
    setText("fill", num(100 * m.block_fill.fill, 2) + " %");
    setText("fill-sub", num(m.block_fill.txs_per_block, 1) + " of " + num(m.block_fill.max_block_txs, 0) + " txs per block");
    setText("mempool", num(m.mempool, 0));
    setText("backlog", num(m.batcher_backlog_batches, 0));
    if (s && s.prover) {
      setText("prover", num(s.prover.queue, 0));
      setText("prover-sub", "last proved #" + s.prover.last_proved + (s.prover.last_prove_ms ? ", " + ms(s.prover.last_prove_ms) : ""));
    } else {
      setText("prover", "–");
      setText("prover-sub", "no prover in this node");
    }
    setText("head", "#" + m.head_block);
    setText("head-sub", num(m.soft_txs, 0) + " soft txs in all");
    stages.replaceChildren(stageBar(m.batches));
    drawSparkline(canvas, app.tpsHistory);
    refreshBatches(false).catch(() => {});
  };
  await refreshBatches(true);
  every(view, 1000, tick);
}

async function pageReplicaDashboard(view) {
  show(view, h("h1", {}, "L1 replica"),
    h("p", { class: "muted" }, "This node rebuilds the L2 state from L1 alone (zkamm sync): it knows batches, accounts and pools, not blocks or pending transactions."),
    h("div", { id: "replica-status" }), h("div", { class: "panel" }, h("h2", {}, "Latest batches"), h("div", { id: "live-batches" })));
  every(view, 2000, async () => {
    const s = await rpc("zkamm_status");
    document.getElementById("replica-status")?.replaceChildren(kv([
      ["last batch", batchLink(s.last_batch)], ["L1 block", String(s.l1_block)], ["pending commits", String(s.pending_commits)],
      ["accounts", String(s.num_accounts)], ["pools", String(s.num_pools)], ["state root", h("span", { class: "mono" }, s.state_root)],
      s.error ? ["error", s.error] : null]));
    const list = await maybe("zkamm_getBatches", [10]);
    if (list) document.getElementById("live-batches")?.replaceChildren(batchTable(list, true));
  });
}

function batchTable(list, compact) {
  const rows = (list || []).map((b) => {
    const l1 = b.l1 || {};
    const st = b.settle || {};
    const row = [batchLink(b.number), badge(l1.stage || (b.root_ready ? "soft" : "pending")), (b.txs === null || b.txs === undefined ? "–" : b.txs) + " / " + b.num_slots, b.kind];
    if (!compact) {
      row.push(st.prove_ms ? ms(st.prove_ms) : "–", gasOf(st), time(l1.finalized || l1.committed));
      row.push(l1.execute_tx || l1.commit_tx ? h("span", { class: "mono" }, short(l1.execute_tx || l1.commit_tx)) : "–");
    }
    return row;
  });
  const headers = compact ? ["batch", "stage", "txs / slots", "kind"] : ["batch", "stage", "txs / slots", "kind", "proving", "L1 gas", "last L1 step", "L1 tx"];
  return table(headers, rows, "no batches yet");
}
function gasOf(st) {
  if (!st) return "–";
  const g = (st.gas_settle || 0) + (st.gas_commit || 0) + (st.gas_prove || 0) + (st.gas_execute || 0);
  return g ? num(g, 0) + (st.batches_in_tx > 1 ? " (tx of " + st.batches_in_tx + ")" : "") : "–";
}

async function pageBlocks(view, before) {
  const list = await maybe("zkamm_getBlocks", before ? [25, Number(before)] : [25]);
  if (list === null) return show(view, h("h1", {}, "Blocks"), h("p", { class: "muted" }, "This node does not serve blocks (an L1 replica knows batches only)."));
  const last = list.length ? list[list.length - 1].number : 0;
  show(view, h("h1", {}, "Blocks"),
    table(["block", "txs", "time", "hash"], list.map((b) => [blockLink(b.number), String(b.tx_count), time(b.timestamp) + " (" + ago(b.timestamp) + ")", h("span", { class: "mono" }, short(b.hash))])),
    last > 1 ? h("p", {}, link("#/blocks/" + last, "older →")) : null);
}

async function pageBlock(view, n) {
  const b = await maybe("zkamm_getBlock", [Number(n), true]);
  if (!b) return show(view, h("h1", {}, "Block " + n), h("p", { class: "muted" }, "not found"));
  show(view, h("h1", {}, "Block #" + b.number),
    kv([["time", time(b.timestamp) + " (" + ago(b.timestamp) + ")"], ["hash", h("span", { class: "mono" }, b.hash)],
      ["parent", h("span", { class: "mono" }, b.parent_hash)], ["transactions", String(b.tx_count)],
      ["neighbours", h("span", {}, b.number > 1 ? blockLink(b.number - 1) : "", " ", blockLink(b.number + 1))]]),
    h("h2", {}, "Transactions"),
    table(["#", "hash", "type", "account", "what"], b.transactions.map((t, i) => [String(i), txLink(t.hash), t.tx.type, accountLink(signer(t.tx)), describe(t.tx, t.executed)])));
}

function signer(tx) {
  return tx.account !== undefined ? tx.account : tx.from !== undefined ? tx.from : "–";
}
function describe(tx, ex) {
  ex = ex || {};
  switch (tx.type) {
    case "swap_exact_in":
    case "swap_exact_out":
      return amount(ex.amount_in || tx.amount_in) + " " + tokenName(tx.token_in) + " → " + amount(ex.amount_out || tx.amount_out) + " " + tokenName(tx.token_out);
    case "transfer":
      return amount(tx.amount) + " " + tokenName(tx.token) + " to " + tx.to;
    case "add_liquidity":
      return amount(ex.amount_a) + " " + tokenName(tx.token_a) + " + " + amount(ex.amount_b) + " " + tokenName(tx.token_b) + " → " + amount(ex.liquidity) + " LP";
    case "remove_liquidity":
      return amount(tx.liquidity) + " LP → " + amount(ex.amount_a) + " " + tokenName(tx.token_a) + " + " + amount(ex.amount_b) + " " + tokenName(tx.token_b);
    case "create_pool":
      return tokenName(tx.token_a) + " / " + tokenName(tx.token_b);
    case "deposit":
      return amount(tx.amount) + " " + tokenName(tx.token);
    case "withdraw":
      return amount(tx.amount) + " " + tokenName(tx.token);
    default:
      return "";
  }
}

async function pageBatches(view, before) {
  const list = await maybe("zkamm_getBatches", before ? [25, Number(before)] : [25]);
  if (list === null) return show(view, h("h1", {}, "Batches"), h("p", { class: "muted" }, "This node does not list batches."));
  const last = list.length ? list[list.length - 1].number : 0;
  show(view, h("h1", {}, "Batches"), batchTable(list, false), last > 1 ? h("p", {}, link("#/batches/" + last, "older →")) : null);
}

async function pageBatch(view, n) {
  const b = await maybe("zkamm_getBatch", [Number(n)]);
  if (!b) return show(view, h("h1", {}, "Batch " + n), h("p", { class: "muted" }, "not found"));
  const l1 = b.l1 || {};
  const st = b.settle || {};
  const stage = l1.stage || (app.replica ? "finalized" : b.root_ready === false ? "pending" : "soft");
  const steps = [
    ["closed (root computed)", st.closed],
    ["proof made", st.proved],
    ["committed on L1", l1.committed],
    ["proven on L1", l1.proven],
    ["finalized on L1", l1.finalized],
  ];
  const base = Number(st.closed || 0);
  show(view, h("h1", {}, "Batch #" + b.number, " ", badge(stage)),
    kv([["kind", b.kind], ["slots", String(b.num_slots)], ["timestamp", b.timestamp ? new Date(Number(b.timestamp) * 1000).toLocaleString("en-GB") : "–"],
      b.old_root ? ["old root", h("span", { class: "mono" }, b.old_root)] : null, ["new root", h("span", { class: "mono" }, b.new_root || "not computed yet")],
      st.prove_ms !== undefined ? ["proving time", ms(st.prove_ms) + (st.witness_ms ? " (witness " + ms(st.witness_ms) + ")" : "")] : null,
      ["L1 gas", gasOf(st)],
      ["commit tx", l1.commit_tx ? h("span", { class: "mono" }, l1.commit_tx) : "–"],
      ["prove tx", l1.prove_tx ? h("span", { class: "mono" }, l1.prove_tx) : "–"],
      ["execute tx", l1.execute_tx ? h("span", { class: "mono" }, l1.execute_tx) : "–"],
      b.l1 && b.l1.commit_block ? ["L1 commit block", String(b.l1.commit_block)] : null]),
    h("h2", {}, "Stages"),
    table(["step", "time", "after close"], steps.map(([s, t]) => [s, time(t), t && base ? "+" + ms(Number(t) - base) : "–"])),
    b.slots ? h("h2", {}, "Slots") : null,
    b.slots ? table(["slot", "tx", "type", "block"], b.slots.map((s, i) => [String(i), s.type === "noop" ? "padding" : txLink(s.hash), s.type, s.type === "noop" ? "" : blockLink(s.block)])) : null);
}

const STEPS = ["received", "accepted", "soft", "committed", "proven", "finalized"];
function renderTx(view, t) {
  const rejected = t.status === "rejected";
  const times = t.times || {};
  const t0 = Number(times.received || times.accepted || 0);
  const steps = rejected ? ["received", "rejected"] : STEPS;
  const timeline = h("ol", { class: "timeline" }, steps.map((s) => {
    const at = Number(times[s] || 0);
    return h("li", { class: at ? "done" : "todo", "data-step": s }, h("b", {}, s), h("span", {}, at ? time(at) : "waiting"),
      h("span", { class: "muted" }, at && t0 ? "+" + ms(at - t0) : ""));
  }));
  show(view, h("h1", {}, "Transaction ", badge(t.status)),
    h("p", { class: "mono" }, t.hash),
    rejected ? h("div", { class: "error", id: "reject-reason" }, "Rejected: " + (t.code_name || "") + (t.reason ? ": " + t.reason : "")) : null,
    h("h2", {}, "Finality"), timeline,
    kv([t.tx ? ["type", t.tx.type] : null, t.tx ? ["account", accountLink(signer(t.tx))] : null,
      t.tx ? ["what", describe(t.tx, t.executed)] : null,
      t.block ? ["block", blockLink(t.block)] : null, t.block ? ["position", String(t.position)] : null,
      t.batch ? ["batch", batchLink(t.batch)] : null]),
    t.tx ? h("details", {}, h("summary", {}, "raw transaction"), h("pre", {}, JSON.stringify({ tx: t.tx, executed: t.executed }, null, 2))) : null);
}

async function pageTx(view, hash) {
  const t = await maybe("zkamm_getTransaction", [hash]);
  if (!t) {
    show(view, h("h1", {}, "Transaction"), h("p", { class: "mono" }, hash), h("p", { class: "muted", id: "tx-missing" }, app.replica ? "An L1 replica does not index transactions." : "Not seen by this node (yet). Waiting…"));
    if (app.replica) return;
  } else renderTx(view, t);
  if (t && (t.status === "rejected" || t.status === "finalized")) return;
  // Live: the txStatus subscription, and a slow poll in case the feed is down.
  const refresh = async () => {
    const u = await maybe("zkamm_getTransaction", [hash]).catch(() => null);
    if (u) renderTx(view, u);
  };
  onCleanup(app.feed.subscribe(["txStatus", hash], (u) => renderTx(view, u)));
  const timer = setInterval(() => (view.isConnected ? refresh() : clearInterval(timer)), 3000);
  onCleanup(() => clearInterval(timer));
}

async function poolsList(force) {
  if (!app.pools || force) app.pools = (await maybe("zkamm_getPools")) || [];
  return app.pools;
}

async function pageAccount(view, n) {
  const [a, pools] = await Promise.all([maybe("zkamm_getAccount", [Number(n)]), poolsList(true)]);
  if (!a) return show(view, h("h1", {}, "Account " + n), h("p", { class: "muted" }, "not found"));
  const plain = [], lp = [];
  for (const [tok, bal] of Object.entries(a.balances || {})) (Number(tok) >= 512 ? lp : plain).push([Number(tok), bal]);
  const byLp = new Map(pools.map((p) => [p.lp_token, p]));
  show(view, h("h1", {}, "Account " + a.index),
    kv([["nonce", String(a.nonce)], ["public key", h("span", { class: "mono" }, a.pubkey)]]),
    a.index === 0 ? h("p", { class: "muted" }, "Account 0 has no key: it holds the MINIMUM_LIQUIDITY (1000 LP) each pool's first mint locks.") : null,
    h("h2", {}, "Balances"),
    table(["token", "balance"], plain.map(([t, b]) => [tokenName(t), amount(b)]), "no balances"),
    h("h2", {}, "LP positions"),
    table(["pool", "LP tokens", "share", "worth"], lp.map(([t, b]) => {
      const p = byLp.get(t);
      if (!p) return [tokenName(t), amount(b), "–", "–"];
      const share = ratio(b, p.total_supply);
      const w0 = (BigInt(b) * BigInt(p.reserve0)) / BigInt(p.total_supply);
      const w1 = (BigInt(b) * BigInt(p.reserve1)) / BigInt(p.total_supply);
      return [poolLink(p.token0, p.token1), amount(b), num(100 * share, 4) + " %", amount(w0) + " " + tokenName(p.token0) + " + " + amount(w1) + " " + tokenName(p.token1)];
    }), "no LP positions"));
}

async function pagePools(view) {
  const pools = await poolsList(true);
  show(view, h("h1", {}, "Pools"),
    table(["pool", "reserves", "price", "LP supply", "LP token"], pools.map((p) => [poolLink(p.token0, p.token1),
      amount(p.reserve0) + " " + tokenName(p.token0) + " / " + amount(p.reserve1) + " " + tokenName(p.token1),
      "1 " + tokenName(p.token0) + " = " + num(ratio(p.reserve1, p.reserve0), 6) + " " + tokenName(p.token1),
      amount(p.total_supply), tokenName(p.lp_token)]), "no pools"));
}

async function pagePool(view, a, b) {
  const p = await maybe("zkamm_getPool", [Number(a), Number(b)]);
  if (!p) return show(view, h("h1", {}, "Pool " + a + "-" + b), h("p", { class: "muted" }, "not found"));
  const swaps = await maybe("zkamm_getPoolSwaps", [Number(a), Number(b)]);
  show(view, h("h1", {}, "Pool ", tokenName(p.token0), " / ", tokenName(p.token1)),
    kv([["reserve " + tokenName(p.token0), amount(p.reserve0)], ["reserve " + tokenName(p.token1), amount(p.reserve1)],
      ["price", "1 " + tokenName(p.token0) + " = " + num(ratio(p.reserve1, p.reserve0), 8) + " " + tokenName(p.token1) + "; 1 " + tokenName(p.token1) + " = " + num(ratio(p.reserve0, p.reserve1), 8) + " " + tokenName(p.token0)],
      ["LP supply", amount(p.total_supply) + " (includes the 1000 locked in account 0)"], ["LP token", String(p.lp_token)]]),
    h("h2", {}, "Recent swaps"),
    swaps === null ? h("p", { class: "muted" }, "not served by this node") :
      table(["tx", "block", "account", "in", "out"], swaps.map((s) => [txLink(s.hash), blockLink(s.block), accountLink(s.account),
        amount(s.amount_in) + " " + tokenName(s.token_in), amount(s.amount_out) + " " + tokenName(s.token_out)]), "no swaps since the node started"));
}

async function pageSearch(view, q) {
  q = decodeURIComponent(q || "").trim();
  const target = route(q);
  if (target) {
    location.hash = target;
    return;
  }
  if (/^\d+$/.test(q)) {
    const n = Number(q);
    const [a, b, c] = await Promise.all([maybe("zkamm_getAccount", [n]), maybe("zkamm_getBlock", [n, false]), maybe("zkamm_getBatch", [n])]);
    const hits = [a ? link("#/account/" + n, "Account " + n) : null, b ? link("#/block/" + n, "Block " + n) : null, c ? link("#/batch/" + n, "Batch " + n) : null].filter(Boolean);
    show(view, h("h1", {}, "Search: " + q), hits.length ? h("ul", {}, hits.map((x) => h("li", {}, x))) : h("p", { class: "muted" }, "no account, block or batch " + n));
    return;
  }
  show(view, h("h1", {}, "Search"), h("p", { class: "muted" }, "Nothing matches \u201c" + q + "\u201d. Try a tx hash (0x + 64 hex), account 7, block 12, batch 3 or pool 1-2."));
}

/** The route a search text names unambiguously, or null. */
function route(q) {
  let m;
  if (/^0x[0-9a-fA-F]{64}$/.test(q)) return "#/tx/" + q.toLowerCase();
  if ((m = /^(?:account|acct|a)\s*#?\s*(\d+)$/i.exec(q))) return "#/account/" + m[1];
  if ((m = /^(?:block|b)\s*#?\s*(\d+)$/i.exec(q))) return "#/block/" + m[1];
  if ((m = /^(?:batch)\s*#?\s*(\d+)$/i.exec(q))) return "#/batch/" + m[1];
  if ((m = /^(?:pool\s*)?(\d+)\s*[-/]\s*(\d+)$/i.exec(q))) return "#/pool/" + m[1] + "-" + m[2];
  return null;
}

// ---- router ------------------------------------------------------------------------------------

const routes = [
  [/^$/, pageDashboard, "dashboard"],
  [/^blocks(?:\/(\d+))?$/, pageBlocks, "blocks"],
  [/^block\/(\d+)$/, pageBlock, "blocks"],
  [/^batches(?:\/(\d+))?$/, pageBatches, "batches"],
  [/^batch\/(\d+)$/, pageBatch, "batches"],
  [/^tx\/(0x[0-9a-fA-F]{64})$/, pageTx, ""],
  [/^account\/(\d+)$/, pageAccount, ""],
  [/^pools$/, pagePools, "pools"],
  [/^pool\/(\d+)-(\d+)$/, pagePool, "pools"],
  [/^search\/(.*)$/, pageSearch, ""],
];

async function render() {
  for (const f of app.cleanup.splice(0)) f();
  const path = location.hash.replace(/^#\/?/, "");
  // Each route renders into its own box: a page still loading when the route changes again
  // writes into a box that is no longer in the document.
  const view = h("div");
  document.getElementById("view").replaceChildren(view);
  for (const [re, page, nav] of routes) {
    const m = re.exec(path);
    if (!m) continue;
    for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.nav === nav);
    show(view, h("p", { class: "muted" }, "loading…"));
    await guard(view, () => page(view, ...m.slice(1)));
    return;
  }
  show(view, h("h1", {}, "Not found"), h("p", {}, link("#/", "back to the dashboard")));
}

async function main() {
  document.getElementById("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = document.getElementById("search-input").value.trim();
    if (q) location.hash = route(q) || "#/search/" + encodeURIComponent(q);
  });
  try {
    app.status = await rpc("zkamm_status");
  } catch (e) {
    document.getElementById("view").replaceChildren(h("div", { class: "error" }, "The node does not answer: " + e.message));
    return;
  }
  app.replica = app.status.mode === "l1-replica";
  const chain = app.status.chain_id !== undefined ? app.status.chain_id : "?";
  document.getElementById("footer").replaceChildren(
    (app.replica ? "L1 replica" : "sequencer") + " · chain " + chain + " · rollup ",
    h("span", { class: "mono" }, app.status.rollup || "–"));
  app.feed = new Feed();
  window.addEventListener("hashchange", render);
  render();
}

main();
