#include "circuit/babyjubjub_gadget.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace zkamm::circuit {
namespace {

using ec::BabyJubAffine;
using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

const Fr& curve_a() {
  static const Fr a = Fr::from_u64(ec::kBabyJubA);
  return a;
}
const Fr& curve_d() {
  static const Fr d = Fr::from_u64(ec::kBabyJubD);
  return d;
}

Lc one() { return Lc::constant(Fr::one()); }

/// w = num / den as a fresh wire with the constraint w * den = num (den = 0 leaves w = 0, and the
/// constraint then fails unless num = 0 too).
Lc divide(ConstraintSystem& cs, const Lc& num, const Lc& den) {
  const Variable w = cs.alloc(cs.eval(num) * cs.eval(den).inverse());
  cs.enforce(w, den, num);
  return w;
}

/// b ? v1 : v0 for a boolean b; 1 constraint.
Lc pick(ConstraintSystem& cs, const Lc& b, const Lc& v0, const Lc& v1) { return v0 + Lc(cs.mul(b, v1 - v0)); }

PointExpr select_point(ConstraintSystem& cs, const Lc& b, const PointExpr& p0, const PointExpr& p1) {
  return {pick(cs, b, p0.x, p1.x), pick(cs, b, p0.y, p1.y)};
}

/// The multilinear interpolation of a constant table of 2^k values (k = bits.size() <= 3) at the
/// window bits: k = 1, 2 cost nothing beyond the shared b0*b1; k = 3 costs 1 per coordinate.
struct ConstLookup {
  Lc b01;  // b0 * b1 when k >= 2
  PointExpr eval(ConstraintSystem& cs, std::span<const Variable> bits, std::span<const BabyJubAffine> table) const {
    const auto low = [&](const Fr& v0, const Fr& v1, const Fr& v2, const Fr& v3) {
      Lc r = Lc::constant(v0) + Lc(bits[0]) * (v1 - v0);
      if (bits.size() >= 2) r += Lc(bits[1]) * (v2 - v0) + b01 * (v3 - v2 - v1 + v0);
      return r;
    };
    const auto coord = [&](auto get) {
      if (bits.size() == 1) return Lc::constant(get(table[0])) + Lc(bits[0]) * (get(table[1]) - get(table[0]));
      const Lc g = low(get(table[0]), get(table[1]), get(table[2]), get(table[3]));
      if (bits.size() == 2) return g;
      const Lc h = low(get(table[4]), get(table[5]), get(table[6]), get(table[7]));
      return g + Lc(cs.mul(bits[2], h - g));
    };
    return {coord([](const BabyJubAffine& p) { return p.x; }), coord([](const BabyJubAffine& p) { return p.y; })};
  }
};

}  // namespace

PointExpr point_constant(const BabyJubAffine& p) { return {Lc::constant(p.x), Lc::constant(p.y)}; }

BabyJubAffine point_value(const ConstraintSystem& cs, const PointExpr& p) { return {cs.eval(p.x), cs.eval(p.y)}; }

PointExpr alloc_point(ConstraintSystem& cs, const BabyJubAffine& p) { return {cs.alloc(p.x), cs.alloc(p.y)}; }

PointExpr point_add(ConstraintSystem& cs, const PointExpr& p, const PointExpr& q) {
  // circomlib BabyAdd: beta = x1*y2, gamma = y1*x2, delta = (y1 - a*x1)*(x2 + y2), tau = beta*gamma;
  // x3 = (beta + gamma) / (1 + d*tau), y3 = (delta + a*beta - gamma) / (1 - d*tau).
  const Lc beta = cs.mul(p.x, q.y);
  const Lc gamma = cs.mul(p.y, q.x);
  const Lc delta = cs.mul(p.y - p.x * curve_a(), q.x + q.y);
  const Lc tau = cs.mul(beta, gamma);
  const Lc x3 = divide(cs, beta + gamma, one() + tau * curve_d());
  const Lc y3 = divide(cs, delta + beta * curve_a() - gamma, one() - tau * curve_d());
  return {x3, y3};
}

PointExpr point_double(ConstraintSystem& cs, const PointExpr& p) {
  // On the curve 1 + d*x^2*y^2 = a*x^2 + y^2, so 2P = (2xy / (a*x^2 + y^2),
  // (y^2 - a*x^2) / (2 - a*x^2 - y^2)); both denominators are non-zero by completeness.
  const Lc xx = cs.mul(p.x, p.x);
  const Lc yy = cs.mul(p.y, p.y);
  const Lc xy = cs.mul(p.x, p.y);
  const Lc axx_yy = xx * curve_a() + yy;
  const Lc x3 = divide(cs, xy * Fr::from_u64(2), axx_yy);
  const Lc y3 = divide(cs, yy - xx * curve_a(), Lc::constant(2) - axx_yy);
  return {x3, y3};
}

