#include "hash/poseidon.hpp"

#include <mutex>
#include <utility>

namespace zkamm::hash {
namespace {

// The self-shrinking Grain LFSR of the Poseidon paper (Appendix F; reference script
// generate_parameters_grain.sage, hadeshash repository, IAIK TU Graz).
class GrainLfsr {
 public:
  GrainLfsr(unsigned t, unsigned rounds_f, unsigned rounds_p) {
    // 80-bit seed: field (2 bits, 1 = prime field), S-box (4 bits, 0 = x^alpha), field size n
    // (12 bits), t (12), R_F (10), R_P (10), then 30 ones; each value most significant bit first.
    unsigned pos = 0;
    const auto put = [&](unsigned value, unsigned width) {
      for (unsigned i = width; i-- > 0;) bits_[pos++] = static_cast<uint8_t>((value >> i) & 1);
    };
    put(1, 2);
    put(0, 4);
    put(254, 12);
    put(t, 12);
    put(rounds_f, 10);
    put(rounds_p, 10);
    while (pos < 80) bits_[pos++] = 1;
    for (int i = 0; i < 160; ++i) step();
  }

  /// The next n output bits read as a big-endian integer (n <= 256).
  ff::U256 bits(unsigned n) {
    ff::U256 v{};
    for (unsigned i = 0; i < n; ++i) {
      // shift left by one and append the next output bit
      for (std::size_t limb = 3; limb > 0; --limb) v[limb] = (v[limb] << 1) | (v[limb - 1] >> 63);
      v[0] = (v[0] << 1) | output_bit();
    }
    return v;
  }

 private:
  // b_{i+80} = b_{i+62} ^ b_{i+51} ^ b_{i+38} ^ b_{i+23} ^ b_{i+13} ^ b_i
  uint8_t step() {
    const auto at = [&](unsigned k) { return bits_[(head_ + k) % 80]; };
    const uint8_t b = at(62) ^ at(51) ^ at(38) ^ at(23) ^ at(13) ^ at(0);
    bits_[head_] = b;  // the oldest bit leaves, the new one takes its slot at the tail
    head_ = (head_ + 1) % 80;
    return b;
  }
  // Self-shrinking: of each pair of LFSR bits, output the second when the first is 1.
  uint64_t output_bit() {
    for (;;) {
      const uint8_t first = step();
      const uint8_t second = step();
      if (first) return second;
    }
  }

