#include "tx/json.hpp"

#include <type_traits>

#include "tx/encoding.hpp"

namespace zkamm::tx {
namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <std::size_t N>
bool from_hex0x(std::string_view s, std::array<uint8_t, N>& out) noexcept {
  if (s.size() != 2 + 2 * N || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return false;
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = hex_digit(s[2 + 2 * i]);
    const int lo = hex_digit(s[3 + 2 * i]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return true;
}

struct Reader {
  const nlohmann::json& j;
  std::string error;
  std::size_t used = 1;  // "type"

  template <class T>
  void operator()(const char* name, T& m, Field f) {
    if (!error.empty()) return;
    const auto it = j.find(name);
    if (it == j.end()) {
      error = std::string("missing key \"") + name + "\"";
      return;
    }
    ++used;
    const nlohmann::json& v = *it;
    const std::string bad = std::string("bad value for \"") + name + "\": ";
    if constexpr (std::is_same_v<T, Amount>) {
      const auto a = v.is_string() ? amount_from_decimal(v.get_ref<const std::string&>()) : std::nullopt;
      if (!a) error = bad + "expected a decimal string below 2^128";
      else m = *a;
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      // u64 as a decimal string: JSON numbers above 2^53 lose precision in JavaScript
      const auto a = v.is_string() ? amount_from_decimal(v.get_ref<const std::string&>()) : std::nullopt;
      if (!a || *a > ~uint64_t{0}) error = bad + "expected a decimal string below 2^64";
      else m = static_cast<uint64_t>(*a);
    } else if constexpr (std::is_integral_v<T>) {
      uint64_t x = 0;
      if (v.is_number_unsigned()) {
        x = v.get<uint64_t>();
      } else if (v.is_number_integer() && v.get<int64_t>() >= 0) {
        x = static_cast<uint64_t>(v.get<int64_t>());
      } else {
        error = bad + "expected a non-negative integer";
        return;
      }
      uint64_t limit = uint64_t{1} << (8 * sizeof(T));
      if (f == Field::Account) limit = kAccountLimit;
      if (f == Field::Token) limit = kTokenLimit;
      if (x >= limit) {
        error = bad + "out of range";
        return;
      }
      m = static_cast<T>(x);
    } else {
      if (!v.is_string() || !from_hex0x(v.get_ref<const std::string&>(), m)) {
        error = bad + "expected 0x and " + std::to_string(2 * m.size()) + " hex digits";
      }
    }
  }
};

template <std::size_t... I>
std::optional<Tx> make_tx(std::string_view name, std::index_sequence<I...>) {
  std::optional<Tx> t;
  ((name == type_name(static_cast<TxType>(I)) ? (void)t.emplace(std::in_place_index<I>) : void()), ...);
  return t;
}

}  // namespace

std::string to_hex0x(const uint8_t* data, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s = "0x";
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(digits[data[i] >> 4]);
    s.push_back(digits[data[i] & 15]);
  }
  return s;
}

std::string amount_to_decimal(Amount a) {
  return ff::to_decimal(to_u256(a));
}

std::optional<Amount> amount_from_decimal(std::string_view s) noexcept {
  if (s.empty() || s.size() > 39 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  Amount v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<Amount>(c - '0');
    if (v > (~Amount{0} - d) / 10) return std::nullopt;  // 2^128 or more
    v = v * 10 + d;
  }
  return v;
}

nlohmann::json to_json(const Tx& t) {
  nlohmann::json j = nlohmann::json::object();
  j["type"] = std::string(type_name(type_of(t)));
  std::visit(
      [&](const auto& x) {
        std::remove_cvref_t<decltype(x)>::visit(x, [&](const char* name, const auto& m, Field) {
          using T = std::remove_cvref_t<decltype(m)>;
          if constexpr (std::is_same_v<T, Amount>) {
            j[name] = amount_to_decimal(m);
          } else if constexpr (std::is_same_v<T, uint64_t>) {
            j[name] = std::to_string(m);
          } else if constexpr (std::is_integral_v<T>) {
            j[name] = static_cast<uint64_t>(m);
          } else {
            j[name] = to_hex0x(m.data(), m.size());
          }
        });
      },
      t);
  return j;
}

JsonParse from_json(const nlohmann::json& j) noexcept {
  JsonParse r;
  try {
    if (!j.is_object()) {
      r.error = "expected a JSON object";
      return r;
    }
    const auto type = j.find("type");
    if (type == j.end() || !type->is_string()) {
      r.error = "missing or non-string \"type\"";
      return r;
    }
    std::optional<Tx> t = make_tx(type->get_ref<const std::string&>(), std::make_index_sequence<kTxTypeCount>{});
    if (!t) {
      r.error = "unknown type \"" + type->get<std::string>() + "\"";
      return r;
    }
    Reader reader{j, {}};
    std::visit([&](auto& x) { std::remove_cvref_t<decltype(x)>::visit(x, reader); }, *t);
    if (!reader.error.empty()) {
      r.error = reader.error;
      return r;
    }
    if (reader.used != j.size()) {
      r.error = "unknown keys for type \"" + type->get<std::string>() + "\"";
      return r;
    }
    r.tx = std::move(t);
  } catch (const std::exception& e) {  // allocation failure or a nlohmann surprise
    r.tx.reset();
    r.error = e.what();
  }
  return r;
}

JsonParse from_json_text(std::string_view text) noexcept {
  try {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return {std::nullopt, "invalid JSON text"};
    return from_json(j);
  } catch (const std::exception& e) {
    return {std::nullopt, e.what()};
  }
}

}  // namespace zkamm::tx
