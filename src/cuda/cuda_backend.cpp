// snark::ProverBackend on one GPU: converts between the project's types and the device types,
// keeps the proving key's bases on the device (retain_bases, and any MSM of 2^16 points or more:
// recognised again by size and sampled points, also as the two halves of a concatenation such as
// the prover's C ++ H), and combines the MSM window sums on the host. One mutex: the GPU runs one operation at a time.
#include "cuda/cuda_backend.hpp"

#if ZKAMM_HAVE_CUDA

#include <algorithm>
#include <atomic>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "cuda/convert.hpp"
#include "cuda/gpu.hpp"
#include "ff/parallel.hpp"
#include "snark/ntt.hpp"

namespace zkamm::cuda {
namespace {

using ff::Fr;
using ff::U256;

/// A point set kept on the device, recognised again by its size and 65 sampled points (positions
/// k n / 64, k < 64, and n - 1). The proving key's sections are immutable while a prover runs,
/// and a different set of the same size that agrees on all 65 points does not occur in practice.
template <class HostAffine>
struct Retained {
  size_t n = 0;
  std::vector<HostAffine> samples;
  BasesHandle handle = 0;
  uint64_t last_use = 0;
  bool pinned = false;  // retain_bases (kept until release_bases) rather than cached
};

constexpr size_t kSamples = 65;
size_t sample_pos(size_t k, size_t n) { return k == kSamples - 1 ? n - 1 : k * n / (kSamples - 1); }

template <class HostAffine>
std::vector<HostAffine> take_samples(std::span<const HostAffine> bases) {
  std::vector<HostAffine> out;
  if (bases.empty()) return out;
  for (size_t k = 0; k < kSamples; ++k) out.push_back(bases[sample_pos(k, bases.size())]);
  return out;
}

/// True when `part` (a slice of an MSM's bases) holds set r's points at r's sampled positions.
template <class HostAffine>
bool matches(const Retained<HostAffine>& r, std::span<const HostAffine> part) {
  if (part.size() != r.n) return false;
  for (size_t k = 0; k < r.samples.size(); ++k) {
    if (!(part[sample_pos(k, r.n)] == r.samples[k])) return false;
  }
  return true;
}

/// MSMs with at least this many points keep their bases on the device (the prover's key
/// sections, which recur from proof to proof); the cache holds at most kMaxCached sets.
constexpr size_t kAutoRetainMin = size_t{1} << 16;
constexpr size_t kMaxCached = 12;

class CudaBackend final : public snark::ProverBackend {
 public:
  explicit CudaBackend(std::unique_ptr<Gpu> gpu) : gpu_(std::move(gpu)) {}
  ~CudaBackend() override { release_bases(); }

  const char* name() const noexcept override { return "cuda"; }

  // A CUDA error (out of memory, a lost device) must not take the prover down: the operation is
  // redone by the CPU backend, and the error reported once on stderr.
  ec::G1 msm_g1(const snark::MsmBases<ec::G1Config>& bases, std::span<const U256> scalars) override {
    try {
      std::lock_guard lock(mu_);
      return with_points(bases, [&](std::span<const ec::G1Affine> points) { return msm<ec::G1>(points, scalars, g1_); });
    } catch (const std::runtime_error& e) {
      fell_back(e);
      return snark::cpu_backend().msm_g1(bases, scalars);
    }
  }
  ec::G2 msm_g2(const snark::MsmBases<ec::G2Config>& bases, std::span<const U256> scalars) override {
    try {
      std::lock_guard lock(mu_);
      return with_points(bases, [&](std::span<const ec::G2Affine> points) { return msm<ec::G2>(points, scalars, g2_); });
    } catch (const std::runtime_error& e) {
      fell_back(e);
      return snark::cpu_backend().msm_g2(bases, scalars);
    }
  }

  void ntt(std::span<Fr> values, bool inverse) override {
    std::vector<Fr> keep(values.begin(), values.end());
    try {
      transform(values, inverse, nullptr);
    } catch (const std::runtime_error& e) {
      fell_back(e);
      std::copy(keep.begin(), keep.end(), values.begin());
      snark::cpu_backend().ntt(values, inverse);
    }
  }
  void coset_ntt(std::span<Fr> values, const Fr& shift, bool inverse) override {
    std::vector<Fr> keep(values.begin(), values.end());
    try {
      transform(values, inverse, &shift);
    } catch (const std::runtime_error& e) {
      fell_back(e);
      std::copy(keep.begin(), keep.end(), values.begin());
      snark::cpu_backend().coset_ntt(values, shift, inverse);
    }
  }

