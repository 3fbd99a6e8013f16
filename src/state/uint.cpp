#include "state/uint.hpp"

namespace zkamm::state {
namespace {

using ff::uint128_t;

constexpr unsigned limb_count(const U256& a) noexcept {
  unsigned n = 4;
  while (n > 0 && a[n - 1] == 0) --n;
  return n;
}

}  // namespace

bool checked_mul(U256& out, const U256& a, const U256& b) noexcept {
  uint64_t r[8] = {};
  for (std::size_t i = 0; i < 4; ++i) {
    if (a[i] == 0) continue;
    uint64_t carry = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const uint128_t p = static_cast<uint128_t>(a[i]) * b[j] + r[i + j] + carry;
      r[i + j] = static_cast<uint64_t>(p);
      carry = static_cast<uint64_t>(p >> 64);
    }
    r[i + 4] = carry;
  }
  if ((r[4] | r[5] | r[6] | r[7]) != 0) return false;
  out = U256{r[0], r[1], r[2], r[3]};
  return true;
}

U256 div(const U256& a, const U256& b) noexcept {
  if (ff::less_than(a, b)) return U256{};
  const unsigned n = limb_count(b);
  const unsigned m = limb_count(a);
  if (n == 1) {
    U256 q = a;
    ff::div_small(q, b[0]);
    return q;
  }
  // Normalise so that the divisor's top digit has its high bit set (keeps qhat within 2 of q).
  const unsigned s = static_cast<unsigned>(__builtin_clzll(b[n - 1]));
  uint64_t vn[4] = {};
  uint64_t un[5] = {};
  for (unsigned i = n - 1; i > 0; --i) vn[i] = (b[i] << s) | (s ? b[i - 1] >> (64 - s) : 0);
  vn[0] = b[0] << s;
  un[m] = s ? a[m - 1] >> (64 - s) : 0;
  for (unsigned i = m - 1; i > 0; --i) un[i] = (a[i] << s) | (s ? a[i - 1] >> (64 - s) : 0);
  un[0] = a[0] << s;

  U256 q{};
  for (unsigned j = m - n + 1; j-- > 0;) {
    const uint128_t num = (static_cast<uint128_t>(un[j + n]) << 64) | un[j + n - 1];
    uint128_t qhat = num / vn[n - 1];
    uint128_t rhat = num % vn[n - 1];
    while ((qhat >> 64) != 0 ||
           qhat * vn[n - 2] > ((rhat << 64) | un[j + n - 2])) {
      --qhat;
      rhat += vn[n - 1];
      if ((rhat >> 64) != 0) break;
    }
    uint64_t carry = 0;
    uint64_t borrow = 0;
    for (unsigned i = 0; i < n; ++i) {
      const uint128_t p = qhat * vn[i] + carry;
      carry = static_cast<uint64_t>(p >> 64);
      const uint128_t d = static_cast<uint128_t>(un[i + j]) - static_cast<uint64_t>(p) - borrow;
      un[i + j] = static_cast<uint64_t>(d);
      borrow = (d >> 64) != 0 ? 1 : 0;
    }
    const uint128_t d = static_cast<uint128_t>(un[j + n]) - carry - borrow;
    un[j + n] = static_cast<uint64_t>(d);
    if ((d >> 64) != 0) {  // qhat was one too large: add the divisor back
      --qhat;
      uint64_t c = 0;
      for (unsigned i = 0; i < n; ++i) {
        const uint128_t t = static_cast<uint128_t>(un[i + j]) + vn[i] + c;
        un[i + j] = static_cast<uint64_t>(t);
        c = static_cast<uint64_t>(t >> 64);
      }
      un[j + n] += c;
    }
    q[j] = static_cast<uint64_t>(qhat);
  }
  return q;
}

U256 isqrt(const U256& y) noexcept {
  if (ff::is_zero(y)) return U256{};
  // x0 = 2^ceil(bits/2) >= sqrt(y); Newton's iteration then decreases monotonically to the floor.
  const unsigned e = (ff::bit_length(y) + 1) / 2;
  U256 x{};
  x[e / 64] = 1ULL << (e % 64);
  for (;;) {
    U256 next = div(y, x);
    const uint64_t carry = ff::add_with_carry(next, next, x);
    next = ff::shift_right(next, 1);
    next[3] |= carry << 63;
    if (!ff::less_than(next, x)) return x;
    x = next;
  }
}

}  // namespace zkamm::state
