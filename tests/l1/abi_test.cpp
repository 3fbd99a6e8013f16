// ABI encoding/decoding against foundry's `cast abi-encode` / `cast calldata` / `cast sig` /
// `cast keccak` on seeded random types and values, plus negative tests for every decoding rule.
#include "l1/abi.hpp"

#include <gtest/gtest.h>

#include "oracle.hpp"

namespace zkamm::l1 {
namespace {

using abi::Type;
using abi::Value;

Type T(std::string_view s) {
  auto t = abi::parse_type(s);
  EXPECT_TRUE(t.has_value()) << s;
  return t.value_or(Type{});
}


TEST(Abi, ParsesTypes) {
  for (const char* s : {"uint8", "uint256", "uint64", "address", "bool", "bytes32", "bytes1", "bytes", "string",
                        "uint256[]", "bytes32[]", "uint64[3]", "uint256[2][2]", "(uint256,bytes)", "(uint8,(bool,address)[])[2]",
                        "()"}) {
    const auto t = abi::parse_type(s);
    ASSERT_TRUE(t.has_value()) << s;
    EXPECT_EQ(t->canonical(), s);
  }
  EXPECT_EQ(T("uint").canonical(), "uint256");
  EXPECT_EQ(T("( uint256 , bytes )").canonical(), "(uint256,bytes)");
  for (const char* s : {"uint7", "uint264", "uint0", "uint08", "bytes33", "bytes0", "int256", "uint256[0]", "uint256[",
                        "uint256[01]", "(uint256", "uint256)", "foo", "", "uint256[1000000]", "(uint256,)"}) {
    EXPECT_FALSE(abi::parse_type(s).has_value()) << s;
  }
  EXPECT_FALSE(T("uint256[2]").is_dynamic());
  EXPECT_TRUE(T("bytes[2]").is_dynamic());
  EXPECT_EQ(T("(uint256,bool[3])").head_size(), 128u);
  EXPECT_EQ(T("(uint256,bytes)").head_size(), 32u);
}

TEST(Abi, SelectorsMatchCast) {
  for (const char* sig : {"transfer(address,uint256)", "commitBatch(uint64,bytes32,bytes)", "f((uint256,bytes)[],bool)"}) {
    const auto expected = test::cast(test::concat("sig ", test::sh_quote(sig)));
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(to_hex(abi::selector(sig)), *expected) << sig;
  }
  EXPECT_EQ(to_hex(abi::selector("transfer(address,uint256)")), "0xa9059cbb");  // ERC-20, well known
  EXPECT_EQ(abi::parse_function("transfer(address to, uint256)"), std::nullopt);  // names are not accepted
  const auto f = abi::parse_function("balanceOf(address)(uint256)");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->signature(), "balanceOf(address)");
  EXPECT_EQ(f->outputs.size(), 1u);
}

// ---- random types and values, rendered the way cast's argument parser reads them ------------

struct Gen {
  std::mt19937_64& rng;

  Type type(int depth) {
    const unsigned pick = static_cast<unsigned>(rng() % (depth < 2 ? 12 : 8));
    static const unsigned uint_bits[] = {8, 16, 32, 64, 128, 160, 256};
    switch (pick) {
      case 0: case 1: return Type{abi::Kind::Uint, uint_bits[rng() % 7], {}};
      case 2: return Type{abi::Kind::Address, 160, {}};
      case 3: return Type{abi::Kind::Bool, 8, {}};
      case 4: return Type{abi::Kind::FixedBytes, (rng() % 2) ? 32u : static_cast<unsigned>(1 + rng() % 32), {}};
      case 5: return Type{abi::Kind::Bytes, 0, {}};
      case 6: return Type{abi::Kind::String, 0, {}};
      case 7: return Type{abi::Kind::Uint, 256, {}};
      case 8: return Type{abi::Kind::Array, 0, {type(depth + 1)}};
      case 9: return Type{abi::Kind::FixedArray, static_cast<unsigned>(1 + rng() % 3), {type(depth + 1)}};
      default: {
        Type t{abi::Kind::Tuple, 0, {}};
        const size_t n = 1 + rng() % 3;
        for (size_t i = 0; i < n; ++i) t.components.push_back(type(depth + 1));
        return t;
      }
    }
  }

