#pragma once
// Key files and devnet genesis helpers shared by `zkamm wallet` and `zkamm rpc-bench`.
// A key file is JSON {"private_key": "0x..32 B", "pubkey": "0x..32 B packed", "account": N}, mode
// 0600; the private key is never printed or logged.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "ec/babyjubjub.hpp"
#include "hash/eddsa.hpp"
#include "hash/sha256.hpp"
#include "node/rpc_views.hpp"

namespace zkamm::app::wallet {

struct KeyFile {
  hash::PrivateKey private_key{};
  std::optional<uint32_t> account;
};

inline std::string packed_pubkey_hex(const hash::PrivateKey& prv) {
  const auto p = ec::pack_point(hash::eddsa_public_key(prv));
  return node::rpc::hex0x(p.data(), p.size());
}

/// 32 bytes from the kernel's CSPRNG.
inline hash::PrivateKey random_key() {
  hash::PrivateKey k{};
  std::ifstream in("/dev/urandom", std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(k.data()), k.size())) throw std::runtime_error("cannot read /dev/urandom");
  return k;
}

/// DEVNET ONLY: a reproducible key, sha256("zkamm-devnet-key" || seed || be32(i)).
inline hash::PrivateKey devnet_key(const std::string& seed, uint32_t i) {
  std::string m = "zkamm-devnet-key" + seed;
  for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<char>(i >> s));
  const auto d = hash::sha256({reinterpret_cast<const uint8_t*>(m.data()), m.size()});
  hash::PrivateKey k{};
  std::copy(d.begin(), d.end(), k.begin());
  return k;
}

/// Writes a new key file with mode 0600; refuses to overwrite. "" or the error.
inline std::string write_key_file(const std::string& path, const KeyFile& k) {
  nlohmann::json j = {{"private_key", node::rpc::hex0x(k.private_key.data(), k.private_key.size())},
                      {"pubkey", packed_pubkey_hex(k.private_key)}};
  if (k.account) j["account"] = *k.account;
  const std::string text = j.dump(2) + "\n";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create " + path + " (it must not exist yet)";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok ? "" : "cannot write " + path;
}

/// Rewrites an existing key file (e.g. to record the account index `wallet register` got):
/// a new 0600 file beside it, synced, then renamed over it, so a crash leaves the old or the new
/// file and never a torn one. "" or the error.
inline std::string replace_key_file(const std::string& path, const KeyFile& k) {
  const std::string tmp = path + ".new";
  ::unlink(tmp.c_str());
  if (auto e = write_key_file(tmp, k); !e.empty()) return e;
  const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  const bool synced = fd >= 0 && ::fsync(fd) == 0;
  if (fd >= 0) ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return "cannot replace " + path;
  }
  return "";
}

inline std::optional<KeyFile> read_key_file(const std::string& path, std::string* err) {
  std::ifstream in(path);
  if (!in) {
    *err = "cannot read key file " + path;
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  const auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("private_key") || !j["private_key"].is_string()) {
    *err = path + ": not a key file";
    return std::nullopt;
  }
  const auto b = node::rpc::bytes_from_hex(j["private_key"].get<std::string>(), 32);
  if (!b || b->size() != 32) {
    *err = path + ": private_key must be 32 bytes of 0x-hex";
    return std::nullopt;
  }
  KeyFile k;
  std::copy(b->begin(), b->end(), k.private_key.begin());
  if (j.contains("account")) {
    if (!j["account"].is_number_unsigned()) {
      *err = path + ": account must be a non-negative integer";
      return std::nullopt;
    }
    k.account = j["account"].get<uint32_t>();
  }
  return k;
}

}  // namespace zkamm::app::wallet
