// The CUDA backend's field arithmetic (cuda/field.hpp), run on the CPU against ff::Fq, ff::Fr
// and ff::Fq2: the same __host__ __device__ code the kernels run.
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "cuda/convert.hpp"
#include "ff/bn254.hpp"
#include "ff/fq2.hpp"

namespace zkamm::cuda {
namespace {

template <class Host>
std::vector<Host> edge_values() {
  return {Host::zero(), Host::one(), -Host::one(), Host::from_u64(2), -Host::from_u64(2), Host::from_u64(0xffffffffULL),
          Host::from_u64(0x100000000ULL)};
}

template <class Host>
void check_ops(const Host& a, const Host& b) {
  const auto da = to_dev(a), db = to_dev(b);
  EXPECT_EQ(to_host(da + db), a + b);
  EXPECT_EQ(to_host(da - db), a - b);
  EXPECT_EQ(to_host(da * db), a * b);
  EXPECT_EQ(to_host(da.sqr()), a.square());
  EXPECT_EQ(to_host(-da), -a);
  EXPECT_EQ(to_host(da.dbl()), a + a);
  EXPECT_EQ(da.is_zero(), a.is_zero());
  EXPECT_EQ(da == db, a == b);
}

template <class Host>
void check_field(const char* name) {
  auto rng = zkamm::testing::seeded_rng(name);
  const auto edges = edge_values<Host>();
  for (const auto& a : edges)
    for (const auto& b : edges) check_ops(a, b);
  for (int i = 0; i < 2000; ++i) check_ops(Host::random(rng), Host::random(rng));
  for (int i = 0; i < 200; ++i) check_ops(Host::random(rng), edges[static_cast<size_t>(i) % edges.size()]);
}

TEST(CudaField, FqMatchesFf) { check_field<ff::Fq>("CudaField.FqMatchesFf"); }
TEST(CudaField, FrMatchesFf) { check_field<ff::Fr>("CudaField.FrMatchesFf"); }

TEST(CudaField, ConstantsMatchFf) {
  EXPECT_EQ(to_host(Fq::one()), ff::Fq::one());
  EXPECT_EQ(to_host(Fr::one()), ff::Fr::one());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(static_cast<uint64_t>(Fq::p(2 * i)) | static_cast<uint64_t>(Fq::p(2 * i + 1)) << 32,
              ff::Fq::kModulus[static_cast<size_t>(i)]);
    EXPECT_EQ(static_cast<uint64_t>(Fr::p(2 * i)) | static_cast<uint64_t>(Fr::p(2 * i + 1)) << 32,
              ff::Fr::kModulus[static_cast<size_t>(i)]);
  }
  // -p^-1 mod 2^32
  EXPECT_EQ(static_cast<uint32_t>(FqParams::INV * FqParams::P0), 0xffffffffu);
  EXPECT_EQ(static_cast<uint32_t>(FrParams::INV * FrParams::P0), 0xffffffffu);
}

TEST(CudaField, PowU32MatchesFf) {
  auto rng = zkamm::testing::seeded_rng("CudaField.PowU32MatchesFf");
  for (uint32_t e : {0u, 1u, 2u, 3u, 0xffffffffu, 1u << 28, 12345u}) {
    const ff::Fr x = ff::Fr::random(rng);
    EXPECT_EQ(to_host(to_dev(x).pow_u32(e)), x.pow(ff::U256{e, 0, 0, 0})) << e;
  }
}

TEST(CudaField, Fq2MatchesFf) {
  auto rng = zkamm::testing::seeded_rng("CudaField.Fq2MatchesFf");
  std::vector<ff::Fq2> xs = {ff::Fq2::zero(), ff::Fq2::one(), ff::Fq2{ff::Fq::zero(), ff::Fq::one()},
                             ff::Fq2{-ff::Fq::one(), -ff::Fq::one()}};
  for (int i = 0; i < 300; ++i) xs.push_back(ff::Fq2::random(rng));
  for (size_t i = 0; i < xs.size(); ++i) {
    const ff::Fq2& a = xs[i];
    const ff::Fq2& b = xs[(i * 7 + 3) % xs.size()];
    const Fq2 da = to_dev(a), db = to_dev(b);
    EXPECT_EQ(to_host(da * db), a * b);
    EXPECT_EQ(to_host(da + db), a + b);
    EXPECT_EQ(to_host(da - db), a - b);
    EXPECT_EQ(to_host(da.sqr()), a.square());
    EXPECT_EQ(to_host(-da), -a);
  }
}

}  // namespace
}  // namespace zkamm::cuda
