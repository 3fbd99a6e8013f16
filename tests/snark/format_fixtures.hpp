#pragma once
// Self-generated fixtures for the file-format tests: a tiny circuit and its witness.
#include <vector>

#include "snark/groth16.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::snark::test {

/// out = x * y * s (out public output, x public input, y public input, s private input),
/// via t = x * y; out = t * s; plus a zero-valued wire z = (x - x) * 1 and a repeated term.
inline R1cs tiny_r1cs() {
  using ff::Fr;
  const Fr one = Fr::one();
  R1cs r;
  // wires: 0 one | 1 out | 2 x | 3 y | 4 s | 5 t | 6 z
  r.num_wires = 7;
  r.num_public_outputs = 1;
  r.num_public_inputs = 2;
  r.num_private_inputs = 1;
  r.num_labels = 7;
  r.constraints.push_back({{{2, one}}, {{3, one}}, {{5, one}}});
  r.constraints.push_back({{{5, one}}, {{4, one}}, {{1, one}}});
  r.constraints.push_back({{{2, one}, {2, -one}}, {{0, one}}, {{6, one}}});
  r.constraints.push_back({{{6, Fr::from_u64(5)}, {6, one}}, {{1, one}}, {}});
  return r;
}

inline std::vector<ff::Fr> tiny_witness() {
  using ff::Fr;
  const Fr x = Fr::from_u64(3), y = Fr::from_u64(11), s = Fr::from_u64(1234567);
  return {Fr::one(), x * y * s, x, y, s, x * y, Fr::zero()};
}

inline ToxicWaste fixed_toxic_waste() {
  using ff::Fr;
  return {Fr::from_u64(123456789), Fr::from_u64(987654321), Fr::from_u64(55555), Fr::from_u64(777), Fr::from_u64(31337)};
}

}  // namespace zkamm::snark::test
