#pragma once
// The deployment file: what `zkamm deploy` (and `zkamm devnet`) put on an L1, written once as
// JSON and read by every command that works with that rollup (`zkamm node --l1`, provers, a
// node syncing from L1). The format is documented in docs/OPERATOR.md "The deployment file";
// this reader is strict (unknown "format", a missing or malformed field is an error naming it)
// so a file from another version or a typo never starts a node against the wrong contract.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ff/bn254.hpp"
#include "l1/bytes.hpp"
#include "tx/message.hpp"

namespace zkamm::settle {

/// The value of the "format" field this code writes and reads.
inline constexpr std::string_view kDeploymentFormat = "zkamm-deployment/1";

/// The identity of one circuit's Groth16 keys, as deployed (its verifier contract checks them).
struct DeployedKey {
  std::string r1cs_sha256;  ///< "0x" + sha256 of the circuit's .r1cs encoding (batch_keys.hpp)
  std::string zkey_sha256;  ///< "0x" + sha256 of the .zkey file the verifier was made from
  std::string vk_sha256;    ///< "0x" + sha256 of the verification key (snarkjs verification_key.json text)
  uint64_t constraints = 0;
  std::string source;       ///< "dev" (single-party development setup) or "file" (e.g. a ceremony's .zkey)
  friend bool operator==(const DeployedKey&, const DeployedKey&) = default;
};

struct Deployment {
  uint64_t chain_id = 0;
  l1::Address rollup{};
  uint64_t deploy_block = 0;    ///< the block holding the rollup's creation: L1 scans start here
  l1::Bytes32 deploy_block_hash{};
  l1::Address deployer{}, operator_address{}, governor{};
  uint32_t batch_slots = 0;     ///< N, the circuit's size
  bool swap_batches = false;    ///< a swap verifier is deployed (swap-only batches allowed)
  ff::Fr genesis_root = ff::Fr::zero();
  uint64_t priority_deadline_s = 0, priority_batch_s = 0, timestamp_window_s = 0;
  // the rollup's collaborators, in deployment order
  l1::Address poseidon2{}, poseidon4{}, poseidon5{}, key_verifier{}, verifier{};
  l1::Address swap_verifier{};  ///< zero when !swap_batches
  DeployedKey universal_key;
  std::optional<DeployedKey> swap_key;  ///< set iff swap_batches
  /// ERC-20s registered by the deployer (devnet test tokens); the L1 watcher learns every token
  /// from the rollup's TokenAdded events anyway, so this list is informative.
  std::vector<std::pair<uint16_t, l1::Address>> tokens;

  /// The signature domain every L2 transaction binds (chain id, rollup address).
  tx::Domain domain() const;
  friend bool operator==(const Deployment&, const Deployment&) = default;
};

/// The JSON text of d (pretty-printed, ends with a newline).
std::string deployment_to_json(const Deployment& d);

struct [[nodiscard]] DeploymentResult {
  std::string error;  ///< empty on success
  std::optional<Deployment> deployment;
  bool ok() const noexcept { return error.empty(); }
};

/// Parses a deployment file's text; the error names the offending field.
DeploymentResult parse_deployment(std::string_view json_text);
/// Reads and parses the file at path.
DeploymentResult read_deployment(const std::string& path);
/// Writes d to path atomically (temporary file, fsync, rename); "" or the error.
std::string write_deployment(const Deployment& d, const std::string& path);

}  // namespace zkamm::settle
