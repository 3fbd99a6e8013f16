// Baby Jubjub and EdDSA-Poseidon gadgets against the native curve/signature code (tests/ec,
// tests/hash) and against signatures made by circomlibjs 0.1.7 (through the hash tests' oracle
// script tests/hash/oracles/circomlib_oracle.mjs). Negative cases build witnesses that break one
// rule each and check that the system is unsatisfiable.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "circuit/babyjubjub_gadget.hpp"
#include "circuit/bits.hpp"
#include "circuit/eddsa_gadget.hpp"
#include "circuit/mutation_check.hpp"
#include "common/process.hpp"
#include "common/seed.hpp"
#include "hash/eddsa.hpp"
#include "hash/poseidon.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::circuit {
namespace {

using ec::BabyJubAffine;
using ec::BabyJubScalar;
using ff::Fr;
using ff::U256;
using snark::ConstraintSystem;
using snark::Variable;

U256 random_u256(std::mt19937_64& rng, unsigned bits) {
  U256 v{rng(), rng(), rng(), rng()};
  for (unsigned i = bits; i < 256; ++i) v[i / 64] &= ~(uint64_t{1} << (i % 64));
  return v;
}

BabyJubAffine random_point(std::mt19937_64& rng) { return ec::mul_base8(random_u256(rng, 250)).to_affine(); }

/// The order-8 point l * Generator (Generator has order 8l).
BabyJubAffine torsion8() { return ec::mul(BabyJubAffine::generator(), ec::BabyJubScalarSpec::kModulus); }

std::vector<Variable> alloc_bits(ConstraintSystem& cs, const U256& v, unsigned n) {
  std::vector<Variable> bits;
  for (unsigned i = 0; i < n; ++i) bits.push_back(alloc_bit(cs, ff::test_bit(v, i)));
  return bits;
}

Fr fr_reduced(const U256& v) { return Fr::from_u256_reduced(v); }

TEST(BabyJubjubGadget, PointOperationsEqualNative) {
  auto rng = zkamm::testing::seeded_rng("BabyJubjubGadget.PointOperationsEqualNative");
  const BabyJubAffine t8 = torsion8();
  ASSERT_TRUE(t8.has_small_order());
  ASSERT_FALSE(t8.is_identity());
  for (int iter = 0; iter < 4; ++iter) {
    // Random subgroup points, plus torsion and identity cases for completeness of the formulas.
    BabyJubAffine p = random_point(rng);
    BabyJubAffine q = iter == 1 ? t8 : iter == 2 ? BabyJubAffine::identity() : random_point(rng);
    if (iter == 3) q = p;
    ConstraintSystem cs;
    const PointExpr pe = alloc_point(cs, p);
    const PointExpr qe = alloc_point(cs, q);
    assert_on_curve(cs, pe);
    assert_on_curve(cs, qe);
    size_t before = cs.num_constraints();
    const PointExpr sum = point_add(cs, pe, qe);
    EXPECT_EQ(cs.num_constraints() - before, 6u);
    before = cs.num_constraints();
    const PointExpr dbl = point_double(cs, qe);
    EXPECT_EQ(cs.num_constraints() - before, 5u);
    EXPECT_EQ(point_value(cs, sum), ec::add(p, q));
    EXPECT_EQ(point_value(cs, dbl), ec::add(q, q));
    EXPECT_EQ(point_value(cs, point_mul_cofactor(cs, pe)), ec::mul(p, U256{8, 0, 0, 0}));

    const U256 k = random_u256(rng, 254);
    const PointExpr kq = scalar_mul(cs, alloc_bits(cs, k, 254), qe);
    EXPECT_EQ(point_value(cs, kq), ec::mul(q, k));
    const U256 k_odd = random_u256(rng, 7);
    EXPECT_EQ(point_value(cs, scalar_mul(cs, alloc_bits(cs, k_odd, 7), pe)), ec::mul(p, k_odd));

    const U256 s = random_u256(rng, 251);
    const PointExpr sb = fixed_base_mul(cs, alloc_bits(cs, s, 251), BabyJubAffine::base8());
    EXPECT_EQ(point_value(cs, sb), ec::mul_base8(s).to_affine());
    EXPECT_TRUE(cs.is_satisfied());
  }
}

TEST(BabyJubjubGadget, OffCurvePointIsRejected) {
  auto rng = zkamm::testing::seeded_rng("BabyJubjubGadget.OffCurvePointIsRejected", 1);
  BabyJubAffine p = random_point(rng);
  p.y += Fr::one();
  ConstraintSystem cs;
  assert_on_curve(cs, alloc_point(cs, p));
  EXPECT_FALSE(cs.is_satisfied());
}

TEST(BabyJubjubGadget, ScalarMulCost) {
  ConstraintSystem cs;
  const PointExpr p = alloc_point(cs, BabyJubAffine::base8());
  std::vector<Variable> bits(254, Variable{0});
  size_t before = cs.num_constraints();
  (void)scalar_mul(cs, bits, p);
  std::cout << "scalar_mul(254 bits): " << cs.num_constraints() - before << " constraints\n";
  EXPECT_EQ(cs.num_constraints() - before, 11u + 6u + 126u * 22u);
  before = cs.num_constraints();
  (void)fixed_base_mul(cs, std::span<const Variable>(bits.data(), 251), BabyJubAffine::base8());
  std::cout << "fixed_base_mul(251 bits): " << cs.num_constraints() - before << " constraints\n";
  EXPECT_EQ(cs.num_constraints() - before, 83u * 3u + 1u + 83u * 6u);
}

struct SignedMessage {
  BabyJubAffine a;
  Fr msg;
  BabyJubAffine r8;
  Fr s;  // as a field element, so that tests can put S + l here
};

struct Verified {
  ConstraintSystem cs;
  size_t constraints = 0;
};

/// Builds the verifier over fresh wires holding m (enabled = 1 unless given).
std::unique_ptr<Verified> build(const SignedMessage& m, ConstraintSystem::Mode mode = ConstraintSystem::Mode::kFull,
                                std::optional<bool> enabled = std::nullopt) {
  auto v = std::make_unique<Verified>(Verified{ConstraintSystem(mode), 0});
  ConstraintSystem& cs = v->cs;
  const PointExpr a = alloc_point(cs, m.a);
  const Lc msg = cs.alloc(m.msg);
  const PointExpr r8 = alloc_point(cs, m.r8);
  const Lc s = cs.alloc(m.s);
  Lc en = Lc::constant(1);
  if (enabled) en = alloc_bit(cs, *enabled);
  const size_t before = cs.num_constraints();
  eddsa_poseidon_verify(cs, a, msg, {r8, s}, en);
  v->constraints = cs.num_constraints() - before;
  return v;
}

/// Indices of all violated constraints.
std::vector<size_t> violated(const ConstraintSystem& cs) {
  const snark::R1cs r1cs = cs.to_r1cs();
  const std::vector<Fr> w = cs.witness();
  std::vector<size_t> out;
  for (size_t i = 0; i < r1cs.constraints.size(); ++i) {
    const auto& c = r1cs.constraints[i];
    if (snark::evaluate(c.a, w) * snark::evaluate(c.b, w) != snark::evaluate(c.c, w)) out.push_back(i);
  }
  return out;
}

SignedMessage sign_native(const hash::PrivateKey& prv, const Fr& msg) {
  const hash::EddsaSignature sig = hash::eddsa_sign_poseidon(prv, msg);
  return {hash::eddsa_public_key(prv), msg, sig.r8, fr_reduced(sig.s)};
}

hash::PrivateKey random_key(std::mt19937_64& rng) {
  hash::PrivateKey k{};
  for (auto& b : k) b = static_cast<uint8_t>(rng());
  return k;
}

std::string hex(const hash::PrivateKey& k) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : k) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

