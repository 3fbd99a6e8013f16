// The SHA-256 gadget against OpenSSL's SHA256 (an independent implementation) on random messages
// of a sample of lengths 0..300 bytes, with wires, constants and a mix of both as input; its
// constraint count per block; tampered digests and inputs that the constraints reject.
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <array>
#include <random>
#include <string>

#include "circuit/sha256.hpp"
#include "common/seed.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

std::array<uint8_t, 32> openssl_sha256(const std::vector<uint8_t>& msg) {
  std::array<uint8_t, 32> out{};
  SHA256(msg.data(), msg.size(), out.data());
  return out;
}

/// Message-order bits of msg; byte k is a constant when constant_mask(k), otherwise 8 boolean wires.
template <class Mask>
std::vector<Bit> message_bits(ConstraintSystem& cs, const std::vector<uint8_t>& msg, Mask constant_mask) {
  std::vector<Bit> bits;
  for (size_t k = 0; k < msg.size(); ++k) {
    for (int j = 7; j >= 0; --j) {
      const bool v = ((msg[k] >> j) & 1) != 0;
      bits.push_back(constant_mask(k) ? Bit::constant_bit(v) : Bit::of(alloc_bit(cs, v)));
    }
  }
  return bits;
}

std::array<uint8_t, 32> digest_value(const ConstraintSystem& cs, const std::vector<Bit>& digest) {
  std::array<uint8_t, 32> out{};
  for (size_t i = 0; i < 256; ++i) {
    if (digest[i].value(cs)) out[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  }
  return out;
}

std::vector<uint8_t> random_message(std::mt19937_64& rng, size_t len) {
  std::vector<uint8_t> msg(len);
  for (auto& b : msg) b = static_cast<uint8_t>(rng());
  return msg;
}

TEST(Sha256, MatchesOpenSslOnByteWires) {
  auto rng = zkamm::testing::seeded_rng("Sha256.MatchesOpenSslOnByteWires");
  std::vector<size_t> lengths = {0, 1, 55, 56, 64, 119, 300};
  lengths.push_back(rng() % 301);
  for (const size_t len : lengths) {
    const auto msg = random_message(rng, len);
    ConstraintSystem cs;
    std::vector<Lc> bytes;
    for (uint8_t b : msg) bytes.emplace_back(cs.alloc(Fr::from_u64(b)));
    const std::vector<Lc> digest = sha256_bytes(cs, bytes);
    ASSERT_EQ(digest.size(), 32U);
    const auto expect = openssl_sha256(msg);
    for (size_t i = 0; i < 32; ++i) EXPECT_EQ(cs.eval(digest[i]), Fr::from_u64(expect[i])) << "len=" << len << " byte " << i;
    EXPECT_TRUE(cs.is_satisfied()) << "len=" << len;
  }
}

TEST(Sha256, MatchesOpenSslOnMixedConstantsAndWires) {
  auto rng = zkamm::testing::seeded_rng("Sha256.MatchesOpenSslOnMixedConstantsAndWires");
  for (const size_t len : {3UL, 31UL, 63UL, 65UL, 120UL, 200UL}) {
    const auto msg = random_message(rng, len);
    const uint64_t mask_seed = rng();
    ConstraintSystem cs;
    const auto bits = message_bits(cs, msg, [&](size_t k) { return ((mask_seed >> (k % 64)) & 1) != 0; });
    const auto digest = sha256(cs, bits);
    EXPECT_EQ(digest_value(cs, digest), openssl_sha256(msg)) << "len=" << len;
    EXPECT_TRUE(cs.is_satisfied()) << "len=" << len;
  }
}

// A constant message folds to a constant digest with no constraint at all.
TEST(Sha256, ConstantMessageFoldsAway) {
  for (const char* text : {"", "abc", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"}) {
    const std::vector<uint8_t> msg(text, text + std::char_traits<char>::length(text));
    ConstraintSystem cs;
    const auto digest = sha256(cs, message_bits(cs, msg, [](size_t) { return true; }));
    EXPECT_EQ(cs.num_constraints(), 0U);
    EXPECT_EQ(cs.num_variables(), 1U);
    for (const Bit& b : digest) EXPECT_TRUE(b.is_constant());
    EXPECT_EQ(digest_value(cs, digest), openssl_sha256(msg)) << text;
  }
}

size_t sha_constraints(size_t len) {
  ConstraintSystem cs(ConstraintSystem::Mode::kWitnessOnly);
  const auto bits = message_bits(cs, std::vector<uint8_t>(len, 0x5a), [](size_t) { return false; });
  const size_t before = cs.num_constraints();
  (void)sha256(cs, bits);
  return cs.num_constraints() - before;
}

// Self-derived budget: a block whose message words and chaining value are all wires costs
// 48 * (61 + 54 + 34) + 64 * 294 + 8 * 33 = 26,232 constraints (circomlib ~29,380; Hermez 29,305).
TEST(Sha256, ConstraintsPerBlock) {
  const size_t one = sha_constraints(64);    // message block (constant IV) + padding block
  const size_t two = sha_constraints(128);   // two message blocks + padding block
  const size_t three = sha_constraints(192);
  EXPECT_EQ(two - one, 26232U);
  EXPECT_EQ(three - two, 26232U);
  EXPECT_LE(two - one, 29000U);
  std::cout << "[ info ] sha256 constraints: 64 B " << one << ", 128 B " << two << ", full block " << (two - one)
            << "\n";
}

TEST(Sha256, WitnessOnlyAgreesWithFull) {
  auto rng = zkamm::testing::seeded_rng("Sha256.WitnessOnlyAgreesWithFull");
  const auto msg = random_message(rng, 64);
  ConstraintSystem full;
  ConstraintSystem fast(ConstraintSystem::Mode::kWitnessOnly);
  const auto d_full = sha256(full, message_bits(full, msg, [](size_t) { return false; }));
  const auto d_fast = sha256(fast, message_bits(fast, msg, [](size_t) { return false; }));
  EXPECT_EQ(full.num_constraints(), fast.num_constraints());
  EXPECT_EQ(full.num_variables(), fast.num_variables());
  EXPECT_EQ(digest_value(fast, d_fast), openssl_sha256(msg));
  EXPECT_EQ(digest_value(full, d_full), digest_value(fast, d_fast));
}

TEST(Sha256, TamperedDigestOrInputIsRejected) {
  auto rng = zkamm::testing::seeded_rng("Sha256.TamperedDigestOrInputIsRejected");
  const auto msg = random_message(rng, 40);
  ConstraintSystem cs;
  const auto bits = message_bits(cs, msg, [](size_t) { return false; });
  const auto digest = sha256(cs, bits);
  ASSERT_TRUE(cs.is_satisfied());
  for (int trial = 0; trial < 8; ++trial) {
    const Bit& b = digest[rng() % 256];
    ASSERT_FALSE(b.is_constant());
    const Fr good = cs.value(b.wire);
    cs.set_value(b.wire, Fr::one() - good);
    EXPECT_FALSE(cs.is_satisfied());
    cs.set_value(b.wire, good);
  }
  for (int trial = 0; trial < 8; ++trial) {
    const Bit& b = bits[rng() % bits.size()];
    const Fr good = cs.value(b.wire);
    cs.set_value(b.wire, Fr::one() - good);
    EXPECT_FALSE(cs.is_satisfied());
    cs.set_value(b.wire, good);
  }
  EXPECT_TRUE(cs.is_satisfied());
}

TEST(Sha256, ByteInputOutOfRangeIsRejected) {
  ConstraintSystem cs;
  std::vector<Lc> bytes = {Lc(cs.alloc(Fr::from_u64(256))), Lc(cs.alloc(Fr::from_u64(7)))};
  (void)sha256_bytes(cs, bytes);
  EXPECT_FALSE(cs.is_satisfied());
}

TEST(Sha256, BitsToBytesPacksMessageOrder) {
  ConstraintSystem cs;
  const Variable w = alloc_bit(cs, true);
  // 1,0,1,0,0,0,0,w -> 0b10100001
  std::vector<Bit> bits = {Bit::constant_bit(true),  Bit::constant_bit(false), Bit::constant_bit(true),
                           Bit::constant_bit(false), Bit::constant_bit(false), Bit::constant_bit(false),
                           Bit::constant_bit(false), Bit::of(w)};
  const auto bytes = bits_to_bytes(bits);
  ASSERT_EQ(bytes.size(), 1U);
  EXPECT_EQ(cs.eval(bytes[0]), Fr::from_u64(0xa1));
}

}  // namespace
}  // namespace zkamm::circuit
