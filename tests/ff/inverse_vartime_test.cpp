// The variable-time binary-GCD inversion against Fermat's inverse, on both BN254 fields: its fast
// path itself (inverse_mod_vartime must succeed, since Fp::inverse_vartime's fallback would
// hide a failure) on random values and on edge values (1, 2, p - 1, p - 2, powers of two, values
// just below p and 2^253, long runs of zero or one bits).
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "ff/bn254.hpp"
#include "ff/inverse_vartime.hpp"

namespace zkamm::ff {
namespace {

template <class F>
std::vector<U256> edge_values() {
  const U256 p = F::kModulus;
  std::vector<U256> v;
  auto minus = [&](uint64_t k) {
    U256 r{};
    sub_with_borrow(r, p, U256{k, 0, 0, 0});
    return r;
  };
  for (uint64_t k : {1u, 2u, 3u, 5u, 0x7fffffffu, 0x80000000u}) v.push_back(U256{k, 0, 0, 0});
  for (uint64_t k : {1u, 2u, 3u, 1000u}) v.push_back(minus(k));
  for (unsigned bit = 1; bit < 254; bit += 7) {
    U256 r{};
    r[bit / 64] = uint64_t{1} << (bit % 64);
    if (less_than(r, p)) v.push_back(r);
  }
  v.push_back(U256{~0ULL, ~0ULL, ~0ULL, 0});                      // 192 one bits
  v.push_back(U256{0, 0, 0, uint64_t{1} << 60});                  // 2^252, then zeros
  v.push_back(U256{1, 0, 0, uint64_t{1} << 60});                  // 2^252 + 1
  v.push_back(U256{~0ULL, ~0ULL, ~0ULL, (uint64_t{1} << 61) - 1});  // 2^253 - 1 < p
  v.push_back(shift_right(p, 1));
  return v;
}

template <class Spec>
void check_field(const char* name) {
  using F = Fp<Spec>;
  auto rng = zkamm::testing::seeded_rng(name);
  std::vector<U256> values = edge_values<F>();
  for (int i = 0; i < 2000; ++i) values.push_back(F::random(rng).to_canonical());
  constexpr uint32_t kInv31 = MontgomeryConstants<Spec>::kInv31;
  for (const U256& y : values) {
    if (is_zero(y)) continue;
    U256 inv{};
    ASSERT_TRUE(inverse_mod_vartime(y, F::kModulus, kInv31, &inv)) << name << " y = " << to_hex(y);
    ASSERT_TRUE(less_than(inv, F::kModulus)) << to_hex(y);
    const F fy = F::from_canonical_unchecked(y);
    EXPECT_TRUE((fy * F::from_canonical_unchecked(inv)).is_one()) << name << " y = " << to_hex(y);
    EXPECT_EQ(fy.inverse_vartime(), fy.inverse()) << name << " y = " << to_hex(y);
  }
  EXPECT_TRUE(F::zero().inverse_vartime().is_zero());
}

TEST(InverseVartime, MatchesFermatOnFq) { check_field<FqSpec>("InverseVartime.Fq"); }
TEST(InverseVartime, MatchesFermatOnFr) { check_field<FrSpec>("InverseVartime.Fr"); }

TEST(InverseVartime, RejectsANonInvertibleValue) {
  // gcd(6, 9) = 3: no inverse mod 9 (9^-1 mod 2^31 = 954437177).
  U256 out{};
  EXPECT_FALSE(inverse_mod_vartime(U256{6, 0, 0, 0}, U256{9, 0, 0, 0}, 954437177u, &out));
  EXPECT_TRUE(inverse_mod_vartime(U256{2, 0, 0, 0}, U256{9, 0, 0, 0}, 954437177u, &out));
  EXPECT_EQ(out, (U256{5, 0, 0, 0}));
}

}  // namespace
}  // namespace zkamm::ff
