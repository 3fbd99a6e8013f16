#!/usr/bin/env node
// Gas of each zkamm L2 operation on the real Uniswap V2 contracts (@uniswap/v2-core 1.0.1 build
// artifacts) on a private anvil (hardfork prague): the "gas per second" unit the paper proposes
// (Gogol et al., arXiv 2506.00500, section on evaluation) charges each L2 swap what the same swap
// costs on Ethereum. v2-core has no router, so each router call is measured as the router would
// perform it: token transfer(s) to the pair, then pair.swap / pair.mint / pair.burn. The router
// call is ONE Ethereum transaction, so the table charges the intrinsic 21000 gas once:
//   gas(op) = sum(gasUsed of the steps) - 21000 * (steps - 1).
// Swaps are measured in steady state (pair and balances already non-zero), averaged over runs.
// The approach (anvil binary, fetch JSON-RPC, hand-written ABI) follows
// tests/state/oracles/uniswap_oracle.js.
//
// usage: node bench/scripts/uniswap_gas.js <node_modules dir> [out.json]   (default: stdout)
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const nodeModules = process.argv[2] || 'node_modules';
const outPath = process.argv[3] || '';
const artifact = (name) => JSON.parse(fs.readFileSync(path.join(nodeModules, '@uniswap/v2-core/build', name + '.json'), 'utf8'));
const SEL = {  // 4-byte selectors (as in tests/state/oracles/uniswap_oracle.js)
  transfer: 'a9059cbb', createPair: 'c9c65396', getPair: 'e6a43905', mint: '6a627842', burn: '89afcb44',
  swap: '022c0d9f', getReserves: '0902f1ac', balanceOf: '70a08231',
};
const word = (v) => BigInt(v).toString(16).padStart(64, '0');
const addr = (a) => a.toLowerCase().replace(/^0x/, '').padStart(64, '0');
const calldata = (sel, ...words) => '0x' + sel + words.join('');

