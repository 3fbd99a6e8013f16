// libFuzzer target: snarkjs' .zkey reader (snark::decode_zkey), which loads proving keys that may
// come from another party's ceremony. Whatever decodes must be consistent and survive
// encode_zkey -> decode_zkey.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "snark/zkey_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto pk = zkamm::snark::decode_zkey(std::vector<uint8_t>(data, data + size));
  if (!pk) {
    if (pk.error() == zkamm::snark::FileError::kOk) std::abort();  // a refusal always says why
    return 0;
  }
  if (!pk->is_consistent()) std::abort();
  const auto again = zkamm::snark::decode_zkey(zkamm::snark::encode_zkey(*pk));
  if (!again || again->num_vars != pk->num_vars || again->num_public != pk->num_public ||
      again->domain_size != pk->domain_size || again->ic != pk->ic || again->a_g1 != pk->a_g1 ||
      again->b2_g2 != pk->b2_g2 || again->h_g1 != pk->h_g1)
    std::abort();
  return 0;
}
