// The rollup's batch events as the group tests count them: every batch must be committed and
// executed exactly once on L1, whichever member sent it (tests/settle and tests/cluster).
#pragma once
#include <gtest/gtest.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>

#include "l1/abi.hpp"
#include "l1/rpc_client.hpp"
#include "settle/deployment.hpp"
#include "settle/l1_calls.hpp"

namespace zkamm::settle::testing {

/// Per batch number (the event's first indexed topic), how many logs of `event` the rollup
/// emitted since its deployment.
inline std::map<uint64_t, int> count_batch_events(l1::RpcClient& rpc, const Deployment& d, const char* event) {
  const auto e = l1::abi::parse_event(event);
  EXPECT_TRUE(e.has_value()) << event;
  std::map<uint64_t, int> out;
  if (!e) return out;
  l1::LogFilter f;
  f.from_block = l1::BlockTag::number(d.deploy_block);
  f.addresses = {d.rollup};
  f.topics = {{e->topic0()}};
  auto logs = rpc.get_logs(f);
  EXPECT_TRUE(logs.ok());
  if (!logs.ok()) return out;
  for (const auto& l : *logs) {
    uint64_t n = 0;
    if (l.topics.size() > 1)
      for (size_t k = 24; k < 32; ++k) n = (n << 8) | l.topics[1][k];
    ++out[n];
  }
  return out;
}

/// The transactions `operator_address` (0x-hex, any case) sent in blocks from_block.. on L1's
/// head: each must have succeeded (a duplicate or stale settlement step reverts on the contract).
/// Returns how many there were.
inline int expect_operator_txs_succeeded(l1::RpcClient& rpc, uint64_t from_block, std::string operator_address) {
  for (auto& ch : operator_address) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto head = rpc.block_number();
  EXPECT_TRUE(head.ok());
  if (!head.ok()) return 0;
  int count = 0;
  for (uint64_t n = from_block; n <= *head; ++n) {
    std::ostringstream hex;
    hex << "0x" << std::hex << n;
    const auto blk = rpc.request("eth_getBlockByNumber", nlohmann::json::array({hex.str(), true}));
    EXPECT_TRUE(blk.ok()) << "block " << n;
    if (!blk.ok()) continue;
    for (const auto& t : (*blk)["transactions"]) {
      std::string from = t.value("from", "");
      for (auto& ch : from) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (from != operator_address) continue;
      const auto r = rpc.request("eth_getTransactionReceipt", nlohmann::json::array({t["hash"]}));
      EXPECT_TRUE(r.ok());
      if (r.ok()) {
        EXPECT_EQ((*r)["status"], "0x1") << "operator transaction " << t["hash"] << " reverted";
      }
      ++count;
    }
  }
  return count;
}

/// The rollup's lastExecutedRoot(): 32 bytes, or empty (a test failure) when the call fails.
inline l1::Bytes last_executed_root(l1::RpcClient& rpc, const Deployment& d) {
  l1::CallRequest call;
  call.to = d.rollup;
  call.data = settle::call("lastExecutedRoot()", {});
  auto root = rpc.call(call);
  EXPECT_TRUE(root.ok());
  if (!root.ok()) return {};
  EXPECT_EQ(root->size(), 32u);
  return root->size() == 32 ? *root : l1::Bytes{};
}

}  // namespace zkamm::settle::testing
