#pragma once
// Deploying a rollup on an L1 (`zkamm deploy`, and `zkamm devnet` on its own anvil): circomlib's
// Poseidon contracts, the EdDSA key verifier, the batch verifiers made from the batch keys and
// ZkammRollup, with code compiled when zkamm was built (settle/contract_code.hpp). The rollup's
// address is part of the signature domain the batch circuit is made for, so the keys are made
// (or, from a ceremony's .zkey, checked) for the address the rollup will get: the deployer's
// CREATE address at its current nonce plus the contracts deployed before it. Nothing else may
// send from the deployer's account meanwhile; the rollup's address is checked afterwards.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "settle/batch_keys.hpp"
#include "settle/deployment.hpp"

namespace zkamm::settle {

struct DeployConfig {
  uint32_t slots = 4;                ///< N, the batch circuit's size
  bool swap_batches = true;          ///< also the swap circuit's verifier (docs/BATCH.md section 8)
  std::optional<l1::Address> operator_address;  ///< default: the deployer
  std::optional<l1::Address> governor;          ///< default: the deployer
  uint64_t priority_deadline_s = 604800;
  uint64_t priority_batch_s = 60;
  uint64_t timestamp_window_s = 86400;
  std::string keys_dir;              ///< where the keys are cached (dev keys made there when missing)
  std::string zkey, swap_zkey;       ///< .zkey files to use instead of dev keys (imported into keys_dir)
};

struct DeployOutcome {
  std::string error;  ///< empty on success
  std::optional<Deployment> deployment;
  std::optional<BatchKeys> keys, swap_keys;  ///< the keys the verifiers were made from
  bool ok() const noexcept { return error.empty(); }
};

/// The address the rollup gets when `deployer`, whose next nonce is `nonce`, runs deploy_rollup.
l1::Address predicted_rollup_address(const l1::Address& deployer, uint64_t nonce, bool swap_batches);

/// The batch keys for the deployment's circuits (dev keys made in cfg.keys_dir when missing, or
/// cfg.zkey / cfg.swap_zkey imported), for chain_id and the rollup address `rollup`.
DeployOutcome prepare_keys(const DeployConfig& cfg, uint64_t chain_id, const l1::Address& rollup, std::ostream& log);

/// Deploys everything with `deployer` (its chain id is chain_id) and returns the deployment
/// (not yet written to a file) and the keys. Progress goes to log; no key material is printed.
DeployOutcome deploy_rollup(l1::RpcClient& rpc, l1::TxSender& deployer, uint64_t chain_id, const DeployConfig& cfg,
                            std::ostream& log);

/// TESTS AND DEVNETS ONLY: deploys a mintable ERC-20 (anyone may mint) per symbol and registers
/// each with the rollup (addToken; `deployer` must be its governor), appending (id, address) to
/// d.tokens. "" or the error.
std::string deploy_test_tokens(l1::TxSender& deployer, Deployment& d, const std::vector<std::string>& symbols, std::ostream& log);

/// The keys of a deployment, loaded from keys_dir (never made: an operator must prove with the
/// keys its verifiers were made from) and checked against the file's hashes. `swap` is set iff
/// d.swap_batches.
struct LoadedKeys {
  std::string error;
  std::optional<BatchKeys> universal, swap;
};
LoadedKeys load_deployment_keys(const Deployment& d, const std::string& keys_dir);

/// The deployment record of keys k.
DeployedKey deployed_key(const BatchKeys& k);

}  // namespace zkamm::settle
