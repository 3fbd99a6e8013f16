#include "hash/blake512.hpp"

#include <cstring>

namespace zkamm::hash {
namespace {

// Initial value: SHA-512's (BLAKE spec, section 2.3.1).
constexpr std::array<uint64_t, 8> kIv = {0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL, 0x3c6ef372fe94f82bULL,
                                         0xa54ff53a5f1d36f1ULL, 0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
                                         0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};
// Constants c_0..c_15: the first digits of pi (BLAKE spec, section 2.3.1).
constexpr std::array<uint64_t, 16> kC = {
    0x243f6a8885a308d3ULL, 0x13198a2e03707344ULL, 0xa4093822299f31d0ULL, 0x082efa98ec4e6c89ULL,
    0x452821e638d01377ULL, 0xbe5466cf34e90c6cULL, 0xc0ac29b7c97c50ddULL, 0x3f84d5b5b5470917ULL,
    0x9216d5d98979fb1bULL, 0xd1310ba698dfb5acULL, 0x2ffd72dbd01adfb7ULL, 0xb8e1afed6a267e96ULL,
    0xba7c9045f12c7f99ULL, 0x24a19947b3916cf7ULL, 0x0801f2e2858efc16ULL, 0x636920d871574e69ULL};
// Message permutations sigma_0..sigma_9 (BLAKE spec, section 2.1.2); round i uses sigma_{i mod 10}.
constexpr uint8_t kSigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4}, {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13}, {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11}, {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5}, {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

constexpr uint64_t rotr(uint64_t x, unsigned n) noexcept { return (x >> n) | (x << (64 - n)); }

uint64_t load_be64(const uint8_t* p) noexcept {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
  return v;
}

// Compression function (spec section 2.3.2) with salt 0; `counter` is the number of message
// bits up to and including this block (0 for a block holding only padding).
void compress(std::array<uint64_t, 8>& h, const uint8_t* block, uint64_t counter_lo, uint64_t counter_hi) noexcept {
  uint64_t m[16];
  for (int i = 0; i < 16; ++i) m[i] = load_be64(block + 8 * i);
  uint64_t v[16];
  for (std::size_t i = 0; i < 8; ++i) v[i] = h[i];
  for (std::size_t i = 0; i < 4; ++i) v[8 + i] = kC[i];
  v[12] = counter_lo ^ kC[4];
  v[13] = counter_lo ^ kC[5];
  v[14] = counter_hi ^ kC[6];
  v[15] = counter_hi ^ kC[7];
  const auto g = [&](const uint8_t* s, int a, int b, int c, int d, int i) {
    v[a] += v[b] + (m[s[2 * i]] ^ kC[s[2 * i + 1]]);
    v[d] = rotr(v[d] ^ v[a], 32);
    v[c] += v[d];
    v[b] = rotr(v[b] ^ v[c], 25);
    v[a] += v[b] + (m[s[2 * i + 1]] ^ kC[s[2 * i]]);
    v[d] = rotr(v[d] ^ v[a], 16);
    v[c] += v[d];
    v[b] = rotr(v[b] ^ v[c], 11);
  };
  for (int r = 0; r < 16; ++r) {
    const uint8_t* s = kSigma[r % 10];
    g(s, 0, 4, 8, 12, 0);
    g(s, 1, 5, 9, 13, 1);
    g(s, 2, 6, 10, 14, 2);
    g(s, 3, 7, 11, 15, 3);
    g(s, 0, 5, 10, 15, 4);
    g(s, 1, 6, 11, 12, 5);
    g(s, 2, 7, 8, 13, 6);
    g(s, 3, 4, 9, 14, 7);
  }
  for (std::size_t i = 0; i < 8; ++i) h[i] ^= v[i] ^ v[i + 8];
}

}  // namespace

Blake512Digest blake512(std::span<const uint8_t> data) noexcept {
  std::array<uint64_t, 8> h = kIv;
  const uint64_t total_bits_lo = static_cast<uint64_t>(data.size()) << 3;
  const uint64_t total_bits_hi = static_cast<uint64_t>(data.size()) >> 61;
  size_t offset = 0;
  // Every full block except the one holding the last message byte is compressed directly.
  uint64_t bits_lo = 0, bits_hi = 0;
  while (data.size() - offset > 128) {
    bits_lo += 1024;
    if (bits_lo < 1024) ++bits_hi;
    compress(h, data.data() + offset, bits_lo, bits_hi);
    offset += 128;
  }
  // Padding (spec section 2.3.3): a 1 bit, zeros, a 1 bit, then the 128-bit bit length, to a
  // multiple of 1024 bits.
  const size_t rest = data.size() - offset;  // 0..128
  uint8_t tail[256] = {};
  std::memcpy(tail, data.data() + offset, rest);
  size_t tail_len;
  if (rest <= 111) {
    tail_len = 128;
    tail[rest] = 0x80;
    tail[111] |= 0x01;
  } else {
    tail_len = 256;
    tail[rest % 256] = 0x80;  // rest <= 128, so this is inside the first or second block
    tail[239] |= 0x01;
  }
  for (std::size_t i = 0; i < 8; ++i) {
    tail[tail_len - 16 + i] = static_cast<uint8_t>(total_bits_hi >> (56 - 8 * i));
    tail[tail_len - 8 + i] = static_cast<uint8_t>(total_bits_lo >> (56 - 8 * i));
  }
  if (tail_len == 128) {
    // The counter is the message bit count, or 0 when this block holds no message bits.
    if (rest == 0) {
      compress(h, tail, 0, 0);
    } else {
      compress(h, tail, total_bits_lo, total_bits_hi);
    }
  } else {
    compress(h, tail, total_bits_lo, total_bits_hi);
    compress(h, tail + 128, 0, 0);
  }
  Blake512Digest out{};
  for (std::size_t i = 0; i < 8; ++i) {
    for (std::size_t j = 0; j < 8; ++j) out[8 * i + j] = static_cast<uint8_t>(h[i] >> (56 - 8 * j));
  }
  return out;
}

}  // namespace zkamm::hash
