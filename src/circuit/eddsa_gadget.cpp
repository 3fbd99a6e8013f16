#include "circuit/eddsa_gadget.hpp"

#include "circuit/bits.hpp"
#include "circuit/poseidon_gadget.hpp"

namespace zkamm::circuit {

void eddsa_poseidon_verify(snark::ConstraintSystem& cs, const PointExpr& a, const Lc& msg,
                           const EddsaSignatureExpr& sig, const Lc& enabled) {
  assert_on_curve(cs, a);
  assert_on_curve(cs, sig.r8);

  // S < l: l < 2^251, so 251 bits and S <= l - 1.
  const std::vector<snark::Variable> s_bits = to_bits(cs, sig.s, 251);
  ff::U256 l_minus_1{};
  ff::sub_with_borrow(l_minus_1, ec::BabyJubScalarSpec::kModulus, ff::U256{1, 0, 0, 0});
  assert_bits_le_constant(cs, s_bits, l_minus_1);

  // Small-order keys let anyone forge (hm * 8A = O); small-order R8 would make the signature
  // malleable. On the curve, 8P lies in the prime-order subgroup, where x = 0 only at O.
  const PointExpr a8 = point_mul_cofactor(cs, a);
  assert_x_nonzero(cs, a8, enabled);
  const PointExpr r8_8 = point_mul_cofactor(cs, sig.r8);
  assert_x_nonzero(cs, r8_8, enabled);

  const Lc hm = poseidon_gadget(cs, {sig.r8.x, sig.r8.y, a.x, a.y, msg});
  const std::vector<snark::Variable> hm_bits = to_bits_strict(cs, hm);

  const PointExpr right = point_add(cs, sig.r8, scalar_mul(cs, hm_bits, a8));
  const PointExpr left = fixed_base_mul(cs, s_bits, ec::BabyJubAffine::base8());
  cs.enforce(left.x - right.x, enabled, {});
  cs.enforce(left.y - right.y, enabled, {});
}

}  // namespace zkamm::circuit
