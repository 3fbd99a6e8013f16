// zkamm demo <dir>: builds a small circuit directly as an R1cs (a multiplication chain with
// several public inputs, a zero-valued wire and repeated terms), writes it and its witness in
// circom's formats, then runs setup, prove and verify, writing every file snarkjs would.
#include <filesystem>
#include <stdexcept>
#include <iostream>

#include "app/commands.hpp"
#include "snark/json_io.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/solidity_verifier.hpp"
#include "snark/wtns_file.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::app {
namespace {

using namespace zkamm::snark;
using ff::Fr;

struct Demo {
  R1cs r1cs;
  std::vector<Fr> witness;
};

/// Wires: 0 = 1 | 1 = out (public output) | 2..P+1 = x_1..x_P (public inputs) | s (private input)
/// | m_1..m_L | z. Constraints:
///   m_1 = (x_1 + x_1) * s                     (a wire repeated inside one linear combination)
///   m_j = (m_{j-1} + x_k) * (m_{j-1} + 3)     (k cycles through the public inputs; constant wire)
///   z   = (x_1 - x_1) * s                     (z is always 0)
///   z * m_L = 0                               (an empty C)
///   (m_L + z) * 1 = out
Demo build_demo(uint32_t length, uint32_t n_inputs, uint64_t seed) {
  Demo d;
  const uint32_t out = 1, x0 = 2, s = x0 + n_inputs, m0 = s + 1, z = m0 + length;
  R1cs& r = d.r1cs;
  r.num_wires = z + 1;
  r.num_public_outputs = 1;
  r.num_public_inputs = n_inputs;
  r.num_private_inputs = 1;
  r.num_labels = r.num_wires;
  const Fr one = Fr::one(), three = Fr::from_u64(3);
  auto& w = d.witness;
  w.assign(r.num_wires, Fr::zero());
  w[0] = one;
  for (uint32_t i = 0; i < n_inputs; ++i) w[x0 + i] = Fr::from_u64(seed * 7 + 3 * i + 2);
  w[s] = Fr::from_u64(seed + 5);

  r.constraints.push_back({{{x0, one}, {x0, one}}, {{s, one}}, {{m0, one}}});
  w[m0] = (w[x0] + w[x0]) * w[s];
  for (uint32_t j = 1; j < length; ++j) {
    const uint32_t k = x0 + (j % n_inputs), prev = m0 + j - 1;
    r.constraints.push_back({{{prev, one}, {k, one}}, {{prev, one}, {0, three}}, {{m0 + j, one}}});
    w[m0 + j] = (w[prev] + w[k]) * (w[prev] + three);
  }
  const uint32_t last = m0 + length - 1;
  r.constraints.push_back({{{x0, one}, {x0, -one}}, {{s, one}}, {{z, one}}});
  r.constraints.push_back({{{z, one}}, {{last, one}}, {}});
  r.constraints.push_back({{{last, one}, {z, one}}, {{0, one}}, {{out, one}}});
  w[out] = w[last];
  return d;
}

int run_demo(const std::string& dir, uint32_t length, uint32_t n_inputs, uint64_t seed) {
  namespace fs = std::filesystem;
  if (length == 0 || n_inputs == 0 || length > 1000000 || n_inputs > 1000) return fail("need 1 <= length <= 1e6, 1 <= inputs <= 1000");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(dir + ": " + ec.message());
  const Demo d = build_demo(length, n_inputs, seed);
  if (!d.r1cs.is_satisfied(d.witness)) return fail("internal: demo witness does not satisfy the demo circuit");
  const auto path = [&](const char* name) { return (fs::path(dir) / name).string(); };
  auto check = [&](FileError e, const std::string& p) {
    if (e != FileError::kOk) throw std::runtime_error(p + ": " + to_string(e));
  };
  check(write_r1cs(path("demo.r1cs"), d.r1cs), path("demo.r1cs"));
  check(write_wtns(path("demo.wtns"), d.witness), path("demo.wtns"));
  std::cout << "circuit: " << d.r1cs.constraints.size() << " constraints, " << d.r1cs.num_wires << " wires, "
            << d.r1cs.num_public() << " public signals -> demo.r1cs, demo.wtns\n";
  auto pk = setup_dev(d.r1cs);
  if (!pk) return fail("setup failed");
  check(write_zkey(path("demo.zkey"), *pk), path("demo.zkey"));
  const VerificationKey vk = verification_key(*pk);
  check(write_text_file(path("verification_key.json"), verification_key_to_json(vk)), "verification_key.json");
  check(write_text_file(path("Verifier.sol"), *export_solidity_verifier(vk)), "Verifier.sol");
  std::cout << "setup (development keys): domain " << pk->domain_size
            << " -> demo.zkey, verification_key.json, Verifier.sol\n";
  auto proof = prove(*pk, d.witness);
  if (!proof) return fail("prover failed");
  const std::span<const Fr> pub(d.witness.data() + 1, d.r1cs.num_public());
  check(write_text_file(path("proof.json"), proof_to_json(*proof)), "proof.json");
  check(write_text_file(path("public.json"), public_signals_to_json(pub)), "public.json");
  std::cout << "prove -> proof.json, public.json\n";
  if (!verify(vk, pub, *proof)) return fail("the demo proof does not verify");
  std::cout << "verify: OK\n";
  return 0;
}

}  // namespace

void register_demo(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "build a demo circuit and run setup, prove and verify in <dir>");
  auto dir = std::make_shared<std::string>();
  auto length = std::make_shared<uint32_t>(4);
  auto inputs = std::make_shared<uint32_t>(3);
  auto seed = std::make_shared<uint64_t>(1);
  cmd->add_option("dir", *dir)->required();
  cmd->add_option("--length", *length, "multiplications in the chain")->capture_default_str();
  cmd->add_option("--inputs", *inputs, "public inputs")->capture_default_str();
  cmd->add_option("--seed", *seed, "chooses the input values")->capture_default_str();
  cmd->callback([=, &exit_code] { exit_code = run_demo(*dir, *length, *inputs, *seed); });
}

}  // namespace zkamm::app
