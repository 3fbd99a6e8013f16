// Devnet genesis (docs/NODE.md "Genesis"): everything is reached through transactions the batch
// circuit can prove (CreateAccount and Deposit priority operations, signed CreatePool and
// AddLiquidity), never by writing state directly.
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "hash/eddsa.hpp"
#include "node/node_impl.hpp"
#include "tx/json.hpp"

namespace zkamm::node {
namespace {

template <std::size_t N>
std::optional<std::array<uint8_t, N>> hex_bytes(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  std::string_view s = j.get_ref<const std::string&>();
  if (s.starts_with("0x") || s.starts_with("0X")) s.remove_prefix(2);
  if (s.size() != 2 * N) return std::nullopt;
  std::array<uint8_t, N> out{};
  const auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < N; ++i) {
    const int hi = nib(s[2 * i]);
    const int lo = nib(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

std::optional<tx::Amount> amount_of(const nlohmann::json& j) {
  if (j.is_string()) return tx::amount_from_decimal(j.get_ref<const std::string&>());
  if (j.is_number_unsigned()) return tx::Amount{j.get<uint64_t>()};
  return std::nullopt;
}

std::optional<uint32_t> small_of(const nlohmann::json& j) {
  if (!j.is_number_unsigned()) return std::nullopt;
  const uint64_t v = j.get<uint64_t>();
  if (v >= tx::kAccountLimit) return std::nullopt;
  return static_cast<uint32_t>(v);
}

}  // namespace

std::string Node::load_genesis_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "cannot read " + path;
  std::stringstream ss;
  ss << in.rdbuf();
  return load_genesis_json(ss.str());
}

std::string Node::load_genesis_json(std::string_view json_text) {
  if (!impl_->error.empty()) return impl_->error;
  if (status().num_accounts != 1 || status().head_block != 0) return "genesis needs an empty node";
  return complete_genesis_json(json_text);
}

std::string Node::complete_genesis_json(std::string_view json_text, size_t max_steps, size_t* applied) {
  size_t steps = 0;
  if (applied) *applied = 0;
  // One more step to apply, unless the test's budget ran out (the failover it stands for).
  const auto step = [&] {
    if (steps >= max_steps) return false;
    ++steps;
    if (applied) *applied = steps;
    return true;
  };
  if (!impl_->error.empty()) return impl_->error;
  const nlohmann::json g = nlohmann::json::parse(json_text, nullptr, false);
  if (g.is_discarded() || !g.is_object()) return "genesis is not a JSON object";
  for (const auto& [key, value] : g.items()) {
    (void)value;
    if (key != "tokens" && key != "accounts" && key != "pools" && key != "comment") return "unknown genesis key " + key;
  }
  const tx::Domain& domain = impl_->cfg.domain;

  // 1. tokens (ids 1, 2, ... in order)
  if (g.contains("tokens")) {
    if (!g["tokens"].is_array()) return "tokens must be an array";
    state::TokenId token_id = 0;  // ids 1, 2, ... in the genesis's order
    for (const auto& t : g["tokens"]) {
      const auto addr = hex_bytes<20>(t.is_object() && t.contains("l1_address") ? t["l1_address"] : t);
      if (!addr) return "token l1_address must be 20 bytes of hex";
      const auto id = static_cast<state::TokenId>(++token_id);
      if (const auto have = token(id)) {
        if (have->l1_address != *addr) return "token " + std::to_string(id) + " is not the genesis's";
        continue;
      }
      if (!step()) return "";
      if (!add_token(*addr)) return "token registration failed";
    }
  }

  // 2. accounts (indices 1, 2, ... in order) and their balances
  std::vector<std::optional<hash::PrivateKey>> keys(1);  // index 0 reserved
  std::vector<tx::Tx> ops;  // the priority ops in order: their serials are 0, 1, ...
  struct Credit {
    uint32_t account;
    uint16_t token;
    tx::Amount amount;
  };
  std::vector<Credit> credits;
  if (g.contains("accounts")) {
    if (!g["accounts"].is_array()) return "accounts must be an array";
    for (const auto& a : g["accounts"]) {
      if (!a.is_object()) return "an account must be an object";
      const uint32_t index = static_cast<uint32_t>(keys.size());
      tx::CreateAccount c;
      c.account = index;
      if (a.contains("private_key")) {
        const auto prv = hex_bytes<32>(a["private_key"]);
        if (!prv) return "private_key must be 32 bytes of hex";
        c.pubkey = ec::pack_point(hash::eddsa_public_key(*prv));
        keys.emplace_back(*prv);
      } else if (a.contains("pubkey")) {
        const auto pub = hex_bytes<32>(a["pubkey"]);
        if (!pub || !ec::unpack_point(pub->data())) return "pubkey must be a packed Baby Jubjub point";
        c.pubkey = *pub;
        keys.emplace_back(std::nullopt);
      } else {
        return "an account needs private_key or pubkey";
      }
      ops.push_back(c);
      if (a.contains("balances")) {
        if (!a["balances"].is_object()) return "balances must be an object {token: amount}";
        for (const auto& [token, amount] : a["balances"].items()) {
          const auto am = amount_of(amount);
          uint32_t tok = 0;
          try {
            tok = static_cast<uint32_t>(std::stoul(token));
          } catch (...) {
            return "balance key must be a token id";
          }
          if (!am || tok >= tx::kTokenLimit) return "bad balance for account " + std::to_string(index);
          credits.push_back(Credit{index, static_cast<uint16_t>(tok), *am});
        }
      }
    }
  }

  // 3. pools: the provider gets the reserves by deposit, then creates and funds the pool
  struct PoolSpec {
    uint32_t provider;
    uint16_t token_a, token_b;
    tx::Amount amount_a, amount_b;
  };
  std::vector<PoolSpec> pools;
  if (g.contains("pools")) {
    if (!g["pools"].is_array()) return "pools must be an array";
    for (const auto& p : g["pools"]) {
      if (!p.is_object() || !p.contains("token_a") || !p.contains("token_b") || !p.contains("amount_a") ||
          !p.contains("amount_b") || !p.contains("provider"))
        return "a pool needs token_a, token_b, amount_a, amount_b, provider";
      const auto ta = small_of(p["token_a"]);
      const auto tb = small_of(p["token_b"]);
      const auto aa = amount_of(p["amount_a"]);
      const auto ab = amount_of(p["amount_b"]);
      const auto prov = small_of(p["provider"]);
      if (!ta || !tb || !aa || !ab || !prov || *ta >= tx::kTokenLimit || *tb >= tx::kTokenLimit) return "bad pool entry";
      if (*prov >= keys.size() || !keys[*prov]) return "a pool provider must be an account with a private_key";
      pools.push_back(PoolSpec{*prov, static_cast<uint16_t>(*ta), static_cast<uint16_t>(*tb), *aa, *ab});
      credits.push_back(Credit{*prov, static_cast<uint16_t>(*ta), *aa});
      credits.push_back(Credit{*prov, static_cast<uint16_t>(*tb), *ab});
    }
  }
  for (const auto& c : credits) {
    if (c.amount == 0) continue;
    tx::Deposit d;
    d.account = c.account;
    d.token = c.token;
    d.amount = c.amount;
    ops.push_back(d);
  }
  // The genesis's priority ops are the chain's first (a group without L1 has no others), so op
  // j has serial j: those below the node's next serial are sealed already.
  const uint64_t have_serials = next_priority_serial();
  size_t submitted = 0;  // flush only what this call sent: on a complete chain it seals nothing
  for (size_t j = 0; j < ops.size(); ++j) {
    tx::Tx& op = ops[j];
    if (j < have_serials) {
      if (const auto* c = std::get_if<tx::CreateAccount>(&op)) {
        const auto a = account(c->account);
        const auto key = ec::unpack_point(c->pubkey.data());
        if (!a || !key || a->public_key != state::PublicKey{key->x, key->y})
          return "account " + std::to_string(c->account) + " is not the genesis's";
      }
      continue;
    }
    if (!step()) return flush() ? "" : "genesis priority operations did not seal";
    ++submitted;
    std::visit([&](auto& o) {
      if constexpr (requires { o.serial; }) o.serial = next_priority_serial();
    }, op);
    const SubmitResult r = submit_priority(op);
    if (!r.accepted) {
      if (const auto* c = std::get_if<tx::CreateAccount>(&op)) return "create_account " + std::to_string(c->account) + ": " + r.reason;
      return "deposit: " + r.reason;
    }
  }
  if (submitted > 0 && !flush()) return "genesis priority operations did not seal";

  std::vector<Hash> signed_txs;
  std::map<uint32_t, uint32_t> nonces;
  bool cut = false;  // the test's step budget ran out
  // A signed tx whose nonce the account has passed was applied before (a failover cut this
  // genesis short after it): skipped.
  const auto send = [&](tx::Tx t, uint32_t account) -> std::string {
    const uint32_t nonce = std::visit([](const auto& o) -> uint32_t {
      if constexpr (requires { o.nonce; }) return o.nonce;
      else return 0;
    }, t);
    if (const auto a = this->account(account); a && a->nonce > nonce) return "";
    if (cut || !step()) {
      cut = true;
      return "";
    }
    if (!tx::sign(t, *keys[account], domain)) return "cannot sign";
    const SubmitResult r = submit(t);
    if (!r.accepted) return r.reason;
    signed_txs.push_back(r.hash);
    return "";
  };
  std::set<std::pair<uint16_t, uint16_t>> created;  // the pools this genesis creates (a pair may repeat)
  for (const auto& p : pools) {
    uint32_t& n = nonces[p.provider];
    if (created.insert(std::minmax(p.token_a, p.token_b)).second) {
      tx::CreatePool c;
      c.account = p.provider;
      c.token_a = p.token_a;
      c.token_b = p.token_b;
      c.nonce = n++;
      if (auto e = send(c, p.provider); !e.empty()) return "create_pool: " + e;
      if (!signed_txs.empty() && !flush()) return "genesis create_pool did not seal";
    }
    tx::AddLiquidity a;
    a.account = p.provider;
    a.token_a = p.token_a;
    a.token_b = p.token_b;
    a.amount_a_desired = p.amount_a;
    a.amount_b_desired = p.amount_b;
    a.deadline = UINT64_MAX;
    a.nonce = n++;
    if (auto e = send(a, p.provider); !e.empty()) return "add_liquidity: " + e;
  }
  if (!signed_txs.empty() && !flush()) return "genesis transactions did not seal";
  for (const auto& h : signed_txs) {
    const TxInfo ti = tx_info(h);
    if (ti.status != TxStatus::kSoft) return "genesis transaction " + to_hex(h) + " failed: " + ti.reason;
  }
  return "";
}

}  // namespace zkamm::node
