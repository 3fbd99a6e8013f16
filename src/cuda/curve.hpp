#pragma once
// Points of BN254's G1 (over Fq) and G2 (over Fq2) for the CUDA backend, y^2 = x^3 + b (a = 0).
// Buckets and sums are kept in XYZZ coordinates (x = X/ZZ, y = Y/ZZZ, ZZ^3 = ZZZ^2): a mixed
// addition costs 8M + 2S and needs no inversion. Formulas from the Explicit-Formulas Database
// (hyperelliptic.org/EFD, g1p/shortw-xyzz): add-2008-s, madd-2008-s, dbl-2008-s-1, mdbl-2008-s-1,
// made complete by branching on the identity, equal points and opposite points.
//
// The same templates serve both groups (F = Fq or Fq2) on the host and the device; the CPU tests
// (tests/cuda/curve_test.cpp) check them against ec::G1 and ec::G2.
#include "cuda/field.hpp"

namespace zkamm::cuda {

/// An affine point as the device stores the proving key's bases. The identity is (0, 0), which
/// is on neither curve (b != 0), so no flag is needed.
template <class F>
struct Affine {
  F x, y;
  ZKAMM_HD bool is_identity() const { return x.is_zero() && y.is_zero(); }
  ZKAMM_HD Affine neg() const { return Affine{x, -y}; }
};

template <class F>
struct Xyzz {
  F x, y, zz, zzz;  // the identity has zz == 0

  ZKAMM_HD static Xyzz identity() { return Xyzz{F::one(), F::one(), F::zero(), F::zero()}; }
  ZKAMM_HD static Xyzz from_affine(const Affine<F>& a) {
    if (a.is_identity()) return identity();
    return Xyzz{a.x, a.y, F::one(), F::one()};
  }
  ZKAMM_HD bool is_identity() const { return zz.is_zero(); }

  ZKAMM_HD Xyzz neg() const { return Xyzz{x, -y, zz, zzz}; }

  /// dbl-2008-s-1 with a = 0: 2M + 5S... (U = 2Y, V = U^2, W = UV, S = XV, M = 3X^2).
  ZKAMM_HD_CALL Xyzz dbl() const {
    if (is_identity()) return *this;
    const F u = y.dbl();
    const F v = u.sqr();
    const F w = u * v;
    const F s = x * v;
    const F x2 = x.sqr();
    const F m = x2.dbl() + x2;
    Xyzz r;
    r.x = m.sqr() - s.dbl();
    r.y = m * (s - r.x) - w * y;
    r.zz = v * zz;
    r.zzz = w * zzz;
    return r;
  }

  /// mdbl-2008-s-1: the double of an affine point (not the identity).
  ZKAMM_HD_CALL static Xyzz dbl_affine(const Affine<F>& a) {
    const F u = a.y.dbl();
    const F v = u.sqr();
    const F w = u * v;
    const F s = a.x * v;
    const F x2 = a.x.sqr();
    const F m = x2.dbl() + x2;
    Xyzz r;
    r.x = m.sqr() - s.dbl();
    r.y = m * (s - r.x) - w * a.y;
    r.zz = v;
    r.zzz = w;
    return r;
  }

  /// madd-2008-s: this + q, q affine; complete.
  ZKAMM_HD_CALL Xyzz add_affine(const Affine<F>& q) const {
    if (q.is_identity()) return *this;
    if (is_identity()) return from_affine(q);
    const F p = q.x * zz - x;
    const F rr = q.y * zzz - y;
    if (p.is_zero()) {
      if (rr.is_zero()) return dbl_affine(q);
      return identity();
    }
    const F pp = p.sqr();
    const F ppp = p * pp;
    const F qq = x * pp;
    Xyzz r;
    r.x = rr.sqr() - ppp - qq.dbl();
    r.y = rr * (qq - r.x) - y * ppp;
    r.zz = zz * pp;
    r.zzz = zzz * ppp;
    return r;
  }

  /// add-2008-s: this + q; complete.
  ZKAMM_HD_CALL Xyzz add(const Xyzz& q) const {
    if (q.is_identity()) return *this;
    if (is_identity()) return q;
    const F u1 = x * q.zz;
    const F u2 = q.x * zz;
    const F s1 = y * q.zzz;
    const F s2 = q.y * zzz;
    const F p = u2 - u1;
    const F rr = s2 - s1;
    if (p.is_zero()) {
      if (rr.is_zero()) return dbl();
      return identity();
    }
    const F pp = p.sqr();
    const F ppp = p * pp;
    const F qq = u1 * pp;
    Xyzz r;
    r.x = rr.sqr() - ppp - qq.dbl();
    r.y = rr * (qq - r.x) - s1 * ppp;
    r.zz = zz * q.zz * pp;
    r.zzz = zzz * q.zzz * ppp;
    return r;
  }

  /// [k] this for a small plain k (bucket reduction's segment offsets); double-and-add.
  ZKAMM_HD Xyzz mul_u32(uint32_t k) const {
    Xyzz acc = identity();
    for (int bit = 31; bit >= 0; --bit) {
      acc = acc.dbl();
      if ((k >> bit) & 1) acc = acc.add(*this);
    }
    return acc;
  }
};

using G1AffineD = Affine<Fq>;
using G2AffineD = Affine<Fq2>;
using G1Xyzz = Xyzz<Fq>;
using G2Xyzz = Xyzz<Fq2>;

}  // namespace zkamm::cuda
