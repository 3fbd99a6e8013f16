// libFuzzer target: the RLP decoder (l1::rlp::decode), which reads what an L1 node returns. The
// decoder accepts only canonical encodings, so a decoded item must encode back to the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "l1/rlp.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  const auto item = zkamm::l1::rlp::decode(in);
  if (!item) return 0;
  const auto again = zkamm::l1::rlp::encode(*item);
  if (again.size() != size || !std::equal(again.begin(), again.end(), in.begin())) std::abort();
  if (!item->is_list) {
    (void)zkamm::l1::rlp::as_uint(*item);
    (void)zkamm::l1::rlp::as_u64(*item);
  }
  return 0;
}
