#pragma once
// The L1 account and transaction options shared by `zkamm deploy` and `zkamm node --l1`: the
// key comes from a file or an environment variable, never from the command line (argv is
// visible to every user of the machine), and is never printed; fees and confirmations.
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "ff/uint256.hpp"
#include "l1/key.hpp"
#include "l1/sender.hpp"

namespace zkamm::app {

struct L1KeyOptions {
  std::string key_file;
  std::string key_env = "ZKAMM_L1_KEY";
};

inline void add_l1_key_options(CLI::App* cmd, L1KeyOptions& o) {
  cmd->add_option("--l1-key-file", o.key_file, "file holding the L1 private key (0x + 64 hex digits; keep it mode 0600)");
  cmd->add_option("--l1-key-env", o.key_env, "else the environment variable holding it")->capture_default_str();
}

/// The key, or nullopt and *error (which never contains the key's text).
inline std::optional<l1::PrivateKey> load_l1_key(const L1KeyOptions& o, std::string* error) {
  std::string text;
  std::string where;
  if (!o.key_file.empty()) {
    std::ifstream in(o.key_file);
    if (!in) {
      *error = "cannot read the L1 key file " + o.key_file;
      return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    where = "the L1 key file " + o.key_file;
  } else {
    const char* v = std::getenv(o.key_env.c_str());
    if (v == nullptr || *v == '\0') {
      *error = "no L1 key: give --l1-key-file FILE or set " + o.key_env;
      return std::nullopt;
    }
    text = v;
    where = "$" + o.key_env;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.pop_back();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.erase(text.begin());
  auto k = l1::PrivateKey::from_hex(text);
  if (!k) *error = where + " is not a secp256k1 private key (0x + 64 hex digits)";
  return k;
}

struct L1FeeOptions {
  std::optional<double> priority_fee_gwei, max_fee_gwei;
  double resubmit_after_s = 60;
  double tx_timeout_s = 900;
  uint64_t tx_confirmations = 1;
  unsigned max_resubmissions = 10;
};

inline void add_l1_fee_options(CLI::App* cmd, L1FeeOptions& o) {
  cmd->add_option("--priority-fee-gwei", o.priority_fee_gwei, "EIP-1559 tip (default: the node's eth_maxPriorityFeePerGas)");
  cmd->add_option("--max-fee-gwei", o.max_fee_gwei,
                  "ceiling on max_fee_per_gas (default none; above it a transaction waits for the base fee to fall)");
  cmd->add_option("--resubmit-after", o.resubmit_after_s, "seconds before an unmined transaction is replaced with +12.5% fees")
      ->capture_default_str();
  cmd->add_option("--max-resubmissions", o.max_resubmissions, "fee bumps per transaction")->capture_default_str();
  cmd->add_option("--tx-timeout", o.tx_timeout_s, "seconds to wait for a transaction's receipt")->capture_default_str();
  cmd->add_option("--tx-confirmations", o.tx_confirmations, "blocks on top of an operator transaction before it counts")
      ->capture_default_str();
}

/// gwei -> wei (nullopt for a negative or absurd value).
inline std::optional<ff::U256> gwei(double g) {
  if (!(g >= 0) || g > 1e9) return std::nullopt;
  return ff::U256{static_cast<uint64_t>(g * 1e9 + 0.5), 0, 0, 0};
}

/// SenderOptions from the flags; "" or the error.
inline std::string sender_options(const L1FeeOptions& o, l1::SenderOptions& so) {
  if (o.priority_fee_gwei) {
    auto w = gwei(*o.priority_fee_gwei);
    if (!w) return "--priority-fee-gwei: not in [0, 1e9]";
    so.priority_fee = *w;
  }
  if (o.max_fee_gwei) {
    auto w = gwei(*o.max_fee_gwei);
    if (!w) return "--max-fee-gwei: not in [0, 1e9]";
    so.max_fee_cap = *w;
  }
  if (!(o.resubmit_after_s > 0) || !(o.tx_timeout_s > 0)) return "--resubmit-after and --tx-timeout must be positive";
  if (o.tx_confirmations == 0) return "--tx-confirmations must be at least 1";
  so.resubmit_after = std::chrono::milliseconds(static_cast<int64_t>(o.resubmit_after_s * 1000));
  so.timeout = std::chrono::milliseconds(static_cast<int64_t>(o.tx_timeout_s * 1000));
  so.confirmations = o.tx_confirmations;
  so.max_resubmissions = o.max_resubmissions;
  return "";
}

}  // namespace zkamm::app
