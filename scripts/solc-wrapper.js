#!/usr/bin/env node
// A local "solc" for forge, which cannot download compilers here: wraps solc-js from
// node_modules. Answers `--version` like native solc and `--standard-json` (input on stdin).
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require(path.join(__dirname, "..", "node_modules", "solc"));

const args = process.argv.slice(2);
if (args.includes("--version")) {
  process.stdout.write("solc, the solidity compiler commandline interface\nVersion: " + solc.version() + "\n");
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("solc-wrapper: only --version and --standard-json are supported\n");
  process.exit(1);
}
let base = process.cwd();
const bp = args.indexOf("--base-path");
if (bp >= 0 && args[bp + 1]) base = args[bp + 1];

function findImports(p) {
  for (const candidate of [path.resolve(base, p), path.resolve(p)]) {
    try {
      return { contents: fs.readFileSync(candidate, "utf8") };
    } catch (e) { /* try next */ }
  }
  return { error: "File not found: " + p };
}

const input = fs.readFileSync(0, "utf8");
const out = solc.compile(input, { import: findImports });
// solc-js may print a diagnostic line before the JSON; emit only the JSON object.
const start = out.indexOf("{");
process.stdout.write(start > 0 ? out.slice(start) : out);
