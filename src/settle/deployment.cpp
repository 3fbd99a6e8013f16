#include "settle/deployment.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace zkamm::settle {
namespace {

using nlohmann::json;

std::string addr_hex(const l1::Address& a) { return l1::to_checksum_address(a); }

json key_json(const DeployedKey& k) {
  return json{{"r1cs_sha256", k.r1cs_sha256}, {"zkey_sha256", k.zkey_sha256}, {"vk_sha256", k.vk_sha256},
              {"constraints", k.constraints}, {"source", k.source}};
}

/// Field-by-field reader: the first problem is kept, later reads are no-ops.
struct Reader {
  std::string error;

  const json* field(const json& o, const char* k, const char* where) {
    if (!error.empty()) return nullptr;
    auto it = o.find(k);
    if (it == o.end()) {
      error = std::string(where) + k + ": missing";
      return nullptr;
    }
    return &*it;
  }
  void u64(const json& o, const char* k, uint64_t& out, const char* where = "") {
    const json* v = field(o, k, where);
    if (v == nullptr) return;
    if (!v->is_number_unsigned()) error = std::string(where) + k + ": not an unsigned integer";
    else out = v->get<uint64_t>();
  }
  void boolean(const json& o, const char* k, bool& out, const char* where = "") {
    const json* v = field(o, k, where);
    if (v == nullptr) return;
    if (!v->is_boolean()) error = std::string(where) + k + ": not true or false";
    else out = v->get<bool>();
  }
  void str(const json& o, const char* k, std::string& out, const char* where = "") {
    const json* v = field(o, k, where);
    if (v == nullptr) return;
    if (!v->is_string()) error = std::string(where) + k + ": not a string";
    else out = v->get<std::string>();
  }
  template <size_t N>
  void fixed(const json& o, const char* k, std::array<uint8_t, N>& out, const char* where = "") {
    std::string s;
    str(o, k, s, where);
    if (!error.empty()) return;
    auto b = l1::fixed_from_hex<N>(s);
    if (!b || s.rfind("0x", 0) != 0) error = std::string(where) + k + ": not 0x + " + std::to_string(2 * N) + " hex digits";
    else out = *b;
  }
  void digest(const json& o, const char* k, std::string& out, const char* where) {
    l1::Bytes32 d{};
    fixed(o, k, d, where);
    if (error.empty()) out = l1::to_hex(d);
  }
  void key(const json& o, DeployedKey& k, const char* where) {
    if (!error.empty()) return;
    if (!o.is_object()) {
      error = std::string(where) + ": not an object";
      return;
    }
    const std::string w = std::string(where) + ".";
    digest(o, "r1cs_sha256", k.r1cs_sha256, w.c_str());
    digest(o, "zkey_sha256", k.zkey_sha256, w.c_str());
    digest(o, "vk_sha256", k.vk_sha256, w.c_str());
    u64(o, "constraints", k.constraints, w.c_str());
    str(o, "source", k.source, w.c_str());
  }
};

}  // namespace

tx::Domain Deployment::domain() const {
  tx::Domain d;
  d.chain_id = chain_id;
  std::copy(rollup.begin(), rollup.end(), d.rollup.begin());
  return d;
}

std::string deployment_to_json(const Deployment& d) {
  json tokens = json::array();
  for (const auto& [id, a] : d.tokens) tokens.push_back(json{{"id", id}, {"address", addr_hex(a)}});
  json keys = {{"universal", key_json(d.universal_key)}};
  if (d.swap_key) keys["swap"] = key_json(*d.swap_key);
  const json j = {
      {"format", kDeploymentFormat},
      {"chain_id", d.chain_id},
      {"rollup", addr_hex(d.rollup)},
      {"deploy_block", d.deploy_block},
      {"deploy_block_hash", l1::to_hex(d.deploy_block_hash)},
      {"deployer", addr_hex(d.deployer)},
      {"operator", addr_hex(d.operator_address)},
      {"governor", addr_hex(d.governor)},
      {"batch_slots", d.batch_slots},
      {"swap_batches", d.swap_batches},
      {"genesis_root", "0x" + ff::to_hex(d.genesis_root.to_canonical())},
      {"priority_deadline_s", d.priority_deadline_s},
      {"priority_batch_s", d.priority_batch_s},
      {"timestamp_window_s", d.timestamp_window_s},
      {"contracts",
       {{"poseidon2", addr_hex(d.poseidon2)},
        {"poseidon4", addr_hex(d.poseidon4)},
        {"poseidon5", addr_hex(d.poseidon5)},
        {"key_verifier", addr_hex(d.key_verifier)},
        {"verifier", addr_hex(d.verifier)},
        {"swap_verifier", addr_hex(d.swap_verifier)}}},
      {"keys", keys},
      {"tokens", tokens},
  };
  return j.dump(2) + "\n";
}

