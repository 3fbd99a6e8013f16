// Baby Jubjub group law and encodings: algebraic identities and EIP-2494's facts (self-checks);
// the bit-for-bit comparison with circomlibjs lives in tests/hash (circomlibjs_oracle_test.cpp).
#include "ec/babyjubjub.hpp"

#include <gtest/gtest.h>

#include "common/seed.hpp"
#include "ec/babyjub_test_util.hpp"

namespace zkamm::ec {
namespace {

using ff::Fr;
using ff::U256;
using testing::kL;
using testing::random_point;

BabyJubAffine small_order_generator() { return mul(BabyJubAffine::generator(), kL); }

TEST(BabyJub, CurveFactsFromEip2494) {
  const BabyJubAffine g = BabyJubAffine::generator();
  const BabyJubAffine b8 = BabyJubAffine::base8();
  EXPECT_TRUE(g.is_on_curve());
  EXPECT_TRUE(b8.is_on_curve());
  EXPECT_EQ(mul(g, U256{8, 0, 0, 0}), b8);
  EXPECT_TRUE(b8.is_in_subgroup());
  EXPECT_FALSE(g.is_in_subgroup());
  EXPECT_FALSE(BabyJubPoint(b8).mul(U256{1, 0, 0, 0}).is_identity());
  // order of G is 8*l
  U256 order{};
  U256 l2{}, l4{};
  ff::add_with_carry(l2, kL, kL);
  ff::add_with_carry(l4, l2, l2);
  ff::add_with_carry(order, l4, l4);
  EXPECT_TRUE(BabyJubPoint(g).mul(order).is_identity());
  EXPECT_FALSE(BabyJubPoint(g).mul(l4).is_identity());
  EXPECT_FALSE((BabyJubAffine{Fr::one(), Fr::one()}.is_on_curve()));
}

TEST(BabyJub, GroupLaw) {
  auto rng = zkamm::testing::seeded_rng("BabyJub.GroupLaw");
  const BabyJubPoint o = BabyJubPoint::identity();
  for (int i = 0; i < 8; ++i) {
    const BabyJubPoint p(random_point(rng)), q(random_point(rng)), r(random_point(rng));
    EXPECT_EQ(p + q, q + p);
    EXPECT_EQ((p + q) + r, p + (q + r));
    EXPECT_EQ(p + o, p);
    EXPECT_TRUE((p - p).is_identity());
    EXPECT_EQ(p.dbl(), p + p);
    EXPECT_TRUE(p.to_affine().is_on_curve());
    EXPECT_TRUE((p + q).to_affine().is_on_curve());
  }
  // complete: the addition law also handles the identity and the torsion points
  const BabyJubPoint t(small_order_generator());
  EXPECT_EQ(t.dbl().dbl().dbl(), o);
  EXPECT_EQ(o.dbl(), o);
}

TEST(BabyJub, ScalarMulIsLinearAndFixedBaseAgrees) {
  auto rng = zkamm::testing::seeded_rng("BabyJub.ScalarMulIsLinearAndFixedBaseAgrees");
  const BabyJubPoint b8(BabyJubAffine::base8());
  for (int i = 0; i < 8; ++i) {
    const U256 a{rng(), rng(), 0, 0}, b{rng(), rng(), 0, 0};
    U256 sum{};
    ff::add_with_carry(sum, a, b);
    const BabyJubPoint p(random_point(rng));
    EXPECT_EQ(p.mul(sum), p.mul(a) + p.mul(b));
    const U256 k{rng(), rng(), rng(), rng()};  // the full 256 bits
    EXPECT_EQ(mul_base8(k), b8.mul(k));
    EXPECT_EQ(mul_base8_add(a, p.to_affine(), b), b8.mul(a) + p.mul(b));
  }
  EXPECT_TRUE(mul_base8(U256{}).is_identity());
  EXPECT_TRUE(mul_base8(kL).is_identity());
}

TEST(BabyJub, SmallOrderPoints) {
  const BabyJubAffine t = small_order_generator();
  int count = 0;
  for (uint64_t k = 0; k < 8; ++k) {
    const BabyJubAffine p = mul(t, U256{k, 0, 0, 0});
    EXPECT_TRUE(p.has_small_order()) << k;
    EXPECT_EQ(p.is_identity(), k == 0);
    count += p.is_identity() ? 0 : 1;
  }
  EXPECT_EQ(count, 7);
  // (0, -1) has order 2
  EXPECT_TRUE((BabyJubAffine{Fr::zero(), -Fr::one()}).has_small_order());
  EXPECT_FALSE(BabyJubAffine::base8().has_small_order());
  EXPECT_FALSE(BabyJubAffine::generator().has_small_order());
}

TEST(BabyJub, PackUnpackRoundTrip) {
  auto rng = zkamm::testing::seeded_rng("BabyJub.PackUnpackRoundTrip");
  for (int i = 0; i < 16; ++i) {
    const BabyJubAffine p = random_point(rng);
    for (const BabyJubAffine& q : {p, -p}) {
      const auto packed = pack_point(q);
      const auto back = unpack_point(packed.data());
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ(*back, q);
    }
    EXPECT_NE(pack_point(p), pack_point(-p));
  }
}

TEST(BabyJub, UnpackRejectsNonCanonicalAndNonPoints) {
  // y = r and y = r + 1 (non-canonical; y = 1 would be the identity, itself rejected)
  for (uint64_t add : {0u, 1u, 2u}) {
    U256 y{};
    ff::add_with_carry(y, Fr::kModulus, U256{add, 0, 0, 0});
    std::array<uint8_t, 32> b{};
    ff::to_bytes_le(y, b.data());
    EXPECT_FALSE(unpack_point(b.data()).has_value()) << add;
  }
  // y with no x on the curve: (1 - y^2) / (a - d y^2) must be a non-square
  int non_points = 0;
  for (uint64_t v = 2; v < 40; ++v) {
    std::array<uint8_t, 32> b{};
    Fr::from_u64(v).to_bytes_le(b.data());
    const auto p = unpack_point(b.data());
    if (!p) {
      ++non_points;
    } else {
      EXPECT_TRUE(p->is_on_curve());
    }
  }
  EXPECT_GT(non_points, 5);
  // x = 0: the identity and (0, -1), with either sign bit (circomlibjs rejects them too)
  for (const Fr& y : {Fr::one(), -Fr::one()}) {
    std::array<uint8_t, 32> b{};
    y.to_bytes_le(b.data());
    EXPECT_FALSE(unpack_point(b.data()).has_value());
    b[31] |= 0x80;
    EXPECT_FALSE(unpack_point(b.data()).has_value());
  }
}

TEST(BabyJub, UnpackPointsMatchesUnpackPointOnMixedInput) {
  auto rng = zkamm::testing::seeded_rng("BabyJub.UnpackPointsMatchesUnpackPointOnMixedInput");
  std::vector<std::array<uint8_t, 32>> encodings;
  for (int i = 0; i < 12; ++i) {
    encodings.push_back(pack_point(random_point(rng)));               // valid
    std::array<uint8_t, 32> b{};
    Fr::from_u64(rng() % 64 + 2).to_bytes_le(b.data());                // often not a point
    encodings.push_back(b);
    ff::to_bytes_le(Fr::kModulus, b.data());                           // y = r: non-canonical
    encodings.push_back(b);
    Fr::one().to_bytes_le(b.data());                                   // the identity (x = 0)
    encodings.push_back(b);
  }
  std::vector<const uint8_t*> ptrs;
  for (const auto& e : encodings) ptrs.push_back(e.data());
  std::vector<std::optional<BabyJubAffine>> batch(ptrs.size());
  unpack_points(ptrs, batch);
  size_t valid = 0;
  for (size_t i = 0; i < ptrs.size(); ++i) {
    EXPECT_EQ(batch[i], unpack_point(ptrs[i])) << i;
    valid += batch[i].has_value();
  }
  EXPECT_GE(valid, 12u);
  unpack_points({}, std::span<std::optional<BabyJubAffine>>{});  // empty input is fine
}

}  // namespace
}  // namespace zkamm::ec
