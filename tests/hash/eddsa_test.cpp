#include "hash/eddsa.hpp"

#include <gtest/gtest.h>

#include "hash/circomlib_oracle.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::hash {

using ec::BabyJubAffine;
using ec::BabyJubScalarSpec;
using ff::Fr;
using ff::U256;
using testing::oracle;
using testing::point;

void testing::check_EddsaOracle_SameKeysAndSignaturesAsCircomlibjs(const testing::OracleRun& o) {
  const auto& want = o.answer["sign"];
  ASSERT_EQ(want.size(), o.sign_inputs.size());
  for (size_t i = 0; i < want.size(); ++i) {
    const auto& [prv, msg] = o.sign_inputs[i];
    EXPECT_EQ(eddsa_public_key(prv), point(want[i]["A"])) << "case " << i << " seed " << o.seed;
    const EddsaSignature& sig = o.our_signatures[i];
    EXPECT_EQ(sig.r8, point(want[i]["R8"])) << "case " << i;
    EXPECT_EQ(ff::to_decimal(sig.s), want[i]["S"].get<std::string>()) << "case " << i;
    const auto packed = pack_signature(sig);
    EXPECT_EQ(testing::to_hex(packed.data(), 64), want[i]["packed"].get<std::string>()) << "case " << i;
  }
}

void testing::check_EddsaOracle_CircomlibjsAcceptsOurSignatures(const testing::OracleRun& o) {
  const auto& want = o.answer["verify"];
  ASSERT_EQ(want.size(), o.our_signatures.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_TRUE(want[i].get<bool>()) << "case " << i;
}

void testing::check_EddsaOracle_WeAcceptCircomlibjsSignatures(const testing::OracleRun& o) {
  const auto& want = o.answer["sign"];
  for (size_t i = 0; i < want.size(); ++i) {
    const EddsaSignature sig{point(want[i]["R8"]), *ff::parse_u256(want[i]["S"].get<std::string>())};
    EXPECT_TRUE(eddsa_verify_poseidon(point(want[i]["A"]), o.sign_inputs[i].second, sig)) << "case " << i;
    // and the packed form round-trips
    std::array<uint8_t, 64> packed{};
    const std::string h = want[i]["packed"].get<std::string>();
    for (size_t k = 0; k < 64; ++k) packed[k] = static_cast<uint8_t>(std::stoi(h.substr(2 * k, 2), nullptr, 16));
    const auto unpacked = unpack_signature(packed.data());
    ASSERT_TRUE(unpacked.has_value());
    EXPECT_EQ(*unpacked, sig);
  }
}

namespace {

// Self-generated fixture for the negative tests: one valid signature.
struct Fixture {
  PrivateKey prv{};
  Fr msg = Fr::from_u64(123456789);
  BabyJubAffine a;
  EddsaSignature sig;
  Fixture() {
    for (size_t i = 0; i < prv.size(); ++i) prv[i] = static_cast<uint8_t>(i * 7 + 1);
    a = eddsa_public_key(prv);
    sig = eddsa_sign_poseidon(prv, msg);
  }
};

// The eight points of order dividing 8: l * Generator has order 8, its multiples are the rest.
std::vector<BabyJubAffine> small_order_points() {
  const BabyJubAffine t8 = ec::mul(BabyJubAffine::generator(), BabyJubScalarSpec::kModulus);
  std::vector<BabyJubAffine> out;
  for (uint64_t k = 0; k < 8; ++k) out.push_back(ec::mul(t8, U256{k, 0, 0, 0}));
  return out;
}

}  // namespace

TEST(Eddsa, ValidSignatureVerifies) {
  const Fixture f;
  EXPECT_TRUE(eddsa_verify_poseidon(f.a, f.msg, f.sig));
}

TEST(Eddsa, RejectsOtherMessage) {
  const Fixture f;
  EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg + Fr::one(), f.sig));
}

TEST(Eddsa, RejectsOtherKey) {
  const Fixture f;
  PrivateKey other = f.prv;
  other[0] ^= 1;
  EXPECT_FALSE(eddsa_verify_poseidon(eddsa_public_key(other), f.msg, f.sig));
}

TEST(Eddsa, RejectsSPlusL) {
  // S + l satisfies the group equation (Base8 has order l) but is not canonical: malleability.
  const Fixture f;
  EddsaSignature bad = f.sig;
  ASSERT_EQ(ff::add_with_carry(bad.s, f.sig.s, BabyJubScalarSpec::kModulus), 0u);
  EXPECT_TRUE(ec::mul_base8(bad.s) == ec::mul_base8(f.sig.s));
  EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg, bad));
  bad.s = BabyJubScalarSpec::kModulus;
  EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg, bad));
}

TEST(Eddsa, RejectsPointsOffCurve) {
  const Fixture f;
  EddsaSignature bad = f.sig;
  bad.r8.y += Fr::one();
  ASSERT_FALSE(bad.r8.is_on_curve());
  EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg, bad));
  BabyJubAffine bad_a = f.a;
  bad_a.x += Fr::one();
  ASSERT_FALSE(bad_a.is_on_curve());
  EXPECT_FALSE(eddsa_verify_poseidon(bad_a, f.msg, f.sig));
}

TEST(Eddsa, RejectsSmallOrderPoints) {
  const Fixture f;
  for (const auto& t : small_order_points()) {
    ASSERT_TRUE(t.has_small_order());
    // A of small order: with S = r (no key term) the equation Base8*S == R8 + 8*hm*A would hold.
    EXPECT_FALSE(eddsa_verify_poseidon(t, f.msg, f.sig));
    EddsaSignature bad = f.sig;
    bad.r8 = t;
    EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg, bad));
  }
  // The forgery that small-order A enables in circomlibjs: A = identity, R8 = Base8*S.
  const EddsaSignature forged{ec::mul_base8(U256{42, 0, 0, 0}).to_affine(), U256{42, 0, 0, 0}};
  EXPECT_FALSE(eddsa_verify_poseidon(BabyJubAffine::identity(), f.msg, forged));
}

TEST(Eddsa, TorsionComponentInRIsRejectedOnlyWhenSmallOrder) {
  // R8 + T (T of order 8, not identity) is on the curve, not small order, and breaks the equation.
  const Fixture f;
  EddsaSignature bad = f.sig;
  bad.r8 = ec::add(f.sig.r8, small_order_points()[1]);
  EXPECT_FALSE(eddsa_verify_poseidon(f.a, f.msg, bad));
}

TEST(Eddsa, UnpackSignatureRejectsNonCanonicalS) {
  const Fixture f;
  auto packed = pack_signature(f.sig);
  ASSERT_TRUE(unpack_signature(packed.data()).has_value());
  U256 s_plus_l{};
  ff::add_with_carry(s_plus_l, f.sig.s, BabyJubScalarSpec::kModulus);
  ff::to_bytes_le(s_plus_l, packed.data() + 32);
  EXPECT_FALSE(unpack_signature(packed.data()).has_value());
}

}  // namespace zkamm::hash