PointExpr point_mul_cofactor(ConstraintSystem& cs, const PointExpr& p) {
  return point_double(cs, point_double(cs, point_double(cs, p)));
}

void assert_on_curve(ConstraintSystem& cs, const PointExpr& p) {
  const Lc xx = cs.mul(p.x, p.x);
  const Lc yy = cs.mul(p.y, p.y);
  cs.enforce(xx * curve_d(), yy, xx * curve_a() + yy - one());
}

void assert_x_nonzero(ConstraintSystem& cs, const PointExpr& p, const Lc& enabled) {
  const Fr x = cs.eval(p.x);
  const Variable inv = cs.alloc(cs.eval(enabled).is_zero() ? Fr{} : x.inverse());
  cs.enforce(p.x, inv, enabled);
}

PointExpr scalar_mul(ConstraintSystem& cs, std::span<const snark::Variable> bits_le, const PointExpr& p) {
  const size_t n = bits_le.size();
  if (n == 0) return point_constant(BabyJubAffine::identity());
  const PointExpr id = point_constant(BabyJubAffine::identity());
  // Table for 2-bit windows: 0, P, 2P, 3P.
  const PointExpr p2 = point_double(cs, p);
  const PointExpr p3 = point_add(cs, p2, p);
  const auto lookup2 = [&](Variable b0, Variable b1) {
    const PointExpr lo = select_point(cs, b0, id, p);
    const PointExpr hi = select_point(cs, b0, p2, p3);
    return select_point(cs, b1, lo, hi);
  };
  // Windows from the most significant end; an odd length leaves a 1-bit top window.
  size_t i = n;
  PointExpr acc;
  if (n % 2 == 1) {
    acc = select_point(cs, bits_le[n - 1], id, p);
    i = n - 1;
  } else {
    acc = lookup2(bits_le[n - 2], bits_le[n - 1]);
    i = n - 2;
  }
  while (i > 0) {
    i -= 2;
    acc = point_double(cs, point_double(cs, acc));
    acc = point_add(cs, acc, lookup2(bits_le[i], bits_le[i + 1]));
  }
  return acc;
}

namespace {

/// tables[k][j] = j * 8^k * base: the constant lookup tables of fixed_base_mul.
std::vector<std::array<BabyJubAffine, 8>> window_tables(const BabyJubAffine& base, size_t windows) {
  std::vector<std::array<BabyJubAffine, 8>> tables(windows);
  ec::BabyJubPoint window_base(base);
  for (auto& table : tables) {
    ec::BabyJubPoint multiple;  // identity
    for (auto& entry : table) {
      entry = multiple.to_affine();
      multiple += window_base;
    }
    window_base = window_base.dbl().dbl().dbl();
  }
  return tables;
}

}  // namespace

PointExpr fixed_base_mul(ConstraintSystem& cs, std::span<const Variable> bits_le, const BabyJubAffine& base) {
  const size_t n = bits_le.size();
  if (n == 0) return point_constant(BabyJubAffine::identity());
  const size_t windows = (n + 2) / 3;
  // Base8's tables (up to 255-bit scalars) are built once: they dominate the witness time otherwise.
  static const std::vector<std::array<BabyJubAffine, 8>> base8_tables = window_tables(BabyJubAffine::base8(), 85);
  std::vector<std::array<BabyJubAffine, 8>> own;
  const bool cached = base == BabyJubAffine::base8() && windows <= base8_tables.size();
  if (!cached) own = window_tables(base, windows);
  const auto& tables = cached ? base8_tables : own;
  std::optional<PointExpr> acc;
  for (size_t w = 0; w < windows; ++w) {
    const size_t start = 3 * w;
    const size_t k = std::min<size_t>(3, n - start);
    const auto bits = bits_le.subspan(start, k);
    ConstLookup look;
    if (k >= 2) look.b01 = cs.mul(bits[0], bits[1]);
    const PointExpr p = look.eval(cs, bits, std::span<const BabyJubAffine>(tables[w].data(), size_t{1} << k));
    acc = acc ? point_add(cs, *acc, p) : p;
  }
  return *acc;
}

}  // namespace zkamm::circuit
