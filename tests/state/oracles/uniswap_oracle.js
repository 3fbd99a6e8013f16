#!/usr/bin/env node
// Oracle for tests/state/amm_diff_test.cpp: executes a JSON list of operations on the real
// Uniswap V2 contracts (@uniswap/v2-core 1.0.1 and @uniswap/v2-periphery 1.1.0-beta.0 build
// artifacts: factory, pair, test ERC20, UniswapV2Router02) on a private anvil and prints one
// JSON result per operation. No npm dependency beyond the artifacts and the anvil binary:
// JSON-RPC over fetch (node >= 18) and hand-written ABI encoding.
//
// usage: node uniswap_oracle.js <node_modules dir> <ops.json>   (results on stdout)
// ops.json: {"accounts": N, "tokens": T, "funding": [[acct, token, "amount"]...], "ops": [...]}
//   L2 token t (1..T) is the t-th ERC-20 by address order, so the L2's token0 < token1 by id
//   matches Uniswap's order by address. L2 account i (1..N) is anvil account i; as a sender,
//   account 0 is the deployer (which holds 2^255 of every token, for probes with huge amounts);
//   as an LP holder, account 0 is address(0) (the MINIMUM_LIQUIDITY lock).
//   ops: {"op":"create","a","b"} | {"op":"mint","acct","a","b","amount0","amount1"}
//      | {"op":"burn","acct","a","b","liquidity"} | {"op":"swap","acct","a","b","in0","in1","out0","out1"}
//      | {"op":"transfer","from","to","token","amount"}
//      | {"op":"swap_path","acct","path":[t...],"amounts":[in, hop outs...]} (Router02._swap)
//      | {"op":"router_add","acct","a","b","da","db","ma","mb"} (Router02.addLiquidity(tokenA = a,
//        tokenB = b, amountADesired, amountBDesired, amountAMin, amountBMin, acct, far deadline))
//      | {"op":"router_remove","acct","a","b","liquidity","ma","mb"} (Router02.removeLiquidity);
//   "dry": true runs it and rolls it back. Every account approved the router for every token and
//   LP token. The router's WETH is an address without code: no ETH function is ever called.
// result: {"status":"ok"|"revert","reason":"...", "snapshot": {...}}: the state after a non-dry op
//   (after the roll-back of a failed one), or before the roll-back of a successful dry one; a
//   successful router op adds "ret": its return values as decimal strings ([amountA, amountB,
//   liquidity] for router_add, [amountA, amountB] for router_remove).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const nodeModules = process.argv[2];
const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const artifact = (name, pkg = 'v2-core') => JSON.parse(fs.readFileSync(path.join(nodeModules, '@uniswap', pkg, 'build', name + '.json'), 'utf8'));

const SEL = {  // 4-byte selectors (checked with `cast sig`)
  transfer: 'a9059cbb', balanceOf: '70a08231', totalSupply: '18160ddd', createPair: 'c9c65396',
  getPair: 'e6a43905', mint: '6a627842', burn: '89afcb44', swap: '022c0d9f', getReserves: '0902f1ac',
  approve: '095ea7b3', addLiquidity: 'e8e33700', removeLiquidity: 'baa2abde',
};
const MAX_UINT = (1n << 256n) - 1n;
const FAR_DEADLINE = 1n << 40n;
const NO_WETH = '0x' + '00'.repeat(19) + 'ee';
const ZERO = '0x' + '0'.repeat(40);
const word = (v) => BigInt(v).toString(16).padStart(64, '0');
const addr = (a) => a.toLowerCase().replace(/^0x/, '').padStart(64, '0');
const calldata = (sel, ...words) => '0x' + sel + words.join('');

let anvil = null;
let url = null;
let rpcId = 0;
async function rpc(method, params) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }) });
  return res.json();
}
async function rpcOk(method, params) {
  const r = await rpc(method, params);
  if (r.error) throw new Error(method + ': ' + JSON.stringify(r.error));
  return r.result;
}
async function callBatch(calls) {  // [[to, data]...] -> [BigInt result word 0 ...]
  if (calls.length === 0) return [];
  const body = calls.map(([to, data], i) => ({ jsonrpc: '2.0', id: i, method: 'eth_call', params: [{ to, data }, 'latest'] }));
  const res = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();
  res.sort((x, y) => x.id - y.id);
  return res.map((r) => { if (r.error) throw new Error('eth_call: ' + JSON.stringify(r.error)); return r.result; });
}

function decodeReason(err) {
  const data = typeof err.data === 'string' ? err.data : (err.data && err.data.data) || '';
  if (data.startsWith('0x08c379a0')) {
    const hex = data.slice(10);
    const len = parseInt(hex.slice(64, 128), 16);
    return Buffer.from(hex.slice(128, 128 + 2 * len), 'hex').toString('utf8');
  }
  return '';  // no reason string (e.g. invalid opcode on division by zero)
}

