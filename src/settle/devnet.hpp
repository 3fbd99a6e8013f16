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
#include <optional>
#include <string>
#include <vector>

namespace zkamm::settle {

/// One batch's settlement figures, from the devnet's prover and L1 sender (for the bench report).
struct DevnetBatchFigures {
  double witness_ms = 0, prove_ms = 0;                      ///< the prover's (prove includes its own verify)
  uint64_t gas_commit = 0, gas_prove = 0, gas_execute = 0;  ///< gasUsed of the operator's L1 transactions
  uint64_t gas_settle = 0;  ///< or of its one commitProveExecute
};

/// What `zkamm devnet --once` hands its bench (DevnetOptions::bench) after the scenario.
struct DevnetBenchTarget {
  std::string url;        ///< the devnet's L2 JSON-RPC
  std::string keys_path;  ///< the funded bench accounts (fund_bench_accounts' key file)
  std::function<std::optional<DevnetBatchFigures>(uint64_t)> batch_figures;
  std::function<bool()> healthy;  ///< false once the prover, sender or watcher halted
};

struct DevnetOptions {
  uint32_t slots = 4;                ///< N, the batch circuit's size
  std::string repo = ".";            ///< repository root (default node_modules: <repo>/node_modules)
  std::string node_modules;          ///< default: <repo>/node_modules
  std::string cache_dir;             ///< batch keys; default: <repo>/.zkamm-cache
  std::string work_dir;              ///< node data + anvil log; default: a fresh folder under /tmp
  std::string rpc_host = "127.0.0.1";
  uint16_t rpc_port = 0;             ///< 0: any free port
  uint64_t confirmations = 1;        ///< L1 confirmations before the watcher delivers an event
  std::chrono::milliseconds batch_timeout{2000};
  bool once = false;                 ///< run the scenario, print the figures and return
  bool scenario = true;              ///< play the scenario (also when not once)
  bool prover_jobs = false;          ///< serve proof jobs to `zkamm prover --node URL` workers
  bool swap_batches = true;          ///< swap-only batches run the swap circuit (its own keys and verifier)
  unsigned local_provers = 1;        ///< with prover_jobs: in-process proving threads (0: remote only)
  // ---- escape-hatch tests (docs/DEVNET.md "Escape hatch, end to end") ----
  uint64_t priority_deadline_s = 604800;  ///< ZkammRollup's priority deadline (seconds)
  /// ZkammRollup's priorityBatchSeconds: the rate (one full batch per this many seconds) at
  /// which the operator promises to prove a queue of priority ops (docs/CONTRACTS.md).
  uint64_t priority_batch_s = 60;
  /// ZkammRollup's timestampWindow: how far a batch's timestamp may lag its commit on L1.
  uint64_t timestamp_window_s = 86400;
  bool censor_full_exits = false;    ///< TEST ONLY: the operator drops the first FullExit and every later priority op
  std::vector<uint32_t> refuse_remove_liquidity_of;  ///< TEST ONLY: the node refuses these accounts' remove_liquidity
  // ---- --once: the paper's experiment after the scenario (set by `zkamm devnet`, docs/BENCH.md) ----
  uint32_t bench_accounts = 0;       ///< bench accounts to fund through L1 deposits (0: no bench)
  std::function<bool(const DevnetBenchTarget&)> bench;  ///< runs the bench and writes its report
};

/// Runs the devnet; returns 0 when everything (in --once: the scenario and its checks)
/// succeeded. `stop` ends a long-running devnet (SIGINT handler). Progress goes to `out`.
int run_devnet(const DevnetOptions& opts, const std::atomic<bool>& stop, std::ostream& out);

}  // namespace zkamm::settle
