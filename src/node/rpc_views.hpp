#pragma once
// JSON views of the node's objects for the JSON-RPC API (docs/API.md): amounts and 64-bit
// numbers as decimal strings, hashes and bytes as 0x-hex, small integers as JSON numbers.
// Parsers return nullopt on anything non-canonical; they never throw.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/node.hpp"

namespace zkamm::node::rpc {

/// "0x" + lowercase hex.
std::string hex0x(const uint8_t* data, std::size_t n);
inline std::string hex0x(const std::vector<uint8_t>& b) { return hex0x(b.data(), b.size()); }
/// 0x-prefixed hex (either case, even length) to bytes; nullopt otherwise or above max_bytes.
std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view s, std::size_t max_bytes = 1 << 20);
/// A 32-byte hash in 0x-hex.
std::optional<Hash> hash_from_hex(std::string_view s);
/// A canonical decimal (no sign, no leading zeros) below 2^256.
std::optional<ff::U256> u256_from_decimal(std::string_view s);
/// A canonical decimal below 2^64.
std::optional<uint64_t> u64_from_decimal(std::string_view s);
/// A JSON integer in [0, max]; nullopt for anything else. json::get<uint32_t> alone would convert
/// a float such as 6e54 with undefined behaviour, and wrap a negative integer.
std::optional<uint64_t> uint_from_json(const nlohmann::json& j, uint64_t max);

nlohmann::json tx_info_json(const TxInfo& info);
/// What a transaction did. Swaps (and the rest): {"amount_in","amount_out","liquidity","lp_token"};
/// add_liquidity: {"amount_a","amount_b","liquidity" (minted)}; remove_liquidity: {"amount_a",
/// "amount_b","liquidity" (burned)}, amounts in the transaction's token_a / token_b order.
nlohmann::json executed_json(const tx::Executed& e, const tx::Tx* t = nullptr);
nlohmann::json account_json(const state::Account& a);
nlohmann::json pool_json(const state::Pool& p);
nlohmann::json block_header_json(const BlockHeader& h);
/// full: transactions as objects (hash, tx, executed), else only their hashes.
nlohmann::json block_json(const Block& b, bool full);
nlohmann::json batch_json(const Batch& b);
/// {"stage": "soft"|"committed"|"proven"|"finalized", "committed", "proven", "finalized" (ms),
///  "commit_tx", "prove_tx", "execute_tx" (0x-hex or null)}
nlohmann::json batch_l1_json(const BatchL1Info& i);
nlohmann::json status_json(const NodeStatus& s, const tx::Domain& d);
nlohmann::json domain_json(const tx::Domain& d);

}  // namespace zkamm::node::rpc
