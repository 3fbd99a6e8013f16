#include "ec/babyjubjub_fast.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace zkamm::ec {
namespace {

using ff::Fr;
using ff::U256;

// Constants of the a = -1 model: s = sqrt(-a) maps x to u = s*x; k2d = 2*d' with d' = -d/a.
struct Model {
  Fr s, s_inv, k2d;
  Model() {
    const Fr a = Fr::from_u64(kBabyJubA);
    const Fr d = Fr::from_u64(kBabyJubD);
    s = *(-a).sqrt();  // exists: -1 and a are squares mod r
    s_inv = s.inverse();
    const Fr d_prime = -(d * a.inverse());
    k2d = d_prime.dbl();
  }
};
const Model& model() noexcept {
  static const Model m;
  return m;
}

// Extended coordinates on -u^2 + y^2 = 1 + d' u^2 y^2: u = X/Z, y = Y/Z, u*y = T/Z.
struct Ext {
  Fr x, y, z, t;
  static Ext identity() noexcept { return {Fr::zero(), Fr::one(), Fr::one(), Fr::zero()}; }
  bool is_identity() const noexcept { return x.is_zero() && y == z; }
};

// A point cached for addition (add-2008-hwcd-3 inputs): Y-X, Y+X, 2Z, 2d'T.
struct Cached {
  Fr ymx, ypx, z2, t2d;
};
// An affine point cached for mixed addition (Z = 1): y-u, y+u, 2d'uy.
struct Niels {
  Fr ymx, ypx, t2d;
};

Ext from_affine(const BabyJubAffine& p) noexcept {
  const Fr u = p.x * model().s;
  return {u, p.y, Fr::one(), u * p.y};
}

BabyJubAffine to_affine(const Ext& p) noexcept {
  const Fr zinv = p.z.inverse();
  return {p.x * zinv * model().s_inv, p.y * zinv};
}

Cached to_cached(const Ext& p) noexcept { return {p.y - p.x, p.y + p.x, p.z.dbl(), p.t * model().k2d}; }

// dbl-2008-hwcd with a = -1 (Hisil et al. 2008, section 3.3), in place; T3 only when the next
// step adds (doubling never reads T).
inline void dbl_in_place(Ext& p, bool need_t) noexcept {
  const Fr a = p.x.square();
  const Fr b = p.y.square();
  const Fr c = p.z.square().dbl();
  const Fr e = (p.x + p.y).square() - a - b;
  const Fr g = b - a;  // D + B with D = -A
  const Fr f = g - c;
  const Fr h = -(a + b);  // D - B
  p.x = e * f;
  p.y = g * h;
  p.z = f * g;
  if (need_t) p.t = e * h;
}
inline Ext dbl(const Ext& p, bool need_t) noexcept {
  Ext r = p;
  dbl_in_place(r, need_t);
  return r;
}

// add-2008-hwcd-3 (Hisil et al. 2008, section 3.2, a = -1, k = 2d'); subtracts when neg.
inline void add_in_place(Ext& p, const Fr& ymx, const Fr& ypx, const Fr& t2d, const Fr& d, bool neg) noexcept {
  const Fr a = (p.y - p.x) * (neg ? ypx : ymx);
  const Fr b = (p.y + p.x) * (neg ? ymx : ypx);
  const Fr c0 = p.t * t2d;
  const Fr c = neg ? -c0 : c0;
  const Fr e = b - a;
  const Fr f = d - c;
  const Fr g = d + c;
  const Fr h = b + a;
  p.x = e * f;
  p.y = g * h;
  p.z = f * g;
  p.t = e * h;
}
inline void add_in_place(Ext& p, const Cached& q, bool neg) noexcept {
  add_in_place(p, q.ymx, q.ypx, q.t2d, p.z * q.z2, neg);
}
inline void add_in_place(Ext& p, const Niels& q, bool neg) noexcept { add_in_place(p, q.ymx, q.ypx, q.t2d, p.z.dbl(), neg); }
inline Ext add(const Ext& p, const Cached& q, bool neg) noexcept {
  Ext r = p;
  add_in_place(r, q, neg);
  return r;
}

constexpr unsigned kVarWindow = 5;    // odd multiples 1..15: 8 cached points per variable base
constexpr unsigned kFixedWindow = 8;  // odd multiples 1..127: 64 affine points per fixed base
constexpr unsigned kMaxDigits = 260;

using Digits = std::array<int8_t, kMaxDigits>;

// Width-w NAF (Solinas; Hankerson, Menezes, Vanstone, "Guide to ECC", Alg. 3.35), least
// significant digit first; k < 2^255. Returns the number of digits; the rest stay zero.
unsigned wnaf(U256 k, unsigned w, Digits& out) noexcept {
  out.fill(0);
  const uint64_t mask = (uint64_t{1} << w) - 1;
  const int64_t half = int64_t{1} << (w - 1);
  unsigned i = 0;
  while (!ff::is_zero(k)) {
    if ((k[0] & 1) == 0) {
      const unsigned tz = k[0] == 0 ? 63 : static_cast<unsigned>(__builtin_ctzll(k[0]));
      i += tz;  // zero digits
      k = ff::shift_right(k, tz);
      continue;
    }
    int64_t dgt = static_cast<int64_t>(k[0] & mask);
    if (dgt >= half) dgt -= int64_t{1} << w;
    out[i++] = static_cast<int8_t>(dgt);
    if (dgt > 0) {
      k[0] -= static_cast<uint64_t>(dgt);
    } else {
      ff::add_with_carry(k, k, U256{static_cast<uint64_t>(-dgt), 0, 0, 0});
    }
    k = ff::shift_right(k, 1);
  }
  return i;
}

std::array<Cached, 8> odd_multiples(const Ext& p) noexcept {
  std::array<Cached, 8> tbl;
  const Cached p2 = to_cached(dbl(p, true));
  Ext cur = p;
  tbl[0] = to_cached(cur);
  for (unsigned i = 1; i < tbl.size(); ++i) {
    cur = add(cur, p2, false);
    tbl[i] = to_cached(cur);
  }
  return tbl;
}

// u*Base8 is split as u_lo + 2^kSplit*u_hi; for u < l < 2^252 both halves have <= 126 bits, so
// they do not lengthen the Straus loop beyond the shortened c and d (< 2^126 mostly).
constexpr unsigned kSplit = 126;

// Odd multiples 1, 3, ..., 127 of Base8 and of 2^kSplit * Base8, affine (built once).
struct FixedTables {
  std::array<Niels, 64> lo, hi;
  FixedTables() {
    Ext b = from_affine(BabyJubAffine::base8());
    Ext b_hi = b;
    for (unsigned i = 0; i < kSplit; ++i) b_hi = dbl(b_hi, true);
    std::vector<Ext> pts;
    for (const Ext& base : {b, b_hi}) {
      const Cached two = to_cached(dbl(base, true));
      Ext cur = base;
      for (int i = 0; i < 64; ++i) {
        pts.push_back(cur);
        cur = add(cur, two, false);
      }
    }
    std::vector<Fr> zs(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) zs[i] = pts[i].z;
    Fr::batch_invert(zs);
    for (size_t i = 0; i < pts.size(); ++i) {
      const Fr u = pts[i].x * zs[i];
      const Fr y = pts[i].y * zs[i];
      (i < 64 ? lo[i] : hi[i - 64]) = Niels{y - u, y + u, u * y * model().k2d};
    }
  }
};
const FixedTables& fixed_tables() noexcept {
  static const FixedTables t;
  return t;
}

// a >> n for n < 256.
U256 shr(const U256& a, unsigned n) noexcept {
  U256 r{};
  const unsigned limbs = n / 64, bits = n % 64;
  for (unsigned i = 0; i + limbs < 4; ++i) {
    uint64_t v = a[i + limbs] >> bits;
    if (bits != 0 && i + limbs + 1 < 4) v |= a[i + limbs + 1] << (64 - bits);
    r[i] = v;
  }
  return r;
}

// u*Base8 + c*P + d*Q by one Straus loop (interleaved wNAF: Moeller, "Algorithms for
// multi-exponentiation", SAC 2001); u < 2^256 split at bit kSplit over the two fixed tables.
Ext lincomb(const U256& u, const BabyJubSigned& c, const Ext& p, const BabyJubSigned& d, const Ext& q) noexcept {
  const FixedTables& ft = fixed_tables();
  Digits du_lo, du_hi, dc, dd;
  static_assert(kSplit > 64 && kSplit < 128);
  const U256 u_lo{u[0], u[1] & ((uint64_t{1} << (kSplit - 64)) - 1), 0, 0};
  const U256 u_hi = shr(u, kSplit);
  const unsigned n0 = wnaf(u_lo, kFixedWindow, du_lo);
  const unsigned n1 = wnaf(u_hi, kFixedWindow, du_hi);
  const unsigned n2 = wnaf(c.mag, kVarWindow, dc);
  const unsigned n3 = wnaf(d.mag, kVarWindow, dd);
  const std::array<Cached, 8> tp = odd_multiples(p);
  const std::array<Cached, 8> tq = odd_multiples(q);
  Ext acc = Ext::identity();
  for (std::size_t i = std::max({n0, n1, n2, n3}); i-- > 0;) {
    const int8_t a0 = du_lo[i], a1 = du_hi[i], a2 = dc[i], a3 = dd[i];
    dbl_in_place(acc, (a0 | a1 | a2 | a3) != 0);
    if (a0 != 0) add_in_place(acc, ft.lo[static_cast<unsigned>(a0 > 0 ? a0 : -a0) / 2], a0 < 0);
    if (a1 != 0) add_in_place(acc, ft.hi[static_cast<unsigned>(a1 > 0 ? a1 : -a1) / 2], a1 < 0);
    if (a2 != 0) add_in_place(acc, tp[static_cast<unsigned>(a2 > 0 ? a2 : -a2) / 2], (a2 < 0) != c.neg);
    if (a3 != 0) add_in_place(acc, tq[static_cast<unsigned>(a3 > 0 ? a3 : -a3) / 2], (a3 < 0) != d.neg);
  }
  return acc;
}

U256 shl(const U256& a, unsigned n) noexcept {
  U256 r{};
  const unsigned limbs = n / 64, bits = n % 64;
  for (unsigned i = 3 + 1; i-- > limbs;) {
    uint64_t v = a[i - limbs] << bits;
    if (bits != 0 && i > limbs) v |= a[i - limbs - 1] >> (64 - bits);
    r[i] = v;
  }
  return r;
}

// r0 <- r0 mod r1 and t0 <- t0 + (r0 div r1) * t1, by binary long division; r1 != 0.
void euclid_step(U256& r0, const U256& r1, U256& t0, const U256& t1) noexcept {
  const unsigned b0 = ff::bit_length(r0), b1 = ff::bit_length(r1);
  if (b0 < b1) return;
  for (unsigned j = b0 - b1 + 1; j-- > 0;) {
    const U256 sh = shl(r1, j);
    if (!ff::less_than(r0, sh)) {
      ff::sub_with_borrow(r0, r0, sh);
      ff::add_with_carry(t0, t0, shl(t1, j));
    }
  }
}

// 130 rather than 126 bits: accepts a neighbour candidate after a large quotient (rarely longer).
bool short_enough(const U256& v) noexcept { return ff::bit_length(v) <= 130; }

// Odd multiples 1, 3, ..., 2*per-1 of 2^(63*j) * base for j = 0..3, affine: 4*per entries.
std::vector<Niels> quarter_tables(Ext base, unsigned per) {
  std::vector<Ext> pts;
  pts.reserve(4 * per);
  for (unsigned j = 0; j < 4; ++j) {
    if (j > 0) {
      for (unsigned i = 0; i < 63; ++i) dbl_in_place(base, i == 62);
    }
    const Cached two = to_cached(dbl(base, true));
    Ext cur = base;
    for (unsigned i = 0; i < per; ++i) {
      pts.push_back(cur);
      if (i + 1 < per) add_in_place(cur, two, false);
    }
  }
  std::vector<Fr> zs(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) zs[i] = pts[i].z;
  Fr::batch_invert(zs);
  std::vector<Niels> out(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) {
    const Fr u = pts[i].x * zs[i];
    const Fr y = pts[i].y * zs[i];
    out[i] = Niels{y - u, y + u, u * y * model().k2d};
  }
  return out;
}

constexpr unsigned kKeyWindow = 6;   // 16 odd multiples per quarter of 8A
constexpr unsigned kBaseQWindow = 8;  // 64 odd multiples per quarter of Base8

const std::vector<Niels>& base8_quarters() noexcept {
  static const std::vector<Niels> t = quarter_tables(from_affine(BabyJubAffine::base8()), 64);
  return t;
}

// Bits [63*j, 63*j + 63) of v.
U256 quarter(const U256& v, unsigned j) noexcept {
  return U256{shr(v, 63 * j)[0] & ((uint64_t{1} << 63) - 1), 0, 0, 0};
}

}  // namespace

