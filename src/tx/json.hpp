#pragma once
// JSON form of a transaction (docs/TRANSACTIONS.md section 5): {"type": "swap_exact_in", ...}
// with the struct's field names; account, token and nonce as JSON integers; amounts, deadline and
// serial as decimal strings (JavaScript numbers lose precision above 2^53); keys, addresses and
// signatures as 0x-prefixed hex.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tx/tx.hpp"

namespace zkamm::tx {

/// in_range(t).
nlohmann::json to_json(const Tx& t);

struct JsonParse {
  std::optional<Tx> tx;  ///< set on success
  std::string error;     ///< why parsing failed, when tx is empty
};

/// Strict: rejects missing or unknown keys, wrong JSON types, bad hex, non-canonical decimals and
/// out-of-range values. Never throws.
JsonParse from_json(const nlohmann::json& j) noexcept;

/// Parses JSON text first; never throws.
JsonParse from_json_text(std::string_view text) noexcept;

/// Lowercase hex with a 0x prefix.
std::string to_hex0x(const uint8_t* data, std::size_t n);

/// Decimal digits of a, without leading zeros.
std::string amount_to_decimal(Amount a);
/// Canonical decimal (no sign, no leading zeros, "0" for zero) below 2^128.
std::optional<Amount> amount_from_decimal(std::string_view s) noexcept;

}  // namespace zkamm::tx
