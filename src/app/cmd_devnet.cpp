// zkamm setup-batch / zkamm devnet: the batch circuit's cached Groth16 keys and Solidity verifier,
// and the one-machine rollup (anvil + contracts + node + watcher + prover + L1 sender + RPC),
// docs/DEVNET.md.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <iomanip>
#include <iostream>
#include <thread>
#include <vector>

#include "app/commands.hpp"
#include "bench/bench.hpp"
#include "cuda/select.hpp"
#include "l1/bytes.hpp"
#include "settle/batch_keys.hpp"
#include "settle/devnet.hpp"
#include "snark/r1cs_file.hpp"

namespace zkamm::app {
namespace {

std::atomic<bool> g_stop{false};

/// `zkamm devnet --once`'s paper experiment (docs/BENCH.md): its flags and the hook the devnet calls.
struct DevnetBenchOptions {
  bool off = false;
  std::vector<uint32_t> instances = {1, 2, 3, 4, 5};
  // scaled down from the paper's 10 accounts x 20 swaps per instance: every swap is proven
  // (~5 s per 2-slot batch on 2 cores), so the default run stays within a few minutes
  uint32_t accounts = 2;
  uint32_t swaps = 2;
  std::string report = "zkamm-report";
  double hard_timeout_s = 3600;
  bool plots = true;
};

bool run_devnet_bench(const DevnetBenchOptions& b, const settle::DevnetBenchTarget& t) {
  bench::BenchConfig cfg;
  cfg.url = t.url;
  cfg.genesis_path = t.keys_path;
  cfg.node_pid = static_cast<int>(::getpid());  // the node runs inside the devnet process
  cfg.mode = bench::Mode::kTable;
  cfg.table_instances = b.instances;
  cfg.accounts_per_instance = b.accounts;
  cfg.swaps_per_account = b.swaps;
  cfg.out_dir = b.report;
  cfg.hard_timeout_s = b.hard_timeout_s;
  cfg.plots = b.plots;
  std::string ks;
  for (const uint32_t k : b.instances) ks += (ks.empty() ? "" : ", ") + std::to_string(k);
  cfg.note = "Run by `zkamm devnet --once` against its own node with L1 settlement (anvil, Groth16 proofs verified on L1; "
             "node, prover and bench share this machine). Instances " + ks + " x " + std::to_string(b.accounts) +
             " accounts x " + std::to_string(b.swaps) + " swaps per account" +
             (b.accounts == 10 && b.swaps == 20 ? " (the paper's workload)."
                                                 : ", scaled down from the paper's 10 accounts x 20 swaps (full run: "
                                                   "`zkamm devnet --once --bench-accounts 10 --bench-swaps 20`; every "
                                                   "swap is proven, so it takes hours with small batches).");
  cfg.target_healthy = t.healthy;
  cfg.batch_figures = [f = t.batch_figures](uint64_t n, bench::BatchFigures& out) {
    const auto x = f ? f(n) : std::nullopt;
    if (!x) return false;
    out.witness_ms = x->witness_ms;
    out.prove_ms = x->prove_ms;
    out.gas_commit = static_cast<double>(x->gas_commit);
    out.gas_prove = static_cast<double>(x->gas_prove);
    out.gas_execute = static_cast<double>(x->gas_execute);
    out.gas_settle = static_cast<double>(x->gas_settle);
    return true;
  };
  std::cout << "devnet: bench: the paper's experiment against " << t.url << " (" << b.accounts << " accounts x " << b.swaps
            << " swaps per instance), report -> " << b.report << std::endl;
  const bench::BenchResult r = bench::run(cfg);
  if (!r.ok) {
    std::cout << "devnet: bench: error: " << r.error << std::endl;
    return false;
  }
  for (const auto& s : r.runs)
    std::cout << "devnet: bench " << s.label << ": " << s.sent << " sent, " << s.soft << " soft, " << s.rejected
              << " rejected, " << s.timed_out << " timed out, " << s.finalized << " finalized; soft p99 " << std::fixed
              << std::setprecision(1) << s.soft_p99_ms << " ms, hard p50 / max " << s.hard_p50_s << " / " << s.hard_max_s
              << " s, prover share " << std::setprecision(0) << 100 * s.prover_share << " %" << std::endl;
  std::cout << "devnet: report " << r.report_dir << "/summary.md" << std::endl;
  return !r.runs.empty();
}

extern "C" void on_signal(int) { g_stop.store(true); }

struct SetupBatchOptions {
  uint32_t slots = 4;
  uint64_t chain_id = 31337;
  std::string rollup = "0x0000000000000000000000000000000000000000";
  std::string out;
  std::string r1cs;  ///< also write the circuit's .r1cs here (for a ceremony: snarkjs zkey new)
  bool swap = false;
};

int run_setup_batch(const SetupBatchOptions& o) {
  batch::BatchParams p;
  p.num_slots = o.slots;
  p.domain.chain_id = o.chain_id;
  auto addr = l1::address_from_hex(o.rollup);
  if (!addr) return fail("--rollup: not a 20-byte hex address");
  std::copy(addr->begin(), addr->end(), p.domain.rollup.begin());
  if (o.slots == 0 || o.slots >= (1u << 24)) return fail("--slots must be in [1, 2^24)");
  if (o.swap) p.kind = batch::BatchKind::Swap;
  if (!o.r1cs.empty()) {
    if (const auto e = snark::write_r1cs(o.r1cs, batch::batch_r1cs(p)); e != snark::FileError::kOk) return file_error(o.r1cs, e);
    std::cout << "setup-batch: circuit -> " << o.r1cs << "\n";
  }
  settle::KeysResult r = settle::load_or_setup(p, o.out);
  if (!r.ok()) return fail(r.error);
  const settle::BatchKeys& k = *r.keys;
  std::cout << "setup-batch: " << (o.swap ? "swap batch, " : "") << "N = " << o.slots << ", " << k.num_constraints << " constraints, r1cs sha256 "
            << settle::digest_hex(k.r1cs_hash) << (k.reused ? " (cached keys reused)" : " (new dev keys)") << ", "
            << std::fixed << std::setprecision(0) << k.setup_ms << " ms\n"
            << "proving key -> " << k.zkey_path << "\nSolidity verifier -> " << k.verifier_path << "\n";
  if (!k.reused) std::cout << "warning: development setup (single party); do not use these keys in production\n";
  return 0;
}

}  // namespace

void register_setup_batch(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("setup-batch", "batch circuit for N slots -> cached dev Groth16 keys + Solidity verifier");
  auto o = std::make_shared<SetupBatchOptions>();
  cmd->add_option("--slots", o->slots, "N, slots per batch")->default_val(4);
  cmd->add_option("--chain-id", o->chain_id, "L1 chain id of the signature domain")->default_val(31337);
  cmd->add_option("--rollup", o->rollup, "rollup contract address of the signature domain");
  cmd->add_option("--out", o->out, "cache folder")->required();
  cmd->add_option("--r1cs", o->r1cs, "also write the circuit's .r1cs (input of a snarkjs phase-2 ceremony, docs/OPERATOR.md)");
  cmd->add_flag("--swap", o->swap, "the swap-batch circuit (swaps only, 10-byte slots; docs/CIRCUIT.md section 5)");
  cmd->callback([o, &exit_code] { exit_code = run_setup_batch(*o); });
}

void register_devnet(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("devnet", "anvil + rollup contracts + node + prover + L1 sender/watcher + RPC (docs/DEVNET.md)");
  auto o = std::make_shared<settle::DevnetOptions>();
  auto timeout_ms = std::make_shared<uint64_t>(2000);
  auto no_scenario = std::make_shared<bool>(false);
  auto prover_backend = std::make_shared<std::string>("cpu");
  auto bench = std::make_shared<DevnetBenchOptions>();
  cmd->add_option("--slots", o->slots, "N, slots per batch")->default_val(4);
  cmd->add_option("--repo", o->repo, "repository root (its node_modules holds anvil)")->default_val(".");
  cmd->add_option("--node-modules", o->node_modules, "npm folder with anvil, solc, circomlibjs (default <repo>/node_modules)");
  cmd->add_option("--cache", o->cache_dir, "batch keys (default <repo>/.zkamm-cache)");
  cmd->add_option("--work-dir", o->work_dir, "node data and anvil log (default: a new folder in /tmp)");
  cmd->add_option("--rpc-host", o->rpc_host, "L2 JSON-RPC host")->default_val("127.0.0.1");
  cmd->add_option("--rpc-port", o->rpc_port, "L2 JSON-RPC port (0: any)")->default_val(0);
  cmd->add_option("--confirmations", o->confirmations, "L1 confirmations before an event is delivered")->default_val(1);
  cmd->add_option("--batch-timeout-ms", *timeout_ms, "close a non-empty batch after this")->default_val(2000);
  cmd->add_option("--priority-deadline", o->priority_deadline_s, "seconds an L1 priority op may wait before exodus")->default_val(604800);
  cmd->add_option("--priority-batch-seconds", o->priority_batch_s,
                  "the operator's proving rate: one full batch of priority ops per this many seconds")
      ->default_val(60);
  cmd->add_option("--timestamp-window", o->timestamp_window_s, "seconds a batch's timestamp may lag the L1 block committing it")
      ->default_val(86400);
  cmd->add_flag("--censor-full-exits", o->censor_full_exits, "TEST ONLY: the operator ignores full exits (and the queue after them)");
  cmd->add_option("--refuse-remove-liquidity-of", o->refuse_remove_liquidity_of,
                  "TEST ONLY: the node refuses these L2 accounts' remove_liquidity (an LP forced exit on L1 still works)");
  cmd->add_flag("--once", o->once, "run the scenario, print the figures, run the paper's bench (--no-bench: skip) and exit");
  cmd->add_flag("!--no-swap-batches", o->swap_batches,
                "every batch runs the universal circuit (no swap-batch keys, no swap verifier)");
  cmd->add_flag("--prover-jobs", o->prover_jobs, "serve proof jobs to `zkamm prover --node URL` workers (leases)");
  auto* local_provers = cmd->add_option("--local-provers", o->local_provers,
                                        "with --prover-jobs: proving threads in this process (0: remote only)")
                            ->capture_default_str();
  cmd->add_option(
         "--prover-backend", *prover_backend,
         "this process's prover backend: cpu, or cuda (a GPU; then, unless --prover-jobs or --local-provers says "
         "otherwise, several batches are proven at once: half the cores, 2 to 8)")
      ->capture_default_str();
  cmd->add_flag("--no-scenario", *no_scenario, "only start the stack (no deposits, pools or swaps)");
  cmd->add_flag("--no-bench", bench->off, "--once: skip the paper's experiment after the scenario");
  cmd->add_option("--bench-instances", bench->instances, "--once bench: instance counts, one run each")->capture_default_str();
  cmd->add_option("--bench-accounts", bench->accounts, "--once bench: accounts per instance (funded by L1 deposits)")
      ->capture_default_str();
  cmd->add_option("--bench-swaps", bench->swaps, "--once bench: swaps per account")->capture_default_str();
  cmd->add_option("--bench-hard-timeout", bench->hard_timeout_s, "--once bench: seconds to wait for hard finality per run")
      ->capture_default_str();
  cmd->add_flag("!--bench-no-plots", bench->plots, "--once bench: skip gnuplot");
  cmd->add_option("--report", bench->report, "--once bench: report folder")->capture_default_str();
  cmd->callback([o, timeout_ms, no_scenario, prover_backend, local_provers, bench, &exit_code] {
    std::string err;
    if (!cuda::use_backend(*prover_backend, &err)) {
      std::cerr << "zkamm devnet: " << err << std::endl;
      exit_code = 2;
      return;
    }
    if (*prover_backend == "cuda" && !o->prover_jobs && local_provers->count() == 0) {
      // A GPU proves a 64-swap batch in a fraction of the second its witness takes on one core:
      // with one batch at a time it would wait for the CPU. Several batches in flight synthesize
      // their witnesses in parallel and take turns on the GPU (the backend runs one step at a time).
      o->prover_jobs = true;
      o->local_provers = std::clamp(std::thread::hardware_concurrency() / 2, 2u, 8u);
    }
    o->batch_timeout = std::chrono::milliseconds(*timeout_ms);
    o->scenario = !*no_scenario;
    if (!bench->off && !bench->instances.empty() && bench->accounts > 0 && bench->swaps > 0) {
      uint32_t most = 0;
      for (const uint32_t k : bench->instances) most = std::max(most, k);
      o->bench_accounts = most * bench->accounts;
      o->bench = [bench](const settle::DevnetBenchTarget& t) { return run_devnet_bench(*bench, t); };
    }
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    exit_code = settle::run_devnet(*o, g_stop, std::cout);
  });
}

}  // namespace zkamm::app
