#include "sync/l1_follower.hpp"

#include <algorithm>
#include <map>

#include "hash/keccak256.hpp"
#include "l1/abi.hpp"
#include "settle/rollup_abi.hpp"

namespace zkamm::sync {
namespace {

namespace abi = l1::abi;

l1::RpcError fatal(std::string what) { return l1::RpcError{l1::RpcErrorKind::BadResponse, 0, std::move(what), ""}; }

const abi::Event& batch_committed() {
  static const abi::Event e =
      *abi::parse_event("BatchCommitted(uint256 indexed,uint256,uint256,bytes32,uint64,uint32)");
  return e;
}
const abi::Event& batch_executed() {
  static const abi::Event e = *abi::parse_event("BatchExecuted(uint256 indexed,uint256)");
  return e;
}
const abi::Event& batches_reverted() {
  static const abi::Event e = *abi::parse_event("BatchesReverted(uint256)");
  return e;
}
const abi::Function& genesis_root_fn() {
  static const abi::Function f = *abi::parse_function("genesisRoot()(uint256)");
  return f;
}

uint64_t low64(const l1::U256& v) { return v[0]; }
bool fits64(const l1::U256& v) { return v[1] == 0 && v[2] == 0 && v[3] == 0; }

std::optional<ff::Fr> fr_of(const l1::U256& v) { return ff::Fr::from_canonical(v); }

}  // namespace

Follower::Follower(l1::RpcClient& rpc, Replica& replica, FollowerConfig cfg) : rpc_(rpc), replica_(replica), cfg_(std::move(cfg)) {
  if (cfg_.confirmations == 0) cfg_.confirmations = 1;
  if (cfg_.max_range == 0) cfg_.max_range = 1;
}

Follower::~Follower() { stop(); }

std::string Follower::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

FollowerStats Follower::stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

l1::Result<std::optional<uint64_t>> Follower::find_deploy_block() {
  auto head = rpc_.block_number();
  if (!head) return head.error();
  auto code = rpc_.get_code(cfg_.rollup, l1::BlockTag::number(*head));
  if (!code) return code.error();
  if (code->empty()) return fatal("no contract at " + l1::to_checksum_address(cfg_.rollup) + " on this chain");
  // The first block with code: binary search over historical state (an L1 node that has pruned
  // it answers with an error: then the logs are read from block 0).
  uint64_t lo = 0, hi = *head;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    auto c = rpc_.get_code(cfg_.rollup, l1::BlockTag::number(mid));
    if (!c) return std::optional<uint64_t>{};
    if (c->empty()) lo = mid + 1;
    else hi = mid;
  }
  return std::optional<uint64_t>{lo};
}

std::string Follower::init() {
  auto chain = rpc_.chain_id();
  if (!chain) return "eth_chainId: " + chain.error().message;
  ChainInfo c;
  c.chain_id = *chain;
  c.rollup = cfg_.rollup;
  if (cfg_.from_block) {
    c.deploy_block = *cfg_.from_block;
  } else {
    auto d = find_deploy_block();
    if (!d) return d.error().message;
    c.deploy_block = d->value_or(0);
  }
  l1::CallRequest call;
  call.to = cfg_.rollup;
  call.data = *abi::encode_call(genesis_root_fn(), {});
  auto out = rpc_.call(call);
  if (!out) return "genesisRoot(): " + out.error().message;
  auto v = abi::decode_output(genesis_root_fn(), *out);
  if (!v || v->size() != 1 || !fr_of((*v)[0].word)) return "genesisRoot() returned no field element: is this a ZkammRollup?";
  c.genesis_root = *fr_of((*v)[0].word);
  return replica_.bind(c);
}

l1::Result<std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>> Follower::commit_calldata(const l1::Bytes32& tx) {
  auto r = rpc_.request("eth_getTransactionByHash", nlohmann::json::array({l1::to_hex(tx)}));
  if (!r) return r.error();
  if (!r->is_object() || !r->contains("input")) return fatal("commit transaction " + l1::to_hex(tx) + " not found");
  const nlohmann::json& to = (*r)["to"];
  auto to_addr = to.is_string() ? l1::address_from_hex(to.get<std::string>()) : std::nullopt;
  auto input = (*r)["input"].is_string() ? l1::from_hex((*r)["input"].get<std::string>()) : std::nullopt;
  if (!input) return fatal("commit transaction " + l1::to_hex(tx) + ": input is not hex");
  std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>> out;
  const auto& one = settle::rollup_abi::commit_batch();
  const auto& many = settle::rollup_abi::commit_prove_execute();
  const bool direct = to_addr && *to_addr == cfg_.rollup && input->size() >= 4;
  if (direct && std::equal(input->begin(), input->begin() + 4, one.selector().begin())) {
    auto v = abi::decode(one.inputs, std::span(*input).subspan(4));
    if (!v || v->size() != 2) return fatal("commit transaction " + l1::to_hex(tx) + ": undecodable commitBatch call");
    out.emplace_back((*v)[0].bytes, (*v)[1].bytes);
    return out;
  }
  if (direct && std::equal(input->begin(), input->begin() + 4, many.selector().begin())) {
    auto v = abi::decode(many.inputs, std::span(*input).subspan(4));
    if (!v || v->size() != 3 || (*v)[0].items.size() != (*v)[1].items.size())
      return fatal("commit transaction " + l1::to_hex(tx) + ": undecodable commitProveExecute call");
    for (size_t i = 0; i < (*v)[0].items.size(); ++i) out.emplace_back((*v)[0].items[i].bytes, (*v)[1].items[i].bytes);
    return out;
  }
  return fatal("commit transaction " + l1::to_hex(tx) +
               " is not a direct commitBatch / commitProveExecute call to the rollup: its batch cannot be read from calldata");
}

