// zkamm prover --node URL: a proving worker on any machine. It leases batch jobs from a node's
// JSON-RPC (zkamm_proverLease), proves them with its own cached copy of the batch keys and
// submits the proofs, which the node checks before it uses them (src/settle/remote_prover.hpp).
// In a sequencer group it follows the leader (src/settle/leader_client.hpp).
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "cuda/select.hpp"
#include "settle/remote_prover.hpp"

namespace zkamm::app {
namespace {

std::atomic<bool> g_prover_stop{false};
extern "C" void on_prover_signal(int) { g_prover_stop.store(true); }

}  // namespace

void register_prover(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<settle::WorkerOptions>();
  auto idle_s = std::make_shared<double>(0);
  auto backend = std::make_shared<std::string>("cpu");
  CLI::App* cmd = app.add_subcommand("prover", "Prove batches for a node: lease jobs over JSON-RPC, prove, submit");
  auto nodes = std::make_shared<std::vector<std::string>>(std::vector<std::string>{opts->url});
  cmd->add_option("--node", *nodes,
                  "The node's JSON-RPC URL; in a sequencer group any member's (a follower names the leader), and "
                  "repeat it for other members, tried in turn when the one in use is unreachable")
      ->default_str(opts->url);
  cmd->add_option("--cache", opts->cache_dir, "Folder of the batch keys (made by the same setup as the node's)")
      ->default_val(opts->cache_dir);
  cmd->add_option("--name", opts->name, "Worker name shown in the node's figures")->default_val(opts->name);
  cmd->add_option("--max-jobs", opts->max_jobs, "Stop after this many proofs (0: run until SIGINT)")->default_val(0);
  cmd->add_option("--idle-exit", *idle_s, "Stop after this many seconds without a job (0: never)")->default_val(0);
  cmd->add_option("--backend", *backend, "prover backend: cpu, or cuda (a GPU; the key stays on it between proofs)")
      ->capture_default_str();
  cmd->callback([opts, nodes, idle_s, backend, &exit_code] {
    if (!nodes->empty()) {
      opts->url = nodes->front();
      opts->more_urls.assign(nodes->begin() + 1, nodes->end());
    }
    std::string err;
    if (!cuda::use_backend(*backend, &err)) {
      std::cerr << "zkamm prover: " << err << std::endl;
      exit_code = 2;
      return;
    }
    std::cerr << "zkamm prover: prover backend " << snark::default_backend().name() << std::endl;
    ::signal(SIGINT, on_prover_signal);
    ::signal(SIGTERM, on_prover_signal);
    opts->idle_exit = std::chrono::milliseconds(static_cast<int64_t>(*idle_s * 1000));
    exit_code = settle::run_prover_worker(*opts, g_prover_stop, std::cerr);
  });
}

}  // namespace zkamm::app
