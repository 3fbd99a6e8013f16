#pragma once
// Host-side conversions between the project's ff::/ec:: types and the CUDA backend's device
// types (cuda/field.hpp, cuda/curve.hpp). Both sides use Montgomery form with R = 2^256 and
// little-endian limbs, so field elements are copied bit for bit.
#include <cstring>

#include "cuda/curve.hpp"
#include "ec/g1.hpp"
#include "ec/g2.hpp"
#include "ff/fq2.hpp"

namespace zkamm::cuda {

static_assert(sizeof(Fq) == sizeof(ff::U256) && sizeof(Fr) == sizeof(ff::U256) && sizeof(Fq2) == 2 * sizeof(Fq));

inline Fq to_dev(const ff::Fq& x) {
  Fq r;
  std::memcpy(r.l, x.raw().data(), sizeof r.l);
  return r;
}
inline Fr to_dev(const ff::Fr& x) {
  Fr r;
  std::memcpy(r.l, x.raw().data(), sizeof r.l);
  return r;
}
inline Fq2 to_dev(const ff::Fq2& x) { return Fq2{to_dev(x.c0), to_dev(x.c1)}; }

inline ff::Fq to_host(const Fq& x) {
  ff::U256 v;
  std::memcpy(v.data(), x.l, sizeof x.l);
  return ff::Fq::from_raw(v);
}
inline ff::Fr to_host(const Fr& x) {
  ff::U256 v;
  std::memcpy(v.data(), x.l, sizeof x.l);
  return ff::Fr::from_raw(v);
}
inline ff::Fq2 to_host(const Fq2& x) { return ff::Fq2{to_host(x.c0), to_host(x.c1)}; }

inline G1AffineD to_dev(const ec::G1Affine& p) {
  if (p.infinity) return G1AffineD{Fq::zero(), Fq::zero()};
  return G1AffineD{to_dev(p.x), to_dev(p.y)};
}
inline G2AffineD to_dev(const ec::G2Affine& p) {
  if (p.infinity) return G2AffineD{Fq2::zero(), Fq2::zero()};
  return G2AffineD{to_dev(p.x), to_dev(p.y)};
}

/// XYZZ -> Jacobian without an inversion: with Z = ZZ * ZZZ, X = X_xyzz * ZZ * ZZZ^2 and
/// Y = Y_xyzz * ZZZ^4 (using ZZ^3 = ZZZ^2).
template <class Jac, class F>
Jac xyzz_to_jacobian(const Xyzz<F>& p) {
  if (p.is_identity()) return Jac::identity();
  const auto zz = to_host(p.zz);
  const auto zzz = to_host(p.zzz);
  const auto zzz2 = zzz.square();
  return Jac{to_host(p.x) * zz * zzz2, to_host(p.y) * zzz2.square(), zz * zzz};
}
inline ec::G1 to_host(const G1Xyzz& p) { return xyzz_to_jacobian<ec::G1>(p); }
inline ec::G2 to_host(const G2Xyzz& p) { return xyzz_to_jacobian<ec::G2>(p); }

/// Jacobian -> XYZZ: ZZ = Z^2, ZZZ = Z^3.
inline G1Xyzz to_dev(const ec::G1& p) {
  if (p.is_identity()) return G1Xyzz::identity();
  const auto z2 = p.z.square();
  return G1Xyzz{to_dev(p.x), to_dev(p.y), to_dev(z2), to_dev(z2 * p.z)};
}
inline G2Xyzz to_dev(const ec::G2& p) {
  if (p.is_identity()) return G2Xyzz::identity();
  const auto z2 = p.z.square();
  return G2Xyzz{to_dev(p.x), to_dev(p.y), to_dev(z2), to_dev(z2 * p.z)};
}

}  // namespace zkamm::cuda
