#include "settle/l1_watcher.hpp"

#include <algorithm>

#include "settle/rollup_abi.hpp"

namespace zkamm::settle {
namespace {

l1::RpcError err(std::string what) { return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, std::move(what), ""}; }

uint64_t low64(const l1::U256& v) { return v[0]; }

}  // namespace

WatcherSink node_sink(node::Node& node) {
  WatcherSink s;
  s.next_priority_serial = [&node] { return node.next_priority_serial(); };
  s.add_token = [&node](uint16_t id, const l1::Address& addr) -> std::string {
    if (auto t = node.token(id)) {
      return t->l1_address == addr ? "" : "token " + std::to_string(id) + " has another L1 address on the L2";
    }
    auto got = node.add_token(addr);
    if (!got) return "add_token failed";
    if (*got != id) return "token id mismatch: L1 " + std::to_string(id) + ", L2 " + std::to_string(*got);
    return "";
  };
  s.submit_priority = [&node](const tx::Tx& op) -> std::string {
    const node::SubmitResult r = node.submit_priority(op);
    return r.accepted ? "" : std::string(node::to_string(r.code)) + ": " + r.reason;
  };
  return s;
}

std::optional<tx::Tx> priority_op_from_log(const l1::Log& log) {
  auto v = l1::abi::decode_log(rollup_abi::priority_op_queued(), log.topics, log.data);
  if (!v || v->size() != 8) return std::nullopt;
  const uint64_t serial = low64((*v)[0].word);
  const auto type = static_cast<tx::TxType>(low64((*v)[1].word));
  const auto account = static_cast<uint32_t>(low64((*v)[2].word));
  const auto token = static_cast<uint16_t>(low64((*v)[3].word));
  const l1::U256& amount = (*v)[4].word;
  switch (type) {
    case tx::TxType::CreateAccount: {
      tx::CreateAccount c;
      c.serial = serial;
      c.account = account;
      const l1::Bytes& pk = (*v)[5].bytes;
      if (pk.size() != 32) return std::nullopt;
      std::copy(pk.begin(), pk.end(), c.pubkey.begin());
      return tx::Tx{c};
    }
    case tx::TxType::Deposit: {
      tx::Deposit d;
      d.serial = serial;
      d.account = account;
      d.token = token;
      d.amount = (static_cast<tx::Amount>(amount[1]) << 64) | amount[0];
      return tx::Tx{d};
    }
    case tx::TxType::FullExit: {
      tx::FullExit f;
      f.serial = serial;
      f.account = account;
      f.token = token;
      return tx::Tx{f};
    }
    default: return std::nullopt;
  }
}

L1Watcher::L1Watcher(l1::RpcClient& rpc, WatcherSink sink, WatcherConfig cfg)
    : rpc_(rpc), sink_(std::move(sink)), cfg_(cfg) {
  if (cfg_.confirmations == 0) cfg_.confirmations = 1;
  if (cfg_.max_range == 0) cfg_.max_range = 1;
  stats_.last_block = cfg_.from_block == 0 ? 0 : cfg_.from_block - 1;
}

L1Watcher::~L1Watcher() { stop(); }

WatcherStats L1Watcher::stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

std::string L1Watcher::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

l1::Result<size_t> L1Watcher::deliver(const l1::Log& log) {
  if (log.topics.empty()) return size_t{0};
  if (log.topics[0] == rollup_abi::token_added().topic0()) {
    auto v = l1::abi::decode_log(rollup_abi::token_added(), log.topics, log.data);
    if (!v || v->size() != 2 || (*v)[1].bytes.size() != 20) return err("undecodable TokenAdded log");
    l1::Address a{};
    std::copy((*v)[1].bytes.begin(), (*v)[1].bytes.end(), a.begin());
    if (std::string e = sink_.add_token(static_cast<uint16_t>(low64((*v)[0].word)), a); !e.empty()) return err("TokenAdded: " + e);
    std::lock_guard lk(mu_);
    ++stats_.tokens;
    return size_t{1};
  }
  if (log.topics[0] == rollup_abi::priority_op_queued().topic0()) {
    auto op = priority_op_from_log(log);
    if (!op) return err("undecodable PriorityOpQueued log");
    const uint64_t serial = std::visit(
        [](const auto& t) -> uint64_t {
          if constexpr (requires { t.serial; }) return t.serial;
          else return 0;
        },
        *op);
    const uint64_t next = sink_.next_priority_serial();
    if (serial < next) {  // already on the L2 (restart, or a re-read range)
      std::lock_guard lk(mu_);
      ++stats_.skipped;
      return size_t{0};
    }
    if (serial > next) return err("priority serial gap: got " + std::to_string(serial) + ", node expects " + std::to_string(next));
    if (std::string e = sink_.submit_priority(*op); !e.empty()) return err("priority op " + std::to_string(serial) + ": " + e);
    std::lock_guard lk(mu_);
    ++stats_.priority_ops;
    return size_t{1};
  }
  return size_t{0};
}

