// The CUDA backend against the CPU backend: MSM in G1 and G2 on random and edge inputs (zero
// scalars, r - 1, the identity point, repeated points, sizes that are not powers of two,
// device-resident, cached, evicted and concatenated bases), NTT, coset NTT and the quotient step,
// and whole Groth16 proofs, from a decoded and from a mapped key: with the same blinding the CUDA
// proof must equal the CPU proof bit for bit (so it verifies wherever the CPU's does: snarkjs and
// the L1 verifier, tested elsewhere) and verify.
// Each test runs twice: on a GPU (/Gpu, skipped with the reason where there is none) and on the
// CPU emulation of the device layer (/Emulated, everywhere; smaller sizes), which runs the
// backend's host side and the kernels' code on machines without a GPU.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <vector>

#include "common/seed.hpp"
#include "cuda/cuda_backend.hpp"
#include "cuda/emulated_gpu.hpp"
#include "cuda/select.hpp"
#include "snark/groth16.hpp"
#include "snark/msm.hpp"
#include "snark/ntt.hpp"
#include "snark/zkey_file.hpp"

// Its own namespace: its `using ff::Fr` and cpu_msm would clash with the device Fr and
// msm_plan_test.cpp's cpu_msm in a unity build of the tests.
namespace zkamm::cuda::gpu_backend_test {
namespace {

using ff::Fr;
using ff::U256;

/// Small thresholds, so that the cache, its eviction and the concatenation lookup are exercised at
/// the emulation's sizes too.
constexpr BackendOptions kTestOptions{.auto_retain_min = 1000, .max_cached = 2};

/// The parameter: true = a real GPU, false = the emulated device layer.
class CudaBackend : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      std::string why;
      owned_ = make_cuda_backend(&why, kTestOptions);
      if (owned_ == nullptr) GTEST_SKIP() << "no CUDA GPU: " << why;
    } else {
      owned_ = make_backend_on(make_emulated_gpu(), kTestOptions);
    }
    gpu = owned_.get();
  }
  bool real() const { return GetParam(); }

  snark::ProverBackend* gpu = nullptr;

 private:
  std::unique_ptr<snark::ProverBackend> owned_;
};
INSTANTIATE_TEST_SUITE_P(Device, CudaBackend, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "Gpu" : "Emulated"; });

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
    // Again with fresh scalars (a cached set for n >= auto_retain_min).
    for (auto& s : scalars) s = Fr::random(rng).to_canonical();
    EXPECT_TRUE(gpu_msm<Jac>(gpu, bases, scalars) == cpu_msm<Jac>(bases, scalars)) << name << " again n=" << n;
  }
}

TEST_P(CudaBackend, MsmG1MatchesCpu) {
  const char* name = "CudaBackend.MsmG1MatchesCpu";
  if (real()) {
    check_msm<ec::G1>(*gpu, name, {1, 2, 3, 31, 100, 1000, 4097, 70001, 300007});
  } else {
    check_msm<ec::G1>(*gpu, name, {1, 2, 3, 31, 100, 1001, 4097});
  }
}

TEST_P(CudaBackend, MsmG2MatchesCpu) {
  const char* name = "CudaBackend.MsmG2MatchesCpu";
  if (real()) {
    check_msm<ec::G2>(*gpu, name, {1, 2, 5, 333, 5001, 70001});
  } else {
    check_msm<ec::G2>(*gpu, name, {1, 2, 5, 333, 1201});
  }
}

/// The cache keeps kTestOptions.max_cached = 2 sets: a third evicts the least recently used, and
/// every MSM stays right whichever sets are on the device.
TEST_P(CudaBackend, CachedSetsAreEvictedLeastRecentlyUsedFirst) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.CachedSetsAreEvictedLeastRecentlyUsedFirst");
  std::vector<std::vector<ec::G1Affine>> sets(3);
  std::vector<std::vector<U256>> scalars(3);
  for (size_t k = 0; k < 3; ++k) fill<ec::G1>(rng, 1000 + 3 * k, sets[k], scalars[k]);
  for (size_t k : {0, 1, 0, 2, 1, 0, 2, 2, 1}) {
    EXPECT_TRUE(gpu->msm_g1(sets[k], scalars[k]) == snark::msm_g1(sets[k], scalars[k])) << "set " << k;
  }
  // A set that differs from a cached one at a sampled position (the first) is another set.
  auto other = sets[0];
  other[0] = other[5];
  EXPECT_TRUE(gpu->msm_g1(other, scalars[0]) == snark::msm_g1(other, scalars[0]));
  EXPECT_TRUE(gpu->msm_g1(sets[0], scalars[0]) == snark::msm_g1(sets[0], scalars[0]));
}

