// cuda/emulated_gpu.hpp: gpu.cu's launches as loops. Each loop body is the kernel's body (the
// same __host__ __device__ function of the plan headers); a loop over independent threads runs on
// ff::parallel_for_chunks. Errors are the device layer's: std::runtime_error, as a CUDA error would be.
#include "cuda/emulated_gpu.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

#include "cuda/msm_plan.hpp"
#include "cuda/ntt_plan.hpp"
#include "ff/parallel.hpp"

namespace zkamm::cuda {
namespace {

/// Runs body(i) for every i < n, as a grid of independent threads.
template <class Body>
void grid(size_t n, Body&& body) {
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) body(i);
  });
}

class EmulatedGpu final : public Gpu {
 public:
  std::string describe() const override { return "CPU emulation of the CUDA device layer"; }

  BasesHandle upload_g1(const G1AffineD* points, size_t n) override { return upload(g1_, points, n); }
  BasesHandle upload_g2(const G2AffineD* points, size_t n) override { return upload(g2_, points, n); }
  void release(BasesHandle h) override {
    g1_.erase(h);
    g2_.erase(h);
  }

  ScalarsHandle upload_scalars(const uint32_t* scalars, size_t n) override {
    const ScalarsHandle h = next_handle_++;
    scalars_.emplace(h, std::vector<uint32_t>(scalars, scalars + n * 8));
    return h;
  }
  void release_scalars(ScalarsHandle h) override { scalars_.erase(h); }

  MsmWindows<G1Xyzz> msm_g1(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                            size_t n) override {
    return msm(g1_, first, second, scalars_at(scalars, offset, n), n);
  }
  MsmWindows<G2Xyzz> msm_g2(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                            size_t n) override {
    return msm(g2_, first, second, scalars_at(scalars, offset, n), n);
  }

  void ntt(Fr* values, unsigned log_n, const Fr& root, const Fr& root_inv, const Fr& n_inv, bool inverse,
           const Fr* shift, const Fr* shift_inv) override {
    const uint32_t n = 1u << log_n;
    std::vector<Fr> a(values, values + n);  // the device copy
    if (!inverse && shift != nullptr) mul_table(a.data(), powers(*shift, n), n);
    transform(a.data(), log_n, inverse ? root_inv : root);
    if (inverse) grid(n, [&](size_t i) { a[i] = a[i] * n_inv; });
    if (inverse && shift_inv != nullptr) mul_table(a.data(), powers(*shift_inv, n), n);
    std::copy(a.begin(), a.end(), values);
  }

  void quotient(Fr* a, const Fr* b, const Fr* c, unsigned log_n, const Fr& root, const Fr& root_inv, const Fr& n_inv,
                const Fr& w2n) override {
    const uint32_t n = 1u << log_n;
    std::vector<Fr> da(a, a + n), db(b, b + n), dc(c, c + n);
    const std::vector<Fr> pw = powers(w2n, n);
    for (std::vector<Fr>* v : {&da, &db, &dc}) {
      transform(v->data(), log_n, root_inv);
      grid(n, [&](size_t i) { (*v)[i] = (*v)[i] * n_inv; });
      mul_table(v->data(), pw, n);
      transform(v->data(), log_n, root);
    }
    grid(n, [&](size_t i) { da[i] = da[i] * db[i] - dc[i]; });
    std::copy(da.begin(), da.end(), a);
  }

  double time_ntt_ms(unsigned log_n, const Fr& root, int reps) override {
    const uint32_t n = 1u << log_n;
    std::vector<Fr> a = powers(root, n);  // any data will do
    double best = 0;
    for (int r = 0; r < reps; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      transform(a.data(), log_n, root);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      if (r == 0 || ms < best) best = ms;
    }
    return best;
  }

 private:
  template <class A>
  using Sets = std::map<BasesHandle, std::vector<A>>;

