#include "ff/inverse_vartime.hpp"

namespace zkamm::ff {
namespace {

constexpr unsigned kSteps = 31;  // binary-GCD steps per outer step (the factors stay below 2^31)
constexpr uint64_t kLow = (uint64_t{1} << kSteps) - 1;
// Each outer step shortens len(a) + len(b) (at most 2 * 256 bits) by about 31 bits; the bound
// only guards against a mistake: the caller then inverts by Fermat.
constexpr unsigned kMaxOuter = 40;

/// A signed 320-bit integer in two's complement (5 limbs, least significant first).
struct I320 {
  uint64_t l[5] = {0, 0, 0, 0, 0};

  bool negative() const noexcept { return (l[4] >> 63) != 0; }
  void negate() noexcept {
    uint64_t carry = 1;
    for (uint64_t& x : l) {
      const uint64_t v = ~x + carry;
      carry = (carry != 0 && v == 0) ? 1 : 0;
      x = v;
    }
  }
  void add(const I320& o) noexcept {
    uint128_t c = 0;
    for (size_t i = 0; i < 5; ++i) {
      c += static_cast<uint128_t>(l[i]) + o.l[i];
      l[i] = static_cast<uint64_t>(c);
      c >>= 64;
    }
  }
  /// f * a for a signed factor |f| < 2^63.
  static I320 mul(const U256& a, int64_t f) noexcept {
    const uint64_t m = f < 0 ? static_cast<uint64_t>(-f) : static_cast<uint64_t>(f);
    I320 r;
    uint128_t c = 0;
    for (size_t i = 0; i < 4; ++i) {
      c += static_cast<uint128_t>(a[i]) * m;
      r.l[i] = static_cast<uint64_t>(c);
      c >>= 64;
    }
    r.l[4] = static_cast<uint64_t>(c);
    if (f < 0) r.negate();
    return r;
  }
  /// this >> 31, arithmetic.
  void shift_right_steps() noexcept {
    for (size_t i = 0; i < 4; ++i) l[i] = (l[i] >> kSteps) | (l[i + 1] << (64 - kSteps));
    l[4] = static_cast<uint64_t>(static_cast<int64_t>(l[4]) >> kSteps);
  }
  /// The low 256 bits (for a value known to be in [0, 2^256)).
  U256 low() const noexcept { return U256{l[0], l[1], l[2], l[3]}; }
  bool fits_u256() const noexcept { return l[4] == 0; }
};

I320 combine(const U256& a, int64_t f, const U256& b, int64_t g) noexcept {
  I320 r = I320::mul(a, f);
  r.add(I320::mul(b, g));
  return r;
}

/// len <= 64 bits of a from bit pos (pos + len <= 256).
uint64_t bits_at(const U256& a, unsigned pos, unsigned len) noexcept {
  const unsigned limb = pos / 64, off = pos % 64;
  uint64_t v = a[limb] >> off;
  if (off != 0 && limb < 3) v |= a[limb + 1] << (64 - off);
  return len == 64 ? v : v & ((uint64_t{1} << len) - 1);
}

/// (f u + g v) / 2^31 mod m, in [0, m); u, v < m.
U256 update_cofactor(const U256& u, int64_t f, const U256& v, int64_t g, const U256& m, uint32_t minv31) noexcept {
  I320 x = combine(u, f, v, g);
  // k = -x / m mod 2^31 makes x + k m a multiple of 2^31.
  const uint64_t k = (0 - (x.l[0] & kLow) * minv31) & kLow;
  x.add(I320::mul(m, static_cast<int64_t>(k)));
  x.shift_right_steps();  // |x| < (2^32 m + 2^31 m) / 2^31 = 3m
  const I320 plus_m = I320::mul(m, 1), minus_m = I320::mul(m, -1);
  while (x.negative()) x.add(plus_m);
  while (!x.fits_u256() || !less_than(x.low(), m)) x.add(minus_m);
  return x.low();
}

}  // namespace

bool inverse_mod_vartime(const U256& y, const U256& m, uint32_t minv31, U256* out) noexcept {
  U256 a = y, b = m, u{1, 0, 0, 0}, v{0, 0, 0, 0};
  for (unsigned outer = 0; !is_zero(a); ++outer) {
    if (outer == kMaxOuter) return false;
    const unsigned n = bit_length(a) > bit_length(b) ? bit_length(a) : bit_length(b);
    uint64_t at = a[0], bt = b[0];
    if (n > 64) {  // low 31 bits exact, then the top 33 bits of the longer value's length
      at = (a[0] & kLow) | (bits_at(a, n - 33, 33) << kSteps);
      bt = (b[0] & kLow) | (bits_at(b, n - 33, 33) << kSteps);
    }
    // 2^31 a' = f0 a + g0 b, 2^31 b' = f1 a + g1 b; factors as two's complement bit patterns.
    uint64_t f0 = 1, g0 = 0, f1 = 0, g1 = 1;
    for (unsigned i = 0; i < kSteps; ++i) {
      const uint64_t odd = 0 - (at & 1);
      const uint64_t swap = odd & (0 - static_cast<uint64_t>(at < bt));
      uint64_t t = (at ^ bt) & swap;
      at ^= t;
      bt ^= t;
      t = (f0 ^ f1) & swap;
      f0 ^= t;
      f1 ^= t;
      t = (g0 ^ g1) & swap;
      g0 ^= t;
      g1 ^= t;
      at -= bt & odd;
      f0 -= f1 & odd;
      g0 -= g1 & odd;
      at >>= 1;
      f1 <<= 1;
      g1 <<= 1;
    }
    int64_t sf0 = static_cast<int64_t>(f0), sg0 = static_cast<int64_t>(g0);
    int64_t sf1 = static_cast<int64_t>(f1), sg1 = static_cast<int64_t>(g1);
    I320 na = combine(a, sf0, b, sg0), nb = combine(a, sf1, b, sg1);
    // The approximations may have chosen the wrong order: a negative result is negated, with
    // its factors, so that a' = u' y and b' = v' y still hold.
    if (na.negative()) {
      na.negate();
      sf0 = -sf0;
      sg0 = -sg0;
    }
    if (nb.negative()) {
      nb.negate();
      sf1 = -sf1;
      sg1 = -sg1;
    }
    if ((na.l[0] & kLow) != 0 || (nb.l[0] & kLow) != 0) return false;  // cannot happen: exact low bits
    na.shift_right_steps();
    nb.shift_right_steps();
    if (!na.fits_u256() || !nb.fits_u256()) return false;
    const U256 nu = update_cofactor(u, sf0, v, sg0, m, minv31);
    v = update_cofactor(u, sf1, v, sg1, m, minv31);
    u = nu;
    a = na.low();
    b = nb.low();
  }
  if (b != U256{1, 0, 0, 0}) return false;  // gcd(y, m) != 1
  *out = v;
  return true;
}

}  // namespace zkamm::ff
