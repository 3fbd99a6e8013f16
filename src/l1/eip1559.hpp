#pragma once
// EIP-1559 (type 2) transactions: signing hash keccak256(0x02 || rlp(fields)), raw form
// 0x02 || rlp(fields ++ [y_parity, r, s]), hash keccak256(raw). The access list is always empty.
#include <optional>
#include <span>

#include "l1/bytes.hpp"
#include "l1/key.hpp"

namespace zkamm::l1 {

struct Eip1559Tx {
  uint64_t chain_id = 0;
  uint64_t nonce = 0;
  U256 max_priority_fee_per_gas{};
  U256 max_fee_per_gas{};
  uint64_t gas_limit = 0;
  std::optional<Address> to;  // nullopt: contract creation, `data` is the init code
  U256 value{};
  Bytes data;
  bool operator==(const Eip1559Tx&) const = default;
};

struct SignedTx {
  Eip1559Tx tx;
  Signature sig;
};

/// The digest the sender signs.
Bytes32 signing_hash(const Eip1559Tx& tx);
/// The raw transaction for eth_sendRawTransaction.
Bytes encode_signed(const Eip1559Tx& tx, const Signature& sig);
/// Signs and encodes in one step.
Bytes sign_tx(const Eip1559Tx& tx, const PrivateKey& key);
/// keccak256 of the raw transaction: the hash nodes report.
Bytes32 tx_hash(std::span<const uint8_t> raw);
/// Strict decoding of a raw type-2 transaction with an empty access list (canonical RLP, 20-byte
/// or empty `to`, y_parity 0/1, r and s as canonical integers).
std::optional<SignedTx> decode_signed(std::span<const uint8_t> raw);

}  // namespace zkamm::l1