  void quotient_odd_coset(std::span<Fr> a, std::span<Fr> b, std::span<Fr> c) override {
    const unsigned log_n = static_cast<unsigned>(__builtin_ctzll(a.size()));
    const Fr root = snark::root_of_unity(log_n);
    const Fr w2n = snark::root_of_unity(log_n + 1);
    try {
      std::lock_guard lock(mu_);
      // The device reads a, b, c and writes only a, after its last kernel.
      gpu_->quotient(dev_ptr(a), dev_ptr(b), dev_ptr(c), log_n, to_dev(root), to_dev(root.inverse()),
                     to_dev(Fr::from_u64(a.size()).inverse()), to_dev(w2n));
    } catch (const std::runtime_error& e) {
      fell_back(e);
      snark::cpu_backend().quotient_odd_coset(a, b, c);
    }
  }

  void retain_bases(std::span<const ec::G1Affine> bases) override {
    std::lock_guard lock(mu_);
    retain(bases, g1_, true);
  }
  void retain_bases(std::span<const ec::G2Affine> bases) override {
    std::lock_guard lock(mu_);
    retain(bases, g2_, true);
  }
  void release_bases() noexcept override {
    std::lock_guard lock(mu_);
    for (const auto& r : g1_) gpu_->release(r.handle);
    for (const auto& r : g2_) gpu_->release(r.handle);
    g1_.clear();
    g2_.clear();
  }

 private:
  /// Runs f on the bases as decoded points. A mapped key's records (`zkamm prove`) are decoded
  /// here on each MSM; the long-running workers hold decoded keys, which go to the device as they are.
  template <class Cfg, class F>
  static auto with_points(const snark::MsmBases<Cfg>& bases, F&& f) -> decltype(f(std::span<const ec::AffinePoint<Cfg>>{})) {
    if (bases.size() == 0 || !bases.decoded().empty()) return f(bases.decoded());
    std::vector<ec::AffinePoint<Cfg>> points(bases.size());
    for (size_t i = 0; i < points.size(); ++i) points[i] = bases[i];
    return f(std::span<const ec::AffinePoint<Cfg>>(points));
  }

  static cuda::Fr* dev_ptr(std::span<Fr> v) {
    static_assert(sizeof(Fr) == sizeof(cuda::Fr));
    return reinterpret_cast<cuda::Fr*>(v.data());
  }

  template <class HostAffine>
  BasesHandle upload(std::span<const HostAffine> bases) {
    using DevAffine = decltype(to_dev(bases[0]));
    std::vector<DevAffine> dev(bases.size());
    ff::parallel_for_chunks(bases.size(), [&](size_t begin, size_t end, unsigned) {
      for (size_t i = begin; i < end; ++i) dev[i] = to_dev(bases[i]);
    });
    if constexpr (std::is_same_v<HostAffine, ec::G1Affine>) {
      return gpu_->upload_g1(dev.data(), dev.size());
    } else {
      return gpu_->upload_g2(dev.data(), dev.size());
    }
  }

  template <class HostAffine>
  void retain(std::span<const HostAffine> bases, std::vector<Retained<HostAffine>>& sets, bool pinned) {
    for (auto& r : sets) {
      if (matches(r, bases)) {
        r.pinned = r.pinned || pinned;
        r.last_use = ++clock_;
        return;
      }
    }
    size_t cached = 0;
    for (const auto& r : sets) cached += r.pinned ? 0 : 1;
    if (!pinned && cached >= kMaxCached) {  // evict the least recently used cached set
      auto victim = sets.end();
      for (auto it = sets.begin(); it != sets.end(); ++it) {
        if (!it->pinned && (victim == sets.end() || it->last_use < victim->last_use)) victim = it;
      }
      gpu_->release(victim->handle);
      sets.erase(victim);
    }
    sets.push_back(Retained<HostAffine>{bases.size(), take_samples(bases), upload(bases), ++clock_, pinned});
  }

