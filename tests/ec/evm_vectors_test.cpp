// EIP-196/197 precompile vectors (go-ethereum's test data, see data/evm_precompile_vectors.txt)
// reproduced through the serialize layer: decode the input, compute, encode the output.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ec/pairing.hpp"
#include "ec/serialize.hpp"
#include "common/seed.hpp"

namespace zkamm::ec {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes from_hex(const std::string& s) {
  Bytes out;
  if (s == "-") return out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  return out;
}
std::string to_hex(const Bytes& b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t c : b) {
    s.push_back(digits[c >> 4]);
    s.push_back(digits[c & 15]);
  }
  return s;
}
/// The precompiles read their input as if right-padded with zeros to the length they need.
Bytes padded(Bytes in, size_t n) {
  in.resize(std::max(in.size(), n), 0);
  return in;
}

std::optional<Bytes> ec_add(const Bytes& raw) {
  const Bytes in = padded(raw, 128);
  const auto a = decode_g1_evm(std::span<const uint8_t, 64>(in.data(), 64));
  const auto b = decode_g1_evm(std::span<const uint8_t, 64>(in.data() + 64, 64));
  if (!a || !b) return std::nullopt;
  const auto out = encode_g1_evm((G1(*a) + G1(*b)).to_affine());
  return Bytes(out.begin(), out.end());
}

std::optional<Bytes> ec_mul(const Bytes& raw) {
  const Bytes in = padded(raw, 96);
  const auto a = decode_g1_evm(std::span<const uint8_t, 64>(in.data(), 64));
  if (!a) return std::nullopt;
  const U256 k = ff::from_bytes_be(in.data() + 64);
  const auto out = encode_g1_evm(G1(*a).mul(k).to_affine());
  return Bytes(out.begin(), out.end());
}

std::optional<Bytes> ec_pairing(const Bytes& in) {
  if (in.size() % 192 != 0) return std::nullopt;
  std::vector<std::pair<G1Affine, G2Affine>> pairs;
  for (size_t off = 0; off < in.size(); off += 192) {
    const auto p = decode_g1_evm(std::span<const uint8_t, 64>(in.data() + off, 64));
    const auto q = decode_g2_evm(std::span<const uint8_t, 128>(in.data() + off + 64, 128));
    if (!p || !q) return std::nullopt;
    pairs.emplace_back(*p, *q);
  }
  Bytes out(32, 0);
  out[31] = pairing_product_is_one(pairs) ? 1 : 0;
  return out;
}

struct Vector {
  std::string op, name, input, expected;
};