l1::Result<size_t> L1Watcher::poll_once() {
  WatcherStats st = stats();
  // The processed block must still be canonical: otherwise events we delivered may be gone.
  if (st.last_block > 0 && st.last_hash != l1::Bytes32{}) {
    auto b = rpc_.get_block_by_number(l1::BlockTag::number(st.last_block));
    if (!b) return b.error();
    if (!*b || (*b)->hash != st.last_hash) {
      return err("L1 reorg below the processed block " + std::to_string(st.last_block) +
                 " (deeper than the confirmations); delivered events may be gone");
    }
  }
  auto head = rpc_.block_number();
  if (!head) return head.error();
  if (*head + 1 < cfg_.confirmations) return size_t{0};
  const uint64_t safe = *head + 1 - cfg_.confirmations;  // newest block with enough confirmations
  if (safe <= st.last_block) return size_t{0};
  const uint64_t to = std::min(safe, st.last_block + cfg_.max_range);
  const uint64_t from = st.last_block + 1;

  auto to_block = rpc_.get_block_by_number(l1::BlockTag::number(to));
  if (!to_block) return to_block.error();
  if (!*to_block) return err("block " + std::to_string(to) + " missing");
  l1::LogFilter f;
  f.from_block = l1::BlockTag::number(from);
  f.to_block = l1::BlockTag::number(to);
  f.addresses = {cfg_.rollup};
  f.topics = {{rollup_abi::token_added().topic0(), rollup_abi::priority_op_queued().topic0()}};
  auto logs = rpc_.get_logs(f);
  if (!logs) return logs.error();
  // The range must not have changed while we read it: the logs' blocks must lie on the chain
  // that ends in `to_block` (checked through `to`'s hash, re-read after the logs).
  auto again = rpc_.get_block_by_number(l1::BlockTag::number(to));
  if (!again) return again.error();
  if (!*again || (*again)->hash != (*to_block)->hash) return size_t{0};  // reorg in flight: retry later
  std::vector<l1::Log> sorted;
  for (const l1::Log& log : *logs) {
    if (log.removed) continue;
    if (log.block_number < from || log.block_number > to) return err("eth_getLogs returned a log outside the range");
    sorted.push_back(log);
  }
  std::sort(sorted.begin(), sorted.end(), [](const l1::Log& a, const l1::Log& b) {
    return a.block_number != b.block_number ? a.block_number < b.block_number : a.log_index < b.log_index;
  });
  // Logs within a block must come from that block's canonical hash.
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].block_number == sorted[i - 1].block_number) {
      if (sorted[i].block_hash != sorted[i - 1].block_hash) return size_t{0};
      continue;
    }
    auto b = rpc_.get_block_by_number(l1::BlockTag::number(sorted[i].block_number));
    if (!b) return b.error();
    if (!*b || (*b)->hash != sorted[i].block_hash) return size_t{0};
  }
  size_t delivered = 0;
  for (const l1::Log& log : sorted) {
    auto r = deliver(log);
    if (!r) return r.error();
    delivered += *r;
  }
  std::lock_guard lk(mu_);
  stats_.last_block = to;
  stats_.last_hash = (*to_block)->hash;
  return delivered;
}

void L1Watcher::start() {
  std::lock_guard lk(mu_);
  if (worker_.joinable()) return;
  stop_ = false;
  worker_ = std::thread([this] {
    for (;;) {
      auto r = poll_once();
      std::unique_lock lk2(mu_);
      if (!r && r.error().kind != l1::RpcErrorKind::Transport) {
        error_ = r.error().message;
        return;
      }
      if (cv_.wait_for(lk2, cfg_.poll_interval, [&] { return stop_; })) return;
    }
  });
}

void L1Watcher::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace zkamm::settle
