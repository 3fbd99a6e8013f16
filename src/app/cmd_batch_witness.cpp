// zkamm batch-witness: the .wtns of a batch of N demo swaps for the batch circuit of
// `zkamm setup-batch --slots N [--swap]` (same chain id and rollup address), so that `zkamm prove` and
// `snarkjs groth16 prove` can be timed on the same files (bench/scripts/batch_prove_vs_snarkjs.sh).
#include <chrono>
#include <iostream>

#include "app/commands.hpp"
#include "batch/swap_demo.hpp"
#include "l1/bytes.hpp"
#include "snark/constraint_system.hpp"
#include "snark/wtns_file.hpp"

namespace zkamm::app {

void register_batch_witness(CLI::App& app, int& exit_code) {
  struct Options {
    uint32_t slots = 4;
    uint64_t chain_id = 31337;
    std::string rollup = "0x0000000000000000000000000000000000000000";
    std::string out;
    bool swap = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("batch-witness", "Write the .wtns of a batch of N demo swaps (for prover benchmarks)");
  cmd->add_option("--slots", o->slots, "N, the batch circuit's size")->default_val(o->slots);
  cmd->add_option("--chain-id", o->chain_id, "Chain id of the circuit's domain")->default_val(o->chain_id);
  cmd->add_option("--rollup", o->rollup, "Rollup address of the circuit's domain")->default_val(o->rollup);
  cmd->add_option("--out", o->out, "The .wtns file to write")->required();
  cmd->add_flag("--swap", o->swap, "For the swap-batch circuit (`zkamm setup-batch --swap`)");
  cmd->callback([o, &exit_code] {
    batch::BatchParams p;
    p.num_slots = o->slots;
    p.domain.chain_id = o->chain_id;
    if (o->swap) p.kind = batch::BatchKind::Swap;
    const auto addr = l1::address_from_hex(o->rollup);
    if (!addr) {
      exit_code = fail("--rollup: not a 20-byte hex address");
      return;
    }
    std::copy(addr->begin(), addr->end(), p.domain.rollup.begin());
    if (o->slots == 0) {
      exit_code = fail("--slots must be >= 1");
      return;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const batch::WitnessResult r = batch::demo_swap_witness(p);
    if (!r.ok()) {
      exit_code = fail("witness: " + r.error);
      return;
    }
    const auto t1 = std::chrono::steady_clock::now();
    snark::ConstraintSystem cs(snark::ConstraintSystem::Mode::kWitnessOnly);
    (void)batch::synthesize(cs, p, r.witness);
    const std::vector<ff::Fr> wit = cs.witness();
    const auto t2 = std::chrono::steady_clock::now();
    if (const snark::FileError e = snark::write_wtns(o->out, wit); e != snark::FileError::kOk) {
      exit_code = file_error(o->out, e);
      return;
    }
    const auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
    std::cout << "batch-witness: " << o->slots << " swaps, " << cs.num_constraints() << " constraints, "
              << wit.size() << " wires; state + paths " << ms(t0, t1) << " ms, witness-only synthesis "
              << ms(t1, t2) << " ms -> " << o->out << std::endl;
    exit_code = 0;
  });
}

}  // namespace zkamm::app
