#include "util/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace zkamm {
namespace {

enum class Errc : uint8_t { kBad, kWorse };
using E = Error<Errc>;

Result<int, E> half(int x) {
  if (x % 2 != 0) return E{Errc::kBad, std::to_string(x) + " is odd"};
  return x / 2;
}

TEST(Result, HoldsAValueOrAnError) {
  const auto a = half(10);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a.ok());
  EXPECT_TRUE(a.has_value());
  EXPECT_EQ(*a, 5);
  EXPECT_EQ(a.value(), 5);
  EXPECT_EQ(a.value_or(-1), 5);

  const auto b = half(3);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error().code, Errc::kBad);
  EXPECT_EQ(b.error().message, "3 is odd");
  EXPECT_EQ(b.value_or(-1), -1);
}

TEST(Result, MovesOnlyValuesOut) {
  Result<std::unique_ptr<int>, E> r = std::make_unique<int>(7);
  ASSERT_TRUE(r);
  EXPECT_EQ(**r, 7);
  std::unique_ptr<int> p = std::move(r).take();
  EXPECT_EQ(*p, 7);
  Result<std::string, E> s = std::string("abc");
  EXPECT_EQ(s->size(), 3u);
  Result<std::string, E> f = E{Errc::kWorse, "no"};
  EXPECT_EQ(std::move(f).error().message, "no");
}

TEST(Result, VoidIsSuccessOrError) {
  const Result<void, E> ok;
  EXPECT_TRUE(ok);
  const Result<void, E> bad = E{Errc::kWorse, "broken"};
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::kWorse);
}

}  // namespace
}  // namespace zkamm