// Simulates first (to learn the revert reason and the return data), then mines it. Returns
// {reason} or {ret: return data hex}.
async function sendReturning(from, to, data) {
  const tx = { from, to, data, gas: '0x1c9c380' };
  const sim = await rpc('eth_call', [tx, 'latest']);
  if (sim.error) return { reason: decodeReason(sim.error) };
  const hash = await rpcOk('eth_sendTransaction', [tx]);
  const receipt = await receiptOf(hash);
  if (receipt.status !== '0x1') throw new Error('simulated ok but mined reverted: ' + data.slice(0, 10));
  return { ret: sim.result };
}
// Returns null or the reason.
async function send(from, to, data) {
  const r = await sendReturning(from, to, data);
  return r.reason !== undefined ? r : null;
}
const words = (hex, n) => Array.from({ length: n }, (_, i) => BigInt('0x' + hex.slice(2 + 64 * i, 66 + 64 * i)).toString());

async function receiptOf(hash) {
  for (let i = 0; i < 2000; ++i) {  // automine answers before the receipt is indexed
    const receipt = await rpcOk('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('no receipt for ' + hash);
}

async function deploy(from, bytecode, args) {
  const data = (bytecode.startsWith('0x') ? bytecode : '0x' + bytecode) + args;
  const hash = await rpcOk('eth_sendTransaction', [{ from, data, gas: '0x1c9c380' }]);
  const receipt = await receiptOf(hash);
  if (receipt.status !== '0x1') throw new Error('deploy failed');
  return receipt.contractAddress;
}

async function main() {
  const bin = path.join(nodeModules, '@foundry-rs/anvil-linux-amd64/bin/anvil');
  anvil = spawn(bin, ['--host', '127.0.0.1', '--port', '0', '--hardfork', 'prague', '--accounts', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let buf = '';
    anvil.stdout.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/Listening on ([0-9.]+:[0-9]+)/);
      if (m && !url) resolve('http://' + m[1]);
    });
    anvil.on('exit', (c) => reject(new Error('anvil exited ' + c)));
  });
  anvil.stdout.on('data', () => {});  // keep draining the log

  const accounts = await rpcOk('eth_accounts', []);
  const deployer = accounts[0];
  const erc20 = artifact('ERC20');
  const factoryArt = artifact('UniswapV2Factory');
  let tokens = [];
  for (let t = 0; t < input.tokens; ++t) tokens.push(await deploy(deployer, erc20.bytecode, word(1n << 255n)));
  tokens.sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
  tokens = [null, ...tokens];  // L2 token ids start at 1 (0 is ETH)
  const factory = await deploy(deployer, factoryArt.bytecode, addr(deployer));
  const router = await deploy(deployer, artifact('UniswapV2Router02', 'v2-periphery').bytecode, addr(factory) + addr(NO_WETH));

  const sender = (i) => accounts[i];  // 0: deployer (prober)
  const holder = (i) => (i === 0 ? ZERO : accounts[i]);
  for (const [acct, t, amount] of input.funding) {
    const r = await send(deployer, tokens[t], calldata(SEL.transfer, addr(sender(acct)), word(amount)));
    if (r) throw new Error('funding failed');
  }
  // Unlimited allowances: UniswapV2ERC20.transferFrom then never touches the allowance, so a
  // failed router transfer can only be the balance.
  const approveAll = async (token) => {
    for (let i = 0; i <= input.accounts; ++i) {
      if (await send(sender(i), token, calldata(SEL.approve, addr(router), word(MAX_UINT)))) throw new Error('approve failed');
    }
  };
  for (let t = 1; t <= input.tokens; ++t) await approveAll(tokens[t]);

  const pairs = {};  // "a,b" -> address
  async function snapshotState() {
    const calls = [];
    const keys = Object.keys(pairs).sort();
    for (const k of keys) {
      calls.push([pairs[k], calldata(SEL.getReserves)], [pairs[k], calldata(SEL.totalSupply)]);
      for (let i = 0; i <= input.accounts; ++i) calls.push([pairs[k], calldata(SEL.balanceOf, addr(holder(i)))]);
    }
    for (let t = 1; t <= input.tokens; ++t) {
      for (let i = 1; i <= input.accounts; ++i) calls.push([tokens[t], calldata(SEL.balanceOf, addr(holder(i)))]);
    }
    const out = await callBatch(calls);
    let j = 0;
    const snap = { pairs: {}, balances: {} };
    for (const k of keys) {
      const res = out[j++];
      const p = { r0: BigInt('0x' + res.slice(2, 66)).toString(), r1: BigInt('0x' + res.slice(66, 130)).toString(),
        supply: BigInt(out[j++]).toString(), lp: [] };
      for (let i = 0; i <= input.accounts; ++i) p.lp.push(BigInt(out[j++]).toString());
      snap.pairs[k] = p;
    }
    for (let t = 1; t <= input.tokens; ++t) {
      snap.balances[t] = [];
      for (let i = 1; i <= input.accounts; ++i) snap.balances[t].push(BigInt(out[j++]).toString());
    }
    return snap;
  }

  async function runOp(op) {
    if (op.op === 'swap_path') return runPath(op);
    if (op.op === 'create') {
      return send(deployer, factory, calldata(SEL.createPair, addr(tokens[op.a]), addr(tokens[op.b]))).then(async (r) => {
        if (r) return r;
        const got = await callBatch([[factory, calldata(SEL.getPair, addr(tokens[op.a]), addr(tokens[op.b]))]]);
        const [x, y] = op.a < op.b ? [op.a, op.b] : [op.b, op.a];
        pairs[x + ',' + y] = '0x' + got[0].slice(26);
        await approveAll(pairs[x + ',' + y]);
        return null;
      });
    }
    if (op.op === 'transfer') {
      return send(sender(op.from), tokens[op.token], calldata(SEL.transfer, addr(holder(op.to)), word(op.amount)));
    }
    if (op.op === 'router_add' || op.op === 'router_remove') {
      const from = sender(op.acct);
      const data = op.op === 'router_add'
        ? calldata(SEL.addLiquidity, addr(tokens[op.a]), addr(tokens[op.b]), word(op.da), word(op.db), word(op.ma),
          word(op.mb), addr(from), word(FAR_DEADLINE))
        : calldata(SEL.removeLiquidity, addr(tokens[op.a]), addr(tokens[op.b]), word(op.liquidity), word(op.ma),
          word(op.mb), addr(from), word(FAR_DEADLINE));
      const r = await sendReturning(from, router, data);
      return r.reason !== undefined ? r : { ret: words(r.ret, op.op === 'router_add' ? 3 : 2) };
    }
    const pair = pairs[op.a + ',' + op.b];
    if (!pair) throw new Error('no pair ' + op.a + ',' + op.b);
    const from = sender(op.acct);
    const to = from;
    const pay = async (t, amount) => (BigInt(amount) > 0n ? send(from, tokens[t], calldata(SEL.transfer, addr(pair), word(amount))) : null);
    let r;
    if (op.op === 'mint') {
      if ((r = await pay(op.a, op.amount0)) || (r = await pay(op.b, op.amount1))) return r;
      return send(from, pair, calldata(SEL.mint, addr(to)));
    }
    if (op.op === 'burn') {
      if (BigInt(op.liquidity) > 0n && (r = await send(from, pair, calldata(SEL.transfer, addr(pair), word(op.liquidity))))) return r;
      return send(from, pair, calldata(SEL.burn, addr(to)));
    }
    if (op.op === 'swap') {
      if ((r = await pay(op.a, op.in0)) || (r = await pay(op.b, op.in1))) return r;
      return send(from, pair, calldata(SEL.swap, word(op.out0), word(op.out1), addr(to), word(128), word(0)));
    }
    throw new Error('unknown op ' + op.op);
  }

  // Router02._swap over a path: the first pair pays the next pair, the last pays the sender.
  async function runPath(op) {
    const from = sender(op.acct);
    const p = op.path;
    const pairOf = (x, y) => pairs[Math.min(x, y) + ',' + Math.max(x, y)];
    let r = await send(from, tokens[p[0]], calldata(SEL.transfer, addr(pairOf(p[0], p[1])), word(op.amounts[0])));
    if (r) return r;
    for (let i = 0; i + 1 < p.length; ++i) {
      const out = op.amounts[i + 1];
      const [out0, out1] = p[i] < p[i + 1] ? [0, out] : [out, 0];
      const to = i + 2 < p.length ? pairOf(p[i + 1], p[i + 2]) : from;
      if ((r = await send(from, pairOf(p[i], p[i + 1]), calldata(SEL.swap, word(out0), word(out1), addr(to), word(128), word(0))))) return r;
    }
    return null;
  }

  const results = [];
  for (const op of input.ops) {
    const snapId = await rpcOk('evm_snapshot', []);
    const out = await runOp(op);
    const failure = out && out.reason !== undefined ? out : null;
    const res = failure ? { status: 'revert', reason: failure.reason } : { status: 'ok', reason: '' };
    if (out && out.ret) res.ret = out.ret;
    if (!failure && op.dry) res.snapshot = await snapshotState();
    if (failure || op.dry) await rpcOk('evm_revert', [snapId]);
    if (!op.dry) res.snapshot = await snapshotState();
    results.push(res);
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

// Never outlive a hung run or leave anvil behind.
const stop = (code) => { if (anvil) anvil.kill('SIGKILL'); process.exit(code); };
setTimeout(() => { console.error('uniswap_oracle: timed out'); stop(2); }, 240000).unref();
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

main().then(() => { anvil.kill('SIGKILL'); process.exit(0); },
  (e) => { console.error(e.stack || String(e)); if (anvil) anvil.kill('SIGKILL'); process.exit(1); });
