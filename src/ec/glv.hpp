#pragma once
// The GLV endomorphism of BN254 (R. Gallant, R. Lambert, S. Vanstone, "Faster point
// multiplication on elliptic curves with efficient endomorphisms", CRYPTO 2001): both curves
// y^2 = x^3 + b have the order-3 automorphism (x, y) -> (beta x, y), beta a primitive cube root
// of unity in Fq, which acts on the order-r subgroup as multiplication by lambda, a cube root of
// unity in Fr. So k P = k1 P + k2 phi(P) with k = k1 + k2 lambda (mod r), and k1, k2 of about
// half of r's length: an MSM over 2n points with 127-bit scalars instead of n with 254-bit ones.
//
// Constants (all checked by tests/ec/glv_test.cpp: lambda^2 + lambda + 1 = 0 mod r, beta^3 = 1
// mod q, [lambda] P == phi(P) on random points of G1 and G2, the basis vectors in the lattice):
//   lambda = 36 x^3 + 18 x^2 + 6 x + 1 with x = 4965661367192848881 the BN parameter (the same
//     value as gnark-crypto's lambdaGLV for bn254);
//   beta   = the cube root of unity in Fq with [lambda] P = (beta x, y) on G1 (gnark-crypto's
//     thirdRootOneG1); on G2 (the twist, over Fq2) the same lambda is (beta^2 x, y);
//   the short lattice basis of {(a, b): a + b lambda = 0 mod r} from the extended Euclidean
//     algorithm on (r, lambda) (GLV section 4): v1 = (2x + 1, -(6x^2 + 2x)),
//     v2 = (6x^2 + 4x + 1, 2x + 1), det = r;
//   Babai rounding with precomputed g1 = round(2^256 b2 / r), g2 = round(2^256 (-b1) / r), as
//     libsecp256k1's scalar split: c_i = round(k g_i / 2^256) is within 1 of the exact
//     coefficient, so |k1| < |a1| + |a2| < 2^127 and |k2| < |b1| + |b2| < 2^127.
#include "ec/g1.hpp"
#include "ec/g2.hpp"

namespace zkamm::ec {

/// lambda (plain, not Montgomery) < r: [lambda] P = glv_endo(P) for P in G1 or G2.
inline constexpr U256 kGlvLambda{0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL, 0xb3c4d79d41a91758ULL, 0};
/// Bits of |k1| and |k2| (glv_split): both below 2^127.
inline constexpr unsigned kGlvHalfBits = 127;

/// k = s1 k1 + s2 k2 lambda (mod r), s_i = -1 when neg_i, else 1.
struct GlvSplit {
  U256 k1{}, k2{};  // magnitudes < 2^127
  bool neg1 = false, neg2 = false;
};

/// Splits k < r (the bounds above need k < r).
GlvSplit glv_split(const U256& k) noexcept;

/// beta (the cube root of unity for G1; G2 uses beta^2), a compile-time constant.
inline constexpr Fq kGlvBeta = Fq::from_canonical_unchecked(
    U256{0x5763473177fffffeULL, 0xd4f263f1acdb5c4fULL, 0x59e26bcea0d48bacULL, 0});
/// beta^2 = -1 - beta.
inline constexpr Fq kGlvBetaSquared = Fq::from_canonical_unchecked(
    U256{0xe4bd44e5607cfd48ULL, 0xc28f069fbb966e3dULL, 0x5e6dd9e7e0acccb0ULL, 0x30644e72e131a029ULL});

/// phi(P) = [lambda] P: (beta x, y) on G1.
inline G1Affine glv_endo(const G1Affine& p) noexcept {
  if (p.infinity) return p;
  return G1Affine{p.x * kGlvBeta, p.y};
}
/// phi(Q) = [lambda] Q: (beta^2 x, y) on G2 (beta^2 = -1 - beta).
inline G2Affine glv_endo(const G2Affine& q) noexcept {
  if (q.infinity) return q;
  return G2Affine{Fq2{q.x.c0 * kGlvBetaSquared, q.x.c1 * kGlvBetaSquared}, q.y};
}

}  // namespace zkamm::ec