/// Runs circomlibjs' signPoseidon through the hash tests' oracle script.
nlohmann::json circomlib_sign(const std::vector<std::pair<hash::PrivateKey, Fr>>& inputs) {
  nlohmann::json req;
  req["sign"] = nlohmann::json::array();
  for (const auto& [prv, msg] : inputs) req["sign"].push_back({{"prv", hex(prv)}, {"msg", msg.to_decimal()}});
  const auto run =
      zkamm::testing::run_node_oracle(std::string(ZKAMM_SOURCE_DIR) + "/tests/hash/oracles/circomlib_oracle.mjs", req);
  if (!run.ok()) return {};
  return run.answer;
}

Fr dec(const nlohmann::json& j) { return *Fr::from_decimal(j.get<std::string>()); }

TEST(EddsaGadget, CircomlibjsSignaturesVerify) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.CircomlibjsSignaturesVerify", 2);
  std::vector<std::pair<hash::PrivateKey, Fr>> inputs;
  for (int i = 0; i < 3; ++i) inputs.emplace_back(random_key(rng), Fr::random(rng));
  const nlohmann::json answer = circomlib_sign(inputs);
  ASSERT_TRUE(answer.contains("sign")) << "circomlibjs oracle failed (node, " ZKAMM_SOURCE_DIR "/node_modules)";
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto& j = answer["sign"][i];
    const SignedMessage m{{dec(j["A"][0]), dec(j["A"][1])}, inputs[i].second, {dec(j["R8"][0]), dec(j["R8"][1])},
                          dec(j["S"])};
    auto v = build(m);
    EXPECT_TRUE(v->cs.is_satisfied()) << "signature " << i;
    if (i == 0) std::cout << "EdDSA-Poseidon verify: " << v->constraints << " constraints\n";
    // Witness-only mode: same wires, same values.
    auto w = build(m, ConstraintSystem::Mode::kWitnessOnly);
    ASSERT_EQ(w->cs.num_variables(), v->cs.num_variables());
    EXPECT_EQ(w->cs.num_constraints(), v->cs.num_constraints());
    for (uint32_t k = 0; k < v->cs.num_variables(); ++k) ASSERT_EQ(w->cs.value(Variable{k}), v->cs.value(Variable{k}));
  }
}

