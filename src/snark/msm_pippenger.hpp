#pragma once
// Pippenger's bucket method for sum_i k_i P_i (N. Pippenger, "On the evaluation of powers and
// related problems", FOCS 1976; in the form of D. J. Bernstein, J. Doumen, T. Lange, J.-J.
// Oosterwijk, "Faster batch forgery identification", INDOCRYPT 2012, section 4):
//   - each scalar is cut into windows of c bits, recoded to signed digits in [-2^(c-1), 2^(c-1)]
//     (Booth recoding: digit w reads bits w c - 1 .. w c + c - 1, so no carry has to travel
//     between windows), which halves the buckets because -P is free in affine coordinates;
//   - per window, P_i is added into bucket |digit| (negated for a negative digit), and the
//     window's sum  sum_b b * bucket_b  comes from a running sum from the top bucket down;
//   - windows are combined by Horner's rule with c doublings between them.
// Bucket additions are either mixed Jacobian (madd, 7M + 4S) or batch-affine: many independent
// affine additions share one field inversion by Montgomery's trick (P. L. Montgomery, "Speeding
// the Pollard and elliptic curve methods of factorization", Math. Comp. 1987), about 6M each.
// A bucket already waiting in the current batch cannot take a second point; such points queue
// and re-enter after the batch is applied, and when the queue grows (skewed digits, e.g. many
// scalars equal to 1) they spill into a Jacobian bucket instead of serialising the batches.
// This collision handling follows the idea described for gnark-crypto's batch-affine MSM
// (ConsenSys gnark-crypto, ecc/bn254/multiexp_affine.go, and the ZPrize 2022 MSM write-ups);
// no code was taken from them.
// Work is split into (window, point range) tasks across ff::parallel_for_chunks' threads.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "ec/glv.hpp"
#include "ec/short_weierstrass.hpp"
#include "ff/field_x8.hpp"
#include "ff/parallel.hpp"
#include "ff/uint256.hpp"
#include "snark/msm_bases.hpp"

namespace zkamm::snark::msm_detail {

using ff::U256;

/// How one MSM is computed (chosen by a cost model in msm.cpp; tests and benches set it directly).
struct MsmParams {
  unsigned c = 8;             // window width in bits, 1..24
  unsigned splits = 1;        // point ranges per window (more tasks than windows for many threads)
  bool batch_affine = false;  // batch-affine buckets instead of mixed Jacobian ones
  unsigned batch = 256;       // additions per shared inversion (batch-affine only), >= 1
  /// Windows one task fills at once (batch-affine only, 1..kMaxWindowGroup): their buckets form
  /// one array, so each inversion is shared by a batch spread over more buckets (fewer
  /// collisions at narrow windows), each point is read once for all of them, and their buckets
  /// are reduced together in affine lockstep. Narrow windows then cost little per point and
  /// their reduction (2^(c-1) buckets per window) little per window.
  unsigned window_group = 1;
};
/// Most windows one task fills at once.
constexpr unsigned kMaxWindowGroup = 32;

/// Parameters for n points with scalars of at most `bits` bits on `threads` threads from a cost
/// model (defined in msm.cpp).
MsmParams choose_params(size_t n, unsigned threads, unsigned bits = 254) noexcept;
/// The same, with the model's cost (field multiplications on the slowest thread) in *cost.
MsmParams choose_params(size_t n, unsigned threads, unsigned bits, double* cost) noexcept;

/// Most bytes one GLV expansion may hold (36 per half: its scalar and reference): above ~2^18
/// points the model's gain is a few percent, less than its error, and a 64-swap batch's MSMs
/// (0.7-2.1M points) keep their memory (issue 19: max RSS <= rapidsnark's).
constexpr size_t kGlvMaxBytes = size_t{32} << 20;
/// Whether n points with scalars of up to `bits` bits are cheaper in GLV form (twice the points,
/// 127-bit scalars) by the cost model, the expansion included.
bool glv_pays(size_t n, unsigned threads, unsigned bits) noexcept;

/// len <= 32 bits of k starting at bit pos < 256; bits above 255 read as zero.
inline uint64_t extract_bits(const U256& k, unsigned pos, unsigned len) noexcept {
  const unsigned limb = pos / 64, off = pos % 64;
  uint64_t v = k[limb] >> off;
  if (off + len > 64 && limb < 3) v |= k[limb + 1] << (64 - off);
  return v & ((uint64_t{1} << len) - 1);
}

/// Booth-recoded signed digit of window w (width c <= 24): sum_w digit_w 2^(w c) = k when the
/// number of windows W satisfies W c > bit_length(k).
inline int32_t signed_digit(const U256& k, unsigned w, unsigned c) noexcept {
  const uint64_t bits = w == 0 ? extract_bits(k, 0, c) << 1 : extract_bits(k, w * c - 1, c + 1);
  const uint64_t window = bits >> 1;
  const int64_t top = static_cast<int64_t>((window >> (c - 1)) & 1);
  return static_cast<int32_t>(static_cast<int64_t>(window + (bits & 1)) - (top << c));
}

/// Windows needed so that W c > max_bits (the Booth digit of the top window then has no carry out).
constexpr unsigned window_count(unsigned max_bits, unsigned c) noexcept { return (max_bits + c) / c; }

/// sum_b (b + 1) * buckets[b] by the running-sum trick (2 additions per bucket).
template <class Cfg>
ec::JacobianPoint<Cfg> reduce_buckets(std::span<const ec::JacobianPoint<Cfg>> buckets) noexcept {
  using Jac = ec::JacobianPoint<Cfg>;
  Jac running = Jac::identity(), total = Jac::identity();
  for (size_t b = buckets.size(); b-- > 0;) {
    running += buckets[b];
    total += running;
  }
  return total;
}

/// The points an MSM task reads: entries [begin, end) of `idx` (indices into bases/scalars), or
/// of bases/scalars themselves when idx is empty.
struct PointRange {
  std::span<const uint32_t> idx;
  size_t begin = 0, end = 0;
  size_t at(size_t i) const noexcept { return idx.empty() ? i : idx[i]; }
};

/// One window over one point range with mixed-Jacobian buckets; buckets is scratch.
template <class Cfg>
ec::JacobianPoint<Cfg> window_sum_jacobian(const MsmBases<Cfg>& bases, std::span<const U256> scalars,
                                           const PointRange& range, unsigned w, unsigned c,
                                           std::vector<ec::JacobianPoint<Cfg>>& buckets) noexcept {
  using Jac = ec::JacobianPoint<Cfg>;
  buckets.assign(size_t{1} << (c - 1), Jac::identity());
  for (size_t i = range.begin; i < range.end; ++i) {
    const size_t j = range.at(i);
    const int32_t d = signed_digit(scalars[j], w, c);
    if (d > 0) {
      buckets[static_cast<size_t>(d - 1)] += bases[j];
    } else if (d < 0) {
      buckets[static_cast<size_t>(-d - 1)] += -bases[j];
    }
  }
  return reduce_buckets<Cfg>(buckets);
}

/// a == b for Fq or Fq2 by limb XOR: std::array's == calls out to memcmp, which cost ~4% of an
/// MSM's time in these inner loops.
template <class F>
inline bool field_equal(const F& a, const F& b) noexcept {
  if constexpr (requires { a.c0; }) {
    return field_equal(a.c0, b.c0) && field_equal(a.c1, b.c1);
  } else {
    const U256& x = a.raw();
    const U256& y = b.raw();
    return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
  }
}

/// The base field under F: F itself, or Fq under Fq2.
template <class F>
struct BaseFieldOf {
  using type = F;
};
template <class F>
  requires requires(const F& f) { f.c0; }
struct BaseFieldOf<F> {
  using type = std::remove_cvref_t<decltype(std::declval<const F&>().c0)>;
};

/// Affine buckets filled by batched affine additions (see the file comment).
template <class Cfg>
class BatchAffineBuckets {
 public:
  using Field = typename Cfg::Field;
  using Base = typename BaseFieldOf<Field>::type;
  static constexpr bool kExtension = !std::is_same_v<Base, Field>;
  using Affine = ec::AffinePoint<Cfg>;
  using Jac = ec::JacobianPoint<Cfg>;

