// A 2-slot batch (a swap and a withdraw) and a 2-slot swap batch proven with our Groth16 prover
// (dev setup) and checked by our verifier and by `snarkjs groth16 verify` (the independent
// oracle); the public signal is the batch's single input, recomputed natively from the header and
// public data bytes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "batch_fixture.hpp"
#include "batch/prover.hpp"
#include "snark/groth16.hpp"
#include "snark/json_io.hpp"

namespace zkamm::batch::testing {
namespace {

namespace fs = std::filesystem;

int sh(const std::string& cmd) {
  const int rc = std::system((cmd + " >/dev/null 2>&1").c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

/// Proves b's witness for params with a dev setup; our verifier and snarkjs accept the proof with
/// b's public input and reject it with that input + 1.
void expect_proof_verifies_here_and_in_snarkjs(const BatchParams& params, const snark::R1cs& r1cs, const Built& b) {
  const std::vector<Fr> wit = witness_vector(params, b.w);
  ASSERT_TRUE(r1cs.is_satisfied(wit));

  const auto pk = snark::setup_dev(r1cs);
  ASSERT_TRUE(pk.has_value());
  const auto bp = prove(*pk, params, b.w);
  ASSERT_TRUE(bp.has_value());
  ASSERT_EQ(bp->public_input, b.w.public_input);
  const auto proof = std::optional<snark::Proof>(bp->proof);
  const snark::VerificationKey vk = snark::verification_key(*pk);
  const std::vector<Fr> pub = {b.w.public_input};
  EXPECT_TRUE(snark::verify(vk, pub, *proof));
  const std::vector<Fr> wrong = {b.w.public_input + Fr::one()};
  EXPECT_FALSE(snark::verify(vk, wrong, *proof));

  const std::string snarkjs = std::string(ZKAMM_SOURCE_DIR) + "/node_modules/.bin/snarkjs";
  if (!fs::exists(snarkjs) || sh("node --version") != 0) GTEST_SKIP() << "snarkjs/node unavailable";
  const fs::path dir = fs::temp_directory_path() / ("zkamm-batch-prove-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto p = [&](const char* n) { return (dir / n).string(); };
  ASSERT_EQ(snark::write_text_file(p("vk.json"), snark::verification_key_to_json(vk)), snark::FileError::kOk);
  ASSERT_EQ(snark::write_text_file(p("public.json"), snark::public_signals_to_json(pub)), snark::FileError::kOk);
  ASSERT_EQ(snark::write_text_file(p("proof.json"), snark::proof_to_json(*proof)), snark::FileError::kOk);
  ASSERT_EQ(snark::write_text_file(p("wrong.json"), snark::public_signals_to_json(wrong)), snark::FileError::kOk);
  EXPECT_EQ(sh(snarkjs + " groth16 verify " + p("vk.json") + " " + p("public.json") + " " + p("proof.json")), 0);
  EXPECT_NE(sh(snarkjs + " groth16 verify " + p("vk.json") + " " + p("wrong.json") + " " + p("proof.json")), 0);
  fs::remove_all(dir);
}

TEST(BatchProve, Groth16ProofVerifiesHereAndInSnarkjs) {
  tx::SwapExactIn sw;
  sw.account = 1;
  sw.token_in = 1;
  sw.token_out = 2;
  sw.amount_in = 3'000'000'000'000'000'000ULL;
  sw.amount_out_min = 1;
  sw.deadline = kTimestamp + 100;
  tx::Withdraw wd;
  wd.account = 2;
  wd.token = 3;
  wd.amount = 2'000'000'000'000'000'000ULL;
  wd.l1_address[19] = 0x42;
  expect_proof_verifies_here_and_in_snarkjs(kParams, r1cs2(), build({signed_tx(sw, 1), signed_tx(wd, 2)}));
}

TEST(BatchProve, SwapBatchProofVerifiesHereAndInSnarkjs) {
  const Built b = build({swap_in(1, 1, 2, e18(3), u(1)), swap_out(2, 2, 1, e18(1), e18(100))}, kTimestamp,
                        kSwapParams);
  expect_proof_verifies_here_and_in_snarkjs(kSwapParams, swap_r1cs2(), b);
}

}  // namespace
}  // namespace zkamm::batch::testing