TEST_P(CudaBackend, MsmOverRetainedConcatenation) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.MsmOverRetainedConcatenation");
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

/// The emulated device layer, counting the scalar uploads.
class CountingGpu final : public Gpu {
 public:
  explicit CountingGpu(int* uploads) : inner_(make_emulated_gpu()), uploads_(uploads) {}
  std::string describe() const override { return inner_->describe(); }
  BasesHandle upload_g1(const G1AffineD* p, size_t n) override { return inner_->upload_g1(p, n); }
  BasesHandle upload_g2(const G2AffineD* p, size_t n) override { return inner_->upload_g2(p, n); }
  void release(BasesHandle h) override { inner_->release(h); }
  ScalarsHandle upload_scalars(const uint32_t* s, size_t n) override {
    ++*uploads_;
    return inner_->upload_scalars(s, n);
  }
  void release_scalars(ScalarsHandle h) override { inner_->release_scalars(h); }
  MsmWindows<G1Xyzz> msm_g1(BasesHandle a, BasesHandle b, ScalarsHandle s, size_t off, size_t n) override {
    return inner_->msm_g1(a, b, s, off, n);
  }
  MsmWindows<G2Xyzz> msm_g2(BasesHandle a, BasesHandle b, ScalarsHandle s, size_t off, size_t n) override {
    return inner_->msm_g2(a, b, s, off, n);
  }
  void ntt(cuda::Fr* v, unsigned log_n, const cuda::Fr& w, const cuda::Fr& w_inv, const cuda::Fr& n_inv, bool inv,
           const cuda::Fr* sh, const cuda::Fr* sh_inv) override {
    inner_->ntt(v, log_n, w, w_inv, n_inv, inv, sh, sh_inv);
  }
  void quotient(cuda::Fr* a, const cuda::Fr* b, const cuda::Fr* c, unsigned log_n, const cuda::Fr& w,
                const cuda::Fr& w_inv, const cuda::Fr& n_inv, const cuda::Fr& w2n) override {
    inner_->quotient(a, b, c, log_n, w, w_inv, n_inv, w2n);
  }
  double time_ntt_ms(unsigned log_n, const cuda::Fr& w, int reps) override {
    return inner_->time_ntt_ms(log_n, w, reps);
  }

 private:
  std::unique_ptr<Gpu> inner_;
  int* uploads_;
};

/// The prover's batch: jobs whose scalars are views of one witness (whole, a tail, a middle part)
/// and of a second buffer, in G1 and G2, with an empty job among them. Every result equals the
/// CPU's, and each buffer goes to the device once (counted on the emulated layer).
TEST_P(CudaBackend, MsmManyUploadsEachScalarBufferOnce) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.MsmManyUploadsEachScalarBufferOnce");
  int uploads = 0;
  std::unique_ptr<snark::ProverBackend> counted;
  snark::ProverBackend* b = gpu;
  if (!real()) {
    counted = make_backend_on(std::make_unique<CountingGpu>(&uploads), kTestOptions);
    b = counted.get();
  }
  std::vector<ec::G1Affine> x, y;
  std::vector<ec::G2Affine> z;
  std::vector<U256> w, v, unused;
  fill<ec::G1>(rng, 1200, x, w);
  fill<ec::G1>(rng, 700, y, v);
  fill<ec::G2>(rng, 1200, z, unused);
  const std::span<const U256> ws(w), vs(v);
  const std::span<const ec::G1Affine> xs(x), ys(y);
  ec::G1 r[5];
  ec::G2 r2;
  const snark::MsmG1Job g1[] = {{xs, ws, &r[0], true},
                                {xs.subspan(7), ws.subspan(7), &r[1], true},
                                {ys, vs, &r[2], false},
                                {xs.subspan(100, 300), ws.subspan(100, 300), &r[3], true},
                                {xs.first(0), ws.first(0), &r[4], false}};
  const snark::MsmG2Job g2[] = {{z, ws, &r2, true}};
  b->msm_many(g1, g2);
  for (size_t k = 0; k < 5; ++k) EXPECT_TRUE(r[k] == snark::msm_g1(g1[k].bases, g1[k].scalars)) << "job " << k;
  EXPECT_TRUE(r[4].is_identity());
  EXPECT_TRUE(r2 == snark::msm_g2(z, w));
  if (!real()) {
    EXPECT_EQ(uploads, 2);
  }
}

