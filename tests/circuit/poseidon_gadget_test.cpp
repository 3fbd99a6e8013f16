// The Poseidon gadget against the native hash (itself checked against circomlibjs in tests/hash)
// and against circomlibjs' published vector poseidon([1, 2]) (docs/TOOLING-NOTES, circomlibjs 0.1.7).
#include <gtest/gtest.h>

#include <vector>

#include "circuit/mutation_check.hpp"
#include "circuit/poseidon_gadget.hpp"
#include "common/seed.hpp"
#include "hash/poseidon.hpp"

namespace zkamm::circuit {
namespace {

using ff::Fr;
using snark::ConstraintSystem;
using snark::Variable;

struct PoseidonBuilt {
  ConstraintSystem cs;
  Lc out;
  std::vector<Variable> inputs;
};

PoseidonBuilt build_poseidon(const std::vector<Fr>& in, ConstraintSystem::Mode mode = ConstraintSystem::Mode::kFull) {
  PoseidonBuilt b{ConstraintSystem(mode), {}, {}};
  std::vector<Lc> lcs;
  for (const Fr& v : in) {
    b.inputs.push_back(b.cs.alloc(v));
    lcs.emplace_back(b.inputs.back());
  }
  b.out = poseidon_gadget(b.cs, lcs);
  return b;
}

TEST(PoseidonGadget, TwoInputsCost240LikeCircomlib) {
  const PoseidonBuilt b = build_poseidon({Fr::from_u64(1), Fr::from_u64(2)});
  EXPECT_EQ(b.cs.num_constraints(), 240u);
  EXPECT_EQ(poseidon_constraint_count(2), 240u);
  // circomlibjs 0.1.7: poseidon([1, 2]).
  EXPECT_EQ(b.cs.eval(b.out).to_decimal(),
            "7853200120776062878684798364095072458815029376092732009249414926327459813530");
  EXPECT_TRUE(b.cs.is_satisfied());
}

TEST(PoseidonGadget, EqualsNativeForEveryWidth) {
  auto rng = zkamm::testing::seeded_rng("PoseidonGadget.EqualsNativeForEveryWidth");
  for (size_t n = 1; n <= hash::kPoseidonMaxInputs; ++n) {
    std::vector<Fr> in(n);
    for (auto& v : in) v = Fr::random(rng);
    const PoseidonBuilt b = build_poseidon(in);
    EXPECT_EQ(b.cs.eval(b.out), hash::poseidon(in)) << "n = " << n;
    EXPECT_TRUE(b.cs.is_satisfied()) << "n = " << n;
    EXPECT_EQ(b.cs.num_constraints(), poseidon_constraint_count(n)) << "n = " << n;
    std::cout << "Poseidon(" << n << "): " << b.cs.num_constraints() << " constraints\n";

    // Witness-only mode allocates the same wires with the same values and counts the same.
    const PoseidonBuilt w = build_poseidon(in, ConstraintSystem::Mode::kWitnessOnly);
    ASSERT_EQ(w.cs.num_variables(), b.cs.num_variables());
    EXPECT_EQ(w.cs.num_constraints(), b.cs.num_constraints());
    for (uint32_t i = 0; i < b.cs.num_variables(); ++i) {
      ASSERT_EQ(w.cs.value(Variable{i}), b.cs.value(Variable{i})) << "n = " << n << " wire " << i;
    }
    EXPECT_EQ(w.cs.eval(w.out), hash::poseidon(in));
  }
}

TEST(PoseidonGadget, ConstantAndLinearInputs) {
  auto rng = zkamm::testing::seeded_rng("PoseidonGadget.ConstantAndLinearInputs", 1);
  const Fr a = Fr::random(rng), b = Fr::random(rng), c = Fr::random(rng);
  ConstraintSystem cs;
  const Variable va = cs.alloc(a);
  const Variable vb = cs.alloc(b);
  // Inputs: a constant, a + 3b (a combination), and a wire.
  const Lc out = poseidon_gadget(cs, {Lc::constant(c), Lc(va) + Lc(vb) * Fr::from_u64(3), Lc(vb)});
  EXPECT_EQ(cs.eval(out), hash::poseidon({c, a + b * Fr::from_u64(3), b}));
  EXPECT_TRUE(cs.is_satisfied());
  // The constant input's first-round S-box is folded, like the capacity's.
  EXPECT_EQ(cs.num_constraints(), poseidon_constraint_count(3) - 3);

  ConstraintSystem all_constant;
  const Lc k = poseidon_gadget(all_constant, {Lc::constant(a), Lc::constant(b)});
  EXPECT_EQ(all_constant.eval(k), hash::poseidon({a, b}));
  EXPECT_EQ(all_constant.num_constraints(), 0u);
}

TEST(PoseidonGadget, EveryTamperedWireIsCaught) {
  auto rng = zkamm::testing::seeded_rng("PoseidonGadget.EveryTamperedWireIsCaught", 2);
  PoseidonBuilt b = build_poseidon({Fr::random(rng), Fr::random(rng)});
  ASSERT_TRUE(b.cs.is_satisfied());
  // Every internal wire (all but the constant one and the two free inputs) is pinned down.
  for (uint32_t i = 3; i < b.cs.num_variables(); ++i) {
    const Variable v{i};
    const Fr saved = b.cs.value(v);
    b.cs.set_value(v, saved + Fr::one());
    EXPECT_FALSE(b.cs.is_satisfied()) << "wire " << i;
    b.cs.set_value(v, saved);
  }
  EXPECT_TRUE(find_free_wires(b.cs, 3, zkamm::testing::test_seed()).free_wires.empty());
}

}  // namespace
}  // namespace zkamm::circuit