TEST(EddsaGadget, NativeSignaturesVerify) {  // self-generated (hash::eddsa_sign_poseidon)
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.NativeSignaturesVerify", 3);
  const SignedMessage m = sign_native(random_key(rng), Fr::random(rng));
  auto v = build(m);
  EXPECT_TRUE(v->cs.is_satisfied());
  // No wire after the six inputs is free.
  const FreeWireReport report = find_free_wires(v->cs, 7, zkamm::testing::test_seed());
  EXPECT_TRUE(report.free_wires.empty()) << report.free_wires.size() << " free wires, first " << report.free_wires.front();
}

TEST(EddsaGadget, SPlusLIsRejectedByTheRangeCheckAlone) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.SPlusLIsRejectedByTheRangeCheckAlone", 4);
  // A signature whose S + l still fits in 251 bits, so that only S < l can reject it.
  const Fr l = fr_reduced(ec::BabyJubScalarSpec::kModulus);
  const U256 two251{0, 0, 0, uint64_t{1} << 59};
  SignedMessage m;
  do {
    m = sign_native(random_key(rng), Fr::random(rng));
  } while (!ff::less_than((m.s + l).to_canonical(), two251));
  ASSERT_TRUE(build(m)->cs.is_satisfied());
  m.s += l;  // S + l: the same point S * Base8, an alias circomlib's Num2Bits alone would accept
  auto v = build(m);
  const std::vector<size_t> bad = violated(v->cs);
  ASSERT_FALSE(bad.empty());
  // The failures all lie in the comparison with l - 1, which follows the two on-curve checks
  // (6 constraints) and the 251-bit decomposition of S (252), at the start of the verifier.
  ConstraintSystem scratch;
  const auto bits = to_bits(scratch, scratch.alloc(Fr{}), 251);
  const size_t before = scratch.num_constraints();
  U256 l1{};
  ff::sub_with_borrow(l1, ec::BabyJubScalarSpec::kModulus, U256{1, 0, 0, 0});
  assert_bits_le_constant(scratch, bits, l1);
  const size_t cmp = scratch.num_constraints() - before;
  for (size_t i : bad) {
    EXPECT_GE(i, 6u + 252u);
    EXPECT_LT(i, 6u + 252u + cmp);
  }
}