  std::array<uint8_t, 80> bits_{};
  unsigned head_ = 0;
};

using Matrix = std::vector<Fr>;  // row-major, square

Matrix mat_mul(const Matrix& a, const Matrix& b, unsigned n) {
  Matrix c(n * n);
  for (unsigned i = 0; i < n; ++i) {
    for (unsigned j = 0; j < n; ++j) {
      Fr acc;
      for (unsigned k = 0; k < n; ++k) acc += a[i * n + k] * b[k * n + j];
      c[i * n + j] = acc;
    }
  }
  return c;
}

// Solves a * x = rhs by Gauss-Jordan elimination; a is invertible (a product of Cauchy blocks).
std::vector<Fr> solve(Matrix a, std::vector<Fr> rhs, unsigned n) {
  for (unsigned col = 0; col < n; ++col) {
    unsigned piv = col;
    while (a[piv * n + col].is_zero()) ++piv;
    if (piv != col) {
      for (unsigned k = 0; k < n; ++k) std::swap(a[piv * n + k], a[col * n + k]);
      std::swap(rhs[piv], rhs[col]);
    }
    const Fr inv = a[col * n + col].inverse();
    for (unsigned k = 0; k < n; ++k) a[col * n + k] *= inv;
    rhs[col] *= inv;
    for (unsigned row = 0; row < n; ++row) {
      if (row == col || a[row * n + col].is_zero()) continue;
      const Fr f = a[row * n + col];
      for (unsigned k = 0; k < n; ++k) a[row * n + k] -= f * a[col * n + k];
      rhs[row] -= f * rhs[col];
    }
  }
  return rhs;
}

// Derives opt_constants, pre_sparse_mds and sparse from round_constants and mds.
void optimize(PoseidonParams& p) {
  const unsigned t = p.t;
  const unsigned half = p.rounds_f / 2;
  const unsigned rp = p.rounds_p;
  const Matrix& m = p.mds;
  // 1. A partial round's constant (c0, c_rest): S(x + c) = S(x + (c0, 0)) + (0, c_rest), and the
  //    (0, c_rest) term passes through M into the next round's constant.
  std::vector<Fr> c(p.round_constants);
  for (unsigned r = half; r < half + rp; ++r) {
    for (unsigned i = 0; i < t; ++i) {
      Fr acc;
      for (unsigned j = 1; j < t; ++j) acc += m[i * t + j] * c[r * t + j];
      c[(r + 1) * t + i] += acc;
    }
  }
  p.opt_constants.clear();
  for (unsigned r = 0; r < p.rounds_f + rp; ++r) {
    const bool full = r < half || r >= half + rp;
    for (unsigned i = 0; i < (full ? t : 1); ++i) p.opt_constants.push_back(c[r * t + i]);
  }
  // 2. A = [[a00, a^T], [b, A_hat]] = [[a00, a^T A_hat^-1], [b, I]] * diag(1, A_hat). The
  //    block-diagonal factor commutes with a partial round (which touches only x0), so walking
  //    back from the last partial round, A_{p} = diag(1, A_hat_{p+1}) * M.
  const unsigned n = t - 1;
  p.sparse.assign(static_cast<size_t>(rp) * (2 * t - 1), Fr::zero());
  Matrix a = m;
  for (unsigned q = rp; q-- > 0;) {
    Matrix a_hat(n * n), a_hat_t(n * n);
    for (unsigned i = 0; i < n; ++i) {
      for (unsigned j = 0; j < n; ++j) {
        a_hat[i * n + j] = a[(i + 1) * t + j + 1];
        a_hat_t[j * n + i] = a[(i + 1) * t + j + 1];
      }
    }
    std::vector<Fr> row(n);
    for (unsigned j = 0; j < n; ++j) row[j] = a[j + 1];
    const std::vector<Fr> u = solve(a_hat_t, row, n);  // u^T = a^T A_hat^-1
    Fr* s = &p.sparse[static_cast<size_t>(q) * (2 * t - 1)];
    s[0] = a[0];
    for (unsigned j = 0; j < n; ++j) s[1 + j] = u[j];
    for (unsigned j = 0; j < n; ++j) s[t + j] = a[(j + 1) * t];
    Matrix d(t * t, Fr::zero());  // diag(1, A_hat)
    d[0] = Fr::one();
    for (unsigned i = 0; i < n; ++i) {
      for (unsigned j = 0; j < n; ++j) d[(i + 1) * t + j + 1] = a_hat[i * n + j];
    }
    a = mat_mul(d, m, t);
  }
  // After the loop a = diag(1, A_hat_0) * M: the last first-half full round's matrix.
  p.pre_sparse_mds = a;
}

}  // namespace

PoseidonParams generate_poseidon_params(unsigned t) {
  PoseidonParams p;
  p.t = t;
  p.rounds_f = kPoseidonFullRounds;
  p.rounds_p = kPoseidonPartialRounds[t - 2];
  GrainLfsr grain(t, p.rounds_f, p.rounds_p);
  const std::size_t n_constants = static_cast<std::size_t>(p.rounds_f + p.rounds_p) * t;
  p.round_constants.reserve(n_constants);
  while (p.round_constants.size() < n_constants) {
    // rejection sampling: values >= r are dropped
    if (auto c = Fr::from_canonical(grain.bits(254))) p.round_constants.push_back(*c);
  }
  // Cauchy MDS matrix M[i][j] = 1 / (x_i + y_j) with x, y the next 2t LFSR outputs reduced mod r.
  // (The script resamples on duplicates or a zero sum and, in later versions, on failed
  // invariant-subspace checks; none of that triggers for circomlib's widths, which the tests
  // confirm against circomlibjs' constants.)
  std::vector<Fr> xy(2 * t);
  for (auto& v : xy) v = Fr::from_u256_reduced(grain.bits(254));
  p.mds.resize(static_cast<std::size_t>(t) * t);
  for (unsigned i = 0; i < t; ++i) {
    for (unsigned j = 0; j < t; ++j) p.mds[i * t + j] = xy[i] + xy[t + j];
  }
  Fr::batch_invert(p.mds);
  optimize(p);
  return p;
}

const PoseidonParams& poseidon_params(unsigned t) {
  static std::array<std::once_flag, 16> once;
  static std::array<PoseidonParams, 16> params;
  std::call_once(once[t - 2], [t] { params[t - 2] = generate_poseidon_params(t); });
  return params[t - 2];
}

namespace {
inline Fr pow5(const Fr& x) noexcept {
  const Fr x2 = x.square();
  return x2.square() * x;
}
}  // namespace

void poseidon_permute_reference(std::span<Fr> state) noexcept {
  const unsigned t = static_cast<unsigned>(state.size());
  const PoseidonParams& p = poseidon_params(t);
  const Fr* c = p.round_constants.data();
  const Fr* m = p.mds.data();
  const unsigned half_f = p.rounds_f / 2;
  std::array<Fr, 17> tmp;
  for (unsigned r = 0; r < p.rounds_f + p.rounds_p; ++r) {
    for (unsigned i = 0; i < t; ++i) state[i] += c[r * t + i];
    if (r < half_f || r >= half_f + p.rounds_p) {
      for (unsigned i = 0; i < t; ++i) state[i] = pow5(state[i]);
    } else {
      state[0] = pow5(state[0]);
    }
    for (unsigned i = 0; i < t; ++i) {
      Fr acc = m[i * t] * state[0];
      for (unsigned j = 1; j < t; ++j) acc += m[i * t + j] * state[j];
      tmp[i] = acc;
    }
    for (unsigned i = 0; i < t; ++i) state[i] = tmp[i];
  }
}

namespace {
// Each matrix row is a dot product reduced once per Fr::kMaxLazyTerms products (lazy reduction,
// as in the IFMA lanes of poseidon_batch.cpp): a width-5 row costs five plain 512-bit products
// and one Montgomery reduction instead of five Montgomery products.
inline void apply_matrix(std::span<Fr> state, const Fr* m, unsigned t) noexcept {
  std::array<Fr, 17> tmp;
  for (unsigned i = 0; i < t; ++i) tmp[i] = Fr::dot(m + i * t, state.data(), t);
  for (unsigned i = 0; i < t; ++i) state[i] = tmp[i];
}
}  // namespace

void poseidon_permute(std::span<Fr> state) noexcept {
  const unsigned t = static_cast<unsigned>(state.size());
  const PoseidonParams& p = poseidon_params(t);
  const Fr* c = p.opt_constants.data();
  const unsigned half = p.rounds_f / 2;
  const auto full_round = [&](const Fr* m) {
    for (unsigned i = 0; i < t; ++i) state[i] = pow5(state[i] + c[i]);
    c += t;
    apply_matrix(state, m, t);
  };
  for (unsigned r = 0; r + 1 < half; ++r) full_round(p.mds.data());
  full_round(p.pre_sparse_mds.data());
  const Fr* s = p.sparse.data();
  for (unsigned r = 0; r < p.rounds_p; ++r) {
    const Fr x0 = pow5(state[0] + *c++);
    state[0] = x0;
    const Fr acc = Fr::dot(s, state.data(), t);
    for (unsigned j = 1; j < t; ++j) state[j] += s[t + j - 1] * x0;
    state[0] = acc;
    s += 2 * t - 1;
  }
  for (unsigned r = 0; r < half; ++r) full_round(p.mds.data());
}

Fr poseidon(std::span<const Fr> inputs) noexcept {
  if (inputs.empty() || inputs.size() > kPoseidonMaxInputs) return Fr::zero();
  std::array<Fr, 17> state{};
  for (std::size_t i = 0; i < inputs.size(); ++i) state[i + 1] = inputs[i];
  poseidon_permute(std::span<Fr>(state.data(), inputs.size() + 1));
  return state[0];
}

}  // namespace zkamm::hash
