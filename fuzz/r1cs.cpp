// libFuzzer target: circom's .r1cs reader (snark::decode_r1cs), which loads circuits compiled
// elsewhere. Whatever decodes must survive encode_r1cs -> decode_r1cs unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "snark/r1cs_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = zkamm::snark::decode_r1cs(std::vector<uint8_t>(data, data + size));
  if (!r) {
    if (r.error() == zkamm::snark::FileError::kOk) std::abort();  // a refusal always says why
    return 0;
  }
  // Re-encoding writes one label per wire: skip headers that claim millions (decoding bounds them).
  if (r->num_wires > (1U << 16)) return 0;
  const auto again = zkamm::snark::decode_r1cs(zkamm::snark::encode_r1cs(*r));
  if (!again || again->num_wires != r->num_wires || again->num_public() != r->num_public() ||
      again->constraints.size() != r->constraints.size())
    std::abort();
  return 0;
}
