// The device-independent steps of the CUDA MSM (cuda/msm_plan.hpp): signed digits, and the whole
// bucket pipeline (pairs, sort, chunked run sums with partial compaction, segment reduction,
// window combination) run on the CPU with std::stable_sort in place of the CUB radix sort, and
// compared with the CPU backend's snark::msm_g1 / msm_g2 on random and edge inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "common/seed.hpp"
#include "cuda/convert.hpp"
#include "cuda/msm_plan.hpp"
#include "snark/msm.hpp"

namespace zkamm::cuda {
namespace {

using ff::U256;

const uint32_t* limbs(const U256& s) { return reinterpret_cast<const uint32_t*>(s.data()); }

TEST(CudaMsmPlan, SignedDigitsRecomposeTheScalar) {
  auto rng = zkamm::testing::seeded_rng("CudaMsmPlan.SignedDigitsRecomposeTheScalar");
  std::vector<U256> scalars = {U256{}, U256{1, 0, 0, 0}, (-ff::Fr::one()).to_canonical(),
                               (-ff::Fr::from_u64(2)).to_canonical(), U256{~0ULL, ~0ULL, ~0ULL, 0x3fffffffffffffffULL}};
  for (int i = 0; i < 200; ++i) scalars.push_back(ff::Fr::random(rng).to_canonical());
  for (unsigned c = 4; c <= 17; ++c) {
    const unsigned windows = msm_windows(c);
    ASSERT_GE(windows * c, 255u);
    for (const U256& s : scalars) {
      // sum d_w 2^(cw) as a field element mod r (s < 2^254 for all but the last, checked in Fq too)
      ff::Fr acc = ff::Fr::zero();
      ff::Fr pow = ff::Fr::one();
      const ff::Fr two_c = ff::Fr::from_u64(uint64_t{1} << c);
      uint32_t carry = 0;
      for (unsigned w = 0; w < windows; ++w) {
        const int32_t d = signed_digit(limbs(s), w, c, carry);
        ASSERT_LE(d, static_cast<int32_t>(1u << (c - 1)));
        ASSERT_GT(d, -static_cast<int32_t>(1u << (c - 1)));
        const ff::Fr fd = d >= 0 ? ff::Fr::from_u64(static_cast<uint64_t>(d)) : -ff::Fr::from_u64(static_cast<uint64_t>(-d));
        acc += fd * pow;
        pow *= two_c;
      }
      EXPECT_EQ(carry, 0u) << "c=" << c;
      EXPECT_EQ(acc, ff::Fr::from_u256_reduced(s)) << "c=" << c;
    }
  }
}

TEST(CudaMsmPlan, WindowBitsStayInRange) {
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{1000}, uint64_t{1} << 20, uint64_t{1} << 22, uint64_t{1} << 28}) {
    const unsigned c = msm_window_bits(n);
    EXPECT_GE(c, 4u);
    EXPECT_LE(c, 17u);
    EXPECT_LT(uint64_t{msm_windows(c)} * msm_buckets(c), uint64_t{1} << 31);  // keys and the sentinel fit
  }
  EXPECT_EQ(msm_window_bits(uint64_t{1} << 20), 16u);
}