DeploymentResult parse_deployment(std::string_view text) {
  DeploymentResult res;
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    res.error = "not a JSON object";
    return res;
  }
  Reader r;
  std::string format;
  r.str(j, "format", format);
  if (r.error.empty() && format != kDeploymentFormat)
    r.error = "format: \"" + format + "\" is not \"" + std::string(kDeploymentFormat) + "\"";
  Deployment d;
  uint64_t slots = 0;
  std::string root;
  r.u64(j, "chain_id", d.chain_id);
  r.fixed(j, "rollup", d.rollup);
  r.u64(j, "deploy_block", d.deploy_block);
  r.fixed(j, "deploy_block_hash", d.deploy_block_hash);
  r.fixed(j, "deployer", d.deployer);
  r.fixed(j, "operator", d.operator_address);
  r.fixed(j, "governor", d.governor);
  r.u64(j, "batch_slots", slots);
  if (r.error.empty() && (slots == 0 || slots >= (1u << 24))) r.error = "batch_slots: not in [1, 2^24)";
  d.batch_slots = static_cast<uint32_t>(slots);
  r.boolean(j, "swap_batches", d.swap_batches);
  r.str(j, "genesis_root", root);
  if (r.error.empty()) {
    auto b = l1::fixed_from_hex<32>(root);
    auto f = b ? ff::Fr::from_bytes_be(b->data()) : std::nullopt;
    if (!f) r.error = "genesis_root: not 0x + 64 hex digits below the field modulus";
    else d.genesis_root = *f;
  }
  r.u64(j, "priority_deadline_s", d.priority_deadline_s);
  r.u64(j, "priority_batch_s", d.priority_batch_s);
  r.u64(j, "timestamp_window_s", d.timestamp_window_s);
  if (const json* c = r.field(j, "contracts", ""); c != nullptr) {
    if (!c->is_object()) r.error = "contracts: not an object";
    r.fixed(*c, "poseidon2", d.poseidon2, "contracts.");
    r.fixed(*c, "poseidon4", d.poseidon4, "contracts.");
    r.fixed(*c, "poseidon5", d.poseidon5, "contracts.");
    r.fixed(*c, "key_verifier", d.key_verifier, "contracts.");
    r.fixed(*c, "verifier", d.verifier, "contracts.");
    r.fixed(*c, "swap_verifier", d.swap_verifier, "contracts.");
  }
  if (const json* k = r.field(j, "keys", ""); k != nullptr) {
    if (!k->is_object()) r.error = "keys: not an object";
    if (const json* u = r.field(*k, "universal", "keys."); u != nullptr) r.key(*u, d.universal_key, "keys.universal");
    if (r.error.empty() && k->contains("swap")) {
      d.swap_key.emplace();
      r.key((*k)["swap"], *d.swap_key, "keys.swap");
    }
  }
  if (r.error.empty() && d.swap_batches != d.swap_key.has_value())
    r.error = "keys.swap: present iff swap_batches is true";
  if (r.error.empty() && d.swap_batches == (d.swap_verifier == l1::Address{}))
    r.error = "contracts.swap_verifier: zero iff swap_batches is false";
  if (const json* t = r.field(j, "tokens", ""); t != nullptr) {
    if (!t->is_array()) r.error = "tokens: not an array";
    for (size_t i = 0; r.error.empty() && i < t->size(); ++i) {
      const json& e = (*t)[i];
      if (!e.is_object()) {
        r.error = "tokens[" + std::to_string(i) + "]: not an object";
        break;
      }
      uint64_t id = 0;
      l1::Address a{};
      r.u64(e, "id", id, "tokens[].");
      r.fixed(e, "address", a, "tokens[].");
      if (r.error.empty() && (id == 0 || id > 0xffff)) r.error = "tokens[].id: not in [1, 65535]";
      d.tokens.emplace_back(static_cast<uint16_t>(id), a);
    }
  }
  if (!r.error.empty()) {
    res.error = r.error;
    return res;
  }
  res.deployment = std::move(d);
  return res;
}

DeploymentResult read_deployment(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return DeploymentResult{"cannot read " + path, std::nullopt};
  std::stringstream ss;
  ss << in.rdbuf();
  DeploymentResult r = parse_deployment(ss.str());
  if (!r.ok()) r.error = path + ": " + r.error;
  return r;
}

std::string write_deployment(const Deployment& d, const std::string& path) {
  const std::string text = deployment_to_json(d);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return "cannot write " + tmp + ": " + std::strerror(errno);
    }
    done += static_cast<size_t>(n);
  }
  // The file names a contract holding funds: it must be complete on disk before it is visible.
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return "cannot sync " + tmp;
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return "cannot rename " + tmp + " to " + path + ": " + ec.message();
  return "";
}

}  // namespace zkamm::settle
