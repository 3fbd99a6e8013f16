#include "l1/abi.hpp"

#include <algorithm>
#include <cctype>

#include "hash/keccak256.hpp"

namespace zkamm::l1::abi {
namespace {

constexpr int kMaxTypeDepth = 16;
constexpr unsigned kMaxFixedArray = 65536;

// ---- type parsing -----------------------------------------------------------------------------

struct Parser {
  std::string_view s;
  size_t pos = 0;

  void skip_spaces() {
    while (pos < s.size() && s[pos] == ' ') ++pos;
  }
  bool eat(char c) {
    skip_spaces();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  std::string_view word() {
    skip_spaces();
    const size_t start = pos;
    while (pos < s.size() && (std::isalnum(static_cast<unsigned char>(s[pos])) || s[pos] == '_')) ++pos;
    return s.substr(start, pos - start);
  }
  bool at_end() {
    skip_spaces();
    return pos == s.size();
  }
};

// Digits of a uintN / bytesN / T[k] size: decimal, no leading zero, non-empty.
std::optional<unsigned> parse_size(std::string_view d) {
  if (d.empty() || d.size() > 6 || d[0] == '0') return std::nullopt;
  unsigned v = 0;
  for (char c : d) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

std::optional<Type> parse_elementary(std::string_view w) {
  if (w == "address") return Type{Kind::Address, 160, {}};
  if (w == "bool") return Type{Kind::Bool, 8, {}};
  if (w == "string") return Type{Kind::String, 0, {}};
  if (w == "bytes") return Type{Kind::Bytes, 0, {}};
  if (w == "uint") return Type{Kind::Uint, 256, {}};
  if (w.starts_with("uint")) {
    const auto n = parse_size(w.substr(4));
    if (!n || *n % 8 != 0 || *n > 256) return std::nullopt;
    return Type{Kind::Uint, *n, {}};
  }
  if (w.starts_with("bytes")) {
    const auto n = parse_size(w.substr(5));
    if (!n || *n > 32) return std::nullopt;
    return Type{Kind::FixedBytes, *n, {}};
  }
  return std::nullopt;
}

std::optional<std::vector<Type>> parse_type_list(Parser& p, int depth, std::vector<bool>* indexed);

std::optional<Type> parse_type_at(Parser& p, int depth) {
  if (depth > kMaxTypeDepth) return std::nullopt;
  std::optional<Type> t;
  if (p.eat('(')) {
    auto members = parse_type_list(p, depth + 1, nullptr);
    if (!members || !p.eat(')')) return std::nullopt;
    t = Type{Kind::Tuple, 0, std::move(*members)};
  } else {
    t = parse_elementary(p.word());
  }
  if (!t) return std::nullopt;
  while (p.eat('[')) {
    if (++depth > kMaxTypeDepth) return std::nullopt;
    const size_t start = p.pos;
    while (p.pos < p.s.size() && p.s[p.pos] != ']') ++p.pos;
    const std::string_view digits = p.s.substr(start, p.pos - start);
    if (!p.eat(']')) return std::nullopt;
    if (digits.empty()) {
      t = Type{Kind::Array, 0, {std::move(*t)}};
    } else {
      const auto k = parse_size(digits);
      if (!k || *k > kMaxFixedArray) return std::nullopt;
      t = Type{Kind::FixedArray, *k, {std::move(*t)}};
    }
  }
  return t;
}

// Comma-separated types up to (not including) ')'. With `indexed`, each may be followed by the
// keyword "indexed" (event parameters).
std::optional<std::vector<Type>> parse_type_list(Parser& p, int depth, std::vector<bool>* indexed) {
  std::vector<Type> out;
  p.skip_spaces();
  if (p.pos < p.s.size() && p.s[p.pos] == ')') return out;
  do {
    auto t = parse_type_at(p, depth);
    if (!t) return std::nullopt;
    out.push_back(std::move(*t));
    if (indexed) {
      const size_t save = p.pos;
      if (p.word() == "indexed") {
        indexed->push_back(true);
      } else {
        p.pos = save;
        indexed->push_back(false);
      }
    }
  } while (p.eat(','));
  return out;
}

std::string join_types(const std::vector<Type>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ',';
    s += types[i].canonical();
  }
  return s + ")";
}

// ---- encoding ---------------------------------------------------------------------------------

void append_word(Bytes& out, const U256& v) {
  uint8_t be[32];
  ff::to_bytes_be(v, be);
  out.insert(out.end(), be, be + 32);
}

void append_padded(Bytes& out, std::span<const uint8_t> data) {
  out.insert(out.end(), data.begin(), data.end());
  out.resize(out.size() + (32 - data.size() % 32) % 32, 0);
}

bool encode_value(const Type& t, const Value& v, Bytes& out);

// The tuple encoding: static members and offsets in the head, dynamic members in the tail.
// type_at(i) gives member i's type (the same element type for arrays).
template <class TypeAt>
bool encode_sequence(size_t n, TypeAt type_at, std::span<const Value> values, Bytes& out) {
  if (values.size() != n) return false;
  size_t head_len = 0;
  for (size_t i = 0; i < n; ++i) head_len += type_at(i).head_size();
  Bytes head, tail;
  head.reserve(head_len);
  for (size_t i = 0; i < n; ++i) {
    const Type& t = type_at(i);
    if (t.is_dynamic()) {
      append_word(head, u256(head_len + tail.size()));
      if (!encode_value(t, values[i], tail)) return false;
    } else if (!encode_value(t, values[i], head)) {
      return false;
    }
  }
  out.insert(out.end(), head.begin(), head.end());
  out.insert(out.end(), tail.begin(), tail.end());
  return true;
}

bool encode_value(const Type& t, const Value& v, Bytes& out) {
  switch (t.kind) {
    case Kind::Uint:
      if (ff::bit_length(v.word) > t.size) return false;
      append_word(out, v.word);
      return true;
    case Kind::Bool:
      if (ff::bit_length(v.word) > 1) return false;
      append_word(out, v.word);
      return true;
    case Kind::Address:
      if (v.bytes.size() != 20) return false;
      out.resize(out.size() + 12, 0);
      out.insert(out.end(), v.bytes.begin(), v.bytes.end());
      return true;
    case Kind::FixedBytes:
      if (v.bytes.size() != t.size) return false;
      append_padded(out, v.bytes);
      if (t.size == 0) out.resize(out.size() + 32, 0);
      return true;
    case Kind::Bytes:
    case Kind::String:
      append_word(out, u256(v.bytes.size()));
      append_padded(out, v.bytes);
      return true;
    case Kind::Array:
      append_word(out, u256(v.items.size()));
      return encode_sequence(v.items.size(), [&](size_t) -> const Type& { return t.components[0]; }, v.items, out);
    case Kind::FixedArray:
      return encode_sequence(t.size, [&](size_t) -> const Type& { return t.components[0]; }, v.items, out);
    case Kind::Tuple:
      return encode_sequence(t.components.size(), [&](size_t i) -> const Type& { return t.components[i]; }, v.items, out);
  }
  return false;
}

// ---- decoding ---------------------------------------------------------------------------------

std::optional<U256> read_word(std::span<const uint8_t> data, size_t pos) {
  if (pos > data.size() || data.size() - pos < 32) return std::nullopt;
  return ff::from_bytes_be(data.data() + pos);
}

// A word used as an offset or a length: must be below 2^32 (and so fit size_t) like solc's decoder.
std::optional<size_t> read_size(std::span<const uint8_t> data, size_t pos) {
  const auto w = read_word(data, pos);
  if (!w || (*w)[1] | (*w)[2] | (*w)[3] || (*w)[0] >= (uint64_t{1} << 32)) return std::nullopt;
  return static_cast<size_t>((*w)[0]);
}

/// What one decode may produce. Offsets may point at the same data, so without a bound a few
/// hundred bytes of nested offsets decode to gigabytes (fuzz/abi.cpp found one: arrays whose
/// elements all point at one inner array). Each value is charged the bytes it takes in the
/// canonical encoding, against the input's size: a canonical encoding never runs out, as each of
/// its bytes encodes one byte of the result, and only shared data can overdraw. Values whose
/// canonical size is zero (T[0]) are bounded by a count instead.
struct DecodeBudget {
  static constexpr size_t kMaxValues = size_t{1} << 20;
  size_t bytes;
  size_t values = 0;
  [[nodiscard]] bool take(size_t n) {
    if (n > bytes || ++values > kMaxValues) return false;
    bytes -= n;
    return true;
  }
};

std::optional<Value> decode_value(const Type& t, std::span<const uint8_t> data, DecodeBudget& budget);

template <class TypeAt>
std::optional<std::vector<Value>> decode_sequence(size_t n, TypeAt type_at, std::span<const uint8_t> data,
                                                  DecodeBudget& budget) {
  std::vector<Value> out;
  out.reserve(std::min(n, budget.bytes / 32 + 1));
  size_t pos = 0;
  for (size_t i = 0; i < n; ++i) {
    const Type& t = type_at(i);
    std::optional<Value> v;
    if (t.is_dynamic()) {
      const auto offset = read_size(data, pos);
      if (!offset || *offset >= data.size() || !budget.take(32)) return std::nullopt;  // the offset word
      v = decode_value(t, data.subspan(*offset), budget);
      pos += 32;
    } else {
      if (pos > data.size()) return std::nullopt;
      v = decode_value(t, data.subspan(pos), budget);
      pos += t.head_size();
    }
    if (!v) return std::nullopt;
    out.push_back(std::move(*v));
  }
  return out;
}

std::optional<Value> decode_value(const Type& t, std::span<const uint8_t> data, DecodeBudget& budget) {
  switch (t.kind) {
    case Kind::Uint:
    case Kind::Bool: {
      const auto w = read_word(data, 0);
      if (!w || ff::bit_length(*w) > (t.kind == Kind::Bool ? 1u : t.size) || !budget.take(32)) return std::nullopt;
      return Value::uint(*w);
    }
    case Kind::Address: {
      if (data.size() < 32 || !budget.take(32)) return std::nullopt;
      for (size_t i = 0; i < 12; ++i)
        if (data[i] != 0) return std::nullopt;
      return Value::bytes_value(Bytes(data.begin() + 12, data.begin() + 32));
    }
    case Kind::FixedBytes: {
      if (data.size() < 32 || !budget.take(32)) return std::nullopt;
      for (size_t i = t.size; i < 32; ++i)
        if (data[i] != 0) return std::nullopt;
      return Value::bytes_value(Bytes(data.begin(), data.begin() + t.size));
    }
    case Kind::Bytes:
    case Kind::String: {
      const auto len = read_size(data, 0);
      if (!len) return std::nullopt;
      const size_t padded = (*len + 31) / 32 * 32;
      if (data.size() - 32 < padded || !budget.take(32 + padded)) return std::nullopt;
      for (size_t i = *len; i < padded; ++i)
        if (data[32 + i] != 0) return std::nullopt;
      return Value::bytes_value(Bytes(data.begin() + 32, data.begin() + 32 + static_cast<ptrdiff_t>(*len)));
    }
    case Kind::Array: {
      const auto n = read_size(data, 0);
      // Every element takes at least one head word, which bounds n by the data actually present.
      if (!n || *n > (data.size() - 32) / 32 || !budget.take(32)) return std::nullopt;
      auto items = decode_sequence(
          *n, [&](size_t) -> const Type& { return t.components[0]; }, data.subspan(32), budget);
      if (!items) return std::nullopt;
      return Value::list(std::move(*items));
    }
    case Kind::FixedArray: {
      if (!budget.take(0)) return std::nullopt;  // counted: T[0] takes no bytes
      auto items = decode_sequence(
          t.size, [&](size_t) -> const Type& { return t.components[0]; }, data, budget);
      if (!items) return std::nullopt;
      return Value::list(std::move(*items));
    }
    case Kind::Tuple: {
      if (!budget.take(0)) return std::nullopt;
      auto items = decode_sequence(
          t.components.size(), [&](size_t i) -> const Type& { return t.components[i]; }, data, budget);
      if (!items) return std::nullopt;
      return Value::list(std::move(*items));
    }
  }
  return std::nullopt;
}

}  // namespace

bool Type::is_dynamic() const {
  switch (kind) {
    case Kind::Bytes:
    case Kind::String:
    case Kind::Array:
      return true;
    case Kind::FixedArray:
      return size > 0 && components[0].is_dynamic();
    case Kind::Tuple:
      for (const auto& c : components)
        if (c.is_dynamic()) return true;
      return false;
    default:
      return false;
  }
}

size_t Type::head_size() const {
  if (is_dynamic()) return 32;
  if (kind == Kind::FixedArray) return size * components[0].head_size();
  if (kind == Kind::Tuple) {
    size_t s = 0;
    for (const auto& c : components) s += c.head_size();
    return s;
  }
  return 32;
}

std::string Type::canonical() const {
  switch (kind) {
    case Kind::Uint: return "uint" + std::to_string(size);
    case Kind::Address: return "address";
    case Kind::Bool: return "bool";
    case Kind::FixedBytes: return "bytes" + std::to_string(size);
    case Kind::Bytes: return "bytes";
    case Kind::String: return "string";
    case Kind::Array: return components[0].canonical() + "[]";
    case Kind::FixedArray: return components[0].canonical() + "[" + std::to_string(size) + "]";
    case Kind::Tuple: return join_types(components);
  }
  return {};
}

std::optional<Type> parse_type(std::string_view text) {
  Parser p{text};
  auto t = parse_type_at(p, 0);
  if (!t || !p.at_end()) return std::nullopt;
  return t;
}

std::optional<Bytes> encode(std::span<const Type> types, std::span<const Value> values) {
  Bytes out;
  if (!encode_sequence(types.size(), [&](size_t i) -> const Type& { return types[i]; }, values, out)) return std::nullopt;
  return out;
}

std::optional<std::vector<Value>> decode(std::span<const Type> types, std::span<const uint8_t> data) {
  DecodeBudget budget{data.size()};
  return decode_sequence(
      types.size(), [&](size_t i) -> const Type& { return types[i]; }, data, budget);
}

Selector selector(std::string_view canonical_signature) {
  const auto h = hash::keccak256(
      std::span(reinterpret_cast<const uint8_t*>(canonical_signature.data()), canonical_signature.size()));
  return Selector{h[0], h[1], h[2], h[3]};
}

std::string Function::signature() const { return name + join_types(inputs); }
Selector Function::selector() const { return abi::selector(signature()); }

std::optional<Function> parse_function(std::string_view text) {
  Parser p{text};
  Function f;
  f.name = std::string(p.word());
  if (f.name.empty() || !p.eat('(')) return std::nullopt;
  auto inputs = parse_type_list(p, 1, nullptr);
  if (!inputs || !p.eat(')')) return std::nullopt;
  f.inputs = std::move(*inputs);
  if (p.eat('(')) {
    auto outputs = parse_type_list(p, 1, nullptr);
    if (!outputs || !p.eat(')')) return std::nullopt;
    f.outputs = std::move(*outputs);
  }
  if (!p.at_end()) return std::nullopt;
  return f;
}

std::optional<Bytes> encode_call(const Function& f, std::span<const Value> args) {
  auto body = encode(f.inputs, args);
  if (!body) return std::nullopt;
  const Selector sel = f.selector();
  body->insert(body->begin(), sel.begin(), sel.end());
  return body;
}

std::optional<std::vector<Value>> decode_output(const Function& f, std::span<const uint8_t> data) {
  return decode(f.outputs, data);
}

std::string Event::signature() const { return name + join_types(inputs); }

Bytes32 Event::topic0() const {
  const std::string sig = signature();
  return hash::keccak256(std::span(reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
}

std::optional<Event> parse_event(std::string_view text) {
  Parser p{text};
  Event e;
  e.name = std::string(p.word());
  if (e.name.empty() || !p.eat('(')) return std::nullopt;
  auto inputs = parse_type_list(p, 1, &e.indexed);
  if (!inputs || !p.eat(')') || !p.at_end()) return std::nullopt;
  e.inputs = std::move(*inputs);
  return e;
}

std::optional<std::vector<Value>> decode_log(const Event& e, std::span<const Bytes32> topics,
                                             std::span<const uint8_t> data) {
  std::vector<Type> data_types;
  size_t n_indexed = 0;
  for (size_t i = 0; i < e.inputs.size(); ++i) {
    if (e.indexed[i]) {
      ++n_indexed;
    } else {
      data_types.push_back(e.inputs[i]);
    }
  }
  if (topics.size() != n_indexed + 1 || topics[0] != e.topic0()) return std::nullopt;
  auto data_values = decode(data_types, data);
  if (!data_values) return std::nullopt;
  std::vector<Value> out;
  size_t next_topic = 1, next_data = 0;
  for (size_t i = 0; i < e.inputs.size(); ++i) {
    if (!e.indexed[i]) {
      out.push_back(std::move((*data_values)[next_data++]));
      continue;
    }
    const Bytes32& topic = topics[next_topic++];
    const Type& t = e.inputs[i];
    // Indexed values of dynamic or composite type are stored as keccak256 of their encoding.
    if (t.is_dynamic() || t.kind == Kind::Tuple || t.kind == Kind::FixedArray) {
      out.push_back(Value::bytes32(topic));
      continue;
    }
    DecodeBudget budget{topic.size()};
    auto v = decode_value(t, topic, budget);
    if (!v) return std::nullopt;
    out.push_back(std::move(*v));
  }
  return out;
}

}  // namespace zkamm::l1::abi
