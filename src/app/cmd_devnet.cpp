// zkamm setup-batch / zkamm devnet: the batch circuit's cached Groth16 keys and Solidity verifier,
// and the one-machine rollup (anvil + contracts + node + watcher + prover + L1 sender + RPC),
// docs/DEVNET.md.
#include <signal.h>

#include <atomic>
#include <iomanip>
#include <iostream>

#include "app/commands.hpp"
#include "l1/bytes.hpp"
#include "settle/batch_keys.hpp"
#include "settle/devnet.hpp"

namespace zkamm::app {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int) { g_stop.store(true); }

struct SetupBatchOptions {
  uint32_t slots = 4;
  uint64_t chain_id = 31337;
  std::string rollup = "0x0000000000000000000000000000000000000000";
  std::string out;
};

int run_setup_batch(const SetupBatchOptions& o) {
  batch::BatchParams p;
  p.num_slots = o.slots;
  p.domain.chain_id = o.chain_id;
  auto addr = l1::address_from_hex(o.rollup);
  if (!addr) return fail("--rollup: not a 20-byte hex address");
  std::copy(addr->begin(), addr->end(), p.domain.rollup.begin());
  if (o.slots == 0) return fail("--slots must be >= 1");
  settle::KeysResult r = settle::load_or_setup(p, o.out);
  if (!r.ok()) return fail(r.error);
  const settle::BatchKeys& k = *r.keys;
  std::cout << "setup-batch: N = " << o.slots << ", " << k.num_constraints << " constraints, r1cs sha256 "
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
  cmd->callback([o, &exit_code] { exit_code = run_setup_batch(*o); });
}

void register_devnet(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("devnet", "anvil + rollup contracts + node + prover + L1 sender/watcher + RPC (docs/DEVNET.md)");
  auto o = std::make_shared<settle::DevnetOptions>();
  auto timeout_ms = std::make_shared<uint64_t>(2000);
  auto no_scenario = std::make_shared<bool>(false);
  cmd->add_option("--slots", o->slots, "N, slots per batch")->default_val(4);
  cmd->add_option("--repo", o->repo, "repository root (contracts/, src/settle/devnet_contracts.js)")->default_val(".");
  cmd->add_option("--node-modules", o->node_modules, "npm folder with anvil, solc, circomlibjs (default <repo>/node_modules)");
  cmd->add_option("--cache", o->cache_dir, "keys and compiled contracts (default <repo>/.zkamm-cache)");
  cmd->add_option("--work-dir", o->work_dir, "node data and anvil log (default: a new folder in /tmp)");
  cmd->add_option("--rpc-host", o->rpc_host, "L2 JSON-RPC host")->default_val("127.0.0.1");
  cmd->add_option("--rpc-port", o->rpc_port, "L2 JSON-RPC port (0: any)")->default_val(0);
  cmd->add_option("--confirmations", o->confirmations, "L1 confirmations before an event is delivered")->default_val(1);
  cmd->add_option("--batch-timeout-ms", *timeout_ms, "close a non-empty batch after this")->default_val(2000);
  cmd->add_flag("--once", o->once, "run the scenario, print the figures and exit");
  cmd->add_flag("--no-scenario", *no_scenario, "only start the stack (no deposits, pools or swaps)");
  cmd->callback([o, timeout_ms, no_scenario, &exit_code] {
    o->batch_timeout = std::chrono::milliseconds(*timeout_ms);
    o->scenario = !*no_scenario;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    exit_code = settle::run_devnet(*o, g_stop, std::cout);
  });
}

}  // namespace zkamm::app
