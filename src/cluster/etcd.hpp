#pragma once
// A small etcd v3 client over its HTTP/JSON gateway (etcd 3.4: /v3/lease/grant, keepalive and
// revoke, /v3/kv/range, /v3/kv/txn, /v3/kv/deleterange; keys and values are base64 in JSON,
// 64-bit numbers are JSON strings). One keep-alive HTTP connection; calls are serialised.
// Errors (transport, HTTP status, an etcd error body) come back as nullopt/false with error().
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "node/rpc_client.hpp"

namespace zkamm::cluster {

std::string base64_encode(std::string_view in);
std::optional<std::string> base64_decode(std::string_view in);

struct KeyValue {
  std::string key;
  std::string value;
  int64_t create_revision = 0;  ///< the revision of the put that created the key (a fencing token)
  int64_t mod_revision = 0;
  int64_t lease = 0;            ///< 0: none
};

class Etcd {
 public:
  explicit Etcd(node::rpc::Endpoint ep, std::chrono::milliseconds timeout = std::chrono::milliseconds(1000));

  /// A lease of `ttl_s` seconds; its id.
  std::optional<int64_t> lease_grant(int64_t ttl_s);
  /// Renews the lease: its remaining TTL in seconds, 0 when it expired (or was revoked).
  std::optional<int64_t> lease_keepalive(int64_t id);
  bool lease_revoke(int64_t id);
  std::optional<KeyValue> get(const std::string& key);  ///< nullopt: missing or error (see error())
  /// Every key that starts with `prefix`.
  std::optional<std::vector<KeyValue>> get_prefix(const std::string& prefix);
  bool put(const std::string& key, const std::string& value, int64_t lease = 0);
  bool del(const std::string& key);
  /// Compare-and-swap: creates `key` = value with `lease` only if the key does not exist. The
  /// created key's revision when it won; 0 when another holds it; nullopt on error.
  std::optional<int64_t> create_if_absent(const std::string& key, const std::string& value, int64_t lease);
  /// Deletes `key` only while its create_revision is `revision` (resigning a leadership).
  bool delete_if_revision(const std::string& key, int64_t revision);
  /// The last call's failure ("" after a success).
  std::string error() const;

 private:
  std::optional<nlohmann::json> call(const std::string& target, const nlohmann::json& body);
  mutable std::mutex mu_;
  node::rpc::Client client_;
  std::string error_;
};

}  // namespace zkamm::cluster
