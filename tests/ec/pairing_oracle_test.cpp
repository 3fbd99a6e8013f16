// The pairing against ffjavascript (snarkjs' curve library) as an independent oracle: the full
// Fq12 value, not only bilinearity, so snarkjs' vk_alphabeta_12 style values agree with ours.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "ec/pairing.hpp"
#include "common/process.hpp"
#include "common/seed.hpp"

namespace zkamm::ec {
namespace {

std::vector<std::string> fq12_decimals(const Fq12& e) {
  std::vector<std::string> out;
  for (const auto* s : {&e.c0, &e.c1}) {
    for (const auto* c : {&s->c0, &s->c1, &s->c2}) {
      out.push_back(c->c0.to_decimal());
      out.push_back(c->c1.to_decimal());
    }
  }
  return out;
}

TEST(PairingOracle, GeneratorsFixedValue) {
  // e(G1, G2) as printed by ffjavascript 0.3 buildBn128 (tests/ec/oracles/pairing_oracle.cjs 1:1).
  const std::vector<std::string> want = {
      "17264119758069723980713015158403419364912226240334615592005620718956030922389",
      "1300711225518851207585954685848229181392358478699795190245709208408267917898",
      "8894217292938489450175280157304813535227569267786222825147475294561798790624",
      "1829859855596098509359522796979920150769875799037311140071969971193843357227",
      "4968700049505451466697923764727215585075098085662966862137174841375779106779",
      "12814315002058128940449527172080950701976819591738376253772993495204862218736",
      "4233474252585134102088637248223601499779641130562251948384759786370563844606",
      "9420544134055737381096389798327244442442230840902787283326002357297404128074",
      "13457906610892676317612909831857663099224588803620954529514857102808143524905",
      "5122435115068592725432309312491733755581898052459744089947319066829791570839",
      "8891987925005301465158626530377582234132838601606565363865129986128301774627",
      "440796048150724096437130979851431985500142692666486515369083499585648077975"};
  EXPECT_EQ(fq12_decimals(pairing(G1Affine::generator(), G2Affine::generator())), want);
}

TEST(PairingOracle, RandomScalarsAgainstFfjavascript) {
  const std::string modules = ZKAMM_SOURCE_DIR "/node_modules";
  if (!std::filesystem::exists(modules + "/ffjavascript")) GTEST_SKIP() << "ffjavascript not installed";
  auto rng = zkamm::testing::seeded_rng("PairingOracle.Random", 40);
  std::vector<std::pair<Fr, Fr>> cases;
  std::ostringstream cmd;
  cmd << "node " ZKAMM_SOURCE_DIR "/tests/ec/oracles/pairing_oracle.cjs " << modules;
  for (int i = 0; i < 3; ++i) {
    cases.emplace_back(Fr::random(rng), Fr::random(rng));
    cmd << ' ' << cases.back().first.to_decimal() << ':' << cases.back().second.to_decimal();
  }
  const auto run = zkamm::testing::run_command(cmd.str());
  const std::string& output = run.out;
  if (!run.ok() && output.empty()) GTEST_SKIP() << "node not runnable (status " << run.status << ")";
  std::istringstream lines(output);
  for (const auto& [a, b] : cases) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << output;
    std::istringstream words(line);
    std::vector<std::string> got;
    for (std::string w; words >> w;) got.push_back(w);
    const Fq12 e = pairing((G1::generator() * a).to_affine(), (G2::generator() * b).to_affine());
    EXPECT_EQ(fq12_decimals(e), got) << "a=" << a.to_decimal() << " b=" << b.to_decimal();
  }
}

}  // namespace
}  // namespace zkamm::ec
