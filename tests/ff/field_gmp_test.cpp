// Fq and Fr against a slow GMP reference (independent oracle): every operation on seeded random
// values and on the edge values 0, 1, 2, p-1, p-2, (p-1)/2.
#include <gmpxx.h>
#include <gtest/gtest.h>

#include <array>
#include <vector>

#include "ff/bn254.hpp"
#include "common/seed.hpp"
#include "ff/gmp_reference.hpp"

namespace zkamm::ff {
namespace {

template <class F>
class FieldVsGmp : public ::testing::Test {
 protected:
  const mpz_class modulus = to_mpz(F::kModulus);
  mpz_class z(const F& a) const { return to_mpz(a.to_canonical()); }
  F f(const mpz_class& v) const { return F::from_canonical_unchecked(from_mpz(v)); }
  std::vector<mpz_class> samples(uint64_t salt) const {
    const mpz_class& p = modulus;
    std::vector<mpz_class> out = {0, 1, 2, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2};
    auto rng = zkamm::testing::seeded_rng("FieldVsGmp", salt);
    for (int i = 0; i < 40; ++i) out.push_back(z(F::random(rng)));
    return out;
  }
};
using Fields = ::testing::Types<Fq, Fr>;
TYPED_TEST_SUITE(FieldVsGmp, Fields);

TYPED_TEST(FieldVsGmp, RingOperations) {
  using F = TypeParam;
  const auto& p = this->modulus;
  const auto xs = this->samples(1);
  for (const auto& a : xs) {
    const F fa = this->f(a);
    EXPECT_EQ(this->z(-fa), mpz_class((p - a) % p));
    EXPECT_EQ(this->z(fa.square()), mpz_class(a * a % p));
    EXPECT_EQ(this->z(fa.dbl()), mpz_class(2 * a % p));
    // Montgomery form: raw() holds a * 2^256 mod p.
    EXPECT_EQ(to_mpz(fa.raw()), mpz_class((a << 256) % p));
    EXPECT_EQ(F::from_raw(fa.raw()), fa);
    for (const auto& b : xs) {
      const F fb = this->f(b);
      EXPECT_EQ(this->z(fa + fb), mpz_class((a + b) % p));
      EXPECT_EQ(this->z(fa - fb), mpz_class(((a - b) % p + p) % p));
      EXPECT_EQ(this->z(fa * fb), mpz_class(a * b % p));
    }
  }
}

TYPED_TEST(FieldVsGmp, InversePowSqrt) {
  using F = TypeParam;
  const auto& p = this->modulus;
  auto rng = zkamm::testing::seeded_rng("FieldVsGmp.Pow", 2);
  for (const auto& a : this->samples(3)) {
    const F fa = this->f(a);
    if (a == 0) {
      EXPECT_TRUE(fa.inverse().is_zero());
    } else {
      mpz_class inv;
      mpz_invert(inv.get_mpz_t(), a.get_mpz_t(), p.get_mpz_t());
      EXPECT_EQ(this->z(fa.inverse()), inv);
    }
    const U256 e{rng(), rng(), rng(), rng()};
    mpz_class want;
    mpz_powm(want.get_mpz_t(), a.get_mpz_t(), to_mpz(e).get_mpz_t(), p.get_mpz_t());
    EXPECT_EQ(this->z(fa.pow(e)), want);
    const int leg = mpz_legendre(a.get_mpz_t(), p.get_mpz_t());
    const auto root = fa.sqrt();
    ASSERT_EQ(root.has_value(), leg >= 0) << a.get_str();
    if (root) {
      EXPECT_EQ(mpz_class(this->z(*root) * this->z(*root) % p), a);
    }
    EXPECT_EQ(fa.legendre().is_one(), leg == 1);
  }
}

TYPED_TEST(FieldVsGmp, DecimalAndBytes) {
  using F = TypeParam;
  const auto& p = this->modulus;
  for (const auto& a : this->samples(4)) {
    const F fa = this->f(a);
    EXPECT_EQ(fa.to_decimal(), a.get_str(10));
    const auto back = F::from_decimal(a.get_str(10));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, fa);
    EXPECT_EQ(F::from_decimal("0x" + a.get_str(16)), fa);
    std::array<uint8_t, 32> be{}, le{}, want{};
    fa.to_bytes_be(be.data());
    fa.to_bytes_le(le.data());
    size_t count = 0;
    mpz_export(want.data(), &count, 1, 1, 1, 0, a.get_mpz_t());  // big-endian, count bytes
    std::array<uint8_t, 32> want_be{};
    std::copy(want.begin(), want.begin() + static_cast<long>(count), want_be.begin() + static_cast<long>(32 - count));
    EXPECT_EQ(be, want_be);
    for (int i = 0; i < 32; ++i) EXPECT_EQ(le[static_cast<size_t>(i)], be[static_cast<size_t>(31 - i)]);
    EXPECT_EQ(F::from_bytes_be(be.data()), fa);
    EXPECT_EQ(F::from_bytes_le(le.data()), fa);
  }
  // Non-canonical encodings are rejected.
  EXPECT_FALSE(F::from_canonical(F::kModulus).has_value());
  EXPECT_FALSE(F::from_canonical(U256{~0ULL, ~0ULL, ~0ULL, ~0ULL}).has_value());
  EXPECT_TRUE(F::from_canonical(from_mpz(p - 1)).has_value());
  EXPECT_FALSE(F::from_decimal(p.get_str(10)).has_value());
  EXPECT_FALSE(F::from_decimal("").has_value());
  EXPECT_FALSE(F::from_decimal("12a").has_value());
  EXPECT_FALSE(F::from_decimal("-1").has_value());
  std::array<uint8_t, 32> pb{};
  to_bytes_be(F::kModulus, pb.data());
  EXPECT_FALSE(F::from_bytes_be(pb.data()).has_value());
  // from_u256_reduced reduces rather than rejects.
  EXPECT_EQ(this->z(F::from_u256_reduced(U256{~0ULL, ~0ULL, ~0ULL, ~0ULL})),
            mpz_class(((mpz_class(1) << 256) - 1) % p));
}

TYPED_TEST(FieldVsGmp, BatchInvert) {
  using F = TypeParam;
  auto rng = zkamm::testing::seeded_rng("FieldVsGmp.BatchInvert", 5);
  std::vector<F> xs;
  for (int i = 0; i < 10; ++i) xs.push_back(i == 3 ? F::zero() : F::random(rng));
  auto ys = xs;
  F::batch_invert(ys);
  for (size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(ys[i], xs[i].inverse());
}

// F::dot reduces once per kMaxLazyTerms products: against GMP for every length to 17 (the widest
// Poseidon row), on random values and on the worst case for the bound (every Montgomery form
// p - 1, so the 512-bit sum is largest), at run time (the asm where built) and at compile time
// (the portable path).
TYPED_TEST(FieldVsGmp, LazyDotProducts) {
  using F = TypeParam;
  const auto& p = this->modulus;
  static_assert(F::kMaxLazyTerms == 5);  // BN254's fields: p < 0.19 * 2^256
  auto rng = zkamm::testing::seeded_rng("FieldVsGmp.LazyDot", 6);
  constexpr F top = F::from_raw(U256{F::kModulus[0] - 1, F::kModulus[1], F::kModulus[2], F::kModulus[3]});
  for (std::size_t n = 1; n <= 17; ++n) {
    for (int round = 0; round < 3; ++round) {
      std::vector<F> a(n), b(n);
      for (std::size_t i = 0; i < n; ++i) {
        a[i] = round == 0 ? top : F::random(rng);
        b[i] = round == 0 ? top : round == 1 ? F::random(rng) : (i % 2 == 0 ? top : F::zero());
      }
      mpz_class want = 0;
      for (std::size_t i = 0; i < n; ++i) want += this->z(a[i]) * this->z(b[i]);
      EXPECT_EQ(this->z(F::dot(a.data(), b.data(), n)), mpz_class(want % p)) << "n " << n << " round " << round;
    }
  }
  constexpr std::array<F, 7> a{top, top, top, top, top, top, F::from_u64(3)};
  constexpr std::array<F, 7> b{top, top, top, top, top, F::from_u64(5), top};
  constexpr auto first_five = [](const std::array<F, 7>& x, const std::array<F, 7>& y) {
    typename F::Wide w;
    for (std::size_t i = 0; i < 5; ++i) F::mul_acc(w, x[i], y[i]);
    return F::reduce(w);
  };
  constexpr F dot_at_compile_time = F::dot(a.data(), b.data(), a.size());
  constexpr F five_at_compile_time = first_five(a, b);
  EXPECT_EQ(dot_at_compile_time, F::dot(a.data(), b.data(), a.size()));
  EXPECT_EQ(five_at_compile_time, first_five(a, b));
  EXPECT_EQ(this->z(first_five(a, b)), mpz_class(5 * this->z(top) * this->z(top) % p));
}

}  // namespace
}  // namespace zkamm::ff
