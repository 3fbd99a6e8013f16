#include "settle/batch_keys.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "l1/bytes.hpp"
#include "snark/r1cs_file.hpp"
#include "snark/solidity_verifier.hpp"
#include "snark/zkey_file.hpp"

namespace zkamm::settle {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::vector<uint8_t>> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool write_text(const std::string& path, const std::string& text) {
  // Write then rename, so a crash never leaves a half-written cache entry under the final name;
  // the temporary name is per process and call, so concurrent setups (ctest -j) never share it.
  static std::atomic<uint64_t> counter{0};
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return false;
    out << text;
    if (!out.flush()) return false;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  return !ec;
}

/// An exclusive flock(2) on `path` (created when missing), held until destruction. flock locks
/// belong to the open file description, so two holders conflict whether they are processes
/// (ctest -j, two devnets on one cache) or threads that each made a CacheLock.
class CacheLock {
 public:
  explicit CacheLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0) {
      error_ = "cannot open " + path + ": " + std::strerror(errno);
      return;
    }
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno == EINTR) continue;
      error_ = "cannot lock " + path + ": " + std::strerror(errno);
      return;
    }
  }
  ~CacheLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;
  /// "" once the lock is held.
  const std::string& error() const noexcept { return error_; }

 private:
  int fd_;
  std::string error_;
};

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

std::string digest_hex(const hash::Digest32& d) { return l1::to_hex(d); }

std::string cache_stem(const batch::BatchParams& params) {
  std::string rollup = l1::to_hex(params.domain.rollup).substr(2);
  const char* kind = params.kind == batch::BatchKind::Swap ? "batch-swap-n" : "batch-n";
  return kind + std::to_string(params.num_slots) + "-c" + std::to_string(params.domain.chain_id) + "-" + rollup;
}

