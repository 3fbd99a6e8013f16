// The fast verifier and the batch API against eddsa_verify_poseidon_reference (the original
// verifier, itself checked against circomlibjs in circomlibjs_oracle_test.cpp), on seeded
// random keys and messages plus crafted invalid and torsion cases. Self-generated vectors.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "ec/babyjubjub_fast.hpp"
#include "common/seed.hpp"
#include "hash/eddsa.hpp"
#include "hash/eddsa_batch.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::hash {
namespace {

using ec::BabyJubAffine;
using ec::BabyJubScalar;
using ec::BabyJubScalarSpec;
using ff::Fr;
using ff::U256;
constexpr U256 kL = BabyJubScalarSpec::kModulus;

template <class Rng>
PrivateKey random_key(Rng& rng) {
  PrivateKey k{};
  for (auto& b : k) b = static_cast<uint8_t>(rng());
  return k;
}

BabyJubAffine torsion(uint64_t j) {
  const BabyJubAffine t8 = ec::mul(BabyJubAffine::generator(), kL);  // order 8
  return ec::mul(t8, U256{j, 0, 0, 0});
}

// A signature by the key prv for the claimed public key `claimed` (which enters the hash) and
// nonce point R8 = r*Base8 + r8_shift: S = r + hm*s mod l, as circomlibjs signPoseidon.
EddsaSignature sign_crafted(const PrivateKey& prv, const BabyJubAffine& claimed, const Fr& msg, const U256& r,
                            const BabyJubAffine& r8_shift) {
  const ExpandedKey k = expand_private_key(prv);
  const BabyJubAffine r8 = ec::add(ec::mul_base8(r).to_affine(), r8_shift);
  const Fr hm = poseidon({r8.x, r8.y, claimed.x, claimed.y, msg});
  const BabyJubScalar s = BabyJubScalar::from_u256_reduced(r) + BabyJubScalar::from_u256_reduced(hm.to_canonical()) *
                                                                    BabyJubScalar::from_u256_reduced(k.s);
  return {r8, s.to_canonical()};
}

bool fast(const EddsaVerifyItem& it) {
  const bool plain = eddsa_verify_poseidon(it.a, it.msg, it.sig);
  // The prepared-key path must agree wherever A is on the curve (its precondition).
  if (it.a.is_on_curve()) {
    EXPECT_EQ(eddsa_verify_poseidon(ec::BabyJubPreparedKey(it.a), it.msg, it.sig), plain);
  }
  return plain;
}
bool reference(const EddsaVerifyItem& it) { return eddsa_verify_poseidon_reference(it.a, it.msg, it.sig); }

template <class Rng>
EddsaVerifyItem valid_item(Rng& rng) {
  const PrivateKey prv = random_key(rng);
  const Fr msg = Fr::random(rng);
  return {eddsa_public_key(prv), msg, eddsa_sign_poseidon(prv, msg)};
}

TEST(EddsaFast, AgreesWithReferenceOnValidAndMutated) {
  auto rng = zkamm::testing::seeded_rng("EddsaFast.AgreesWithReferenceOnValidAndMutated");
  for (int i = 0; i < 16; ++i) {
    EddsaVerifyItem it = valid_item(rng);
    EXPECT_TRUE(reference(it));
    EXPECT_TRUE(fast(it)) << "iteration " << i;
    EddsaVerifyItem m = it;
    m.msg += Fr::one();
    EXPECT_FALSE(fast(m));
    m = it;
    m.sig.s[0] ^= 2;
    EXPECT_EQ(fast(m), reference(m));
    EXPECT_FALSE(fast(m));
    m = it;
    m.sig.r8 = ec::add(m.sig.r8, BabyJubAffine::base8());
    EXPECT_FALSE(fast(m));
    m = it;
    m.a = -m.a;
    EXPECT_FALSE(fast(m));
  }
}

TEST(EddsaFast, TorsionShiftedKeyAndNonce) {
  auto rng = zkamm::testing::seeded_rng("EddsaFast.TorsionShiftedKeyAndNonce");
  const PrivateKey prv = random_key(rng);
  const BabyJubAffine a = eddsa_public_key(prv);
  const Fr msg = Fr::random(rng);
  for (uint64_t j = 1; j < 8; ++j) {
    const BabyJubAffine t = torsion(j);
    const U256 r = BabyJubScalar::random(rng).to_canonical();
    // A' = A + T is not of small order; a signature whose hash commits to A' satisfies the
    // equation, since 8*A' == 8*A: accepted by the reference, the fast path and the batch.
    const BabyJubAffine a_shift = ec::add(a, t);
    const EddsaVerifyItem good_shift{a_shift, msg, sign_crafted(prv, a_shift, msg, r, BabyJubAffine::identity())};
    EXPECT_TRUE(reference(good_shift)) << j;
    EXPECT_TRUE(fast(good_shift)) << j;
    // The honest signature for A presented with A' hashes differently: rejected.
    const EddsaVerifyItem honest_for_shift{a_shift, msg, eddsa_sign_poseidon(prv, msg)};
    EXPECT_FALSE(reference(honest_for_shift)) << j;
    EXPECT_FALSE(fast(honest_for_shift)) << j;
    // R8 = r*Base8 + T with S consistent with it: the equation is off by exactly T.
    const EddsaVerifyItem bad_nonce{a, msg, sign_crafted(prv, a, msg, r, t)};
    EXPECT_FALSE(reference(bad_nonce)) << j;
    EXPECT_FALSE(fast(bad_nonce)) << j;
    const std::vector<EddsaVerifyItem> items{good_shift, honest_for_shift, bad_nonce};
    EXPECT_EQ(eddsa_verify_poseidon_batch(items), (std::vector<bool>{true, false, false})) << j;
  }
}

TEST(EddsaBatch, InterleavedHashesEqualPoseidon) {
  auto rng = zkamm::testing::seeded_rng("EddsaBatch.InterleavedHashesEqualPoseidon");
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{5}}) {
    std::vector<EddsaVerifyItem> items(n);
    for (auto& it : items) {
      it.a = {Fr::random(rng), Fr::random(rng)};  // any field elements: the hash does not check
      it.sig.r8 = {Fr::random(rng), Fr::random(rng)};
      it.msg = Fr::random(rng);
    }
    const std::vector<Fr> got = poseidon_eddsa_hashes(items);
    ASSERT_EQ(got.size(), n);
    for (size_t i = 0; i < n; ++i) {
      const auto& it = items[i];
      EXPECT_EQ(got[i], poseidon({it.sig.r8.x, it.sig.r8.y, it.a.x, it.a.y, it.msg})) << n << " " << i;
    }
  }
}

