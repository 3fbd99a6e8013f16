#include <gtest/gtest.h>

#include "ff/bn254.hpp"

namespace zkamm::ff {
namespace {

TEST(FpSmoke, InverseAndCanonicalDecoding) {
  const Fr a = Fr::from_u64(12345);
  EXPECT_TRUE((a * a.inverse()).is_one());
  EXPECT_FALSE(Fr::from_canonical(Fr::kModulus).has_value());
  const auto minus_one = Fq::from_decimal("21888242871839275222246405745257275088696311157297823662689037894645226208582");
  ASSERT_TRUE(minus_one.has_value());
  EXPECT_EQ(*minus_one + Fq::one(), Fq::zero());
  EXPECT_EQ(Fr::from_u64(4).sqrt()->square(), Fr::from_u64(4));
}

}  // namespace
}  // namespace zkamm::ff
