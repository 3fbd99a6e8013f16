#pragma once
// Values exchanged with an Ethereum JSON-RPC node (https://ethereum.org/en/developers/docs/apis/json-rpc/)
// and the result type of every RpcClient call.
#include <optional>
#include <string>
#include <vector>

#include "l1/bytes.hpp"
#include "util/result.hpp"

namespace zkamm::l1 {

enum class RpcErrorKind : uint8_t {
  Transport,    // no HTTP answer (connect, timeout, I/O)
  Rpc,          // the node answered with a JSON-RPC error object
  BadResponse,  // the answer was not the JSON-RPC response we expected
  Timeout,      // TxSender: no receipt (or not enough confirmations) in time
  Reverted,     // TxSender: the transaction was mined with status 0
};

struct RpcError {
  RpcErrorKind kind = RpcErrorKind::BadResponse;
  int64_t code = 0;     // JSON-RPC error code (kind == Rpc)
  std::string message;  // e.g. "execution reverted: ..." or "nonce too low"
  std::string data;     // error.data: a hex string (revert data) as is, other JSON dumped
  /// The revert data of a failed call, when error.data is a hex string.
  std::optional<Bytes> revert_data() const;
  bool message_contains(std::string_view needle) const;
};

/// A value or the error that prevented it: the project's result type (util/result.hpp) with the
/// L1 client's error, which carries more than a code and a message (JSON-RPC code, revert data).
template <class T>
using Result = zkamm::Result<T, RpcError>;

/// "latest", "pending", "earliest", "safe", "finalized" or a block number.
struct BlockTag {
  std::string text;
  static BlockTag latest() { return {"latest"}; }
  static BlockTag pending() { return {"pending"}; }
  static BlockTag earliest() { return {"earliest"}; }
  static BlockTag safe() { return {"safe"}; }
  static BlockTag finalized() { return {"finalized"}; }
  static BlockTag number(uint64_t n) { return {to_quantity(n)}; }
};

struct Block {
  uint64_t number = 0;
  Bytes32 hash{};
  Bytes32 parent_hash{};
  uint64_t timestamp = 0;
  uint64_t gas_limit = 0;
  uint64_t gas_used = 0;
  std::optional<U256> base_fee_per_gas;  // absent before London
};

struct Log {
  Address address{};
  std::vector<Bytes32> topics;
  Bytes data;
  uint64_t block_number = 0;
  Bytes32 block_hash{};
  Bytes32 transaction_hash{};
  uint64_t log_index = 0;
  bool removed = false;
};

struct Receipt {
  Bytes32 transaction_hash{};
  bool status = false;  // true: success
  uint64_t block_number = 0;
  Bytes32 block_hash{};
  uint64_t gas_used = 0;
  U256 effective_gas_price{};
  Address from{};
  std::optional<Address> to;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
};

/// eth_call / eth_estimateGas arguments.
struct CallRequest {
  std::optional<Address> from;
  std::optional<Address> to;  // nullopt: simulate a contract creation
  Bytes data;
  std::optional<U256> value;
  std::optional<uint64_t> gas;
};

/// eth_getLogs filter: topics[i] empty matches anything at position i, else any of its values.
struct LogFilter {
  std::optional<BlockTag> from_block;
  std::optional<BlockTag> to_block;
  std::vector<Address> addresses;
  std::vector<std::vector<Bytes32>> topics;
};

}  // namespace zkamm::l1
