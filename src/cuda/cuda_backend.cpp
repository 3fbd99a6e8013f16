// snark::ProverBackend on one GPU: converts between the project's types and the device types,
// keeps the proving key's bases on the device (retain_bases, and any MSM of
// BackendOptions::auto_retain_min points or more: recognised again by size and sampled points,
// also as the two halves of a concatenation of two kept sets), uploads each buffer of scalars
// once per batch of MSMs, and combines the MSM window sums on the host. One mutex: the GPU runs
// one operation at a time.
#include "cuda/cuda_backend.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <iostream>
#include <mutex>
#include <span>
#include <stdexcept>
#include <utility>
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
/// Only the samples are read to find a set: a mapped key's records are decoded when uploaded,
/// not on every MSM.
template <class Cfg>
struct Retained {
  size_t n = 0;
  std::vector<ec::AffinePoint<Cfg>> samples;
  BasesHandle handle = 0;
  uint64_t last_use = 0;
  bool pinned = false;  // retain_bases (kept until release_bases) rather than cached
};

constexpr size_t kSamples = 65;
size_t sample_pos(size_t k, size_t n) { return k == kSamples - 1 ? n - 1 : k * n / (kSamples - 1); }

template <class Cfg>
std::vector<ec::AffinePoint<Cfg>> take_samples(const snark::MsmBases<Cfg>& bases) {
  std::vector<ec::AffinePoint<Cfg>> out;
  if (bases.empty()) return out;
  for (size_t k = 0; k < kSamples; ++k) out.push_back(bases[sample_pos(k, bases.size())]);
  return out;
}

/// True when `part` (a slice of an MSM's bases) holds set r's points at r's sampled positions.
template <class Cfg>
bool matches(const Retained<Cfg>& r, const snark::MsmBases<Cfg>& part) {
  if (part.size() != r.n) return false;
  for (size_t k = 0; k < r.samples.size(); ++k) {
    if (!(part[sample_pos(k, r.n)] == r.samples[k])) return false;
  }
  return true;
}

/// A point set uploaded for one MSM, released when it ends (also when a CUDA error unwinds).
struct TemporaryBases {
  explicit TemporaryBases(Gpu& g) : gpu(g) {}
  TemporaryBases(const TemporaryBases&) = delete;
  TemporaryBases& operator=(const TemporaryBases&) = delete;
  ~TemporaryBases() {
    if (handle != 0) gpu.release(handle);
  }
  Gpu& gpu;
  BasesHandle handle = 0;
};

/// The scalars uploaded for one call (msm_g1/msm_g2/msm_many), released when it ends. A span that
/// lies inside an uploaded buffer is read there, at its offset.
class DeviceScalars {
 public:
  explicit DeviceScalars(Gpu& gpu) : gpu_(gpu) {}
  DeviceScalars(const DeviceScalars&) = delete;
  DeviceScalars& operator=(const DeviceScalars&) = delete;
  ~DeviceScalars() {
    for (const auto& u : uploaded_) gpu_.release_scalars(u.handle);
  }

  /// Uploads the union of each group of overlapping spans once (views of one witness overlap).
  void upload_covering(std::vector<std::span<const U256>> spans) {
    std::erase_if(spans, [](std::span<const U256> s) { return s.empty(); });
    std::sort(spans.begin(), spans.end(), [](auto a, auto b) { return address(a.data()) < address(b.data()); });
    for (size_t i = 0; i < spans.size();) {
      const U256* begin = spans[i].data();
      uintptr_t end = address(begin + spans[i].size());
      size_t j = i + 1;
      for (; j < spans.size() && address(spans[j].data()) < end; ++j) {
        end = std::max(end, address(spans[j].data() + spans[j].size()));
      }
      find_or_upload(std::span<const U256>(begin, (end - address(begin)) / sizeof(U256)));
      i = j;
    }
  }

  /// The device copy of s: a buffer already uploaded that holds it, or a new one.
  std::pair<ScalarsHandle, size_t> find_or_upload(std::span<const U256> s) {
    for (const auto& u : uploaded_) {
      if (address(s.data()) >= address(u.begin) && address(s.data() + s.size()) <= address(u.begin + u.n)) {
        return {u.handle, static_cast<size_t>(s.data() - u.begin)};
      }
    }
    const ScalarsHandle h = gpu_.upload_scalars(reinterpret_cast<const uint32_t*>(s.data()), s.size());
    uploaded_.push_back(Upload{s.data(), s.size(), h});
    return {h, 0};
  }

