// FieldX8 (FrX8 and FqX8: eight lanes; AVX-512 IFMA radix-2^52 kernel when built with it) against
// a slow GMP reference (independent oracle) and the scalar Fp: edge values 0, 1, 2, p-1, p-2,
// (p-1)/2, values whose lane representation x * 2^260 mod p is 0, 1, p-1, p-2, 2^52-1, 2^208
// (boundary cases of the radix-2^52 reduction), and seeded random values. Both fields, both
// builds (ZKAMM_IFMA=ON/OFF); the kernel-level tests (lazy inputs up to 4p, the raw R = 2^256
// form the MSM feeds in) run only with the kernel.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "common/seed.hpp"
#include "ff/field_x8.hpp"
#include "ff/gmp_reference.hpp"

namespace zkamm::ff {
namespace {

template <class X8>
class FieldX8Test : public ::testing::Test {
 protected:
  using Elem = typename X8::Field;
  static inline const mpz_class kMod = to_mpz(Elem::kModulus);

  static Elem fp(const mpz_class& v) { return Elem::from_canonical_unchecked(from_mpz(v % kMod)); }

  static std::vector<mpz_class> samples(uint64_t salt, int n_random) {
    std::vector<mpz_class> out = {0, 1, 2, kMod - 1, kMod - 2, (kMod - 1) / 2, (kMod + 1) / 2};
    // x with x * 2^260 mod p equal to k: x = k * 2^-260 mod p.
    mpz_class r_inv, two260 = mpz_class(1) << 260;
    mpz_invert(r_inv.get_mpz_t(), two260.get_mpz_t(), kMod.get_mpz_t());
    const std::vector<mpz_class> lane_values = {1, kMod - 1, kMod - 2, (mpz_class(1) << 52) - 1, mpz_class(1) << 208,
                                                (mpz_class(1) << 253) - 1};
    for (const mpz_class& k : lane_values) out.push_back(k * r_inv % kMod);
    auto rng = zkamm::testing::seeded_rng("FieldX8", salt);
    for (int i = 0; i < n_random; ++i) out.push_back(to_mpz(Elem::random(rng).to_canonical()));
    return out;
  }
};

struct Names {
  template <class T>
  static std::string GetName(int) {
    return std::is_same_v<T, FrX8> ? "Fr" : "Fq";
  }
};
using FieldsX8 = ::testing::Types<FrX8, FqX8>;
TYPED_TEST_SUITE(FieldX8Test, FieldsX8, Names);

// Every (a, b) pair of the samples, eight pairs per FieldX8 operation.
TYPED_TEST(FieldX8Test, MulAddSubMatchGmpAndScalar) {
  using Field = typename TestFixture::Elem;
  const mpz_class& kP = TestFixture::kMod;
  const auto xs = TestFixture::samples(1, 25);
  std::vector<std::pair<mpz_class, mpz_class>> pairs;
  for (const auto& a : xs) {
    for (const auto& b : xs) pairs.emplace_back(a, b);
  }
  while (pairs.size() % 8) pairs.emplace_back(kP - 1, kP - 1);
  for (size_t g = 0; g < pairs.size(); g += 8) {
    std::array<Field, 8> a, b;
    for (size_t l = 0; l < 8; ++l) {
      a[l] = TestFixture::fp(pairs[g + l].first);
      b[l] = TestFixture::fp(pairs[g + l].second);
    }
    const TypeParam va = TypeParam::load(a.data()), vb = TypeParam::load(b.data());
    const auto prod = (va * vb).to_array();
    const auto sum = (va + vb).to_array();
    const auto diff = (va - vb).to_array();
    const auto sq = va.square().to_array();
    for (size_t l = 0; l < 8; ++l) {
      const auto& [x, y] = pairs[g + l];
      EXPECT_EQ(to_mpz(prod[l].to_canonical()), mpz_class(x * y % kP)) << x << " * " << y;
      EXPECT_EQ(to_mpz(sum[l].to_canonical()), mpz_class((x + y) % kP)) << x << " + " << y;
      EXPECT_EQ(to_mpz(diff[l].to_canonical()), mpz_class((x - y + kP) % kP)) << x << " - " << y;
      EXPECT_EQ(to_mpz(sq[l].to_canonical()), mpz_class(x * x % kP)) << x << "^2";
      EXPECT_EQ(prod[l], a[l] * b[l]);
      EXPECT_EQ(sum[l], a[l] + b[l]);
      EXPECT_EQ(diff[l], a[l] - b[l]);
    }
  }
}

TYPED_TEST(FieldX8Test, LoadStoreRoundTrip) {
  using Field = typename TestFixture::Elem;
  const auto xs = TestFixture::samples(2, 9);
  for (size_t g = 0; g + 8 <= xs.size(); g += 8) {
    std::array<Field, 8> a;
    for (size_t l = 0; l < 8; ++l) a[l] = TestFixture::fp(xs[g + l]);
    EXPECT_EQ(TypeParam::load(a.data()).to_array(), a);
  }
}

// Long chains of lazily reduced results fed back as inputs (what Poseidon and the MSM's slope
// arithmetic do): x <- (x^2 * y + x) - z, 2000 steps, against the scalar Fp, with edge values
// in some lanes.
TYPED_TEST(FieldX8Test, LongChainsMatchScalar) {
  using Field = typename TestFixture::Elem;
  auto rng = zkamm::testing::seeded_rng("FieldX8.LongChains", 3);
  std::array<Field, 8> x, y, z;
  for (size_t l = 0; l < 8; ++l) {
    x[l] = Field::random(rng);
    y[l] = Field::random(rng);
    z[l] = Field::random(rng);
  }
  x[0] = Field::zero() - Field::one();
  y[1] = Field::zero() - Field::one();
  y[2] = Field::zero();
  z[3] = Field::zero() - Field::one();
  z[4] = Field::zero();
  TypeParam vx = TypeParam::load(x.data());
  const TypeParam vy = TypeParam::load(y.data()), vz = TypeParam::load(z.data());
  for (int i = 0; i < 2000; ++i) {
    vx = (vx.square() * vy + vx) - vz;
    for (size_t l = 0; l < 8; ++l) x[l] = (x[l].square() * y[l] + x[l]) - z[l];
  }
  EXPECT_EQ(vx.to_array(), x);
}

TEST(FieldX8, Limbs52RoundTrip) {
  auto rng = zkamm::testing::seeded_rng("FieldX8.Limbs52", 4);
  for (int i = 0; i < 100; ++i) {
    const U256 v{rng(), rng(), rng(), rng()};
    const auto l = x8::to_limbs52(v);
    for (uint64_t limb : l) EXPECT_LT(limb, uint64_t{1} << 52);
    EXPECT_EQ(x8::from_limbs52(l), v);
  }
}

#ifdef ZKAMM_FF_IFMA
// The kernel on inputs as lazy as its preconditions allow (below 4p, not reduced) and in the
// raw form the MSM feeds in (Fp's a 2^256 packed without a conversion product), against GMP:
// mul(a, b) = a b 2^-260 mod p, below 1.4p; sub/add below 2p; unpack(pack(v)) = v.
TYPED_TEST(FieldX8Test, KernelLazyAndRawForms) {
  namespace d = x8::detail;
  using Spec = typename TypeParam::FieldSpec;
  const mpz_class& kP = TestFixture::kMod;
  auto rng = zkamm::testing::seeded_rng("FieldX8.Kernel", 5);
  mpz_class r_inv, two260 = mpz_class(1) << 260;
  mpz_invert(r_inv.get_mpz_t(), two260.get_mpz_t(), kP.get_mpz_t());
  std::vector<mpz_class> vals = {0, 1, kP - 1, kP, 2 * kP - 1, 2 * kP, 3 * kP, 4 * kP - 1, 4 * kP - 2,
                                 (mpz_class(1) << 255) - 1};
  gmp_randclass gr(gmp_randinit_default);
  gr.seed(static_cast<unsigned long>(rng()));
  while (vals.size() % 8 || vals.size() < 64) vals.push_back(gr.get_z_range(4 * kP));
  for (size_t g = 0; g < vals.size(); g += 8) {
    for (size_t h = 0; h < vals.size(); h += 8) {
      U256 a[8], b[8], out[8];
      const U256* pa[8];
      const U256* pb[8];
      for (size_t l = 0; l < 8; ++l) {
        a[l] = from_mpz(vals[g + l]);
        b[l] = from_mpz(vals[(h + l * 3) % vals.size()]);
        pa[l] = &a[l];
        pb[l] = &b[l];
      }
      const d::V va = d::pack(pa), vb = d::pack(pb);
      d::unpack(va, out);
      for (size_t l = 0; l < 8; ++l) ASSERT_EQ(out[l], a[l]);
      d::unpack(d::mul<Spec>(va, vb), out);
      for (size_t l = 0; l < 8; ++l) {
        const mpz_class x = vals[g + l], y = to_mpz(b[l]), got = to_mpz(out[l]);
        EXPECT_EQ(got % kP, x * y * r_inv % kP) << x << " * " << y;
        EXPECT_LT(got, kP * 14 / 10) << x << " * " << y;
      }
      // add and sub take inputs below 2p: reduce the samples by 2p first.
      const d::V ra = d::csub(va, d::Consts<Spec>::kP2), rb = d::csub(vb, d::Consts<Spec>::kP2);
      U256 s[8], t[8];
      d::unpack(d::add<Spec>(ra, rb), s);
      d::unpack(d::sub<Spec>(ra, rb), t);
      for (size_t l = 0; l < 8; ++l) {
        const mpz_class x = vals[g + l], y = to_mpz(b[l]);
        EXPECT_EQ(to_mpz(s[l]) % kP, (x + y) % kP);
        EXPECT_EQ(to_mpz(t[l]) % kP, ((x - y) % kP + kP) % kP);
        EXPECT_LT(to_mpz(s[l]), 2 * kP);
        EXPECT_LT(to_mpz(t[l]), 2 * kP);
      }
    }
  }
  // Mixed forms: raw a 2^256 times lane b 2^260 is (a b) 2^256, Fp's raw form of the product.
  using Field = typename TestFixture::Elem;
  std::array<Field, 8> x, y;
  const U256* px[8];
  for (size_t l = 0; l < 8; ++l) {
    x[l] = Field::random(rng);
    y[l] = Field::random(rng);
    px[l] = &x[l].raw();
  }
  x[0] = Field::zero() - Field::one();
  U256 prod[8];
  d::unpack(d::csub(d::mul<Spec>(d::pack(px), d::load<Spec>(y.data())), d::Consts<Spec>::kP), prod);
  for (size_t l = 0; l < 8; ++l) EXPECT_EQ(Field::from_raw(prod[l]), x[l] * y[l]);
}
#endif

}  // namespace
}  // namespace zkamm::ff
