// The CUDA backend's device layer (cuda/gpu.hpp): resident point sets, Pippenger MSM with the
// steps of cuda/msm_plan.hpp, radix-2 NTTs with the steps of cuda/ntt_plan.hpp, and the
// Groth16 quotient step with A, B and C on the device throughout.
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>
#include <cuda_runtime.h>

#include <cstring>
#include <map>
#include <stdexcept>
#include <utility>

#include "cuda/gpu.hpp"
#include "cuda/msm_plan.hpp"
#include "cuda/ntt_plan.hpp"

namespace zkamm::cuda {
namespace {

void check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorString(e));
}
#define ZKAMM_CU(call) check((call), #call)

/// Set once the device's default memory pool keeps what is freed (CudaGpu's constructor): then
/// device memory is allocated and freed in stream order from that pool. An MSM takes some hundred
/// MB of scratch in a dozen buffers, and cudaMalloc/cudaFree cost a device synchronisation each;
/// the pool hands the same memory to the next MSM without one.
bool g_pool = false;

/// Device memory, freed on destruction.
class DevBuf {
 public:
  DevBuf() = default;
  explicit DevBuf(size_t bytes) { resize(bytes); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  DevBuf(DevBuf&& o) noexcept : p_(std::exchange(o.p_, nullptr)), n_(std::exchange(o.n_, 0)) {}
  DevBuf& operator=(DevBuf&& o) noexcept {
    if (this != &o) {
      reset();
      p_ = std::exchange(o.p_, nullptr);
      n_ = std::exchange(o.n_, 0);
    }
    return *this;
  }
  ~DevBuf() { reset(); }
  void reset() {
    if (p_ != nullptr) {
      if (g_pool) {
        cudaFreeAsync(p_, 0);
      } else {
        cudaFree(p_);
      }
    }
    p_ = nullptr;
    n_ = 0;
  }
  /// At least `bytes` (contents not kept when it grows).
  void resize(size_t bytes) {
    if (bytes <= n_ && p_ != nullptr) return;
    reset();
    const size_t want = bytes == 0 ? 16 : bytes;
    if (g_pool) {
      ZKAMM_CU(cudaMallocAsync(&p_, want, 0));
    } else {
      ZKAMM_CU(cudaMalloc(&p_, want));
    }
    n_ = bytes;
  }
  template <class T>
  T* as() const {
    return static_cast<T*>(p_);
  }

 private:
  void* p_ = nullptr;
  size_t n_ = 0;
};

constexpr unsigned kThreads = 256;
unsigned blocks_for(size_t n, unsigned threads = kThreads) {
  return static_cast<unsigned>((n + threads - 1) / threads);
}

// ---- MSM kernels ----

__global__ void k_pairs(const uint32_t* scalars, uint32_t n, unsigned c, unsigned windows, uint32_t* keys,
                        uint32_t* values) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  uint32_t s[8];
#pragma unroll
  for (int j = 0; j < 8; ++j) s[j] = scalars[static_cast<size_t>(i) * 8 + j];
  scalar_to_pairs(s, i, n, c, windows, keys, values);
}

template <class P>
__global__ void k_fill_identity(P* out, size_t n) {
  const size_t i = static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) out[i] = P::identity();
}

/// Level 0's point source: the sorted values index the concatenation first ++ second.
template <class F>
struct AddSignedBase {
  const uint32_t* values;
  const Affine<F>* first;
  uint32_t n_first;
  const Affine<F>* second;
  ZKAMM_HD Xyzz<F> operator()(const Xyzz<F>& acc, uint32_t j) const {
    const uint32_t v = values[j];
    const uint32_t i = v & 0x7fffffffu;
    const Affine<F> q = i < n_first ? first[i] : second[i - n_first];
    return acc.add_affine((v >> 31) ? q.neg() : q);
  }
};
/// Later levels' point source: the compacted partial sums.
template <class P>
struct AddPartial {
  const P* points;
  ZKAMM_HD P operator()(const P& acc, uint32_t j) const { return acc.add(points[j]); }
};