BabyJubPreparedKey::BabyJubPreparedKey(const BabyJubAffine& a) : a_(a) {
  Ext a8 = from_affine(a);
  for (int i = 0; i < 3; ++i) dbl_in_place(a8, i == 2);
  small_ = a8.is_identity();
  const std::vector<Niels> t = quarter_tables(a8, 1u << (kKeyWindow - 2));
  table_.reserve(t.size());
  for (const Niels& n : t) table_.push_back({n.ymx, n.ypx, n.t2d});
}

bool babyjub_verify_equation(const BabyJubPreparedKey& a, const BabyJubAffine& r8, const U256& s,
                             const U256& hm) noexcept {
  U256 k = hm;
  while (!ff::less_than(k, BabyJubScalarSpec::kModulus)) ff::sub_with_borrow(k, k, BabyJubScalarSpec::kModulus);
  // s*B - k*(8A), both scalars < 2^252 in four 63-bit quarters over per-quarter tables, then
  // compared with R8 projectively: exact, torsion of R8 included.
  const std::vector<Niels>& bt = base8_quarters();
  constexpr unsigned kPerKey = 1u << (kKeyWindow - 2);
  std::array<Digits, 8> dg;
  unsigned len = 0;
  for (unsigned j = 0; j < 4; ++j) {
    len = std::max(len, wnaf(quarter(s, j), kBaseQWindow, dg[j]));
    len = std::max(len, wnaf(quarter(k, j), kKeyWindow, dg[4 + j]));
  }
  Ext acc = Ext::identity();
  for (int i = static_cast<int>(len) - 1; i >= 0; --i) {
    bool any = false;
    for (const Digits& d : dg) any = any || d[static_cast<size_t>(i)] != 0;
    dbl_in_place(acc, any);
    for (unsigned j = 0; j < 4; ++j) {
      const int8_t db = dg[j][static_cast<size_t>(i)];
      if (db != 0) add_in_place(acc, bt[64 * j + static_cast<unsigned>(db > 0 ? db : -db) / 2], db < 0);
      const int8_t dk = dg[4 + j][static_cast<size_t>(i)];
      if (dk != 0) {
        const auto& e = a.table_[kPerKey * j + static_cast<unsigned>(dk > 0 ? dk : -dk) / 2];
        add_in_place(acc, Niels{e[0], e[1], e[2]}, dk > 0);  // subtracts k*(8A)
      }
    }
  }
  const Fr r_u = r8.x * model().s;
  return acc.x == r_u * acc.z && acc.y == r8.y * acc.z;
}

