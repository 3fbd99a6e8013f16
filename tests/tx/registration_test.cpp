// The L1 registration message (docs/TRANSACTIONS.md section 3.4, src/tx/registration.hpp).
// THE ORACLE: tests/tx/oracles/sign_registration.js packs the message with BigInt from the
// documented layout and signs it with circomlibjs 0.1.7; our inputs, message and (deterministic)
// signature must equal its own. The contract side is checked against the same oracle in
// contracts/test/EdDSAPoseidonVerifier.t.sol (RegistrationFixture.sol).
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/process.hpp"
#include "tx/json.hpp"
#include "tx/registration.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

struct RegistrationCase {
  Domain domain;
  L1Address owner{};
  hash::PrivateKey prv{};
};

TEST(Registration, CircomlibjsComputesAndSignsTheSameMessage) {
  const std::filesystem::path src = ZKAMM_SOURCE_DIR;
  ASSERT_TRUE(std::filesystem::exists(src / "node_modules" / "circomlibjs"))
      << "circomlibjs not found in " << (src / "node_modules") << ": run `npm ci`";
  std::mt19937_64 rng(zkamm::testing::test_seed("registration oracle"));
  std::vector<RegistrationCase> cases;
  for (int i = 0; i < 8; ++i) {
    RegistrationCase c;
    // case 0 at the widths' extremes, case 1 all zero, then random
    c.domain.chain_id = i == 0 ? ~uint64_t{0} : i == 1 ? 0 : rng();
    for (auto& b : c.domain.rollup) b = static_cast<uint8_t>(i == 0 ? 0xff : i == 1 ? 0 : rng());
    for (auto& b : c.owner) b = static_cast<uint8_t>(i == 0 ? 0xff : i == 1 ? 0 : rng());
    for (auto& b : c.prv) b = static_cast<uint8_t>(rng());
    cases.push_back(c);
  }
  nlohmann::json req = nlohmann::json::array();
  for (const RegistrationCase& c : cases) {
    req.push_back({{"chain_id", std::to_string(c.domain.chain_id)},
                   {"rollup", to_hex0x(c.domain.rollup.data(), 20)},
                   {"owner", to_hex0x(c.owner.data(), 20)},
                   {"prv", to_hex0x(c.prv.data(), 32)}});
  }
  const zkamm::testing::NodeOracleRun run = zkamm::testing::run_node_oracle(src / "tests/tx/oracles/sign_registration.js", req);
  ASSERT_EQ(run.status, 0) << run.cmd;
  const nlohmann::json& ans = run.answer;
  ASSERT_TRUE(ans.is_array() && ans.size() == cases.size()) << run.out;

  for (std::size_t i = 0; i < cases.size(); ++i) {
    const RegistrationCase& c = cases[i];
    const nlohmann::json& a = ans[i];
    SCOPED_TRACE("case " + std::to_string(i));
    const auto ins = registration_message_inputs(c.domain, c.owner);
    EXPECT_EQ(ins[0].to_decimal(), a["inputs"][0]);
    EXPECT_EQ(ins[1].to_decimal(), a["inputs"][1]);
    const ff::Fr m = registration_message(c.domain, c.owner);
    EXPECT_EQ(m.to_decimal(), a["M"]);
    const auto pub = hash::eddsa_public_key(c.prv);
    EXPECT_EQ(pub.x.to_decimal(), a["A"][0]);
    EXPECT_EQ(pub.y.to_decimal(), a["A"][1]);
    const hash::EddsaSignature sig = sign_registration(c.prv, c.domain, c.owner);
    EXPECT_EQ(sig.r8.x.to_decimal(), a["R8"][0]);
    EXPECT_EQ(sig.r8.y.to_decimal(), a["R8"][1]);
    EXPECT_EQ(ff::to_decimal(sig.s), a["S"]);
    EXPECT_TRUE(verify_registration(pub, c.domain, c.owner, sig));
  }
}

/// A signature registers the key for its owner on its chain and rollup only.
TEST(Registration, SignatureBindsOwnerChainAndRollup) {
  std::mt19937_64 rng(zkamm::testing::test_seed("registration binding"));
  for (int round = 0; round < 4; ++round) {
    RegistrationCase c;
    c.domain.chain_id = rng();
    for (auto& b : c.domain.rollup) b = static_cast<uint8_t>(rng());
    for (auto& b : c.owner) b = static_cast<uint8_t>(rng());
    for (auto& b : c.prv) b = static_cast<uint8_t>(rng());
    const auto pub = hash::eddsa_public_key(c.prv);
    const auto sig = sign_registration(c.prv, c.domain, c.owner);
    ASSERT_TRUE(verify_registration(pub, c.domain, c.owner, sig));

    L1Address other_owner = c.owner;
    other_owner[rng() % 20] ^= static_cast<uint8_t>(1u << (rng() % 8));
    EXPECT_FALSE(verify_registration(pub, c.domain, other_owner, sig));
    Domain other_chain = c.domain;
    other_chain.chain_id ^= uint64_t{1} << (rng() % 64);
    EXPECT_FALSE(verify_registration(pub, other_chain, c.owner, sig));
    Domain other_rollup = c.domain;
    other_rollup.rollup[rng() % 20] ^= static_cast<uint8_t>(1u << (rng() % 8));
    EXPECT_FALSE(verify_registration(pub, other_rollup, c.owner, sig));
    hash::PrivateKey other_key = c.prv;
    other_key[0] ^= 1;
    EXPECT_FALSE(verify_registration(hash::eddsa_public_key(other_key), c.domain, c.owner, sig));
    // The owner is not mixed with the domain: swapping the rollup and owner addresses changes M.
    Domain swapped = c.domain;
    std::copy(c.owner.begin(), c.owner.end(), swapped.rollup.begin());
    EXPECT_NE(registration_message(swapped, c.domain.rollup), registration_message(c.domain, c.owner));
  }
}

}  // namespace
}  // namespace zkamm::tx
