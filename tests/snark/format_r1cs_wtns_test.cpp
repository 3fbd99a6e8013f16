// .r1cs and .wtns: round trip, byte layout and hostile files (self-generated inputs; snarkjs
// reading our files is checked by tests/e2e/zkamm_to_snarkjs.sh).
#include <gtest/gtest.h>

#include <random>

#include "common/seed.hpp"
#include "format_fixtures.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/wtns_file.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;

void expect_same(const R1cs& a, const R1cs& b) {
  EXPECT_EQ(a.num_wires, b.num_wires);
  EXPECT_EQ(a.num_public_outputs, b.num_public_outputs);
  EXPECT_EQ(a.num_public_inputs, b.num_public_inputs);
  EXPECT_EQ(a.num_private_inputs, b.num_private_inputs);
  EXPECT_EQ(a.num_labels, b.num_labels);
  ASSERT_EQ(a.constraints.size(), b.constraints.size());
  for (size_t i = 0; i < a.constraints.size(); ++i) {
    const auto& x = a.constraints[i];
    const auto& y = b.constraints[i];
    for (auto [p, q] : {std::pair{&x.a, &y.a}, std::pair{&x.b, &y.b}, std::pair{&x.c, &y.c}}) {
      ASSERT_EQ(p->size(), q->size());
      for (size_t k = 0; k < p->size(); ++k) {
        EXPECT_EQ((*p)[k].wire, (*q)[k].wire);
        EXPECT_EQ((*p)[k].coeff, (*q)[k].coeff);
      }
    }
  }
}

uint64_t seed_from_env() { return zkamm::testing::test_seed("FormatR1cs"); }

TEST(FormatR1cs, RoundTrip) {
  R1cs r = test::tiny_r1cs();
  r.constraints.resize(2);  // the first two constraints are already in canonical form
  auto back = decode_r1cs(encode_r1cs(r));
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  expect_same(r, *back);
}

TEST(FormatR1cs, HeaderClaimingMoreThan2To28WiresIsTooLarge) {
  // Without the optional label map nothing else bounds nWires; every user allocates per wire.
  R1cs r = test::tiny_r1cs();
  std::vector<uint8_t> bytes = encode_r1cs(r);
  // magic, version, section count (12) | type, size (12) | n8 (4) + prime (32) | nWires u32 LE
  constexpr std::size_t kNWires = 12 + 12 + 4 + 32;
  ASSERT_EQ(bytes[kNWires], r.num_wires);
  const uint32_t huge = (1U << 28) + 1;
  for (int i = 0; i < 4; ++i) bytes[kNWires + i] = static_cast<uint8_t>(huge >> (8 * i));
  const auto back = decode_r1cs(bytes);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.error(), FileError::kTooLarge);
}

TEST(FormatR1cs, RepeatedWiresAreMergedLikeCircom) {
  // snarkjs reads an LC as a map (last coefficient wins), so repeated wires must be summed on write.
  const R1cs r = test::tiny_r1cs();
  auto back = decode_r1cs(encode_r1cs(r));
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_TRUE(back->is_satisfied(test::tiny_witness()));
  EXPECT_TRUE(back->constraints[2].a.empty());  // x - x
  ASSERT_EQ(back->constraints[3].a.size(), 1u);  // 5 z + z
  EXPECT_EQ(back->constraints[3].a[0].coeff, Fr::from_u64(6));
  auto again = decode_r1cs(encode_r1cs(*back));
  ASSERT_TRUE(again.ok());
  expect_same(*back, *again);

  // A file that names a wire twice in one LC is refused.
  R1cs one;
  one.num_wires = 2;
  one.num_public_outputs = 1;
  one.num_labels = 2;
  one.constraints.push_back({{{1, Fr::one()}, {0, Fr::one()}}, {}, {}});
  auto b = encode_r1cs(one);
  b[88 + 12 + 4 + 36] = 1;  // second term's wire 0 -> 1 (terms are sorted: wire 0 comes first)
  b[88 + 12 + 4] = 1;
  EXPECT_EQ(decode_r1cs(b).error(), FileError::kNonCanonical);
}

