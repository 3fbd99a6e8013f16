#pragma once
// What one bench run records (the report is written from these).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/bench.hpp"
#include "bench/block_watch.hpp"
#include "bench/resources.hpp"

namespace zkamm::bench {

enum class Outcome : uint8_t { kSoft, kRejected, kTimedOut };

/// Times in ms since the run's t0; -1 = not reached / not reported.
struct TxRecord {
  uint32_t instance = 0, account = 0, nonce = 0;
  uint16_t token_in = 0, token_out = 0;
  std::string hash;
  double intended_ms = -1, send_ms = -1, accept_ms = -1, soft_ms = -1;
  double node_received_ms = -1, node_soft_ms = -1;
  double committed_ms = -1, proven_ms = -1, finalized_ms = -1;
  Outcome outcome = Outcome::kTimedOut;
  std::string reason;       ///< rejected / timed out: why
  std::string node_status;  ///< zkamm_getTransaction status at the end ("" when not asked)
  uint64_t block = 0, batch = 0;
};

struct BatchRecord {
  uint64_t number = 0;
  uint32_t slots = 0, used = 0, ours = 0;
  std::string kind;  ///< zkamm_getBatch "kind": "universal" or "swap" (docs/BATCH.md section 8)
  bool root_ready = false;
  double proving_ms = -1;  ///< witness + prove, when reported (BenchConfig::batch_figures)
  double witness_ms = -1, prove_ms = -1;
  double gas_commit = -1, gas_prove = -1, gas_execute = -1;
  double gas_settle = -1;  ///< one commitProveExecute instead of the three (they are then 0)
  double l1_gas = -1;      ///< commit + prove + execute, or settle, when reported
  std::string l1_stage;    ///< zkamm_getBatch "l1".stage ("" when the node has none)
  double committed_ms = -1, proven_ms = -1, finalized_ms = -1;  ///< since the run's t0
};

struct RunData {
  RunSummary summary;
  std::string mode;               ///< "closed" or "open"
  double start_s = 0;             ///< run t0 since the bench's t0 (for the resource series)
  double sign_s = 0;              ///< signing time before the run
  uint32_t max_block_txs = 0;
  uint32_t connections = 0;
  bool websocket = false;
  std::vector<TxRecord> txs;
  std::vector<BlockSeen> blocks;
  std::vector<BatchRecord> batches;
  std::map<std::string, uint64_t> reasons;  ///< rejected/timed-out reason -> count
};

struct SweepRow {
  double rate = 0, achieved = 0, p50 = 0, p99 = 0;
  uint64_t failed = 0;
  bool pass = false;
};

struct GasTable {
  bool loaded = false;
  std::string path, date, command;
  double swap = 0, add_liquidity = 0, remove_liquidity = 0, transfer = 0;
};
GasTable load_gas_table(const std::string& path);

struct ReportInput {
  const BenchConfig& cfg;
  std::vector<RunData>& runs;
  std::vector<ResourceSample> resources;
  std::vector<SweepRow> sweep;
  double sweep_best = 0;
  GasTable gas;
  std::string target;        ///< "in-process node" or the URL
  std::string node_config;   ///< one line
  double total_s = 0;
};

/// Writes summary.md, summary.json, the CSVs and (cfg.plots) the PNGs into dir; "" or the error.
std::string write_report(const std::string& dir, const ReportInput& in);

/// p-th percentile (0..100) of v (sorted in place); 0 for an empty vector.
double percentile(std::vector<double>& v, double p);

}  // namespace zkamm::bench
