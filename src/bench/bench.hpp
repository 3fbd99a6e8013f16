#pragma once
// `zkamm bench`: the load generator and its report (docs/BENCH.md). It reproduces the evaluation
// of Gogol et al., "Scaling DeFi with ZK Rollups" (arXiv 2506.00500, Table 1): K client
// instances, each with its own accounts and connections, send locally signed Uniswap V2 swaps to
// a node over JSON-RPC; every swap is followed to soft finality (sealed L2 block, seen through
// the newBlocks WebSocket subscription) and, when the node reports them, to committed / proven /
// finalized. The report is a folder: summary.md (the paper's Table 1 beside ours), summary.json,
// one CSV per series and gnuplot PNGs.
//
// Bounded: every run has a swap cap and a time cap; connections are capped; it stops by itself.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace zkamm::bench {

enum class Mode : uint8_t {
  kTable,   ///< the paper's Table 1: closed-loop runs for each of `table_instances`
  kClosed,  ///< one closed-loop run with `instances`
  kOpen,    ///< one open-loop run at `rate` swaps/s for `duration_s`
  kSweep,   ///< open-loop runs at rising rates; the highest whose p99 soft latency <= `p99_bound_ms`
};

/// A batch's settlement figures the node's RPC does not carry (from `zkamm devnet`'s prover and
/// L1 sender, through BenchConfig::batch_figures).
struct BatchFigures {
  double witness_ms = -1, prove_ms = -1;                    ///< -1: unknown
  double gas_commit = -1, gas_prove = -1, gas_execute = -1;  ///< gasUsed of the L1 transactions
  double gas_settle = -1;  ///< gasUsed of one commitProveExecute instead of the three
};

struct BenchConfig {
  // ---- target ----
  std::string url;           ///< "http://127.0.0.1:8545"; empty: start a node in-process
  std::string genesis_path;  ///< URL mode: the node's genesis JSON (accounts with private_key)
  int node_pid = 0;          ///< URL mode: sample this process' CPU/memory (0: none)

  // ---- workload (paper: 10 accounts x 20 swaps per instance, up to 5 instances) ----
  Mode mode = Mode::kTable;
  std::vector<uint32_t> table_instances = {1, 2, 3, 4, 5, 10, 100, 1000};
  uint32_t instances = 5;
  uint32_t accounts_per_instance = 10;
  uint32_t swaps_per_account = 20;
  uint64_t max_swaps_per_run = 50000;  ///< a run above this cap sends fewer swaps per account
  uint32_t conns_per_instance = 1;
  uint32_t max_connections = 512;      ///< total; instances share connections above this
  double slippage = 0.005;             ///< min out = quote * (1 - slippage)
  uint64_t seed = 1;
  uint32_t tokens = 3;                 ///< in-process genesis: tokens 1..T, a pool for each pair

  // ---- open loop / sweep ----
  double rate = 1000;                  ///< swaps per second (open loop)
  double duration_s = 5;               ///< open loop: swaps = rate * duration (capped)
  double sweep_start_rate = 250;
  double sweep_max_rate = 64000;
  double sweep_factor = 2;             ///< rate multiplier between sweep steps
  double p99_bound_ms = 1000;          ///< sweep: the soft-finality bound
  double sweep_step_s = 3;

  // ---- in-process node ----
  uint32_t block_time_ms = 100;
  uint32_t max_block_txs = 10000;
  uint32_t batch_slots = 64;
  uint32_t batch_timeout_ms = 1000;
  bool compute_batch_roots = true;
  uint32_t node_verifier_threads = 2;
  uint32_t server_threads = 2;
  std::string data_dir;                ///< empty: a fresh folder under the report folder

  // ---- client ----
  uint32_t io_threads = 2;             ///< sender threads (all instances share them)
  double soft_timeout_s = 60;          ///< after the last reply, wait this long for soft/rejected
  bool verify_with_node = true;        ///< zkamm_getTransaction for every swap at the end
  double hard_timeout_s = 0;           ///< > 0: after soft, wait (at most this) until every soft swap is finalized on L1
  /// Optional: per-batch proving time and L1 gas (false: unknown). Set by `zkamm devnet --once`.
  std::function<bool(uint64_t batch, BatchFigures&)> batch_figures;
  /// Optional: false once the target's settlement halted (the hard-finality wait then stops).
  std::function<bool()> target_healthy;

  // ---- report ----
  std::string out_dir = "bench-report";
  std::string gas_table;               ///< empty: bench/scripts/uniswap_gas.json of the source tree
  bool plots = true;                   ///< run gnuplot
  std::string note;                    ///< a line for the summary (e.g. how the run was scaled)
  bool progress = true;                ///< a progress line on stderr
};

/// One row of the report's table (one run).
struct RunSummary {
  std::string label;
  uint32_t instances = 0;
  uint64_t sent = 0;        ///< swaps sent (every one ends soft, rejected or timed out)
  uint64_t soft = 0;
  uint64_t rejected = 0;
  uint64_t timed_out = 0;
  uint64_t node_soft_delta = 0;  ///< zkamm_status soft_txs after - before
  uint64_t node_verified = 0;    ///< swaps whose zkamm_getTransaction status agrees with ours
  double time_s = 0;        ///< first send to last soft
  double tps = 0;           ///< soft / time_s
  double peak_tps = 0;      ///< best 1 s window
  double gps = 0;           ///< gas per second (Uniswap V2 gas of the soft swaps / time_s)
  double offered_rate = 0;  ///< open loop
  double soft_p50_ms = 0, soft_p99_ms = 0, soft_max_ms = 0;  ///< client-seen (newBlocks), from intended send
  double node_soft_p50_ms = 0, node_soft_p99_ms = 0;         ///< the node's soft time (ms clock), from intended send
  // hard finality (L1 settlement): swaps that reached each stage, and send -> finalized latency
  uint64_t committed = 0, proven = 0, finalized = 0;
  double hard_p50_s = 0, hard_p99_s = 0, hard_max_s = 0;  ///< from intended send to finalized
  double hard_time_s = 0;     ///< first send to last finalized
  double prover_ms = 0;       ///< witness + prove of the run's batches, summed
  double prover_share = 0;    ///< prover_ms / (hard_time_s * 1000): the prover's share of the run's hard finality
  double prover_share_p50 = 0;  ///< median over swaps of (its batch's witness + prove) / its hard latency
};

struct BenchResult {
  bool ok = false;
  std::string error;
  std::string report_dir;
  std::vector<RunSummary> runs;
  double sweep_best_rate = 0;  ///< sweep mode
};

/// Runs the benchmark and writes the report folder. Never throws.
BenchResult run(const BenchConfig& cfg);

/// For `zkamm devnet --once`: the report folder, or "" on failure (the reason on stderr).
std::string run_bench(const BenchConfig& cfg);

}  // namespace zkamm::bench
