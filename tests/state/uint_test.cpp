// state/uint against GMP (independent oracle), with random and limb-pattern edge values.
#include <gmp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <random>

#include "common/seed.hpp"
#include "state/uint.hpp"

namespace zkamm::state {
namespace {

struct Mpz {
  mpz_t v;
  Mpz() { mpz_init(v); }
  explicit Mpz(const U256& a) {
    mpz_init(v);
    mpz_import(v, 4, -1, sizeof(uint64_t), 0, 0, a.data());
  }
  ~Mpz() { mpz_clear(v); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  U256 to_u256() const {  // low 256 bits
    U256 r{};
    Mpz t;
    mpz_fdiv_r_2exp(t.v, v, 256);
    size_t count = 0;
    mpz_export(r.data(), &count, -1, sizeof(uint64_t), 0, 0, t.v);
    return r;
  }
};

uint64_t test_seed() { return zkamm::testing::test_seed("state.Uint"); }

/// Random value whose limbs mix uniform words with the carry-prone patterns 0, 1, 2^63, 2^64-1.
U256 random_u256(std::mt19937_64& rng) {
  U256 a{};
  const unsigned top = static_cast<unsigned>(rng() % 5);  // 0..4 significant limbs
  for (unsigned i = 0; i < top; ++i) {
    switch (rng() % 6) {
      case 0: a[i] = 0; break;
      case 1: a[i] = ~0ULL; break;
      case 2: a[i] = 1ULL << 63; break;
      case 3: a[i] = 1; break;
      default: a[i] = rng(); break;
    }
  }
  if (rng() % 4 == 0 && top > 0) a[top - 1] >>= rng() % 64;
  return a;
}

/// Uniswap V2 Math.sqrt, transcribed literally (v2-core contracts/libraries/Math.sol); self-written.
U256 uniswap_sqrt(const U256& y) {
  U256 z{};
  if (ff::less_than(u256(3), y)) {
    z = y;
    U256 x = ff::shift_right(y, 1);
    (void)checked_add(x, x, u256(1));
    while (ff::less_than(x, z)) {
      z = x;
      U256 t = div(y, x);
      (void)checked_add(t, t, x);
      x = ff::shift_right(t, 1);
    }
  } else if (!ff::is_zero(y)) {
    z = u256(1);
  }
  return z;
}

TEST(Uint, CheckedArithmeticAndDivisionMatchGmp) {
  std::mt19937_64 rng(test_seed());
  for (int iter = 0; iter < 50000; ++iter) {
    const U256 a = random_u256(rng);
    const U256 b = random_u256(rng);
    const Mpz ma(a), mb(b);
    Mpz r;
    U256 out{};

    mpz_add(r.v, ma.v, mb.v);
    const bool add_ok = checked_add(out, a, b);
    ASSERT_EQ(add_ok, mpz_sizeinbase(r.v, 2) <= 256 || mpz_sgn(r.v) == 0);
    if (add_ok) {
      ASSERT_EQ(out, r.to_u256());
    }

    const bool sub_ok = checked_sub(out, a, b);
    ASSERT_EQ(sub_ok, mpz_cmp(ma.v, mb.v) >= 0);
    if (sub_ok) {
      mpz_sub(r.v, ma.v, mb.v);
      ASSERT_EQ(out, r.to_u256());
    }

    mpz_mul(r.v, ma.v, mb.v);
    const bool mul_ok = checked_mul(out, a, b);
    ASSERT_EQ(mul_ok, mpz_sgn(r.v) == 0 || mpz_sizeinbase(r.v, 2) <= 256) << ff::to_hex(a) << " " << ff::to_hex(b);
    if (mul_ok) {
      ASSERT_EQ(out, r.to_u256());
    }

    if (!ff::is_zero(b)) {
      mpz_fdiv_q(r.v, ma.v, mb.v);
      ASSERT_EQ(div(a, b), r.to_u256()) << ff::to_hex(a) << " / " << ff::to_hex(b);
    }

    mpz_sqrt(r.v, ma.v);
    ASSERT_EQ(isqrt(a), r.to_u256()) << ff::to_hex(a);
  }
}

TEST(Uint, SqrtEqualsUniswapBabylonianAndGmp) {
  std::mt19937_64 rng(test_seed());
  std::vector<U256> values = {u256(0), u256(1), u256(2), u256(3), u256(4), u256(5), u256(8), u256(9),
                              u256(999999), u256(1000000), u256(1000001), U256{~0ULL, ~0ULL, ~0ULL, ~0ULL},
                              U256{0, 0, 0, 1ULL << 63}, U256{1, 0, 0, 0x10000}};
  for (int i = 0; i < 300; ++i) values.push_back(random_u256(rng));
  for (const U256& y : values) {
    const Mpz my(y);
    Mpz r;
    mpz_sqrt(r.v, my.v);
    EXPECT_EQ(isqrt(y), r.to_u256()) << ff::to_hex(y);
    EXPECT_EQ(isqrt(y), uniswap_sqrt(y)) << ff::to_hex(y);
  }
}

TEST(Uint, Limits) {
  EXPECT_EQ(ff::to_decimal(kMaxUint112), "5192296858534827628530496329220095");  // 2^112 - 1
  EXPECT_TRUE(fits_bits(kMaxUint112, kReserveBits));
  U256 p;
  ASSERT_TRUE(checked_add(p, kMaxUint112, u256(1)));
  EXPECT_FALSE(fits_bits(p, kReserveBits));
  const U256 max{~0ULL, ~0ULL, ~0ULL, ~0ULL};
  EXPECT_FALSE(checked_add(p, max, u256(1)));
  EXPECT_FALSE(checked_sub(p, u256(0), u256(1)));
  EXPECT_FALSE(checked_mul(p, U256{0, 0, 1, 0}, U256{0, 0, 1, 0}));  // 2^128 * 2^128
  EXPECT_TRUE(checked_mul(p, U256{0, 0, 1, 0}, U256{0, ~0ULL, 0, 0}));
  EXPECT_EQ(min(u256(3), u256(2)), u256(2));
}

}  // namespace
}  // namespace zkamm::state