  /// The device set(s) holding `bases`: one set, or two whose concatenation it is (the prover's
  /// C ++ H); {0, 0} if none.
  template <class HostAffine>
  std::pair<BasesHandle, BasesHandle> lookup(std::span<const HostAffine> bases, std::vector<Retained<HostAffine>>& sets) {
    for (auto& r : sets) {
      if (matches(r, bases)) {
        r.last_use = ++clock_;
        return {r.handle, 0};
      }
    }
    for (auto& x : sets) {
      if (x.n >= bases.size() || !matches(x, bases.first(x.n))) continue;
      for (auto& y : sets) {
        if (x.n + y.n == bases.size() && matches(y, bases.subspan(x.n))) {
          x.last_use = y.last_use = ++clock_;
          return {x.handle, y.handle};
        }
      }
    }
    return {0, 0};
  }

  template <class Jac, class HostAffine>
  Jac msm(std::span<const HostAffine> bases, std::span<const U256> scalars, std::vector<Retained<HostAffine>>& sets) {
    if (bases.size() != scalars.size()) throw std::invalid_argument("msm: bases and scalars differ in length");
    if (bases.empty()) return Jac::identity();
    auto [first, second] = lookup(bases, sets);
    BasesHandle temporary = 0;
    if (first == 0) {
      if (bases.size() >= kAutoRetainMin) {
        retain(bases, sets, false);
        first = lookup(bases, sets).first;
      } else {
        first = temporary = upload(bases);
      }
    }
    const auto* raw = reinterpret_cast<const uint32_t*>(scalars.data());
    auto release = [&] {
      if (temporary != 0) gpu_->release(temporary);
    };
    Jac acc = Jac::identity();
    try {
      if constexpr (std::is_same_v<Jac, ec::G1>) {
        acc = combine<Jac>(gpu_->msm_g1(first, second, raw, scalars.size()));
      } else {
        acc = combine<Jac>(gpu_->msm_g2(first, second, raw, scalars.size()));
      }
    } catch (...) {
      release();
      throw;
    }
    release();
    return acc;
  }

  /// sum_w 2^(c w) windows[w], by Horner from the top window.
  template <class Jac, class W>
  static Jac combine(const W& w) {
    Jac acc = Jac::identity();
    for (size_t i = w.windows.size(); i-- > 0;) {
      for (unsigned b = 0; b < w.c; ++b) acc = acc.dbl();
      acc += to_host(w.windows[i]);
    }
    return acc;
  }

  void transform(std::span<Fr> values, bool inverse, const Fr* shift) {
    if (!snark::is_ntt_size(values.size())) throw std::invalid_argument("ntt: size is not a power of two <= 2^28");
    const unsigned log_n = static_cast<unsigned>(__builtin_ctzll(values.size()));
    const Fr root = snark::root_of_unity(log_n);
    const cuda::Fr s = shift ? to_dev(*shift) : cuda::Fr{};
    const cuda::Fr s_inv = shift ? to_dev(shift->inverse()) : cuda::Fr{};
    std::lock_guard lock(mu_);
    gpu_->ntt(dev_ptr(values), log_n, to_dev(root), to_dev(root.inverse()), to_dev(Fr::from_u64(values.size()).inverse()),
              inverse, shift && !inverse ? &s : nullptr, shift && inverse ? &s_inv : nullptr);
  }

  void fell_back(const std::runtime_error& e) {
    if (!warned_.exchange(true)) std::cerr << "cuda backend: " << e.what() << "; this step ran on the CPU backend" << std::endl;
  }

  std::unique_ptr<Gpu> gpu_;
  std::mutex mu_;
  std::atomic<bool> warned_{false};
  std::vector<Retained<ec::G1Affine>> g1_;
  std::vector<Retained<ec::G2Affine>> g2_;
  uint64_t clock_ = 0;
};

}  // namespace

std::unique_ptr<snark::ProverBackend> make_cuda_backend(std::string* error) {
  auto gpu = Gpu::open(error);
  if (!gpu) return nullptr;
  return std::make_unique<CudaBackend>(std::move(gpu));
}

}  // namespace zkamm::cuda

#endif  // ZKAMM_HAVE_CUDA
