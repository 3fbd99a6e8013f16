// etcd v3 JSON gateway client; see etcd.hpp. Field names follow the gateway's protobuf JSON
// mapping (requests: lowerCamelCase accepted; responses: snake_case, int64 as strings).
#include "cluster/etcd.hpp"

#include <array>

namespace zkamm::cluster {

using nlohmann::json;

namespace {
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int64_t i64(const json& o, const char* k) {
  const auto it = o.find(k);
  if (it == o.end()) return 0;
  if (it->is_string()) {
    try {
      return std::stoll(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::optional<KeyValue> kv_of(const json& j) {
  KeyValue kv;
  const auto k = base64_decode(j.value("key", ""));
  const auto v = base64_decode(j.value("value", ""));
  if (!k || !v) return std::nullopt;
  kv.key = *k;
  kv.value = *v;
  kv.create_revision = i64(j, "create_revision");
  kv.mod_revision = i64(j, "mod_revision");
  kv.lease = i64(j, "lease");
  return kv;
}

/// The first key after every key with this prefix (etcd's range_end for a prefix).
std::string prefix_end(std::string p) {
  while (!p.empty()) {
    if (static_cast<unsigned char>(p.back()) != 0xff) {
      p.back() = static_cast<char>(static_cast<unsigned char>(p.back()) + 1);
      return p;
    }
    p.pop_back();
  }
  return std::string(1, '\0');
}
}  // namespace

std::string base64_encode(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view in) {
  std::array<int, 256> val{};
  val.fill(-1);
  for (int i = 0; i < 64; ++i) val[static_cast<unsigned char>(kB64[i])] = i;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  std::size_t pad = 0;
  for (const char ch : in) {
    if (ch == '=') {
      ++pad;
      continue;
    }
    if (pad != 0) return std::nullopt;  // data after padding
    const int v = val[static_cast<unsigned char>(ch)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  if (pad > 2) return std::nullopt;
  return out;
}

Etcd::Etcd(node::rpc::Endpoint ep, std::chrono::milliseconds timeout) : client_(std::move(ep), timeout) {}

std::string Etcd::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

std::optional<json> Etcd::call(const std::string& target, const json& body) {
  std::lock_guard lk(mu_);
  try {
    auto [status, text] = client_.post_to(target, body.dump());
    json j = json::parse(text, nullptr, false);
    if (status != 200 || j.is_discarded() || !j.is_object() || j.contains("error")) {
      error_ = "etcd " + target + ": HTTP " + std::to_string(status) + " " + text.substr(0, 200);
      return std::nullopt;
    }
    error_.clear();
    return j;
  } catch (const std::exception& e) {
    error_ = std::string("etcd ") + target + ": " + e.what();
    return std::nullopt;
  }
}

std::optional<int64_t> Etcd::lease_grant(int64_t ttl_s) {
  const auto j = call("/v3/lease/grant", json{{"TTL", std::to_string(ttl_s)}});
  if (!j || i64(*j, "ID") == 0) return std::nullopt;
  return i64(*j, "ID");
}

std::optional<int64_t> Etcd::lease_keepalive(int64_t id) {
  const auto j = call("/v3/lease/keepalive", json{{"ID", std::to_string(id)}});
  if (!j) return std::nullopt;
  const auto r = j->find("result");
  if (r == j->end() || !r->is_object()) return int64_t{0};
  return i64(*r, "TTL");  // absent (0) once the lease expired
}

bool Etcd::lease_revoke(int64_t id) { return call("/v3/lease/revoke", json{{"ID", std::to_string(id)}}).has_value(); }

std::optional<KeyValue> Etcd::get(const std::string& key) {
  const auto j = call("/v3/kv/range", json{{"key", base64_encode(key)}});
  if (!j) return std::nullopt;
  const auto kvs = j->find("kvs");
  if (kvs == j->end() || !kvs->is_array() || kvs->empty()) return std::nullopt;
  return kv_of(kvs->front());
}

std::optional<std::vector<KeyValue>> Etcd::get_prefix(const std::string& prefix) {
  const auto j = call("/v3/kv/range", json{{"key", base64_encode(prefix)}, {"range_end", base64_encode(prefix_end(prefix))}});
  if (!j) return std::nullopt;
  std::vector<KeyValue> out;
  if (const auto kvs = j->find("kvs"); kvs != j->end() && kvs->is_array())
    for (const auto& e : *kvs)
      if (auto kv = kv_of(e)) out.push_back(std::move(*kv));
  return out;
}

bool Etcd::put(const std::string& key, const std::string& value, int64_t lease) {
  json b{{"key", base64_encode(key)}, {"value", base64_encode(value)}};
  if (lease != 0) b["lease"] = std::to_string(lease);
  return call("/v3/kv/put", b).has_value();
}

bool Etcd::del(const std::string& key) { return call("/v3/kv/deleterange", json{{"key", base64_encode(key)}}).has_value(); }

std::optional<int64_t> Etcd::create_if_absent(const std::string& key, const std::string& value, int64_t lease) {
  const std::string k = base64_encode(key);
  json put{{"key", k}, {"value", base64_encode(value)}};
  if (lease != 0) put["lease"] = std::to_string(lease);
  const json body{{"compare", json::array({json{{"target", "CREATE"}, {"key", k}, {"createRevision", "0"}}})},
                  {"success", json::array({json{{"requestPut", put}}})}};
  const auto j = call("/v3/kv/txn", body);
  if (!j) return std::nullopt;
  if (!j->value("succeeded", false)) return int64_t{0};
  // The put's revision is the txn's header revision: the key's create_revision.
  return i64(j->value("header", json::object()), "revision");
}

bool Etcd::delete_if_revision(const std::string& key, int64_t revision) {
  const std::string k = base64_encode(key);
  const json body{
      {"compare", json::array({json{{"target", "CREATE"}, {"key", k}, {"createRevision", std::to_string(revision)}}})},
      {"success", json::array({json{{"requestDeleteRange", json{{"key", k}}}}})}};
  const auto j = call("/v3/kv/txn", body);
  return j && j->value("succeeded", false);
}

}  // namespace zkamm::cluster
