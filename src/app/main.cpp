// zkamm: the command line (ARCHITECTURE.md section 2).
#include <exception>
#include <iostream>

#include "app/commands.hpp"

namespace zkamm::app {

int fail(const std::string& what) {
  std::cerr << "error: " << what << "\n";
  return 1;
}

int file_error(const std::string& path, snark::FileError e) { return fail(path + ": " + snark::to_string(e)); }

}  // namespace zkamm::app

int main(int argc, char** argv) {
  int exit_code = 0;
  CLI::App app{"zkamm: a ZK rollup for DeFi (Groth16 over BN254, snarkjs-compatible files)"};
  app.require_subcommand(1);
  zkamm::app::register_setup(app, exit_code);
  zkamm::app::register_prove(app, exit_code);
  zkamm::app::register_verify(app, exit_code);
  zkamm::app::register_export_verifier(app, exit_code);
  zkamm::app::register_zkey(app, exit_code);
  zkamm::app::register_demo(app, exit_code);
  zkamm::app::register_crypto(app, exit_code);
  zkamm::app::register_node(app, exit_code);
  zkamm::app::register_wallet(app, exit_code);
  zkamm::app::register_rpc_bench(app, exit_code);
  zkamm::app::register_bench(app, exit_code);
  zkamm::app::register_setup_batch(app, exit_code);
  zkamm::app::register_devnet(app, exit_code);
  zkamm::app::register_prover(app, exit_code);
  zkamm::app::register_deploy(app, exit_code);
  zkamm::app::register_batch_witness(app, exit_code);
  zkamm::app::register_sync(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  } catch (const std::exception& e) {
    return zkamm::app::fail(e.what());
  }
  return exit_code;
}
