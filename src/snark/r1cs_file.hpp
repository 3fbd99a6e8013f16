#pragma once
// circom's .r1cs file (magic "r1cs", version 1), layout from iden3/r1csfile (src/r1csfile.js):
//   section 1 header: n8 u32 | prime | nWires u32 | nPubOut u32 | nPubIn u32 | nPrvIn u32 |
//                     nLabels u64 | nConstraints u32
//   section 2 constraints: per constraint three linear combinations A, B, C, each
//                     nTerms u32 then nTerms x { wire u32 | coefficient (plain value, n8 LE) }
//   section 3 wire -> label map: nWires x u64
// Coefficients are stored as plain integers (not Montgomery). A linear combination is written in
// circom's canonical form (wires ascending and distinct, zero terms dropped) and one naming a wire
// twice is rejected on read. Custom-gate sections (4, 5) are
// PLONK-only and rejected.
#include <string>

#include "snark/iden3_binfile.hpp"
#include "snark/r1cs.hpp"

namespace zkamm::snark {

/// Encodes r; labels are the identity map (label of wire i is i) unless wire_to_label is given
/// with r.num_wires entries.
std::vector<uint8_t> encode_r1cs(const R1cs& r, std::span<const uint64_t> wire_to_label = {});

/// Decodes and validates (BN254 prime, canonical coefficients, wire indices < nWires,
/// section sizes exact, at least one public/constant layout that fits nWires, nWires <= 2^28).
Result<R1cs> decode_r1cs(std::vector<uint8_t> bytes);

Result<R1cs> read_r1cs(const std::string& path);
FileError write_r1cs(const std::string& path, const R1cs& r);

}  // namespace zkamm::snark
