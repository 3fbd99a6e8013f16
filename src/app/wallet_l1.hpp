#pragma once
// The L1 side of `zkamm wallet` (cmd_wallet_l1.cpp): register, deposit, full-exit, claim and
// l1-balance talk to the ZkammRollup contract directly, so a user needs no `cast`.
#include <functional>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace zkamm::app {

/// A failure with its --json "kind" (docs/WALLET.md "Output and exit codes"): "rejected" (the
/// node refused the transaction, or an L1 transaction or call reverted), "unreachable" (no
/// answer from the node or the L1), "failed" (anything else). std::invalid_argument is "input".
struct WalletError : std::runtime_error {
  WalletError(std::string error_kind, const std::string& what) : std::runtime_error(what), kind(std::move(error_kind)) {}
  std::string kind;
};

/// Binds a subcommand to its body; the wallet's error handling (text or --json) wraps it.
using WalletBind = std::function<void(CLI::App*, std::function<int()>)>;

/// Adds the L1 subcommands to `zkamm wallet`.
void register_wallet_l1(CLI::App* wallet, const WalletBind& bind);

}  // namespace zkamm::app