  template <class A>
  BasesHandle upload(Sets<A>& sets, const A* points, size_t n) {
    const BasesHandle h = next_handle_++;
    sets.emplace(h, std::vector<A>(points, points + n));
    return h;
  }

  const uint32_t* scalars_at(ScalarsHandle h, size_t offset, size_t n) const {
    auto it = scalars_.find(h);
    if (it == scalars_.end() || offset > it->second.size() / 8 || n > it->second.size() / 8 - offset) {
      throw std::runtime_error("CUDA backend: unknown scalars or a range outside them");
    }
    return it->second.data() + offset * 8;
  }

  template <class A>
  static const std::vector<A>* find(const Sets<A>& sets, BasesHandle h) {
    if (h == 0) return nullptr;
    auto it = sets.find(h);
    if (it == sets.end()) throw std::runtime_error("CUDA backend: unknown point set");
    return &it->second;
  }

  /// gpu.cu's CudaGpu::msm, launch by launch.
  template <class F>
  static MsmWindows<Xyzz<F>> msm(const Sets<Affine<F>>& sets, BasesHandle first, BasesHandle second,
                                 const uint32_t* scalars, size_t n) {
    using P = Xyzz<F>;
    const std::vector<Affine<F>>* r0 = find(sets, first);
    const std::vector<Affine<F>>* r1 = find(sets, second);
    const size_t have = (r0 ? r0->size() : 0) + (r1 ? r1->size() : 0);
    if (have != n) throw std::runtime_error("CUDA backend: MSM sizes differ");
    const MsmShape shape = msm_shape(n);  // not a structured binding: clang 14 lambdas cannot capture one
    const unsigned windows = shape.windows;
    const uint32_t nb = shape.buckets, sentinel = shape.sentinel;
    MsmWindows<P> out{shape.c, std::vector<P>(windows, P::identity())};
    if (n == 0) return out;
    if (static_cast<uint64_t>(windows) * n >= (uint64_t{1} << 31))
      throw std::runtime_error("CUDA backend: MSM too large");
    const uint32_t total = static_cast<uint32_t>(windows * n);

    // k_pairs, then the radix sort (stable, by key).
    std::vector<uint32_t> keys(total), vals(total);
    grid(n, [&](size_t i) {
      scalar_to_pairs(scalars + i * 8, static_cast<uint32_t>(i), static_cast<uint32_t>(n), out.c, windows, keys.data(),
                      vals.data());
    });
    std::vector<uint64_t> pairs(total);
    grid(total, [&](size_t i) { pairs[i] = (uint64_t{keys[i]} << 32) | i; });
    std::sort(pairs.begin(), pairs.end());
    std::vector<uint32_t> sk(total), sv(total);
    grid(total, [&](size_t i) {
      sk[i] = static_cast<uint32_t>(pairs[i] >> 32);
      sv[i] = vals[static_cast<uint32_t>(pairs[i])];
    });

    // k_fill_identity, k_reduce level 0 (AddSignedBase), then compaction and later levels.
    std::vector<P> buckets(sentinel, P::identity());
    const uint32_t n_first = r0 ? static_cast<uint32_t>(r0->size()) : 0;
    auto add0 = [&](const P& acc, uint32_t j) {
      const uint32_t v = sv[j];
      const uint32_t i = v & 0x7fffffffu;
      const Affine<F> q = i < n_first ? (*r0)[i] : (*r1)[i - n_first];
      return acc.add_affine((v >> 31) ? q.neg() : q);
    };
    uint32_t count = total;
    uint32_t chunks = (count + kMsmChunk - 1) / kMsmChunk;
    std::vector<uint32_t> pk(size_t{2} * chunks);
    std::vector<P> pp(size_t{2} * chunks);
    grid(chunks, [&](size_t t) {
      reduce_chunk(static_cast<uint32_t>(t), count, kMsmChunk, sk.data(), sentinel, add0, buckets.data(), pk.data(),
                   pp.data());
    });
    std::vector<uint32_t> cur_keys;
    std::vector<P> cur_pts;
    for (;;) {
      cur_keys.clear();
      cur_pts.clear();
      for (size_t s = 0; s < pk.size(); ++s) {  // k_flags, the exclusive scan, k_compact
        if (pk[s] != sentinel) cur_keys.push_back(pk[s]), cur_pts.push_back(pp[s]);
      }
      count = static_cast<uint32_t>(cur_keys.size());
      if (count == 0) break;
      chunks = (count + kMsmChunk - 1) / kMsmChunk;
      pk.assign(size_t{2} * chunks, 0);
      pp.assign(size_t{2} * chunks, P::identity());
      auto add = [&](const P& acc, uint32_t j) { return acc.add(cur_pts[j]); };
      grid(chunks, [&](size_t t) {
        reduce_chunk(static_cast<uint32_t>(t), count, kMsmChunk, cur_keys.data(), sentinel, add, buckets.data(),
                     pk.data(), pp.data());
      });
    }

    // k_segments, then k_window_sums (strided partial sums per thread, then the tree).
    const uint32_t segs = (nb + kMsmSegment - 1) / kMsmSegment;
    std::vector<P> seg_out(size_t{windows} * segs);
    grid(seg_out.size(), [&](size_t t) {
      const uint32_t w = static_cast<uint32_t>(t / segs), s = static_cast<uint32_t>(t % segs);
      const uint32_t lo = s * kMsmSegment;
      const uint32_t hi = lo + kMsmSegment < nb ? lo + kMsmSegment : nb;
      seg_out[t] = segment_sum(buckets.data() + size_t{w} * nb, lo, hi);
    });
    grid(windows, [&](size_t w) {
      P part[kWindowThreads];
      for (unsigned th = 0; th < kWindowThreads; ++th) {
        P acc = P::identity();
        for (uint32_t s = th; s < segs; s += kWindowThreads) acc = acc.add(seg_out[w * segs + s]);
        part[th] = acc;
      }
      for (unsigned half = kWindowThreads / 2; half > 0; half /= 2) {
        for (unsigned th = 0; th < half; ++th) part[th] = part[th].add(part[th + half]);
      }
      out.windows[w] = part[0];
    });
    return out;
  }