  /// num_buckets >= 1, batch_size >= 1; empties every bucket.
  void reset(size_t num_buckets, size_t batch_size) {
    slots_.resize(num_buckets);
    state_.assign(num_buckets, kEmpty);
    overflow_.clear();
    batch_size_ = batch_size;
    batch_bucket_.resize(batch_size);
    batch_point_.resize(batch_size);
    den_.resize(batch_size);
    prefix_.resize(batch_size);
    if constexpr (kExtension) norm_.resize(batch_size);
#ifdef ZKAMM_FF_IFMA
    if constexpr (kLanes8) {
      const size_t groups = (batch_size + kLaneCount - 1) / kLaneCount;
      lane_den_.resize(kExtension ? 2 * groups : groups);
      lane_prefix_.resize(groups);
      if constexpr (kExtension) lane_norm_.resize(groups);
    }
#endif
    count_ = 0;
    pending_.clear();
  }

  void prefetch(uint32_t b) const noexcept {
    const char* p = reinterpret_cast<const char*>(&slots_[b]);
    for (size_t off = 0; off < sizeof(Slot); off += 64) __builtin_prefetch(p + off, 1);
  }

  /// bucket[b] += p; b < num_buckets, p not infinity.
  void add(uint32_t b, const Affine& p) {
    if (state_[b] == kBusy) {
      pending_.emplace_back(b, p);
      if (pending_.size() >= batch_size_) spill_pending();
      return;
    }
    insert(b, p);
    while (count_ == batch_size_) apply_and_requeue();
  }

  /// Applies every queued addition.
  void flush() {
    while (count_ > 0) apply_and_requeue();
  }

  bool empty(size_t b) const noexcept { return state_[b] == kEmpty; }
  /// Whether some additions went to the Jacobian side buckets (then point() is not the whole
  /// bucket: total() is).
  bool spilled() const noexcept { return !overflow_.empty(); }
  /// Bucket b with its side bucket; no additions pending.
  Jac total(size_t b) const noexcept {
    Jac t = Jac(point(b));
    if (!overflow_.empty()) t += overflow_[b];
    return t;
  }
  /// Bucket b as an affine point (infinity when empty); no additions pending.
  Affine point(size_t b) const noexcept { return empty(b) ? Affine{} : Affine{slots_[b].x, slots_[b].y}; }

  /// Applies everything outstanding and returns sum_b bucket[b].
  Jac sum() {
    flush();
    Jac total = Jac::identity();
    for (size_t b = 0; b < slots_.size(); ++b) {
      if (state_[b] != kEmpty) total += Affine{slots_[b].x, slots_[b].y};
      if (!overflow_.empty()) total += overflow_[b];
    }
    return total;
  }

  /// Applies everything outstanding and returns sum_b (b + 1) * bucket[b].
  Jac finish() {
    Jac out;
    finish_windows(slots_.size(), {&out, 1});
    return out;
  }

  /// Applies everything outstanding; the buckets are out.size() windows of per_window each:
  /// out[w] = sum_b (b + 1) * bucket[w * per_window + b].
  void finish_windows(size_t per_window, std::span<Jac> out) {
    flush();
    if (overflow_.empty() && slots_.size() >= kSegmentedMinBuckets && per_window % kSegmentLength == 0) {
      reduce_segmented(per_window, out);
      return;
    }
    const bool has_overflow = !overflow_.empty();
    for (size_t w = 0; w < out.size(); ++w) {
      Jac running = Jac::identity(), total = Jac::identity();
      for (size_t b = (w + 1) * per_window; b-- > w * per_window;) {
        if (state_[b] != kEmpty) running += Affine{slots_[b].x, slots_[b].y};
        if (has_overflow) running += overflow_[b];
        total += running;
      }
      out[w] = total;
    }
  }

