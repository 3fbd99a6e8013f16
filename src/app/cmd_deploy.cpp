// zkamm deploy: puts a rollup (Poseidon contracts, key verifier, batch verifiers, ZkammRollup) on
// any L1 JSON-RPC URL with code compiled when zkamm was built, and writes the deployment file
// every other command reads (docs/OPERATOR.md). The chain id is the node's.
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "app/commands.hpp"
#include "app/l1_options.hpp"
#include "l1/rpc_client.hpp"
#include "settle/deploy.hpp"
#include "settle/deployment.hpp"

namespace zkamm::app {
namespace {

struct DeployOptions {
  std::string l1_url, out, keys_dir = ".zkamm-cache", zkey, swap_zkey, operator_address, governor;
  uint32_t slots = 4;
  bool no_swap_batches = false, print_address = false, force = false;
  uint64_t priority_deadline_s = 604800, priority_batch_s = 60, timestamp_window_s = 86400;
  std::vector<std::string> test_tokens;
  L1KeyOptions key;
  L1FeeOptions fees;
};

std::optional<l1::Address> parse_address(const std::string& s, const char* flag, int& rc) {
  if (s.empty()) return std::nullopt;
  auto a = l1::address_from_hex(s);
  if (!a) rc = fail(std::string(flag) + ": not a 20-byte hex address");
  return a;
}

int run_deploy(const DeployOptions& o) {
  namespace fs = std::filesystem;
  if (!o.print_address && o.out.empty()) return fail("--out FILE is required (the deployment file)");
  if (!o.print_address && !o.force && fs::exists(o.out))
    return fail(o.out + " exists: it may describe a live rollup (--force to overwrite)");
  std::string err;
  auto key = load_l1_key(o.key, &err);
  if (!key) return fail(err);
  int rc = 0;
  const auto op = parse_address(o.operator_address, "--operator", rc);
  const auto gov = parse_address(o.governor, "--governor", rc);
  if (rc != 0) return rc;
  l1::SenderOptions so;
  if (auto e = sender_options(o.fees, so); !e.empty()) return fail(e);
  auto rpc = l1::RpcClient::create(o.l1_url, std::chrono::seconds(30));
  if (!rpc) return fail("--l1: not http://host[:port][/path]");
  auto chain = rpc->chain_id();
  if (!chain) return fail("L1 " + o.l1_url + ": eth_chainId: " + chain.error().message);
  const bool swap = !o.no_swap_batches;

  if (o.print_address) {
    // For a ceremony: the circuit binds (chain id, rollup address), so its keys are made for the
    // address the rollup will get when this account deploys next.
    auto nonce = rpc->get_transaction_count(key->address(), l1::BlockTag::pending());
    if (!nonce) return fail("eth_getTransactionCount: " + nonce.error().message);
    std::cout << "chain_id " << *chain << "\ndeployer " << l1::to_checksum_address(key->address()) << " (next nonce " << *nonce
              << ")\nrollup " << l1::to_checksum_address(settle::predicted_rollup_address(key->address(), *nonce, swap))
              << "\n(valid while the deployer sends nothing else before `zkamm deploy`)\n";
    return 0;
  }

  settle::DeployConfig dc;
  dc.slots = o.slots;
  dc.swap_batches = swap;
  dc.operator_address = op;
  dc.governor = gov;
  dc.priority_deadline_s = o.priority_deadline_s;
  dc.priority_batch_s = o.priority_batch_s;
  dc.timestamp_window_s = o.timestamp_window_s;
  dc.keys_dir = o.keys_dir;
  dc.zkey = o.zkey;
  dc.swap_zkey = o.swap_zkey;
  l1::TxSender sender(*rpc, *key, *chain, so);
  std::cout << "deploy: chain " << *chain << ", deployer " << l1::to_checksum_address(key->address()) << std::endl;
  settle::DeployOutcome r = settle::deploy_rollup(*rpc, sender, *chain, dc, std::cout);
  if (!r.ok()) return fail(r.error);
  if (!o.test_tokens.empty()) {
    if (auto e = settle::deploy_test_tokens(sender, *r.deployment, o.test_tokens, std::cout); !e.empty()) return fail(e);
  }
  if (auto e = settle::write_deployment(*r.deployment, o.out); !e.empty()) return fail(e);
  const bool dev = r.deployment->universal_key.source == "dev" || (r.deployment->swap_key && r.deployment->swap_key->source == "dev");
  std::cout << "deploy: deployment file " << o.out << "\n"
            << "deploy: keys in " << o.keys_dir << " (the operator and its provers need this folder)\n";
  if (dev) std::cout << "warning: development keys (single-party setup): never for real funds; use --zkey from a ceremony\n";
  return 0;
}

}  // namespace

void register_deploy(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<DeployOptions>();
  auto* cmd = app.add_subcommand("deploy", "deploy the rollup contracts to an L1 and write the deployment file (docs/OPERATOR.md)");
  cmd->add_option("--l1", o->l1_url, "the L1's JSON-RPC URL (http://host[:port][/path])")->required();
  cmd->add_option("--out", o->out, "the deployment file to write");
  cmd->add_flag("--force", o->force, "overwrite an existing deployment file");
  cmd->add_option("--slots", o->slots, "N, transactions per batch (the circuit's size)")->capture_default_str();
  cmd->add_flag("--no-swap-batches", o->no_swap_batches, "no swap-batch circuit (every batch universal)");
  cmd->add_option("--keys-dir", o->keys_dir, "batch keys folder (dev keys are made here when missing)")->capture_default_str();
  cmd->add_option("--zkey", o->zkey, "the universal circuit's .zkey (e.g. from a ceremony) instead of dev keys");
  cmd->add_option("--swap-zkey", o->swap_zkey, "the swap circuit's .zkey");
  cmd->add_option("--operator", o->operator_address, "the operator address (default: the deployer)");
  cmd->add_option("--governor", o->governor, "the governor address, who adds tokens (default: the deployer)");
  cmd->add_option("--priority-deadline", o->priority_deadline_s, "seconds an L1 priority op may wait before exodus")
      ->capture_default_str();
  cmd->add_option("--priority-batch-seconds", o->priority_batch_s, "the operator's promised rate: one full batch per this many seconds")
      ->capture_default_str();
  cmd->add_option("--timestamp-window", o->timestamp_window_s, "seconds a batch's timestamp may lag the L1 block committing it")
      ->capture_default_str();
  cmd->add_flag("--print-address", o->print_address,
                "print the chain id and the address the rollup will get (for a ceremony's keys) and exit");
  cmd->add_option("--test-tokens", o->test_tokens,
                  "TESTNETS ONLY: also deploy mintable ERC-20s with these symbols and add them (the governor must be the deployer)")
      ->delimiter(',');
  add_l1_key_options(cmd, o->key);
  add_l1_fee_options(cmd, o->fees);
  cmd->callback([o, &exit_code] { exit_code = run_deploy(*o); });
}

}  // namespace zkamm::app