namespace {

enum class Missing { kSetup, kFail };

/// load_or_setup, or with Missing::kFail load only (an error when the cache has no valid entry);
/// with `import_from`, the .zkey at that path replaces the cache entry first.
KeysResult load_impl(const batch::BatchParams& params, const std::string& dir, Missing missing,
                     const std::string& import_from) {
  KeysResult res;
  if (params.num_slots == 0) {
    res.error = "num_slots must be >= 1";
    return res;
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    res.error = "cannot create " + dir + ": " + ec.message();
    return res;
  }
  const std::string stem = (fs::path(dir) / cache_stem(params)).string();
  BatchKeys k;
  k.params = params;
  k.zkey_path = stem + ".zkey";
  k.verifier_path = stem + ".Verifier.sol";
  const std::string meta_path = stem + ".json";

  const snark::R1cs r1cs = batch::batch_r1cs(params);
  k.num_constraints = r1cs.constraints.size();
  k.r1cs_hash = hash::sha256(snark::encode_r1cs(r1cs));

  // One caller at a time per cache entry, from the check to the last file written. Without it two
  // callers that both find the entry missing (ctest -j on a clean build) each make a key (a dev
  // setup is random) and overwrite each other's files: a caller then proves with its own key
  // while the Verifier.sol it deploys (read back from verifier_path) checks the other one's, and
  // every proof it sends to L1 is rejected. With it, the second caller waits and reuses the first
  // one's key, so every caller's key is the one on disk.
  const CacheLock lock(stem + ".lock");
  if (!lock.error().empty()) {
    res.error = lock.error();
    return res;
  }
  if (!import_from.empty()) {
    // A key from elsewhere (a ceremony): the circuit's dimensions must match; the verifier made
    // from it below is what gets deployed, so a key for another circuit fails no later than here
    // or at the first proof (the prover verifies every proof before it is sent).
    auto zkey = read_bytes(import_from);
    if (!zkey) {
      res.error = "cannot read " + import_from;
      return res;
    }
    auto pk = snark::decode_zkey(*zkey);
    if (!pk) {
      res.error = import_from + ": not a Groth16 .zkey file";
      return res;
    }
    if (pk->num_public != 1 || pk->num_vars != r1cs.num_wires) {
      res.error = import_from + ": a key for another circuit (" + std::to_string(pk->num_vars) + " wires, " +
                  std::to_string(pk->num_public) + " public inputs; this batch circuit has " +
                  std::to_string(r1cs.num_wires) + " wires, 1 public input)";
      return res;
    }
    json meta = {{"num_slots", params.num_slots},
                 {"chain_id", params.domain.chain_id},
                 {"rollup", l1::to_hex(params.domain.rollup)},
                 {"constraints", k.num_constraints},
                 {"r1cs_sha256", digest_hex(k.r1cs_hash)},
                 {"zkey_sha256", digest_hex(hash::sha256(*zkey))},
                 {"source", "file"},
                 {"imported_from", import_from}};
    if (!write_text(k.zkey_path, std::string(zkey->begin(), zkey->end())) || !write_text(meta_path, meta.dump(2) + "\n")) {
      res.error = "cannot write the key into " + dir;
      return res;
    }
  }
  // Reuse when the recorded R1CS hash matches the circuit built now and the key file is intact.
  if (auto meta_text = read_bytes(meta_path); meta_text && fs::exists(k.zkey_path)) {
    const json meta = json::parse(meta_text->begin(), meta_text->end(), nullptr, false);
    auto zkey = read_bytes(k.zkey_path);
    if (!meta.is_discarded() && meta.is_object() && zkey && meta.value("r1cs_sha256", "") == digest_hex(k.r1cs_hash) &&
        meta.value("zkey_sha256", "") == digest_hex(hash::sha256(*zkey))) {
      auto pk = snark::decode_zkey(std::move(*zkey));
      if (pk && pk->num_public == 1 && pk->num_vars == r1cs.num_wires) {
        k.pk = std::move(*pk);
        k.vk = snark::verification_key(k.pk);
        k.reused = true;
        k.source = meta.value("source", std::string("dev"));
      }
    }
  }
  if (!k.reused && missing == Missing::kFail) {
    res.error = "no valid keys for " + cache_stem(params) + " in " + dir + " (made by zkamm deploy or devnet; copy that folder)";
    return res;
  }
  if (!k.reused) {
    auto pk = snark::setup_dev(r1cs);
    if (!pk) {
      res.error = "setup failed (circuit too large?)";
      return res;
    }
    k.pk = std::move(*pk);
    k.vk = snark::verification_key(k.pk);
    const std::vector<uint8_t> zkey = snark::encode_zkey(k.pk);
    if (!write_text(k.zkey_path, std::string(zkey.begin(), zkey.end()))) {
      res.error = "cannot write " + k.zkey_path;
      return res;
    }
    json meta = {{"num_slots", params.num_slots},
                 {"chain_id", params.domain.chain_id},
                 {"rollup", l1::to_hex(params.domain.rollup)},
                 {"constraints", k.num_constraints},
                 {"r1cs_sha256", digest_hex(k.r1cs_hash)},
                 {"zkey_sha256", digest_hex(hash::sha256(zkey))},
                 {"warning", "development setup (single party): never use these keys in production"}};
    if (!write_text(meta_path, meta.dump(2) + "\n")) {
      res.error = "cannot write " + meta_path;
      return res;
    }
  }
  const snark::BatchCircuitId id{static_cast<uint8_t>(params.kind == batch::BatchKind::Swap ? 1 : 0), params.num_slots};
  auto sol = snark::export_solidity_verifier(k.vk, "BatchGroth16Verifier", id);
  if (!sol || !write_text(k.verifier_path, *sol)) {
    res.error = "cannot write " + k.verifier_path;
    return res;
  }
  k.setup_ms = ms_since(t0);
  res.keys = std::move(k);
  return res;
}

}  // namespace

KeysResult load_or_setup(const batch::BatchParams& params, const std::string& dir) {
  return load_impl(params, dir, Missing::kSetup, "");
}

KeysResult load_keys(const batch::BatchParams& params, const std::string& dir) {
  return load_impl(params, dir, Missing::kFail, "");
}

KeysResult import_zkey(const batch::BatchParams& params, const std::string& zkey_path, const std::string& dir) {
  return load_impl(params, dir, Missing::kFail, zkey_path);
}

}  // namespace zkamm::settle
