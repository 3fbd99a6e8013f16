#pragma once
// Shared helpers for the snark tests: hand-built circuits (the seed comes from common/seed.hpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "common/seed.hpp"
#include "ff/bn254.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::snark::testing {

using zkamm::testing::test_seed;

inline ff::Fr fr(uint64_t v) { return ff::Fr::from_u64(v); }

/// A circuit together with a satisfying witness (iden3 order).
struct Instance {
  R1cs r1cs;
  std::vector<ff::Fr> witness;
  std::vector<ff::Fr> public_inputs() const {
    return {witness.begin() + 1, witness.begin() + 1 + r1cs.num_public()};
  }
};

/// y = x^k (k >= 2) with y a public output and x a private input.
/// Wires: 0 one, 1 y, 2 x, 3.. x^2 .. x^(k-1).
inline Instance power_chain(unsigned k, const ff::Fr& x) {
  Instance in;
  auto& r = in.r1cs;
  r.num_public_outputs = 1;
  r.num_private_inputs = 1;
  r.num_wires = 3 + (k - 2);
  r.num_labels = r.num_wires;
  in.witness.assign(r.num_wires, ff::Fr{});
  in.witness[0] = ff::Fr::one();
  in.witness[2] = x;
  ff::Fr acc = x;
  uint32_t prev = 2;
  for (unsigned e = 2; e <= k; ++e) {
    acc *= x;
    const uint32_t out = (e == k) ? 1 : 3 + (e - 2);
    in.witness[out] = acc;
    r.constraints.push_back({{{prev, ff::Fr::one()}}, {{2, ff::Fr::one()}}, {{out, ff::Fr::one()}}});
    prev = out;
  }
  return in;
}

/// Three public inputs p1, p2, p3 (p3 may be zero) and one public output o, private q:
///   p1 * p2 = m
///   (m + p3 + p3 + 7) * q = o        (p3 repeated in one linear combination)
///   (q - q) * p1 = 0                 (an all-cancelling LC, zero-valued C)
///   (2 * p2) * (3 * one) = s         (scaled terms)
/// plus one wire (u) that no constraint mentions.
/// Wires: 0 one, 1 o, 2 p1, 3 p2, 4 p3, 5 q, 6 m, 7 s, 8 u.
inline Instance multi_public(const ff::Fr& p1, const ff::Fr& p2, const ff::Fr& p3, const ff::Fr& q, const ff::Fr& u) {
  Instance in;
  auto& r = in.r1cs;
  r.num_public_outputs = 1;
  r.num_public_inputs = 3;
  r.num_private_inputs = 1;
  r.num_wires = 9;
  r.num_labels = 9;
  const ff::Fr one = ff::Fr::one();
  const ff::Fr m = p1 * p2;
  const ff::Fr o = (m + p3 + p3 + fr(7)) * q;
  const ff::Fr s = p2 * fr(6);
  in.witness = {one, o, p1, p2, p3, q, m, s, u};
  r.constraints.push_back({{{2, one}}, {{3, one}}, {{6, one}}});
  r.constraints.push_back({{{6, one}, {4, one}, {4, one}, {0, fr(7)}}, {{5, one}}, {{1, one}}});
  r.constraints.push_back({{{5, one}, {5, -one}}, {{2, one}}, {}});
  r.constraints.push_back({{{3, fr(2)}}, {{0, fr(3)}}, {{7, one}}});
  return in;
}

}  // namespace zkamm::snark::testing
