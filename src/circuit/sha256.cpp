#include "circuit/sha256.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <initializer_list>

namespace zkamm::circuit {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

namespace {

// FIPS 180-4 section 4.2.2 (round constants) and 5.3.3 (initial hash value).
constexpr std::array<uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
constexpr std::array<uint32_t, 8> kIv = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/// bits[i] has weight 2^i.
using Word = std::array<Bit, 32>;

Word constant_word(uint32_t v) {
  Word w;
  for (unsigned i = 0; i < 32; ++i) w[i] = Bit::constant_bit(((v >> i) & 1) != 0);
  return w;
}

Fr bit_value(const ConstraintSystem& cs, const Bit& b) { return b.value(cs) ? Fr::one() : Fr::zero(); }

/// States a * b = c, building the linear combinations only when the system keeps constraints
/// (witness-only mode just counts, so the prover's path skips every allocation here).
template <class A, class B, class C>
void state(ConstraintSystem& cs, A a, B b, C c) {
  if (cs.mode() == ConstraintSystem::Mode::kFull) {
    cs.enforce(a(), b(), c());
  } else {
    cs.enforce(Lc{}, Lc{}, Lc{});
  }
}

/// A boolean wire holding v (1 constraint).
Variable new_bit(ConstraintSystem& cs, bool v) {
  const Variable w = cs.alloc(v ? Fr::one() : Fr::zero());
  state(cs, [&] { return Lc(w); }, [&] { return Lc(w) - Lc::constant(1); }, [] { return Lc{}; });
  return w;
}

/// Splits off negations: b = base XOR flip with base a constant or a plain wire.
Bit strip(const Bit& b, bool& flip) {
  if (b.kind == Bit::Kind::kNotWire) {
    flip = !flip;
    return Bit::of(b.wire);
  }
  return b;
}

Bit xor2(ConstraintSystem& cs, const Bit& x, const Bit& y) {
  bool flip = false;
  const Bit a = strip(x, flip);
  const Bit b = strip(y, flip);
  Bit out;
  if (a.is_constant()) {
    out = a.constant ? !b : b;
  } else if (b.is_constant()) {
    out = b.constant ? !a : a;
  } else if (a.wire == b.wire) {
    out = Bit::constant_bit(false);
  } else {
    // out = a + b - 2ab
    const Fr av = bit_value(cs, a), bv = bit_value(cs, b);
    const Variable w = cs.alloc(av + bv - (av * bv).dbl());
    state(
        cs, [&] { return Lc(a.wire) * Fr::from_u64(2); }, [&] { return Lc(b.wire); },
        [&] { return Lc(a.wire) + Lc(b.wire) - Lc(w); });
    out = Bit::of(w);
  }
  return flip ? !out : out;
}

Bit xor3(ConstraintSystem& cs, const Bit& a, const Bit& b, const Bit& c) { return xor2(cs, xor2(cs, a, b), c); }

bool same(const Bit& a, const Bit& b) {
  if (a.kind != b.kind) return false;
  return a.is_constant() ? a.constant == b.constant : a.wire == b.wire;
}

Bit and2(ConstraintSystem& cs, const Bit& a, const Bit& b) {
  if (a.is_constant()) return a.constant ? b : Bit::constant_bit(false);
  if (b.is_constant()) return b.constant ? a : Bit::constant_bit(false);
  if (same(a, b)) return a;
  const Variable w = cs.alloc(a.value(cs) && b.value(cs) ? Fr::one() : Fr::zero());
  state(cs, [&] { return a.lc(); }, [&] { return b.lc(); }, [&] { return Lc(w); });
  return Bit::of(w);
}

Bit or2(ConstraintSystem& cs, const Bit& a, const Bit& b) { return !and2(cs, !a, !b); }

/// Ch(e, f, g) = e ? f : g; one constraint g + e * (f - g) when nothing folds.
Bit ch(ConstraintSystem& cs, const Bit& e, const Bit& f, const Bit& g) {
  if (e.is_constant()) return e.constant ? f : g;
  if (same(f, g)) return f;
  if (f.is_constant() && g.is_constant()) return f.constant ? e : !e;  // f != g here
  const Fr ev = bit_value(cs, e), fv = bit_value(cs, f), gv = bit_value(cs, g);
  const Variable w = cs.alloc(gv + ev * (fv - gv));
  state(cs, [&] { return e.lc(); }, [&] { return f.lc() - g.lc(); }, [&] { return Lc(w) - g.lc(); });
  return Bit::of(w);
}

/// Maj(a, b, c): with a constant input it is an AND or an OR of the other two (1 constraint);
/// otherwise bc = b * c and maj = bc + a * (b + c - 2bc) (2 constraints).
Bit maj(ConstraintSystem& cs, const Bit& a, const Bit& b, const Bit& c) {
  if (a.is_constant()) return a.constant ? or2(cs, b, c) : and2(cs, b, c);
  if (b.is_constant()) return b.constant ? or2(cs, a, c) : and2(cs, a, c);
  if (c.is_constant()) return c.constant ? or2(cs, a, b) : and2(cs, a, b);
  const Bit bc = and2(cs, b, c);
  const Fr av = bit_value(cs, a), bv = bit_value(cs, b), cv = bit_value(cs, c), bcv = bit_value(cs, bc);
  const Variable w = cs.alloc(bcv + av * (bv + cv - bcv.dbl()));
  state(
      cs, [&] { return a.lc(); }, [&] { return b.lc() + c.lc() - bc.lc() * Fr::from_u64(2); },
      [&] { return Lc(w) - bc.lc(); });
  return Bit::of(w);
}

Word rotr(const Word& x, unsigned n) {
  Word out;
  for (unsigned i = 0; i < 32; ++i) out[i] = x[(i + n) % 32];
  return out;
}

Word shr(const Word& x, unsigned n) {
  Word out;
  for (unsigned i = 0; i < 32; ++i) out[i] = i + n < 32 ? x[i + n] : Bit::constant_bit(false);
  return out;
}

Word xor3_words(ConstraintSystem& cs, const Word& a, const Word& b, const Word& c) {
  Word out;
  for (unsigned i = 0; i < 32; ++i) out[i] = xor3(cs, a[i], b[i], c[i]);
  return out;
}

Word small_sigma0(ConstraintSystem& cs, const Word& x) { return xor3_words(cs, rotr(x, 7), rotr(x, 18), shr(x, 3)); }
Word small_sigma1(ConstraintSystem& cs, const Word& x) { return xor3_words(cs, rotr(x, 17), rotr(x, 19), shr(x, 10)); }
Word big_sigma0(ConstraintSystem& cs, const Word& x) { return xor3_words(cs, rotr(x, 2), rotr(x, 13), rotr(x, 22)); }
Word big_sigma1(ConstraintSystem& cs, const Word& x) { return xor3_words(cs, rotr(x, 6), rotr(x, 11), rotr(x, 25)); }

/// (sum of words + k) mod 2^32. The sum S is a linear combination; its largest possible value M
/// (constant bits at their value, wire bits at 1) fixes the number of carry bits c = bitlen(M)-32.
/// S = sum 2^i out_i + 2^32 * carry with 32 + c - 1 boolean wires and the top carry bit kept as
/// (S - the rest) / 2^(31+c), constrained boolean: 32 + c constraints, unique since S < 2^(32+c).
/// (With c = 0, 32 booleans and one packing constraint.)
Word add_mod32(ConstraintSystem& cs, std::initializer_list<const Word*> words, uint32_t k) {
  const bool full = cs.mode() == ConstraintSystem::Mode::kFull;
  Lc rest;  // the sum minus the decomposition, built in full mode only
  uint64_t constant = k;
  uint64_t max = k;
  uint64_t value = k;
  bool all_constant = true;
  for (const Word* w : words) {
    for (unsigned i = 0; i < 32; ++i) {
      const Bit& b = (*w)[i];
      const uint64_t weight = uint64_t{1} << i;
      if (b.is_constant()) {
        if (b.constant) constant += weight;
      } else {
        all_constant = false;
        if (b.kind == Bit::Kind::kWire) {
          if (full) rest.add_term(b.wire, pow2(i));
        } else {  // 1 - wire
          constant += weight;
          if (full) rest.add_term(b.wire, -pow2(i));
        }
      }
      if (!b.is_constant() || b.constant) max += weight;
      if (b.value(cs)) value += weight;
    }
  }
  if (all_constant) return constant_word(static_cast<uint32_t>(constant));
  if (full) rest += Lc::constant(Fr::from_u64(constant));
  const unsigned total_bits = static_cast<unsigned>(std::bit_width(max));
  Word out;
  for (unsigned i = 0; i < 32; ++i) {
    const Variable w = new_bit(cs, ((value >> i) & 1) != 0);
    out[i] = Bit::of(w);
    if (full) rest.add_term(w, -pow2(i));
  }
  if (total_bits <= 32) {
    cs.enforce(rest, Lc::constant(1), Lc{});
    return out;
  }
  for (unsigned i = 32; i + 1 < total_bits; ++i) {
    const Variable w = new_bit(cs, ((value >> i) & 1) != 0);
    if (full) rest.add_term(w, -pow2(i));
  }
  // The top carry bit t = rest / 2^(total_bits - 1) must be boolean: t * (t - 1) = 0.
  if (full) rest *= inv_pow2(total_bits - 1);
  cs.enforce(rest, full ? rest - Lc::constant(1) : Lc{}, Lc{});
  return out;
}

/// One application of the compression function (FIPS 180-4 section 6.2.2).
std::array<Word, 8> compress(ConstraintSystem& cs, const std::array<Word, 8>& h, std::span<const Word, 16> block) {
  std::array<Word, 64> w;
  for (size_t t = 0; t < 16; ++t) w[t] = block[t];
  for (size_t t = 16; t < 64; ++t) {
    const Word s1 = small_sigma1(cs, w[t - 2]);
    const Word s0 = small_sigma0(cs, w[t - 15]);
    w[t] = add_mod32(cs, {&s1, &w[t - 7], &s0, &w[t - 16]}, 0);
  }
  Word a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (size_t t = 0; t < 64; ++t) {
    const Word s1 = big_sigma1(cs, e);
    Word chw;
    for (unsigned i = 0; i < 32; ++i) chw[i] = ch(cs, e[i], f[i], g[i]);
    const Word s0 = big_sigma0(cs, a);
    Word mj;
    for (unsigned i = 0; i < 32; ++i) mj[i] = maj(cs, a[i], b[i], c[i]);
    const Word new_e = add_mod32(cs, {&d, &hh, &s1, &chw, &w[t]}, kK[t]);
    const Word new_a = add_mod32(cs, {&hh, &s1, &chw, &w[t], &s0, &mj}, kK[t]);
    hh = g;
    g = f;
    f = e;
    e = new_e;
    d = c;
    c = b;
    b = a;
    a = new_a;
  }
  const std::array<const Word*, 8> vars = {&a, &b, &c, &d, &e, &f, &g, &hh};
  std::array<Word, 8> out;
  for (size_t i = 0; i < 8; ++i) out[i] = add_mod32(cs, {&h[i], vars[i]}, 0);
  return out;
}

}  // namespace

std::vector<Bit> sha256(ConstraintSystem& cs, std::span<const Bit> message) {
  // Padding (FIPS 180-4 section 5.1.1): a one bit, zeros to 448 mod 512, the 64-bit length.
  std::vector<Bit> padded(message.begin(), message.end());
  const uint64_t length = message.size();
  padded.push_back(Bit::constant_bit(true));
  while (padded.size() % 512 != 448) padded.push_back(Bit::constant_bit(false));
  for (int i = 63; i >= 0; --i) padded.push_back(Bit::constant_bit(((length >> i) & 1) != 0));

  std::array<Word, 8> h;
  for (size_t i = 0; i < 8; ++i) h[i] = constant_word(kIv[i]);
  for (size_t blk = 0; blk < padded.size() / 512; ++blk) {
    std::array<Word, 16> words;
    for (size_t t = 0; t < 16; ++t) {
      // Big-endian words: message-order bit j of the word has weight 2^(31 - j).
      for (unsigned i = 0; i < 32; ++i) words[t][i] = padded[blk * 512 + t * 32 + (31 - i)];
    }
    h = compress(cs, h, words);
  }
  std::vector<Bit> digest;
  digest.reserve(256);
  for (size_t j = 0; j < 8; ++j) {
    for (unsigned i = 0; i < 32; ++i) digest.push_back(h[j][31 - i]);
  }
  return digest;
}

std::vector<Bit> bytes_to_bits(ConstraintSystem& cs, std::span<const Lc> bytes) {
  std::vector<Bit> bits;
  bits.reserve(bytes.size() * 8);
  for (const Lc& byte : bytes) {
    const std::vector<Variable> le = to_bits(cs, byte, 8);
    for (size_t j = 0; j < 8; ++j) bits.push_back(Bit::of(le[7 - j]));
  }
  return bits;
}

std::vector<Lc> bits_to_bytes(std::span<const Bit> bits) {
  std::vector<Lc> bytes;
  bytes.reserve(bits.size() / 8);
  for (size_t k = 0; k + 8 <= bits.size(); k += 8) {
    Lc byte;
    for (size_t j = 0; j < 8; ++j) byte += bits[k + j].lc() * pow2(static_cast<unsigned>(7 - j));
    bytes.push_back(std::move(byte));
  }
  return bytes;
}

std::vector<Lc> sha256_bytes(ConstraintSystem& cs, std::span<const Lc> bytes) {
  const std::vector<Bit> digest = sha256(cs, bytes_to_bits(cs, bytes));
  return bits_to_bytes(digest);
}

}  // namespace zkamm::circuit
