// The CUDA backend's XYZZ point arithmetic (cuda/curve.hpp), run on the CPU against ec::G1 and
// ec::G2: random points, the identity, doubling through add of equal points, opposite points.
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "cuda/convert.hpp"

namespace zkamm::cuda {
namespace {

template <class Jac>
void check_group(const char* name) {
  using Aff = typename Jac::Affine;
  auto rng = zkamm::testing::seeded_rng(name);
  std::vector<Jac> pts = {Jac::identity(), Jac::generator(), -Jac::generator(), Jac::generator().dbl()};
  for (int i = 0; i < 40; ++i) pts.push_back(Jac::generator() * ff::Fr::random(rng));
  for (size_t i = 0; i < pts.size(); ++i) {
    const Jac& p = pts[i];
    const Jac& q = pts[(i * 5 + 1) % pts.size()];
    const Aff qa = q.to_affine();
    const auto dp = to_dev(p), dq = to_dev(q);
    EXPECT_TRUE(to_host(dp) == p);
    EXPECT_TRUE(to_host(dp.add(dq)) == p + q) << i;
    EXPECT_TRUE(to_host(dp.add_affine(to_dev(qa))) == p + q) << i;
    EXPECT_TRUE(to_host(dp.dbl()) == p.dbl()) << i;
    EXPECT_TRUE(to_host(dp.add(dp)) == p.dbl()) << i;                       // doubling via add
    EXPECT_TRUE(to_host(dp.add_affine(to_dev(p.to_affine()))) == p.dbl()) << i;  // and via madd
    EXPECT_TRUE(to_host(dp.add(dp.neg())).is_identity()) << i;
    EXPECT_TRUE(to_host(dp.add_affine(to_dev(p.to_affine()).neg())).is_identity()) << i;
    EXPECT_TRUE(to_host(dp.mul_u32(12345)) == p.mul(ff::U256{12345, 0, 0, 0})) << i;
    // Starting from a non-normalised representative (ZZ != 1) must not matter.
    const auto scaled = dp.dbl().add(dp.neg());
    EXPECT_TRUE(to_host(scaled.add_affine(to_dev(qa))) == p + q) << i;
  }
  // The identity as an affine point is (0, 0).
  EXPECT_TRUE(to_dev(Aff{}).is_identity());
  EXPECT_TRUE(to_host(decltype(to_dev(Jac{}))::identity().add_affine(to_dev(Aff{}))).is_identity());
}

TEST(CudaCurve, G1MatchesEc) { check_group<ec::G1>("CudaCurve.G1MatchesEc"); }
TEST(CudaCurve, G2MatchesEc) { check_group<ec::G2>("CudaCurve.G2MatchesEc"); }

}  // namespace
}  // namespace zkamm::cuda
