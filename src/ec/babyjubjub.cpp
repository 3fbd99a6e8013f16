#include "ec/babyjubjub.hpp"

#include <vector>

namespace zkamm::ec {
namespace {

using ff::Fr;
using ff::U256;

const Fr& coeff_a() noexcept {
  static const Fr a = Fr::from_u64(kBabyJubA);
  return a;
}
const Fr& coeff_d() noexcept {
  static const Fr d = Fr::from_u64(kBabyJubD);
  return d;
}

// (r - 1) / 2: packed points carry the sign of x as "x > (r-1)/2" (circomlibjs packPoint).
constexpr U256 kHalfR = [] {
  U256 h{};
  ff::sub_with_borrow(h, Fr::kModulus, U256{1, 0, 0, 0});
  return ff::shift_right(h, 1);
}();

Fr from_dec(const char* s) noexcept { return *Fr::from_decimal(s); }

unsigned nibble(const U256& s, unsigned i) noexcept { return static_cast<unsigned>((s[i / 16] >> ((i % 16) * 4)) & 0xf); }

}  // namespace

// Points from circomlibjs babyjub.js (also EIP-2494's G and B).
BabyJubAffine BabyJubAffine::generator() noexcept {
  static const BabyJubAffine g{from_dec("995203441582195749578291179787384436505546430278305826713579947235728471134"),
                               from_dec("5472060717959818805561601436314318772137091100104008585924551046643952123905")};
  return g;
}

BabyJubAffine BabyJubAffine::base8() noexcept {
  static const BabyJubAffine b{from_dec("5299619240641551281634865583518297030282874472190772894086521144482721001553"),
                               from_dec("16950150798460657717958625567821834550301663161624707787222815936182638968203")};
  return b;
}

bool BabyJubAffine::is_on_curve() const noexcept {
  const Fr x2 = x.square();
  const Fr y2 = y.square();
  return coeff_a() * x2 + y2 == Fr::one() + coeff_d() * x2 * y2;
}

bool BabyJubAffine::is_in_subgroup() const noexcept {
  return is_on_curve() && BabyJubPoint(*this).mul(BabyJubScalarSpec::kModulus).is_identity();
}

bool BabyJubAffine::has_small_order() const noexcept {
  if (!is_on_curve()) return false;
  BabyJubPoint p(*this);
  for (int i = 0; i < 3; ++i) p = p.dbl();
  return p.is_identity();
}

BabyJubPoint operator+(const BabyJubPoint& p, const BabyJubPoint& q) noexcept {
  // add-2008-hwcd (Hisil et al. 2008, section 3.1), complete for a square, d non-square.
  const Fr a = p.x_ * q.x_;
  const Fr b = p.y_ * q.y_;
  const Fr c = coeff_d() * p.t_ * q.t_;
  const Fr d = p.z_ * q.z_;
  const Fr e = (p.x_ + p.y_) * (q.x_ + q.y_) - a - b;
  const Fr f = d - c;
  const Fr g = d + c;
  const Fr h = b - coeff_a() * a;
  BabyJubPoint r;
  r.x_ = e * f;
  r.y_ = g * h;
  r.t_ = e * h;
  r.z_ = f * g;
  return r;
}

BabyJubPoint BabyJubPoint::dbl() const noexcept {
  // dbl-2008-hwcd (Hisil et al. 2008, section 3.3).
  const Fr a = x_.square();
  const Fr b = y_.square();
  const Fr c = z_.square().dbl();
  const Fr d = coeff_a() * a;
  const Fr e = (x_ + y_).square() - a - b;
  const Fr g = d + b;
  const Fr f = g - c;
  const Fr h = d - b;
  BabyJubPoint r;
  r.x_ = e * f;
  r.y_ = g * h;
  r.t_ = e * h;
  r.z_ = f * g;
  return r;
}

BabyJubPoint BabyJubPoint::operator-() const noexcept {
  BabyJubPoint r = *this;
  r.x_ = -x_;
  r.t_ = -t_;
  return r;
}

BabyJubPoint BabyJubPoint::mul(const U256& scalar) const noexcept {
  // Fixed 4-bit window, most significant nibble first.
  std::array<BabyJubPoint, 16> table;
  table[1] = *this;
  for (unsigned i = 2; i < 16; ++i) table[i] = (i % 2 == 0) ? table[i / 2].dbl() : table[i - 1] + *this;
  const unsigned bits = ff::bit_length(scalar);
  BabyJubPoint acc;
  for (int w = static_cast<int>((bits + 3) / 4) - 1; w >= 0; --w) {
    for (int i = 0; i < 4; ++i) acc = acc.dbl();
    const unsigned n = nibble(scalar, static_cast<unsigned>(w));
    if (n != 0) acc += table[n];
  }
  return acc;
}

BabyJubAffine BabyJubPoint::to_affine() const noexcept {
  const Fr zinv = z_.inverse();
  return {x_ * zinv, y_ * zinv};
}

BabyJubAffine mul(const BabyJubAffine& p, const U256& scalar) noexcept { return BabyJubPoint(p).mul(scalar).to_affine(); }

BabyJubAffine add(const BabyJubAffine& p, const BabyJubAffine& q) noexcept {
  return (BabyJubPoint(p) + BabyJubPoint(q)).to_affine();
}

// Fixed-base comb for Base8: entry [w][j-1] = j * 16^w * Base8 in affine form with d*x*y
// precomputed, so scalar * Base8 costs at most 64 mixed additions and no doublings.
struct BabyJubBase8Table {
  struct Entry {
    Fr x, y, dxy;
  };
  std::vector<Entry> entries;  // 64 windows x 15 multiples