  /// k_powers: base^i, i < n.
  static std::vector<Fr> powers(const Fr& base, uint32_t n) {
    std::vector<Fr> out(n);
    grid(n, [&](size_t i) { out[i] = base.pow_u32(static_cast<uint32_t>(i)); });
    return out;
  }
  static void mul_table(Fr* a, const std::vector<Fr>& table, uint32_t n) {
    grid(n, [&](size_t i) { a[i] = a[i] * table[i]; });
  }

  /// gpu.cu's transform: k_bitrev, then one k_butterflies launch per stage.
  static void transform(Fr* a, unsigned log_n, const Fr& w) {
    const uint32_t n = 1u << log_n;
    if (n == 1) return;
    const std::vector<Fr> tw = powers(w, n / 2);
    for (uint32_t i = 0; i < n; ++i) {  // k_bitrev: each pair swapped by its lower index's thread
      const uint32_t j = bit_reverse(i, log_n);
      if (i < j) std::swap(a[i], a[j]);
    }
    for (unsigned s = 0; s < log_n; ++s) {
      grid(n / 2, [&](size_t t) { ntt_butterfly(a, tw.data(), static_cast<uint32_t>(t), s, log_n, 0); });
    }
  }

  Sets<G1AffineD> g1_;
  Sets<G2AffineD> g2_;
  std::map<ScalarsHandle, std::vector<uint32_t>> scalars_;
  BasesHandle next_handle_ = 1;
};

}  // namespace

std::unique_ptr<Gpu> make_emulated_gpu() { return std::make_unique<EmulatedGpu>(); }

}  // namespace zkamm::cuda