  Value value(const Type& t, std::string& text) {
    switch (t.kind) {
      case abi::Kind::Uint: {
        U256 v{rng(), rng(), rng(), rng()};
        // Often small, sometimes the maximum of the width.
        const unsigned mode = static_cast<unsigned>(rng() % 4);
        unsigned keep = mode == 0 ? static_cast<unsigned>(rng() % 9) : t.size;
        for (unsigned bit = keep; bit < 256; ++bit) v[bit / 64] &= ~(uint64_t{1} << (bit % 64));
        if (mode == 1) {
          for (unsigned bit = 0; bit < t.size; ++bit) v[bit / 64] |= uint64_t{1} << (bit % 64);
        }
        text += ff::to_decimal(v);
        return Value::uint(v);
      }
      case abi::Kind::Bool: {
        const bool b = rng() % 2;
        text += b ? "true" : "false";
        return Value::boolean(b);
      }
      case abi::Kind::Address:
      case abi::Kind::FixedBytes: {
        Bytes b(t.kind == abi::Kind::Address ? 20 : t.size);
        for (auto& x : b) x = static_cast<uint8_t>(rng());
        text += to_hex(b);
        return Value::bytes_value(b);
      }
      case abi::Kind::Bytes: {
        Bytes b(rng() % 3 == 0 ? 0 : rng() % 70);
        for (auto& x : b) x = static_cast<uint8_t>(rng());
        text += to_hex(b);
        return Value::bytes_value(b);
      }
      case abi::Kind::String: {
        static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        std::string s(1 + rng() % 40, 'a');
        for (auto& c : s) c = alphabet[rng() % 62];
        text += s;
        return Value::bytes_value(Bytes(s.begin(), s.end()));
      }
      case abi::Kind::Array:
      case abi::Kind::FixedArray: {
        const size_t n = t.kind == abi::Kind::Array ? rng() % 4 : t.size;
        std::vector<Value> items;
        text += "[";
        for (size_t i = 0; i < n; ++i) {
          if (i) text += ",";
          items.push_back(value(t.components[0], text));
        }
        text += "]";
        return Value::list(std::move(items));
      }
      case abi::Kind::Tuple: {
        std::vector<Value> items;
        text += "(";
        for (size_t i = 0; i < t.components.size(); ++i) {
          if (i) text += ",";
          items.push_back(value(t.components[i], text));
        }
        text += ")";
        return Value::list(std::move(items));
      }
    }
    return {};
  }
};

TEST(Abi, MatchesCastOnRandomTuples) {
  auto rng = test::seeded_rng("Abi.MatchesCastOnRandomTuples");
  Gen gen{rng};
  for (int i = 0; i < 36; ++i) {
    std::vector<Type> types;
    std::vector<Value> values;
    std::string args;
    const size_t n = 1 + rng() % 4;
    for (size_t k = 0; k < n; ++k) {
      types.push_back(gen.type(0));
      std::string text;
      values.push_back(gen.value(types.back(), text));
      args += ' ';
      args += test::sh_quote(text);
    }
    abi::Function f{"f", types, {}};
    const std::string sig = f.signature();
    const auto encoded = abi::encode(types, values);
    ASSERT_TRUE(encoded.has_value()) << sig;
    const bool as_call = i % 3 == 0;
    const auto expected = test::cast(test::concat(as_call ? "calldata " : "abi-encode ", test::sh_quote(sig), args));
    ASSERT_TRUE(expected.has_value()) << "cast failed on " << sig << args;
    if (as_call) {
      EXPECT_EQ(to_hex(*abi::encode_call(f, values)), *expected) << sig << args;
    } else {
      EXPECT_EQ(to_hex(*encoded), *expected) << sig << args;
    }
    const auto decoded = abi::decode(types, *encoded);
    ASSERT_TRUE(decoded.has_value()) << sig;
    EXPECT_EQ(*decoded, values) << sig;
    // Any truncation makes decoding fail (every encoding ends in a non-optional word).
    if (!encoded->empty()) {
      EXPECT_FALSE(abi::decode(types, std::span(*encoded).first(encoded->size() - 1)).has_value()) << sig;
    }
  }
}

TEST(Abi, EncodeRejectsValuesOutsideTheirType) {
  const std::vector<Type> u8 = {T("uint8")};
  EXPECT_TRUE(abi::encode(u8, std::vector{Value::uint(255)}).has_value());
  EXPECT_FALSE(abi::encode(u8, std::vector{Value::uint(256)}).has_value());
  EXPECT_FALSE(abi::encode(std::vector{T("bool")}, std::vector{Value::uint(2)}).has_value());
  EXPECT_FALSE(abi::encode(std::vector{T("address")}, std::vector{Value::bytes_value(Bytes(19))}).has_value());
  EXPECT_FALSE(abi::encode(std::vector{T("bytes32")}, std::vector{Value::bytes_value(Bytes(31))}).has_value());
  EXPECT_FALSE(abi::encode(std::vector{T("uint256[2]")}, std::vector{Value::list({Value::uint(1)})}).has_value());
  EXPECT_FALSE(abi::encode(std::vector{T("(uint256,bool)")}, std::vector{Value::list({Value::uint(1)})}).has_value());
  EXPECT_FALSE(abi::encode(u8, std::vector<Value>{}).has_value());  // wrong arity
}

TEST(Abi, DecodeRejectsDirtyAndOutOfRange) {
  auto word = [](std::string_view tail) {  // 32 bytes, right-aligned hex
    return std::string(64 - tail.size(), '0') + std::string(tail);
  };
  auto dec = [](std::string_view type, const std::string& hex) {
    const std::vector<Type> types = {*abi::parse_type(type)};
    return abi::decode(types, *from_hex(hex));
  };
  EXPECT_TRUE(dec("uint8", word("ff")).has_value());
  EXPECT_FALSE(dec("uint8", word("100")).has_value());
  EXPECT_FALSE(dec("uint64", word("10000000000000000")).has_value());
  EXPECT_TRUE(dec("bool", word("1")).has_value());
  EXPECT_FALSE(dec("bool", word("2")).has_value());
  EXPECT_TRUE(dec("address", word(std::string(40, 'f'))).has_value());
  EXPECT_FALSE(dec("address", word(std::string(42, 'f'))).has_value());
  EXPECT_TRUE(dec("bytes4", std::string("deadbeef") + std::string(56, '0')).has_value());
  EXPECT_FALSE(dec("bytes4", std::string("deadbeef01") + std::string(54, '0')).has_value());
  EXPECT_FALSE(dec("uint256", std::string(62, '0')).has_value());  // short word
  // bytes: offset, length, data with padding.
  const std::string ok = word("20") + word("3") + "abcdef" + std::string(58, '0');
  EXPECT_EQ(dec("bytes", ok)->at(0).bytes, (Bytes{0xab, 0xcd, 0xef}));
  EXPECT_FALSE(dec("bytes", word("20") + word("3") + "abcdef" + std::string(57, '0') + "1").has_value());  // dirty padding
  EXPECT_FALSE(dec("bytes", word("20") + word("21") + "abcdef" + std::string(58, '0')).has_value());  // length past the end
  EXPECT_FALSE(dec("bytes", word("40") + word("3") + "abcdef" + std::string(58, '0')).has_value());  // offset past the end
  EXPECT_FALSE(dec("bytes", word("ffffffffffffffffffff") + word("3")).has_value());              // huge offset
  EXPECT_FALSE(dec("uint256[]", word("20") + word("ffffffff")).has_value());                      // huge length
  EXPECT_FALSE(dec("uint256[]", word("20") + word("2") + word("1")).has_value());                  // too few elements
  EXPECT_TRUE(dec("uint256[]", word("20") + word("2") + word("1") + word("2")).has_value());
  EXPECT_FALSE(dec("uint8[]", word("20") + word("1") + word("100")).has_value());                  // dirty element
  // Trailing data after a complete encoding is accepted (return data may be padded).
  EXPECT_TRUE(dec("uint256", word("1") + word("2")).has_value());
}

// What a decode produces is bounded by its input. Offsets that share data (elements of nested
// arrays all pointing at one inner array) make n^depth values out of depth * (n + 1) words, and
// values of no size (empty tuples in fixed arrays) make billions out of nothing: fuzz/abi.cpp
// found the second (2 GB, fuzz/corpus/abi/nested-empty-tuples). Each value is charged its
// canonical size against the input's, and counted: both are refused at once, while canonical
// encodings decode.
TEST(Abi, DecodeIsBoundedByItsInput) {
  EXPECT_FALSE(abi::decode(std::vector<Type>{T("()[2][2][385][3232][3][3][33]")}, Bytes{}).has_value());
  EXPECT_TRUE(abi::decode(std::vector<Type>{T("()[2][3]")}, Bytes{}).has_value());

  auto word = [](uint64_t v) {
    Bytes w(32, 0);
    for (int i = 0; i < 8; ++i) w[31 - i] = static_cast<uint8_t>(v >> (8 * i));
    return w;
  };
  auto append = [](Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); };
  constexpr uint64_t kN = 8;
  constexpr int kDepth = 7;  // 8^7 = 2,097,152 words once expanded
  std::string type = "uint256";
  for (int d = 0; d < kDepth; ++d) type += "[]";
  Bytes data = word(32);  // the top-level offset
  for (int d = 0; d < kDepth; ++d) {
    append(data, word(kN));
    // Every element of this level points at the one array of the next, right after these heads.
    for (uint64_t i = 0; i < kN; ++i) append(data, d + 1 < kDepth ? word(32 * kN) : word(i));
  }
  ASSERT_LT(data.size(), 2200u);
  const std::vector<Type> types = {T(type)};
  EXPECT_FALSE(abi::decode(types, data).has_value());