 private:
  static constexpr size_t kSegmentedMinBuckets = size_t{1} << 14;
  static constexpr size_t kSegmentLength = 64;

  /// The running-sum reduction in affine coordinates: the buckets are cut into K segments of
  /// length L that run in lockstep, so each step's K additions (into the segments' running sums,
  /// then into their totals) share one inversion. Then per window, over its segments s:
  ///   sum_b (b + 1) B_b = sum_s total_s + L * sum_s s * running_s.
  /// Requires per_window a multiple of kSegmentLength and no overflow buckets.
  void reduce_segmented(size_t per_window, std::span<Jac> out) {
    const size_t length = kSegmentLength, segments = slots_.size() / length;
    BatchAffineBuckets running, total;
    running.reset(segments, segments);
    total.reset(segments, segments);
    for (size_t j = length; j-- > 0;) {
      for (size_t s = 0; s < segments; ++s) {
        const size_t b = s * length + j;
        if (state_[b] != kEmpty) running.add(static_cast<uint32_t>(s), Affine{slots_[b].x, slots_[b].y});
      }
      running.flush();
      for (size_t s = 0; s < segments; ++s) {
        if (!running.empty(s)) total.add(static_cast<uint32_t>(s), running.point(s));
      }
      total.flush();
    }
    const size_t per = per_window / length;  // segments per window
    for (size_t w = 0; w < out.size(); ++w) {
      Jac weighted = Jac::identity(), acc = Jac::identity(), sum_totals = Jac::identity();
      for (size_t t = per; t-- > 0;) {
        const size_t s = w * per + t;
        sum_totals += total.point(s);
        if (t == 0) break;
        acc += running.point(s);
        weighted += acc;  // after the loop: sum_t t * running_(w per + t)
      }
      for (size_t l = length; l > 1; l /= 2) weighted = weighted.dbl();
      out[w] = sum_totals + weighted;
    }
  }

  // One bucket's coordinates on whole cache lines; emptiness lives in state_ (kept in L1).
  struct alignas(64) Slot {
    Field x, y;
  };
  static constexpr uint8_t kEmpty = 0, kFull = 1, kBusy = 2;  // kBusy: full and in the batch
  /// Independent product chains in apply_batch (see there).
  static constexpr size_t kChains = 4;
  /// G1 (over Fq) and G2 (over Fq2) with the AVX-512 IFMA kernel: apply_batch_x8 instead,
  /// eight chains in the lanes of ff::x8 (ff/field_x8.hpp).
#ifdef ZKAMM_FF_IFMA
  static constexpr bool kLanes8 = std::is_same_v<Base, ff::Fq>;
#else
  static constexpr bool kLanes8 = false;
#endif
  static constexpr size_t kLaneCount = 8;

  /// b is not busy.
  void insert(uint32_t b, const Affine& p) {
    Slot& acc = slots_[b];
    if (state_[b] == kEmpty) {
      acc.x = p.x;
      acc.y = p.y;
      state_[b] = kFull;
      return;
    }
    if (field_equal(acc.x, p.x) && !(field_equal(acc.y, p.y) && !p.y.is_zero())) {
      state_[b] = kEmpty;  // p == -acc (or a 2-torsion point doubled)
      return;
    }
    state_[b] = kBusy;
    batch_bucket_[count_] = b;
    batch_point_[count_] = p;
    ++count_;
  }

