#include "hash/poseidon_batch.hpp"

#include <algorithm>
#include <array>
#include <mutex>
#include <vector>

namespace zkamm::hash {

#ifdef ZKAMM_FF_IFMA
namespace {

using ff::x8::Limbs52;
using ff::x8::detail::V;
using ff::x8::detail::W;
namespace d = ff::x8::detail;

/// PoseidonParams' optimized constants and matrices converted once to the lanes' form.
struct LaneParams {
  std::vector<Limbs52> c, mds, pre_sparse, sparse;
};

std::vector<Limbs52> convert(const std::vector<Fr>& v) {
  std::vector<Limbs52> out(v.size());
  std::transform(v.begin(), v.end(), out.begin(), [](const Fr& x) { return ff::x8::to_mont52(x); });
  return out;
}

const LaneParams& lane_params(unsigned t) {
  static std::array<std::once_flag, 16> once;
  static std::array<LaneParams, 16> params;
  std::call_once(once[t - 2], [t] {
    const PoseidonParams& p = poseidon_params(t);
    params[t - 2] = {convert(p.opt_constants), convert(p.mds), convert(p.pre_sparse_mds), convert(p.sparse)};
  });
  return params[t - 2];
}

inline V pow5(const V& x) noexcept {
  const V x2 = d::mul(x, x);
  return d::mul(d::mul(x2, x2), x);
}

// Bounds (p < 0.19 * 2^256, so p / 2^260 < 0.012): a reduction of a sum of up to 17 products
// of lane values below 2.6p and constants below p ends below 1.6p, and of an S-box square of a
// value below 4.1p below 1.3p. So every s[i] after a full round or s[0] after a partial round is
// below 1.6p + p (its next constant); s[j > 0] in the partial rounds stays below 2p (s[j] plus a
// reduction below 1.1p is below 4p, and csub takes 2p off when it is at least 2p); the last
// partial round adds the next constant too (below 2p + 1.1p + p = 4.1p). Every multiplication
// input is therefore below 4.1p < 0.8 * 2^256: within the kernel's precondition (below 2^256).

/// One full round's S-boxes and matrix m; then the next round's constants (t of them when
/// next_full, else one for state[0]) unless last.
inline void full_round(V* s, unsigned t, const Limbs52* m, const Limbs52* next_c, bool next_full) noexcept {
  std::array<V, 17> y;
  for (unsigned i = 0; i < t; ++i) y[i] = pow5(s[i]);
  for (unsigned i = 0; i < t; ++i) {
    W w;
    d::zero(w);
    for (unsigned j = 0; j < t; ++j) d::mul_acc(w, y[j], m[i * t + j]);
    if (next_c == nullptr || (!next_full && i > 0)) {
      d::reduce_raw(w);
      s[i] = d::normalize(&w.t[ff::x8::kLimbs]);
    } else {
      s[i] = d::reduce_add(w, next_c[next_full ? i : 0]);
    }
  }
}

/// The permutation of eight states whose round-0 constants are already added.
void permute(V* s, unsigned t, const LaneParams& q, unsigned rounds_f, unsigned rounds_p) noexcept {
  const Limbs52* c = q.c.data() + t;  // round 0's were added at load
  const unsigned half = rounds_f / 2;
  for (unsigned r = 0; r < half; ++r) {
    const bool last = r + 1 == half;
    full_round(s, t, last ? q.pre_sparse.data() : q.mds.data(), c, !last);
    c += last ? 0 : t;
  }
  const Limbs52* sp = q.sparse.data();
  for (unsigned r = 0; r < rounds_p; ++r) {
    const Limbs52* cr = c;  // this round's constant was added to s[0] by the previous round
    const bool next_full = r + 1 == rounds_p;
    const Limbs52* next_c = cr + 1;
    const V y0 = pow5(s[0]);
    W w0;
    d::zero(w0);
    d::mul_acc(w0, y0, sp[0]);
    for (unsigned j = 1; j < t; ++j) d::mul_acc(w0, s[j], sp[j]);
    for (unsigned j = 1; j < t; ++j) {
      W w;
      d::zero(w);
      d::mul_acc(w, y0, sp[t + j - 1]);
      s[j] = next_full ? d::reduce_add(w, s[j], next_c[j]) : d::csub(d::reduce_add(w, s[j]), d::kP2);
    }
    s[0] = d::reduce_add(w0, next_c[0]);
    c = next_c;
    sp += 2 * t - 1;
  }
  c += t;  // first second-half full round's constants were added by the last partial round
  for (unsigned r = 0; r < half; ++r) {
    const bool last = r + 1 == half;
    full_round(s, t, q.mds.data(), last ? nullptr : c, true);
    c += t;
  }
}

}  // namespace
#endif

void poseidon_x8(const Fr* in, std::size_t k, Fr* out8) noexcept {
#ifdef ZKAMM_FF_IFMA
  const unsigned t = static_cast<unsigned>(k) + 1;
  const PoseidonParams& p = poseidon_params(t);
  const LaneParams& q = lane_params(t);
  std::array<V, 17> s;
  s[0] = d::broadcast(q.c[0]);  // capacity element 0, plus its round-0 constant
  for (unsigned i = 1; i < t; ++i) s[i] = d::load_add(in + (i - 1), k, q.c[i]);
  permute(s.data(), t, q, p.rounds_f, p.rounds_p);
  d::store(s[0], out8);
#else
  for (std::size_t l = 0; l < 8; ++l) out8[l] = poseidon(std::span<const Fr>(in + l * k, k));
#endif
}

void poseidon_many(std::span<const Fr> inputs, std::size_t k, std::span<Fr> out) noexcept {
  std::vector<Fr> pad;
  std::array<Fr, 8> res;
  for (std::size_t i = 0; i < out.size(); i += 8) {
    const std::size_t n = std::min<std::size_t>(8, out.size() - i);
    const Fr* rows = inputs.data() + i * k;
    if (n < kPoseidonBatchMin) {
      for (std::size_t j = 0; j < n; ++j) out[i + j] = poseidon(std::span<const Fr>(rows + j * k, k));
      continue;
    }
    if (n == 8) {
      poseidon_x8(rows, k, &out[i]);
      continue;
    }
    pad.assign(8 * k, Fr::zero());
    std::copy(rows, rows + n * k, pad.begin());
    poseidon_x8(pad.data(), k, res.data());
    std::copy(res.begin(), res.begin() + static_cast<std::ptrdiff_t>(n), out.begin() + static_cast<std::ptrdiff_t>(i));
  }
}

}  // namespace zkamm::hash
