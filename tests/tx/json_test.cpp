#include "tx/json.hpp"

#include <gtest/gtest.h>

#include "tx/encoding.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

TEST(TxJson, RoundTripsEveryTypeOnRandomValues) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx json"));
  for (uint8_t ty = 0; ty < kTxTypeCount; ++ty) {
    for (int k = 0; k < 50; ++k) {
      const Tx t = testing::random_tx(rng, static_cast<TxType>(ty));
      const nlohmann::json j = to_json(t);
      const JsonParse p = from_json_text(j.dump());
      ASSERT_TRUE(p.tx.has_value()) << p.error << " in " << j.dump();
      EXPECT_EQ(*p.tx, t);
    }
  }
}

TEST(TxJson, DocumentedForm) {  // self-generated vector, format read off the doc
  Withdraw w;
  w.account = 7;
  w.token = 2;
  w.amount = ~Amount{0};
  w.l1_address.fill(0xAB);
  w.nonce = 1;
  const nlohmann::json j = to_json(Tx{w});
  EXPECT_EQ(j.at("type"), "withdraw");
  EXPECT_EQ(j.at("account"), 7);
  EXPECT_EQ(j.at("amount"), "340282366920938463463374607431768211455");
  EXPECT_EQ(j.at("l1_address"), "0x" + [] { std::string s; for (int i = 0; i < 20; ++i) s += "ab"; return s; }());
  EXPECT_EQ(j.at("signature"), "0x" + std::string(128, '0'));
  EXPECT_EQ(j.size(), 7u);
}

TEST(TxJson, AmountDecimalEdges) {
  EXPECT_EQ(amount_from_decimal("0"), Amount{0});
  EXPECT_EQ(amount_from_decimal("340282366920938463463374607431768211455"), ~Amount{0});
  EXPECT_FALSE(amount_from_decimal("340282366920938463463374607431768211456"));  // 2^128
  EXPECT_FALSE(amount_from_decimal("340282366920938463463374607431768211460"));
  EXPECT_FALSE(amount_from_decimal("1000000000000000000000000000000000000000"));
  EXPECT_FALSE(amount_from_decimal(""));
  EXPECT_FALSE(amount_from_decimal("01"));
  EXPECT_FALSE(amount_from_decimal("-1"));
  EXPECT_FALSE(amount_from_decimal("+1"));
  EXPECT_FALSE(amount_from_decimal("0x10"));
  EXPECT_FALSE(amount_from_decimal("1 "));
  EXPECT_EQ(amount_to_decimal(Amount{1} << 64), "18446744073709551616");
}

TEST(TxJson, RejectsBadInputWithAReason) {
  const std::string good = R"({"type":"transfer","from":1,"to":2,"token":3,"amount":"10","nonce":0,"signature":"0x)" +
                           std::string(128, '0') + "\"}";
  ASSERT_TRUE(from_json_text(good).tx) << from_json_text(good).error;
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"\"from\":1", "\"from\":16777216"},       // account >= 2^24
      {"\"from\":1", "\"from\":-1"},
      {"\"from\":1", "\"from\":1.5"},
      {"\"from\":1", "\"from\":\"1\""},
      {"\"token\":3", "\"token\":1024"},         // token >= 2^10
      {"\"nonce\":0", "\"nonce\":4294967296"},   // nonce >= 2^32
      {"\"amount\":\"10\"", "\"amount\":10"},
      {"\"amount\":\"10\"", "\"amount\":\"340282366920938463463374607431768211456\""},
      {"\"amount\":\"10\"", "\"amount\":\"1e3\""},
      {"\"signature\":\"0x", "\"signature\":\"0xzz"},
      {"\"signature\":\"0x", "\"signature\":\"0x00"},  // too long
      {"\"signature\":\"0x", "\"signature\":\"00"},
      {"\"type\":\"transfer\"", "\"type\":\"teleport\""},
      {"\"type\":\"transfer\"", "\"type\":3"},
      {"\"from\":1,", ""},                          // missing key
      {"\"from\":1", "\"from\":1,\"extra\":0"},     // unknown key
      {"{", "["},
      {"}", ""},
  };
  for (const auto& [from, to] : edits) {
    std::string bad = good;
    const auto pos = bad.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    bad.replace(pos, from.size(), to);
    const JsonParse p = from_json_text(bad);
    EXPECT_FALSE(p.tx) << bad;
    EXPECT_FALSE(p.error.empty()) << bad;
  }
  SwapExactIn sw;
  sw.deadline = ~uint64_t{0};
  nlohmann::json j = to_json(Tx{sw});
  EXPECT_EQ(j.at("deadline"), "18446744073709551615");
  ASSERT_TRUE(from_json(j).tx);
  j["deadline"] = "18446744073709551616";
  EXPECT_FALSE(from_json(j).tx);
  j["deadline"] = 5;
  EXPECT_FALSE(from_json(j).tx);
  EXPECT_FALSE(from_json_text("").tx);
  EXPECT_FALSE(from_json(nlohmann::json(5)).tx);
  EXPECT_FALSE(from_json(nlohmann::json::array()).tx);
}

}  // namespace
}  // namespace zkamm::tx
