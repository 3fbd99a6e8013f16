#!/usr/bin/env node
// Build step (src/settle/CMakeLists.txt): compiles the L1 contracts once, so that `zkamm deploy`
// and `zkamm devnet` need no compiler at run time. solc-js with the optimizer on (runs 200) and
// evmVersion prague, as contracts/foundry.toml: the code forge tests is the code deployed.
// Compiles contracts/src/*.sol, a minimal test ERC-20 (devnet tokens) and the two batch verifier
// templates (settle/verifier_template.hpp), checks that every placeholder of the templates is a
// PUSH32 operand (the slot count: exactly one PUSH4 operand), makes circomlib's Poseidon
// contracts (circomlibjs poseidonContract.createCode) and writes OUT_CPP, the definition of
// settle::contract_code::creation_code_hex (settle/contract_code.hpp).
// Usage: node compile_contracts.js REPO_ROOT NODE_MODULES TEMPLATE_DIR OUT_CPP
"use strict";
const fs = require("fs");
const path = require("path");

const [root, nm, templateDir, outPath] = process.argv.slice(2);
if (!outPath) {
  process.stderr.write("usage: compile_contracts.js REPO_ROOT NODE_MODULES TEMPLATE_DIR OUT_CPP\n");
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
sources["VerifierTemplate0.sol"] = { content: fs.readFileSync(path.join(templateDir, "VerifierTemplate0.sol"), "utf8") };
sources["VerifierTemplate1.sol"] = { content: fs.readFileSync(path.join(templateDir, "VerifierTemplate1.sol"), "utf8") };
sources["DevnetERC20.sol"] = { content: ERC20 };

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

// The templates must carry every placeholder where verifier_bytecode() will look for it.
const ph = JSON.parse(fs.readFileSync(path.join(templateDir, "verifier_placeholders.json"), "utf8"));
const count = (hay, needle) => hay.split(needle).length - 1;
for (const kind of [0, 1]) {
  const hex = code("VerifierTemplate" + kind + ".sol", "BatchGroth16Verifier").slice(2);
  ph.words.forEach((w, i) => {
    if (count(hex, "7f" + w) < 1 || count(hex, w) !== count(hex, "7f" + w))
      throw new Error("verifier template " + kind + ": placeholder " + i + " is not (only) a PUSH32 operand");
  });
  if (count(hex, "63" + ph.slots) !== 1 || count(hex, ph.slots) !== 1)
    throw new Error("verifier template " + kind + ": the slot-count placeholder is not exactly one PUSH4 operand");
}

const circomlibjs = require(path.resolve(nm, "circomlibjs"));
const entries = [
  ["kPoseidon2", circomlibjs.poseidonContract.createCode(2)],
  ["kPoseidon4", circomlibjs.poseidonContract.createCode(4)],
  ["kPoseidon5", circomlibjs.poseidonContract.createCode(5)],
  ["kKeyVerifier", code("EdDSAPoseidonVerifier.sol", "EdDSAPoseidonVerifier")],
  ["kRollup", code("ZkammRollup.sol", "ZkammRollup")],
  ["kTestErc20", code("DevnetERC20.sol", "DevnetERC20")],
  ["kVerifierTemplateUniversal", code("VerifierTemplate0.sol", "BatchGroth16Verifier")],
  ["kVerifierTemplateSwap", code("VerifierTemplate1.sol", "BatchGroth16Verifier")],
];
// String literals in chunks of 4096 characters (compilers limit one literal's length).
const literal = (hex) => {
  const parts = [];
  for (let i = 0; i < hex.length; i += 4096) parts.push('"' + hex.slice(i, i + 4096) + '"');
  return parts.join("\n        ");
};
let cpp = "// Generated at build time by src/settle/compile_contracts.js (" + solc.version() + "). Do not edit.\n" +
  '#include "settle/contract_code.hpp"\n\nnamespace zkamm::settle::contract_code {\n\n' +
  "std::string_view creation_code_hex(Contract c) {\n  switch (c) {\n";
for (const [name, hex] of entries) cpp += "    case Contract::" + name + ":\n      return " + literal(hex) + ";\n";
cpp += "  }\n  return {};\n}\n\nstd::string_view compiler() { return \"solc-js " + solc.version() + "\"; }\n\n" +
  "}  // namespace zkamm::settle::contract_code\n";
const tmp = outPath + ".tmp." + process.pid;
fs.writeFileSync(tmp, cpp);
fs.renameSync(tmp, outPath);
