// zkamm bench: the load generator and its report (docs/BENCH.md). Without --url it starts its
// own node (in-process, RPC on 127.0.0.1, a generated genesis); with --url it drives a running
// node whose genesis file (with the accounts' private keys) is given by --genesis.
#include <iostream>
#include <map>

#include "app/commands.hpp"
#include "bench/bench.hpp"

namespace zkamm::app {

void register_bench(CLI::App& app, int& exit_code) {
  auto cfg = std::make_shared<bench::BenchConfig>();
  auto mode = std::make_shared<std::string>("table");
  CLI::App* sub = app.add_subcommand(
      "bench", "Load generator: the paper's Table 1 experiment (closed loop), open loop, or a rate sweep; writes a report folder");
  sub->add_option("--mode", *mode, "table | closed | open | sweep")
      ->check(CLI::IsMember({"table", "closed", "open", "sweep"}))
      ->capture_default_str();
  sub->add_option("--url", cfg->url, "drive this node (http://HOST:PORT); default: start one in-process");
  sub->add_option("--genesis", cfg->genesis_path, "with --url: the node's genesis JSON (accounts with private_key)");
  sub->add_option("--node-pid", cfg->node_pid, "with --url: sample this process' CPU and memory");
  sub->add_option("--out", cfg->out_dir, "report folder")->capture_default_str();
  sub->add_option("--table-instances", cfg->table_instances, "table mode: instance counts")->capture_default_str();
  sub->add_option("--instances", cfg->instances, "closed/open/sweep: instances")->capture_default_str();
  sub->add_option("--accounts", cfg->accounts_per_instance, "accounts per instance")->capture_default_str();
  sub->add_option("--swaps", cfg->swaps_per_account, "swaps per account (closed loop)")->capture_default_str();
  sub->add_option("--max-swaps", cfg->max_swaps_per_run, "cap on swaps per run (fewer per account above it)")
      ->capture_default_str();
  sub->add_option("--conns-per-instance", cfg->conns_per_instance, "HTTP connections per instance")->capture_default_str();
  sub->add_option("--max-connections", cfg->max_connections, "cap on connections (instances share above it)")
      ->capture_default_str();
  sub->add_option("--slippage", cfg->slippage, "min out = quote * (1 - slippage)")->capture_default_str();
  sub->add_option("--seed", cfg->seed, "workload and key seed")->capture_default_str();
  sub->add_option("--tokens", cfg->tokens, "in-process genesis: tokens (a pool per pair)")->capture_default_str();
  sub->add_option("--rate", cfg->rate, "open loop: swaps per second")->capture_default_str();
  sub->add_option("--duration", cfg->duration_s, "open loop: seconds")->capture_default_str();
  sub->add_option("--sweep-start", cfg->sweep_start_rate, "sweep: first rate")->capture_default_str();
  sub->add_option("--sweep-max", cfg->sweep_max_rate, "sweep: highest rate")->capture_default_str();
  sub->add_option("--sweep-factor", cfg->sweep_factor, "sweep: rate multiplier per step")->capture_default_str();
  sub->add_option("--sweep-step", cfg->sweep_step_s, "sweep: seconds per step")->capture_default_str();
  sub->add_option("--p99-bound-ms", cfg->p99_bound_ms, "sweep: p99 soft-finality bound")->capture_default_str();
  sub->add_option("--block-time-ms", cfg->block_time_ms, "in-process node: block time")->capture_default_str();
  sub->add_option("--max-block-txs", cfg->max_block_txs, "in-process node: block size cap (and fill's denominator)")
      ->capture_default_str();
  sub->add_option("--batch-slots", cfg->batch_slots, "in-process node: batch size")->capture_default_str();
  sub->add_option("--batch-timeout-ms", cfg->batch_timeout_ms, "in-process node: batch timeout")->capture_default_str();
  sub->add_flag("!--no-batch-roots", cfg->compute_batch_roots, "in-process node: do not compute batch state roots");
  sub->add_option("--verifier-threads", cfg->node_verifier_threads, "in-process node: signature threads")
      ->capture_default_str();
  sub->add_option("--server-threads", cfg->server_threads, "in-process node: RPC I/O threads")->capture_default_str();
  sub->add_option("--data-dir", cfg->data_dir, "in-process node: data folder (default: <out>/node-data, wiped)");
  sub->add_option("--io-threads", cfg->io_threads, "load generator I/O threads")->capture_default_str();
  sub->add_option("--soft-timeout", cfg->soft_timeout_s, "seconds to wait for soft finality after the last reply")
      ->capture_default_str();
  sub->add_flag("!--no-verify", cfg->verify_with_node, "skip zkamm_getTransaction for every swap at the end");
  sub->add_option("--hard-timeout", cfg->hard_timeout_s,
                  "> 0: after soft, wait up to this many seconds per run until every soft swap is finalized on L1")
      ->capture_default_str();
  sub->add_option("--gas-table", cfg->gas_table, "Uniswap V2 gas table (default: bench/scripts/uniswap_gas.json)");
  sub->add_flag("!--no-plots", cfg->plots, "skip gnuplot");
  sub->add_flag("!--quiet", cfg->progress, "no progress line");
  sub->callback([cfg, mode, &exit_code] {
    static const std::map<std::string, bench::Mode> modes = {
        {"table", bench::Mode::kTable}, {"closed", bench::Mode::kClosed}, {"open", bench::Mode::kOpen}, {"sweep", bench::Mode::kSweep}};
    cfg->mode = modes.at(*mode);
    const bench::BenchResult r = bench::run(*cfg);
    if (!r.ok) {
      exit_code = fail("bench: " + r.error);
      return;
    }
    for (const auto& s : r.runs)
      std::cout << s.label << ": " << s.sent << " swaps, " << s.soft << " soft, " << s.rejected << " rejected, "
                << s.timed_out << " timed out, " << s.time_s << " s, " << s.tps << " TPS, p99 soft " << s.soft_p99_ms
                << " ms" << (s.finalized ? ", " + std::to_string(s.finalized) + " finalized" : std::string()) << "\n";
    if (*mode == "sweep") std::cout << "sweep: best rate " << r.sweep_best_rate << " swaps/s\n";
    std::cout << "report: " << r.report_dir << "/summary.md\n";
    exit_code = (r.runs.empty()) ? 1 : 0;
  });
}

}  // namespace zkamm::app
