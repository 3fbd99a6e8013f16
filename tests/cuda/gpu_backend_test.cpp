// The CUDA backend against the CPU backend, on a GPU: MSM in G1 and G2 on random and edge inputs
// (zero scalars, r - 1, the identity point, repeated points, sizes that are not powers of two,
// device-resident and concatenated bases), NTT, coset NTT and the quotient step, and whole Groth16
// proofs: with the same blinding the CUDA proof must equal the CPU proof bit for bit (so it
// verifies wherever the CPU's does: snarkjs and the L1 verifier, tested elsewhere) and verify.
// Without a usable GPU (or in a build without CUDA) every test is skipped, saying why.
#include <gtest/gtest.h>

#include <vector>

#include "common/seed.hpp"
#include "cuda/select.hpp"
#include "snark/groth16.hpp"
#include "snark/msm.hpp"
#include "snark/ntt.hpp"

// Its own namespace: its `using ff::Fr` and cpu_msm would clash with the device Fr and
// msm_plan_test.cpp's cpu_msm in a unity build of the tests.
namespace zkamm::cuda::gpu_backend_test {
namespace {

using ff::Fr;
using ff::U256;

snark::ProverBackend* gpu_or_skip_reason(std::string& why) { return backend_by_name("cuda", &why); }

#define ZKAMM_NEED_GPU(var)                                     \
  std::string why_;                                             \
  snark::ProverBackend* var = gpu_or_skip_reason(why_);         \
  if (var == nullptr) GTEST_SKIP() << "no CUDA GPU: " << why_;  \
  static_assert(true)

template <class Jac>
void fill(std::mt19937_64& rng, size_t n, std::vector<typename Jac::Affine>& bases, std::vector<U256>& scalars) {
  using Aff = typename Jac::Affine;
  const U256 r_minus_1 = (-Fr::one()).to_canonical();
  bases.resize(n);
  scalars.resize(n);
  // Random points are costly on the CPU: a few distinct ones, then multiples by small steps.
  Jac p = Jac::generator() * Fr::random(rng);
  const Jac step = Jac::generator() * Fr::random(rng);
  std::vector<Jac> jac(n);
  for (size_t i = 0; i < n; ++i) {
    jac[i] = p;
    p += step;
  }
  std::vector<Aff> aff(n);
  Jac::batch_to_affine(jac, aff);
  for (size_t i = 0; i < n; ++i) {
    switch (i % 11) {
      case 0: bases[i] = Aff{}; break;                                     // identity
      case 1: bases[i] = i > 1 ? bases[i - 1] : Aff::generator(); break;  // repeated
      case 2: bases[i] = -aff[i]; break;
      default: bases[i] = aff[i];
    }
    switch (i % 6) {
      case 0: scalars[i] = U256{}; break;
      case 1: scalars[i] = r_minus_1; break;
      case 2: scalars[i] = U256{1 + i % 4, 0, 0, 0}; break;  // small: one crowded bucket
      default: scalars[i] = Fr::random(rng).to_canonical();
    }
  }
}

template <class Jac>
Jac gpu_msm(snark::ProverBackend& b, std::span<const typename Jac::Affine> x, std::span<const U256> s) {
  if constexpr (std::is_same_v<Jac, ec::G1>) {
    return b.msm_g1(x, s);
  } else {
    return b.msm_g2(x, s);
  }
}
template <class Jac>
Jac cpu_msm(std::span<const typename Jac::Affine> x, std::span<const U256> s) {
  if constexpr (std::is_same_v<Jac, ec::G1>) {
    return snark::msm_g1(x, s);
  } else {
    return snark::msm_g2(x, s);
  }
}

template <class Jac>
void check_msm(snark::ProverBackend& gpu, const char* name, std::initializer_list<size_t> sizes) {
  auto rng = zkamm::testing::seeded_rng(name);
  for (size_t n : sizes) {
    std::vector<typename Jac::Affine> bases;
    std::vector<U256> scalars;
    fill<Jac>(rng, n, bases, scalars);
    EXPECT_TRUE(gpu_msm<Jac>(gpu, bases, scalars) == cpu_msm<Jac>(bases, scalars)) << name << " n=" << n;
    // All scalars zero; all r - 1.
    std::vector<U256> zeros(n), top(n, (-Fr::one()).to_canonical());
    EXPECT_TRUE(gpu_msm<Jac>(gpu, bases, zeros).is_identity()) << n;
    EXPECT_TRUE(gpu_msm<Jac>(gpu, bases, top) == cpu_msm<Jac>(bases, top)) << n;
    // Again with fresh scalars (a cached set for n >= 2^16).
    for (auto& s : scalars) s = Fr::random(rng).to_canonical();
    EXPECT_TRUE(gpu_msm<Jac>(gpu, bases, scalars) == cpu_msm<Jac>(bases, scalars)) << name << " again n=" << n;
  }
}

TEST(CudaGpu, MsmG1MatchesCpu) {
  ZKAMM_NEED_GPU(gpu);
  check_msm<ec::G1>(*gpu, "CudaGpu.MsmG1MatchesCpu", {1, 2, 3, 31, 100, 1000, 4097, 70001, 300007});
}

TEST(CudaGpu, MsmG2MatchesCpu) {
  ZKAMM_NEED_GPU(gpu);
  check_msm<ec::G2>(*gpu, "CudaGpu.MsmG2MatchesCpu", {1, 2, 5, 333, 5001, 70001});
}

TEST(CudaGpu, MsmOverRetainedConcatenation) {
  ZKAMM_NEED_GPU(gpu);
  auto rng = zkamm::testing::seeded_rng("CudaGpu.MsmOverRetainedConcatenation");
  std::vector<ec::G1Affine> x, y;
  std::vector<U256> sx, sy;
  fill<ec::G1>(rng, 5000, x, sx);
  fill<ec::G1>(rng, 7001, y, sy);
  gpu->retain_bases(x);
  gpu->retain_bases(y);
  std::vector<ec::G1Affine> xy = x;
  xy.insert(xy.end(), y.begin(), y.end());
  std::vector<U256> s = sx;
  s.insert(s.end(), sy.begin(), sy.end());
  EXPECT_TRUE(gpu->msm_g1(xy, s) == snark::msm_g1(xy, s));
  EXPECT_TRUE(gpu->msm_g1(y, sy) == snark::msm_g1(y, sy));
  gpu->release_bases();
  EXPECT_TRUE(gpu->msm_g1(xy, s) == snark::msm_g1(xy, s));
}

TEST(CudaGpu, NttAndCosetNttMatchCpu) {
  ZKAMM_NEED_GPU(gpu);
  auto rng = zkamm::testing::seeded_rng("CudaGpu.NttAndCosetNttMatchCpu");
  for (unsigned log_n : {0u, 1u, 2u, 5u, 10u, 13u, 17u}) {
    const size_t n = size_t{1} << log_n;
    std::vector<Fr> v(n);
    for (auto& x : v) x = Fr::random(rng);
    const Fr shift = Fr::random(rng);
    for (bool inverse : {false, true}) {
      auto want = v, got = v;
      snark::cpu_backend().ntt(want, inverse);
      gpu->ntt(got, inverse);
      EXPECT_EQ(got, want) << "ntt log_n=" << log_n << " inverse=" << inverse;
      want = v, got = v;
      snark::cpu_backend().coset_ntt(want, shift, inverse);
      gpu->coset_ntt(got, shift, inverse);
      EXPECT_EQ(got, want) << "coset_ntt log_n=" << log_n << " inverse=" << inverse;
    }
  }
}

TEST(CudaGpu, QuotientMatchesCpu) {
  ZKAMM_NEED_GPU(gpu);
  auto rng = zkamm::testing::seeded_rng("CudaGpu.QuotientMatchesCpu");
  for (unsigned log_n : {1u, 3u, 9u, 16u}) {
    const size_t n = size_t{1} << log_n;
    std::vector<Fr> a(n), b(n), c(n);
    for (size_t i = 0; i < n; ++i) a[i] = Fr::random(rng), b[i] = Fr::random(rng), c[i] = a[i] * b[i];
    c[0] += Fr::one();  // not a satisfied witness: H is not the zero polynomial's
    auto a2 = a, b2 = b, c2 = c;
    snark::cpu_backend().quotient_odd_coset(a, b, c);
    gpu->quotient_odd_coset(a2, b2, c2);
    EXPECT_EQ(a2, a) << "log_n=" << log_n;
  }
}

/// y = x^k: k constraints, a domain of the next power of two above k + 2.
struct Chain {
  snark::R1cs r1cs;
  std::vector<Fr> witness;
};
Chain power_chain(unsigned k, const Fr& x) {
  Chain ch;
  auto& r = ch.r1cs;
  r.num_public_outputs = 1;
  r.num_private_inputs = 1;
  r.num_wires = 3 + (k - 2);
  r.num_labels = r.num_wires;
  ch.witness.assign(r.num_wires, Fr{});
  ch.witness[0] = Fr::one();
  ch.witness[2] = x;
  Fr acc = x;
  uint32_t prev = 2;
  for (unsigned e = 2; e <= k; ++e) {
    acc *= x;
    const uint32_t out = (e == k) ? 1 : 3 + (e - 2);
    ch.witness[out] = acc;
    r.constraints.push_back({{{prev, Fr::one()}}, {{2, Fr::one()}}, {{out, Fr::one()}}});
    prev = out;
  }
  return ch;
}

TEST(CudaGpu, ProofsEqualTheCpuBackendsAndVerify) {
  ZKAMM_NEED_GPU(gpu);
  auto rng = zkamm::testing::seeded_rng("CudaGpu.ProofsEqualTheCpuBackendsAndVerify");
  for (unsigned k : {5u, 3000u, 70000u}) {
    const Chain ch = power_chain(k, Fr::random(rng));
    const auto pk = snark::setup_with_toxic_waste(
        ch.r1cs, snark::ToxicWaste{Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng)});
    ASSERT_TRUE(pk.has_value());
    const auto vk = snark::verification_key(*pk);
    const std::vector<Fr> pub = {ch.witness[1]};
    if (k == 70000) retain_key(*gpu, *pk);  // the worker's path: key on the device, C ++ H found by parts
    for (int round = 0; round < 2; ++round) {
      const snark::Blinding bl{Fr::random(rng), Fr::random(rng)};
      const auto want = snark::prove_with_blinding(*pk, ch.witness, bl, snark::cpu_backend());
      const auto got = snark::prove_with_blinding(*pk, ch.witness, bl, *gpu);
      ASSERT_TRUE(want && got);
      EXPECT_TRUE(*got == *want) << "k=" << k << " round " << round;
      EXPECT_TRUE(snark::verify(vk, pub, *got)) << "k=" << k;
    }
    gpu->release_bases();
  }
}

TEST(CudaSelect, UnknownNameIsAClearError) {
  std::string err;
  EXPECT_EQ(backend_by_name("tpu", &err), nullptr);
  EXPECT_NE(err.find("unknown prover backend"), std::string::npos);
  EXPECT_EQ(backend_by_name("cpu", &err), &snark::cpu_backend());
}

TEST(CudaSelect, CudaWithoutDeviceFailsCleanly) {
  std::string err;
  snark::ProverBackend* b = backend_by_name("cuda", &err);
  if (b != nullptr) GTEST_SKIP() << "a CUDA GPU is present";
  EXPECT_FALSE(err.empty());
  EXPECT_NE(err.find("cuda prover backend is unavailable"), std::string::npos) << err;
  std::string err2;
  EXPECT_FALSE(use_backend("cuda", &err2));
  EXPECT_EQ(&snark::default_backend(), &snark::cpu_backend());
}

}  // namespace
}  // namespace zkamm::cuda::gpu_backend_test