std::optional<BabyJubShortRelation> babyjub_short_relation(const U256& k) noexcept {
  // Extended Euclid on (l, k) keeps r_j == t_j * k (mod l) with t_j = (-1)^(j+1) |t_j|, and
  // |t_j| <= l / r_(j-1). Stopping at the first r_j < 2^126 (~ sqrt(l)) leaves both short.
  U256 r0 = BabyJubScalarSpec::kModulus, r1 = k;
  U256 t0{}, t1{1, 0, 0, 0};
  unsigned j = 1;  // index of (r1, t1)
  if (ff::is_zero(k)) return BabyJubShortRelation{{t1, false}, {U256{}, false}};
  while (ff::bit_length(r1) > 126) {
    euclid_step(r0, r1, t0, t1);
    std::swap(r0, r1);
    std::swap(t0, t1);
    ++j;
    if (ff::is_zero(r1)) return std::nullopt;  // k not invertible mod l: only k == 0, handled
  }
  const auto rel = [](const U256& r, const U256& t, unsigned idx) {
    return BabyJubShortRelation{{t, idx % 2 == 0}, {r, false}};
  };
  // Consecutive t_j are coprime, so t_(j-1) or t_(j+1) is odd when t_j is even.
  if ((t1[0] & 1) == 1) return rel(r1, t1, j);
  if ((t0[0] & 1) == 1 && short_enough(r0) && short_enough(t0)) return rel(r0, t0, j - 1);
  if (!ff::is_zero(r1)) {
    euclid_step(r0, r1, t0, t1);  // (r0, t0) becomes (r_(j+1), t_(j+1))
    if ((t0[0] & 1) == 1 && short_enough(r0) && short_enough(t0)) return rel(r0, t0, j + 1);
  }
  return std::nullopt;
}

