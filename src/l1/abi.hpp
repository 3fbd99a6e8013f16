#pragma once
// Solidity contract ABI (https://docs.soliditylang.org/en/v0.8.30/abi-spec.html): function
// selectors, head/tail encoding of arguments, decoding of return data and of event logs. Types:
// uint8..uint256, address, bool, bytes1..bytes32, bytes, string, T[], T[k] and tuples (...).
// Decoding rejects values with dirty high (or, for bytesN, low) bits, out-of-range bools and
// offsets or lengths that leave the data. `string` is handled as bytes (UTF-8 is not checked).
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "l1/bytes.hpp"

namespace zkamm::l1::abi {

enum class Kind : uint8_t { Uint, Address, Bool, FixedBytes, Bytes, String, Array, FixedArray, Tuple };

struct Type {
  Kind kind = Kind::Uint;
  unsigned size = 256;           // bits of a uint, N of bytesN, k of T[k]
  std::vector<Type> components;  // the element of T[] / T[k]; the members of a tuple

  bool is_dynamic() const;
  /// Bytes this type takes in the head of an enclosing tuple (32 for dynamic types).
  size_t head_size() const;
  /// Canonical name as used in signatures, e.g. "(uint256,bytes)[]".
  std::string canonical() const;
  bool operator==(const Type&) const = default;
};

/// Parses a type name ("uint" means uint256); nesting depth <= 16, fixed array lengths <= 65536.
std::optional<Type> parse_type(std::string_view text);

/// A value of some Type: `word` holds uintN and bool; `bytes` holds address (20 bytes), bytesN (N
/// bytes), bytes and string; `items` holds the elements of arrays and the members of tuples.
struct Value {
  U256 word{};
  Bytes bytes;
  std::vector<Value> items;
  bool operator==(const Value&) const = default;

  static Value uint(const U256& v) { return Value{v, {}, {}}; }
  static Value uint(uint64_t v) { return Value{u256(v), {}, {}}; }
  static Value boolean(bool b) { return Value{u256(b ? 1 : 0), {}, {}}; }
  static Value address(const Address& a) { return Value{{}, Bytes(a.begin(), a.end()), {}}; }
  static Value bytes32(const Bytes32& b) { return Value{{}, Bytes(b.begin(), b.end()), {}}; }
  static Value bytes_value(Bytes b) { return Value{{}, std::move(b), {}}; }
  static Value list(std::vector<Value> items) { return Value{{}, {}, std::move(items)}; }
};

/// Encodes values as the tuple (types...); nullopt when a value does not fit its type.
std::optional<Bytes> encode(std::span<const Type> types, std::span<const Value> values);
/// Decodes data as the tuple (types...); data may be longer than the encoding needs.
std::optional<std::vector<Value>> decode(std::span<const Type> types, std::span<const uint8_t> data);

using Selector = std::array<uint8_t, 4>;
/// keccak256(canonical signature)[0:4]; the signature is taken as given (e.g. "transfer(address,uint256)").
Selector selector(std::string_view canonical_signature);

struct Function {
  std::string name;
  std::vector<Type> inputs;
  std::vector<Type> outputs;
  std::string signature() const;  // "name(input types)"
  Selector selector() const;
};

/// Parses "name(inputs)" or "name(inputs)(outputs)" (cast's form); spaces after commas allowed.
std::optional<Function> parse_function(std::string_view text);
/// selector || encode(inputs, args).
std::optional<Bytes> encode_call(const Function& f, std::span<const Value> args);
/// Decodes return data with the function's outputs.
std::optional<std::vector<Value>> decode_output(const Function& f, std::span<const uint8_t> data);

struct Event {
  std::string name;
  std::vector<Type> inputs;
  std::vector<bool> indexed;
  std::string signature() const;  // "name(types)" without the indexed keywords
  Bytes32 topic0() const;
};

/// Parses "Name(address indexed,uint256,bytes)": each parameter is a type, optionally "indexed".
std::optional<Event> parse_event(std::string_view text);

/// Decodes a non-anonymous log: topics[0] must be topic0(), one more topic per indexed input and
/// data the encoding of the others. Indexed inputs of dynamic type come back as their 32-byte
/// keccak256 hash in `bytes` (the log does not hold the value).
std::optional<std::vector<Value>> decode_log(const Event& e, std::span<const Bytes32> topics,
                                             std::span<const uint8_t> data);

}  // namespace zkamm::l1::abi