TEST(EddsaBatch, PerItemResultsEqualSingleVerification) {
  auto rng = zkamm::testing::seeded_rng("EddsaBatch.PerItemResultsEqualSingleVerification");
  std::vector<EddsaVerifyItem> items;
  for (int i = 0; i < 12; ++i) items.push_back(valid_item(rng));
  EXPECT_EQ(eddsa_verify_poseidon_batch(items), std::vector<bool>(items.size(), true));
  EXPECT_TRUE(eddsa_verify_poseidon_all(items));
  EXPECT_TRUE(eddsa_verify_poseidon_batch({}).empty());
  EXPECT_TRUE(eddsa_verify_poseidon_all({}));

  // One invalid item at a random position.
  {
    auto bad = items;
    const size_t pos = rng() % bad.size();
    bad[pos].msg += Fr::one();
    std::vector<bool> want(bad.size(), true);
    want[pos] = false;
    EXPECT_EQ(eddsa_verify_poseidon_batch(bad), want) << "position " << pos;
    EXPECT_FALSE(eddsa_verify_poseidon_all(bad));
  }
  // Two signatures swapped.
  {
    auto bad = items;
    std::swap(bad[2].sig, bad[5].sig);
    const auto got = eddsa_verify_poseidon_batch(bad);
    for (size_t i = 0; i < bad.size(); ++i) EXPECT_EQ(got[i], i != 2 && i != 5) << i;
  }
  // S >= l (S + l and l itself), small-order A and R8, torsion-shifted keys and nonces.
  auto mixed = items;
  ASSERT_EQ(ff::add_with_carry(mixed[0].sig.s, items[0].sig.s, kL), 0u);
  mixed[1].sig.s = kL;
  mixed[2].a = torsion(4);
  mixed[3].sig.r8 = torsion(2);
  mixed[4].a = BabyJubAffine::identity();
  {
    const PrivateKey prv = random_key(rng);
    const BabyJubAffine a_shift = ec::add(eddsa_public_key(prv), torsion(2));
    mixed[5] = {a_shift, mixed[5].msg, sign_crafted(prv, a_shift, mixed[5].msg, U256{12345, 0, 0, 0}, torsion(0))};
    mixed[6] = {eddsa_public_key(prv), mixed[6].msg,
                sign_crafted(prv, eddsa_public_key(prv), mixed[6].msg, U256{777, 0, 0, 0}, torsion(4))};
  }
  mixed[7].sig.r8.y += Fr::one();  // off the curve
  const auto got = eddsa_verify_poseidon_batch(mixed);
  ASSERT_EQ(got.size(), mixed.size());
  for (size_t i = 0; i < mixed.size(); ++i) EXPECT_EQ(got[i], reference(mixed[i])) << "item " << i;
  const std::vector<bool> want{false, false, false, false, false, true, false, false, true, true, true, true};
  EXPECT_EQ(got, want);

  // The prepared-key batch gives the same answers (keys on the curve only: its precondition).
  std::vector<ec::BabyJubPreparedKey> keys;
  keys.reserve(mixed.size());
  std::vector<EddsaPreparedItem> prepared;
  std::vector<bool> want_prepared;
  for (const auto& it : mixed) {
    if (!it.a.is_on_curve()) continue;
    keys.emplace_back(it.a);
    prepared.push_back({&keys.back(), it.msg, it.sig});
    want_prepared.push_back(reference(it));
  }
  EXPECT_EQ(eddsa_verify_poseidon_batch_prepared(prepared), want_prepared);
  EXPECT_TRUE(eddsa_verify_poseidon_batch_prepared({}).empty());
}

}  // namespace
}  // namespace zkamm::hash
