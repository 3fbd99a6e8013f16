// The fast Baby Jubjub paths (ec/babyjubjub_fast.hpp) against the straightforward reference
// arithmetic of ec/babyjubjub.hpp (whose outputs tests/hash compares with circomlibjs), on
// seeded random scalars and points, torsion included. Self-generated vectors.
#include "ec/babyjubjub_fast.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <vector>

#include "common/seed.hpp"
#include "ec/babyjub_test_util.hpp"

namespace zkamm::ec {
namespace {

using ff::U256;
using testing::kL;
using testing::random_point;
template <class Rng>
U256 random_below_l(Rng& rng) {
  return BabyJubScalar::random(rng).to_canonical();
}

BabyJubAffine signed_mul(const BabyJubAffine& p, const BabyJubSigned& k) {
  const BabyJubAffine m = mul(p, k.mag);
  return k.neg ? -m : m;
}

TEST(BabyJubFast, WnafMulMatchesReference) {
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.WnafMulMatchesReference");
  for (int i = 0; i < 20; ++i) {
    const BabyJubAffine p = random_point(rng);
    const U256 k{rng(), rng(), rng(), rng() >> (1 + i % 60)};
    EXPECT_EQ(babyjub_mul_wnaf(p, k), mul(p, k)) << "iteration " << i;
  }
  const BabyJubAffine p = random_point(rng);
  for (uint64_t k : {0ULL, 1ULL, 2ULL, 15ULL, 16ULL, 17ULL, 255ULL, 256ULL}) {
    EXPECT_EQ(babyjub_mul_wnaf(p, U256{k, 0, 0, 0}), mul(p, U256{k, 0, 0, 0})) << k;
  }
  EXPECT_TRUE(babyjub_mul_wnaf(BabyJubAffine::base8(), kL).is_identity());
  EXPECT_EQ(babyjub_mul_wnaf(BabyJubAffine::generator(), U256{~0ULL, ~0ULL, ~0ULL, ~0ULL >> 2}),
            mul(BabyJubAffine::generator(), U256{~0ULL, ~0ULL, ~0ULL, ~0ULL >> 2}));
}

TEST(BabyJubFast, LincombMatchesReference) {
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.LincombMatchesReference");
  for (int i = 0; i < 12; ++i) {
    const BabyJubAffine p = random_point(rng), q = random_point(rng);
    const U256 u = i % 3 == 0 ? U256{rng(), rng(), rng(), rng()} : random_below_l(rng);
    const BabyJubSigned c{U256{rng(), rng(), i % 2 ? rng() : 0, 0}, (i & 1) != 0};
    const BabyJubSigned d{U256{rng(), rng(), 0, i % 4 == 1 ? rng() >> 2 : 0}, (i & 2) != 0};
    const BabyJubAffine want = add(add(mul(BabyJubAffine::base8(), u), signed_mul(p, c)), signed_mul(q, d));
    EXPECT_EQ(babyjub_lincomb(u, c, p, d, q), want) << "iteration " << i;
  }
}

TEST(BabyJubFast, ShortRelationHolds) {
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.ShortRelationHolds");
  std::vector<U256> ks = {U256{}, U256{1, 0, 0, 0}, U256{2, 0, 0, 0}, U256{0, 0, 1, 0}, U256{0, 0, 0, 1}};
  U256 lm1{};
  ff::sub_with_borrow(lm1, kL, U256{1, 0, 0, 0});
  ks.push_back(lm1);
  ks.push_back(ff::shift_right(kL, 1));
  for (int i = 0; i < 2000; ++i) ks.push_back(random_below_l(rng));
  int found = 0;
  for (const U256& k : ks) {
    const auto rel = babyjub_short_relation(k);
    if (!rel) {  // allowed (callers fall back), but must be rare
      std::cout << "no short relation for k = " << ff::to_decimal(k) << "\n";
      continue;
    }
    ++found;
    EXPECT_EQ(rel->c.mag[0] & 1, 1u) << ff::to_decimal(k);
    EXPECT_LE(ff::bit_length(rel->c.mag), 130u);
    EXPECT_LE(ff::bit_length(rel->d.mag), 130u);
    BabyJubScalar c = BabyJubScalar::from_canonical_unchecked(rel->c.mag);
    BabyJubScalar d = BabyJubScalar::from_canonical_unchecked(rel->d.mag);
    if (rel->c.neg) c = -c;
    if (rel->d.neg) d = -d;
    EXPECT_EQ(c * BabyJubScalar::from_canonical_unchecked(k), d) << ff::to_decimal(k);
  }
  EXPECT_GE(found, static_cast<int>(ks.size()) - 20);  // expected ~0.2% misses
}

TEST(BabyJubFast, VerifyEquationExactIncludingTorsion) {
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.VerifyEquationExactIncludingTorsion");
  const BabyJubAffine t8 = mul(BabyJubAffine::generator(), kL);  // order 8
  for (int i = 0; i < 8; ++i) {
    // A of any order (a random multiple of Generator), s < l, hm any 256-bit value.
    const BabyJubAffine a = random_point(rng);
    const U256 s = random_below_l(rng);
    const U256 hm{rng(), rng(), rng(), rng()};
    const BabyJubAffine a8 = mul(a, U256{8, 0, 0, 0});
    // R8 = s*Base8 - hm*(8A) satisfies the equation exactly.
    const BabyJubAffine r8 = add(mul(BabyJubAffine::base8(), s), -mul(a8, hm));
    EXPECT_TRUE(babyjub_verify_equation(a, r8, s, hm)) << "iteration " << i;
    // Adding any non-trivial torsion point to R8, or shifting s, breaks it.
    for (uint64_t j = 1; j < 8; ++j) {
      EXPECT_FALSE(babyjub_verify_equation(a, add(r8, mul(t8, U256{j, 0, 0, 0})), s, hm)) << i << " torsion " << j;
    }
    U256 s1 = s;
    s1[0] ^= 1;
    if (ff::less_than(s1, kL)) {
      EXPECT_FALSE(babyjub_verify_equation(a, r8, s1, hm));
    }
    U256 hm1 = hm;
    hm1[1] ^= 4;
    EXPECT_FALSE(babyjub_verify_equation(a, r8, s, hm1));
    // A's torsion part does not matter (it is multiplied by 8).
    EXPECT_TRUE(babyjub_verify_equation(add(a, t8), r8, s, hm));
  }
}

TEST(BabyJubFast, VerifyEquationFallbackWithoutShortRelation) {
  // k = (l-1)/2 has no short odd relation (l = 2k + 1): the full-length path must still be exact.
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.VerifyEquationFallbackWithoutShortRelation");
  const U256 hm = ff::shift_right(kL, 1);
  ASSERT_FALSE(babyjub_short_relation(hm).has_value());
  const BabyJubAffine a = random_point(rng);
  const U256 s = random_below_l(rng);
  const BabyJubAffine r8 = add(mul(BabyJubAffine::base8(), s), -mul(mul(a, U256{8, 0, 0, 0}), hm));
  EXPECT_TRUE(babyjub_verify_equation(a, r8, s, hm));
  EXPECT_FALSE(babyjub_verify_equation(a, add(r8, mul(BabyJubAffine::generator(), kL)), s, hm));
  EXPECT_FALSE(babyjub_verify_equation(a, add(r8, BabyJubAffine::base8()), s, hm));
}

TEST(BabyJubFast, PreparedKeyGivesSameAnswers) {
  auto rng = zkamm::testing::seeded_rng("BabyJubFast.PreparedKeyGivesSameAnswers");
  const BabyJubAffine t8 = mul(BabyJubAffine::generator(), kL);
  for (int i = 0; i < 4; ++i) {
    const BabyJubAffine a = random_point(rng);
    const BabyJubPreparedKey pk(a);
    EXPECT_FALSE(pk.has_small_order());
    EXPECT_EQ(pk.key(), a);
    for (int m = 0; m < 3; ++m) {
      const U256 s = random_below_l(rng);
      const U256 hm = m == 2 ? U256{rng(), rng(), rng(), rng()} : random_below_l(rng);
      const BabyJubAffine r8 = add(mul(BabyJubAffine::base8(), s), -mul(mul(a, U256{8, 0, 0, 0}), hm));
      EXPECT_TRUE(babyjub_verify_equation(pk, r8, s, hm)) << i << " " << m;
      EXPECT_TRUE(babyjub_verify_equation(BabyJubPreparedKey(add(a, t8)), r8, s, hm));
      for (uint64_t j = 1; j < 8; ++j) {
        EXPECT_FALSE(babyjub_verify_equation(pk, add(r8, mul(t8, U256{j, 0, 0, 0})), s, hm)) << j;
      }
      U256 hm1 = hm;
      hm1[0] ^= 8;
      EXPECT_FALSE(babyjub_verify_equation(pk, r8, s, hm1));
      EXPECT_FALSE(babyjub_verify_equation(pk, add(r8, BabyJubAffine::base8()), s, hm));
    }
  }
  EXPECT_TRUE(BabyJubPreparedKey(t8).has_small_order());
  EXPECT_TRUE(BabyJubPreparedKey(BabyJubAffine::identity()).has_small_order());
}

}  // namespace
}  // namespace zkamm::ec
