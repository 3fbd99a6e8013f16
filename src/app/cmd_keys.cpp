// zkamm setup / export-verifier / zkey export-vk: Groth16 key generation and key exports.
#include <iostream>
#include <optional>

#include "app/commands.hpp"
#include "snark/json_io.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/solidity_verifier.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::app {
namespace {

using namespace zkamm::snark;

int run_setup(const std::string& r1cs_path, const std::string& zkey_path, const std::string& vk_path,
              const std::string& sol_path) {
  auto r1cs = read_r1cs(r1cs_path);
  if (!r1cs) return file_error(r1cs_path, r1cs.error());
  auto pk = setup_dev(*r1cs);
  if (!pk) return fail(r1cs_path + ": circuit not supported by the setup (too large or malformed)");
  if (auto e = write_zkey(zkey_path, *pk); e != FileError::kOk) return file_error(zkey_path, e);
  std::cout << "setup: " << r1cs->constraints.size() << " constraints, " << r1cs->num_wires << " wires, "
            << r1cs->num_public() << " public, domain " << pk->domain_size << " -> " << zkey_path << "\n"
            << "warning: development setup (single party); do not use these keys in production\n";
  const VerificationKey vk = verification_key(*pk);
  if (!vk_path.empty()) {
    if (auto e = write_text_file(vk_path, verification_key_to_json(vk)); e != FileError::kOk)
      return file_error(vk_path, e);
    std::cout << "verification key -> " << vk_path << "\n";
  }
  if (!sol_path.empty()) {
    auto sol = export_solidity_verifier(vk);
    if (!sol) return fail("a Solidity verifier needs at least one public signal");
    if (auto e = write_text_file(sol_path, *sol); e != FileError::kOk) return file_error(sol_path, e);
    std::cout << "Solidity verifier -> " << sol_path << "\n";
  }
  return 0;
}

int run_export_vk(const std::string& zkey_path, const std::string& vk_path) {
  auto pk = read_zkey(zkey_path);
  if (!pk) return file_error(zkey_path, pk.error());
  if (auto e = write_text_file(vk_path, verification_key_to_json(verification_key(*pk))); e != FileError::kOk)
    return file_error(vk_path, e);
  return 0;
}

int run_export_verifier(const std::string& zkey_path, const std::string& sol_path,
                        std::optional<BatchCircuitId> batch) {
  auto pk = read_zkey(zkey_path);
  if (!pk) return file_error(zkey_path, pk.error());
  auto sol = export_solidity_verifier(verification_key(*pk), "Groth16Verifier", batch);
  if (!sol) return fail("a Solidity verifier needs at least one public signal");
  if (auto e = write_text_file(sol_path, *sol); e != FileError::kOk) return file_error(sol_path, e);
  return 0;
}

}  // namespace

void register_setup(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("setup", "Groth16 development setup: circuit.r1cs -> circuit.zkey");
  auto r1cs = std::make_shared<std::string>();
  auto zkey = std::make_shared<std::string>();
  auto vk = std::make_shared<std::string>();
  auto sol = std::make_shared<std::string>();
  cmd->add_option("circuit.r1cs", *r1cs)->required();
  cmd->add_option("circuit.zkey", *zkey)->required();
  cmd->add_option("--vk", *vk, "also write verification_key.json");
  cmd->add_option("--verifier", *sol, "also write a Solidity verifier");
  cmd->callback([=, &exit_code] { exit_code = run_setup(*r1cs, *zkey, *vk, *sol); });
}

void register_export_verifier(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("export-verifier", "Solidity verifier for circuit.zkey");
  auto zkey = std::make_shared<std::string>();
  auto sol = std::make_shared<std::string>();
  auto kind = std::make_shared<unsigned>(0);
  auto slots = std::make_shared<uint32_t>(0);
  cmd->add_option("circuit.zkey", *zkey)->required();
  cmd->add_option("Verifier.sol", *sol)->required();
  // What ZkammRollup's constructor reads back with batchCircuit() (docs/CONTRACTS.md).
  auto* n = cmd->add_option("--num-slots", *slots, "the zkamm batch circuit's num_slots: adds batchCircuit()")
                ->check(CLI::Range(1u, (1u << 24) - 1));
  cmd->add_option("--batch-kind", *kind, "with --num-slots: 0 universal, 1 swap")->check(CLI::Range(0u, 1u))->needs(n);
  cmd->callback([=, &exit_code] {
    std::optional<BatchCircuitId> batch;
    if (*slots != 0) batch = BatchCircuitId{static_cast<uint8_t>(*kind), *slots};
    exit_code = run_export_verifier(*zkey, *sol, batch);
  });
}

void register_zkey(CLI::App& app, int& exit_code) {
  auto* zk = app.add_subcommand("zkey", "proving-key tools");
  zk->require_subcommand(1);
  auto* cmd = zk->add_subcommand("export-vk", "verification_key.json from circuit.zkey (as snarkjs zkey export verificationkey)");
  auto zkey = std::make_shared<std::string>();
  auto vk = std::make_shared<std::string>();
  cmd->add_option("circuit.zkey", *zkey)->required();
  cmd->add_option("verification_key.json", *vk)->required();
  cmd->callback([=, &exit_code] { exit_code = run_export_vk(*zkey, *vk); });
}

}  // namespace zkamm::app
