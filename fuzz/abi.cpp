// libFuzzer target: the Solidity ABI decoder (l1::abi::decode), which reads return data and event
// logs from the L1 node, and the type parser. Input: a type ("(uint256,bytes)[]"; a tuple is read
// as the argument list) up to the first newline, then the data. Whatever decodes must encode
// (the encoder accepts every decoded value) and decode again to the same values.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "l1/abi.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace abi = zkamm::l1::abi;
  const uint8_t* nl = std::find(data, data + size, uint8_t{'\n'});
  if (nl == data + size) return 0;
  const std::string_view type_text(reinterpret_cast<const char*>(data), static_cast<size_t>(nl - data));
  const auto type = abi::parse_type(type_text);
  if (!type) return 0;
  // The canonical name parses back to the same type.
  const auto reparsed = abi::parse_type(type->canonical());
  if (!reparsed || !(*reparsed == *type)) std::abort();

  std::vector<abi::Type> types;
  if (type->kind == abi::Kind::Tuple) {
    types = type->components;
  } else {
    types.push_back(*type);
  }
  const std::span<const uint8_t> body(nl + 1, data + size);
  const auto values = abi::decode(types, body);
  if (!values) return 0;
  const auto encoded = abi::encode(types, *values);
  if (!encoded) std::abort();
  const auto again = abi::decode(types, *encoded);
  if (!again || !(*again == *values)) std::abort();
  return 0;
}
