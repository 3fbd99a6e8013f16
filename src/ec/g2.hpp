#pragma once
// BN254 G2: the sextic D-twist y^2 = x^3 + 3 / (9 + u) over Fq2, generator from EIP-197
// (https://eips.ethereum.org/EIPS/eip-197), subgroup of prime order r.
#include "ec/short_weierstrass.hpp"
#include "ff/fq12.hpp"
#include "ff/fq2.hpp"

namespace zkamm::ec {

using ff::Fq2;

struct G2Config {
  using Field = Fq2;
  /// b' = 3 / (9 + u) = (27 - 3u) / 82 (checked in tests: b' * xi == 3).
  static constexpr Fq2 b() noexcept {
    return Fq2{Fq::from_canonical_unchecked(
                   U256{0x3267e6dc24a138e5ULL, 0xb5b4c5e559dbefa3ULL, 0x81be18991be06ac3ULL, 0x2b149d40ceb8aaaeULL}),
               Fq::from_canonical_unchecked(
                   U256{0xe4a2bd0685c315d2ULL, 0xa74fa084e52d1852ULL, 0xcd2cafadeed8fdf4ULL, 0x009713b03af0fed4ULL})};
  }
  static constexpr Fq2 generator_x() noexcept {
    return Fq2{Fq::from_canonical_unchecked(
                   U256{0x46debd5cd992f6edULL, 0x674322d4f75edaddULL, 0x426a00665e5c4479ULL, 0x1800deef121f1e76ULL}),
               Fq::from_canonical_unchecked(
                   U256{0x97e485b7aef312c2ULL, 0xf1aa493335a9e712ULL, 0x7260bfb731fb5d25ULL, 0x198e9393920d483aULL})};
  }
  static constexpr Fq2 generator_y() noexcept {
    return Fq2{Fq::from_canonical_unchecked(
                   U256{0x4ce6cc0166fa7daaULL, 0xe3d1e7690c43d37bULL, 0x4aab71808dcb408fULL, 0x12c85ea5db8c6debULL}),
               Fq::from_canonical_unchecked(
                   U256{0x55acdadcd122975bULL, 0xbc4b313370b38ef3ULL, 0xec9e99ad690c3395ULL, 0x090689d0585ff075ULL})};
  }
  /// p on the twist; true when p has order r.
  static bool in_subgroup(const AffinePoint<G2Config>& p) noexcept;
};

using G2Affine = AffinePoint<G2Config>;
using G2 = JacobianPoint<G2Config>;

/// psi(Q) = twist o Frobenius o untwist: (conj(x) xi^((q-1)/3), conj(y) xi^((q-1)/2)).
inline G2Affine g2_psi(const G2Affine& q) noexcept {
  if (q.infinity) return q;
  const auto& g = ff::detail::frobenius_table().gamma[0];
  return G2Affine{q.x.conjugate() * g[2], q.y.conjugate() * g[3]};
}

/// Membership by the endomorphism test psi(Q) == [6x^2] Q, x = 4965661367192848881 the BN
/// parameter (Scott, "A note on group membership tests for G1, G2 and GT on BLS pairing-friendly
/// curves", ePrint 2021/1130, sec. 4 for BN curves; El Housni, Guillevic, Piellard, ePrint
/// 2022/352). Tests cross-check it against [r] Q == O.
inline bool G2Config::in_subgroup(const AffinePoint<G2Config>& p) noexcept {
  constexpr U256 kSixXSquared{0xf83e9682e87cfd46ULL, 0x6f4d8248eeb859fbULL, 0, 0};
  return G2(g2_psi(p)) == G2(p).mul(kSixXSquared);
}

}  // namespace zkamm::ec
