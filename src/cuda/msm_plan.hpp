#pragma once
// The device-independent steps of the CUDA backend's Pippenger MSM (Pippenger, "On the
// evaluation of powers and related problems", FOCS 1976; signed digits and the bucket layout as
// described by Bootle et al., and by Aztec/ZPrize 2022 GPU MSM write-ups), written once as
// __host__ __device__ functions so that the kernels and the CPU reference in the tests run the
// same code:
//   1. every scalar is cut into `windows` signed c-bit digits d in (-2^(c-1), 2^(c-1)];
//   2. each non-zero digit of window w becomes a pair (key = w * 2^(c-1) + |d| - 1,
//      value = point index | sign << 31); zero digits get the key `sentinel`, which sorts last;
//   3. the pairs are sorted by key (CUB radix sort on the device), so each bucket is a run;
//   4. runs are summed by fixed-size chunks (one thread each, no atomics): a run that lies wholly
//      inside a chunk is written to its bucket; the at most two runs a chunk shares with its
//      neighbours become partial sums, which are compacted (still sorted) and summed again by
//      the same step until no run is shared (reduce_chunk);
//   5. each window's buckets are reduced by segments with running sums (segment_sum), the
//      segments of a window are added, and the host combines the windows by doublings.
#include <cstdint>

#include "cuda/curve.hpp"

namespace zkamm::cuda {

/// Window width c for an MSM of n points: about log2(n) - 4 (so a window's 2^(c-1) buckets get
/// ~32 points each), between 4 and 17.
ZKAMM_HD unsigned msm_window_bits(uint64_t n) {
  unsigned lg = 0;
  while ((uint64_t{1} << lg) < n) ++lg;
  const int c = static_cast<int>(lg) - 4;
  return c < 4 ? 4u : c > 17 ? 17u : static_cast<unsigned>(c);
}

/// Windows for scalars below 2^254: ceil(255 / c), so the top window's digit never carries out
/// (its value is below 2^(254 - (W-1)c) <= 2^(c-1)).
ZKAMM_HD unsigned msm_windows(unsigned c) { return (255 + c - 1) / c; }

/// Bits off..off+c-1 of a 256-bit little-endian scalar (zero beyond bit 255); c <= 24.
ZKAMM_HD uint32_t scalar_bits(const uint32_t s[8], unsigned off, unsigned c) {
  if (off >= 256) return 0;
  const unsigned word = off / 32, sh = off % 32;
  uint64_t v = s[word] >> sh;
  if (sh + c > 32 && word + 1 < 8) v |= static_cast<uint64_t>(s[word + 1]) << (32 - sh);
  return static_cast<uint32_t>(v & ((uint64_t{1} << c) - 1));
}

/// The signed digit of window w, given the carry out of window w - 1 (updated in place):
/// bits + carry in [0, 2^c]; above 2^(c-1) it becomes bits + carry - 2^c with a carry of 1.
ZKAMM_HD int32_t signed_digit(const uint32_t s[8], unsigned w, unsigned c, uint32_t& carry) {
  const uint32_t v = scalar_bits(s, w * c, c) + carry;
  const uint32_t half = 1u << (c - 1);
  if (v > half) {
    carry = 1;
    return static_cast<int32_t>(v) - static_cast<int32_t>(1u << c);
  }
  carry = 0;
  return static_cast<int32_t>(v);
}

/// The launch shapes that the device code and its CPU emulation (cuda/emulated_gpu.hpp) share:
/// sorted entries summed per thread (step 4), buckets per segment and threads per window (step 5).
inline constexpr uint32_t kMsmChunk = 32;
inline constexpr uint32_t kMsmSegment = 32;
inline constexpr unsigned kWindowThreads = 128;

/// Buckets per window (digit magnitudes 1..2^(c-1)).
ZKAMM_HD uint32_t msm_buckets(unsigned c) { return 1u << (c - 1); }

/// The bucket layout of an MSM of n points: window width c, windows, buckets per window, and the
/// key of zero digits (windows * buckets, after every bucket's).
struct MsmShape {
  unsigned c, windows;
  uint32_t buckets, sentinel;
};
ZKAMM_HD MsmShape msm_shape(uint64_t n) {
  const unsigned c = msm_window_bits(n);
  const unsigned windows = msm_windows(c);
  return MsmShape{c, windows, msm_buckets(c), windows * msm_buckets(c)};
}

/// Step 2 for point i: the (key, value) pairs of all windows, written at w * n + i.
ZKAMM_HD void scalar_to_pairs(const uint32_t s[8], uint32_t i, uint32_t n, unsigned c, unsigned windows,
                              uint32_t* keys, uint32_t* values) {
  const uint32_t nb = msm_buckets(c);
  const uint32_t sentinel = windows * nb;
  uint32_t carry = 0;
  for (unsigned w = 0; w < windows; ++w) {
    const int32_t d = signed_digit(s, w, c, carry);
    const size_t at = static_cast<size_t>(w) * n + i;
    if (d == 0) {
      keys[at] = sentinel;
      values[at] = i;
    } else {
      const uint32_t mag = static_cast<uint32_t>(d < 0 ? -d : d);
      keys[at] = w * nb + mag - 1;
      values[at] = i | (d < 0 ? 0x80000000u : 0u);
    }
  }
}

/// Step 4 for chunk t of a key-sorted sequence of n entries: entries [t*k, min(t*k+k, n)).
/// `add(acc, i)` returns acc plus entry i's point. Complete runs go to buckets[key]; the (at
/// most two) runs shared with a neighbouring chunk go to partial_keys/partial_points[2t], [2t+1]
/// in order; unused partial slots get the key `sentinel`, as do entries with that key (skipped).
template <class P, class Add>
ZKAMM_HD void reduce_chunk(uint32_t t, uint32_t n, uint32_t k, const uint32_t* keys, uint32_t sentinel, Add add,
                           P* buckets, uint32_t* partial_keys, P* partial_points) {
  const uint32_t begin = t * k;
  const uint32_t end = begin + k < n ? begin + k : n;
  uint32_t slot = 0;
  uint32_t i = begin;
  while (i < end) {
    const uint32_t key = keys[i];
    if (key == sentinel) break;
    const bool starts = i == 0 || keys[i - 1] != key;
    P acc = P::identity();
    uint32_t j = i;
    while (j < end && keys[j] == key) acc = add(acc, j++);
    const bool ends = j == n || keys[j] != key;
    if (starts && ends) {
      buckets[key] = acc;
    } else {
      partial_keys[2 * t + slot] = key;
      partial_points[2 * t + slot] = acc;
      ++slot;
    }
    i = j;
  }
  for (; slot < 2; ++slot) partial_keys[2 * t + slot] = sentinel;
}

/// Step 5 for one segment [lo, hi) of a window's buckets (bucket b holds the points of digit
/// magnitude b + 1): returns sum_{b in [lo, hi)} (b + 1) * buckets[b], by the running sums
/// S = sum_{b' >= b} B_b', W = sum S (= sum (b - lo + 1) B_b), plus lo * S.
template <class P>
ZKAMM_HD P segment_sum(const P* buckets, uint32_t lo, uint32_t hi) {
  P s = P::identity(), w = P::identity();
  for (uint32_t b = hi; b-- > lo;) {
    s = s.add(buckets[b]);
    w = w.add(s);
  }
  return lo == 0 ? w : w.add(s.mul_u32(lo));
}

}  // namespace zkamm::cuda
