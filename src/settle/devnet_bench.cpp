#include "settle/devnet_bench.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "hash/eddsa.hpp"
#include "hash/sha256.hpp"
#include "l1/abi.hpp"
#include "l1/key.hpp"
#include "l1/sender.hpp"
#include "settle/l1_calls.hpp"
#include "tx/json.hpp"

namespace zkamm::settle {
namespace {

using l1::abi::Value;
using nlohmann::json;

// anvil's default account 3: a public test key of every anvil/hardhat node (never real funds).
constexpr const char* kPayerKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

constexpr uint64_t kEth = 1'000'000'000'000'000'000ULL;  // 10^18
constexpr uint64_t kLiquidityTokens = 100'000'000;       // provider: 1e8 tokens of each
constexpr uint64_t kAccountTokens = 100'000;             // each bench account: 1e5 tokens of each

l1::U256 u256_of(tx::Amount a) { return l1::U256{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }
tx::Amount tokens(uint64_t whole) { return static_cast<tx::Amount>(whole) * kEth; }

l1::Bytes call_data(const char* signature, std::vector<Value> args) {
  auto f = l1::abi::parse_function(signature);
  auto data = f ? l1::abi::encode_call(*f, args) : std::nullopt;
  return data ? *data : l1::Bytes{};
}

std::string send(l1::TxSender& s, const l1::Address& to, const l1::Bytes& data) {
  l1::TxRequest req;
  req.to = to;
  req.data = data;
  auto r = s.send_and_wait(req);
  return r ? std::string() : r.error().message;
}

std::optional<uint64_t> view_u64(l1::RpcClient& rpc, const l1::Address& to, const char* sig) {
  l1::CallRequest c;
  c.to = to;
  c.data = call_data(sig, {});
  auto r = rpc.call(c);
  if (!r || r->size() < 32) return std::nullopt;
  const ff::U256 v = ff::from_bytes_be(r->data());
  return v[0];
}

}  // namespace

hash::PrivateKey devnet_bench_key(uint32_t i) {
  std::string m = "zkamm-devnet-bench-key";
  for (int s = 24; s >= 0; s -= 8) m.push_back(static_cast<char>(i >> s));
  const auto d = hash::sha256({reinterpret_cast<const uint8_t*>(m.data()), m.size()});
  hash::PrivateKey k{};
  std::copy(d.begin(), d.end(), k.begin());
  return k;
}

std::string fund_bench_accounts(const BenchFundingConfig& cfg, l1::RpcClient& rpc, node::Node& node,
                                const std::atomic<bool>& stop, std::ostream& out) {
  if (cfg.tokens.size() < 2) return "bench funding needs the two devnet tokens";
  auto payer_key = l1::PrivateKey::from_hex(kPayerKey);
  if (!payer_key) return "bad payer key";
  l1::SenderOptions so;
  so.poll_interval = std::chrono::milliseconds(20);
  l1::TxSender payer(rpc, *payer_key, cfg.chain_id, so);
  const auto base = view_u64(rpc, cfg.rollup, "numAccounts()");
  if (!base) return "numAccounts() failed";

  const tx::Amount liquidity = tokens(kLiquidityTokens), per_account = tokens(kAccountTokens);
  const tx::Amount total = liquidity + per_account * cfg.accounts;
  const l1::Address me = payer.address();
  for (const auto& t : cfg.tokens) {
    if (auto e = send(payer, t, call_data("mint(address,uint256)", {Value::address(me), Value::uint(u256_of(total))}));
        !e.empty())
      return "mint: " + e;
    if (auto e = send(payer, t, call_data("approve(address,uint256)", {Value::address(cfg.rollup), Value::uint(u256_of(total))}));
        !e.empty())
      return "approve: " + e;
  }
  out << "devnet: bench: registering and funding " << cfg.accounts << " accounts + 1 provider on L1 ("
      << 3 * (cfg.accounts + 1) << " priority operations)" << std::endl;
  json accounts = json::array();
  for (uint32_t i = 0; i <= cfg.accounts && !stop.load(); ++i) {
    const hash::PrivateKey key = devnet_bench_key(i);
    const uint32_t account = static_cast<uint32_t>(*base) + 1 + i;
    if (auto e = send(payer, cfg.rollup, register_account_call(key, cfg.domain, me)); !e.empty())
      return "registerAccount: " + e;
    const tx::Amount amount = i == 0 ? liquidity : per_account;
    for (uint16_t t = 1; t <= 2; ++t)
      if (auto e = send(payer, cfg.rollup,
                        call_data("deposit(uint32,uint16,uint128)", {Value::uint(account), Value::uint(t), Value::uint(u256_of(amount))}));
          !e.empty())
        return "deposit: " + e;
    if (i > 0) {
      const std::string bal = ff::to_decimal(u256_of(per_account));
      accounts.push_back({{"account", account}, {"private_key", tx::to_hex0x(key.data(), key.size())},
                          {"balances", {{"1", bal}, {"2", bal}}}});
    }
  }
  if (stop.load()) return "stopped";
  for (uint64_t i = 1; i < cfg.confirmations; ++i) (void)rpc.evm_mine();
  const auto queued = view_u64(rpc, cfg.rollup, "totalPriorityOps()");
  if (!queued) return "totalPriorityOps() failed";
  const auto until = std::chrono::steady_clock::now() + cfg.timeout;
  while (node.next_priority_serial() < *queued) {
    if (stop.load() || std::chrono::steady_clock::now() > until)
      return "the watcher credited " + std::to_string(node.next_priority_serial()) + " of " + std::to_string(*queued) +
             " priority operations";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  // the provider: pool (1, 2) if the scenario did not make it, then deep liquidity
  const hash::PrivateKey pkey = devnet_bench_key(0);
  const uint32_t provider = static_cast<uint32_t>(*base) + 1;
  uint32_t nonce = 0;
  const uint64_t deadline =
      static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()) + 3600;
  const auto l2 = [&](tx::Tx t, const char* what) -> std::string {
    if (!tx::sign(t, pkey, cfg.domain)) return std::string("sign ") + what;
    const node::TxInfo info = node.submit_and_wait(t, std::chrono::seconds(30));
    if (info.status != node::TxStatus::kSoft) return std::string(what) + ": " + std::string(node::to_string(info.status)) + " " + info.reason;
    ++nonce;
    return "";
  };
  if (!node.pool(1, 2))
    if (auto e = l2(tx::CreatePool{provider, 1, 2, nonce, {}}, "create_pool"); !e.empty()) return e;
  if (auto e = l2(tx::AddLiquidity{provider, 1, 2, liquidity, liquidity, 0, 0, deadline, nonce, {}}, "add_liquidity");
      !e.empty())
    return e;
  out << "devnet: bench: accounts " << provider + 1 << ".." << provider + cfg.accounts << " funded on L2; provider "
      << provider << " added " << kLiquidityTokens << " of each token to pool (1, 2)" << std::endl;

  json g;
  g["comment"] = "zkamm devnet bench accounts (DEVNET ONLY keys), funded by L1 deposits";
  g["accounts"] = accounts;
  g["pools"] = json::array({{{"token_a", 1}, {"token_b", 2}}});
  std::ofstream f(cfg.keys_path);
  f << g.dump(1) << '\n';
  if (!f) return "cannot write " + cfg.keys_path;
  return "";
}

}  // namespace zkamm::settle
