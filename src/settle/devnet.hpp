#pragma once
// `zkamm devnet`: a whole rollup on one machine. Starts anvil, makes (or reuses) the batch
// circuit's Groth16 keys, deploys circomlib's Poseidon contracts, the batch verifier, ZkammRollup
// (genesis root = the empty state's) and two test ERC-20s, runs the node with the L1 watcher,
// the prover pipeline, the L1 sender and the JSON-RPC server, and plays a scenario of real L1
// deposits, L2 pools, swaps and withdrawals that end in L1 withdrawals (docs/DEVNET.md).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace zkamm::settle {

struct DevnetOptions {
  uint32_t slots = 4;                ///< N, the batch circuit's size
  std::string repo = ".";            ///< repository root (contracts/src, src/settle/devnet_contracts.js)
  std::string node_modules;          ///< default: <repo>/node_modules
  std::string cache_dir;             ///< keys and compiled contracts; default: <repo>/.zkamm-cache
  std::string work_dir;              ///< node data + anvil log; default: a fresh folder under /tmp
  std::string rpc_host = "127.0.0.1";
  uint16_t rpc_port = 0;             ///< 0: any free port
  uint64_t confirmations = 1;        ///< L1 confirmations before the watcher delivers an event
  std::chrono::milliseconds batch_timeout{2000};
  bool once = false;                 ///< run the scenario, print the figures and return
  bool scenario = true;              ///< play the scenario (also when not once)
};

/// Runs the devnet; returns 0 when everything (in --once: the scenario and its checks)
/// succeeded. `stop` ends a long-running devnet (SIGINT handler). Progress goes to `out`.
int run_devnet(const DevnetOptions& opts, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace zkamm::settle