TEST_P(CudaBackend, NttAndCosetNttMatchCpu) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.NttAndCosetNttMatchCpu");
  for (unsigned log_n : {0u, 1u, 2u, 5u, 10u, 13u, 17u}) {
    if (!real() && log_n > 13) continue;
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

TEST_P(CudaBackend, QuotientMatchesCpu) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.QuotientMatchesCpu");
  for (unsigned log_n : {1u, 3u, 9u, 16u}) {
    if (!real() && log_n > 12) continue;
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

TEST_P(CudaBackend, ProofsEqualTheCpuBackendsAndVerify) {
  auto rng = zkamm::testing::seeded_rng("CudaBackend.ProofsEqualTheCpuBackendsAndVerify");
  for (unsigned k : {5u, 3000u, 70000u}) {
    if (!real() && k > 3000) continue;
    const Chain ch = power_chain(k, Fr::random(rng));
    const auto pk = snark::setup_with_toxic_waste(
        ch.r1cs, snark::ToxicWaste{Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng)});
    ASSERT_TRUE(pk.has_value());
    const auto vk = snark::verification_key(*pk);
    const std::vector<Fr> pub = {ch.witness[1]};
    if (k >= 3000) retain_key(*gpu, *pk);  // the worker's path: the key's sections kept on the device
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

/// `zkamm prove`'s path: the key's sections are a mapped .zkey's records, decoded only when a set
/// is uploaded (the first proof) and recognised by its samples afterwards.
TEST_P(CudaBackend, ProofsFromAMappedKeyEqualTheCpuBackends) {
  namespace fs = std::filesystem;
  auto rng = zkamm::testing::seeded_rng("CudaBackend.ProofsFromAMappedKeyEqualTheCpuBackends");
  const Chain ch = power_chain(real() ? 70000 : 3000, Fr::random(rng));
  const auto pk = snark::setup_with_toxic_waste(
      ch.r1cs, snark::ToxicWaste{Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng)});
  ASSERT_TRUE(pk.has_value());
  const fs::path path = fs::temp_directory_path() / ("zkamm-cuda-mapped-" + std::to_string(::getpid()) + ".zkey");
  ASSERT_EQ(snark::write_zkey(path.string(), *pk), snark::FileError::kOk);
  {
    auto m = snark::MappedZkey::open(path.string());
    ASSERT_TRUE(m.ok()) << to_string(m.error());
    ASSERT_TRUE(m->prover_key().a_g1.decoded().empty());  // records, not points
    for (int round = 0; round < 3; ++round) {
      const snark::Blinding bl{Fr::random(rng), Fr::random(rng)};
      const auto want = snark::prove_with_blinding(*pk, ch.witness, bl, snark::cpu_backend());
      const auto got = snark::prove_with_blinding(m->prover_key(), ch.witness, bl, *gpu);
      ASSERT_TRUE(want && got);
      EXPECT_TRUE(*got == *want) << "round " << round;
      EXPECT_TRUE(snark::verify(m->verification_key(), std::vector<Fr>{ch.witness[1]}, *got)) << "round " << round;
    }
  }
  gpu->release_bases();
  fs::remove(path);
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