  /// bucket += point for every batch entry with one inversion. Entry with equal x is a doubling
  /// (insert() left only p == acc with y != 0 in that case): lambda = 3 x^2 / 2 y.
  /// The entries form kChains interleaved chains (entry k in chain k mod kChains), each with its
  /// own running product and, backwards, its own running inverse, and the backward pass completes
  /// one entry of each chain side by side: a Montgomery product's latency is ~1.4x its
  /// throughput on this machine (21.8 vs 15.5 ns per Fq product with one and with two
  /// independent chains, 2026-12-06), and a single chain of dependent products (prefix, inverse,
  /// lambda, lambda^2, y) left the multiplier idle for that difference. The chains share one
  /// inversion (of the product of their products).
  /// flatten: GCC otherwise calls the field's asm multiplication and subtraction out of line
  /// here (perf: ~40 % of a 64-swap proof in those calls and their spills).
  [[gnu::flatten]] void apply_batch() noexcept {
    if (count_ == 0) return;
#ifdef ZKAMM_FF_IFMA
    if constexpr (kLanes8) {
      if constexpr (kExtension) {
        apply_batch_x8_fq2();
      } else {
        apply_batch_x8();
      }
      return;
    }
#endif
    // Over Fq2, 1 / d = conj(d) / norm(d): one batch inversion of the norms in Fq (2 squarings
    // for the norm, 3 multiplications in Fq per entry, 2 for conj(d) / norm(d)) instead of one
    // in Fq2 (3 multiplications in Fq2, 9 in Fq). Over Fq the "norm" is the denominator itself.
    constexpr size_t L = kChains;
    Base acc[L];
    for (size_t l = 0; l < L; ++l) acc[l] = Base::one();
    const size_t full = count_ / L * L;
    for (size_t k = 0; k < full; k += L) {
      Base n[L];
      for (size_t l = 0; l < L; ++l) {
        den_[k + l] = denominator(k + l);
        n[l] = keep_norm(k + l);
      }
      for (size_t l = 0; l < L; ++l) {
        prefix_[k + l] = acc[l];
        acc[l] *= n[l];
      }
    }
    for (size_t k = full; k < count_; ++k) {
      den_[k] = denominator(k);
      prefix_[k] = acc[k - full];
      acc[k - full] *= keep_norm(k);
    }
    // inv[l] = 1 / acc[l] from one inversion: with prefix products q_l = acc[0] ... acc[l - 1],
    // 1 / acc[l] = q_l * (suffix product after l) / (acc[0] ... acc[L - 1]).
    Base inv[L];
    {
      Base q[L];
      Base t = Base::one();
      for (size_t l = 0; l < L; ++l) {
        q[l] = t;
        t *= acc[l];
      }
      Base r = t.inverse_vartime();  // 1 / (acc[0] ... acc[L - 1]); public values
      for (size_t l = L; l-- > 0;) {
        inv[l] = r * q[l];
        r *= acc[l];
      }
    }
    for (size_t k = count_; k-- > full;) {  // the top entries, lanes 0 .. count_ - full - 1
      const size_t l = k - full;
      const Base ni = inv[l] * prefix_[k];
      inv[l] *= kept_norm(k);
      complete(k, inverse_from_norm(den_[k], ni));
    }
    for (size_t k = full; k > 0;) {
      k -= L;
      Field di[L];
      for (size_t l = 0; l < L; ++l) {
        const Base ni = inv[l] * prefix_[k + l];
        inv[l] *= kept_norm(k + l);
        di[l] = inverse_from_norm(den_[k + l], ni);
      }
      complete_lanes(k, di);
    }
    count_ = 0;
  }

#ifdef ZKAMM_FF_IFMA
  // apply_batch in eight IFMA lanes (ff/field_x8.hpp): entry k in lane k mod 8, group g =
  // entries 8g .. 8g + 7, each lane one chain of prefix products (the last group padded with
  // x_a = 0, x_p = 1, so a nonzero denominator, and left unwritten). A lane value v stands for
  // a = v 2^-e for some e, and a lane product of a 2^e and b 2^f is a b 2^(e + f - 260); the
  // exponents are tracked here rather than normalised by extra products:
  //   - coordinates, numerators, denominators and the results written back are Fq's raw
  //     form, a 2^256, packed from memory as they are;
  //   - the running products of n raw denominators drift: prefix_g = P_g 2^(260 - 4g) (with
  //     P_g the product of den_0 .. den_(g-1) in that lane), so the one scalar inversion
  //     (lane_inverse) of the stored P_n 2^-4n returns P_n^-1 2^(4n + 256) in raw form, and
  //     walking back, running inverse times prefix_g is (1 / den_g) 2^260 in every group;
  //   - lambda_256 = num_256 * (1 / den)_260, lambda_260 = lambda_256 * 2^264,
  //     lambda^2 = lambda_256 * lambda_260 and y3 + y_a = lambda_260 * (x_a - x3)_256 are in
  //     Fq's form again.
  // Over Fq: 7 lane products per 8 entries (prefix, 1 / den, running inverse, lambda, lambda to
  // 2^260, lambda^2, y3) against 6 scalar products per entry. A doubling (x_a = x_p, see
  // insert()) is blended into its lane: den = 2 y_a, num = 3 x_a^2 (x_a^2 2^252 times
  // 3 2^264, only for groups that have one).

  /// The lane form of a scalar constant c times 2^264 (a 2^252 product times it is c a 2^256).
  static constexpr ff::x8::Limbs52 times_2_264(uint64_t c) noexcept {
    return ff::x8::to_limbs52(ff::Fq::from_u64(c * 256).raw());
  }
  static constexpr ff::x8::Limbs52 kThree264 = times_2_264(3), kSix264 = times_2_264(6);
  static inline const U256 kZeroRaw{}, kOneRaw = ff::Fq::one().raw();

  /// 1 / a lane by lane in raw form ((1 / a) 2^256), where lane value acc stands for a 2^260;
  /// from one scalar inversion (as in apply_batch).
  static ff::x8::detail::V lane_inverse(const ff::x8::detail::V& acc) noexcept {
    namespace d = ff::x8::detail;
    constexpr size_t L = kLaneCount;
    Base a[L], q[L], r[L];
    d::store<ff::FqSpec>(acc, a);
    Base t = Base::one();
    for (size_t l = 0; l < L; ++l) {
      q[l] = t;
      t *= a[l];
    }
    Base u = t.inverse_vartime();  // public values
    const U256* raw[L];
    for (size_t l = L; l-- > 0;) {
      r[l] = u * q[l];
      u *= a[l];
      raw[l] = &r[l].raw();
    }
    return d::pack(raw);
  }

  /// The raw coordinates of group g's entries (component c of an Fq2), lanes past count_ padded.
  struct LanePtrs {
    const U256 *ax[kLaneCount], *ay[kLaneCount], *px[kLaneCount], *py[kLaneCount];
  };
  LanePtrs lane_ptrs(size_t g, unsigned c) const noexcept {
    LanePtrs r;
    for (size_t l = 0; l < kLaneCount; ++l) {
      const size_t k = g * kLaneCount + l;
      if (k < count_) {
        const Slot& a = slots_[batch_bucket_[k]];
        const Affine& p = batch_point_[k];
        r.ax[l] = &component(a.x, c);
        r.ay[l] = &component(a.y, c);
        r.px[l] = &component(p.x, c);
        r.py[l] = &component(p.y, c);
      } else {
        r.ax[l] = r.ay[l] = r.py[l] = &kZeroRaw;
        r.px[l] = c == 0 ? &kOneRaw : &kZeroRaw;
      }
    }
    return r;
  }
  static const U256& component(const Field& f, unsigned c) noexcept {
    if constexpr (kExtension) {
      return c == 0 ? f.c0.raw() : f.c1.raw();
    } else {
      (void)c;
      return f.raw();
    }
  }
  /// Writes group g's results (raw, below 2p; component c) to the buckets' slots.
  void lane_write(size_t g, unsigned c, const ff::x8::detail::V& x3, const ff::x8::detail::V& y3) noexcept {
    namespace d = ff::x8::detail;
    using C = d::Consts<ff::FqSpec>;
    U256 xs[kLaneCount], ys[kLaneCount];
    d::unpack(d::csub(x3, C::kP), xs);
    d::unpack(d::csub(y3, C::kP), ys);
    const size_t lanes = std::min(kLaneCount, count_ - g * kLaneCount);
    for (size_t l = 0; l < lanes; ++l) {
      const uint32_t b = batch_bucket_[g * kLaneCount + l];
      if constexpr (kExtension) {
        (c == 0 ? slots_[b].x.c0 : slots_[b].x.c1) = Base::from_raw(xs[l]);
        (c == 0 ? slots_[b].y.c0 : slots_[b].y.c1) = Base::from_raw(ys[l]);
      } else {
        (void)c;
        slots_[b].x = Base::from_raw(xs[l]);
        slots_[b].y = Base::from_raw(ys[l]);
      }
      state_[b] = kFull;
    }
  }