/// The device pipeline, step for step, on the CPU.
template <class Jac, class F>
Jac reference_msm(std::span<const typename Jac::Affine> bases, std::span<const U256> scalars, unsigned c, uint32_t k,
                  uint32_t segment) {
  using P = Xyzz<F>;
  const uint32_t n = static_cast<uint32_t>(bases.size());
  const unsigned windows = msm_windows(c);
  const uint32_t nb = msm_buckets(c);
  const uint32_t sentinel = windows * nb;
  const uint32_t total = windows * n;
  std::vector<uint32_t> keys(total), vals(total);
  for (uint32_t i = 0; i < n; ++i) scalar_to_pairs(limbs(scalars[i]), i, n, c, windows, keys.data(), vals.data());
  std::vector<uint32_t> order(total);
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<uint32_t> sk(total), sv(total);
  for (uint32_t i = 0; i < total; ++i) sk[i] = keys[order[i]], sv[i] = vals[order[i]];
  std::vector<Affine<F>> dev(n);
  for (uint32_t i = 0; i < n; ++i) dev[i] = to_dev(bases[i]);

  std::vector<P> buckets(sentinel, P::identity());
  uint32_t count = total;
  std::vector<uint32_t> cur_keys = sk;
  std::vector<P> cur_pts;
  bool level0 = true;
  while (count > 0) {
    const uint32_t chunks = (count + k - 1) / k;
    std::vector<uint32_t> pk(2 * chunks);
    std::vector<P> pp(2 * chunks);
    for (uint32_t t = 0; t < chunks; ++t) {
      if (level0) {
        auto add = [&](const P& acc, uint32_t j) {
          const uint32_t v = sv[j];
          const Affine<F> q = dev[v & 0x7fffffffu];
          return acc.add_affine((v >> 31) ? q.neg() : q);
        };
        reduce_chunk(t, count, k, cur_keys.data(), sentinel, add, buckets.data(), pk.data(), pp.data());
      } else {
        auto add = [&](const P& acc, uint32_t j) { return acc.add(cur_pts[j]); };
        reduce_chunk(t, count, k, cur_keys.data(), sentinel, add, buckets.data(), pk.data(), pp.data());
      }
    }
    level0 = false;
    std::vector<uint32_t> nk;
    std::vector<P> np;
    for (uint32_t s = 0; s < 2 * chunks; ++s) {
      if (pk[s] != sentinel) nk.push_back(pk[s]), np.push_back(pp[s]);
    }
    if (chunks == 1) {
      EXPECT_TRUE(nk.empty());  // one chunk shares no run
    }
    EXPECT_LT(nk.size(), std::max<size_t>(count, 2));  // progress
    cur_keys = std::move(nk);
    cur_pts = std::move(np);
    count = static_cast<uint32_t>(cur_keys.size());
  }
  Jac result = Jac::identity();
  for (unsigned w = windows; w-- > 0;) {
    for (unsigned b = 0; b < c; ++b) result = result.dbl();
    P win = P::identity();
    for (uint32_t lo = 0; lo < nb; lo += segment) {
      win = win.add(segment_sum(buckets.data() + static_cast<size_t>(w) * nb, lo, std::min(lo + segment, nb)));
    }
    result += to_host(win);
  }
  return result;
}

template <class Jac>
Jac cpu_msm(std::span<const typename Jac::Affine> b, std::span<const U256> s) {
  if constexpr (std::is_same_v<Jac, ec::G1>) {
    return snark::msm_g1(b, s);
  } else {
    return snark::msm_g2(b, s);
  }
}

template <class Jac, class F>
void check_pipeline(const char* name, std::initializer_list<size_t> sizes) {
  using Aff = typename Jac::Affine;
  auto rng = zkamm::testing::seeded_rng(name);
  const U256 r_minus_1 = (-ff::Fr::one()).to_canonical();
  for (size_t n : sizes) {
    std::vector<Aff> bases(n);
    std::vector<U256> scalars(n);
    for (size_t i = 0; i < n; ++i) {
      switch (i % 7) {
        case 0: bases[i] = Aff{}; break;                                // identity point
        case 1: bases[i] = i > 1 ? bases[i - 1] : Aff::generator(); break;  // repeated point
        default: bases[i] = (Jac::generator() * ff::Fr::random(rng)).to_affine();
      }
      switch (i % 5) {
        case 0: scalars[i] = U256{}; break;                    // zero scalar
        case 1: scalars[i] = r_minus_1; break;                 // r - 1
        case 2: scalars[i] = U256{1 + i % 3, 0, 0, 0}; break;  // small: crowds one bucket
        default: scalars[i] = ff::Fr::random(rng).to_canonical();
      }
    }
    const Jac want = cpu_msm<Jac>(bases, scalars);
    for (unsigned c : {4u, 5u, msm_window_bits(n)}) {
      for (uint32_t k : {3u, 8u, 32u}) {
        EXPECT_TRUE((reference_msm<Jac, F>(bases, scalars, c, k, 5) == want)) << "n=" << n << " c=" << c << " k=" << k;
      }
    }
  }
}

TEST(CudaMsmPlan, G1PipelineMatchesCpuBackend) {
  check_pipeline<ec::G1, Fq>("CudaMsmPlan.G1PipelineMatchesCpuBackend", {0, 1, 2, 3, 17, 100, 777});
}
TEST(CudaMsmPlan, G2PipelineMatchesCpuBackend) {
  check_pipeline<ec::G2, Fq2>("CudaMsmPlan.G2PipelineMatchesCpuBackend", {1, 5, 64});
}

TEST(CudaMsmPlan, OneCrowdedBucketSpansManyChunks) {
  // Every scalar 1: window 0's bucket 0 holds all n points and spans n / k chunks.
  const size_t n = 1000;
  std::vector<ec::G1Affine> bases(n);
  ec::G1 p = ec::G1::generator();
  for (size_t i = 0; i < n; ++i, p = p.dbl()) bases[i] = p.to_affine();
  std::vector<U256> scalars(n, U256{1, 0, 0, 0});
  EXPECT_TRUE((reference_msm<ec::G1, Fq>(bases, scalars, 8, 4, 16) == snark::msm_g1(bases, scalars)));
}

}  // namespace
}  // namespace zkamm::cuda
