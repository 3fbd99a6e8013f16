// The rollup's batch events as the group tests count them: every batch must be committed and
// executed exactly once on L1, whichever member sent it (tests/settle and tests/cluster).
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <map>

#include "l1/abi.hpp"
#include "l1/rpc_client.hpp"
#include "settle/deployment.hpp"

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

}  // namespace zkamm::settle::testing