 private:
  // Spans of different buffers are compared as addresses (operator< between them is unspecified).
  static uintptr_t address(const U256* p) { return reinterpret_cast<uintptr_t>(p); }

  struct Upload {
    const U256* begin;
    size_t n;
    ScalarsHandle handle;
  };
  Gpu& gpu_;
  std::vector<Upload> uploaded_;
};

class CudaBackend final : public snark::ProverBackend {
 public:
  CudaBackend(std::unique_ptr<Gpu> gpu, BackendOptions options) : gpu_(std::move(gpu)), options_(options) {}
  ~CudaBackend() override { release_bases(); }

  const char* name() const noexcept override { return "cuda"; }

  // A CUDA error (out of memory, a lost device) must not take the prover down: the operation is
  // redone by the CPU backend, and the error reported once on stderr.
  ec::G1 msm_g1(const snark::MsmBases<ec::G1Config>& bases, std::span<const U256> scalars) override {
    try {
      std::lock_guard lock(mu_);
      DeviceScalars on_device{*gpu_};
      return msm<ec::G1>(bases, scalars, g1_, on_device);
    } catch (const std::runtime_error& e) {
      fell_back(e);
      return snark::cpu_backend().msm_g1(bases, scalars);
    }
  }
  ec::G2 msm_g2(const snark::MsmBases<ec::G2Config>& bases, std::span<const U256> scalars) override {
    try {
      std::lock_guard lock(mu_);
      DeviceScalars on_device{*gpu_};
      return msm<ec::G2>(bases, scalars, g2_, on_device);
    } catch (const std::runtime_error& e) {
      fell_back(e);
      return snark::cpu_backend().msm_g2(bases, scalars);
    }
  }