TEST(EddsaGadget, OtherMessageIsRejected) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.OtherMessageIsRejected", 5);
  SignedMessage m = sign_native(random_key(rng), Fr::random(rng));
  m.msg += Fr::one();
  EXPECT_FALSE(build(m)->cs.is_satisfied());
  // With enabled = 0 the verifier lets the slot through (padding); enabled = 1 rejects.
  EXPECT_TRUE(build(m, ConstraintSystem::Mode::kFull, false)->cs.is_satisfied());
  EXPECT_FALSE(build(m, ConstraintSystem::Mode::kFull, true)->cs.is_satisfied());
}

TEST(EddsaGadget, KeyOffTheCurveIsRejected) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.KeyOffTheCurveIsRejected", 6);
  SignedMessage m = sign_native(random_key(rng), Fr::random(rng));
  m.a.x += Fr::one();
  EXPECT_FALSE(build(m)->cs.is_satisfied());
  m = sign_native(random_key(rng), Fr::random(rng));
  m.r8.y += Fr::one();
  EXPECT_FALSE(build(m)->cs.is_satisfied());
}

TEST(EddsaGadget, SmallOrderKeyIsRejected) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.SmallOrderKeyIsRejected", 7);
  // With 8A = O the equation reads S * Base8 == R8: anyone can "sign" any message.
  for (const BabyJubAffine& a : {torsion8(), BabyJubAffine::identity(), BabyJubAffine{Fr::zero(), -Fr::one()}}) {
    const U256 s = random_u256(rng, 250);
    const SignedMessage m{a, Fr::random(rng), ec::mul_base8(s).to_affine(), fr_reduced(s)};
    auto v = build(m);
    const std::vector<size_t> bad = violated(v->cs);
    EXPECT_EQ(bad.size(), 1u);  // only the 8A != O check
    // Disabled (padding) slots skip the check.
    EXPECT_TRUE(build(m, ConstraintSystem::Mode::kFull, false)->cs.is_satisfied());
  }
}

TEST(EddsaGadget, SmallOrderR8IsRejected) {
  auto rng = zkamm::testing::seeded_rng("EddsaGadget.SmallOrderR8IsRejected", 8);
  // R8 = O with S = 8 * hm * a (mod l) satisfies S * Base8 == R8 + hm * 8A for A = a * Base8.
  const U256 secret = random_u256(rng, 240);
  const BabyJubAffine a = ec::mul_base8(secret).to_affine();
  const BabyJubAffine r8 = BabyJubAffine::identity();
  const Fr msg = Fr::random(rng);
  const Fr hm = hash::poseidon({r8.x, r8.y, a.x, a.y, msg});
  const BabyJubScalar s = BabyJubScalar::from_u256_reduced(hm.to_canonical()) * BabyJubScalar::from_u64(8) *
                          BabyJubScalar::from_u256_reduced(secret);
  const SignedMessage m{a, msg, r8, fr_reduced(s.to_canonical())};
  auto v = build(m);
  EXPECT_EQ(violated(v->cs).size(), 1u);  // only the 8R8 != O check
  // An order-8 R8 can never satisfy the equation (its left side lies in the subgroup).
  SignedMessage t = m;
  t.r8 = torsion8();
  EXPECT_FALSE(build(t)->cs.is_satisfied());
}

}  // namespace
}  // namespace zkamm::circuit
