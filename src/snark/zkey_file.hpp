#pragma once
// snarkjs' groth16 proving key .zkey (magic "zkey", version 1), layout from snarkjs
// src/zkey_utils.js and src/zkey_new.js (0.7.x):
//   1 header: protocol u32 (1 = groth16)
//   2 groth16 header: n8q u32 | q | n8r u32 | r | nVars u32 | nPublic u32 | domainSize u32 |
//                     alpha1 | beta1 | beta2 | gamma2 | delta1 | delta2
//   3 IC (nPublic+1 G1)   4 coefs: n u32, n x {matrix u32 | constraint u32 | signal u32 | value}
//   5 A (nVars G1)   6 B1 (nVars G1)   7 B2 (nVars G2)   8 C (nVars-nPublic-1 G1)
//   9 H (domainSize G1)   10 MPC contributions (circuit hash[64] | n u32 | ...), ignored on read
// Points are affine coordinates in Montgomery form, 32 LE bytes each (= our Fq raw() limbs, as
// R = 2^256); G2 coordinates as c0 then c1; the point at infinity is all zero bytes.
// Coefficient values are stored as v * R^2 mod r, plain LE (snarkjs writeCoef multiplies by R2r
// so that a Montgomery product with a plain witness value lands in Montgomery form).
#include <string>

#include "snark/groth16.hpp"
#include "snark/iden3_binfile.hpp"

namespace zkamm::snark {

/// Encodes pk with an empty contributions section (circuit hash all zero, 0 contributions).
std::vector<uint8_t> encode_zkey(const ProvingKey& pk);

/// Decodes a groth16 .zkey: rejects other protocols, primes other than BN254's, non-canonical
/// coordinates/coefficients, points off the curve, the verifying key's G2 points outside the
/// subgroup, and any size that disagrees with the header.
Result<ProvingKey> decode_zkey(std::vector<uint8_t> bytes);

Result<ProvingKey> read_zkey(const std::string& path);
FileError write_zkey(const std::string& path, const ProvingKey& pk);

/// A .zkey mapped read-only for proving without a decoded copy (`zkamm prove`): the header, the
/// verifying key's points and IC are decoded and checked as by decode_zkey and the section sizes
/// checked; the coefficients and point queries stay in the file, read in place by the prover
/// (ProverKeyView), which checks each coefficient as it reads it but not the points (a wrong
/// point only yields a proof that fails to verify). The mapping lives as long as the object.
class MappedZkey {
 public:
  static Result<MappedZkey> open(const std::string& path);
  MappedZkey(MappedZkey&& o) noexcept;
  MappedZkey& operator=(MappedZkey&& o) noexcept;
  MappedZkey(const MappedZkey&) = delete;
  MappedZkey& operator=(const MappedZkey&) = delete;
  ~MappedZkey();

  const ProverKeyView& prover_key() const noexcept { return view_; }
  const VerificationKey& verification_key() const noexcept { return vk_; }

 private:
  MappedZkey() = default;
  const uint8_t* base_ = nullptr;
  size_t size_ = 0;
  ProverKeyView view_;
  VerificationKey vk_;
};

}  // namespace zkamm::snark