  BabyJubBase8Table() {
    std::vector<BabyJubPoint> pts;
    pts.reserve(64 * 15);
    BabyJubPoint base(BabyJubAffine::base8());
    for (unsigned w = 0; w < 64; ++w) {
      BabyJubPoint m = base;
      for (unsigned j = 1; j < 16; ++j) {
        pts.push_back(m);
        m += base;
      }
      base = m;  // 16 * base
    }
    std::vector<Fr> zs(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) zs[i] = pts[i].z_;
    Fr::batch_invert(zs);
    entries.resize(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) {
      const Fr x = pts[i].x_ * zs[i];
      const Fr y = pts[i].y_ * zs[i];
      entries[i] = {x, y, coeff_d() * x * y};
    }
  }

  static void add_mixed(BabyJubPoint& p, const Entry& q) noexcept {
    const Fr a = p.x_ * q.x;
    const Fr b = p.y_ * q.y;
    const Fr c = p.t_ * q.dxy;
    const Fr e = (p.x_ + p.y_) * (q.x + q.y) - a - b;
    const Fr f = p.z_ - c;
    const Fr g = p.z_ + c;
    const Fr h = b - coeff_a() * a;
    p.x_ = e * f;
    p.y_ = g * h;
    p.t_ = e * h;
    p.z_ = f * g;
  }

  BabyJubPoint mul(const U256& scalar) const noexcept {
    BabyJubPoint acc;
    for (unsigned w = 0; w < 64; ++w) {
      const unsigned n = nibble(scalar, w);
      if (n != 0) add_mixed(acc, entries[w * 15 + n - 1]);
    }
    return acc;
  }
};

BabyJubPoint mul_base8(const U256& scalar) noexcept {
  static const BabyJubBase8Table table;
  return table.mul(scalar);
}

BabyJubPoint mul_base8_add(const U256& a, const BabyJubAffine& q, const U256& b) noexcept {
  return mul_base8(a) + BabyJubPoint(q).mul(b);
}

std::array<uint8_t, 32> pack_point(const BabyJubAffine& p) noexcept {
  std::array<uint8_t, 32> out{};
  p.y.to_bytes_le(out.data());
  if (ff::less_than(kHalfR, p.x.to_canonical())) out[31] |= 0x80;
  return out;
}

namespace {
/// The y coordinate and x sign bit of a packed point; nullopt when y is not canonical.
std::optional<Fr> packed_y(const uint8_t* in32, bool& sign) noexcept {
  std::array<uint8_t, 32> buf;
  for (std::size_t i = 0; i < 32; ++i) buf[i] = in32[i];
  sign = (buf[31] & 0x80) != 0;
  buf[31] &= 0x7f;
  return Fr::from_bytes_le(buf.data());
}

/// The point with this y and sign from x^2 = num * inv_den; nullopt when there is none.
std::optional<BabyJubAffine> finish_unpack(const Fr& y, bool sign, const Fr& num, const Fr& inv_den) noexcept {
  const Fr x2 = num * inv_den;
  if (x2.is_zero()) return std::nullopt;
  auto x = x2.sqrt();
  if (!x) return std::nullopt;
  const bool is_high = ff::less_than(kHalfR, x->to_canonical());
  if (is_high != sign) *x = -*x;
  return BabyJubAffine{*x, y};
}
}  // namespace

std::optional<BabyJubAffine> unpack_point(const uint8_t* in32) noexcept {
  bool sign = false;
  const auto y = packed_y(in32, sign);
  if (!y) return std::nullopt;
  const Fr y2 = y->square();
  // x^2 = (1 - y^2) / (a - d y^2); the denominator never vanishes since a/d is not a square.
  return finish_unpack(*y, sign, Fr::one() - y2, (coeff_a() - coeff_d() * y2).inverse());
}

void unpack_points(std::span<const uint8_t* const> in, std::span<std::optional<BabyJubAffine>> out) noexcept {
  const size_t n = std::min(in.size(), out.size());
  std::vector<Fr> ys(n), den(n);
  std::vector<bool> signs(n), valid(n);
  for (size_t i = 0; i < n; ++i) {
    bool sign = false;
    const auto y = packed_y(in[i], sign);
    valid[i] = y.has_value();
    signs[i] = sign;
    if (!y) continue;  // den stays zero: batch_invert skips it
    ys[i] = *y;
    den[i] = coeff_a() - coeff_d() * y->square();
  }
  Fr::batch_invert(den);
  for (size_t i = 0; i < n; ++i) {
    out[i] = valid[i] ? finish_unpack(ys[i], signs[i], Fr::one() - ys[i].square(), den[i]) : std::nullopt;
  }
}

}  // namespace zkamm::ec