  /// Over Fq (G1).
  void apply_batch_x8() noexcept {
    namespace d = ff::x8::detail;
    using Spec = ff::FqSpec;
    using C = d::Consts<Spec>;
    const size_t groups = (count_ + kLaneCount - 1) / kLaneCount;
    d::V acc = d::broadcast(C::kOne);
    for (size_t g = 0; g < groups; ++g) {
      const LanePtrs p = lane_ptrs(g, 0);
      const d::V ax = d::pack(p.ax), px = d::pack(p.px);
      d::V den = d::sub<Spec>(px, ax);
      if (const __mmask8 eq = d::equal(ax, px); eq != 0) {
        const d::V ay = d::pack(p.ay);
        den = d::blend(eq, den, d::add<Spec>(ay, ay));
      }
      lane_den_[g] = den;
      lane_prefix_[g] = acc;
      acc = d::mul<Spec>(acc, den);
    }
    d::V inv = lane_inverse(acc);
    for (size_t g = groups; g-- > 0;) {
      const LanePtrs p = lane_ptrs(g, 0);
      const d::V ax = d::pack(p.ax), ay = d::pack(p.ay), px = d::pack(p.px);
      d::V num = d::sub<Spec>(d::pack(p.py), ay);
      if (const __mmask8 eq = d::equal(ax, px); eq != 0) {
        num = d::blend(eq, num, d::mul<Spec>(d::mul<Spec>(ax, ax), kThree264));
      }
      const d::V den_inv = d::mul<Spec>(inv, lane_prefix_[g]);
      inv = d::mul<Spec>(inv, lane_den_[g]);
      const d::V lambda256 = d::mul<Spec>(num, den_inv);
      const d::V lambda260 = d::mul<Spec>(lambda256, C::kToLanes);
      const d::V x3 = d::sub<Spec>(d::sub<Spec>(d::mul<Spec>(lambda256, lambda260), ax), px);
      const d::V y3 = d::sub<Spec>(d::mul<Spec>(lambda260, d::sub<Spec>(ax, x3)), ay);
      lane_write(g, 0, x3, y3);
    }
    count_ = 0;
  }

  /// Over Fq2 = Fq[u] / (u^2 + 1) (G2), each Fq2 lane value a pair of Fq lane values: the
  /// chains run over the norms (as apply_batch), 1 / den = conj(den) / norm; Fq2 products take
  /// two reductions (d::mul_sum, -a1 b1 as a1 (2p - b1)), lambda^2 from lambda's two forms as
  /// ((l0 + l1)(l0 - l1), 2 l0 l1). The norms of raw denominators are norm 2^252, so the
  /// running products drift by 2^-8 a group: prefix_g = P_g 2^(260 - 8g), the inversion
  /// returns P_n^-1 2^(8n + 256), and running inverse times prefix_g is (1 / norm_g) 2^264.
  /// 16.5 lane products per 8 entries against 15 scalar products per entry.
  void apply_batch_x8_fq2() noexcept {
    namespace d = ff::x8::detail;
    using Spec = ff::FqSpec;
    using C = d::Consts<Spec>;
    const size_t groups = (count_ + kLaneCount - 1) / kLaneCount;
    d::V acc = d::broadcast(C::kOne);
    for (size_t g = 0; g < groups; ++g) {
      const LanePtrs p0 = lane_ptrs(g, 0), p1 = lane_ptrs(g, 1);
      const d::V ax0 = d::pack(p0.ax), ax1 = d::pack(p1.ax), px0 = d::pack(p0.px), px1 = d::pack(p1.px);
      d::V den0 = d::sub<Spec>(px0, ax0), den1 = d::sub<Spec>(px1, ax1);
      if (const __mmask8 eq = d::equal(ax0, px0) & d::equal(ax1, px1); eq != 0) {
        const d::V ay0 = d::pack(p0.ay), ay1 = d::pack(p1.ay);
        den0 = d::blend(eq, den0, d::add<Spec>(ay0, ay0));
        den1 = d::blend(eq, den1, d::add<Spec>(ay1, ay1));
      }
      const d::V norm = d::mul_sum<Spec>(den0, den0, den1, den1);  // norm 2^252
      lane_den_[2 * g] = den0;
      lane_den_[2 * g + 1] = den1;
      lane_norm_[g] = norm;
      lane_prefix_[g] = acc;
      acc = d::mul<Spec>(acc, norm);
    }
    d::V inv = lane_inverse(acc);
    for (size_t g = groups; g-- > 0;) {
      const LanePtrs p0 = lane_ptrs(g, 0), p1 = lane_ptrs(g, 1);
      const d::V ax0 = d::pack(p0.ax), ax1 = d::pack(p1.ax), ay0 = d::pack(p0.ay), ay1 = d::pack(p1.ay);
      const d::V px0 = d::pack(p0.px), px1 = d::pack(p1.px);
      d::V n0 = d::sub<Spec>(d::pack(p0.py), ay0), n1 = d::sub<Spec>(d::pack(p1.py), ay1);
      if (const __mmask8 eq = d::equal(ax0, px0) & d::equal(ax1, px1); eq != 0) {
        // 3 x_a^2 = 3 (a0 + a1)(a0 - a1) + 6 a0 a1 u.
        n0 = d::blend(eq, n0, d::mul<Spec>(d::mul<Spec>(d::add<Spec>(ax0, ax1), d::sub<Spec>(ax0, ax1)), kThree264));
        n1 = d::blend(eq, n1, d::mul<Spec>(d::mul<Spec>(ax0, ax1), kSix264));
      }
      const d::V ni = d::mul<Spec>(inv, lane_prefix_[g]);  // 1 / norm, 2^264
      inv = d::mul<Spec>(inv, lane_norm_[g]);
      // 1 / den = conj(den)_256 / norm_264, 2^260.
      const d::V di0 = d::mul<Spec>(lane_den_[2 * g], ni), di1 = d::mul<Spec>(d::neg<Spec>(lane_den_[2 * g + 1]), ni);
      // lambda = num_256 * (1 / den)_260, in Fq's 2^256 form, and in 2^260 form.
      const d::V l0 = d::mul_sum<Spec>(n0, di0, n1, d::neg<Spec>(di1)), l1 = d::mul_sum<Spec>(n0, di1, n1, di0);
      const d::V m0 = d::mul<Spec>(l0, C::kToLanes), m1 = d::mul<Spec>(l1, C::kToLanes);
      // lambda^2 (2^256): (l0 + l1)(l0 - l1) + 2 l0 l1 u.
      const d::V s0 = d::mul<Spec>(d::add<Spec>(l0, l1), d::sub<Spec>(m0, m1));
      const d::V t = d::mul<Spec>(l0, m1);
      const d::V x30 = d::sub<Spec>(d::sub<Spec>(s0, ax0), px0);
      const d::V x31 = d::sub<Spec>(d::sub<Spec>(d::add<Spec>(t, t), ax1), px1);
      // y3 = lambda_260 * (x_a - x3)_256 - y_a.
      const d::V e0 = d::sub<Spec>(ax0, x30), e1 = d::sub<Spec>(ax1, x31);
      const d::V y30 = d::sub<Spec>(d::mul_sum<Spec>(m0, e0, m1, d::neg<Spec>(e1)), ay0);
      const d::V y31 = d::sub<Spec>(d::mul_sum<Spec>(m0, e1, m1, e0), ay1);
      lane_write(g, 0, x30, y30);
      lane_write(g, 1, x31, y31);
    }
    count_ = 0;
  }
#endif