BabyJubAffine babyjub_lincomb(const U256& u, const BabyJubSigned& c, const BabyJubAffine& p, const BabyJubSigned& d,
                              const BabyJubAffine& q) noexcept {
  return to_affine(lincomb(u, c, from_affine(p), d, from_affine(q)));
}

BabyJubAffine babyjub_mul_wnaf(const BabyJubAffine& p, const U256& scalar) noexcept {
  const Ext e = from_affine(p);
  return to_affine(lincomb(U256{}, {scalar, false}, e, {U256{}, false}, e));
}

bool babyjub_verify_equation(const BabyJubAffine& a, const BabyJubAffine& r8, const U256& s, const U256& hm) noexcept {
  // 8*A lies in the order-l subgroup, so hm may be reduced mod l.
  U256 k = hm;
  while (!ff::less_than(k, BabyJubScalarSpec::kModulus)) ff::sub_with_borrow(k, k, BabyJubScalarSpec::kModulus);
  Ext a8 = from_affine(a);
  for (int i = 0; i < 3; ++i) dbl_in_place(a8, i == 2);
  // With D = s*B - R8 - k*(8A) and c*k == d (mod l): c*D = (c*s mod l)*B - c*R8 - d*(8A) because
  // B and 8A have order l. c*D == O iff D == O: D = D_l + D_t (order-l part plus a torsion part
  // of order dividing 8); c*D_l == O forces D_l == O as 0 < |c| < l, and c*D_t == O forces
  // D_t == O as c is odd. So the check is exactly the unshortened equation, torsion of R8 included.
  BabyJubShortRelation rel{{U256{1, 0, 0, 0}, false}, {k, false}};
  if (auto r = babyjub_short_relation(k)) rel = *r;
  BabyJubScalar cs = BabyJubScalar::from_canonical_unchecked(rel.c.mag) * BabyJubScalar::from_canonical_unchecked(s);
  if (rel.c.neg) cs = -cs;
  const BabyJubSigned minus_c{rel.c.mag, !rel.c.neg};
  const BabyJubSigned minus_d{rel.d.mag, !rel.d.neg};
  return lincomb(cs.to_canonical(), minus_c, from_affine(r8), minus_d, a8).is_identity();
}

}  // namespace zkamm::ec
