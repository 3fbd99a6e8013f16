// libFuzzer target: the canonical binary transaction encoding (tx::decode), which the node reads
// from zkamm_sendRawTransaction and from its own store. The decoder is strict (one encoding per
// transaction), so whatever decodes must encode back to exactly the input bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "tx/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  zkamm::tx::DecodeError why = zkamm::tx::DecodeError::None;
  const auto tx = zkamm::tx::decode(in, &why);
  if (!tx) {
    if (why == zkamm::tx::DecodeError::None) std::abort();  // a refusal always says why
    return 0;
  }
  if (!zkamm::tx::in_range(*tx)) std::abort();
  const auto again = zkamm::tx::encode(*tx);
  if (again.size() != size || !std::equal(again.begin(), again.end(), in.begin())) std::abort();
  if (again.size() != zkamm::tx::encoded_size(zkamm::tx::type_of(*tx))) std::abort();
  (void)zkamm::tx::tx_hash(*tx);
  return 0;
}
