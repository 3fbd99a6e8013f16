#pragma once
// The accounts of `zkamm devnet --once`'s paper experiment (docs/BENCH.md, "zkamm devnet --once").
// They are funded as any user is: registerAccount (signed by each account's key) and ERC-20
// deposits on ZkammRollup, credited on L2 by the L1 watcher (each a priority operation that
// takes a batch slot). A provider account adds deep liquidity to pool (1, 2) so the bench's swaps
// (1 to 100 tokens each) stay within their slippage limit. The bench reads the key file this
// writes (`zkamm bench --genesis` layout, with explicit account numbers).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "l1/bytes.hpp"
#include "l1/rpc_client.hpp"
#include "node/node.hpp"
#include "tx/message.hpp"

namespace zkamm::settle {

struct BenchFundingConfig {
  uint32_t accounts = 0;              ///< bench accounts (besides the provider)
  std::string keys_path;              ///< where the key file goes
  l1::Address rollup{};
  std::vector<l1::Address> tokens;    ///< the ERC-20s of L2 tokens 1 and 2
  uint64_t chain_id = 0;
  uint64_t confirmations = 1;         ///< the watcher's: mine this many - 1 extra blocks at the end
  tx::Domain domain;                  ///< the L2 signature domain
  std::chrono::milliseconds timeout{300000};  ///< for the watcher to credit every operation
};

/// DEVNET ONLY: bench account i's L2 key, sha256("zkamm-devnet-bench-key" || be32(i)); i = 0
/// is the liquidity provider.
hash::PrivateKey devnet_bench_key(uint32_t i);

/// Registers and funds the accounts from anvil's test account 3 (used by nothing else in the
/// devnet), waits until the node has credited them, adds the provider's liquidity and writes the
/// key file. Precondition: `node` runs with a watcher of cfg.rollup. "" or the error.
std::string fund_bench_accounts(const BenchFundingConfig& cfg, l1::RpcClient& rpc, node::Node& node,
                                const std::atomic<bool>& stop, std::ostream& out);

}  // namespace zkamm::settle
