// Interoperability with snarkjs 0.7.6 (the independent oracle for Groth16 semantics):
//   - proofs made here verify in `snarkjs groth16 verify`;
//   - keys made by `snarkjs groth16 setup` (+ a phase-2 contribution) prove here;
//   - keys made here prove in `snarkjs groth16 prove`, and those proofs verify here.
// The tiny powers-of-tau file (2^5) is made once and cached in the build folder.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "groth16_test_util.hpp"
#include "snark/groth16.hpp"
#include "snark/json_io.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/wtns_file.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::snark {
namespace {

namespace fs = std::filesystem;
using ff::Fr;
using zkamm::testing::test_seed;

const std::string kSnarkjs = std::string(ZKAMM_SOURCE_DIR) + "/node_modules/.bin/snarkjs";

int sh(const std::string& cmd) {
  const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

class Groth16Snarkjs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kSnarkjs) || sh("node --version") != 0) return;
    const fs::path cache = fs::path(ZKAMM_BINARY_DIR) / "test-cache";
    fs::create_directories(cache);
    ptau_ = (cache / "groth16_pot5.ptau").string();
    if (fs::exists(ptau_)) return;
    // Made in a private folder and renamed into place, so parallel test processes never see a
    // half-written file. A contribution is needed: an uncontributed ptau has tau = 1.
    const fs::path tmp = cache / ("pot5-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    const std::string p0 = (tmp / "0.ptau").string(), p1 = (tmp / "1.ptau").string(),
                      p2 = (tmp / "2.ptau").string();
    if (sh(kSnarkjs + " powersoftau new bn128 5 " + p0) == 0 &&
        sh(kSnarkjs + " powersoftau contribute " + p0 + " " + p1 + " -e=zkamm-groth16-test") == 0 &&
        sh(kSnarkjs + " powersoftau prepare phase2 " + p1 + " " + p2) == 0) {
      fs::rename(p2, ptau_);
    }
    fs::remove_all(tmp);
  }

  void SetUp() override {
    if (ptau_.empty() || !fs::exists(ptau_)) GTEST_SKIP() << "snarkjs/node unavailable";
    dir_ = fs::temp_directory_path() / ("zkamm-groth16-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string path(const char* name) const { return (dir_ / name).string(); }

  bool snarkjs_verifies(const VerificationKey& vk, std::span<const Fr> pub, const Proof& proof) const {
    EXPECT_EQ(write_text_file(path("vk.json"), verification_key_to_json(vk)), FileError::kOk);
    EXPECT_EQ(write_text_file(path("public.json"), public_signals_to_json(pub)), FileError::kOk);
    EXPECT_EQ(write_text_file(path("proof.json"), proof_to_json(proof)), FileError::kOk);
    return sh(kSnarkjs + " groth16 verify " + path("vk.json") + " " + path("public.json") + " " +
              path("proof.json")) == 0;
  }

  static inline std::string ptau_;
  fs::path dir_;
};

TEST_F(Groth16Snarkjs, OurProofsVerifyInSnarkjs) {
  std::mt19937_64 rng(test_seed("Groth16Snarkjs.OurProofs"));
  const auto in = testing::multi_public(Fr::random(rng), Fr::random(rng), Fr::zero(), Fr::random(rng), Fr::random(rng));
  const auto pk = setup_dev(in.r1cs);
  ASSERT_TRUE(pk.has_value());
  const auto vk = verification_key(*pk);
  const auto proof = prove(*pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  const auto pub = in.public_inputs();
  EXPECT_TRUE(snarkjs_verifies(vk, pub, *proof));
  auto wrong = pub;
  wrong[2] += Fr::one();
  EXPECT_FALSE(snarkjs_verifies(vk, wrong, *proof));
}

TEST_F(Groth16Snarkjs, SnarkjsKeysProveHere) {
  std::mt19937_64 rng(test_seed("Groth16Snarkjs.SnarkjsKeys"));
  const auto in = testing::multi_public(Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::zero());
  ASSERT_EQ(write_r1cs(path("c.r1cs"), in.r1cs), FileError::kOk);
  ASSERT_EQ(sh(kSnarkjs + " groth16 setup " + path("c.r1cs") + " " + ptau_ + " " + path("c0.zkey")), 0);
  // A phase-2 contribution makes delta a real secret (setup alone leaves delta = 1).
  ASSERT_EQ(sh(kSnarkjs + " zkey contribute " + path("c0.zkey") + " " + path("c1.zkey") + " -e=zkamm"), 0);
  ASSERT_EQ(sh(kSnarkjs + " zkey export verificationkey " + path("c1.zkey") + " " + path("vk_snarkjs.json")), 0);
  auto pk = read_zkey(path("c1.zkey"));
  ASSERT_TRUE(pk.ok()) << to_string(pk.error());
  EXPECT_EQ(pk->domain_size, groth16_domain_size(in.r1cs.constraints.size(), in.r1cs.num_public()));
  auto vk_text = read_text_file(path("vk_snarkjs.json"));
  ASSERT_TRUE(vk_text.ok());
  auto vk = verification_key_from_json(*vk_text);
  ASSERT_TRUE(vk.ok()) << to_string(vk.error());

  const auto proof = prove(*pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  const auto pub = in.public_inputs();
  EXPECT_TRUE(verify(*vk, pub, *proof));
  EXPECT_TRUE(verify(verification_key(*pk), pub, *proof));
  EXPECT_TRUE(snarkjs_verifies(*vk, pub, *proof));

  // A witness that breaks a constraint gives a proof that snarkjs rejects too.
  auto bad = in.witness;
  bad[6] += Fr::one();  // m != p1 * p2
  const auto bad_proof = prove(*pk, bad);
  ASSERT_TRUE(bad_proof.has_value());
  EXPECT_FALSE(verify(*vk, pub, *bad_proof));
  EXPECT_FALSE(snarkjs_verifies(*vk, pub, *bad_proof));
}

TEST_F(Groth16Snarkjs, OurKeysProveInSnarkjs) {
  std::mt19937_64 rng(test_seed("Groth16Snarkjs.OurKeys"));
  const auto in = testing::power_chain(6, Fr::random(rng));
  const auto pk = setup_dev(in.r1cs);
  ASSERT_TRUE(pk.has_value());
  ASSERT_EQ(write_zkey(path("ours.zkey"), *pk), FileError::kOk);
  ASSERT_EQ(write_wtns(path("w.wtns"), in.witness), FileError::kOk);
  ASSERT_EQ(sh(kSnarkjs + " groth16 prove " + path("ours.zkey") + " " + path("w.wtns") + " " + path("p.json") + " " +
               path("pub.json")),
            0);
  auto proof_text = read_text_file(path("p.json"));
  auto pub_text = read_text_file(path("pub.json"));
  ASSERT_TRUE(proof_text.ok() && pub_text.ok());
  auto proof = proof_from_json(*proof_text);
  auto pub = public_signals_from_json(*pub_text);
  ASSERT_TRUE(proof.ok() && pub.ok());
  EXPECT_EQ(*pub, in.public_inputs());
  EXPECT_TRUE(verify(verification_key(*pk), *pub, *proof));
}

}  // namespace
}  // namespace zkamm::snark
