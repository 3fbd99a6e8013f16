// RLP against the published examples and foundry's `cast to-rlp` on random trees.
#include "l1/rlp.hpp"

#include <gtest/gtest.h>

#include "oracle.hpp"

namespace zkamm::l1 {
namespace {

Bytes str(std::string_view s) { return Bytes(s.begin(), s.end()); }
Bytes hex(std::string_view s) { return *from_hex(s); }
rlp::Item S(std::string_view s) { return rlp::Item::string(str(s)); }
rlp::Item L(std::vector<rlp::Item> v) { return rlp::Item::of_list(std::move(v)); }

// Examples from ethereum.org "Recursive-length prefix (RLP) serialization"
// (https://ethereum.org/en/developers/docs/data-structures-and-encoding/rlp/) and the Yellow
// Paper appendix B.
TEST(Rlp, PublishedExamples) {
  struct Case {
    rlp::Item item;
    Bytes expected;
  };
  std::vector<Case> cases = {
      {S("dog"), hex("83646f67")},
      {L({S("cat"), S("dog")}), hex("c88363617483646f67")},
      {S(""), hex("80")},
      {L({}), hex("c0")},
      {rlp::Item::uint(u256(0)), hex("80")},
      {rlp::Item::string(Bytes{0x00}), hex("00")},
      {rlp::Item::string(Bytes{0x0f}), hex("0f")},
      {rlp::Item::uint(u256(15)), hex("0f")},
      {rlp::Item::uint(u256(1024)), hex("820400")},
      {rlp::Item::string(Bytes{0x04, 0x00}), hex("820400")},
      // The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ].
      {L({L({}), L({L({})}), L({L({}), L({L({})})})}), hex("c7c0c1c0c3c0c1c0")},
      {S("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
       hex("b8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974")},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(to_hex(rlp::encode(c.item)), to_hex(c.expected));
    const auto back = rlp::decode(c.expected);
    ASSERT_TRUE(back.has_value()) << to_hex(c.expected);
    EXPECT_EQ(*back, c.item);
  }
  EXPECT_EQ(rlp::as_uint(*rlp::decode(hex("820400"))), u256(1024));
  EXPECT_EQ(rlp::as_uint(*rlp::decode(hex("80"))), u256(0));
  EXPECT_EQ(to_hex(rlp::encode_uint(uint64_t{15})), "0x0f");
}

TEST(Rlp, LongLists) {
  // A 60-byte payload needs the long list form: 0xf8 0x3c.
  std::vector<rlp::Item> members(20, S("ab"));
  const Bytes enc = rlp::encode(L(members));
  ASSERT_EQ(enc.size(), 62u);
  EXPECT_EQ(enc[0], 0xf8);
  EXPECT_EQ(enc[1], 60);
  EXPECT_EQ(*rlp::decode(enc), L(members));
  // 56 bytes is the first length to use the long string form.
  const Bytes s56(56, 0xaa);
  const Bytes e56 = rlp::encode_string(s56);
  EXPECT_EQ(e56[0], 0xb8);
  EXPECT_EQ(e56[1], 56);
  const Bytes s55(55, 0xaa);
  EXPECT_EQ(rlp::encode_string(s55)[0], 0x80 + 55);
  const Bytes big(70000, 0x11);
  const Bytes ebig = rlp::encode_string(big);
  EXPECT_EQ(to_hex(std::span(ebig).first(4)), "0xba011170");
  EXPECT_EQ(rlp::decode(ebig)->str, big);
}

TEST(Rlp, RejectsNonCanonical) {
  const std::vector<std::string> bad = {
      "",            // nothing
      "8100",        // single byte < 0x80 written as a string
      "817f",        // same, largest such byte
      "b80141",      // long form for a 1-byte string
      test::concat("b837", std::string(55 * 2, 'a')),  // long form for 55 bytes
      test::concat("b90038", std::string(56 * 2, 'a')),  // length with a leading zero byte
      "f801c0",      // long list form for a 1-byte payload
      "83646f6700",  // trailing byte
      "83646f",      // truncated string
      "c883636174",  // truncated list
      "c3836461",    // member overruns its list
      "b9",          // missing length bytes
      "bf0000000000000001",  // 8-byte length, leading zero
  };
  for (const auto& h : bad) EXPECT_FALSE(rlp::decode(hex(h)).has_value()) << h;
  EXPECT_TRUE(rlp::decode(hex("8180")).has_value());
  // Integers: no leading zeros, at most 32 bytes; the single byte 0x00 is not canonical zero.
  EXPECT_FALSE(rlp::as_uint(*rlp::decode(hex("820001"))).has_value());
  EXPECT_FALSE(rlp::as_uint(*rlp::decode(hex("00"))).has_value());
  EXPECT_FALSE(rlp::as_uint(*rlp::decode(hex(test::concat("a1", std::string(66, '1'))))).has_value());
  EXPECT_TRUE(rlp::as_uint(*rlp::decode(hex(test::concat("a0", std::string(64, 'f'))))).has_value());
  EXPECT_FALSE(rlp::as_u64(*rlp::decode(hex("89010000000000000000"))).has_value());
  EXPECT_FALSE(rlp::as_uint(*rlp::decode(hex("c0"))).has_value());
  // Nesting deeper than 64 lists.
  rlp::Item nested = L({});
  for (int i = 0; i < 60; ++i) nested = L({nested});
  EXPECT_TRUE(rlp::decode(rlp::encode(nested)).has_value());
  for (int i = 0; i < 10; ++i) nested = L({nested});
  EXPECT_FALSE(rlp::decode(rlp::encode(nested)).has_value());
}

// Random trees; cast's to-rlp takes a JSON-like array of 0x strings.
rlp::Item random_item(std::mt19937_64& rng, int depth, std::string& cast_form) {
  if (depth < 3 && rng() % 3 == 0) {
    const size_t n = rng() % 5;
    std::vector<rlp::Item> members;
    cast_form += "[";
    for (size_t i = 0; i < n; ++i) {
      if (i) cast_form += ",";
      members.push_back(random_item(rng, depth + 1, cast_form));
    }
    cast_form += "]";
    return L(std::move(members));
  }
  static const size_t lengths[] = {0, 1, 1, 2, 20, 55, 56, 57, 300};
  Bytes b(lengths[rng() % 9]);
  for (auto& x : b) x = static_cast<uint8_t>(rng() % 4 == 0 ? rng() % 0x80 : rng());
  cast_form += test::concat("\"", to_hex(b), "\"");
  return rlp::Item::string(std::move(b));
}

TEST(Rlp, MatchesCastOnRandomTrees) {
  auto rng = test::seeded_rng("Rlp.MatchesCastOnRandomTrees");
  for (int i = 0; i < 20; ++i) {
    std::string form;
    const rlp::Item item = random_item(rng, 0, form);
    const auto expected = test::cast(test::concat("to-rlp ", test::sh_quote(form)));
    ASSERT_TRUE(expected.has_value()) << "cast to-rlp failed on " << form;
    const Bytes enc = rlp::encode(item);
    EXPECT_EQ(to_hex(enc), *expected) << form;
    const auto back = rlp::decode(enc);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, item);
  }
}

}  // namespace
}  // namespace zkamm::l1
