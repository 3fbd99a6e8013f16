// Regenerates the init code embedded in tests/l1/store_contract.hpp:
//   node tests/l1/contracts/compile_store.js   (from the repository root; solc-js 0.8.30)
const path = require('path');
const fs = require('fs');
const solc = require(path.join(__dirname, '../../../node_modules/solc'));
const input = {
  language: 'Solidity',
  sources: { 'Store.sol': { content: fs.readFileSync(path.join(__dirname, 'Store.sol'), 'utf8') } },
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'prague',
              outputSelection: { '*': { '*': ['evm.bytecode.object'] } } },
};
const out = JSON.parse(solc.compile(JSON.stringify(input)));
for (const e of out.errors || []) console.error(e.formattedMessage);
process.stdout.write(out.contracts['Store.sol'].Store.evm.bytecode.object + '\n');
