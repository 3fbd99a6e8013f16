#pragma once
// BN254 G1: y^2 = x^3 + 3 over Fq, generator (1, 2), prime order r (cofactor 1), as in EIP-196.
#include "ec/short_weierstrass.hpp"

namespace zkamm::ec {

struct G1Config {
  using Field = Fq;
  static constexpr Fq b() noexcept { return Fq::from_canonical_unchecked(U256{3, 0, 0, 0}); }
  static constexpr Fq generator_x() noexcept { return Fq::from_canonical_unchecked(U256{1, 0, 0, 0}); }
  static constexpr Fq generator_y() noexcept { return Fq::from_canonical_unchecked(U256{2, 0, 0, 0}); }
  /// Cofactor 1: every point on the curve is in the subgroup.
  static constexpr bool in_subgroup(const AffinePoint<G1Config>&) noexcept { return true; }
};

using G1Affine = AffinePoint<G1Config>;
using G1 = JacobianPoint<G1Config>;

}  // namespace zkamm::ec
