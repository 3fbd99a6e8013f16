#include "hash/blake512.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "hash/circomlib_oracle.hpp"

namespace zkamm::hash {

static std::string hex(const Blake512Digest& d) { return testing::to_hex(d.data(), d.size()); }

TEST(Blake512, SpecExamples) {
  // BLAKE spec v1.3, Appendix A.4: the 8-bit message 0x00 and the 1152-bit all-zero message.
  const std::vector<uint8_t> one(1, 0);
  EXPECT_EQ(hex(blake512(one)),
            "97961587f6d970faba6d2478045de6d1fabd09b61ae50932054d52bc29d31be4"
            "ff9102b9f69e2bbdb83be13d4b9c06091e5fa0b48bd081b634058be0ec49beb3");
  const std::vector<uint8_t> zeros(144, 0);
  EXPECT_EQ(hex(blake512(zeros)),
            "313717d608e9cf758dcb1eb0f0c3cf9fc150b2d500fb33f51c52afc99d358a2f"
            "1374b8a38bba7974e7f6ef79cab16f22ce1e649d6e01ad9589c213045d545dde");
}

// Lengths around the padding boundaries (111/112 bytes, full blocks) against blake-hash, the
// implementation circomlibjs' eddsa.js uses.
void testing::check_Blake512_EqualsCircomlibjsBlakeHash(const testing::OracleRun& o) {
  const auto& want = o.answer["blake512"];
  ASSERT_EQ(want.size(), o.blake_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(hex(blake512(o.blake_inputs[i])), want[i].get<std::string>()) << "length " << o.blake_inputs[i].size();
  }
}

}  // namespace zkamm::hash