template <class P, class Add>
__global__ void k_reduce(uint32_t count, uint32_t k, const uint32_t* keys, uint32_t sentinel, Add add, P* buckets,
                         uint32_t* partial_keys, P* partial_points) {
  const uint32_t t = blockIdx.x * blockDim.x + threadIdx.x;
  if (static_cast<uint64_t>(t) * k >= count) return;
  reduce_chunk(t, count, k, keys, sentinel, add, buckets, partial_keys, partial_points);
}

__global__ void k_flags(const uint32_t* keys, uint32_t m, uint32_t sentinel, uint32_t* flags) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < m) flags[i] = keys[i] != sentinel ? 1u : 0u;
}

template <class P>
__global__ void k_compact(const uint32_t* keys, const P* points, const uint32_t* flags, const uint32_t* pos, uint32_t m,
                          uint32_t* out_keys, P* out_points) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= m || flags[i] == 0) return;
  out_keys[pos[i]] = keys[i];
  out_points[pos[i]] = points[i];
}

template <class P>
__global__ void k_segments(const P* buckets, uint32_t nb, unsigned windows, uint32_t seg_len, uint32_t segs, P* out) {
  const uint32_t t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t >= windows * segs) return;
  const uint32_t w = t / segs, s = t % segs;
  const uint32_t lo = s * seg_len;
  const uint32_t hi = lo + seg_len < nb ? lo + seg_len : nb;
  out[t] = segment_sum(buckets + static_cast<size_t>(w) * nb, lo, hi);
}

/// One block of kWindowThreads per window: strided partial sums, then a tree in shared memory.
template <class P>
__global__ void k_window_sums(const P* segs_out, uint32_t segs, P* windows_out) {
  __shared__ P part[kWindowThreads];
  const uint32_t w = blockIdx.x;
  P acc = P::identity();
  for (uint32_t s = threadIdx.x; s < segs; s += kWindowThreads) acc = acc.add(segs_out[static_cast<size_t>(w) * segs + s]);
  part[threadIdx.x] = acc;
  __syncthreads();
  for (unsigned half = kWindowThreads / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) part[threadIdx.x] = part[threadIdx.x].add(part[threadIdx.x + half]);
    __syncthreads();
  }
  if (threadIdx.x == 0) windows_out[w] = part[0];
}

// ---- NTT kernels ----

__global__ void k_powers(Fr* out, Fr base, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = base.pow_u32(i);
}
__global__ void k_bitrev(Fr* a, uint32_t n, unsigned log_n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const uint32_t j = bit_reverse(i, log_n);
  if (i < j) {
    const Fr t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
__global__ void k_butterflies(Fr* a, const Fr* tw, uint32_t half_n, unsigned s, unsigned log_n) {
  const uint32_t t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t < half_n) ntt_butterfly(a, tw, t, s, log_n, 0);
}
__global__ void k_mul_table(Fr* a, const Fr* table, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) a[i] = a[i] * table[i];
}
__global__ void k_mul_const(Fr* a, Fr k, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) a[i] = a[i] * k;
}
__global__ void k_ab_minus_c(Fr* a, const Fr* b, const Fr* c, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) a[i] = a[i] * b[i] - c[i];
}

struct Resident {
  DevBuf buf;
  size_t n = 0;
  bool g2 = false;
};

