// Baby Jubjub (src/ec/babyjubjub) against circomlibjs' babyjub.js; lives in the hash tests
// because they own the circomlibjs oracle run.
#include <gtest/gtest.h>

#include "ec/babyjubjub.hpp"
#include "hash/circomlib_oracle.hpp"

namespace zkamm::hash {

using testing::oracle;
using testing::point;

void testing::check_BabyJubOracle_MulPointEscalar(const testing::OracleRun& o) {
  const auto& want = o.answer["mul"];
  ASSERT_EQ(want.size(), o.mul_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& [p, e] = o.mul_inputs[i];
    EXPECT_EQ(ec::mul(p, e), point(want[i])) << "case " << i << " seed " << o.seed;
    EXPECT_EQ(ec::BabyJubPoint(p).mul(e), ec::BabyJubPoint(point(want[i])));
  }
}

void testing::check_BabyJubOracle_AddPoint(const testing::OracleRun& o) {
  const auto& want = o.answer["add"];
  ASSERT_EQ(want.size(), o.add_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(ec::add(o.add_inputs[i].first, o.add_inputs[i].second), point(want[i])) << "case " << i;
  }
}

void testing::check_BabyJubOracle_PackPoint(const testing::OracleRun& o) {
  const auto& want = o.answer["pack"];
  ASSERT_EQ(want.size(), o.pack_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const auto packed = ec::pack_point(o.pack_inputs[i]);
    EXPECT_EQ(testing::to_hex(packed.data(), 32), want[i].get<std::string>()) << "case " << i;
  }
}

void testing::check_BabyJubOracle_UnpackPointAcceptsAndRejectsAsCircomlibjs(const testing::OracleRun& o) {
  const auto& want = o.answer["unpack"];
  ASSERT_EQ(want.size(), o.unpack_inputs.size());
  size_t accepted = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const auto got = ec::unpack_point(o.unpack_inputs[i].data());
    // circomlibjs reduces y >= r instead of rejecting it; we reject (see unpack_point).
    const bool canonical_y = ff::less_than(ff::from_bytes_le([&] {
                                             auto b = o.unpack_inputs[i];
                                             b[31] &= 0x7f;
                                             return b;
                                           }().data()),
                                           ff::Fr::kModulus);
    if (want[i].is_null() || !canonical_y) {
      EXPECT_FALSE(got.has_value()) << "case " << i;
    } else {
      ASSERT_TRUE(got.has_value()) << "case " << i;
      EXPECT_EQ(*got, point(want[i])) << "case " << i;
      ++accepted;
    }
  }
  // The batched decoder (one shared inversion) answers exactly as the single one on every case.
  std::vector<const uint8_t*> ptrs;
  for (const auto& b : o.unpack_inputs) ptrs.push_back(b.data());
  std::vector<std::optional<ec::BabyJubAffine>> batch(ptrs.size());
  ec::unpack_points(ptrs, batch);
  for (size_t i = 0; i < ptrs.size(); ++i) EXPECT_EQ(batch[i], ec::unpack_point(ptrs[i])) << "batch case " << i;
  EXPECT_GT(accepted, 5u);
}

void testing::check_BabyJubOracle_InSubgroup(const testing::OracleRun& o) {
  const auto& want = o.answer["in_subgroup"];
  ASSERT_EQ(want.size(), o.subgroup_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(o.subgroup_inputs[i].is_in_subgroup(), want[i].get<bool>()) << "case " << i;
  }
  EXPECT_FALSE(want[0].get<bool>());  // Generator has order 8*l
  EXPECT_TRUE(want[1].get<bool>());   // Base8 has order l
}

}  // namespace zkamm::hash
