#include "hash/poseidon.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/seed.hpp"
#include "hash/circomlib_oracle.hpp"

namespace zkamm::hash {

TEST(Poseidon, KnownAnswerTwoInputs) {
  // circomlibjs 0.1.7 poseidon([1, 2]) (also circomlib's test/poseidoncircuit.js)
  EXPECT_EQ(poseidon({Fr::from_u64(1), Fr::from_u64(2)}).to_decimal(),
            "7853200120776062878684798364095072458815029376092732009249414926327459813530");
}

TEST(Poseidon, InvalidWidthsGiveZero) {
  EXPECT_TRUE(poseidon(std::span<const Fr>{}).is_zero());
  std::vector<Fr> many(17, Fr::one());
  EXPECT_TRUE(poseidon(many).is_zero());
}

// Our Grain-LFSR constants against every constant circomlibjs ships (poseidon_constants.json,
// produced by the reference script generate_parameters_grain.sage).
TEST(Poseidon, GeneratedConstantsEqualCircomlibjs) {
  const auto path = std::filesystem::path(ZKAMM_SOURCE_DIR) / "node_modules/circomlibjs/src/poseidon_constants.json";
  std::ifstream in(path);
  ASSERT_TRUE(in.good()) << "missing " << path << ": run `npm ci` in the repository root";
  const auto j = nlohmann::json::parse(in);
  ASSERT_EQ(j["C"].size(), 16u);
  for (unsigned t = 2; t <= 17; ++t) {
    const PoseidonParams& p = poseidon_params(t);
    const auto& c = j["C"][t - 2];
    ASSERT_EQ(c.size(), p.round_constants.size()) << "t=" << t;
    for (size_t i = 0; i < c.size(); ++i) {
      ASSERT_EQ(ff::parse_u256(c[i].get<std::string>()), p.round_constants[i].to_canonical()) << "t=" << t << " C[" << i << "]";
    }
    const auto& m = j["M"][t - 2];
    ASSERT_EQ(m.size(), t);
    for (unsigned r = 0; r < t; ++r) {
      for (unsigned k = 0; k < t; ++k) {
        ASSERT_EQ(ff::parse_u256(m[r][k].get<std::string>()), p.mds[r * t + k].to_canonical()) << "t=" << t << " M[" << r << "][" << k << "]";
      }
    }
  }
}

void testing::check_Poseidon_EqualsCircomlibjsForOneToSixteenInputs(const testing::OracleRun& o) {
  const auto& want = o.answer["poseidon"];
  ASSERT_EQ(want.size(), o.poseidon_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(poseidon(o.poseidon_inputs[i]).to_decimal(), want[i].get<std::string>())
        << "inputs " << o.poseidon_inputs[i].size() << " case " << i << " seed " << o.seed;
  }
}

// The sparse-matrix permutation against the straightforward one (self-check; both are also
// compared with circomlibjs through poseidon()).
TEST(Poseidon, OptimizedPermutationEqualsReference) {
  auto rng = zkamm::testing::seeded_rng("Poseidon.OptimizedPermutationEqualsReference");
  for (unsigned t = 2; t <= 17; ++t) {
    std::vector<Fr> a(t);
    for (auto& v : a) v = Fr::random(rng);
    std::vector<Fr> b = a;
    poseidon_permute(a);
    poseidon_permute_reference(b);
    EXPECT_EQ(a, b) << "t=" << t;
  }
}

TEST(Poseidon, PermutationOutputZeroIsTheHash) {
  std::array<Fr, 3> state{Fr::zero(), Fr::from_u64(1), Fr::from_u64(2)};
  poseidon_permute(state);
  EXPECT_EQ(state[0], poseidon({Fr::from_u64(1), Fr::from_u64(2)}));
}

}  // namespace zkamm::hash