  /// The value whose inverse the batch takes for entry k (den_[k] set): den_[k] over Fq,
  /// norm(den_[k]) over Fq2, which is kept for the backward pass (kept_norm).
  Base keep_norm(size_t k) noexcept {
    if constexpr (kExtension) {
      return norm_[k] = den_[k].norm();
    } else {
      return den_[k];
    }
  }
  const Base& kept_norm(size_t k) const noexcept {
    if constexpr (kExtension) {
      return norm_[k];
    } else {
      return den_[k];
    }
  }
  /// 1 / d from 1 / (its kept norm).
  static Field inverse_from_norm(const Field& d, const Base& norm_inv) noexcept {
    if constexpr (kExtension) {
      return d.conjugate() * norm_inv;
    } else {
      (void)d;
      return norm_inv;
    }
  }

  /// The slope's denominator of batch entry k: x_p - x_a, or 2 y_a for a doubling.
  Field denominator(size_t k) const noexcept {
    const Slot& a = slots_[batch_bucket_[k]];
    const Affine& p = batch_point_[k];
    return field_equal(a.x, p.x) ? a.y.dbl() : p.x - a.x;
  }

  /// bucket += point for batch entry k, given 1 / denominator(k).
  void complete(size_t k, const Field& den_inv) noexcept {
    const uint32_t b = batch_bucket_[k];
    Slot& a = slots_[b];
    const Affine& p = batch_point_[k];
    Field num;
    if (field_equal(a.x, p.x)) {
      const Field x2 = a.x.square();
      num = x2.dbl() + x2;
    } else {
      num = p.y - a.y;
    }
    const Field lambda = num * den_inv;
    const Field x3 = lambda.square() - a.x - p.x;
    a.y = lambda * (a.x - x3) - a.y;
    a.x = x3;
    state_[b] = kFull;
  }

  /// complete() for entries k .. k + kChains - 1 (distinct buckets), their products interleaved
  /// (see apply_batch): every entry is read before any bucket is written.
  void complete_lanes(size_t k, const Field (&den_inv)[kChains]) noexcept {
    constexpr size_t L = kChains;
    Field ax[L], ay[L], px[L], lambda[L], x3[L], t[L];
    for (size_t l = 0; l < L; ++l) {
      const Slot& a = slots_[batch_bucket_[k + l]];
      const Affine& p = batch_point_[k + l];
      ax[l] = a.x;
      ay[l] = a.y;
      px[l] = p.x;
      t[l] = field_equal(ax[l], px[l]) ? tangent_numerator(ax[l]) : p.y - ay[l];
    }
    for (size_t l = 0; l < L; ++l) lambda[l] = t[l] * den_inv[l];
    for (size_t l = 0; l < L; ++l) t[l] = lambda[l].square();
    for (size_t l = 0; l < L; ++l) x3[l] = t[l] - ax[l] - px[l];
    for (size_t l = 0; l < L; ++l) t[l] = lambda[l] * (ax[l] - x3[l]);
    for (size_t l = 0; l < L; ++l) {
      const uint32_t b = batch_bucket_[k + l];
      slots_[b].x = x3[l];
      slots_[b].y = t[l] - ay[l];
      state_[b] = kFull;
    }
  }

  /// 3 x^2, the slope's numerator of a doubling.
  static Field tangent_numerator(const Field& x) noexcept {
    const Field x2 = x.square();
    return x2.dbl() + x2;
  }

  void apply_and_requeue() {
    apply_batch();
    size_t kept = 0;
    for (size_t i = 0; i < pending_.size(); ++i) {
      const uint32_t b = pending_[i].first;
      if (count_ < batch_size_ && state_[b] != kBusy) {
        insert(b, pending_[i].second);
      } else {
        pending_[kept++] = pending_[i];
      }
    }
    pending_.resize(kept);
  }

