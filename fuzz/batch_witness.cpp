// libFuzzer target: the batch witness codec (batch::decode_witness), which a remote prover reads
// from the node over JSON-RPC (`zkamm prover --node URL`). The format has one encoding per
// witness, so whatever decodes must encode back to exactly the input bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "batch/witness_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  const auto w = zkamm::batch::decode_witness(in);
  if (!w) return 0;
  const auto again = zkamm::batch::encode_witness(*w);
  if (again.size() != size || !std::equal(again.begin(), again.end(), in.begin())) std::abort();
  return 0;
}
