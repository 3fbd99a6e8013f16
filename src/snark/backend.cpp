#include "snark/backend.hpp"

#include <atomic>

#include "ff/parallel.hpp"
#include "snark/msm.hpp"
#include "snark/ntt.hpp"

namespace zkamm::snark {

using ff::Fr;

void ProverBackend::quotient_odd_coset(std::span<Fr> a, std::span<Fr> b, std::span<Fr> c) {
  const size_t n = a.size();
  // w_2n: the coset w_2n * <w_n> is the set of odd 2n-th roots (snarkjs: inc = Fr.w[power + 1]).
  const Fr inc = root_of_unity(static_cast<unsigned>(__builtin_ctzll(n)) + 1);
  for (std::span<Fr> v : {a, b, c}) {
    ntt(v, true);
    coset_ntt(v, inc, false);
  }
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) a[i] = a[i] * b[i] - c[i];
  });
}

void ProverBackend::msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) {
  for (const auto& j : g1) *j.result = msm_g1(j.bases, j.scalars);
  for (const auto& j : g2) *j.result = msm_g2(j.bases, j.scalars);
}

namespace {

class CpuBackend final : public ProverBackend {
 public:
  const char* name() const noexcept override { return "cpu"; }
  ec::G1 msm_g1(const MsmBases<ec::G1Config>& bases, std::span<const ff::U256> scalars) override {
    return snark::msm_g1(bases, scalars);
  }
  ec::G2 msm_g2(const MsmBases<ec::G2Config>& bases, std::span<const ff::U256> scalars) override {
    return snark::msm_g2(bases, scalars);
  }
  void msm_many(std::span<const MsmG1Job> g1, std::span<const MsmG2Job> g2) override { snark::msm_many(g1, g2); }
  void ntt(std::span<Fr> values, bool inverse) override {
    if (inverse) {
      snark::intt(values);
    } else {
      snark::ntt(values);
    }
  }
  void coset_ntt(std::span<Fr> values, const Fr& shift, bool inverse) override {
    if (inverse) {
      snark::coset_intt(values, shift);
    } else {
      snark::coset_ntt(values, shift);
    }
  }
};

}  // namespace

ProverBackend& cpu_backend() noexcept {
  static CpuBackend backend;
  return backend;
}

namespace {
std::atomic<ProverBackend*> g_default_backend{nullptr};
}  // namespace

ProverBackend& default_backend() noexcept {
  ProverBackend* b = g_default_backend.load(std::memory_order_acquire);
  return b != nullptr ? *b : cpu_backend();
}

void set_default_backend(ProverBackend& backend) noexcept { g_default_backend.store(&backend, std::memory_order_release); }

}  // namespace zkamm::snark
