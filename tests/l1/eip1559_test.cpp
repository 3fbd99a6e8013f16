// EIP-1559 transactions and secp256k1 keys against foundry's `cast mktx` / `cast wallet address`
// (offline) and `cast keccak`.
#include "l1/eip1559.hpp"

#include <gtest/gtest.h>

#include "hash/keccak256.hpp"
#include "l1/rlp.hpp"
#include "oracle.hpp"

namespace zkamm::l1 {
namespace {

// anvil's first default account (the public test key of every anvil/hardhat node).
constexpr const char* kAnvilKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kAnvilAddress = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kSecondAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

std::string cast_mktx(const std::string& key_hex, const Eip1559Tx& tx) {
  std::string args = test::concat("mktx --private-key ", key_hex, " --chain ", std::to_string(tx.chain_id),
                                  " --nonce ", std::to_string(tx.nonce), " --gas-limit ", std::to_string(tx.gas_limit),
                                  " --gas-price ", ff::to_decimal(tx.max_fee_per_gas), " --priority-gas-price ",
                                  ff::to_decimal(tx.max_priority_fee_per_gas), " --value ", ff::to_decimal(tx.value));
  if (tx.to) {
    args += ' ';
    args += to_hex(*tx.to);
    if (!tx.data.empty()) {
      args += ' ';
      args += to_hex(tx.data);
    }
  } else {
    args += " --create ";
    args += to_hex(tx.data);
  }
  return test::cast(args).value_or("cast mktx failed");
}

TEST(Key, AnvilDefaultAccount) {
  const auto key = PrivateKey::from_hex(kAnvilKey);
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(to_checksum_address(key->address()), kAnvilAddress);
}

TEST(Key, RejectsInvalidSecrets) {
  EXPECT_FALSE(PrivateKey::from_bytes(Bytes32{}).has_value());  // zero
  // n (the secp256k1 group order, SEC 2 section 2.4.1) and n + 1 are out of range; n - 1 is valid.
  const std::string n = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
  EXPECT_FALSE(PrivateKey::from_hex(n).has_value());
  EXPECT_FALSE(PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142").has_value());
  EXPECT_TRUE(PrivateKey::from_hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140").has_value());
  EXPECT_FALSE(PrivateKey::from_hex("0x1234").has_value());
  EXPECT_FALSE(PrivateKey::from_hex(std::string(64, 'g')).has_value());
}

TEST(Key, AddressesMatchCastOnRandomKeys) {
  auto rng = test::seeded_rng("Key.AddressesMatchCastOnRandomKeys");
  for (int i = 0; i < 8; ++i) {
    Bytes32 secret;
    for (auto& b : secret) b = static_cast<uint8_t>(rng());
    const auto key = PrivateKey::from_bytes(secret);
    ASSERT_TRUE(key.has_value());
    const auto expected = test::cast(test::concat("wallet address --private-key ", to_hex(secret)));
    ASSERT_TRUE(expected.has_value());
    EXPECT_EQ(to_checksum_address(key->address()), *expected);
  }
}

TEST(Key, SignaturesAreLowSAndRecover) {
  const auto key = *PrivateKey::from_hex(kAnvilKey);
  const U256 half_n = *ff::parse_u256("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");
  for (int i = 0; i < 32; ++i) {
    const uint8_t msg = static_cast<uint8_t>(i);
    const Bytes32 digest = hash::keccak256(std::span(&msg, 1));
    const Signature sig = key.sign(digest);
    EXPECT_FALSE(ff::less_than(half_n, ff::from_bytes_be(sig.s.data())));
    EXPECT_EQ(key.sign(digest), sig);  // RFC 6979: deterministic
    EXPECT_EQ(recover_address(digest, sig), key.address());
    Signature bad = sig;
    bad.y_parity ^= 1;
    EXPECT_NE(recover_address(digest, bad), key.address());
    bad.y_parity = 2;
    EXPECT_FALSE(recover_address(digest, bad).has_value());
  }
}

// Produced by cast 1.7.1: `cast mktx --private-key <anvil key 0> --chain 31337 --nonce 0
// --gas-limit 21000 --gas-price 2000000000 --priority-gas-price 1000000000 --value 1000
// 0x70997970C51812dc3A010C7d01b50e0d17dc79C8`.
TEST(Eip1559, FixedVectorFromCast) {
  const auto key = *PrivateKey::from_hex(kAnvilKey);
  Eip1559Tx tx{31337, 0, u256(1000000000), u256(2000000000), 21000, address_from_hex(kSecondAddress), u256(1000), {}};
  const Bytes raw = sign_tx(tx, key);
  EXPECT_EQ(to_hex(raw),
            "0x02f86e827a6980843b9aca0084773594008252089470997970c51812dc3a010c7d01b50e0d17dc79c88203e880c080a0c2c3f457"
            "635b35dff0436df41c42c92f3df739269621818a2a2c91aca4620d16a0284a2b1681772daf495633a745f413002c60512c39efe0a0"
            "ba038d7dfc707aa9");
  const auto decoded = decode_signed(raw);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->tx, tx);
  EXPECT_EQ(recover_address(signing_hash(decoded->tx), decoded->sig), key.address());
}

TEST(Eip1559, MatchesCastMktxOnRandomTransactions) {
  auto rng = test::seeded_rng("Eip1559.MatchesCastMktxOnRandomTransactions");
  for (int i = 0; i < 16; ++i) {
    Bytes32 secret;
    for (auto& b : secret) b = static_cast<uint8_t>(rng());
    const auto key = PrivateKey::from_bytes(secret);
    ASSERT_TRUE(key.has_value());
    Eip1559Tx tx;
    tx.chain_id = 1 + rng() % 0xffffffff;
    tx.nonce = (i % 3 == 0) ? 0 : rng() % 1000000;
    tx.max_fee_per_gas = U256{rng() >> (rng() % 64), 0, 0, 0};
    tx.max_priority_fee_per_gas = U256{tx.max_fee_per_gas[0] >> (rng() % 64), 0, 0, 0};
    tx.gas_limit = 21000 + rng() % 10000000;
    tx.value = (i % 2 == 0) ? U256{} : U256{rng(), rng() % 1000, 0, 0};
    if (i % 4 != 3) {
      Address to;
      for (auto& b : to) b = static_cast<uint8_t>(rng());
      if (i == 1) to[0] = 0;  // leading zero byte in the address stays (it is a string, not an integer)
      tx.to = to;
    }
    tx.data.resize((i % 4 == 3 || i % 5 == 0) ? 1 + rng() % 200 : 0);
    for (auto& b : tx.data) b = static_cast<uint8_t>(rng());
    const Bytes raw = sign_tx(tx, *key);
    EXPECT_EQ(to_hex(raw), cast_mktx(to_hex(secret), tx)) << "case " << i;
    EXPECT_EQ(to_hex(tx_hash(raw)), test::cast(test::concat("keccak ", to_hex(raw))).value_or(""));
    const auto decoded = decode_signed(raw);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->tx, tx);
    EXPECT_EQ(recover_address(signing_hash(tx), decoded->sig), key->address());
  }
}

TEST(Eip1559, DecodeRejectsMalformed) {
  const auto key = *PrivateKey::from_hex(kAnvilKey);
  Eip1559Tx tx{1, 5, u256(1), u256(2), 21000, address_from_hex(kSecondAddress), u256(7), {0xab}};
  const Bytes raw = sign_tx(tx, key);
  ASSERT_TRUE(decode_signed(raw).has_value());
  Bytes wrong_type = raw;
  wrong_type[0] = 0x01;
  EXPECT_FALSE(decode_signed(wrong_type).has_value());
  Bytes trailing = raw;
  trailing.push_back(0);
  EXPECT_FALSE(decode_signed(trailing).has_value());
  EXPECT_FALSE(decode_signed(std::span(raw).first(raw.size() - 1)).has_value());
  EXPECT_FALSE(decode_signed({}).has_value());

  // Re-encode the field list with one field changed.
  auto fields = rlp::decode(std::span(raw).subspan(1))->list;
  auto reencode = [&](const std::vector<rlp::Item>& f) {
    Bytes out{0x02};
    const Bytes body = rlp::encode(rlp::Item::of_list(f));
    out.insert(out.end(), body.begin(), body.end());
    return out;
  };
  EXPECT_TRUE(decode_signed(reencode(fields)).has_value());
  auto f = fields;
  f[9] = rlp::Item::uint(u256(2));  // y_parity 2
  EXPECT_FALSE(decode_signed(reencode(f)).has_value());
  f = fields;
  f[1] = rlp::Item::string(Bytes{0x00, 0x05});  // nonce with a leading zero
  EXPECT_FALSE(decode_signed(reencode(f)).has_value());
  f = fields;
  f[5] = rlp::Item::string(Bytes(19, 0x11));  // 19-byte address
  EXPECT_FALSE(decode_signed(reencode(f)).has_value());
  f = fields;
  f[8] = rlp::Item::of_list({rlp::Item::of_list({})});  // non-empty access list
  EXPECT_FALSE(decode_signed(reencode(f)).has_value());
  f = fields;
  f.pop_back();
  EXPECT_FALSE(decode_signed(reencode(f)).has_value());
}

}  // namespace
}  // namespace zkamm::l1
