#pragma once
// Groth16 keys of the batch circuit for one (num_slots, domain), made by a development setup and
// cached on disk. A cache entry is reused only when the R1CS built now hashes to the value
// recorded with it and the .zkey file hashes to its recorded value (a stale or edited key is
// rebuilt, never used). Callers that share a cache entry, in one process or several, take turns
// on an exclusive lock (<stem>.lock): the first makes the key, the others reuse it, so the keys
// returned are always those in the files (.zkey, .Verifier.sol) that others read back.
#include <cstdint>
#include <optional>
#include <string>

#include "batch/batch_circuit.hpp"
#include "hash/sha256.hpp"
#include "snark/groth16.hpp"

namespace zkamm::settle {

struct BatchKeys {
  batch::BatchParams params;
  snark::ProvingKey pk;
  snark::VerificationKey vk;
  hash::Digest32 r1cs_hash{};     ///< sha256 of the .r1cs encoding of batch_r1cs(params)
  size_t num_constraints = 0;
  std::string zkey_path;          ///< the cached .zkey
  std::string verifier_path;      ///< the Solidity verifier (contract BatchGroth16Verifier)
  bool reused = false;            ///< true: loaded from the cache, false: made now
  std::string source = "dev";     ///< "dev" (development setup) or "file" (import_zkey: e.g. a ceremony's)
  double setup_ms = 0;            ///< R1CS build + setup (or load) time
};

struct [[nodiscard]] KeysResult {
  std::string error;  ///< empty on success
  std::optional<BatchKeys> keys;
  bool ok() const noexcept { return error.empty(); }
};

/// The keys a deployment proves with: the universal circuit's and, when the node makes swap
/// batches, the swap circuit's (same slot count and domain). Both outlive this view.
struct CircuitKeys {
  const BatchKeys* universal = nullptr;
  const BatchKeys* swap = nullptr;
  /// The keys for a batch kind, or nullptr when there are none.
  const BatchKeys* for_kind(batch::BatchKind kind) const noexcept {
    return kind == batch::BatchKind::Swap ? swap : universal;
  }
};

/// The cache file stem for params: "batch-n<N>-c<chain id>-<rollup hex without 0x>" ("batch-swap-n"
/// for the swap circuit).
std::string cache_stem(const batch::BatchParams& params);

/// Loads the keys for params from dir, or builds them (dev setup) and stores them there; waits
/// while another caller (any process) is doing either for the same entry.
/// Precondition: params.num_slots >= 1. dir is created when missing.
KeysResult load_or_setup(const batch::BatchParams& params, const std::string& dir);

/// Loads the keys for params from dir; an error (never a setup) when dir has no valid entry.
/// For an operator, whose verifier on L1 was made from exactly those keys.
KeysResult load_keys(const batch::BatchParams& params, const std::string& dir);

/// Puts the .zkey at zkey_path (e.g. from a multi-party ceremony for this circuit and domain)
/// into dir as the entry for params, replacing any, and loads it. Refused when its dimensions
/// are not the batch circuit's.
KeysResult import_zkey(const batch::BatchParams& params, const std::string& zkey_path, const std::string& dir);

/// "0x" + hex of a digest.
std::string digest_hex(const hash::Digest32& d);

}  // namespace zkamm::settle