class CudaGpu final : public Gpu {
 public:
  explicit CudaGpu(int device) : device_(device) {
    ZKAMM_CU(cudaGetDeviceProperties(&prop_, device));
    int pools = 0;
    cudaMemPool_t pool;
    if (cudaDeviceGetAttribute(&pools, cudaDevAttrMemoryPoolsSupported, device) == cudaSuccess && pools != 0 &&
        cudaDeviceGetDefaultMemPool(&pool, device) == cudaSuccess) {
      uint64_t keep = UINT64_MAX;  // freed memory stays in the pool for the next operation
      g_pool = cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep) == cudaSuccess;
    }
  }

  std::string describe() const override {
    return std::string(prop_.name) + " (sm_" + std::to_string(prop_.major) + std::to_string(prop_.minor) + ", " +
           std::to_string(prop_.multiProcessorCount) + " SMs, " + std::to_string(prop_.totalGlobalMem >> 30) + " GiB)";
  }

  BasesHandle upload_g1(const G1AffineD* points, size_t n) override { return upload(points, n, false); }
  BasesHandle upload_g2(const G2AffineD* points, size_t n) override { return upload(points, n, true); }
  void release(BasesHandle h) override { resident_.erase(h); }

  ScalarsHandle upload_scalars(const uint32_t* scalars, size_t n) override {
    Resident r;
    r.buf.resize(n * 32);
    r.n = n;
    ZKAMM_CU(cudaMemcpy(r.buf.as<uint32_t>(), scalars, n * 32, cudaMemcpyHostToDevice));
    const ScalarsHandle h = next_handle_++;
    scalars_.emplace(h, std::move(r));
    return h;
  }
  void release_scalars(ScalarsHandle h) override { scalars_.erase(h); }

  MsmWindows<G1Xyzz> msm_g1(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                            size_t n) override {
    return msm<Fq>(first, second, scalars_at(scalars, offset, n), n);
  }
  MsmWindows<G2Xyzz> msm_g2(BasesHandle first, BasesHandle second, ScalarsHandle scalars, size_t offset,
                            size_t n) override {
    return msm<Fq2>(first, second, scalars_at(scalars, offset, n), n);
  }

  void ntt(Fr* values, unsigned log_n, const Fr& root, const Fr& root_inv, const Fr& n_inv, bool inverse,
           const Fr* shift, const Fr* shift_inv) override {
    trim_cache();
    const uint32_t n = 1u << log_n;
    DevBuf a(size_t{n} * sizeof(Fr));
    ZKAMM_CU(cudaMemcpy(a.as<Fr>(), values, size_t{n} * sizeof(Fr), cudaMemcpyHostToDevice));
    if (!inverse && shift != nullptr) k_mul_table<<<blocks_for(n), kThreads>>>(a.as<Fr>(), powers(*shift, n), n);
    transform(a.as<Fr>(), log_n, inverse ? root_inv : root, inverse);
    if (inverse) k_mul_const<<<blocks_for(n), kThreads>>>(a.as<Fr>(), n_inv, n);
    if (inverse && shift_inv != nullptr) k_mul_table<<<blocks_for(n), kThreads>>>(a.as<Fr>(), powers(*shift_inv, n), n);
    ZKAMM_CU(cudaGetLastError());
    ZKAMM_CU(cudaMemcpy(values, a.as<Fr>(), size_t{n} * sizeof(Fr), cudaMemcpyDeviceToHost));
  }

  void quotient(Fr* a, const Fr* b, const Fr* c, unsigned log_n, const Fr& root, const Fr& root_inv, const Fr& n_inv,
                const Fr& w2n) override {
    trim_cache();
    const uint32_t n = 1u << log_n;
    const size_t bytes = size_t{n} * sizeof(Fr);
    DevBuf da(bytes), db(bytes), dc(bytes);
    ZKAMM_CU(cudaMemcpy(da.as<Fr>(), a, bytes, cudaMemcpyHostToDevice));
    ZKAMM_CU(cudaMemcpy(db.as<Fr>(), b, bytes, cudaMemcpyHostToDevice));
    ZKAMM_CU(cudaMemcpy(dc.as<Fr>(), c, bytes, cudaMemcpyHostToDevice));
    const Fr* pw = powers(w2n, n);
    for (Fr* v : {da.as<Fr>(), db.as<Fr>(), dc.as<Fr>()}) {
      transform(v, log_n, root_inv, true);
      k_mul_const<<<blocks_for(n), kThreads>>>(v, n_inv, n);
      k_mul_table<<<blocks_for(n), kThreads>>>(v, pw, n);
      transform(v, log_n, root, false);
    }
    k_ab_minus_c<<<blocks_for(n), kThreads>>>(da.as<Fr>(), db.as<Fr>(), dc.as<Fr>(), n);
    ZKAMM_CU(cudaGetLastError());
    ZKAMM_CU(cudaMemcpy(a, da.as<Fr>(), bytes, cudaMemcpyDeviceToHost));
  }

  double time_ntt_ms(unsigned log_n, const Fr& root, int reps) override {
    trim_cache();
    const uint32_t n = 1u << log_n;
    DevBuf a(size_t{n} * sizeof(Fr));
    k_powers<<<blocks_for(n), kThreads>>>(a.as<Fr>(), root, n);  // any data will do
    transform(a.as<Fr>(), log_n, root, false);                    // warm: twiddles built
    cudaEvent_t start, stop;
    ZKAMM_CU(cudaEventCreate(&start));
    ZKAMM_CU(cudaEventCreate(&stop));
    float best = 0;
    for (int r = 0; r < reps; ++r) {
      ZKAMM_CU(cudaEventRecord(start));
      transform(a.as<Fr>(), log_n, root, false);
      ZKAMM_CU(cudaEventRecord(stop));
      ZKAMM_CU(cudaEventSynchronize(stop));
      float ms = 0;
      ZKAMM_CU(cudaEventElapsedTime(&ms, start, stop));
      if (r == 0 || ms < best) best = ms;
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    return best;
  }

 private:
  template <class A>
  BasesHandle upload(const A* points, size_t n, bool g2) {
    Resident r;
    r.buf.resize(n * sizeof(A));
    r.n = n;
    r.g2 = g2;
    ZKAMM_CU(cudaMemcpy(r.buf.as<A>(), points, n * sizeof(A), cudaMemcpyHostToDevice));
    const BasesHandle h = next_handle_++;
    resident_.emplace(h, std::move(r));
    return h;
  }

  /// Resident scalars [offset, offset + n) of set h, on the device.
  const uint32_t* scalars_at(ScalarsHandle h, size_t offset, size_t n) const {
    auto it = scalars_.find(h);
    if (it == scalars_.end() || offset > it->second.n || n > it->second.n - offset) {
      throw std::runtime_error("CUDA backend: unknown scalars or a range outside them");
    }
    return it->second.buf.as<uint32_t>() + offset * 8;
  }

  const Resident* find(BasesHandle h, bool g2) const {
    if (h == 0) return nullptr;
    auto it = resident_.find(h);
    if (it == resident_.end() || it->second.g2 != g2) throw std::runtime_error("CUDA backend: unknown point set");
    return &it->second;
  }

  /// d_scalars: n scalars on the device.
  template <class F>
  MsmWindows<Xyzz<F>> msm(BasesHandle first, BasesHandle second, const uint32_t* d_scalars, size_t n) {
    using P = Xyzz<F>;
    constexpr bool kG2 = sizeof(F) != sizeof(Fq);
    const Resident* r0 = find(first, kG2);
    const Resident* r1 = find(second, kG2);
    const size_t have = (r0 ? r0->n : 0) + (r1 ? r1->n : 0);
    if (have != n) throw std::runtime_error("CUDA backend: MSM sizes differ");
    const MsmShape shape = msm_shape(n);
    const unsigned windows = shape.windows;
    const uint32_t nb = shape.buckets, sentinel = shape.sentinel;
    MsmWindows<P> out{shape.c, std::vector<P>(windows, P::identity())};
    if (n == 0) return out;
    if (static_cast<uint64_t>(windows) * n >= (uint64_t{1} << 31)) throw std::runtime_error("CUDA backend: MSM too large");
    const uint32_t total = static_cast<uint32_t>(windows * n);

    DevBuf keys0(size_t{total} * 4), keys1(size_t{total} * 4), vals0(size_t{total} * 4), vals1(size_t{total} * 4);
    k_pairs<<<blocks_for(n), kThreads>>>(d_scalars, static_cast<uint32_t>(n), out.c, windows, keys0.as<uint32_t>(),
                                         vals0.as<uint32_t>());
    ZKAMM_CU(cudaGetLastError());

    int end_bit = 1;
    while ((uint64_t{1} << end_bit) <= sentinel) ++end_bit;
    cub::DoubleBuffer<uint32_t> dk(keys0.as<uint32_t>(), keys1.as<uint32_t>());
    cub::DoubleBuffer<uint32_t> dv(vals0.as<uint32_t>(), vals1.as<uint32_t>());
    size_t temp_bytes = 0;
    ZKAMM_CU(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, dk, dv, static_cast<int64_t>(total), 0, end_bit));
    temp_.resize(temp_bytes);
    ZKAMM_CU(cub::DeviceRadixSort::SortPairs(temp_.as<void>(), temp_bytes, dk, dv, static_cast<int64_t>(total), 0, end_bit));

    DevBuf buckets(size_t{sentinel} * sizeof(P));
    k_fill_identity<<<blocks_for(sentinel), kThreads>>>(buckets.as<P>(), sentinel);

    // Level 0 over the sorted pairs, then the compacted partial sums until no run is shared.
    constexpr uint32_t kChunk = kMsmChunk;
    constexpr unsigned kReduceThreads = 128;
    uint32_t count = total;
    uint32_t chunks = (count + kChunk - 1) / kChunk;
    DevBuf pk(size_t{2} * chunks * 4), pp(size_t{2} * chunks * sizeof(P));
    const AddSignedBase<F> add0{dv.Current(), r0 ? r0->buf.as<Affine<F>>() : nullptr, static_cast<uint32_t>(r0 ? r0->n : 0),
                                r1 ? r1->buf.as<Affine<F>>() : nullptr};
    k_reduce<<<blocks_for(chunks, kReduceThreads), kReduceThreads>>>(count, kChunk, dk.Current(), sentinel, add0,
                                                                    buckets.as<P>(), pk.as<uint32_t>(), pp.as<P>());
    ZKAMM_CU(cudaGetLastError());
    keys0.reset(), keys1.reset(), vals0.reset(), vals1.reset();
    DevBuf cur_keys, cur_pts, flags, pos;
    for (;;) {
      const uint32_t m = 2 * chunks;
      flags.resize(size_t{m} * 4);
      pos.resize(size_t{m} * 4);
      k_flags<<<blocks_for(m), kThreads>>>(pk.as<uint32_t>(), m, sentinel, flags.as<uint32_t>());
      ZKAMM_CU(cub::DeviceScan::ExclusiveSum(nullptr, temp_bytes, flags.as<uint32_t>(), pos.as<uint32_t>(), static_cast<int64_t>(m)));
      temp_.resize(temp_bytes);
      ZKAMM_CU(cub::DeviceScan::ExclusiveSum(temp_.as<void>(), temp_bytes, flags.as<uint32_t>(), pos.as<uint32_t>(),
                                             static_cast<int64_t>(m)));
      uint32_t last_pos = 0, last_flag = 0;
      ZKAMM_CU(cudaMemcpy(&last_pos, pos.as<uint32_t>() + (m - 1), 4, cudaMemcpyDeviceToHost));
      ZKAMM_CU(cudaMemcpy(&last_flag, flags.as<uint32_t>() + (m - 1), 4, cudaMemcpyDeviceToHost));
      count = last_pos + last_flag;
      if (count == 0) break;
      cur_keys.resize(size_t{count} * 4);
      cur_pts.resize(size_t{count} * sizeof(P));
      k_compact<<<blocks_for(m), kThreads>>>(pk.as<uint32_t>(), pp.as<P>(), flags.as<uint32_t>(), pos.as<uint32_t>(), m,
                                             cur_keys.as<uint32_t>(), cur_pts.as<P>());
      chunks = (count + kChunk - 1) / kChunk;
      DevBuf npk(size_t{2} * chunks * 4), npp(size_t{2} * chunks * sizeof(P));
      k_reduce<<<blocks_for(chunks, kReduceThreads), kReduceThreads>>>(count, kChunk, cur_keys.as<uint32_t>(), sentinel,
                                                                      AddPartial<P>{cur_pts.as<P>()}, buckets.as<P>(),
                                                                      npk.as<uint32_t>(), npp.as<P>());
      ZKAMM_CU(cudaGetLastError());
      pk = std::move(npk);
      pp = std::move(npp);
    }

    // Bucket reduction: segments of each window, then one block per window.
    const uint32_t seg_len = kMsmSegment;
    const uint32_t segs = (nb + seg_len - 1) / seg_len;
    DevBuf seg_out(size_t{windows} * segs * sizeof(P)), win(size_t{windows} * sizeof(P));
    k_segments<<<blocks_for(size_t{windows} * segs, kReduceThreads), kReduceThreads>>>(buckets.as<P>(), nb, windows, seg_len,
                                                                                       segs, seg_out.as<P>());
    k_window_sums<<<windows, kWindowThreads>>>(seg_out.as<P>(), segs, win.as<P>());
    ZKAMM_CU(cudaGetLastError());
    ZKAMM_CU(cudaMemcpy(out.windows.data(), win.as<P>(), size_t{windows} * sizeof(P), cudaMemcpyDeviceToHost));
    return out;
  }

  /// Bounds the powers cache; called only between operations (tables in use stay valid).
  void trim_cache() {
    if (powers_.size() > 16) powers_.clear();
  }

  /// base^i, i < n, on the device (cached: twiddles and coset shifts repeat from proof to proof).
  const Fr* powers(const Fr& base, uint32_t n) {
    std::string key(reinterpret_cast<const char*>(base.l), sizeof base.l);
    key += std::to_string(n);
    auto it = powers_.find(key);
    if (it != powers_.end()) return it->second.as<Fr>();
    DevBuf buf(size_t{n} * sizeof(Fr));
    k_powers<<<blocks_for(n), kThreads>>>(buf.as<Fr>(), base, n);
    ZKAMM_CU(cudaGetLastError());
    return powers_.emplace(std::move(key), std::move(buf)).first->second.as<Fr>();
  }

  /// Bit reversal and log_n butterfly stages with twiddles w^k, k < n/2 (no scaling).
  void transform(Fr* a, unsigned log_n, const Fr& w, bool /*inverse*/) {
    const uint32_t n = 1u << log_n;
    if (n == 1) return;
    const Fr* tw = powers(w, n / 2);
    k_bitrev<<<blocks_for(n), kThreads>>>(a, n, log_n);
    for (unsigned s = 0; s < log_n; ++s) k_butterflies<<<blocks_for(n / 2), kThreads>>>(a, tw, n / 2, s, log_n);
    ZKAMM_CU(cudaGetLastError());
  }

  int device_;
  cudaDeviceProp prop_{};
  std::map<BasesHandle, Resident> resident_;
  std::map<ScalarsHandle, Resident> scalars_;
  BasesHandle next_handle_ = 1;
  std::map<std::string, DevBuf> powers_;
  DevBuf temp_;
};

}  // namespace

std::unique_ptr<Gpu> Gpu::open(std::string* error) {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess || count == 0) {
    if (error != nullptr) {
      *error = e != cudaSuccess ? std::string("no usable CUDA device: ") + cudaGetErrorString(e) : "no CUDA device present";
    }
    return nullptr;
  }
  try {
    ZKAMM_CU(cudaSetDevice(0));
    return std::make_unique<CudaGpu>(0);
  } catch (const std::exception& ex) {
    if (error != nullptr) *error = ex.what();
    return nullptr;
  }
}

}  // namespace zkamm::cuda
