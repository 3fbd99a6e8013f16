#include "ec/pairing.hpp"

#include <array>
#include <vector>

namespace zkamm::ec {
namespace {

using ff::Fq2;
using ff::Fq6;

/// The BN parameter x of BN254 (EIP-197's curve): q = 36x^4 + 36x^3 + 24x^2 + 6x + 1.
constexpr uint64_t kBnX = 4965661367192848881ULL;

/// Non-adjacent form of 6x + 2, least significant digit first.
struct LoopDigits {
  std::array<int8_t, 68> d{};
  int len = 0;
};
constexpr LoopDigits ate_loop_digits() {
  LoopDigits out;
  ff::uint128_t n = static_cast<ff::uint128_t>(kBnX) * 6 + 2;
  while (n != 0) {
    int8_t digit = 0;
    if (n & 1) {
      digit = (n & 3) == 3 ? -1 : 1;
      if (digit == 1) n -= 1; else n += 1;
    }
    out.d[static_cast<size_t>(out.len++)] = digit;
    n >>= 1;
  }
  return out;
}
constexpr LoopDigits kLoop = ate_loop_digits();

/// Line coefficients (d0, d3, d4) before scaling by P: the line is d0 yP + d3 xP w + d4 v w.
struct Line {
  Fq2 d0, d3, d4;
};

/// Homogeneous projective G2 point (X/Z, Y/Z) walked by the Miller loop.
struct G2Proj {
  Fq2 x, y, z;
};

const Fq& two_inv() noexcept {
  static const Fq v = Fq::from_u64(2).inverse();
  return v;
}

/// Doubling step with the tangent line (Costello, Lange, Naehrig, "Faster pairing computations
/// on curves with high-degree twists", PKC 2010, and Aranha et al., ePrint 2010/526, eq. (10)).
inline Line double_step(G2Proj& r) noexcept {
  const Fq2 a = (r.x * r.y) * two_inv();
  const Fq2 b = r.y.square();
  const Fq2 c = r.z.square();
  const Fq2 c3 = c.dbl() + c;
  const Fq2 e = G2Config::b() * c3;
  const Fq2 f = e.dbl() + e;
  const Fq2 g = (b + f) * two_inv();
  const Fq2 h = (r.y + r.z).square() - (b + c);
  const Fq2 i = e - b;
  const Fq2 j = r.x.square();
  const Fq2 e2 = e.square();
  r.x = a * (b - f);
  r.y = g.square() - (e2.dbl() + e2);
  r.z = b * h;
  return Line{-h, j.dbl() + j, i};
}

/// Addition step R + Q with the chord line (Aranha et al., ePrint 2010/526, eq. (12)).
inline Line add_step(G2Proj& r, const G2Affine& q) noexcept {
  const Fq2 theta = r.y - q.y * r.z;
  const Fq2 lambda = r.x - q.x * r.z;
  const Fq2 c = theta.square();
  const Fq2 d = lambda.square();
  const Fq2 e = lambda * d;
  const Fq2 f = r.z * c;
  const Fq2 g = r.x * d;
  const Fq2 h = e + f - g.dbl();
  r.x = lambda * h;
  r.y = theta * (g - h) - e * r.y;
  r.z = r.z * e;
  const Fq2 j = theta * q.x - lambda * q.y;
  return Line{lambda, -theta, j};
}

inline void apply_line(Fq12& f, const Line& l, const G1Affine& p) noexcept {
  f = f.mul_by_034(l.d0 * p.y, l.d3 * p.x, l.d4);
}

struct PairState {
  G1Affine p;
  G2Affine q, neg_q;
  G2Proj r;
};

}  // namespace

Fq12 multi_miller_loop(std::span<const std::pair<G1Affine, G2Affine>> pairs) noexcept {
  std::vector<PairState> st;
  st.reserve(pairs.size());
  for (const auto& [p, q] : pairs) {
    if (p.infinity || q.infinity) continue;
    st.push_back(PairState{p, q, -q, G2Proj{q.x, q.y, Fq2::one()}});
  }
  Fq12 f = Fq12::one();
  if (st.empty()) return f;
  for (int i = kLoop.len - 2; i >= 0; --i) {
    if (i != kLoop.len - 2) f = f.square();
    for (auto& s : st) apply_line(f, double_step(s.r), s.p);
    const int8_t digit = kLoop.d[static_cast<size_t>(i)];
    if (digit == 0) continue;
    for (auto& s : st) apply_line(f, add_step(s.r, digit > 0 ? s.q : s.neg_q), s.p);
  }
  // R = [6x+2]Q; add pi(Q) and -pi^2(Q) (x > 0 for BN254, so no conjugation of f is needed).
  for (auto& s : st) {
    const G2Affine q1 = g2_psi(s.q);
    const G2Affine q2 = -g2_psi(q1);
    apply_line(f, add_step(s.r, q1), s.p);
    apply_line(f, add_step(s.r, q2), s.p);
  }
  return f;
}

Fq12 miller_loop(const G1Affine& p, const G2Affine& q) noexcept {
  const std::pair<G1Affine, G2Affine> one[1] = {{p, q}};
  return multi_miller_loop(one);
}

namespace {
/// f^x for f in the cyclotomic subgroup.
Fq12 exp_by_x(const Fq12& f) noexcept {
  Fq12 r = f;
  for (int i = 62 - 1; i >= 0; --i) {
    r = r.cyclotomic_square();
    if ((kBnX >> i) & 1) r *= f;
  }
  return r;
}
}  // namespace

Fq12 final_exponentiation(const Fq12& f) noexcept {
  static_assert((kBnX >> 62) == 1, "x has 63 bits");
  // Easy part: f^((q^6 - 1)(q^2 + 1)).
  Fq12 r = f.conjugate() * f.inverse();
  r = r.frobenius(2) * r;
  // Hard part: Fuentes-Castaneda, Knapp, Rodriguez-Henriquez, "Faster hashing to G2", SAC 2011,
  // in the operation order of libff/arkworks: r^(2x(6x^2+3x+1)(q^4 - q^2 + 1)/r) as
  // q^3 (12x^3+6x^2+4x-1) + q^2 (12x^3+6x^2+6x) + q (12x^3+6x^2+4x) + (12x^3+12x^2+6x+1).
  const Fq12 y0 = exp_by_x(r).conjugate();  // exp by -x
  const Fq12 y1 = y0.cyclotomic_square();
  const Fq12 y2 = y1.cyclotomic_square();
  Fq12 y3 = y2 * y1;
  const Fq12 y4 = exp_by_x(y3).conjugate();
  const Fq12 y5 = y4.cyclotomic_square();
  Fq12 y6 = exp_by_x(y5).conjugate();
  y3 = y3.conjugate();
  y6 = y6.conjugate();
  const Fq12 y7 = y6 * y4;
  Fq12 y8 = y7 * y3;
  const Fq12 y9 = y8 * y1;
  const Fq12 y10 = y8 * y4;
  const Fq12 y11 = y10 * r;
  const Fq12 y12 = y9.frobenius(1);
  const Fq12 y13 = y12 * y11;
  y8 = y8.frobenius(2);
  const Fq12 y14 = y8 * y13;
  r = r.conjugate();
  Fq12 y15 = r * y9;
  y15 = y15.frobenius(3);
  return y15 * y14;
}

Fq12 pairing(const G1Affine& p, const G2Affine& q) noexcept { return final_exponentiation(miller_loop(p, q)); }

bool pairing_product_is_one(std::span<const std::pair<G1Affine, G2Affine>> pairs) noexcept {
  return final_exponentiation(multi_miller_loop(pairs)).is_one();
}

}  // namespace zkamm::ec
