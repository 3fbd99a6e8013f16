// The iden3 container: round trip and hostile headers (self-generated inputs).
#include <gtest/gtest.h>

#include "snark/iden3_binfile.hpp"

namespace zkamm::snark {
namespace {

std::vector<uint8_t> sample() {
  BinWriter w("test", 3);
  w.begin_section(1);
  w.u32(0xdeadbeef);
  w.end_section();
  w.begin_section(7);
  w.u64(42);
  w.u256(ff::U256{1, 2, 3, 4});
  w.end_section();
  w.begin_section(1);
  w.end_section();
  return std::move(w).finish();
}

TEST(FormatBinfile, RoundTrip) {
  auto f = parse_binfile(sample(), "test", 3);
  ASSERT_TRUE(f.ok()) << to_string(f.error());
  EXPECT_EQ(f->version, 3u);
  ASSERT_EQ(f->sections.size(), 3u);
  EXPECT_EQ(f->unique_section(1).error(), FileError::kDuplicateSection);
  EXPECT_EQ(f->unique_section(2).error(), FileError::kMissingSection);
  auto s = f->unique_section(7);
  ASSERT_TRUE(s.ok());
  ByteReader r(*s);
  uint64_t v = 0;
  ff::U256 big{};
  ASSERT_TRUE(r.u64(v));
  ASSERT_TRUE(r.u256(big));
  EXPECT_EQ(v, 42u);
  EXPECT_EQ(big, (ff::U256{1, 2, 3, 4}));
  EXPECT_TRUE(r.at_end());
  uint32_t x = 0;
  EXPECT_FALSE(r.u32(x));
}

TEST(FormatBinfile, LayoutMatchesIden3) {
  // magic, version u32 LE, n sections u32 LE, then {type u32, size u64, bytes} (binfileutils.js).
  const auto b = sample();
  ASSERT_GE(b.size(), 28u);
  EXPECT_EQ(std::string(b.begin(), b.begin() + 4), "test");
  EXPECT_EQ(b[4], 3);
  EXPECT_EQ(b[8], 3);
  EXPECT_EQ(b[12], 1);   // first section type
  EXPECT_EQ(b[16], 4);   // its size (u64)
  EXPECT_EQ(b[24], 0xef);
}

TEST(FormatBinfile, RejectsEveryTruncation) {
  const auto full = sample();
  for (size_t n = 0; n < full.size(); ++n) {
    auto f = parse_binfile(std::vector<uint8_t>(full.begin(), full.begin() + static_cast<long>(n)), "test", 3);
    EXPECT_FALSE(f.ok()) << "prefix " << n;
  }
}

TEST(FormatBinfile, RejectsBadHeaders) {
  auto b = sample();
  EXPECT_EQ(parse_binfile(b, "tesu", 3).error(), FileError::kBadMagic);
  EXPECT_EQ(parse_binfile(b, "test", 2).error(), FileError::kBadVersion);
  auto zero_version = b;
  zero_version[4] = 0;
  EXPECT_EQ(parse_binfile(zero_version, "test", 3).error(), FileError::kBadVersion);
  auto many_sections = b;
  many_sections[11] = 0xff;  // 2^31 + 3 sections promised
  EXPECT_EQ(parse_binfile(many_sections, "test", 3).error(), FileError::kTruncated);
  auto huge_size = b;
  for (size_t i = 16; i < 24; ++i) huge_size.at(i) = 0xff;  // section size 2^64 - 1
  EXPECT_EQ(parse_binfile(huge_size, "test", 3).error(), FileError::kTruncated);
}

}  // namespace
}  // namespace zkamm::snark
