#pragma once
// The two prime fields of the BN254 (alt_bn128) curve used by Ethereum's EIP-196/197
// precompiles, circom and snarkjs.
// Moduli from EIP-196 (https://eips.ethereum.org/EIPS/eip-196):
//   q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
//   r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
#include <vector>

#include "ff/montgomery_field.hpp"

namespace zkamm::ff {

struct FqSpec {
  static constexpr U256 kModulus{0x3c208c16d87cfd47ULL, 0x97816a916871ca8dULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};
};
struct FrSpec {
  static constexpr U256 kModulus{0x43e1f593f0000001ULL, 0x2833e84879b97091ULL, 0xb85045b68181585dULL,
                                 0x30644e72e131a029ULL};
};

/// Base field of BN254: coordinates of G1 (and, over Fq2, of G2).
using Fq = Fp<FqSpec>;
/// Scalar field of BN254: circuit wires, Groth16 scalars, Poseidon, Baby Jubjub coordinates.
using Fr = Fp<FrSpec>;

/// r - 1 = 2^28 * odd, so Fr has multiplicative subgroups of every order 2^k, k <= 28 (NTT sizes).
inline constexpr unsigned kFrTwoAdicity = 28;

}  // namespace zkamm::ff
