#include "snark/ntt.hpp"

#include <array>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "ff/parallel.hpp"

namespace zkamm::snark {

using ff::Fr;

namespace {

/// Below this size a transform runs on one thread (thread start-up would dominate).
constexpr size_t kParallelThreshold = size_t{1} << 12;
/// Stages whose butterflies stay inside blocks of this many elements run block by block, so the
/// early stages work in cache.
constexpr size_t kBlockSize = size_t{1} << 12;

/// (r - 1) / 2^28, the odd part t of r - 1.
ff::U256 odd_part_of_r_minus_1() noexcept {
  ff::U256 t{};
  ff::sub_with_borrow(t, Fr::kModulus, ff::U256{1, 0, 0, 0});
  for (unsigned i = 0; i < ff::kFrTwoAdicity; ++i) t = ff::shift_right(t, 1);
  return t;
}

const std::array<Fr, kMaxLogNtt + 1>& roots_table() noexcept {
  static const std::array<Fr, kMaxLogNtt + 1> roots = [] {
    std::array<Fr, kMaxLogNtt + 1> w{};
    w[kMaxLogNtt] = fr_smallest_non_residue().pow(odd_part_of_r_minus_1());
    for (unsigned k = kMaxLogNtt; k-- > 0;) w[k] = w[k + 1].square();
    return w;
  }();
  return roots;
}

unsigned log2_exact(size_t n) noexcept { return static_cast<unsigned>(__builtin_ctzll(n)); }

/// Twiddles for a transform of size n, laid out by stage: tw[m + j] = w_{2m}^j for each stage
/// half-size m (a power of two < n) and j < m, so each stage reads a contiguous run.
struct Twiddles {
  std::vector<Fr> tw;
};

std::shared_ptr<const Twiddles> build_twiddles(unsigned log_n, bool inverse) {
  auto t = std::make_shared<Twiddles>();
  const size_t n = size_t{1} << log_n;
  t->tw.resize(n);
  if (n < 2) return t;
  Fr w = root_of_unity(log_n);
  if (inverse) w = w.inverse();
  const size_t half = n / 2;
  // Last stage (m = n/2): powers of w_n, filled in parallel from per-chunk starting powers.
  ff::parallel_for_chunks(half, [&](size_t begin, size_t end, unsigned) {
    Fr x = w.pow(ff::U256{begin, 0, 0, 0});
    for (size_t j = begin; j < end; ++j) {
      t->tw[half + j] = x;
      x *= w;
    }
  }, half >= kParallelThreshold ? 0u : 1u);
  for (size_t m = half / 2; m >= 1; m /= 2) {
    for (size_t j = 0; j < m; ++j) t->tw[m + j] = t->tw[2 * m + 2 * j];
  }
  return t;
}

std::shared_ptr<const Twiddles> twiddles(unsigned log_n, bool inverse) {
  static std::mutex mutex;
  static std::array<std::shared_ptr<const Twiddles>, 2 * (kMaxLogNtt + 1)> cache;
  const size_t slot = 2 * log_n + (inverse ? 1 : 0);
  {
    std::lock_guard lock(mutex);
    if (cache[slot]) return cache[slot];
  }
  auto t = build_twiddles(log_n, inverse);
  std::lock_guard lock(mutex);
  if (!cache[slot]) cache[slot] = std::move(t);
  return cache[slot];
}

size_t bit_reverse(size_t i, unsigned bits) noexcept {
  size_t r = 0;
  for (unsigned b = 0; b < bits; ++b) {
    r = (r << 1) | (i & 1);
    i >>= 1;
  }
  return r;
}

void bit_reverse_permute(std::span<Fr> a, unsigned log_n) {
  const size_t n = a.size();
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) {
      const size_t j = bit_reverse(i, log_n);
      if (i < j) std::swap(a[i], a[j]);
    }
  }, n >= kParallelThreshold ? 0u : 1u);
}

/// Stages m = 1, 2, ..., m_end/2 on a[begin, begin + len), len a multiple of m_end.
void stages_in_block(Fr* a, size_t len, size_t m_end, const Fr* tw) noexcept {
  for (size_t m = 1; m < m_end; m *= 2) {
    const Fr* w = tw + m;
    for (size_t k = 0; k < len; k += 2 * m) {
      Fr* lo = a + k;
      Fr* hi = a + k + m;
      for (size_t j = 0; j < m; ++j) {
        const Fr v = hi[j] * w[j];
        hi[j] = lo[j] - v;
        lo[j] = lo[j] + v;
      }
    }
  }
}

void transform(std::span<Fr> a, bool inverse) {
  const size_t n = a.size();
  if (n < 2) return;
  const unsigned log_n = log2_exact(n);
  const auto t = twiddles(log_n, inverse);
  const Fr* tw = t->tw.data();
  bit_reverse_permute(a, log_n);
  const bool parallel = n >= kParallelThreshold;
  const size_t block = std::min(n, kBlockSize);
  // Early stages: independent blocks.
  ff::parallel_for_chunks(n / block, [&](size_t begin, size_t end, unsigned) {
    for (size_t b = begin; b < end; ++b) stages_in_block(a.data() + b * block, block, block, tw);
  }, parallel ? 0u : 1u);
  // Late stages: parallel over the n/2 butterflies of each stage.
  for (size_t m = block; m < n; m *= 2) {
    const Fr* w = tw + m;
    ff::parallel_for_chunks(n / 2, [&](size_t begin, size_t end, unsigned) {
      for (size_t t_idx = begin; t_idx < end; ++t_idx) {
        const size_t j = t_idx & (m - 1);
        const size_t k = (t_idx - j) * 2 + j;
        const Fr v = a[k + m] * w[j];
        a[k + m] = a[k] - v;
        a[k] = a[k] + v;
      }
    }, parallel ? 0u : 1u);
  }
}

void scale_all(std::span<Fr> a, const Fr& k) {
  ff::parallel_for_chunks(a.size(), [&](size_t begin, size_t end, unsigned) {
    for (size_t i = begin; i < end; ++i) a[i] *= k;
  }, a.size() >= kParallelThreshold ? 0u : 1u);
}

}  // namespace

Fr fr_smallest_non_residue() noexcept {
  static const Fr g = [] {
    // Same search as wasmcurves build_fft.js: first nr >= 2 with nr^((r-1)/2) != 1.
    for (uint64_t k = 2;; ++k) {
      const Fr c = Fr::from_u64(k);
      if (!c.legendre().is_one()) return c;
    }
  }();
  return g;
}

Fr root_of_unity(unsigned log_n) noexcept { return roots_table()[log_n <= kMaxLogNtt ? log_n : kMaxLogNtt]; }

void ntt(std::span<Fr> values) { transform(values, false); }

void intt(std::span<Fr> values) {
  transform(values, true);
  if (values.size() < 2) return;
  scale_all(values, Fr::from_u64(values.size()).inverse());
}

void scale_by_powers(std::span<Fr> values, const Fr& shift) {
  const size_t n = values.size();
  ff::parallel_for_chunks(n, [&](size_t begin, size_t end, unsigned) {
    Fr x = shift.pow(ff::U256{begin, 0, 0, 0});
    for (size_t i = begin; i < end; ++i) {
      values[i] *= x;
      x *= shift;
    }
  }, n >= kParallelThreshold ? 0u : 1u);
}

void coset_ntt(std::span<Fr> values, const Fr& shift) {
  scale_by_powers(values, shift);
  ntt(values);
}

void coset_intt(std::span<Fr> values, const Fr& shift) {
  intt(values);
  scale_by_powers(values, shift.inverse());
}

}  // namespace zkamm::snark
