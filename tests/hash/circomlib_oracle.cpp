#include "hash/circomlib_oracle.hpp"

#include "common/process.hpp"
#include "common/seed.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

namespace zkamm::hash::testing {
namespace {

using ec::BabyJubAffine;
using ff::Fr;
using ff::U256;

nlohmann::json dec(const BabyJubAffine& p) { return {p.x.to_decimal(), p.y.to_decimal()}; }

OracleRun build() {
  OracleRun run;
  run.seed = zkamm::testing::test_seed("hash oracle");
  std::mt19937_64 rng(run.seed);
  nlohmann::json req;

  for (size_t n = 1; n <= 16; ++n) {
    for (int k = 0; k < 3; ++k) {
      std::vector<Fr> in(n);
      for (auto& v : in) v = Fr::random(rng);
      if (k == 0) {  // small inputs too
        for (size_t i = 0; i < n; ++i) in[i] = Fr::from_u64(i + 1);
      }
      run.poseidon_inputs.push_back(in);
    }
  }
  for (const auto& in : run.poseidon_inputs) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& v : in) a.push_back(v.to_decimal());
    req["poseidon"].push_back(a);
  }

  const BabyJubAffine g = BabyJubAffine::generator();
  const BabyJubAffine b8 = BabyJubAffine::base8();
  std::vector<BabyJubAffine> pts = {g, b8, BabyJubAffine::identity()};
  for (int k = 0; k < 6; ++k) pts.push_back(ec::mul(g, U256{rng(), rng(), rng(), rng() >> 4}));
  for (const auto& p : pts) {
    // circomlibjs' mulPointEscalar is bit-serial: keep scalars < 2^253 to bound its run time
    run.mul_inputs.emplace_back(p, U256{rng(), rng(), rng(), rng() >> 3});
    run.mul_inputs.emplace_back(p, U256{rng() & 0xff, 0, 0, 0});
    run.mul_inputs.emplace_back(p, U256{0, 0, 0, 0});
  }
  run.mul_inputs.emplace_back(g, ec::BabyJubScalarSpec::kModulus);  // l*G: an 8-torsion point
  for (const auto& [p, e] : run.mul_inputs) req["mul"].push_back({{"p", dec(p)}, {"e", ff::to_decimal(e)}});
  for (size_t i = 0; i < pts.size(); ++i) {
    run.add_inputs.emplace_back(pts[i], pts[(i + 1) % pts.size()]);
    run.add_inputs.emplace_back(pts[i], pts[i]);
    run.add_inputs.emplace_back(pts[i], -pts[i]);
  }
  for (const auto& [p, q] : run.add_inputs) req["add"].push_back(nlohmann::json::array({dec(p), dec(q)}));
  run.pack_inputs = pts;
  for (const auto& p : pts) run.pack_inputs.push_back(-p);
  for (const auto& p : run.pack_inputs) req["pack"].push_back(dec(p));
  for (int k = 0; k < 24; ++k) {
    std::array<uint8_t, 32> b{};
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    if (k % 2 == 0) b[31] &= 0xbf;  // keep y below r for half of them (then ~half are points)
    run.unpack_inputs.push_back(b);
  }
  for (const auto& p : run.pack_inputs) run.unpack_inputs.push_back(ec::pack_point(p));
  for (const auto& b : run.unpack_inputs) req["unpack"].push_back(to_hex(b.data(), 32));
  run.subgroup_inputs = {g, b8, pts[3], ec::mul(g, ec::BabyJubScalarSpec::kModulus), ec::mul(b8, U256{rng(), rng(), 0, 0})};
  for (const auto& p : run.subgroup_inputs) req["in_subgroup"].push_back(dec(p));

  for (size_t len : {0u, 1u, 3u, 32u, 64u, 110u, 111u, 112u, 127u, 128u, 129u, 200u, 239u, 240u, 255u, 256u, 300u}) {
    std::vector<uint8_t> m(len);
    for (auto& x : m) x = static_cast<uint8_t>(rng());
    run.blake_inputs.push_back(m);
    req["blake512"].push_back(to_hex(m.data(), m.size()));
  }

  for (int k = 0; k < 6; ++k) {
    PrivateKey prv{};
    for (auto& x : prv) x = static_cast<uint8_t>(rng());
    const Fr msg = k == 0 ? Fr::zero() : Fr::random(rng);
    run.sign_inputs.emplace_back(prv, msg);
    req["sign"].push_back({{"prv", to_hex(prv.data(), 32)}, {"msg", msg.to_decimal()}});
    const EddsaSignature sig = eddsa_sign_poseidon(prv, msg);
    run.our_signatures.push_back(sig);
    const BabyJubAffine a = eddsa_public_key(prv);
    req["verify"].push_back({{"A", dec(a)}, {"msg", msg.to_decimal()}, {"R8", dec(sig.r8)}, {"S", ff::to_decimal(sig.s)}});
  }

  const std::filesystem::path src = ZKAMM_SOURCE_DIR;
  if (!std::filesystem::exists(src / "node_modules" / "circomlibjs")) {
    run.error = "circomlibjs not found in " + (src / "node_modules").string() + ": run `npm ci` in the repository root";
    return run;
  }
  const auto oracle = zkamm::testing::run_node_oracle(src / "tests/hash/oracles/circomlib_oracle.mjs", req);
  if (!oracle.ok()) {
    run.error = "oracle failed (status " + std::to_string(oracle.status) + "): " + oracle.cmd;
    return run;
  }
  run.answer = oracle.answer;
  if (run.answer.is_discarded()) run.error = "oracle printed no JSON: " + oracle.out.substr(0, 200);
  return run;
}

}  // namespace

const OracleRun& oracle() {
  static const OracleRun run = build();
  return run;
}

Fr fr(const nlohmann::json& decimal) {
  const auto v = Fr::from_decimal(decimal.get<std::string>());
  return v ? *v : Fr::zero();
}

BabyJubAffine point(const nlohmann::json& xy) { return {fr(xy[0]), fr(xy[1])}; }

std::string to_hex(const uint8_t* data, size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += digits[data[i] >> 4];
    s += digits[data[i] & 15];
  }
  return s;
}

}  // namespace zkamm::hash::testing
