#include "snark/groth16.hpp"

#include <gtest/gtest.h>

#include <random>

#include "groth16_test_util.hpp"
#include "snark/ntt.hpp"

namespace zkamm::snark {
namespace {

using ff::Fr;
using testing::fr;
using testing::Instance;
using zkamm::testing::test_seed;

ToxicWaste random_toxic_waste(std::mt19937_64& rng) {
  return ToxicWaste{Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng)};
}

/// Setup (seeded), prove (seeded blinding), and return whether the proof verifies.
struct Fixture {
  ProvingKey pk;
  VerificationKey vk;
};

Fixture make_keys(const Instance& in, std::mt19937_64& rng) {
  auto pk = setup_with_toxic_waste(in.r1cs, random_toxic_waste(rng));
  EXPECT_TRUE(pk.has_value());
  Fixture f{*pk, verification_key(*pk)};
  return f;
}

TEST(Groth16, DomainSizeFollowsSnarkjs) {
  // snarkjs zkey_new.js: 2^(log2(nConstraints + nPublic) + 1) with floor log2.
  EXPECT_EQ(groth16_domain_size(1, 1), 4u);   // 3 rows -> 4
  EXPECT_EQ(groth16_domain_size(2, 1), 4u);   // 4 rows -> 4
  EXPECT_EQ(groth16_domain_size(3, 1), 8u);   // 5 rows -> 8
  EXPECT_EQ(groth16_domain_size(4, 3), 8u);   // 8 rows -> 8
  EXPECT_EQ(groth16_domain_size(0, 0), 2u);
  EXPECT_EQ(groth16_domain_size(65535, 0), 65536u);
  EXPECT_EQ(groth16_domain_size(65535, 1), 131072u);
}

TEST(Groth16, KeyLayoutMatchesZkeySections) {
  std::mt19937_64 rng(test_seed("Groth16.KeyLayout"));
  const auto in = testing::multi_public(fr(2), fr(5), fr(4), fr(3), fr(99));
  const auto f = make_keys(in, rng);
  const auto& pk = f.pk;
  EXPECT_TRUE(pk.is_consistent());
  EXPECT_EQ(pk.num_vars, 9u);
  EXPECT_EQ(pk.num_public, 4u);
  EXPECT_EQ(pk.domain_size, 16u);  // 4 constraints + 4 public + 1 = 9 -> 16
  EXPECT_EQ(pk.ic.size(), 5u);
  EXPECT_EQ(pk.c_g1.size(), 4u);
  EXPECT_EQ(pk.h_g1.size(), 16u);
  // A/B terms of each constraint, then one A row per public wire (snarkjs order).
  size_t expected = 0;
  for (const auto& c : in.r1cs.constraints) expected += c.a.size() + c.b.size();
  ASSERT_EQ(pk.coefs.size(), expected + 5);
  for (uint32_t s = 0; s <= 4; ++s) {
    const Coef& c = pk.coefs[expected + s];
    EXPECT_EQ(c.matrix, 0u);
    EXPECT_EQ(c.constraint, 4u + s);
    EXPECT_EQ(c.signal, s);
    EXPECT_TRUE(c.value.is_one());
  }
  // Wire 8 appears in no constraint: its A, B and C points are the identity, as snarkjs writes.
  EXPECT_TRUE(pk.a_g1[8].is_identity());
  EXPECT_TRUE(pk.b1_g1[8].is_identity());
  EXPECT_TRUE(pk.b2_g2[8].is_identity());
  EXPECT_TRUE(pk.c_g1[8 - 5].is_identity());
  for (const auto& p : pk.h_g1) EXPECT_TRUE(p.is_on_curve());
}

TEST(Groth16, PowerChainProvesAndVerifies) {
  std::mt19937_64 rng(test_seed("Groth16.PowerChain"));
  for (unsigned k : {2u, 3u, 7u}) {
    const auto in = testing::power_chain(k, Fr::random(rng));
    ASSERT_TRUE(in.r1cs.is_satisfied(in.witness));
    const auto f = make_keys(in, rng);
    const auto proof = prove_with_blinding(f.pk, in.witness, Blinding{Fr::random(rng), Fr::random(rng)});
    ASSERT_TRUE(proof.has_value());
    EXPECT_TRUE(verify(f.vk, in.public_inputs(), *proof)) << "k=" << k;
    auto wrong = in.public_inputs();
    wrong[0] += Fr::one();
    EXPECT_FALSE(verify(f.vk, wrong, *proof)) << "k=" << k;
  }
}

TEST(Groth16, MultiplePublicInputsWithZeroAndRepeatedWires) {
  std::mt19937_64 rng(test_seed("Groth16.MultiplePublic"));
  const auto in = testing::multi_public(Fr::random(rng), Fr::random(rng), Fr::zero(), Fr::random(rng), Fr::random(rng));
  ASSERT_TRUE(in.r1cs.is_satisfied(in.witness));
  const auto f = make_keys(in, rng);
  const auto proof = prove(f.pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  const auto pub = in.public_inputs();
  ASSERT_EQ(pub.size(), 4u);
  EXPECT_TRUE(verify(f.vk, pub, *proof));
  for (size_t i = 0; i < pub.size(); ++i) {
    auto wrong = pub;
    wrong[i] += Fr::one();
    EXPECT_FALSE(verify(f.vk, wrong, *proof)) << "input " << i;
  }
  // Swapping two public inputs is another statement.
  auto swapped = pub;
  std::swap(swapped[1], swapped[2]);
  EXPECT_FALSE(verify(f.vk, swapped, *proof));
}

TEST(Groth16, DevSetupAndFreshBlinding) {
  std::mt19937_64 rng(test_seed("Groth16.DevSetup"));
  const auto in = testing::multi_public(Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::random(rng), Fr::zero());
  const auto pk = setup_dev(in.r1cs);
  ASSERT_TRUE(pk.has_value());
  const auto vk = verification_key(*pk);
  const auto p1 = prove(*pk, in.witness);
  const auto p2 = prove(*pk, in.witness);
  ASSERT_TRUE(p1 && p2);
  EXPECT_TRUE(verify(vk, in.public_inputs(), *p1));
  EXPECT_TRUE(verify(vk, in.public_inputs(), *p2));
  EXPECT_FALSE(*p1 == *p2);  // zero knowledge: fresh r, s per proof
  // Two dev setups use independent secrets: a proof for one key fails under the other.
  const auto other = setup_dev(in.r1cs);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(verify(verification_key(*other), in.public_inputs(), *p1));
}

TEST(Groth16, ViolatedConstraintGivesProofThatFails) {
  std::mt19937_64 rng(test_seed("Groth16.Violated"));
  auto in = testing::power_chain(4, Fr::random(rng));
  const auto f = make_keys(in, rng);
  // Break only the middle constraint (x^2 * x = x^3) by changing the intermediate x^3.
  in.witness[4] += Fr::one();
  ASSERT_TRUE(in.r1cs.first_unsatisfied(in.witness).has_value());
  const auto proof = prove(f.pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  EXPECT_FALSE(verify(f.vk, in.public_inputs(), *proof));

  // A wrong public output with everything else honest also fails.
  auto in2 = testing::multi_public(fr(2), fr(5), fr(4), fr(3), fr(1));
  const auto f2 = make_keys(in2, rng);
  in2.witness[1] += Fr::one();
  const auto proof2 = prove(f2.pk, in2.witness);
  ASSERT_TRUE(proof2.has_value());
  EXPECT_FALSE(verify(f2.vk, in2.public_inputs(), *proof2));
}

TEST(Groth16, TamperedProofFails) {
  std::mt19937_64 rng(test_seed("Groth16.Tampered"));
  const auto in = testing::power_chain(3, Fr::random(rng));
  const auto f = make_keys(in, rng);
  const auto proof = prove(f.pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  const auto pub = in.public_inputs();
  ASSERT_TRUE(verify(f.vk, pub, *proof));

  const ec::G1 g1 = ec::G1::generator();
  const ec::G2 g2 = ec::G2::generator();
  auto p = *proof;
  p.a = (ec::G1(p.a) + g1).to_affine();
  EXPECT_FALSE(verify(f.vk, pub, p));
  p = *proof;
  p.b = (ec::G2(p.b) + g2).to_affine();
  EXPECT_FALSE(verify(f.vk, pub, p));
  p = *proof;
  p.c = (ec::G1(p.c) + g1).to_affine();
  EXPECT_FALSE(verify(f.vk, pub, p));
  p = *proof;
  p.a = -p.a;
  EXPECT_FALSE(verify(f.vk, pub, p));
  p = *proof;
  p.c = ec::G1Affine{};
  EXPECT_FALSE(verify(f.vk, pub, p));
  // A point off the curve is rejected before any pairing.
  p = *proof;
  p.a.y += ff::Fq::one();
  ASSERT_FALSE(p.a.is_on_curve());
  EXPECT_FALSE(verify(f.vk, pub, p));
  p = *proof;
  p.b.x.c0 += ff::Fq::one();
  ASSERT_FALSE(p.b.is_on_curve());
  EXPECT_FALSE(verify(f.vk, pub, p));
}

TEST(Groth16, WrongCountsAreRejected) {
  std::mt19937_64 rng(test_seed("Groth16.WrongCounts"));
  const auto in = testing::multi_public(fr(2), fr(5), fr(4), fr(3), fr(1));
  const auto f = make_keys(in, rng);
  auto short_w = in.witness;
  short_w.pop_back();
  EXPECT_FALSE(prove(f.pk, short_w).has_value());
  auto long_w = in.witness;
  long_w.push_back(Fr::one());
  EXPECT_FALSE(prove(f.pk, long_w).has_value());

  const auto proof = prove(f.pk, in.witness);
  ASSERT_TRUE(proof.has_value());
  auto pub = in.public_inputs();
  ASSERT_TRUE(verify(f.vk, pub, *proof));
  auto fewer = pub;
  fewer.pop_back();
  EXPECT_FALSE(verify(f.vk, fewer, *proof));
  auto more = pub;
  more.push_back(Fr::zero());
  EXPECT_FALSE(verify(f.vk, more, *proof));
  EXPECT_FALSE(verify(VerificationKey{}, {}, *proof));

  // An inconsistent key is refused by the prover.
  auto broken = f.pk;
  broken.h_g1.pop_back();
  EXPECT_FALSE(prove(broken, in.witness).has_value());
}

TEST(Groth16, SetupRejectsMalformedCircuits) {
  auto in = testing::power_chain(3, fr(2));
  auto bad_wire = in.r1cs;
  bad_wire.constraints[0].a.push_back({bad_wire.num_wires, Fr::one()});
  EXPECT_FALSE(setup_dev(bad_wire).has_value());
  auto too_many_public = in.r1cs;
  too_many_public.num_public_inputs = too_many_public.num_wires;
  EXPECT_FALSE(setup_dev(too_many_public).has_value());
  EXPECT_FALSE(setup_with_toxic_waste(in.r1cs, ToxicWaste{fr(2), fr(3), fr(4), Fr::zero(), fr(5)}).has_value());
  // tau on the 2n-domain would divide by zero in the Lagrange bases.
  EXPECT_FALSE(setup_with_toxic_waste(in.r1cs, ToxicWaste{root_of_unity(3), fr(3), fr(4), fr(6), fr(5)}).has_value());
}

/// The backend is pluggable: a wrapper that counts calls sees every kernel of one proof.
class CountingBackend final : public ProverBackend {
 public:
  const char* name() const noexcept override { return "counting"; }
  ec::G1 msm_g1(const MsmBases<ec::G1Config>& b, std::span<const ff::U256> s) override {
    ++g1_calls;
    return cpu_backend().msm_g1(b, s);
  }
  ec::G2 msm_g2(const MsmBases<ec::G2Config>& b, std::span<const ff::U256> s) override {
    ++g2_calls;
    return cpu_backend().msm_g2(b, s);
  }
  void ntt(std::span<Fr> v, bool inverse) override {
    ++ntt_calls;
    cpu_backend().ntt(v, inverse);
  }
  void coset_ntt(std::span<Fr> v, const Fr& shift, bool inverse) override {
    ++ntt_calls;
    cpu_backend().coset_ntt(v, shift, inverse);
  }
  int g1_calls = 0, g2_calls = 0, ntt_calls = 0;
};

TEST(Groth16, UsesTheGivenBackend) {
  std::mt19937_64 rng(test_seed("Groth16.Backend"));
  const auto in = testing::power_chain(5, Fr::random(rng));
  const auto f = make_keys(in, rng);
  CountingBackend backend;
  const auto proof = prove(f.pk, in.witness, backend);
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(verify(f.vk, in.public_inputs(), *proof));
  EXPECT_EQ(backend.g1_calls, 4);  // A, B1, C, H
  EXPECT_EQ(backend.g2_calls, 1);
  EXPECT_EQ(backend.ntt_calls, 6);
  EXPECT_STREQ(cpu_backend().name(), "cpu");
}

}  // namespace
}  // namespace zkamm::snark
