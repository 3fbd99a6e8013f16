// zkamm prove / verify: snarkjs-compatible files in and out.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <type_traits>

#include "app/commands.hpp"
#include "cuda/select.hpp"
#include "snark/json_io.hpp"
#include "snark/solidity_verifier.hpp"
#include "snark/wtns_file.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::app {
namespace {

using namespace zkamm::snark;

/// Reads a JSON file and decodes it; on failure prints "<path>: <reason>" and returns nullopt.
template <class Decode>
auto load_json(const std::string& path, Decode decode) -> std::optional<std::decay_t<decltype(*decode(""))>> {
  auto text = read_text_file(path);
  if (!text) {
    file_error(path, text.error());
    return std::nullopt;
  }
  auto value = decode(*text);
  if (!value) {
    file_error(path, value.error());
    return std::nullopt;
  }
  return std::move(*value);
}

int run_prove(const std::string& zkey_path, const std::string& wtns_path, const std::string& proof_path,
              const std::string& public_path, bool check, const std::string& backend_name, unsigned repeat) {
  std::string backend_error;
  ProverBackend* backend = cuda::backend_by_name(backend_name, &backend_error);
  if (backend == nullptr) return fail(backend_error);
  // Mapped, not read: the prover reads the point sections in place (no decoded copy in memory).
  auto zkey = MappedZkey::open(zkey_path);
  if (!zkey) return file_error(zkey_path, zkey.error());
  const ProverKeyView& pk = zkey->prover_key();
  auto witness = read_wtns(wtns_path);
  if (!witness) return file_error(wtns_path, witness.error());
  if (witness->size() != pk.num_vars)
    return fail(wtns_path + ": witness has " + std::to_string(witness->size()) + " values, the circuit " +
                std::to_string(pk.num_vars));
  if (!(*witness)[0].is_one()) return fail(wtns_path + ": witness[0] must be 1");
  // --repeat proves again with the same key: a GPU backend keeps the key on the device after the
  // first proof, so the later times are those of a long-running `zkamm prover`.
  std::optional<Proof> proof;
  for (unsigned round = 0; round < std::max(repeat, 1u); ++round) {
    const auto t0 = std::chrono::steady_clock::now();
    try {
      proof = prove(pk, *witness, *backend);
    } catch (const std::exception& e) {  // a GPU error (out of memory, device lost): no proof, no abort
      return fail(std::string("prover failed on backend ") + backend->name() + ": " + e.what());
    }
    if (!proof) return fail(zkey_path + ": prover failed (inconsistent proving key)");
    std::cerr << "zkamm prove: backend " << backend->name() << ", proof " << round + 1 << ": "
              << std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() / 1000.0
              << " ms" << std::endl;
  }
  const std::span<const ff::Fr> pub(witness->data() + 1, pk.num_public);
  // The .zkey lacks matrix C, so the witness cannot be checked against the circuit directly;
  // verifying the fresh proof is the cheap equivalent (it fails iff a constraint is violated,
  // up to negligible probability).
  if (check && !verify(zkey->verification_key(), pub, *proof))
    return fail(wtns_path + ": the witness does not satisfy the circuit (proof does not verify)");
  if (auto e = write_text_file(proof_path, proof_to_json(*proof)); e != FileError::kOk) return file_error(proof_path, e);
  if (auto e = write_text_file(public_path, public_signals_to_json(pub)); e != FileError::kOk)
    return file_error(public_path, e);
  return 0;
}

int run_verify(const std::string& vk_path, const std::string& public_path, const std::string& proof_path) {
  const auto vk = load_json(vk_path, verification_key_from_json);
  if (!vk) return 1;
  const auto pub = load_json(public_path, public_signals_from_json);
  if (!pub) return 1;
  const auto proof = load_json(proof_path, proof_from_json);
  if (!proof) return 1;
  if (pub->size() != vk->num_public())
    return fail("expected " + std::to_string(vk->num_public()) + " public signals, got " + std::to_string(pub->size()));
  if (!verify(*vk, *pub, *proof)) return fail("invalid proof");
  std::cout << "OK\n";
  return 0;
}

int run_calldata(const std::string& public_path, const std::string& proof_path) {
  const auto pub = load_json(public_path, public_signals_from_json);
  if (!pub) return 1;
  const auto proof = load_json(proof_path, proof_from_json);
  if (!proof) return 1;
  std::cout << solidity_calldata(*proof, *pub) << "\n";
  return 0;
}

}  // namespace

void register_prove(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("prove", "Groth16 proof: circuit.zkey witness.wtns -> proof.json public.json");
  auto zkey = std::make_shared<std::string>();
  auto wtns = std::make_shared<std::string>();
  auto proof = std::make_shared<std::string>();
  auto pub = std::make_shared<std::string>();
  auto no_check = std::make_shared<bool>(false);
  auto backend = std::make_shared<std::string>("cpu");
  auto repeat = std::make_shared<unsigned>(1);
  cmd->add_option("circuit.zkey", *zkey)->required();
  cmd->add_option("witness.wtns", *wtns)->required();
  cmd->add_option("proof.json", *proof)->required();
  cmd->add_option("public.json", *pub)->required();
  cmd->add_flag("--no-check", *no_check, "write the proof even if it does not verify (testing)");
  cmd->add_option("--backend", *backend, "prover backend: cpu, or cuda (a GPU; docs/PERFORMANCE.md)")->capture_default_str();
  cmd->add_option("--repeat", *repeat, "prove this many times (timings on stderr; the last proof is written)")
      ->capture_default_str();
  cmd->callback([=, &exit_code] { exit_code = run_prove(*zkey, *wtns, *proof, *pub, !*no_check, *backend, *repeat); });

  auto* cd = app.add_subcommand("calldata", "verifyProof arguments for public.json proof.json (as snarkjs generatecall)");
  auto pub2 = std::make_shared<std::string>();
  auto proof2 = std::make_shared<std::string>();
  cd->add_option("public.json", *pub2)->required();
  cd->add_option("proof.json", *proof2)->required();
  cd->callback([=, &exit_code] { exit_code = run_calldata(*pub2, *proof2); });
}

void register_verify(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("verify", "check verification_key.json public.json proof.json; prints OK");
  auto vk = std::make_shared<std::string>();
  auto pub = std::make_shared<std::string>();
  auto proof = std::make_shared<std::string>();
  cmd->add_option("verification_key.json", *vk)->required();
  cmd->add_option("public.json", *pub)->required();
  cmd->add_option("proof.json", *proof)->required();
  cmd->callback([=, &exit_code] { exit_code = run_verify(*vk, *pub, *proof); });
}

}  // namespace zkamm::app
