#include "node/rpc_views.hpp"

#include "ec/babyjubjub.hpp"
#include "node/codec.hpp"
#include "tx/json.hpp"

namespace zkamm::node::rpc {

using nlohmann::json;

std::string hex0x(const uint8_t* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 + 2 * n);
  out += "0x";
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

namespace {
int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool canonical_decimal(std::string_view s) noexcept {
  if (s.empty() || s.size() > 78 || (s.size() > 1 && s[0] == '0')) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string fr_hex(const ff::Fr& x) {
  std::array<uint8_t, 32> b{};
  ff::to_bytes_be(x.to_canonical(), b.data());
  return hex0x(b.data(), b.size());
}
}  // namespace

std::optional<std::vector<uint8_t>> bytes_from_hex(std::string_view s, std::size_t max_bytes) {
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
  s.remove_prefix(2);
  if (s.size() % 2 != 0 || s.size() / 2 > max_bytes) return std::nullopt;
  std::vector<uint8_t> out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view s) {
  auto b = bytes_from_hex(s, 32);
  if (!b || b->size() != 32) return std::nullopt;
  Hash h{};
  std::copy(b->begin(), b->end(), h.begin());
  return h;
}

std::optional<ff::U256> u256_from_decimal(std::string_view s) {
  if (!canonical_decimal(s)) return std::nullopt;
  return ff::parse_u256(s);
}

std::optional<uint64_t> u64_from_decimal(std::string_view s) {
  auto v = u256_from_decimal(s);
  if (!v || (*v)[1] != 0 || (*v)[2] != 0 || (*v)[3] != 0) return std::nullopt;
  return (*v)[0];
}

std::optional<uint64_t> uint_from_json(const json& j, uint64_t max) {
  uint64_t v = 0;
  if (j.is_number_unsigned()) {
    v = j.get<uint64_t>();
  } else if (j.is_number_integer() && j.get<int64_t>() >= 0) {  // a json built from a signed int
    v = static_cast<uint64_t>(j.get<int64_t>());
  } else {
    return std::nullopt;
  }
  if (v > max) return std::nullopt;
  return v;
}

json executed_json(const tx::Executed& e, const tx::Tx* t) {
  // add/remove liquidity reuse Executed's swap fields for amounts a and b: name them for what they are
  if (t && std::holds_alternative<tx::AddLiquidity>(*t))
    return {{"amount_a", tx::amount_to_decimal(e.amount_in)},
            {"amount_b", tx::amount_to_decimal(e.amount_out)},
            {"liquidity", tx::amount_to_decimal(e.liquidity)}};
  if (t && std::holds_alternative<tx::RemoveLiquidity>(*t))
    return {{"amount_a", tx::amount_to_decimal(e.amount_in)},
            {"amount_b", tx::amount_to_decimal(e.amount_out)},
            {"liquidity", tx::amount_to_decimal(std::get<tx::RemoveLiquidity>(*t).liquidity)}};
  return {{"amount_in", tx::amount_to_decimal(e.amount_in)},
          {"amount_out", tx::amount_to_decimal(e.amount_out)},
          {"liquidity", tx::amount_to_decimal(e.liquidity)},
          {"lp_token", e.lp_token}};
}

json tx_info_json(const TxInfo& info) {
  json j = {{"hash", hex0x(info.hash.data(), info.hash.size())}, {"status", std::string(to_string(info.status))}};
  if (info.status == TxStatus::kRejected) {
    j["code"] = static_cast<int>(info.code);
    j["code_name"] = std::string(to_string(info.code));
    j["reason"] = info.reason;
  }
  if (info.block != 0) {
    j["block"] = info.block;
    j["position"] = info.position;
  }
  j["batch"] = info.batch ? json(*info.batch) : json(nullptr);
  j["times"] = {{"received", info.times.received},
                {"accepted", info.times.accepted},
                {"soft", info.times.soft},
                {"rejected", info.times.rejected},
                {"committed", info.times.committed},
                {"proven", info.times.proven},
                {"finalized", info.times.finalized}};
  if (info.tx) j["tx"] = tx::to_json(*info.tx);
  if (info.executed) j["executed"] = executed_json(*info.executed, info.tx ? &*info.tx : nullptr);
  return j;
}

json account_json(const state::Account& a) {
  json balances = json::object();
  for (const auto& [token, amount] : a.balances) balances[std::to_string(token)] = ff::to_decimal(amount);
  const auto packed = ec::pack_point(ec::BabyJubAffine{a.public_key.x, a.public_key.y});
  return {{"index", a.index},
          {"pubkey", hex0x(packed.data(), packed.size())},
          {"pubkey_x", a.public_key.x.to_decimal()},
          {"pubkey_y", a.public_key.y.to_decimal()},
          {"nonce", a.nonce},
          {"balances", balances}};
}

json pool_json(const state::Pool& p) {
  return {{"token0", p.token0},
          {"token1", p.token1},
          {"lp_token", p.lp_token},
          {"reserve0", ff::to_decimal(p.reserve0)},
          {"reserve1", ff::to_decimal(p.reserve1)},
          {"total_supply", ff::to_decimal(p.total_supply)}};
}

json block_header_json(const BlockHeader& h) {
  json j = {{"number", h.number},
          {"timestamp", h.timestamp},
          {"hash", hex0x(h.hash.data(), h.hash.size())},
          {"parent_hash", hex0x(h.parent_hash.data(), h.parent_hash.size())},
          {"tx_count", h.tx_count},
          {"term", h.term}};  // the sequencer group leader's term (0 outside a group)
  if (h.close_batch != 0) j["close_batch"] = h.close_batch;  // the group's batch cut it carries
  return j;
}

json block_json(const Block& b, bool full) {
  json j = block_header_json(b.header);
  json txs = json::array();
  for (const auto& t : b.txs) {
    if (full)
      txs.push_back({{"hash", hex0x(t.hash.data(), t.hash.size())},
                     {"tx", tx::to_json(t.tx)},
                     {"executed", executed_json(t.executed, &t.tx)}});
    else
      txs.push_back(hex0x(t.hash.data(), t.hash.size()));
  }
  j["transactions"] = std::move(txs);
  return j;
}

json batch_json(const Batch& b) {
  const auto& h = b.header;
  json slots = json::array();
  for (const auto& s : b.slots)
    slots.push_back({{"hash", hex0x(s.hash.data(), s.hash.size())},
                     {"type", std::string(tx::type_name(tx::type_of(s.tx)))},
                     {"block", s.block},
                     {"position", s.position}});
  json j = {{"number", h.number},
            {"timestamp", std::to_string(h.timestamp)},
            {"old_root", fr_hex(h.old_root)},
            {"root_ready", b.root_ready},
            {"priority_first", std::to_string(h.priority_first)},
            {"priority_count", h.priority_count},
            {"num_slots", h.num_slots},
            {"kind", std::string(tx::batch_kind_name(h.kind))},
            {"slots", std::move(slots)},
            {"pubdata", hex0x(b.pubdata)}};
  if (b.root_ready) {
    j["new_root"] = fr_hex(h.new_root);
    const auto enc = h.encode();
    j["header"] = hex0x(enc.data(), enc.size());
    j["public_input"] = b.public_input().to_decimal();
  } else {
    j["new_root"] = nullptr;
  }
  return j;
}

json batch_l1_json(const BatchL1Info& i) {
  const auto h = [](const Hash& x) { return x == Hash{} ? json(nullptr) : json(hex0x(x.data(), x.size())); };
  return {{"stage", std::string(to_string(i.stage))},
          {"committed", i.committed},
          {"proven", i.proven},
          {"finalized", i.finalized},
          {"commit_tx", h(i.commit_tx)},
          {"prove_tx", h(i.prove_tx)},
          {"execute_tx", h(i.execute_tx)}};
}

json domain_json(const tx::Domain& d) {
  return {{"chain_id", std::to_string(d.chain_id)}, {"rollup", hex0x(d.rollup.data(), d.rollup.size())}};
}

json status_json(const NodeStatus& s, const tx::Domain& d) {
  return {{"head_block", s.head_block},
          {"head_timestamp", s.head_timestamp},
          {"head_hash", hex0x(s.head_hash.data(), s.head_hash.size())},
          {"pending", s.pending},
          {"soft_txs", s.soft_txs},
          {"last_batch", s.last_batch},
          {"last_root_batch", s.last_root_batch},
          {"state_root", fr_hex(s.state_root)},
          {"next_priority_serial", std::to_string(s.next_priority_serial)},
          {"num_accounts", s.num_accounts},
          {"uptime_ms", s.uptime_ms},
          {"batcher_backlog_batches", s.batcher_backlog_batches},
          {"last_committed", s.last_committed},
          {"last_proven", s.last_proven},
          {"last_finalized", s.last_finalized},
          {"chain_id", std::to_string(d.chain_id)},
          {"rollup", hex0x(d.rollup.data(), d.rollup.size())}};
}

}  // namespace zkamm::node::rpc
