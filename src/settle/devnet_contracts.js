#!/usr/bin/env node
// `zkamm devnet` helper: compiles the L1 contracts with solc-js (optimizer on, runs 200, as
// contracts/foundry.toml: the code forge tests is the code deployed) and makes circomlib's Poseidon contracts
// (circomlibjs poseidonContract.createCode). Prints nothing on success; writes a JSON object of
// creation bytecodes {poseidon2, poseidon4, poseidon5, key_verifier, verifier, [swap_verifier],
// rollup, erc20} to OUT.
// Usage: node devnet_contracts.js REPO_ROOT NODE_MODULES VERIFIER_SOL OUT_JSON [SWAP_VERIFIER_SOL]
// OUT_JSON is reused when it records the same sha256 of the sources (compiling takes ~20 s).
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const [root, nm, verifierPath, outPath, swapVerifierPath] = process.argv.slice(2);
if (!outPath) {
  process.stderr.write("usage: devnet_contracts.js REPO_ROOT NODE_MODULES VERIFIER_SOL OUT_JSON [SWAP_VERIFIER_SOL]\n");
  process.exit(2);
}
const srcDir = path.join(root, "contracts", "src");

// A minimal ERC-20 for devnet test tokens: anyone may mint.
const ERC20 = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract DevnetERC20 {
    string public name;
    string public symbol;
    uint8 public constant decimals = 18;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    constructor(string memory n, string memory s) { name = n; symbol = s; }
    function mint(address to, uint256 amount) external {
        totalSupply += amount; balanceOf[to] += amount; emit Transfer(address(0), to, amount);
    }
    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount; emit Approval(msg.sender, spender, amount); return true;
    }
    function transfer(address to, uint256 amount) external returns (bool) { _move(msg.sender, to, amount); return true; }
    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        require(a >= amount, "DevnetERC20: allowance");
        if (a != type(uint256).max) allowance[from][msg.sender] = a - amount;
        _move(from, to, amount); return true;
    }
    function _move(address from, address to, uint256 amount) private {
        require(balanceOf[from] >= amount, "DevnetERC20: balance");
        balanceOf[from] -= amount; balanceOf[to] += amount; emit Transfer(from, to, amount);
    }
}
`;

const sources = {};
for (const f of fs.readdirSync(srcDir)) {
  if (f.endsWith(".sol")) sources[f] = { content: fs.readFileSync(path.join(srcDir, f), "utf8") };
}
sources["BatchVerifier.sol"] = { content: fs.readFileSync(verifierPath, "utf8") };
// The swap circuit's verifier (docs/BATCH.md section 8): the same contract name in its own file.
if (swapVerifierPath) sources["SwapBatchVerifier.sol"] = { content: fs.readFileSync(swapVerifierPath, "utf8") };
sources["DevnetERC20.sol"] = { content: ERC20 };

const h = crypto.createHash("sha256");
for (const k of Object.keys(sources).sort()) h.update(k + "\0" + sources[k].content + "\0");
const digest = h.digest("hex");
try {
  const old = JSON.parse(fs.readFileSync(outPath, "utf8"));
  if (old.sources_sha256 === digest) process.exit(0);
} catch (e) { /* compile */ }

const solc = require(path.resolve(nm, "solc"));
const input = {
  language: "Solidity",
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "prague",
    outputSelection: { "*": { "*": ["evm.bytecode.object"] } },
  },
};
const raw = solc.compile(JSON.stringify(input), { import: (p) => ({ error: "not found: " + p }) });
const out = JSON.parse(raw.slice(raw.indexOf("{")));
const errors = (out.errors || []).filter((e) => e.severity === "error");
if (errors.length) {
  for (const e of errors) process.stderr.write(e.formattedMessage + "\n");
  process.exit(1);
}
const code = (file, name) => {
  const c = out.contracts[file] && out.contracts[file][name];
  if (!c) throw new Error("missing " + file + ":" + name);
  return "0x" + c.evm.bytecode.object;
};
const circomlibjs = require(path.resolve(nm, "circomlibjs"));
const result = {
  sources_sha256: digest,
  poseidon2: circomlibjs.poseidonContract.createCode(2),
  poseidon4: circomlibjs.poseidonContract.createCode(4),
  poseidon5: circomlibjs.poseidonContract.createCode(5),
  key_verifier: code("EdDSAPoseidonVerifier.sol", "EdDSAPoseidonVerifier"),
  verifier: code("BatchVerifier.sol", "BatchGroth16Verifier"),
  rollup: code("ZkammRollup.sol", "ZkammRollup"),
  erc20: code("DevnetERC20.sol", "DevnetERC20"),
};
if (swapVerifierPath) result.swap_verifier = code("SwapBatchVerifier.sol", "BatchGroth16Verifier");
// A temporary name per process: concurrent runs for one OUT_JSON (ctest -j) must not write into
// or rename away each other's half-written file.
const tmp = outPath + ".tmp." + process.pid;
fs.writeFileSync(tmp, JSON.stringify(result));
fs.renameSync(tmp, outPath);