  // The prover's jobs read one witness (A, B1 and B2 all of it, C its private part): each buffer
  // of scalars goes to the device once for all the jobs that read it.
  void msm_many(std::span<const snark::MsmG1Job> g1, std::span<const snark::MsmG2Job> g2) override {
    try {
      std::lock_guard lock(mu_);
      DeviceScalars on_device{*gpu_};
      std::vector<std::span<const U256>> all;
      for (const auto& j : g1) all.push_back(j.scalars);
      for (const auto& j : g2) all.push_back(j.scalars);
      on_device.upload_covering(all);
      for (const auto& j : g1) *j.result = msm<ec::G1>(j.bases, j.scalars, g1_, on_device);
      for (const auto& j : g2) *j.result = msm<ec::G2>(j.bases, j.scalars, g2_, on_device);
    } catch (const std::runtime_error& e) {
      fell_back(e);
      snark::cpu_backend().msm_many(g1, g2);
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
    retain(snark::MsmBases<ec::G1Config>(bases), g1_, true);
  }
  void retain_bases(std::span<const ec::G2Affine> bases) override {
    std::lock_guard lock(mu_);
    retain(snark::MsmBases<ec::G2Config>(bases), g2_, true);
  }
  void release_bases() noexcept override {
    std::lock_guard lock(mu_);
    for (const auto& r : g1_) gpu_->release(r.handle);
    for (const auto& r : g2_) gpu_->release(r.handle);
    g1_.clear();
    g2_.clear();
  }

 private:
  static cuda::Fr* dev_ptr(std::span<Fr> v) {
    static_assert(sizeof(Fr) == sizeof(cuda::Fr));
    return reinterpret_cast<cuda::Fr*>(v.data());
  }

  /// Decodes (a mapped key's records) and converts the points on all cores, then copies them over.
  template <class Cfg>
  BasesHandle upload(const snark::MsmBases<Cfg>& bases) {
    using DevAffine = decltype(to_dev(bases[0]));
    std::vector<DevAffine> dev(bases.size());
    ff::parallel_for_chunks(bases.size(), [&](size_t begin, size_t end, unsigned) {
      for (size_t i = begin; i < end; ++i) dev[i] = to_dev(bases[i]);
    });
    if constexpr (std::is_same_v<Cfg, ec::G1Config>) {
      return gpu_->upload_g1(dev.data(), dev.size());
    } else {
      return gpu_->upload_g2(dev.data(), dev.size());
    }
  }

  template <class Cfg>
  void retain(const snark::MsmBases<Cfg>& bases, std::vector<Retained<Cfg>>& sets, bool pinned) {
    for (auto& r : sets) {
      if (matches(r, bases)) {
        r.pinned = r.pinned || pinned;
        r.last_use = ++clock_;
        return;
      }
    }
    size_t cached = 0;
    for (const auto& r : sets) cached += r.pinned ? 0 : 1;
    if (!pinned && cached >= options_.max_cached) {  // evict the least recently used cached set
      auto victim = sets.end();
      for (auto it = sets.begin(); it != sets.end(); ++it) {
        if (!it->pinned && (victim == sets.end() || it->last_use < victim->last_use)) victim = it;
      }
      gpu_->release(victim->handle);
      sets.erase(victim);
    }
    sets.push_back(Retained<Cfg>{bases.size(), take_samples(bases), upload(bases), ++clock_, pinned});
  }

  /// The device set(s) holding `bases`: one set, or two whose concatenation it is (a caller may
  /// join two key sections into one MSM, as the prover once did with C and H); {0, 0} if none.
  template <class Cfg>
  std::pair<BasesHandle, BasesHandle> lookup(const snark::MsmBases<Cfg>& bases, std::vector<Retained<Cfg>>& sets) {
    for (auto& r : sets) {
      if (matches(r, bases)) {
        r.last_use = ++clock_;
        return {r.handle, 0};
      }
    }
    for (auto& x : sets) {
      if (x.n >= bases.size() || !matches(x, bases.subspan(0, x.n))) continue;
      for (auto& y : sets) {
        if (x.n + y.n == bases.size() && matches(y, bases.subspan(x.n, y.n))) {
          x.last_use = y.last_use = ++clock_;
          return {x.handle, y.handle};
        }
      }
    }
    return {0, 0};
  }

  template <class Jac, class Cfg>
  Jac msm(const snark::MsmBases<Cfg>& bases, std::span<const U256> scalars, std::vector<Retained<Cfg>>& sets,
          DeviceScalars& on_device) {
    if (bases.size() != scalars.size()) throw std::invalid_argument("msm: bases and scalars differ in length");
    if (bases.empty()) return Jac::identity();
    auto [first, second] = lookup(bases, sets);
    TemporaryBases temporary{*gpu_};
    if (first == 0) {
      if (bases.size() >= options_.auto_retain_min) {
        retain(bases, sets, false);
        first = lookup(bases, sets).first;
      } else {
        first = temporary.handle = upload(bases);
      }
    }
    const auto [handle, offset] = on_device.find_or_upload(scalars);
    if constexpr (std::is_same_v<Jac, ec::G1>) {
      return combine<Jac>(gpu_->msm_g1(first, second, handle, offset, scalars.size()));
    } else {
      return combine<Jac>(gpu_->msm_g2(first, second, handle, offset, scalars.size()));
    }
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
  const BackendOptions options_;
  std::mutex mu_;
  std::atomic<bool> warned_{false};
  std::vector<Retained<ec::G1Config>> g1_;
  std::vector<Retained<ec::G2Config>> g2_;
  uint64_t clock_ = 0;
};

}  // namespace

std::unique_ptr<snark::ProverBackend> make_cuda_backend(std::string* error, BackendOptions options) {
#if ZKAMM_HAVE_CUDA
  auto gpu = Gpu::open(error);
  if (!gpu) return nullptr;
  return make_backend_on(std::move(gpu), options);
#else
  (void)options;
  if (error != nullptr) {
    *error = "this zkamm was built without CUDA (configure with -DZKAMM_CUDA=ON where nvcc is installed)";
  }
  return nullptr;
#endif
}

std::unique_ptr<snark::ProverBackend> make_backend_on(std::unique_ptr<Gpu> gpu, BackendOptions options) {
  return std::make_unique<CudaBackend>(std::move(gpu), options);
}

}  // namespace zkamm::cuda
