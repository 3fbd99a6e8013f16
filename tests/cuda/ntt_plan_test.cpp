// The CUDA NTT's steps (cuda/ntt_plan.hpp) run on the CPU with the twiddle tables the backend
// builds (powers by Fr::pow_u32), against snark::ntt; sizes 1 to 2^10, and a table built for a
// larger size read with a stride.
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "cuda/convert.hpp"
#include "cuda/ntt_plan.hpp"
#include "snark/ntt.hpp"

namespace zkamm::cuda {
namespace {

std::vector<Fr> twiddles(unsigned log_n, bool inverse) {
  ff::Fr w = snark::root_of_unity(log_n);
  if (inverse) w = w.inverse();
  std::vector<Fr> tw(log_n == 0 ? 1 : (size_t{1} << (log_n - 1)));
  for (size_t k = 0; k < tw.size(); ++k) tw[k] = to_dev(w).pow_u32(static_cast<uint32_t>(k));
  return tw;
}

void reference_ntt(std::vector<Fr>& a, const std::vector<Fr>& tw, unsigned log_n, unsigned tw_shift) {
  const uint32_t n = static_cast<uint32_t>(a.size());
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t j = bit_reverse(i, log_n);
    if (i < j) std::swap(a[i], a[j]);
  }
  for (unsigned s = 0; s < log_n; ++s)
    for (uint32_t t = 0; t < n / 2; ++t) ntt_butterfly(a.data(), tw.data(), t, s, log_n, tw_shift);
}

TEST(CudaNttPlan, MatchesSnarkNtt) {
  auto rng = zkamm::testing::seeded_rng("CudaNttPlan.MatchesSnarkNtt");
  const unsigned big = 10;
  const auto tw_big = twiddles(big, false);
  const auto itw_big = twiddles(big, true);
  for (unsigned log_n = 0; log_n <= big; ++log_n) {
    const size_t n = size_t{1} << log_n;
    std::vector<ff::Fr> host(n);
    for (auto& x : host) x = ff::Fr::random(rng);
    std::vector<Fr> dev(n);
    for (size_t i = 0; i < n; ++i) dev[i] = to_dev(host[i]);
    std::vector<Fr> dev2 = dev;
    std::vector<ff::Fr> want = host;
    snark::ntt(want);
    reference_ntt(dev, twiddles(log_n, false), log_n, 0);
    reference_ntt(dev2, tw_big, log_n, big - log_n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(to_host(dev[i]), want[i]) << "log_n=" << log_n << " i=" << i;
      ASSERT_EQ(to_host(dev2[i]), want[i]) << "log_n=" << log_n << " i=" << i;
    }
    // inverse with the inverse table, then 1/n
    reference_ntt(dev2, itw_big, log_n, big - log_n);
    const Fr inv_n = to_dev(ff::Fr::from_u64(n).inverse());
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(to_host(dev2[i] * inv_n), host[i]) << "log_n=" << log_n;
  }
}

TEST(CudaNttPlan, BitReverse) {
  EXPECT_EQ(bit_reverse(1, 3), 4u);
  EXPECT_EQ(bit_reverse(6, 3), 3u);
  EXPECT_EQ(bit_reverse(0, 0), 0u);
  EXPECT_EQ(bit_reverse(1, 22), 1u << 21);
}

}  // namespace
}  // namespace zkamm::cuda
