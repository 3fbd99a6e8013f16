// Every comparison with circomlibjs in one test: CTest runs each test in its own process, and
// one node run (seconds) per process would multiply the suite's time.
#include <gtest/gtest.h>

#include "hash/circomlib_oracle.hpp"

namespace zkamm::hash::testing {
namespace {

TEST(CircomlibjsOracle, PoseidonBabyJubBlakeEddsa) {
  const OracleRun& o = oracle();
  ASSERT_TRUE(o.error.empty()) << o.error;
  SCOPED_TRACE("seed " + std::to_string(o.seed));
  check_Poseidon_EqualsCircomlibjsForOneToSixteenInputs(o);
  check_Blake512_EqualsCircomlibjsBlakeHash(o);
  check_BabyJubOracle_MulPointEscalar(o);
  check_BabyJubOracle_AddPoint(o);
  check_BabyJubOracle_PackPoint(o);
  check_BabyJubOracle_UnpackPointAcceptsAndRejectsAsCircomlibjs(o);
  check_BabyJubOracle_InSubgroup(o);
  check_EddsaOracle_SameKeysAndSignaturesAsCircomlibjs(o);
  check_EddsaOracle_CircomlibjsAcceptsOurSignatures(o);
  check_EddsaOracle_WeAcceptCircomlibjsSignatures(o);
}

}  // namespace
}  // namespace zkamm::hash::testing
