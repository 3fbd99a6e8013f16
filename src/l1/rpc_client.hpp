#pragma once
// Ethereum JSON-RPC 2.0 client over HTTP/1.1. Calls are synchronous and serialised by a mutex, so
// one client may be shared by threads (or use one client per thread for parallel calls).
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "l1/http_client.hpp"
#include "l1/rpc_types.hpp"

namespace zkamm::l1 {

class RpcClient {
 public:
  /// nullptr when `url` is not "http://host[:port][/path]".
  static std::unique_ptr<RpcClient> create(std::string_view url,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(10));
  RpcClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout);

  /// Any method: the JSON "result" or the error. params must be an array.
  Result<nlohmann::json> request(std::string_view method, const nlohmann::json& params);

  Result<uint64_t> chain_id();
  Result<uint64_t> block_number();
  Result<U256> get_balance(const Address& a, const BlockTag& tag = BlockTag::latest());
  Result<uint64_t> get_transaction_count(const Address& a, const BlockTag& tag = BlockTag::pending());
  Result<Bytes> get_code(const Address& a, const BlockTag& tag = BlockTag::latest());
  Result<U256> gas_price();
  Result<U256> max_priority_fee_per_gas();
  /// nullopt when the node has no such block.
  Result<std::optional<Block>> get_block_by_number(const BlockTag& tag = BlockTag::latest());
  Result<uint64_t> estimate_gas(const CallRequest& call);
  Result<Bytes> call(const CallRequest& call, const BlockTag& tag = BlockTag::latest());
  Result<Bytes32> send_raw_transaction(std::span<const uint8_t> raw);
  /// nullopt while the transaction is not mined (or unknown).
  Result<std::optional<Receipt>> get_transaction_receipt(const Bytes32& tx_hash);
  Result<std::vector<Log>> get_logs(const LogFilter& filter);

  // anvil / hardhat test helpers.
  Result<bool> evm_mine();
  Result<U256> evm_snapshot();
  Result<bool> evm_revert(const U256& snapshot_id);
  Result<bool> evm_set_automine(bool on);
  Result<bool> evm_increase_time(uint64_t seconds);
  Result<bool> anvil_set_next_block_timestamp(uint64_t timestamp);
  Result<bool> anvil_set_next_block_base_fee_per_gas(const U256& fee);
  Result<bool> anvil_set_balance(const Address& a, const U256& wei);

 private:
  HttpClient http_;
  std::mutex mutex_;
  uint64_t next_id_ = 1;
};

}  // namespace zkamm::l1
