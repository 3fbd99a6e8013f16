// THE ORACLE: tests/tx/oracles/sign_tx.js rebuilds M from each transaction's JSON with the
// documented packing (its own code, BigInt arithmetic) and signs it with circomlibjs 0.1.7.
// We must compute the same six inputs and M, derive the same public key, and accept its
// signatures; circomlibjs' signatures are deterministic, so ours must equal them byte for byte.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/process.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

struct Case {
  Tx tx;
  Domain domain;
  hash::PrivateKey prv;
};

TEST(TxOracle, CircomlibjsSignsOurDocumentedMessage) {
  const std::filesystem::path src = ZKAMM_SOURCE_DIR;
  if (!std::filesystem::exists(src / "node_modules" / "circomlibjs")) {
    GTEST_SKIP() << "circomlibjs not found in " << (src / "node_modules") << ": run `npm ci`";
  }
  std::mt19937_64 rng(zkamm::testing::test_seed("tx oracle"));
  std::vector<Case> cases;
  for (int round = 0; round < 3; ++round) {
    for (const TxType ty : testing::kL2Types) {
      Case c{testing::random_tx(rng, ty), {}, {}};
      c.domain.chain_id = round == 0 ? ~uint64_t{0} : rng();
      for (auto& b : c.domain.rollup) b = static_cast<uint8_t>(round == 0 ? 0xff : rng());
      for (auto& b : c.prv) b = static_cast<uint8_t>(rng());
      cases.push_back(c);
    }
  }
  nlohmann::json req = nlohmann::json::array();
  for (const Case& c : cases) {
    req.push_back({{"tx", to_json(c.tx)},
                   {"domain", {{"chain_id", std::to_string(c.domain.chain_id)},
                               {"rollup", to_hex0x(c.domain.rollup.data(), 20)}}},
                   {"prv", to_hex0x(c.prv.data(), 32)}});
  }
  const zkamm::testing::NodeOracleRun run = zkamm::testing::run_node_oracle(src / "tests/tx/oracles/sign_tx.js", req);
  ASSERT_EQ(run.status, 0) << run.cmd;
  const nlohmann::json& ans = run.answer;
  ASSERT_TRUE(ans.is_array() && ans.size() == cases.size()) << run.out;

  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const nlohmann::json& a = ans[i];
    SCOPED_TRACE(to_json(c.tx).dump());
    const auto ins = message_inputs(c.tx, c.domain);
    ASSERT_TRUE(ins);
    for (std::size_t k = 0; k < kMessageInputs; ++k) EXPECT_EQ((*ins)[k].to_decimal(), a["inputs"][k]) << "input " << k;
    const auto m = message_hash(c.tx, c.domain);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->to_decimal(), a["M"]);

    const auto pub = hash::eddsa_public_key(c.prv);
    EXPECT_EQ(pub.x.to_decimal(), a["A"][0]);
    EXPECT_EQ(pub.y.to_decimal(), a["A"][1]);
    PackedPubKey packed{};
    PackedSignature sig{};
    Tx theirs = c.tx;
    {
      // Their signature and key, parsed back through our JSON form.
      nlohmann::json j = to_json(c.tx);
      j["signature"] = a["signature"];
      const JsonParse p = from_json(j);
      ASSERT_TRUE(p.tx) << p.error;
      theirs = *p.tx;
      nlohmann::json kj = to_json(Tx{CreateAccount{}});
      kj["pubkey"] = a["pub"];
      const JsonParse pk = from_json(kj);
      ASSERT_TRUE(pk.tx) << pk.error;
      packed = std::get<CreateAccount>(*pk.tx).pubkey;
      sig = std::visit([](const auto& x) -> PackedSignature {
        if constexpr (requires { x.signature; }) return x.signature;
        else return {};
      }, theirs);
    }
    EXPECT_TRUE(verify(theirs, pub, c.domain));
    EXPECT_TRUE(verify(theirs, packed, c.domain));
    Domain other = c.domain;
    other.chain_id ^= 1;
    EXPECT_FALSE(verify(theirs, pub, other));

    Tx ours = c.tx;
    ASSERT_TRUE(sign(ours, c.prv, c.domain));
    EXPECT_EQ(ours, theirs) << "our signature differs from circomlibjs' " << to_hex0x(sig.data(), 64);
  }
}

}  // namespace
}  // namespace zkamm::tx
