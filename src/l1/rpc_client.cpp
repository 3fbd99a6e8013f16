#include "l1/rpc_client.hpp"

#include <cctype>

namespace zkamm::l1 {

using json = nlohmann::json;

std::optional<Bytes> RpcError::revert_data() const {
  if (!data.starts_with("0x")) return std::nullopt;
  return from_hex(data);
}

bool RpcError::message_contains(std::string_view needle) const {
  // Case-insensitive: nodes differ ("nonce too low" in geth, "Nonce too low" elsewhere).
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  return lower(message).find(lower(needle)) != std::string::npos;
}

namespace {

RpcError bad_response(std::string what) { return RpcError{RpcErrorKind::BadResponse, 0, std::move(what), {}}; }

// Non-throwing accessors: a missing or mistyped field is nullopt (nlohmann's get<> would throw).
std::optional<std::string_view> str_at(const json& obj, const char* key) {
  if (!obj.is_object()) return std::nullopt;
  const auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return std::nullopt;
  return std::string_view(it->get_ref<const std::string&>());
}

std::optional<std::string_view> as_str(const json& j) {
  if (!j.is_string()) return std::nullopt;
  return std::string_view(j.get_ref<const std::string&>());
}

template <class T, class Parse>
std::optional<T> parse_at(const json& obj, const char* key, Parse parse) {
  const auto s = str_at(obj, key);
  if (!s) return std::nullopt;
  return parse(*s);
}

std::optional<uint64_t> u64_at(const json& obj, const char* key) {
  return parse_at<uint64_t>(obj, key, u64_from_quantity);
}
std::optional<U256> u256_at(const json& obj, const char* key) { return parse_at<U256>(obj, key, u256_from_quantity); }
std::optional<Bytes32> b32_at(const json& obj, const char* key) { return parse_at<Bytes32>(obj, key, bytes32_from_hex); }
std::optional<Address> addr_at(const json& obj, const char* key) { return parse_at<Address>(obj, key, address_from_hex); }
std::optional<Bytes> bytes_at(const json& obj, const char* key) { return parse_at<Bytes>(obj, key, from_hex); }

// A field that may be absent or null; present but malformed is an error (outer nullopt).
std::optional<std::optional<Address>> nullable_addr_at(const json& obj, const char* key) {
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<Address>{};
  const auto s = as_str(*it);
  if (!s) return std::nullopt;
  const auto a = address_from_hex(*s);
  if (!a) return std::nullopt;
  return std::optional<Address>{*a};
}

std::optional<Log> parse_log(const json& j) {
  Log log;
  const auto address = addr_at(j, "address");
  const auto data = bytes_at(j, "data");
  const auto bn = u64_at(j, "blockNumber");
  const auto bh = b32_at(j, "blockHash");
  const auto th = b32_at(j, "transactionHash");
  const auto li = u64_at(j, "logIndex");
  const auto topics = j.find("topics");
  if (!address || !data || !bn || !bh || !th || !li || topics == j.end() || !topics->is_array()) return std::nullopt;
  for (const auto& t : *topics) {
    const auto s = as_str(t);
    const auto b = s ? bytes32_from_hex(*s) : std::nullopt;
    if (!b) return std::nullopt;
    log.topics.push_back(*b);
  }
  log.address = *address;
  log.data = *data;
  log.block_number = *bn;
  log.block_hash = *bh;
  log.transaction_hash = *th;
  log.log_index = *li;
  const auto removed = j.find("removed");
  log.removed = removed != j.end() && removed->is_boolean() && removed->get<bool>();
  return log;
}

std::optional<Receipt> parse_receipt(const json& j) {
  Receipt r;
  const auto th = b32_at(j, "transactionHash");
  const auto status = u64_at(j, "status");
  const auto bn = u64_at(j, "blockNumber");
  const auto bh = b32_at(j, "blockHash");
  const auto gas = u64_at(j, "gasUsed");
  const auto price = u256_at(j, "effectiveGasPrice");
  const auto from = addr_at(j, "from");
  const auto to = nullable_addr_at(j, "to");
  const auto created = nullable_addr_at(j, "contractAddress");
  const auto logs = j.find("logs");
  if (!th || !status || *status > 1 || !bn || !bh || !gas || !price || !from || !to || !created ||
      logs == j.end() || !logs->is_array())
    return std::nullopt;
  for (const auto& l : *logs) {
    auto log = parse_log(l);
    if (!log) return std::nullopt;
    r.logs.push_back(std::move(*log));
  }
  r.transaction_hash = *th;
  r.status = *status == 1;
  r.block_number = *bn;
  r.block_hash = *bh;
  r.gas_used = *gas;
  r.effective_gas_price = *price;
  r.from = *from;
  r.to = *to;
  r.contract_address = *created;
  return r;
}

std::optional<Block> parse_block(const json& j) {
  Block b;
  const auto number = u64_at(j, "number");
  const auto hash = b32_at(j, "hash");
  const auto parent = b32_at(j, "parentHash");
  const auto ts = u64_at(j, "timestamp");
  const auto gas_limit = u64_at(j, "gasLimit");
  const auto gas_used = u64_at(j, "gasUsed");
  if (!number || !hash || !parent || !ts || !gas_limit || !gas_used) return std::nullopt;
  b.number = *number;
  b.hash = *hash;
  b.parent_hash = *parent;
  b.timestamp = *ts;
  b.gas_limit = *gas_limit;
  b.gas_used = *gas_used;
  if (j.contains("baseFeePerGas")) {
    b.base_fee_per_gas = u256_at(j, "baseFeePerGas");
    if (!b.base_fee_per_gas) return std::nullopt;
  }
  return b;
}

json call_object(const CallRequest& c) {
  json o = json::object();
  if (c.from) o["from"] = to_hex(*c.from);
  if (c.to) o["to"] = to_hex(*c.to);
  // "input" is the current name, "data" the older one; nodes accept both when they agree.
  o["input"] = to_hex(c.data);
  o["data"] = o["input"];
  if (c.value) o["value"] = to_quantity(*c.value);
  if (c.gas) o["gas"] = to_quantity(*c.gas);
  return o;
}

// Converts a JSON result with `parse`, or reports what was wrong with it.
template <class T, class Parse>
Result<T> convert(Result<json> r, Parse parse, const char* what) {
  if (!r) return r.error();
  std::optional<T> v = parse(*r);
  if (!v) return bad_response(std::string("malformed ") + what);
  return std::move(*v);
}

Result<uint64_t> quantity_u64(Result<json> r, const char* what) {
  return convert<uint64_t>(std::move(r), [](const json& j) -> std::optional<uint64_t> {
    const auto s = as_str(j);
    return s ? u64_from_quantity(*s) : std::nullopt;
  }, what);
}

Result<U256> quantity_u256(Result<json> r, const char* what) {
  return convert<U256>(std::move(r), [](const json& j) -> std::optional<U256> {
    const auto s = as_str(j);
    return s ? u256_from_quantity(*s) : std::nullopt;
  }, what);
}

Result<Bytes> data_bytes(Result<json> r, const char* what) {
  return convert<Bytes>(std::move(r), [](const json& j) -> std::optional<Bytes> {
    const auto s = as_str(j);
    return s ? from_hex(*s) : std::nullopt;
  }, what);
}

// Test-helper methods answer true, null or a quantity; any non-error answer counts as done.
Result<bool> done(Result<json> r) {
  if (!r) return r.error();
  if (r->is_boolean()) return r->get<bool>();
  return true;
}

}  // namespace

std::unique_ptr<RpcClient> RpcClient::create(std::string_view url, std::chrono::milliseconds timeout) {
  auto ep = parse_http_url(url);
  if (!ep) return nullptr;
  return std::make_unique<RpcClient>(std::move(*ep), timeout);
}

RpcClient::RpcClient(HttpEndpoint endpoint, std::chrono::milliseconds timeout) : http_(std::move(endpoint), timeout) {}

Result<json> RpcClient::request(std::string_view method, const json& params) {
  std::lock_guard lock(mutex_);
  const uint64_t id = next_id_++;
  const json req = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  const HttpResult http = http_.post(req.dump());
  if (!http.ok()) return RpcError{RpcErrorKind::Transport, 0, http.error_message, {}};
  json res = json::parse(http.body, nullptr, /*allow_exceptions=*/false);
  if (res.is_discarded() || !res.is_object()) {
    return bad_response("HTTP " + std::to_string(http.status) + ": not a JSON-RPC response");
  }
  const auto rid = res.find("id");
  if (rid == res.end() || !rid->is_number_unsigned() || rid->get<uint64_t>() != id) {
    return bad_response("JSON-RPC response id mismatch");
  }
  if (const auto err = res.find("error"); err != res.end() && !err->is_null()) {
    RpcError e{RpcErrorKind::Rpc, 0, {}, {}};
    if (err->is_object()) {
      if (const auto c = err->find("code"); c != err->end() && c->is_number_integer()) e.code = c->get<int64_t>();
      if (const auto m = str_at(*err, "message")) e.message = std::string(*m);
      if (const auto d = err->find("data"); d != err->end() && !d->is_null()) {
        e.data = d->is_string() ? d->get<std::string>() : d->dump(-1, ' ', false, json::error_handler_t::replace);
      }
    }
    return e;
  }
  const auto result = res.find("result");
  if (result == res.end()) return bad_response("JSON-RPC response without result");
  return std::move(*result);
}

Result<uint64_t> RpcClient::chain_id() { return quantity_u64(request("eth_chainId", json::array()), "chain id"); }

Result<uint64_t> RpcClient::block_number() {
  return quantity_u64(request("eth_blockNumber", json::array()), "block number");
}

Result<U256> RpcClient::get_balance(const Address& a, const BlockTag& tag) {
  return quantity_u256(request("eth_getBalance", {to_hex(a), tag.text}), "balance");
}

Result<uint64_t> RpcClient::get_transaction_count(const Address& a, const BlockTag& tag) {
  return quantity_u64(request("eth_getTransactionCount", {to_hex(a), tag.text}), "transaction count");
}

Result<Bytes> RpcClient::get_code(const Address& a, const BlockTag& tag) {
  return data_bytes(request("eth_getCode", {to_hex(a), tag.text}), "code");
}

Result<U256> RpcClient::gas_price() { return quantity_u256(request("eth_gasPrice", json::array()), "gas price"); }

Result<U256> RpcClient::max_priority_fee_per_gas() {
  return quantity_u256(request("eth_maxPriorityFeePerGas", json::array()), "priority fee");
}

Result<std::optional<Block>> RpcClient::get_block_by_number(const BlockTag& tag) {
  return convert<std::optional<Block>>(request("eth_getBlockByNumber", {tag.text, false}),
                                       [](const json& j) -> std::optional<std::optional<Block>> {
                                         if (j.is_null()) return std::optional<Block>{};
                                         auto b = parse_block(j);
                                         if (!b) return std::nullopt;
                                         return std::optional<Block>{std::move(*b)};
                                       },
                                       "block");
}

Result<uint64_t> RpcClient::estimate_gas(const CallRequest& c) {
  return quantity_u64(request("eth_estimateGas", json::array({call_object(c)})), "gas estimate");
}

Result<Bytes> RpcClient::call(const CallRequest& c, const BlockTag& tag) {
  return data_bytes(request("eth_call", {call_object(c), tag.text}), "call result");
}

Result<Bytes32> RpcClient::send_raw_transaction(std::span<const uint8_t> raw) {
  return convert<Bytes32>(request("eth_sendRawTransaction", json::array({to_hex(raw)})),
                          [](const json& j) -> std::optional<Bytes32> {
                            const auto s = as_str(j);
                            return s ? bytes32_from_hex(*s) : std::nullopt;
                          },
                          "transaction hash");
}

Result<std::optional<Receipt>> RpcClient::get_transaction_receipt(const Bytes32& tx_hash) {
  return convert<std::optional<Receipt>>(request("eth_getTransactionReceipt", json::array({to_hex(tx_hash)})),
                                         [](const json& j) -> std::optional<std::optional<Receipt>> {
                                           if (j.is_null()) return std::optional<Receipt>{};
                                           auto r = parse_receipt(j);
                                           if (!r) return std::nullopt;
                                           return std::optional<Receipt>{std::move(*r)};
                                         },
                                         "receipt");
}

Result<std::vector<Log>> RpcClient::get_logs(const LogFilter& f) {
  json filter = json::object();
  if (f.from_block) filter["fromBlock"] = f.from_block->text;
  if (f.to_block) filter["toBlock"] = f.to_block->text;
  if (f.addresses.size() == 1) {
    filter["address"] = to_hex(f.addresses[0]);
  } else if (!f.addresses.empty()) {
    json a = json::array();
    for (const auto& x : f.addresses) a.push_back(to_hex(x));
    filter["address"] = a;
  }
  if (!f.topics.empty()) {
    json topics = json::array();
    for (const auto& alternatives : f.topics) {
      if (alternatives.empty()) {
        topics.push_back(nullptr);
        continue;
      }
      json any = json::array();
      for (const auto& t : alternatives) any.push_back(to_hex(t));
      topics.push_back(any);
    }
    filter["topics"] = topics;
  }
  return convert<std::vector<Log>>(request("eth_getLogs", json::array({filter})),
                                   [](const json& j) -> std::optional<std::vector<Log>> {
                                     if (!j.is_array()) return std::nullopt;
                                     std::vector<Log> logs;
                                     for (const auto& l : j) {
                                       auto log = parse_log(l);
                                       if (!log) return std::nullopt;
                                       logs.push_back(std::move(*log));
                                     }
                                     return logs;
                                   },
                                   "logs");
}

Result<bool> RpcClient::evm_mine() { return done(request("evm_mine", json::array())); }

Result<U256> RpcClient::evm_snapshot() { return quantity_u256(request("evm_snapshot", json::array()), "snapshot id"); }

Result<bool> RpcClient::evm_revert(const U256& snapshot_id) {
  return done(request("evm_revert", json::array({to_quantity(snapshot_id)})));
}

Result<bool> RpcClient::evm_set_automine(bool on) { return done(request("evm_setAutomine", json::array({on}))); }

Result<bool> RpcClient::evm_increase_time(uint64_t seconds) {
  return done(request("evm_increaseTime", json::array({seconds})));
}

Result<bool> RpcClient::anvil_set_next_block_timestamp(uint64_t timestamp) {
  return done(request("anvil_setNextBlockTimestamp", json::array({timestamp})));
}

Result<bool> RpcClient::anvil_set_next_block_base_fee_per_gas(const U256& fee) {
  return done(request("anvil_setNextBlockBaseFeePerGas", json::array({to_quantity(fee)})));
}

Result<bool> RpcClient::anvil_set_balance(const Address& a, const U256& wei) {
  return done(request("anvil_setBalance", json::array({to_hex(a), to_quantity(wei)})));
}

}  // namespace zkamm::l1
