#include "l1/bytes.hpp"

#include "hash/keccak256.hpp"

namespace zkamm::l1 {
namespace {

constexpr char kDigits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_hex(std::span<const uint8_t> data) {
  std::string s = "0x";
  s.reserve(2 + 2 * data.size());
  for (uint8_t b : data) {
    s.push_back(kDigits[b >> 4]);
    s.push_back(kDigits[b & 15]);
  }
  return s;
}

std::optional<Bytes> from_hex(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) text.remove_prefix(2);
  if (text.size() % 2 != 0) return std::nullopt;
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(text[2 * i]);
    const int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string to_checksum_address(const Address& a) {
  // EIP-55: uppercase hex letter i when nibble i of keccak256(lowercase hex) is >= 8.
  const std::string lower = to_hex(a).substr(2);
  const auto h = hash::keccak256(std::span(reinterpret_cast<const uint8_t*>(lower.data()), lower.size()));
  std::string out = "0x";
  for (size_t i = 0; i < lower.size(); ++i) {
    const uint8_t nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 15);
    char c = lower[i];
    if (c >= 'a' && nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
    out.push_back(c);
  }
  return out;
}

std::string to_quantity(const U256& v) {
  const std::string h = ff::to_hex(v);
  const size_t first = h.find_first_not_of('0');
  return first == std::string::npos ? "0x0" : "0x" + h.substr(first);
}

std::string to_quantity(uint64_t v) { return to_quantity(u256(v)); }

std::optional<U256> u256_from_quantity(std::string_view text) {
  if (text.size() < 3 || text[0] != '0' || text[1] != 'x') return std::nullopt;
  text.remove_prefix(2);
  if (text.size() > 64 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  U256 v{};
  for (char c : text) {
    const int d = hex_value(c);
    if (d < 0) return std::nullopt;
    v = U256{v[0] << 4 | static_cast<uint64_t>(d), v[1] << 4 | v[0] >> 60, v[2] << 4 | v[1] >> 60,
             v[3] << 4 | v[2] >> 60};
  }
  return v;
}

std::optional<uint64_t> u64_from_quantity(std::string_view text) {
  const auto v = u256_from_quantity(text);
  if (!v || ((*v)[1] | (*v)[2] | (*v)[3]) != 0) return std::nullopt;
  return (*v)[0];
}

Bytes to_minimal_be(const U256& v) {
  uint8_t be[32];
  ff::to_bytes_be(v, be);
  size_t first = 0;
  while (first < 32 && be[first] == 0) ++first;
  return Bytes(be + first, be + 32);
}

Address address_from_word(const Bytes32& w) {
  Address a{};
  for (size_t i = 0; i < 20; ++i) a[i] = w[12 + i];
  return a;
}

}  // namespace zkamm::l1
