#pragma once
// Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B) and a strict decoder that
// accepts only the canonical encoding of each value.
#include <optional>
#include <span>
#include <vector>

#include "l1/bytes.hpp"

namespace zkamm::l1::rlp {

/// A decoded RLP value: a byte string or a list of values.
struct Item {
  bool is_list = false;
  Bytes str;                // the byte string when !is_list
  std::vector<Item> list;   // the members when is_list

  static Item string(Bytes b) { return Item{false, std::move(b), {}}; }
  static Item of_list(std::vector<Item> items) { return Item{true, {}, std::move(items)}; }
  /// The canonical string of an integer: big-endian, no leading zeros (0 is the empty string).
  static Item uint(const U256& v) { return string(to_minimal_be(v)); }
  bool operator==(const Item&) const = default;
};

/// Appends the encoding of a byte string.
void append_string(Bytes& out, std::span<const uint8_t> s);
/// Appends a list header for a payload (the concatenated encoded members) of payload_len bytes.
void append_list_header(Bytes& out, size_t payload_len);

Bytes encode_string(std::span<const uint8_t> s);
Bytes encode_uint(const U256& v);
Bytes encode_uint(uint64_t v);
/// Wraps already-encoded members into a list.
Bytes encode_list(std::span<const Bytes> encoded_items);
Bytes encode(const Item& item);

/// Decodes exactly one item that spans all of `data`; rejects non-canonical length prefixes,
/// single bytes < 0x80 written as a 1-byte string, truncation, trailing bytes and nesting deeper
/// than 64 lists.
std::optional<Item> decode(std::span<const uint8_t> data);

/// An item as an integer: a string of at most 32 bytes without leading zeros.
std::optional<U256> as_uint(const Item& item);
/// Same, and the value fits in 64 bits.
std::optional<uint64_t> as_u64(const Item& item);

}  // namespace zkamm::l1::rlp
