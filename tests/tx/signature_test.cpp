#include "tx/message.hpp"

#include <gtest/gtest.h>

#include "tx/encoding.hpp"
#include "tx/random_tx.hpp"

namespace zkamm::tx {
namespace {

Domain test_domain() {
  Domain d;
  d.chain_id = 31337;
  for (std::size_t i = 0; i < 20; ++i) d.rollup[i] = static_cast<uint8_t>(0x50 + i);
  return d;
}

hash::PrivateKey random_key(std::mt19937_64& rng) {
  hash::PrivateKey k{};
  for (auto& b : k) b = static_cast<uint8_t>(rng());
  return k;
}

/// Flips one bit of the k-th field (signature excluded) of an L2 tx, staying in range.
struct Tamper {
  std::size_t target;
  std::size_t index = 0;
  template <class T>
  void operator()(const char*, T& m, Field f) {
    if (index++ != target || f == Field::Signature) return;
    if constexpr (std::is_integral_v<T> || std::is_same_v<T, Amount>) {
      m ^= 1;
    } else {
      m[m.size() - 1] ^= 1;
    }
  }
};

std::size_t field_count(const Tx& t) {
  std::size_t n = 0;
  std::visit([&](const auto& x) { std::remove_cvref_t<decltype(x)>::visit(x, [&](const char*, const auto&, Field) { ++n; }); },
             t);
  return n;
}

TEST(TxSignature, SignVerifyRoundTripAndEveryFieldIsBound) {
  std::mt19937_64 rng(zkamm::testing::test_seed("tx signature"));
  const Domain d = test_domain();
  for (const TxType ty : testing::kL2Types) {
    const auto prv = random_key(rng);
    const auto pub = hash::eddsa_public_key(prv);
    Tx t = testing::random_tx(rng, ty);
    ASSERT_TRUE(sign(t, prv, d));
    EXPECT_TRUE(verify(t, pub, d)) << type_name(ty);
    EXPECT_TRUE(verify(t, ec::pack_point(pub), d));
    // survives encoding and JSON-free decoding
    EXPECT_TRUE(verify(*decode(encode(t)), pub, d));

    const std::size_t n = field_count(t);
    for (std::size_t k = 0; k + 1 < n; ++k) {  // last field is the signature
      Tx u = t;
      std::visit([&](auto& x) { std::remove_cvref_t<decltype(x)>::visit(x, Tamper{k}); }, u);
      ASSERT_NE(u, t);
      EXPECT_FALSE(verify(u, pub, d)) << type_name(ty) << " field " << k;
    }
    Domain other = d;
    other.chain_id ^= 1;
    EXPECT_FALSE(verify(t, pub, other));
    other = d;
    other.rollup[0] ^= 0x80;
    EXPECT_FALSE(verify(t, pub, other));
    other = d;
    other.rollup[19] ^= 1;
    EXPECT_FALSE(verify(t, pub, other));
    EXPECT_FALSE(verify(t, hash::eddsa_public_key(random_key(rng)), d));
    Tx broken = t;
    std::visit([](auto& x) {
      if constexpr (requires { x.signature; }) x.signature[40] ^= 1;
    }, broken);
    EXPECT_FALSE(verify(broken, pub, d));
  }
}

TEST(TxSignature, TypeIsBoundEvenWithEqualFields) {
  // A SwapExactIn and a SwapExactOut with the same numbers must sign different messages.
  SwapExactIn a;
  a.account = 9;
  a.token_in = 1;
  a.token_out = 2;
  a.amount_in = 100;
  a.amount_out_min = 90;
  a.deadline = 1000;
  a.nonce = 4;
  SwapExactOut b;
  b.account = 9;
  b.token_in = 1;
  b.token_out = 2;
  b.amount_out = 100;
  b.amount_in_max = 90;
  b.deadline = 1000;
  b.nonce = 4;
  const Domain d = test_domain();
  EXPECT_NE(*message_hash(Tx{a}, d), *message_hash(Tx{b}, d));
}

TEST(TxSignature, NoMessageForUnsignedOrOutOfRange) {
  const Domain d = test_domain();
  EXPECT_FALSE(message_hash(Tx{Noop{}}, d));
  EXPECT_FALSE(message_hash(Tx{Deposit{}}, d));
  EXPECT_FALSE(message_hash(Tx{FullExit{}}, d));
  EXPECT_FALSE(message_hash(Tx{CreateAccount{}}, d));
  Tx dep{Deposit{}};
  EXPECT_FALSE(sign(dep, hash::PrivateKey{}, d));
  EXPECT_FALSE(verify(dep, hash::eddsa_public_key(hash::PrivateKey{}), d));
  Transfer t;
  t.to = kAccountLimit;
  EXPECT_FALSE(message_hash(Tx{t}, d));
  t.to = 0;
  EXPECT_TRUE(message_hash(Tx{t}, d));
  EXPECT_EQ(signer_account(Tx{t}), 0u);
  EXPECT_FALSE(signer_account(Tx{Deposit{}}));
}

}  // namespace
}  // namespace zkamm::tx
