// libFuzzer target: snarkjs' .wtns reader (snark::decode_wtns), which loads witnesses computed by
// circom's witness generator. Whatever decodes must survive encode_wtns -> decode_wtns unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "snark/wtns_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto w = zkamm::snark::decode_wtns(std::vector<uint8_t>(data, data + size));
  if (!w) {
    if (w.error() == zkamm::snark::FileError::kOk) std::abort();  // a refusal always says why
    return 0;
  }
  const auto again = zkamm::snark::decode_wtns(zkamm::snark::encode_wtns(*w));
  if (!again || *again != *w) std::abort();
  return 0;
}
