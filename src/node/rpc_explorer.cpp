#include "node/rpc_explorer.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <vector>

#include "node/codec.hpp"
#include "node/rpc_views.hpp"
#include "tx/json.hpp"

namespace zkamm::node::rpc {
namespace {

TimeMs wall_ms() {
  return static_cast<TimeMs>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

uint64_t count_arg(const json* j, uint64_t dflt, uint64_t max, const char* name) {
  if (!j || j->is_null()) return dflt;
  if (const auto v = uint_from_json(*j, max)) return *v;
  throw RpcError(code::kInvalidParams, std::string(name) + " must be an integer between 0 and " + std::to_string(max));
}

std::string root_hex(const ff::Fr& x) {
  std::array<uint8_t, 32> b{};
  ff::to_bytes_be(x.to_canonical(), b.data());
  return hex0x(b.data(), b.size());
}

/// The value at quantile q (0..1) of sorted v (nearest rank).
double quantile(const std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

void ExplorerFeed::on_block(const Block& b, std::span<const double> soft_latency_s) {
  const TimeMs now = wall_ms();
  std::lock_guard lock(mu_);
  blocks_.push_back({now, static_cast<uint32_t>(b.txs.size())});
  while (!blocks_.empty() && blocks_.front().at + kWindowMs < now) blocks_.pop_front();
  for (double s : soft_latency_s) latencies_.push_back({now, s});
  while (!latencies_.empty() && (latencies_.front().at + kWindowMs < now || latencies_.size() > kMaxLatencies))
    latencies_.pop_front();
  for (const BlockTx& t : b.txs) {
    const tx::TxType type = tx::type_of(t.tx);
    if (type != tx::TxType::SwapExactIn && type != tx::TxType::SwapExactOut) continue;
    Swap s;
    s.block = b.header.number;
    s.time = b.header.timestamp;
    s.hash = t.hash;
    std::visit(
        [&](const auto& x) {
          using T = std::remove_cvref_t<decltype(x)>;
          if constexpr (std::is_same_v<T, tx::SwapExactIn> || std::is_same_v<T, tx::SwapExactOut>) {
            s.account = x.account;
            s.token_in = x.token_in;
            s.token_out = x.token_out;
          }
        },
        t.tx);
    s.amount_in = t.executed.amount_in;
    s.amount_out = t.executed.amount_out;
    auto it = swaps_.find(t.executed.lp_token);
    if (it == swaps_.end()) {
      if (swaps_.size() >= kMaxPoolsTracked) continue;  // bounded; later pools show no recent swaps
      it = swaps_.emplace(t.executed.lp_token, std::deque<Swap>{}).first;
    }
    it->second.push_back(s);
    if (it->second.size() > kSwapsPerPool) it->second.pop_front();
  }
}

json ExplorerFeed::settle_of(uint64_t batch) const {
  if (!hooks_.batch) return nullptr;
  return hooks_.batch(batch);
}

json ExplorerFeed::batch_summary(const Batch& b) const {
  uint32_t txs = 0;
  for (const BatchSlot& s : b.slots)
    if (tx::type_of(s.tx) != tx::TxType::Noop) ++txs;
  json j = {{"number", b.header.number},
            {"timestamp", std::to_string(b.header.timestamp)},
            {"kind", b.header.kind == BatchKind::Swap ? "swap" : "universal"},
            {"num_slots", b.header.num_slots},
            {"txs", txs},
            {"priority_count", b.header.priority_count},
            {"root_ready", b.root_ready},
            {"new_root", b.root_ready ? json(root_hex(b.header.new_root)) : json(nullptr)}};
  if (auto l1 = node_.batch_l1(b.header.number)) j["l1"] = batch_l1_json(*l1);
  else j["l1"] = nullptr;
  j["settle"] = settle_of(b.header.number);
  return j;
}

json ExplorerFeed::metrics(TimeMs now) const {
  const NodeStatus s = node_.status();
  std::vector<double> lat;
  uint64_t window_txs = 0, window_blocks = 0;
  {
    std::lock_guard lock(mu_);
    for (const BlockSample& b : blocks_)
      if (b.at + kWindowMs >= now) {
        window_txs += b.txs;
        ++window_blocks;
      }
    for (const LatencySample& l : latencies_)
      if (l.at + kWindowMs >= now) lat.push_back(l.seconds * 1000.0);
  }
  std::sort(lat.begin(), lat.end());
  // Over the whole window once the node has run that long, so a burst reads as its average.
  const double window_s = static_cast<double>(std::min<uint64_t>(kWindowMs, std::max<uint64_t>(s.uptime_ms, 1))) / 1000.0;
  const uint32_t max_block = node_.config().max_block_txs;
  const double per_block = window_blocks ? static_cast<double>(window_txs) / static_cast<double>(window_blocks) : 0.0;
  json j = {{"time", now},
            {"window_ms", kWindowMs},
            {"head_block", s.head_block},
            {"soft_txs", s.soft_txs},
            {"soft_tps", static_cast<double>(window_txs) / window_s},
            {"soft_latency_ms",
             {{"count", lat.size()}, {"p50", quantile(lat, 0.5)}, {"p99", quantile(lat, 0.99)}, {"max", lat.empty() ? 0.0 : lat.back()}}},
            {"block_fill",
             {{"blocks", window_blocks},
              {"txs_per_block", per_block},
              {"max_block_txs", max_block},
              {"fill", max_block ? per_block / max_block : 0.0}}},
            {"mempool", s.pending},
            {"batcher_backlog_batches", s.batcher_backlog_batches},
            {"txs_received", m_.txs_received.value()},
            {"txs_rejected", m_.txs_rejected.snapshot()},
            {"batches",
             {{"last", s.last_batch},
              {"last_root", s.last_root_batch},
              {"committed", s.last_committed},
              {"proven", s.last_proven},
              {"finalized", s.last_finalized}}},
            {"settle", hooks_.metrics ? hooks_.metrics() : json(nullptr)}};
  return j;
}

void ExplorerFeed::add_methods(Dispatcher& d) {
  std::weak_ptr<ExplorerFeed> weak = weak_from_this();
  auto self = [weak]() {
    auto s = weak.lock();
    if (!s) throw RpcError(code::kInternal, "node is shutting down");
    return s;
  };

  // Newest first; `before` (exclusive) pages back. Each block is a whole-record read: heavy.
  d.add_sync("zkamm_getBlocks", [self](const json& p, const CallContext&) {
    auto f = self();
    const uint64_t head = f->node_.status().head_block;
    const uint64_t count = count_arg(param(p, 0, "count", false), 20, kMaxList, "count");
    const uint64_t before = count_arg(param(p, 1, "before", false), head + 1, UINT64_MAX - 1, "before");
    json out = json::array();
    for (uint64_t n = std::min(before, head + 1); n > 1 && out.size() < count; --n)
      if (auto b = f->node_.block(n - 1)) out.push_back(block_header_json(b->header));
    return out;
  }, MethodCost{kListCost, true});

  d.add_sync("zkamm_getBatches", [self](const json& p, const CallContext&) {
    auto f = self();
    const uint64_t last = f->node_.status().last_batch;
    const uint64_t count = count_arg(param(p, 0, "count", false), 20, kMaxList, "count");
    const uint64_t before = count_arg(param(p, 1, "before", false), last + 1, UINT64_MAX - 1, "before");
    json out = json::array();
    for (uint64_t n = std::min(before, last + 1); n > 1 && out.size() < count; --n)
      if (auto b = f->node_.batch(n - 1)) out.push_back(f->batch_summary(*b));
    return out;
  }, MethodCost{kListCost, true});

  d.add_sync("zkamm_getPools", [self](const json&, const CallContext&) {
    auto f = self();
    json out = json::array();
    for (uint32_t id = 0; id < 1024; ++id) {
      auto pool = f->node_.pool_by_id(id);
      if (!pool) break;
      json j = pool_json(*pool);
      j["id"] = id;
      out.push_back(std::move(j));
    }
    return out;
  }, MethodCost{8, false});

  d.add_sync("zkamm_getPoolSwaps", [self](const json& p, const CallContext&) {
    auto f = self();
    const uint64_t a = count_arg(param(p, 0, "token_a"), 0, tx::kTokenLimit - 1, "token_a");
    const uint64_t b = count_arg(param(p, 1, "token_b"), 0, tx::kTokenLimit - 1, "token_b");
    auto pool = f->node_.pool(static_cast<state::TokenId>(a), static_cast<state::TokenId>(b));
    if (!pool) throw RpcError(code::kNotFound, "pool not found", json{{"token_a", a}, {"token_b", b}});
    json out = json::array();
    std::lock_guard lock(f->mu_);
    auto it = f->swaps_.find(static_cast<uint16_t>(pool->lp_token));
    if (it == f->swaps_.end()) return out;
    for (auto s = it->second.rbegin(); s != it->second.rend(); ++s)
      out.push_back({{"hash", hex0x(s->hash.data(), s->hash.size())},
                     {"block", s->block},
                     {"time", s->time},
                     {"account", s->account},
                     {"token_in", s->token_in},
                     {"token_out", s->token_out},
                     {"amount_in", tx::amount_to_decimal(s->amount_in)},
                     {"amount_out", tx::amount_to_decimal(s->amount_out)}});
    return out;
  });

  d.add_sync("zkamm_metrics", [self](const json&, const CallContext&) { return self()->metrics(wall_ms()); });
}

}  // namespace zkamm::node::rpc