  /// Too many collisions: add the queued points into Jacobian side buckets instead.
  void spill_pending() {
    if (overflow_.empty()) overflow_.assign(slots_.size(), Jac::identity());
    for (const auto& [b, p] : pending_) overflow_[b] += p;
    pending_.clear();
  }

  std::vector<Slot> slots_;
  std::vector<uint8_t> state_;
  std::vector<Jac> overflow_;
  std::vector<uint32_t> batch_bucket_;
  std::vector<Affine> batch_point_;
  std::vector<Field> den_;
  std::vector<Base> prefix_;  // the running products of the norms (apply_batch)
  std::vector<Base> norm_;    // Fq2 only: the norms of den_
  size_t batch_size_ = 0, count_ = 0;
  std::vector<std::pair<uint32_t, Affine>> pending_;
#ifdef ZKAMM_FF_IFMA
  // apply_batch_x8: per group of eight entries, the denominators and the prefix products before
  // them, in lane form.
  // (Fq2: the two components' lanes of group g at 2g and 2g + 1, and the norms.)
  std::vector<ff::x8::detail::V> lane_den_, lane_prefix_, lane_norm_;
#endif
};

/// Windows w0 .. w0 + out.size() - 1 over one point range with batch-affine buckets in one array
/// (MsmParams::window_group); out[k] = the sum of window w0 + k; buckets is scratch.
template <class Cfg>
void window_sums_batch_affine(const MsmBases<Cfg>& bases, std::span<const U256> scalars, const PointRange& range,
                              unsigned w0, unsigned c, unsigned batch, BatchAffineBuckets<Cfg>& buckets,
                              std::span<ec::JacobianPoint<Cfg>> out) {
  constexpr size_t kPrefetchDistance = 8, kRing = 16;  // digits of the points ahead, kRing > distance
  const size_t per_window = size_t{1} << (c - 1);
  const unsigned count = static_cast<unsigned>(out.size());
  buckets.reset(per_window * count, batch);
  int32_t digits[kRing][kMaxWindowGroup];
  auto compute = [&](size_t i) {
    const size_t j = range.at(i);
    int32_t* d = digits[i % kRing];
    bool any = false;
    for (unsigned k = 0; k < count; ++k) {
      d[k] = signed_digit(scalars[j], w0 + k, c);
      if (d[k] != 0) {
        any = true;
        buckets.prefetch(static_cast<uint32_t>(k * per_window + static_cast<size_t>((d[k] > 0 ? d[k] : -d[k]) - 1)));
      }
    }
    if (any && !range.idx.empty()) bases.prefetch(j);
  };
  for (size_t i = range.begin; i < std::min(range.end, range.begin + kPrefetchDistance); ++i) compute(i);
  for (size_t i = range.begin; i < range.end; ++i) {
    if (i + kPrefetchDistance < range.end) compute(i + kPrefetchDistance);
    const int32_t* d = digits[i % kRing];
    bool loaded = false;
    ec::AffinePoint<Cfg> p, neg;
    for (unsigned k = 0; k < count; ++k) {
      if (d[k] == 0) continue;
      if (!loaded) {
        p = bases[range.at(i)];
        if (p.infinity) break;
        neg = -p;
        loaded = true;
      }
      if (d[k] > 0) {
        buckets.add(static_cast<uint32_t>(k * per_window + static_cast<size_t>(d[k] - 1)), p);
      } else {
        buckets.add(static_cast<uint32_t>(k * per_window + static_cast<size_t>(-d[k] - 1)), neg);
      }
    }
  }
  buckets.finish_windows(per_window, out);
}

/// sum of bases[range.at(i)] for i in [range.begin, range.end) (the points whose scalar is 1):
/// batch-affine additions into `lanes` accumulators taken round robin, so that each batch of
/// `lanes` additions shares one inversion and never collides, then a Jacobian sum of the lanes.
template <class Cfg>
ec::JacobianPoint<Cfg> sum_points(const MsmBases<Cfg>& bases, const PointRange& range, size_t lanes,
                                  BatchAffineBuckets<Cfg>& scratch) {
  lanes = std::max<size_t>(1, std::min(lanes, range.end - range.begin));
  scratch.reset(lanes, lanes);
  size_t lane = 0;
  for (size_t i = range.begin; i < range.end; ++i) {
    const ec::AffinePoint<Cfg> p = bases[range.at(i)];
    if (p.infinity) continue;
    scratch.add(static_cast<uint32_t>(lane), p);
    lane = lane + 1 == lanes ? 0 : lane + 1;
  }
  return scratch.sum();
}

/// One Pippenger MSM cut into independent (window, point range) tasks, so that the tasks of
/// several MSMs can share the worker threads (msm_many in snark/msm.hpp); pippenger() runs one.
/// It sums scalars[j] * bases[j] over j in idx, or over every j when idx is empty.
template <class Cfg>
class PippengerPlan {
 public:
  using Affine = ec::AffinePoint<Cfg>;
  using Jac = ec::JacobianPoint<Cfg>;

  /// Scratch buckets reused across the tasks one thread runs.
  struct Scratch {
    std::vector<Jac> jacobian;
    BatchAffineBuckets<Cfg> affine;
  };

  /// Equal sizes of bases and scalars, idx entries < that size, scalars < 2^254,
  /// 1 <= params.c <= 24; the spans must outlive the plan.
  PippengerPlan(const MsmBases<Cfg>& bases, std::span<const U256> scalars, std::span<const uint32_t> idx,
                const MsmParams& params)
      : bases_(bases), scalars_(scalars), idx_(idx), params_(params),
        n_(idx.empty() ? std::min(bases.size(), scalars.size()) : idx.size()) {
    unsigned max_bits = 0;
    for (size_t i = 0; i < n_; ++i) max_bits = std::max(max_bits, ff::bit_length(scalars_[idx_.empty() ? i : idx_[i]]));
    if (max_bits == 0) return;  // no tasks: the sum is the identity
    windows_ = window_count(max_bits, params_.c);
    splits_ = std::max<size_t>(1, std::min<size_t>(params_.splits, n_));
    group_ = params_.batch_affine ? std::clamp(params_.window_group, 1u, std::min(windows_, kMaxWindowGroup)) : 1;
    partial_.assign(windows_ * splits_, Jac::identity());
  }

