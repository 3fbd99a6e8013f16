#pragma once
// Byte strings, fixed-size Ethereum values (addresses, 32-byte hashes) and their hex forms as
// JSON-RPC writes them: DATA is 0x-prefixed with two digits per byte, QUANTITY is 0x-prefixed
// minimal hex ("0x0" for zero, no leading zeros).
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ff/uint256.hpp"

namespace zkamm::l1 {

using Bytes = std::vector<uint8_t>;
using Address = std::array<uint8_t, 20>;
using Bytes32 = std::array<uint8_t, 32>;
using ff::U256;

/// "0x" followed by two lowercase hex digits per byte.
std::string to_hex(std::span<const uint8_t> data);

/// Parses DATA hex: optional "0x", an even number of hex digits (either case).
std::optional<Bytes> from_hex(std::string_view text);

/// Parses exactly N bytes of DATA hex.
template <size_t N>
std::optional<std::array<uint8_t, N>> fixed_from_hex(std::string_view text) {
  const auto b = from_hex(text);
  if (!b || b->size() != N) return std::nullopt;
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N; ++i) out[i] = (*b)[i];
  return out;
}

inline std::optional<Address> address_from_hex(std::string_view text) { return fixed_from_hex<20>(text); }
inline std::optional<Bytes32> bytes32_from_hex(std::string_view text) { return fixed_from_hex<32>(text); }

/// EIP-55 mixed-case checksum form of an address ("0x" + 40 digits).
std::string to_checksum_address(const Address& a);

/// JSON-RPC QUANTITY: "0x" + minimal lowercase hex.
std::string to_quantity(const U256& v);
std::string to_quantity(uint64_t v);

/// Parses a QUANTITY strictly: "0x" prefix, 1..64 digits, no leading zero unless the value is 0.
std::optional<U256> u256_from_quantity(std::string_view text);
/// Same, and the value must fit in 64 bits.
std::optional<uint64_t> u64_from_quantity(std::string_view text);

/// Big-endian bytes of v without leading zeros (empty for zero), the RLP integer form.
Bytes to_minimal_be(const U256& v);

inline U256 u256(uint64_t v) { return U256{v, 0, 0, 0}; }

/// Address = last 20 bytes of a 32-byte word.
Address address_from_word(const Bytes32& w);

}  // namespace zkamm::l1
