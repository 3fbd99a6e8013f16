// Float amounts and the 10-byte swap-batch slot (docs/TRANSACTIONS.md section 6). Vectors are
// self-generated, read off the documented layout.
#include "tx/swap_public_data.hpp"

#include <gtest/gtest.h>

#include <random>

#include "common/seed.hpp"

namespace zkamm::tx {
namespace {

Amount pow10(unsigned e) {
  Amount v = 1;
  for (unsigned i = 0; i < e; ++i) v *= 10;
  return v;
}

TEST(AmountFloat, PacksWithTheSmallestExponent) {
  EXPECT_EQ(pack_amount(0), (PackedAmount{0, 0}));
  EXPECT_EQ(pack_amount(12345), (PackedAmount{12345, 0}));
  EXPECT_EQ(pack_amount((Amount{1} << 35) - 1), (PackedAmount{(uint64_t{1} << 35) - 1, 0}));
  EXPECT_EQ(pack_amount(Amount{1} << 35), std::nullopt);  // 34,359,738,368: too wide, ends in 8
  EXPECT_EQ(pack_amount(Amount{1} << 35 | 2), (PackedAmount{3'435'973'837ULL, 1}));
  EXPECT_EQ(pack_amount(pow10(18)), (PackedAmount{10'000'000'000ULL, 8}));
  EXPECT_EQ(pack_amount(3 * pow10(18) + pow10(9)), (PackedAmount{30'000'000'010ULL, 8}));
  EXPECT_EQ(pack_amount(3 * pow10(18) + 1), std::nullopt);  // 19 significant digits
  EXPECT_EQ(pack_amount(((Amount{1} << 35) - 1) * pow10(27)), (PackedAmount{(uint64_t{1} << 35) - 1, 27}));
  EXPECT_EQ(pack_amount(~Amount{0}), std::nullopt);
}

TEST(AmountFloat, UnpackRejectsOutOfRangeFieldsAndValuesFrom2To128) {
  EXPECT_EQ(unpack_amount({5, 3}), Amount{5000});
  EXPECT_EQ(unpack_amount({uint64_t{1} << 35, 0}), std::nullopt);
  EXPECT_EQ(unpack_amount({1, 32}), std::nullopt);
  // 2^35 - 1 times 10^31 is about 3.4 * 10^41 > 2^128 (3.4 * 10^38)
  EXPECT_EQ(unpack_amount({(uint64_t{1} << 35) - 1, 31}), std::nullopt);
  EXPECT_EQ(unpack_amount({34'028'236'692ULL, 28}), Amount{34'028'236'692ULL} * pow10(28));  // < 2^128
  EXPECT_EQ(unpack_amount({34'028'236'693ULL, 28}), std::nullopt);                           // > 2^128
}

TEST(AmountFloat, RoundTripsRandomEncodableAmounts) {
  auto rng = zkamm::testing::seeded_rng("AmountFloat.RoundTripsRandomEncodableAmounts");
  for (int i = 0; i < 10'000; ++i) {
    const uint64_t m = std::uniform_int_distribution<uint64_t>(0, (uint64_t{1} << 35) - 1)(rng);
    const auto e = static_cast<uint8_t>(std::uniform_int_distribution<int>(0, 27)(rng));
    const auto a = unpack_amount({m, e});
    ASSERT_TRUE(a.has_value());
    const auto p = pack_amount(*a);
    ASSERT_TRUE(p.has_value()) << m << "e" << int(e);
    EXPECT_EQ(unpack_amount(*p), a);
    EXPECT_LE(p->exponent, e);
    EXPECT_EQ(from_bits40(to_bits40(*p)), *p);
  }
}

TEST(SwapSlot, LayoutAndReadBack) {
  SwapSlot s;
  s.op = SwapOp::ExactOut;
  s.zero_for_one = true;
  s.account = 0xabcdef;
  s.pool_id = 0x3ff;
  s.amount = PackedAmount{(uint64_t{1} << 35) - 2, 31};
  std::vector<uint8_t> out;
  append_swap_slot(out, s);
  // 10 | 1 | 1010 1011 1100 1101 1110 1111 | 11 1111 1111 | 11111 | 1 ... 10 (35) | 000
  const std::vector<uint8_t> want = {0xb5, 0x79, 0xbd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0};
  EXPECT_EQ(out, want);
  EXPECT_EQ(read_swap_slot(std::span<const uint8_t, kSwapSlotBytes>(out)), s);

  out.clear();
  append_swap_slot(out, SwapSlot{});
  EXPECT_EQ(out, std::vector<uint8_t>(kSwapSlotBytes, 0));
  EXPECT_EQ(read_swap_slot(std::span<const uint8_t, kSwapSlotBytes>(out)), SwapSlot{});
}

TEST(SwapSlot, ReadRejectsWordsTheCircuitCannotProduce) {
  const auto read = [](std::vector<uint8_t> b) { return read_swap_slot(std::span<const uint8_t, kSwapSlotBytes>(b)); };
  std::vector<uint8_t> op3(kSwapSlotBytes, 0);
  op3[0] = 0xc0;
  EXPECT_EQ(read(op3), std::nullopt);
  std::vector<uint8_t> pad(kSwapSlotBytes, 0);
  pad[0] = 0x40;
  pad[9] = 0x01;  // a padding bit
  EXPECT_EQ(read(pad), std::nullopt);
  std::vector<uint8_t> busy_noop(kSwapSlotBytes, 0);
  busy_noop[3] = 0x20;  // a noop naming an account
  EXPECT_EQ(read(busy_noop), std::nullopt);
}

}  // namespace
}  // namespace zkamm::tx
