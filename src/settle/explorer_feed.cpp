#include "settle/explorer_feed.hpp"

#include <algorithm>
#include <vector>

namespace zkamm::settle {

using nlohmann::json;

ExplorerFeed::ExplorerFeed(node::Node& node, Prover& prover, L1Sender& sender)
    : node_(node), prover_(prover), sender_(sender) {
  sender_.on_stage([this](uint64_t n, L1Stage s, TimeMs at) {
    if (s == L1Stage::kExecuted && at != 0) on_executed(n, at);
  });
}

void ExplorerFeed::on_executed(uint64_t n, node::TimeMs at) {
  // The batch's L2 txs (not its priority ops, which the RPC never received): receipt to final.
  auto b = node_.batch(n);
  if (!b) return;
  std::vector<Sample> got;
  for (const node::BatchSlot& s : b->slots) {
    if (s.hash == node::Hash{}) continue;
    const node::TxInfo info = node_.tx_info(s.hash);
    if (info.times.received == 0 || info.times.received > at) continue;
    got.push_back({at, static_cast<double>(at - info.times.received)});
  }
  std::lock_guard lock(mu_);
  for (const Sample& s : got) hard_.push_back(s);
  while (!hard_.empty() && (hard_.front().at + kHardWindowMs < at || hard_.size() > kMaxSamples)) hard_.pop_front();
}

json ExplorerFeed::batch(uint64_t n) const {
  json j = json::object();
  if (auto p = prover_.proved(n)) {
    j["closed"] = p->closed_ms;
    j["proved"] = p->proved_ms;
    j["witness_ms"] = p->witness_ms;
    j["prove_ms"] = p->prove_ms;
  }
  if (auto s = sender_.state(n)) {
    j["gas_commit"] = s->gas_commit;
    j["gas_prove"] = s->gas_prove;
    j["gas_execute"] = s->gas_execute;
    j["gas_settle"] = s->gas_settle;
  }
  return j;
}

json ExplorerFeed::metrics() const {
  const uint64_t last_proved = prover_.last_proved();
  const uint64_t last_batch = node_.status().last_batch;
  json prover = {{"last_proved", last_proved}, {"queue", last_batch > last_proved ? last_batch - last_proved : 0}};
  if (auto p = last_proved ? prover_.proved(last_proved) : std::nullopt) {
    prover["last_prove_ms"] = p->prove_ms;
    prover["last_witness_ms"] = p->witness_ms;
  }
  std::vector<double> v;
  const node::TimeMs now = now_ms();
  {
    std::lock_guard lock(mu_);
    for (const Sample& s : hard_)
      if (s.at + kHardWindowMs >= now) v.push_back(s.ms);
  }
  std::sort(v.begin(), v.end());
  const auto q = [&](double f) {
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<std::size_t>(f * static_cast<double>(v.size() - 1) + 0.5))];
  };
  return {{"prover", std::move(prover)},
          {"hard_latency_ms",
           {{"count", v.size()}, {"p50", q(0.5)}, {"p99", q(0.99)}, {"max", v.empty() ? 0.0 : v.back()}, {"window_ms", kHardWindowMs}}},
          {"prover_error", prover_.error()},
          {"l1_error", sender_.error()}};
}

node::rpc::ExplorerHooks ExplorerFeed::hooks() {
  node::rpc::ExplorerHooks h;
  h.batch = [this](uint64_t n) { return batch(n); };
  h.metrics = [this] { return metrics(); };
  return h;
}

}  // namespace zkamm::settle
