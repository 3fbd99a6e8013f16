#pragma once
// The one canonical binary encoding of a transaction (docs/TRANSACTIONS.md section 2): the type
// byte, then each field of the struct's `visit` list as fixed-width big-endian bytes.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "hash/sha256.hpp"
#include "tx/tx.hpp"

namespace zkamm::tx {

enum class DecodeError : uint8_t {
  None = 0,
  Empty,
  UnknownType,
  Truncated,
  TrailingBytes,
  AccountOutOfRange,  ///< an account index >= 2^24
  TokenOutOfRange,    ///< a token id >= 2^10
};

/// True when every account index is < 2^24 and every token id < 2^10 (amounts are < 2^128 by type).
[[nodiscard]] bool in_range(const Tx& t) noexcept;

/// Canonical bytes; in_range(t) (otherwise the bytes do not decode).
std::vector<uint8_t> encode(const Tx& t);

/// Size of the canonical encoding of a transaction of type `type` (valid type).
std::size_t encoded_size(TxType type) noexcept;

/// Decodes exactly one transaction filling all of `in`; nullopt (and *why) on any deviation.
[[nodiscard]] std::optional<Tx> decode(std::span<const uint8_t> in, DecodeError* why = nullptr) noexcept;

/// Transaction hash: keccak256 of the canonical encoding (signature included); in_range(t).
hash::Digest32 tx_hash(const Tx& t);

}  // namespace zkamm::tx
