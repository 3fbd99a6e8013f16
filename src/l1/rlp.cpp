#include "l1/rlp.hpp"

namespace zkamm::l1::rlp {
namespace {

constexpr int kMaxDepth = 64;

// Short form below 56 bytes; otherwise base+55+len(len) then len big-endian (Yellow Paper B).
void append_header(Bytes& out, uint8_t base, size_t len) {
  if (len < 56) {
    out.push_back(static_cast<uint8_t>(base + len));
    return;
  }
  uint8_t be[8];
  int n = 0;
  for (size_t v = len; v != 0; v >>= 8) be[n++] = static_cast<uint8_t>(v);
  out.push_back(static_cast<uint8_t>(base + 55 + n));
  while (n > 0) out.push_back(be[--n]);
}

struct Cursor {
  std::span<const uint8_t> data;
  size_t pos = 0;
};

// Reads the item starting at c.pos and advances past it.
std::optional<Item> read_item(Cursor& c, int depth) {
  if (depth > kMaxDepth || c.pos >= c.data.size()) return std::nullopt;
  const uint8_t prefix = c.data[c.pos++];
  const size_t remaining = c.data.size() - c.pos;
  if (prefix < 0x80) return Item::string(Bytes{prefix});

  const bool is_list = prefix >= 0xc0;
  const uint8_t base = is_list ? 0xc0 : 0x80;
  size_t len = 0;
  if (prefix - base < 56) {
    len = static_cast<size_t>(prefix - base);
  } else {
    const size_t len_of_len = static_cast<size_t>(prefix - base - 55);
    if (len_of_len > remaining || len_of_len > 8) return std::nullopt;
    if (c.data[c.pos] == 0) return std::nullopt;  // length with a leading zero byte
    for (size_t i = 0; i < len_of_len; ++i) {
      if (len >> 56) return std::nullopt;
      len = len << 8 | c.data[c.pos + i];
    }
    c.pos += len_of_len;
    if (len < 56) return std::nullopt;  // long form used for a short length
  }
  if (len > c.data.size() - c.pos) return std::nullopt;

  if (!is_list) {
    Item item = Item::string(Bytes(c.data.begin() + static_cast<ptrdiff_t>(c.pos),
                                   c.data.begin() + static_cast<ptrdiff_t>(c.pos + len)));
    c.pos += len;
    if (len == 1 && item.str[0] < 0x80) return std::nullopt;  // must have been a single byte
    return item;
  }
  Cursor inner{c.data.subspan(c.pos, len), 0};
  c.pos += len;
  Item item = Item::of_list({});
  while (inner.pos < inner.data.size()) {
    auto member = read_item(inner, depth + 1);
    if (!member) return std::nullopt;
    item.list.push_back(std::move(*member));
  }
  return item;
}

}  // namespace

void append_string(Bytes& out, std::span<const uint8_t> s) {
  if (s.size() == 1 && s[0] < 0x80) {
    out.push_back(s[0]);
    return;
  }
  append_header(out, 0x80, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void append_list_header(Bytes& out, size_t payload_len) { append_header(out, 0xc0, payload_len); }

Bytes encode_string(std::span<const uint8_t> s) {
  Bytes out;
  append_string(out, s);
  return out;
}

Bytes encode_uint(const U256& v) { return encode_string(to_minimal_be(v)); }
Bytes encode_uint(uint64_t v) { return encode_uint(u256(v)); }

Bytes encode_list(std::span<const Bytes> encoded_items) {
  size_t payload = 0;
  for (const auto& e : encoded_items) payload += e.size();
  Bytes out;
  append_list_header(out, payload);
  for (const auto& e : encoded_items) out.insert(out.end(), e.begin(), e.end());
  return out;
}

Bytes encode(const Item& item) {
  if (!item.is_list) return encode_string(item.str);
  std::vector<Bytes> members;
  members.reserve(item.list.size());
  for (const auto& m : item.list) members.push_back(encode(m));
  return encode_list(members);
}

std::optional<Item> decode(std::span<const uint8_t> data) {
  Cursor c{data, 0};
  auto item = read_item(c, 0);
  if (!item || c.pos != data.size()) return std::nullopt;
  return item;
}

std::optional<U256> as_uint(const Item& item) {
  if (item.is_list || item.str.size() > 32) return std::nullopt;
  if (!item.str.empty() && item.str[0] == 0) return std::nullopt;
  uint8_t be[32] = {};
  std::copy(item.str.begin(), item.str.end(), be + (32 - item.str.size()));
  return ff::from_bytes_be(be);
}

std::optional<uint64_t> as_u64(const Item& item) {
  const auto v = as_uint(item);
  if (!v || ((*v)[1] | (*v)[2] | (*v)[3]) != 0) return std::nullopt;
  return (*v)[0];
}

}  // namespace zkamm::l1::rlp