let anvil = null;
let url = null;
let rpcId = 0;
async function rpcOk(method, params) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }) });
  const r = await res.json();
  if (r.error) throw new Error(method + ': ' + JSON.stringify(r.error));
  return r.result;
}
async function receiptOf(hash) {
  for (let i = 0; i < 2000; ++i) {
    const receipt = await rpcOk('eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error('no receipt for ' + hash);
}
async function send(from, to, data) {  // -> gasUsed (number); throws on revert
  const tx = { from, to, data, gas: '0x1c9c380' };
  const hash = await rpcOk('eth_sendTransaction', [tx]);
  const receipt = await receiptOf(hash);
  if (receipt.status !== '0x1') throw new Error('reverted: ' + data.slice(0, 10));
  return Number(BigInt(receipt.gasUsed));
}
async function deploy(from, bytecode, args) {
  const data = (bytecode.startsWith('0x') ? bytecode : '0x' + bytecode) + args;
  const hash = await rpcOk('eth_sendTransaction', [{ from, data, gas: '0x1c9c380' }]);
  const receipt = await receiptOf(hash);
  if (receipt.status !== '0x1') throw new Error('deploy failed');
  return receipt.contractAddress;
}
async function call(to, data) { return rpcOk('eth_call', [{ to, data }, 'latest']); }

// UniswapV2Library.getAmountOut
const amountOut = (ain, rin, rout) => (ain * 997n * rout) / (rin * 1000n + ain * 997n);

async function main() {
  const bin = path.join(nodeModules, '@foundry-rs/anvil-linux-amd64/bin/anvil');
  anvil = spawn(bin, ['--host', '127.0.0.1', '--port', '0', '--hardfork', 'prague', '--accounts', '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
  url = await new Promise((resolve, reject) => {
    let buf = '';
    anvil.stdout.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/Listening on ([0-9.]+:[0-9]+)/);
      if (m && !url) resolve('http://' + m[1]);
    });
    anvil.on('exit', (c) => reject(new Error('anvil exited ' + c)));
  });
  anvil.stdout.on('data', () => {});
  const version = await rpcOk('web3_clientVersion', []);
  const [deployer, user] = await rpcOk('eth_accounts', []);
  const erc20 = artifact('ERC20');
  let tokens = [await deploy(deployer, erc20.bytecode, word(1n << 200n)), await deploy(deployer, erc20.bytecode, word(1n << 200n))];
  tokens.sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
  const factory = await deploy(deployer, artifact('UniswapV2Factory').bytecode, addr(deployer));
  const E18 = 10n ** 18n;
  // fund the user (so its balances are non-zero: steady state)
  for (const t of tokens) await send(deployer, t, calldata(SEL.transfer, addr(user), word(1000000n * E18)));
  const transferGas = await send(user, tokens[0], calldata(SEL.transfer, addr(deployer), word(1n)));
  const createGas = await send(deployer, factory, calldata(SEL.createPair, addr(tokens[0]), addr(tokens[1])));
  const pair = '0x' + (await call(factory, calldata(SEL.getPair, addr(tokens[0]), addr(tokens[1])))).slice(26);
  const steps = (gs) => gs.reduce((a, b) => a + b, 0) - 21000 * (gs.length - 1);
  // first mint (pool creation's liquidity) by the deployer
  const firstMint = steps([await send(deployer, tokens[0], calldata(SEL.transfer, addr(pair), word(100000n * E18))),
    await send(deployer, tokens[1], calldata(SEL.transfer, addr(pair), word(400000n * E18))),
    await send(deployer, pair, calldata(SEL.mint, addr(deployer)))]);
  const reserves = async () => { const r = await call(pair, calldata(SEL.getReserves)); return [BigInt('0x' + r.slice(2, 66)), BigInt('0x' + r.slice(66, 130))]; };
  const runs = 8;
  const swaps = [];
  for (let i = 0; i < runs; ++i) {  // alternate directions, as the bench does
    const zeroForOne = i % 2 === 0;
    const [r0, r1] = await reserves();
    const ain = (zeroForOne ? 10n : 40n) * E18;
    const out = zeroForOne ? amountOut(ain, r0, r1) : amountOut(ain, r1, r0);
    const g1 = await send(user, tokens[zeroForOne ? 0 : 1], calldata(SEL.transfer, addr(pair), word(ain)));
    const g2 = await send(user, pair, calldata(SEL.swap, word(zeroForOne ? 0n : out), word(zeroForOne ? out : 0n), addr(user), word(128), word(0)));
    swaps.push(steps([g1, g2]));
  }
  const mints = [];
  for (let i = 0; i < runs; ++i) {  // later mints (AddLiquidity) by the user
    const [r0, r1] = await reserves();
    const a0 = 100n * E18;
    const a1 = (a0 * r1) / r0;
    mints.push(steps([await send(user, tokens[0], calldata(SEL.transfer, addr(pair), word(a0))),
      await send(user, tokens[1], calldata(SEL.transfer, addr(pair), word(a1))),
      await send(user, pair, calldata(SEL.mint, addr(user)))]));
  }
  const burns = [];
  for (let i = 0; i < runs / 2; ++i) {  // RemoveLiquidity: LP transfer to the pair, then burn
    const lp = BigInt(await call(pair, calldata(SEL.balanceOf, addr(user))));
    burns.push(steps([await send(user, pair, calldata(SEL.transfer, addr(pair), word(lp / 8n))),
      await send(user, pair, calldata(SEL.burn, addr(user)))]));
  }
  const mean = (xs) => Math.round(xs.reduce((a, b) => a + b, 0) / xs.length);
  const table = {
    comment: 'Gas of each L2 operation on Uniswap V2 (v2-core 1.0.1) on anvil; router call = transfer(s) + pair call, one 21000 intrinsic. Generated by bench/scripts/uniswap_gas.js.',
    command: 'node bench/scripts/uniswap_gas.js node_modules bench/scripts/uniswap_gas.json',
    date: new Date().toISOString(),
    anvil: version,
    hardfork: 'prague',
    uniswap_v2_core: '1.0.1',
    gas: {
      swap_exact_in: mean(swaps),
      swap_exact_out: mean(swaps),
      add_liquidity: mean(mints),
      remove_liquidity: mean(burns),
      create_pool: createGas + firstMint,
      transfer: transferGas,
    },
    samples: { swap: swaps, add_liquidity: mints, remove_liquidity: burns, create_pair: createGas, first_mint: firstMint },
  };
  const text = JSON.stringify(table, null, 2) + '\n';
  if (outPath) fs.writeFileSync(outPath, text); else process.stdout.write(text);
}

const stop = (code) => { if (anvil) anvil.kill('SIGKILL'); process.exit(code); };
setTimeout(() => { console.error('uniswap_gas: timed out'); stop(2); }, 120000).unref();
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));
main().then(() => stop(0), (e) => { console.error(e.stack || String(e)); stop(1); });
