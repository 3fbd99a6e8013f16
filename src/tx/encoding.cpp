#include "tx/encoding.hpp"

#include <array>
#include <type_traits>

#include "hash/keccak256.hpp"

namespace zkamm::tx {
namespace {

template <class T>
constexpr std::size_t width() noexcept {
  if constexpr (std::is_same_v<T, Amount>) {
    return 16;
  } else if constexpr (std::is_integral_v<T>) {
    return sizeof(T);
  } else {
    return std::tuple_size_v<T>;
  }
}

template <class T>
void put(std::vector<uint8_t>& out, const T& v) {
  if constexpr (std::is_integral_v<T> || std::is_same_v<T, Amount>) {
    for (std::size_t i = width<T>(); i-- > 0;) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  } else {
    out.insert(out.end(), v.begin(), v.end());
  }
}

template <class T>
void get(const uint8_t* in, T& v) noexcept {
  if constexpr (std::is_integral_v<T> || std::is_same_v<T, Amount>) {
    v = 0;
    for (std::size_t i = 0; i < width<T>(); ++i) v = static_cast<T>((v << 8) | in[i]);
  } else {
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = in[i];
  }
}

template <class T>
bool field_ok(const T& v, Field f) noexcept {
  if constexpr (std::is_integral_v<T>) {
    if (f == Field::Account) return v < kAccountLimit;
    if (f == Field::Token) return v < kTokenLimit;
  }
  (void)v;
  (void)f;
  return true;
}

template <class T>
constexpr std::size_t body_size() noexcept {
  std::size_t n = 0;
  T dummy{};
  T::visit(dummy, [&](const char*, auto& m, Field) { n += width<std::remove_cvref_t<decltype(m)>>(); });
  return n;
}

}  // namespace

bool in_range(const Tx& t) noexcept {
  return std::visit(
      [](const auto& x) {
        bool ok = true;
        std::remove_cvref_t<decltype(x)>::visit(x, [&](const char*, const auto& m, Field f) { ok = ok && field_ok(m, f); });
        return ok;
      },
      t);
}

std::vector<uint8_t> encode(const Tx& t) {
  std::vector<uint8_t> out;
  out.reserve(encoded_size(type_of(t)));
  out.push_back(static_cast<uint8_t>(t.index()));
  std::visit([&](const auto& x) { std::remove_cvref_t<decltype(x)>::visit(x, [&](const char*, const auto& m, Field) { put(out, m); }); },
             t);
  return out;
}

std::size_t encoded_size(TxType type) noexcept {
  static const std::array<std::size_t, kTxTypeCount> sizes = [] {
    std::array<std::size_t, kTxTypeCount> s{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((s[I] = 1 + body_size<std::variant_alternative_t<I, Tx>>()), ...);
    }(std::make_index_sequence<kTxTypeCount>{});
    return s;
  }();
  const auto i = static_cast<std::size_t>(type);
  return i < kTxTypeCount ? sizes[i] : 0;
}

std::optional<Tx> decode(std::span<const uint8_t> in, DecodeError* why) noexcept {
  DecodeError dummy = DecodeError::None;
  DecodeError& err = why ? *why : dummy;
  err = DecodeError::None;
  if (in.empty()) {
    err = DecodeError::Empty;
    return std::nullopt;
  }
  if (in[0] >= kTxTypeCount) {
    err = DecodeError::UnknownType;
    return std::nullopt;
  }
  const std::size_t size = encoded_size(static_cast<TxType>(in[0]));
  if (in.size() < size) {
    err = DecodeError::Truncated;
    return std::nullopt;
  }
  if (in.size() > size) {
    err = DecodeError::TrailingBytes;
    return std::nullopt;
  }
  std::optional<Tx> result;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((in[0] == I ? (void)(result.emplace(std::in_place_index<I>)) : void()), ...);
  }(std::make_index_sequence<kTxTypeCount>{});
  std::size_t pos = 1;
  std::visit(
      [&](auto& x) {
        std::remove_cvref_t<decltype(x)>::visit(x, [&](const char*, auto& m, Field f) {
          get(in.data() + pos, m);
          pos += width<std::remove_cvref_t<decltype(m)>>();
          if (err == DecodeError::None && !field_ok(m, f)) {
            err = f == Field::Account ? DecodeError::AccountOutOfRange : DecodeError::TokenOutOfRange;
          }
        });
      },
      *result);
  if (err != DecodeError::None) return std::nullopt;
  return result;
}

hash::Digest32 tx_hash(const Tx& t) {
  const std::vector<uint8_t> bytes = encode(t);
  return hash::keccak256(bytes);
}

std::string_view type_name(TxType t) noexcept {
  static constexpr std::array<std::string_view, kTxTypeCount> names = {
      "noop", "deposit", "full_exit", "transfer", "swap_exact_in", "swap_exact_out", "create_pool", "add_liquidity",
      "remove_liquidity", "withdraw", "create_account"};
  const auto i = static_cast<std::size_t>(t);
  return i < kTxTypeCount ? names[i] : std::string_view{};
}

}  // namespace zkamm::tx