l1::Result<size_t> Follower::poll_once() {
  {
    std::lock_guard lk(mu_);
    ++stats_.polls;
  }
  // The last block read must still be canonical; if a reorg removed it, undo journalled steps.
  for (;;) {
    const Cursor c = replica_.meta().cursor;
    if (c.hash == l1::Bytes32{}) break;
    auto b = rpc_.get_block_by_number(l1::BlockTag::number(c.block));
    if (!b) return b.error();
    if (*b && (*b)->hash == c.hash) break;
    const std::string e = replica_.rollback_one();
    if (e == "none")
      return fatal("L1 reorg below block " + std::to_string(c.block) + ", deeper than the journal (" +
                   std::to_string(cfg_.journal_depth) + " blocks): resync from an empty data directory");
    if (!e.empty()) return fatal("rollback after an L1 reorg: " + e);
    std::lock_guard lk(mu_);
    ++stats_.rollbacks;
  }
  auto head = rpc_.block_number();
  if (!head) return head.error();
  {
    std::lock_guard lk(mu_);
    stats_.l1_head = *head;
  }
  if (*head + 1 < cfg_.confirmations) return size_t{0};
  const uint64_t safe = *head + 1 - cfg_.confirmations;
  const SyncMeta meta = replica_.meta();
  if (safe <= meta.cursor.block && meta.cursor.hash != l1::Bytes32{}) return size_t{0};
  const uint64_t from = meta.cursor.hash == l1::Bytes32{} ? meta.cursor.block + (meta.cursor.block == 0 ? 0 : 1) : meta.cursor.block + 1;
  if (from > safe) return size_t{0};
  const uint64_t to = std::min(safe, from + cfg_.max_range - 1);

  auto to_block = rpc_.get_block_by_number(l1::BlockTag::number(to));
  if (!to_block) return to_block.error();
  if (!*to_block) return fatal("block " + std::to_string(to) + " missing");
  l1::LogFilter f;
  f.from_block = l1::BlockTag::number(from);
  f.to_block = l1::BlockTag::number(to);
  f.addresses = {cfg_.rollup};
  f.topics = {{settle::rollup_abi::token_added().topic0(), batch_committed().topic0(), batch_executed().topic0(),
               batches_reverted().topic0()}};
  auto logs = rpc_.get_logs(f);
  if (!logs) return logs.error();
  auto again = rpc_.get_block_by_number(l1::BlockTag::number(to));
  if (!again) return again.error();
  if (!*again || (*again)->hash != (*to_block)->hash) return size_t{0};  // reorg in flight: retry
  std::vector<l1::Log> sorted;
  for (const l1::Log& log : *logs) {
    if (log.removed) continue;
    if (log.block_number < from || log.block_number > to) return fatal("eth_getLogs returned a log outside the range");
    sorted.push_back(log);
  }
  std::sort(sorted.begin(), sorted.end(), [](const l1::Log& a, const l1::Log& b) {
    return a.block_number != b.block_number ? a.block_number < b.block_number : a.log_index < b.log_index;
  });
  for (size_t i = 0; i < sorted.size(); ++i) {  // every log from a canonical block
    if (i > 0 && sorted[i].block_number == sorted[i - 1].block_number) {
      if (sorted[i].block_hash != sorted[i - 1].block_hash) return size_t{0};
      continue;
    }
    auto b = rpc_.get_block_by_number(l1::BlockTag::number(sorted[i].block_number));
    if (!b) return b.error();
    if (!*b || (*b)->hash != sorted[i].block_hash) return size_t{0};
  }

  SyncUpdate u;
  std::map<uint64_t, L1Batch> pending = replica_.pending();
  std::map<uint64_t, bool> put;  // pending commits added by this step (true) or dropped (false)
  std::map<l1::Bytes32, std::vector<std::pair<std::vector<uint8_t>, std::vector<uint8_t>>>> calldata;
  uint64_t last = meta.last_batch;
  const auto make_final = [&](uint64_t n, uint64_t block) -> std::optional<l1::RpcError> {
    auto it = pending.find(n);
    if (it == pending.end()) return fatal("batch " + std::to_string(n) + " is final on L1 but its commit was not seen");
    L1Batch b = std::move(it->second);
    pending.erase(it);
    put.erase(n);
    b.final_block = block;
    if (cfg_.tamper) cfg_.tamper(b);
    u.batches.push_back(std::move(b));
    last = n;
    return std::nullopt;
  };
  for (const l1::Log& log : sorted) {
    if (log.topics.empty()) continue;
    const l1::Bytes32& t0 = log.topics[0];
    if (t0 == settle::rollup_abi::token_added().topic0()) {
      auto v = abi::decode_log(settle::rollup_abi::token_added(), log.topics, log.data);
      if (!v || v->size() != 2 || (*v)[1].bytes.size() != 20) return fatal("undecodable TokenAdded log");
      l1::Address a{};
      std::copy((*v)[1].bytes.begin(), (*v)[1].bytes.end(), a.begin());
      u.tokens.emplace_back(static_cast<uint16_t>(low64((*v)[0].word)), a);
    } else if (t0 == batch_committed().topic0()) {
      auto v = abi::decode_log(batch_committed(), log.topics, log.data);
      if (!v || v->size() != 6 || !fits64((*v)[0].word)) return fatal("undecodable BatchCommitted log");
      const uint64_t n = low64((*v)[0].word);
      if (n <= last) continue;  // applied already
      auto root = fr_of((*v)[1].word);
      if (!root) return fatal("batch " + std::to_string(n) + ": BatchCommitted root is not a field element");
      auto cd = calldata.find(log.transaction_hash);
      if (cd == calldata.end()) {
        auto r = commit_calldata(log.transaction_hash);
        if (!r) return r.error();
        cd = calldata.emplace(log.transaction_hash, std::move(*r)).first;
      }
      // The batch whose header names n and whose bytes hash to the event's commitment.
      const auto& commitment = (*v)[3].bytes;
      std::optional<L1Batch> found;
      for (const auto& [header, pubdata] : cd->second) {
        const auto hd = tx::decode_batch_header(header);
        if (!hd || hd->number != n) continue;
        std::vector<uint8_t> data(header);
        data.insert(data.end(), pubdata.begin(), pubdata.end());
        const auto h = hash::keccak256(data);
        if (!std::equal(h.begin(), h.end(), commitment.begin(), commitment.end())) continue;
        L1Batch b;
        b.number = n;
        b.header = header;
        b.pubdata = pubdata;
        b.stored_root = *root;
        b.commit_block = log.block_number;
        b.commit_tx = log.transaction_hash;
        found = std::move(b);
        break;
      }
      if (!found)
        return fatal("batch " + std::to_string(n) + ": no batch in commit transaction " + l1::to_hex(log.transaction_hash) +
                     " hashes to the BatchCommitted commitment (calldata mismatch)");
      pending[n] = std::move(*found);
      put[n] = true;
      if (cfg_.finality == Finality::kCommitted) {
        if (auto e = make_final(n, log.block_number)) return *e;
      }
    } else if (t0 == batches_reverted().topic0()) {
      auto v = abi::decode_log(batches_reverted(), log.topics, log.data);
      if (!v || v->size() != 1 || !fits64((*v)[0].word)) return fatal("undecodable BatchesReverted log");
      const uint64_t k = low64((*v)[0].word);
      if (k < last)
        return fatal("the operator reverted to batch " + std::to_string(k) + " below batch " + std::to_string(last) +
                     " that this replica counted final (finality committed): resync with finality executed");
      for (auto it = pending.upper_bound(k); it != pending.end();) {
        put[it->first] = false;
        it = pending.erase(it);
      }
    } else if (t0 == batch_executed().topic0()) {
      auto v = abi::decode_log(batch_executed(), log.topics, log.data);
      if (!v || v->size() != 2 || !fits64((*v)[0].word)) return fatal("undecodable BatchExecuted log");
      const uint64_t n = low64((*v)[0].word);
      if (n <= last) continue;
      auto root = fr_of((*v)[1].word);
      auto it = pending.find(n);
      if (it != pending.end() && (!root || *root != it->second.stored_root))
        return fatal("batch " + std::to_string(n) + ": BatchExecuted root differs from its BatchCommitted root");
      if (auto e = make_final(n, log.block_number)) return *e;
    }
  }
  for (const auto& [n, added] : put) {
    if (added) u.pending_put.push_back(pending.at(n));
    else u.pending_delete.push_back(n);
  }
  u.cursor = Cursor{to, (*to_block)->hash};
  u.journal = to + cfg_.journal_depth > *head;
  const size_t applied = u.batches.size();
  if (std::string e = replica_.commit(u); !e.empty()) return fatal(e);
  return applied;
}

std::string Follower::catch_up(std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto r = poll_once();
    if (!r && r.error().kind != l1::RpcErrorKind::Transport) return r.error().message;
    if (r) {
      auto head = rpc_.block_number();
      if (head && replica_.meta().cursor.block + cfg_.confirmations >= *head + 1) return "";
    }
    if (std::chrono::steady_clock::now() > end) return "timed out catching up with L1";
  }
}

void Follower::start() {
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
      // Catching up: the next range at once; at the head: wait for new blocks.
      const bool more = r && replica_.meta().cursor.block + cfg_.confirmations < stats_.l1_head + 1;
      if (cv_.wait_for(lk2, more ? std::chrono::milliseconds(0) : cfg_.poll_interval, [&] { return stop_; })) return;
    }
  });
}

void Follower::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

}  // namespace zkamm::sync
