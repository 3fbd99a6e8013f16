#pragma once
// The witness file .wtns (magic "wtns", version 2), layout from snarkjs src/wtns_utils.js:
//   section 1 header: n8 u32 | prime | nWitness u32
//   section 2 values: nWitness x plain value (n8 LE bytes, not Montgomery)
#include <string>
#include <vector>

#include "snark/iden3_binfile.hpp"

namespace zkamm::snark {

std::vector<uint8_t> encode_wtns(std::span<const ff::Fr> witness);
/// Rejects a prime other than BN254's r and values >= r.
Result<std::vector<ff::Fr>> decode_wtns(std::vector<uint8_t> bytes);

Result<std::vector<ff::Fr>> read_wtns(const std::string& path);
FileError write_wtns(const std::string& path, std::span<const ff::Fr> witness);

}  // namespace zkamm::snark