TEST(FormatR1cs, CoefficientsArePlainLittleEndian) {
  // r1csfile.js reads coefficients with F.fromRprLE: plain value, not Montgomery. -1 = r - 1.
  R1cs r;
  r.num_wires = 2;
  r.num_public_outputs = 1;
  r.num_labels = 2;
  r.constraints.push_back({{{1, -Fr::one()}}, {}, {}});
  const auto b = encode_r1cs(r);
  // header section: 12 (file) + 12 + 4 + 32 + 4*4 + 8 + 4 = 88; constraints section header 12;
  // then nTerms u32, wire u32, coefficient.
  const size_t coef = 88 + 12 + 4 + 4;
  ASSERT_GT(b.size(), coef + 32);
  EXPECT_EQ(ff::from_bytes_le(b.data() + coef), (ff::U256{Fr::kModulus[0] - 1, Fr::kModulus[1], Fr::kModulus[2], Fr::kModulus[3]}));
}

TEST(FormatR1cs, RejectsHostileFiles) {
  const auto good = encode_r1cs(test::tiny_r1cs());
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(decode_r1cs(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(n))).ok()) << n;

  auto wrong_prime = good;
  wrong_prime[12 + 12 + 4] ^= 1;
  EXPECT_EQ(decode_r1cs(wrong_prime).error(), FileError::kWrongPrime);

  auto bad_wire = good;
  bad_wire[88 + 12 + 4] = 200;  // first term's wire index
  EXPECT_EQ(decode_r1cs(bad_wire).error(), FileError::kInconsistent);

  auto non_canonical = good;
  for (int i = 0; i < 32; ++i) non_canonical[88 + 12 + 8 + static_cast<size_t>(i)] = 0xff;
  EXPECT_EQ(decode_r1cs(non_canonical).error(), FileError::kNonCanonical);

  auto too_many_io = good;
  too_many_io[12 + 12 + 4 + 32 + 4] = 9;  // nPubOut = 9 > nWires - 1
  EXPECT_EQ(decode_r1cs(too_many_io).error(), FileError::kInconsistent);

  const uint64_t seed = seed_from_env();
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    auto b = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < flips; ++k) b[rng() % b.size()] = static_cast<uint8_t>(rng());
    auto r = decode_r1cs(std::move(b));  // any outcome but a crash
    if (r.ok()) {
      EXPECT_LE(r->num_public(), r->num_wires) << "seed " << seed;
    }
  }
}

TEST(FormatWtns, RoundTripAndLayout) {
  const auto w = test::tiny_witness();
  const auto b = encode_wtns(w);
  // wtns_utils.js: "wtns", version 2, header {n8, prime, n}, values as plain 32-byte LE.
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "wtns");
  EXPECT_EQ(b[4], 2);
  EXPECT_EQ(ff::from_bytes_le(b.data() + 12 + 12 + 4 + 32 + 4 + 12 + 32 * 2), (ff::U256{3, 0, 0, 0}));
  auto back = decode_wtns(b);
  ASSERT_TRUE(back.ok()) << to_string(back.error());
  EXPECT_EQ(*back, w);
}

TEST(FormatWtns, RejectsHostileFiles) {
  const auto good = encode_wtns(test::tiny_witness());
  for (size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(decode_wtns(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(n))).ok()) << n;
  auto count = good;
  count[12 + 12 + 4 + 32] = 8;  // claims 8 values, holds 7
  EXPECT_EQ(decode_wtns(count).error(), FileError::kBadSectionSize);
  // Tells GCC 12's -Wstringop-overflow the size is large enough (a false positive otherwise).
  ASSERT_GE(good.size(), 32u);
  auto non_canonical = good;
  for (int i = 0; i < 32; ++i) non_canonical[good.size() - 1 - static_cast<size_t>(i)] = 0xff;
  EXPECT_EQ(decode_wtns(non_canonical).error(), FileError::kNonCanonical);
  EXPECT_EQ(decode_wtns({}).error(), FileError::kTruncated);
  EXPECT_EQ(decode_wtns(encode_r1cs(test::tiny_r1cs())).error(), FileError::kBadMagic);
}

}  // namespace
}  // namespace zkamm::snark
