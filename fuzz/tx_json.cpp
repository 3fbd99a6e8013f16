// libFuzzer target: the JSON form of a transaction (tx::from_json_text), which the node reads from
// zkamm_sendTransaction. Never throws; whatever parses must survive to_json -> from_json unchanged
// and have a canonical binary encoding that decodes to the same transaction.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tx/encoding.hpp"
#include "tx/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = zkamm::tx::from_json_text(text);
  if (!parsed.tx) {
    if (parsed.error.empty()) std::abort();  // a refusal always says why
    return 0;
  }
  const auto again = zkamm::tx::from_json(zkamm::tx::to_json(*parsed.tx));
  if (!again.tx || !(*again.tx == *parsed.tx)) std::abort();
  const auto bytes = zkamm::tx::encode(*parsed.tx);
  const auto decoded = zkamm::tx::decode(bytes);
  if (!decoded || !(*decoded == *parsed.tx)) std::abort();
  return 0;
}