  // Two members sharing one array: refused too (a canonical encoding never shares).
  const std::vector<Type> pair = {T("uint256[]"), T("uint256[]")};
  Bytes shared = word(64);
  append(shared, word(64));
  append(shared, word(1));
  append(shared, word(5));
  EXPECT_FALSE(abi::decode(pair, shared).has_value());
  // The same value, canonically encoded, decodes and encodes back to the same bytes.
  Bytes canonical = word(64);
  append(canonical, word(128));
  for (int k = 0; k < 2; ++k) append(canonical, word(1)), append(canonical, word(5));
  const auto values = abi::decode(pair, canonical);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(abi::encode(pair, *values), canonical);

  // A nested value of 3 x 4 x 5 words, canonically encoded, is charged exactly its size.
  Value v = Value::list({});
  for (int a = 0; a < 3; ++a) {
    Value mid = Value::list({});
    for (int b = 0; b < 4; ++b) {
      Value inner = Value::list({});
      for (int c = 0; c < 5; ++c) inner.items.push_back(Value::uint(static_cast<uint64_t>(100 * a + 10 * b + c)));
      mid.items.push_back(inner);
    }
    v.items.push_back(mid);
  }
  const std::vector<Type> nested = {T("uint256[][][]")};
  const auto enc = abi::encode(nested, std::vector<Value>{v});
  ASSERT_TRUE(enc.has_value());
  const auto back = abi::decode(nested, *enc);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->at(0) == v);
}