  size_t tasks() const noexcept { return (windows_ + group_ - 1) / group_ * splits_; }
  /// Point-window visits of one task.
  size_t points_per_task() const noexcept { return n_ / splits_ * group_; }

  /// Task t < tasks(); distinct tasks may run concurrently.
  void run_task(size_t t, Scratch& scratch) {
    const unsigned w0 = static_cast<unsigned>(t / splits_) * group_;
    const size_t s = t % splits_;
    const PointRange range{idx_, n_ * s / splits_, n_ * (s + 1) / splits_};
    if (!params_.batch_affine) {
      partial_[w0 * splits_ + s] = window_sum_jacobian<Cfg>(bases_, scalars_, range, w0, params_.c, scratch.jacobian);
      return;
    }
    const unsigned count = std::min(group_, windows_ - w0);
    Jac sums[kMaxWindowGroup];
    window_sums_batch_affine<Cfg>(bases_, scalars_, range, w0, params_.c, params_.batch, scratch.affine,
                                  std::span<Jac>(sums, count));
    for (unsigned k = 0; k < count; ++k) partial_[(w0 + k) * splits_ + s] = sums[k];
  }

  /// Every task has run: combines the windows by Horner's rule.
  Jac combine() const noexcept {
    Jac acc = Jac::identity();
    for (size_t w = windows_; w-- > 0;) {
      if (w + 1 < windows_) {
        for (unsigned j = 0; j < params_.c; ++j) acc = acc.dbl();
      }
      for (size_t s = 0; s < splits_; ++s) acc += partial_[w * splits_ + s];
    }
    return acc;
  }

 private:
  MsmBases<Cfg> bases_;
  std::span<const U256> scalars_;
  std::span<const uint32_t> idx_;
  MsmParams params_;
  size_t n_;
  unsigned windows_ = 0, group_ = 1;
  size_t splits_ = 1;
  std::vector<Jac> partial_;
};

/// sum_i scalars[i] * bases[i] with the given parameters; equal sizes, scalars < 2^254, 1 <= c <= 24.
template <class Cfg>
ec::JacobianPoint<Cfg> pippenger(const MsmBases<Cfg>& bases, std::span<const U256> scalars, const MsmParams& params,
                                 std::span<const uint32_t> idx = {}) {
  PippengerPlan<Cfg> plan(bases, scalars, idx, params);
  ff::parallel_for_chunks(plan.tasks(), [&](size_t task_begin, size_t task_end, unsigned) {
    typename PippengerPlan<Cfg>::Scratch scratch;
    for (size_t t = task_begin; t < task_end; ++t) plan.run_task(t, scratch);
  });
  return plan.combine();
}
template <class Cfg>
ec::JacobianPoint<Cfg> pippenger(std::span<const ec::AffinePoint<Cfg>> bases, std::span<const U256> scalars,
                                 const MsmParams& params) {
  return pippenger<Cfg>(MsmBases<Cfg>(bases), scalars, params);
}

/// An MSM in GLV form (ec/glv.hpp): for each point P with scalar k = s1 k1 + s2 k2 lambda, the
/// points s1 P and s2 phi(P) with the 127-bit scalars k1 and k2; same sum, twice the points,
/// half the windows, so each window's bucket reduction is shared by two points per base. The
/// points are not copied: bases() reads them through the source (MsmBases::glv_view).
template <class Cfg>
struct GlvInputs {
  MsmBases<Cfg> source;
  std::vector<uint32_t> refs;  // source index << 2 | phi << 1 | negate
  std::vector<U256> scalars;
  MsmBases<Cfg> bases() const noexcept { return MsmBases<Cfg>::glv_view(source, refs); }
};

/// The GLV form of sum over j in idx (every j when idx is empty) of scalars[j] * bases[j]
/// (scalars < r, fewer than 2^30 bases); zero scalars are left out, points at infinity are
/// left to the Pippenger (which skips them).
template <class Cfg>
void glv_expand(const MsmBases<Cfg>& bases, std::span<const U256> scalars, std::span<const uint32_t> idx,
                GlvInputs<Cfg>& out) {
  const size_t n = idx.empty() ? std::min(bases.size(), scalars.size()) : idx.size();
  out.source = bases;
  out.refs.clear();
  out.scalars.clear();
  out.refs.reserve(2 * n);
  out.scalars.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    const size_t j = idx.empty() ? i : idx[i];
    if (ff::is_zero(scalars[j])) continue;
    const ec::GlvSplit s = ec::glv_split(scalars[j]);
    const uint32_t ref = static_cast<uint32_t>(j) << 2;
    if (!ff::is_zero(s.k1)) {
      out.refs.push_back(ref | (s.neg1 ? 1u : 0u));
      out.scalars.push_back(s.k1);
    }
    if (!ff::is_zero(s.k2)) {
      out.refs.push_back(ref | 2u | (s.neg2 ? 1u : 0u));
      out.scalars.push_back(s.k2);
    }
  }
}

/// sum_i scalars[i] * bases[i] by one double-and-add per term (the reference for tiny inputs).
template <class Cfg>
ec::JacobianPoint<Cfg> naive_msm(std::span<const ec::AffinePoint<Cfg>> bases, std::span<const U256> scalars) noexcept {
  using Jac = ec::JacobianPoint<Cfg>;
  Jac acc = Jac::identity();
  const size_t n = std::min(bases.size(), scalars.size());
  for (size_t i = 0; i < n; ++i) acc += Jac(bases[i]).mul(scalars[i]);
  return acc;
}

}  // namespace zkamm::snark::msm_detail
