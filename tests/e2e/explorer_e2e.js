// The explorer in headless chromium (called by explorer_e2e.sh):
//   node explorer_e2e.js <explorer URL> <chromium> <load script> <swap script> <reject script> <replica URL> [screenshot dir]
// playwright-core drives the system's chromium (executablePath): it never downloads a browser.
// Every step is bounded; the first failed check exits 1 with what the page showed.
"use strict";
const { chromium } = require("playwright-core");
const { spawn, execFileSync } = require("child_process");
const path = require("path");

const [url, chromiumPath, loadScript, swapScript, rejectScript, replicaUrl, shots] = process.argv.slice(2);
const errors = [];
const fail = (msg) => {
  console.error("FAIL: " + msg);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The page as rendered shows no leaked placeholder (null, undefined, NaN). */
async function clean(page, what) {
  const text = await page.evaluate(() => document.querySelector("main").innerText);
  const bad = /\b(null|undefined|NaN)\b/.exec(text);
  if (bad) fail(what + " shows '" + bad[1] + "': " + text.slice(0, 600));
}

async function shot(page, name) {
  if (!shots) return;
  await page.waitForTimeout(300); // let the last update paint
  await page.screenshot({ path: path.join(shots, name + ".png") });
  console.log("screenshot " + name + ".png");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") errors.push("console: " + m.text());
  });
  page.on("pageerror", (e) => errors.push("page error: " + e.message));
  page.on("requestfailed", (r) => {
    // Leaving a page aborts its requests in flight: not an error of the page.
    const why = (r.failure() || {}).errorText || "";
    if (why !== "net::ERR_ABORTED") errors.push("request failed: " + r.url() + " " + why);
  });
  page.setDefaultTimeout(20000);

  // 1. The dashboard loads, connects its WebSocket and shows live figures, with no error.
  await page.goto(url + "/", { waitUntil: "load" });
  await page.waitForFunction(() => document.getElementById("conn").textContent === "live");
  await page.waitForFunction(() => /^#\d+$/.test(document.getElementById("head").textContent));
  await page.waitForTimeout(1500);
  if (errors.length) fail("errors on load:\n" + errors.join("\n"));
  console.log("ok: dashboard loaded, live, no console error (head " + (await page.textContent("#head")) + ")");

  // 2. A bounded load run: the live soft TPS moves.
  const tps = async () => Number((await page.textContent("#tps")).replace(/,/g, ""));
  const before = await tps();
  const load = spawn("bash", [loadScript], { stdio: ["ignore", "inherit", "inherit"] });
  let loadDone = false, loadRc = null;
  load.on("exit", (rc) => {
    loadDone = true;
    loadRc = rc;
  });
  const seen = new Set([before]);
  let peak = before;
  const t0 = Date.now();
  while (Date.now() - t0 < 90000) {
    await sleep(500);
    const v = await tps();
    seen.add(v);
    peak = Math.max(peak, v);
    if (seen.size >= 3 && peak > 0 && Date.now() - t0 > 5000) break;
    if (loadDone && Date.now() - t0 > 8000) break;
  }
  if (!(peak > 0) || seen.size < 2) fail("the live TPS did not move during the load: " + [...seen].join(", "));
  console.log("ok: live soft TPS moved during the load: " + [...seen].join(", ") + " (peak " + peak + ")");
  await clean(page, "the dashboard");
  await shot(page, "dashboard");
  while (!loadDone && Date.now() - t0 < 180000) await sleep(250);
  if (!loadDone) {
    load.kill("SIGTERM");
    fail("the load run did not end");
  }
  if (loadRc !== 0) fail("the load run failed (exit " + loadRc + ")");

  // 3. A wallet swap: its page shows it, and its finality timeline reaches finalized.
  const out = execFileSync("bash", [swapScript], { encoding: "utf8", timeout: 60000 });
  const hash = JSON.parse(out).hash;
  if (!/^0x[0-9a-f]{64}$/.test(hash)) fail("wallet swap printed no hash: " + out);
  await page.fill("#search-input", hash);
  await page.press("#search-input", "Enter");
  await page.waitForFunction((h) => location.hash === "#/tx/" + h, hash);
  await page.waitForSelector("ol.timeline li[data-step=soft].done");
  const type = await page.textContent("dl.kv");
  if (!type.includes("swap_exact_in")) fail("the tx page does not show the swap: " + type);
  console.log("ok: the wallet's swap " + hash + " is on its page (soft)");
  await page.waitForSelector('h1 [data-status="finalized"]', { timeout: 240000 });
  for (const s of ["received", "soft", "committed", "proven", "finalized"])
    if (!(await page.$("ol.timeline li[data-step=" + s + "].done"))) fail("timeline step " + s + " not done");
  console.log("ok: its timeline reached finalized");
  await clean(page, "the tx page");
  await shot(page, "transaction");

  // A rejected swap: its page gives the reject reason instead of a timeline to finality.
  const rejected = execFileSync("bash", [rejectScript], { encoding: "utf8", timeout: 60000 }).trim();
  if (!/^0x[0-9a-f]{64}$/.test(rejected)) fail("no hash for the rejected swap: " + rejected);
  await page.goto(url + "/#/tx/" + rejected);
  await page.waitForSelector("#reject-reason");
  const why = await page.textContent("#reject-reason");
  if (!/slippage: UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT/.test(why)) fail("reject reason: " + why);
  await page.waitForSelector('h1 [data-status="rejected"]');
  await clean(page, "the rejected tx's page");
  console.log("ok: the rejected swap's page says: " + why);

  // 4. The other pages render what the node holds.
  await page.goto(url + "/#/tx/" + hash);
  await page.waitForSelector('h1 [data-status="finalized"]');
  const batch = (await page.textContent("dl.kv")).match(/batch#(\d+)/);
  if (!batch) fail("the tx page names no batch");
  await page.click("dl.kv a[href^='#/batch/']");
  await page.waitForSelector("h1 .badge");
  const bt = await page.textContent("main");
  if (!/commit tx\s*0x[0-9a-f]{64}/.test(bt)) fail("the batch page shows no L1 transaction: " + bt.slice(0, 400));
  if (!/proving time/.test(bt)) fail("the batch page shows no proving time");
  console.log("ok: batch #" + batch[1] + " shows its L1 transaction, gas and proving time");
  await clean(page, "the batch page");
  await shot(page, "batch");

  await page.goto(url + "/#/batches");
  await page.waitForSelector("main table");
  await clean(page, "the batches page");
  await page.goto(url + "/#/blocks");
  await page.waitForSelector("main table");
  await clean(page, "the blocks page");
  await page.goto(url + "/#/pool/1-2");
  await page.waitForSelector("main table");
  if (!(await page.textContent("main")).includes(hash.slice(0, 10))) fail("the pool's recent swaps lack the wallet's swap");
  console.log("ok: the pool page lists the swap among its recent swaps");
  await clean(page, "the pool page");
  await shot(page, "pool");
  await page.fill("#search-input", "account 1");
  await page.press("#search-input", "Enter");
  await page.waitForFunction(() => location.hash === "#/account/1");
  await page.waitForSelector("main table");
  if (!(await page.textContent("main")).includes("LP positions")) fail("the account page has no LP positions");
  const lp = await page.textContent("main");
  if (!/LP-0|TKA|T1 \/ T2/.test(lp)) fail("account 1's LP position is missing: " + lp.slice(0, 400));
  console.log("ok: account 1 shows balances and its LP position");
  await clean(page, "the account page");
  await shot(page, "account");
  await page.goto(url + "/#/");
  await page.waitForFunction(() => /^#\d+$/.test(document.getElementById("head").textContent));
  // What only settlement knows reaches the dashboard: hard latency of the finalized swaps, the
  // prover's queue, batches finalized on L1.
  await page.waitForFunction(() => /^[\d.,]+ m?s \/ [\d.,]+ m?s$/.test(document.getElementById("hard-lat").textContent));
  await page.waitForFunction(() => /^\d+$/.test(document.getElementById("prover").textContent));
  const finalized = Number(await page.textContent("#stage-finalized"));
  if (!(finalized > 0)) fail("the dashboard shows no batch finalized on L1");
  console.log("ok: dashboard: hard latency " + (await page.textContent("#hard-lat")) + ", prover queue " +
    (await page.textContent("#prover")) + ", " + finalized + " batches finalized");
  await clean(page, "the dashboard");

  if (errors.length) fail("errors while browsing:\n" + errors.join("\n"));

  // 5. The L1 replica (zkamm sync) serves the explorer too: its status and final batches.
  await page.goto(replicaUrl + "/", { waitUntil: "load" });
  await page.waitForSelector("#live-batches table");
  await page.waitForFunction(() => /L1 replica/.test(document.querySelector("main h1").textContent));
  await clean(page, "the replica's dashboard");
  await page.fill("#search-input", "batch 1");
  await page.press("#search-input", "Enter");
  await page.waitForSelector('h1 [data-status="finalized"]');
  await page.goto(replicaUrl + "/#/pools");
  await page.waitForSelector("main table");
  await clean(page, "the replica's pools");
  console.log("ok: the L1 replica's explorer shows its status, final batches and pools");

  if (errors.length) fail("errors while browsing:\n" + errors.join("\n"));
  console.log("ok: no console error in the whole session");
  await browser.close();
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