std::vector<Vector> load_vectors() {
  std::ifstream f(ZKAMM_SOURCE_DIR "/tests/ec/data/evm_precompile_vectors.txt");
  std::vector<Vector> out;
  std::string line;
  while (std::getline(f, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    Vector v;
    ls >> v.op >> v.name >> v.input >> v.expected;
    out.push_back(v);
  }
  return out;
}

TEST(EvmPrecompiles, GoEthereumVectors) {
  const auto vectors = load_vectors();
  ASSERT_GE(vectors.size(), 30u);
  int counts[3] = {0, 0, 0};
  for (const auto& v : vectors) {
    const Bytes in = from_hex(v.input);
    std::optional<Bytes> got;
    if (v.op == "add") {
      got = ec_add(in);
      ++counts[0];
    } else if (v.op == "mul") {
      got = ec_mul(in);
      ++counts[1];
    } else if (v.op == "pairing") {
      got = ec_pairing(in);
      ++counts[2];
    } else {
      FAIL() << "unknown op " << v.op;
    }
    if (v.expected == "error") {
      EXPECT_FALSE(got.has_value()) << v.op << " " << v.name;
    } else {
      ASSERT_TRUE(got.has_value()) << v.op << " " << v.name;
      EXPECT_EQ(to_hex(*got), v.expected) << v.op << " " << v.name;
    }
  }
  EXPECT_GE(counts[0], 8);
  EXPECT_GE(counts[1], 8);
  EXPECT_GE(counts[2], 8);
}

TEST(EvmEncoding, RoundTripsAndRejections) {
  auto rng = zkamm::testing::seeded_rng("EvmEncoding", 30);
  for (int i = 0; i < 4; ++i) {
    const G1Affine p = (G1::generator() * Fr::random(rng)).to_affine();
    const G2Affine q = (G2::generator() * Fr::random(rng)).to_affine();
    EXPECT_EQ(decode_g1_evm(encode_g1_evm(p)), p);
    EXPECT_EQ(decode_g2_evm(encode_g2_evm(q)), q);
  }
  EXPECT_EQ(encode_g1_evm(G1Affine{}), G1Bytes{});
  EXPECT_EQ(encode_g2_evm(G2Affine{}), G2Bytes{});
  EXPECT_EQ(decode_g1_evm(G1Bytes{}), G1Affine{});
  EXPECT_EQ(decode_g2_evm(G2Bytes{}), G2Affine{});
  // G2 generator's layout is x.c1 first (EIP-197).
  const G2Bytes g = encode_g2_evm(G2Affine::generator());
  EXPECT_EQ(to_hex(Bytes(g.begin(), g.begin() + 32)), "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2");
  // Coordinate words >= q are rejected even when the reduced point would be valid.
  G1Bytes gen1 = encode_g1_evm(G1Affine::generator());
  ff::to_bytes_be([] { U256 v{}; ff::add_with_carry(v, Fq::kModulus, U256{1, 0, 0, 0}); return v; }(), gen1.data());
  EXPECT_FALSE(decode_g1_evm(gen1).has_value());
  G2Bytes big = g;
  std::fill(big.begin() + 96, big.end(), 0xff);
  EXPECT_FALSE(decode_g2_evm(big).has_value());
  // A twist point outside the order-r subgroup: on the curve, still rejected.
  for (;;) {
    const ff::Fq2 x = ff::Fq2::random(rng);
    const auto y = (x.square() * x + G2Config::b()).sqrt();
    if (!y) continue;
    const G2Affine bad{x, *y};
    ASSERT_TRUE(bad.is_on_curve());
    EXPECT_FALSE(decode_g2_evm(encode_g2_evm(bad)).has_value());
    break;
  }
  // Off-curve G2.
  G2Bytes off = g;
  off[127] ^= 1;
  EXPECT_FALSE(decode_g2_evm(off).has_value());
}

TEST(SnarkjsEncoding, RoundTripsAndRejections) {
  auto rng = zkamm::testing::seeded_rng("SnarkjsEncoding", 31);
  const G1Affine p = (G1::generator() * Fr::random(rng)).to_affine();
  const G2Affine q = (G2::generator() * Fr::random(rng)).to_affine();
  EXPECT_EQ(g1_from_snarkjs(g1_to_snarkjs(p)), p);
  EXPECT_EQ(g2_from_snarkjs(g2_to_snarkjs(q)), q);
  EXPECT_EQ(g1_to_snarkjs(G1Affine{}), (G1Strings{"0", "1", "0"}));
  EXPECT_EQ(g2_to_snarkjs(G2Affine{}), (G2Strings{{{"0", "0"}, {"1", "0"}, {"0", "0"}}}));
  EXPECT_EQ(g1_from_snarkjs(G1Strings{"0", "1", "0"}), G1Affine{});
  EXPECT_EQ(g2_from_snarkjs(G2Strings{{{"0", "0"}, {"1", "0"}, {"0", "0"}}}), G2Affine{});
  EXPECT_EQ(g1_to_snarkjs(G1Affine::generator()), (G1Strings{"1", "2", "1"}));
  EXPECT_EQ(g2_to_snarkjs(G2Affine::generator())[0][0],
            "10857046999023057135944570762232829481370756359578518086990519993285655852781");
  // Jacobian z != 1 is normalised.
  const G1 pj = G1(p).dbl();
  const auto pj_decoded = g1_from_snarkjs(G1Strings{pj.x.to_decimal(), pj.y.to_decimal(), pj.z.to_decimal()});
  EXPECT_EQ(pj_decoded, pj.to_affine());
  const G2 qj = G2(q).dbl();
  const auto qj_decoded = g2_from_snarkjs(G2Strings{{{qj.x.c0.to_decimal(), qj.x.c1.to_decimal()},
                                                     {qj.y.c0.to_decimal(), qj.y.c1.to_decimal()},
                                                     {qj.z.c0.to_decimal(), qj.z.c1.to_decimal()}}});
  EXPECT_EQ(qj_decoded, qj.to_affine());
  // Rejections: off curve, non-canonical, malformed.
  EXPECT_FALSE(g1_from_snarkjs(G1Strings{"1", "3", "1"}).has_value());
  EXPECT_FALSE(g1_from_snarkjs(G1Strings{ff::to_decimal(Fq::kModulus), "2", "1"}).has_value());
  EXPECT_FALSE(g1_from_snarkjs(G1Strings{"1", "2", ""}).has_value());
  EXPECT_FALSE(g1_from_snarkjs(G1Strings{"1", "two", "1"}).has_value());
  auto qs = g2_to_snarkjs(q);
  qs[1][1] = qs[2][0];  // y.c1 := 1, off the curve
  EXPECT_FALSE(g2_from_snarkjs(qs).has_value());
}

}  // namespace
}  // namespace zkamm::ec
