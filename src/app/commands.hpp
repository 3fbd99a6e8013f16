#pragma once
// Subcommand registration for the `zkamm` binary. Each register_* adds one subcommand whose
// callback stores its exit code in `exit_code` (0 = success, 1 = bad input or failure).
#include <CLI/CLI.hpp>
#include <string>

#include "snark/iden3_binfile.hpp"

namespace zkamm::app {

void register_setup(CLI::App& app, int& exit_code);
void register_prove(CLI::App& app, int& exit_code);
void register_verify(CLI::App& app, int& exit_code);
void register_export_verifier(CLI::App& app, int& exit_code);
void register_zkey(CLI::App& app, int& exit_code);
void register_demo(CLI::App& app, int& exit_code);
void register_crypto(CLI::App& app, int& exit_code);
void register_node(CLI::App& app, int& exit_code);
void register_wallet(CLI::App& app, int& exit_code);
void register_rpc_bench(CLI::App& app, int& exit_code);
void register_bench(CLI::App& app, int& exit_code);
void register_setup_batch(CLI::App& app, int& exit_code);  // cmd_devnet.cpp
void register_devnet(CLI::App& app, int& exit_code);
void register_prover(CLI::App& app, int& exit_code);   // cmd_prover.cpp
void register_deploy(CLI::App& app, int& exit_code);   // cmd_deploy.cpp
void register_batch_witness(CLI::App& app, int& exit_code);
void register_sync(CLI::App& app, int& exit_code);      // cmd_sync.cpp

/// Prints "error: <what>" to stderr and returns 1.
int fail(const std::string& what);
/// Prints "error: <path>: <reason>" to stderr and returns 1.
int file_error(const std::string& path, snark::FileError e);

}  // namespace zkamm::app