TEST(Abi, DecodesEventLogs) {
  // ERC-20 Transfer: topic0 from `cast keccak`, and the well-known 0xddf252ad...
  const auto e = abi::parse_event("Transfer(address indexed from, address indexed to, uint256 value)");
  EXPECT_FALSE(e.has_value());  // parameter names are not part of our grammar
  const auto ev = abi::parse_event("Transfer(address indexed,address indexed,uint256)");
  ASSERT_TRUE(ev.has_value());
  EXPECT_EQ(ev->signature(), "Transfer(address,address,uint256)");
  EXPECT_EQ(to_hex(ev->topic0()), test::cast("keccak 'Transfer(address,address,uint256)'").value_or(""));
  EXPECT_EQ(to_hex(ev->topic0()), "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

  Bytes32 from{}, to{};
  from[31] = 0x11;
  to[12] = 0x22;
  const Bytes data = *from_hex(std::string(62, '0') + "2a");
  std::vector<Bytes32> topics = {ev->topic0(), from, to};
  const auto values = abi::decode_log(*ev, topics, data);
  ASSERT_TRUE(values.has_value());
  ASSERT_EQ(values->size(), 3u);
  EXPECT_EQ((*values)[0].bytes, Bytes(from.begin() + 12, from.end()));
  EXPECT_EQ((*values)[1].bytes, Bytes(to.begin() + 12, to.end()));
  EXPECT_EQ((*values)[2], Value::uint(42));

  EXPECT_FALSE(abi::decode_log(*ev, std::span(topics).first(2), data).has_value());  // missing topic
  auto wrong0 = topics;
  wrong0[0][0] ^= 1;
  EXPECT_FALSE(abi::decode_log(*ev, wrong0, data).has_value());
  auto dirty = topics;
  dirty[1][0] = 1;  // address topic with high bits set
  EXPECT_FALSE(abi::decode_log(*ev, dirty, data).has_value());
  EXPECT_FALSE(abi::decode_log(*ev, topics, std::span(data).first(31)).has_value());

  // An indexed dynamic value comes back as its hash.
  const auto dyn = abi::parse_event("Note(bytes indexed,uint8)");
  ASSERT_TRUE(dyn.has_value());
  Bytes32 h{};
  h[0] = 0xaa;
  const std::vector<Bytes32> dyn_topics = {dyn->topic0(), h};
  const auto dv = abi::decode_log(*dyn, dyn_topics, *from_hex(std::string(62, '0') + "07"));
  ASSERT_TRUE(dv.has_value());
  EXPECT_EQ((*dv)[0], Value::bytes32(h));
  EXPECT_EQ((*dv)[1], Value::uint(7));
}

}  // namespace
}  // namespace zkamm::l1
