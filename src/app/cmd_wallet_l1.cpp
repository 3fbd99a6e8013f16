// zkamm wallet, the L1 side: register an L2 key on L1 (with the key's proof of ownership),
// deposit ETH and ERC-20s (approving first when the allowance is short), request a full exit
// (a token, or a whole LP position 512+p), claim pending L1 withdrawals, and read L1 balances.
// Everything goes straight to the ZkammRollup contract (--rollup ADDR or --deployment FILE)
// through an Ethereum JSON-RPC node; the paying L1 key comes from --l1-key-file or an
// environment variable (l1_options.hpp), never from argv, and is never printed.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/l1_options.hpp"
#include "app/wallet_keys.hpp"
#include "app/wallet_l1.hpp"
#include "l1/abi.hpp"
#include "l1/bytes.hpp"
#include "l1/key.hpp"
#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_views.hpp"
#include "settle/deployment.hpp"
#include "tx/json.hpp"
#include "tx/registration.hpp"

namespace zkamm::app {
namespace {

using nlohmann::json;
using l1::abi::Value;
using ff::U256;
namespace rpc = node::rpc;

constexpr uint32_t kMaxL1Token = 511;      // ZkammRollup.MAX_L1_TOKEN
constexpr uint32_t kFirstLpToken = 512;    // ZkammRollup.FIRST_LP_TOKEN: pool p's LP token is 512 + p

struct L1WalletOptions {
  std::string l1_url = "http://127.0.0.1:8545";
  std::string rollup, deployment;
  L1KeyOptions key;
  L1FeeOptions fees;
  std::string l2_key;                  // --key: the L2 key file
  std::optional<uint32_t> account;
  std::vector<uint32_t> tokens;
  std::optional<uint32_t> token;
  std::string amount, deposit_eth;
  bool all = false, no_save = false;
  std::string address;                 // l1-balance --address, claim --for
  // register --owner (print only)
  std::string owner, node_url = "http://127.0.0.1:8545";
  std::optional<uint64_t> chain_id;
  uint64_t node_timeout_ms = 10000;
};

[[noreturn]] void l1_failed(const std::string& what, const l1::RpcError& e) {
  const bool reached = e.kind != l1::RpcErrorKind::Transport && e.kind != l1::RpcErrorKind::Timeout;
  const bool refused = e.kind == l1::RpcErrorKind::Reverted ||
                       (e.kind == l1::RpcErrorKind::Rpc && e.message_contains("revert"));
  throw WalletError(refused ? "rejected" : reached ? "failed" : "unreachable", what + ": " + e.message);
}

U256 u256_of(tx::Amount a) { return U256{static_cast<uint64_t>(a), static_cast<uint64_t>(a >> 64), 0, 0}; }

tx::Amount amount_of(const std::string& s, const char* what) {
  auto a = tx::amount_from_decimal(s);
  if (!a) throw std::invalid_argument(std::string(what) + ": '" + s + "' is not a decimal amount below 2^128");
  return *a;
}

l1::Address address_of(const std::string& s, const char* what) {
  auto a = l1::address_from_hex(s);
  if (!a) throw std::invalid_argument(std::string(what) + " must be 0x + 40 hex digits");
  return *a;
}

l1::Bytes calldata(const char* sig, const std::vector<Value>& args) {
  auto f = l1::abi::parse_function(sig);
  auto data = f ? l1::abi::encode_call(*f, args) : std::nullopt;
  if (!data) throw std::logic_error(std::string("cannot ABI-encode ") + sig);
  return *data;
}

/// The L1 node, its chain and the rollup (--rollup or the deployment file, which must be for
/// this chain); refuses an address without code (a typo would otherwise send ETH into the void).
struct L1Context {
  std::unique_ptr<l1::RpcClient> rpc;
  uint64_t chain_id = 0;
  l1::Address rollup{};

  /// eth_call of a view "f(args)(T)" on `to`: its one output.
  Value view(const l1::Address& to, const char* sig, const std::vector<Value>& args = {}) {
    auto f = l1::abi::parse_function(sig);
    if (!f) throw std::logic_error(std::string("cannot parse ") + sig);
    l1::CallRequest c;
    c.to = to;
    c.data = calldata(sig, args);
    auto out = rpc->call(c);
    if (!out) l1_failed(std::string(sig).substr(0, std::string(sig).find('(')), out.error());
    auto v = l1::abi::decode_output(*f, *out);
    if (!v || v->size() != 1) throw WalletError("failed", std::string(sig) + ": undecodable answer (is the rollup address right?)");
    return (*v)[0];
  }
  Value view(const char* sig, const std::vector<Value>& args = {}) { return view(rollup, sig, args); }
};

L1Context connect(const L1WalletOptions& o) {
  L1Context c;
  c.rpc = l1::RpcClient::create(o.l1_url, std::chrono::seconds(30));
  if (!c.rpc) throw std::invalid_argument("--l1 must look like http://127.0.0.1:8545");
  auto chain = c.rpc->chain_id();
  if (!chain) l1_failed("eth_chainId at " + o.l1_url, chain.error());
  c.chain_id = *chain;
  if (o.rollup.empty() == o.deployment.empty()) throw std::invalid_argument("give exactly one of --rollup ADDR or --deployment FILE");
  if (!o.rollup.empty()) {
    c.rollup = address_of(o.rollup, "--rollup");
  } else {
    auto d = settle::read_deployment(o.deployment);
    if (!d.ok()) throw std::invalid_argument(d.error);
    if (d.deployment->chain_id != c.chain_id)
      throw std::invalid_argument(o.deployment + " is for chain " + std::to_string(d.deployment->chain_id) + ", the L1 at " +
                                  o.l1_url + " is chain " + std::to_string(c.chain_id));
    c.rollup = d.deployment->rollup;
  }
  auto code = c.rpc->get_code(c.rollup);
  if (!code) l1_failed("eth_getCode", code.error());
  if (code->empty()) throw std::invalid_argument("no contract at " + l1::to_checksum_address(c.rollup) + " on chain " + std::to_string(c.chain_id));
  return c;
}

std::unique_ptr<l1::TxSender> make_sender(L1Context& c, const L1WalletOptions& o) {
  std::string err;
  auto key = load_l1_key(o.key, &err);
  if (!key) throw std::invalid_argument(err);
  l1::SenderOptions so;
  if (auto e = sender_options(o.fees, so); !e.empty()) throw std::invalid_argument(e);
  return std::make_unique<l1::TxSender>(*c.rpc, *key, c.chain_id, so);
}

/// Sends and waits for the receipt; a revert throws WalletError("rejected") with the reason.
l1::Receipt send(l1::TxSender& s, const l1::Address& to, l1::Bytes data, const U256& value, const std::string& what) {
  l1::TxRequest r;
  r.to = to;
  r.data = std::move(data);
  r.value = value;
  auto rc = s.send_and_wait(r);
  if (!rc) l1_failed(what, rc.error());
  return *rc;
}

/// gas_used * effective_gas_price: the ETH the sender paid, so that a script can check an ETH
/// balance to the wei.
U256 fee_of(const l1::Receipt& r) {
  U256 fee{};
  uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const tx::Amount p = static_cast<tx::Amount>(r.effective_gas_price[i]) * r.gas_used + carry;
    fee[i] = static_cast<uint64_t>(p);
    carry = static_cast<uint64_t>(p >> 64);
  }
  return fee;
}

json receipt_json(const l1::Receipt& r) {
  return {{"tx", l1::to_hex(r.transaction_hash)}, {"block", r.block_number}, {"gas", r.gas_used}, {"fee", ff::to_decimal(fee_of(r))}};
}

/// Serials of the PriorityOpQueued events of the rollup in r: what the operator must include.
std::vector<uint64_t> queued_serials(const l1::Receipt& r, const l1::Address& rollup) {
  static const auto ev = l1::abi::parse_event(
      "PriorityOpQueued(uint64 indexed,uint8,uint32,uint16,uint128,bytes32,address,uint64)");
  std::vector<uint64_t> out;
  for (const auto& log : r.logs) {
    if (log.address != rollup || log.topics.empty() || log.topics[0] != ev->topic0()) continue;
    if (auto v = l1::abi::decode_log(*ev, log.topics, log.data)) out.push_back((*v)[0].word[0]);
  }
  return out;
}

/// The L2 account of a deposit or exit: --account, else the --key file's.
uint32_t account_of(const L1WalletOptions& o) {
  if (o.account) return *o.account;
  if (!o.l2_key.empty()) {
    std::string err;
    auto k = wallet::read_key_file(o.l2_key, &err);
    if (!k) throw std::invalid_argument(err);
    if (k->account) return *k->account;
  }
  throw std::invalid_argument("no account index: give --account N or --key FILE whose key file has an \"account\"");
}

/// zkamm wallet register --owner ADDR: only the key's signature for that owner and the calldata
/// of registerAccount and registerAndDepositETH, for any L1 wallet to send from ADDR. The domain
/// is --chain-id and --rollup, or the node's (zkamm_domain) when they are not both given.
int run_register_print(const L1WalletOptions& o, const wallet::KeyFile& k) {
  const auto owner = address_of(o.owner, "--owner");
  tx::Domain dom;
  if (o.chain_id && !o.rollup.empty()) {
    dom.chain_id = *o.chain_id;
    const auto r = address_of(o.rollup, "--rollup");
    std::copy(r.begin(), r.end(), dom.rollup.begin());
  } else if (o.chain_id || !o.rollup.empty()) {
    throw std::invalid_argument("with --owner, give both --chain-id and --rollup, or neither (the node's domain)");
  } else {
    auto ep = rpc::parse_url(o.node_url);
    if (!ep) throw std::invalid_argument("--url must look like http://127.0.0.1:8545");
    rpc::Client c(*ep, std::chrono::milliseconds(o.node_timeout_ms));
    const json d = c.call("zkamm_domain");
    auto cid = rpc::u64_from_decimal(d.at("chain_id").get<std::string>());
    auto addr = l1::address_from_hex(d.at("rollup").get<std::string>());
    if (!cid || !addr) throw WalletError("failed", "the node returned a malformed domain");
    dom.chain_id = *cid;
    std::copy(addr->begin(), addr->end(), dom.rollup.begin());
  }
  tx::L1Address who{};
  std::copy(owner.begin(), owner.end(), who.begin());
  const auto pub = hash::eddsa_public_key(k.private_key);
  const auto sig = tx::sign_registration(k.private_key, dom, who);
  const auto v = [](const ff::Fr& x) { return Value::uint(x.to_canonical()); };
  const std::vector<Value> args = {v(pub.x), v(pub.y), v(sig.r8.x), v(sig.r8.y), Value::uint(sig.s)};
  const json j = {{"owner", rpc::hex0x(who.data(), who.size())},
                  {"chain_id", std::to_string(dom.chain_id)},
                  {"rollup", rpc::hex0x(dom.rollup.data(), dom.rollup.size())},
                  {"pubkey", wallet::packed_pubkey_hex(k.private_key)},
                  {"x", pub.x.to_decimal()},
                  {"y", pub.y.to_decimal()},
                  {"message", tx::registration_message(dom, who).to_decimal()},
                  {"r8x", sig.r8.x.to_decimal()},
                  {"r8y", sig.r8.y.to_decimal()},
                  {"s", ff::to_decimal(sig.s)},
                  {"register_account",
                   {{"function", tx::kRegisterAccountFunction},
                    {"calldata", l1::to_hex(calldata(tx::kRegisterAccountFunction, args))}}},
                  {"register_and_deposit_eth",
                   {{"function", tx::kRegisterAndDepositEthFunction},
                    {"calldata", l1::to_hex(calldata(tx::kRegisterAndDepositEthFunction, args))}}}};
  std::cout << j.dump(2) << "\n";
  return 0;
}

/// zkamm wallet register: sends registerAccount (or registerAndDepositETH with --deposit-eth)
/// from the L1 key, which becomes the account's owner (full and exodus exits pay it), with the
/// L2 key's signature over (chain, rollup, owner) as proof that the sender holds the key. The
/// new account index comes from the AccountRegistered event and is written into the key file
/// when it has none (--no-save: leave the file alone).
int run_register(const L1WalletOptions& o) {
  std::string err;
  auto k = wallet::read_key_file(o.l2_key, &err);
  if (!k) throw std::invalid_argument(err);
  if (!o.owner.empty()) return run_register_print(o, *k);
  if (o.chain_id) throw std::invalid_argument("--chain-id is for --owner (print only); sending uses the L1's chain id");
  L1Context c = connect(o);
  auto sender = make_sender(c, o);
  tx::Domain dom;
  dom.chain_id = c.chain_id;
  std::copy(c.rollup.begin(), c.rollup.end(), dom.rollup.begin());
  tx::L1Address who{};
  const l1::Address me = sender->address();
  std::copy(me.begin(), me.end(), who.begin());
  const auto pub = hash::eddsa_public_key(k->private_key);
  const auto sig = tx::sign_registration(k->private_key, dom, who);
  const auto v = [](const ff::Fr& x) { return Value::uint(x.to_canonical()); };
  const std::vector<Value> args = {v(pub.x), v(pub.y), v(sig.r8.x), v(sig.r8.y), Value::uint(sig.s)};
  U256 value{};
  const char* fn = tx::kRegisterAccountFunction;
  if (!o.deposit_eth.empty()) {
    const tx::Amount a = amount_of(o.deposit_eth, "--deposit-eth");
    if (a == 0) throw std::invalid_argument("--deposit-eth must be positive");
    value = u256_of(a);
    fn = tx::kRegisterAndDepositEthFunction;
  }
  const l1::Receipt r = send(*sender, c.rollup, calldata(fn, args), value, std::string(fn).substr(0, std::string(fn).find('(')));
  static const auto ev = l1::abi::parse_event("AccountRegistered(uint32 indexed,address indexed,bytes32)");
  std::optional<uint32_t> account;
  for (const auto& log : r.logs)
    if (log.address == c.rollup && log.topics.size() == 3 && log.topics[0] == ev->topic0())
      if (auto d = l1::abi::decode_log(*ev, log.topics, log.data)) account = static_cast<uint32_t>((*d)[0].word[0]);
  if (!account) throw WalletError("failed", "the registration was mined but emitted no AccountRegistered event");
  json out = {{"account", *account},
              {"owner", l1::to_checksum_address(me)},
              {"pubkey", wallet::packed_pubkey_hex(k->private_key)},
              {"rollup", l1::to_checksum_address(c.rollup)},
              {"chain_id", std::to_string(c.chain_id)},
              {"priority_ops", queued_serials(r, c.rollup)}};
  if (!o.deposit_eth.empty()) out["deposit_eth"] = ff::to_decimal(value);
  out.update(receipt_json(r));
  if (o.no_save || k->account) {
    out["key_file_updated"] = false;
    if (k->account && *k->account != *account)
      out["note"] = "the key file names account " + std::to_string(*k->account) + "; this registration made account " +
                    std::to_string(*account) + " (give --account " + std::to_string(*account) + ")";
  } else {
    k->account = *account;
    if (auto e = wallet::replace_key_file(o.l2_key, *k); !e.empty())
      throw WalletError("failed", "registered account " + std::to_string(*account) + " but " + e);
    out["key_file_updated"] = true;
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

/// zkamm wallet deposit: ETH (token 0, sent as the value) or an ERC-20 (approve(rollup, amount)
/// first when the allowance is short; the contract pulls it with transferFrom) to an L2 account.
int run_deposit(const L1WalletOptions& o) {
  const uint32_t account = account_of(o);
  const uint32_t token = *o.token;
  if (token > kMaxL1Token) throw std::invalid_argument("--token must be an L1 token (0 ETH, 1..511 ERC-20); LP tokens cannot be deposited");
  const tx::Amount amount = amount_of(o.amount, "--amount");
  if (amount == 0) throw std::invalid_argument("--amount must be positive");
  L1Context c = connect(o);
  auto sender = make_sender(c, o);
  json out = {{"account", account}, {"token", token}, {"amount", tx::amount_to_decimal(amount)},
              {"from", l1::to_checksum_address(sender->address())}};
  U256 value{};
  if (token == 0) {
    value = u256_of(amount);
  } else {
    const Value erc20 = c.view("tokenAddress(uint16)(address)", {Value::uint(token)});
    l1::Address a{};
    std::copy(erc20.bytes.begin(), erc20.bytes.end(), a.begin());
    out["erc20"] = l1::to_checksum_address(a);
    const U256 have = c.view(a, "balanceOf(address)(uint256)", {Value::address(sender->address())}).word;
    if (ff::less_than(have, u256_of(amount)))
      throw WalletError("failed", "the L1 key holds " + ff::to_decimal(have) + " of token " + std::to_string(token) + ", less than " +
                                      tx::amount_to_decimal(amount));
    const U256 allowed =
        c.view(a, "allowance(address,address)(uint256)", {Value::address(sender->address()), Value::address(c.rollup)}).word;
    if (ff::less_than(allowed, u256_of(amount))) {
      const l1::Receipt ar = send(*sender, a, calldata("approve(address,uint256)", {Value::address(c.rollup), Value::uint(u256_of(amount))}),
                                  U256{}, "approve");
      out["approve"] = receipt_json(ar);
    }
  }
  const l1::Receipt r = send(*sender, c.rollup,
                             calldata("deposit(uint32,uint16,uint128)", {Value::uint(account), Value::uint(token), Value::uint(u256_of(amount))}),
                             value, "deposit");
  out.update(receipt_json(r));
  out["priority_ops"] = queued_serials(r, c.rollup);
  std::cout << out.dump(2) << "\n";
  return 0;
}

/// zkamm wallet full-exit: requestFullExit(account, token) from the account's L1 owner; the
/// operator must include it (or the rollup may be frozen), paying the whole balance (or, for LP
/// token 512+p, the position's share of both reserves) into the owner's pending withdrawals.
int run_full_exit(const L1WalletOptions& o) {
  const uint32_t account = account_of(o);
  const uint32_t token = *o.token;
  if (token >= tx::kTokenLimit) throw std::invalid_argument("--token must be < 1024 (512 + p for pool p's LP position)");
  L1Context c = connect(o);
  auto sender = make_sender(c, o);
  const Value owner = c.view("owner(uint32)(address)", {Value::uint(account)});
  l1::Address who{};
  std::copy(owner.bytes.begin(), owner.bytes.end(), who.begin());
  if (who != sender->address())
    throw std::invalid_argument("account " + std::to_string(account) + " is owned on L1 by " + l1::to_checksum_address(who) +
                                ", not by the L1 key's " + l1::to_checksum_address(sender->address()));
  const l1::Receipt r = send(*sender, c.rollup, calldata("requestFullExit(uint32,uint16)", {Value::uint(account), Value::uint(token)}),
                             U256{}, "requestFullExit");
  json out = {{"account", account}, {"token", token}, {"owner", l1::to_checksum_address(who)}};
  if (token >= kFirstLpToken) out["pool"] = token - kFirstLpToken;
  out.update(receipt_json(r));
  out["priority_ops"] = queued_serials(r, c.rollup);
  std::cout << out.dump(2) << "\n";
  return 0;
}

/// The tokens of --token (repeatable) or, with --all, ETH and every registered ERC-20.
std::vector<uint32_t> tokens_of(const L1WalletOptions& o, L1Context& c) {
  std::vector<uint32_t> ts = o.tokens;
  if (o.all) {
    const uint64_t n = c.view("numTokens()(uint16)").word[0];
    ts.clear();
    for (uint32_t t = 0; t <= n; ++t) ts.push_back(t);
  }
  if (ts.empty()) throw std::invalid_argument("give --token T (repeatable) or --all");
  for (uint32_t t : ts)
    if (t > kMaxL1Token) throw std::invalid_argument("--token " + std::to_string(t) + ": L1 tokens are 0 (ETH) .. 511");
  return ts;
}

/// zkamm wallet claim: pays out pending L1 withdrawals (what withdrawals, full exits and exodus
/// exits credited): withdraw(token) to the L1 key's address, or withdrawFor(ADDR, token) with
/// --for ADDR (anyone may pay a recipient its due). A named token with nothing due is an error;
/// --all skips those.
int run_claim(const L1WalletOptions& o) {
  L1Context c = connect(o);
  auto sender = make_sender(c, o);
  const bool for_other = !o.address.empty();
  const l1::Address to = for_other ? address_of(o.address, "--for") : sender->address();
  json out = {{"recipient", l1::to_checksum_address(to)}, {"claims", json::array()}};
  for (uint32_t t : tokens_of(o, c)) {
    const U256 due = c.view("pendingWithdrawals(address,uint16)(uint256)", {Value::address(to), Value::uint(t)}).word;
    if (due == U256{}) {
      if (o.all) continue;
      throw WalletError("failed", "nothing to claim: no pending withdrawal of token " + std::to_string(t) + " for " +
                                      l1::to_checksum_address(to));
    }
    const l1::Receipt r = for_other ? send(*sender, c.rollup, calldata("withdrawFor(address,uint16)", {Value::address(to), Value::uint(t)}),
                                           U256{}, "withdrawFor")
                                    : send(*sender, c.rollup, calldata("withdraw(uint16)", {Value::uint(t)}), U256{}, "withdraw");
    json x = {{"token", t}, {"amount", ff::to_decimal(due)}};
    x.update(receipt_json(r));
    out["claims"].push_back(x);
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

/// zkamm wallet l1-balance: an L1 address's balance of ETH and the rollup's ERC-20s, and what
/// the rollup owes it (pendingWithdrawals, paid by `claim`). The address is --address or the L1
/// key's; with --address no key is read.
int run_l1_balance(const L1WalletOptions& o) {
  L1Context c = connect(o);
  l1::Address who{};
  if (!o.address.empty()) {
    who = address_of(o.address, "--address");
  } else {
    std::string err;
    auto key = load_l1_key(o.key, &err);
    if (!key) throw std::invalid_argument(err + " (or give --address ADDR)");
    who = key->address();
  }
  L1WalletOptions all = o;
  all.all = o.tokens.empty() || o.all;
  json out = {{"address", l1::to_checksum_address(who)}, {"rollup", l1::to_checksum_address(c.rollup)}, {"tokens", json::array()}};
  for (uint32_t t : tokens_of(all, c)) {
    json x = {{"token", t}};
    U256 bal{};
    if (t == 0) {
      auto b = c.rpc->get_balance(who);
      if (!b) l1_failed("eth_getBalance", b.error());
      bal = *b;
      x["erc20"] = nullptr;
    } else {
      const Value erc20 = c.view("tokenAddress(uint16)(address)", {Value::uint(t)});
      l1::Address a{};
      std::copy(erc20.bytes.begin(), erc20.bytes.end(), a.begin());
      x["erc20"] = l1::to_checksum_address(a);
      bal = c.view(a, "balanceOf(address)(uint256)", {Value::address(who)}).word;
    }
    x["balance"] = ff::to_decimal(bal);
    x["pending_withdrawal"] =
        ff::to_decimal(c.view("pendingWithdrawals(address,uint16)(uint256)", {Value::address(who), Value::uint(t)}).word);
    out["tokens"].push_back(x);
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

}  // namespace

void register_wallet_l1(CLI::App* w, const WalletBind& bind) {
  auto o = std::make_shared<L1WalletOptions>();
  // The L1 node, the rollup and (sending commands) the paying key and its fees.
  const auto l1_flags = [o](CLI::App* c, bool sends) {
    c->add_option("--l1", o->l1_url, "Ethereum JSON-RPC URL")->capture_default_str();
    c->add_option("--rollup", o->rollup, "ZkammRollup address (0x + 40 hex)");
    c->add_option("--deployment", o->deployment, "deployment file of `zkamm deploy` / `zkamm devnet` (gives the rollup)");
    add_l1_key_options(c, o->key);
    if (sends) add_l1_fee_options(c, o->fees);
  };

  auto* reg = w->add_subcommand(
      "register",
      "register the key's L2 account on L1 from the L1 key (its owner), with the key's proof of ownership; --owner: print only");
  reg->add_option("--key", o->l2_key, "L2 key file (zkamm wallet create / import)")->required();
  l1_flags(reg, true);
  reg->add_option("--deposit-eth", o->deposit_eth, "registerAndDepositETH: also deposit this much ETH (wei)");
  reg->add_flag("--no-save", o->no_save, "do not write the new account index into the key file");
  reg->add_option("--owner", o->owner,
                  "print only: the signature and calldata for this L1 address to send (0x + 40 hex); nothing is sent");
  reg->add_option("--chain-id", o->chain_id, "with --owner: L1 chain id (with --rollup; default: the node's domain)");
  reg->add_option("--url", o->node_url, "with --owner: node JSON-RPC URL, asked for the domain when --chain-id/--rollup are not given");
  bind(reg, [o] { return run_register(*o); });

  auto* dep = w->add_subcommand("deposit", "deposit ETH (token 0) or an ERC-20 (approved first if needed) from L1 to an L2 account");
  dep->add_option("--account", o->account, "L2 account (default: the --key file's)");
  dep->add_option("--key", o->l2_key, "L2 key file, for its account index");
  dep->add_option("--token", o->token, "token id: 0 ETH, 1..511 ERC-20")->required();
  dep->add_option("--amount", o->amount, "amount in the token's smallest unit (wei)")->required();
  l1_flags(dep, true);
  bind(dep, [o] { return run_deposit(*o); });

  auto* fe = w->add_subcommand("full-exit",
                               "L1 requestFullExit: the operator must pay out the whole balance (LP token 512+p: the position, pro rata)");
  fe->add_option("--account", o->account, "L2 account (default: the --key file's); the L1 key must be its owner");
  fe->add_option("--key", o->l2_key, "L2 key file, for its account index");
  fe->add_option("--token", o->token, "token id (512 + p for pool p's LP position)")->required();
  l1_flags(fe, true);
  bind(fe, [o] { return run_full_exit(*o); });

  auto* claim = w->add_subcommand("claim", "pay out pending L1 withdrawals (withdraw, or withdrawFor with --for)");
  claim->add_option("--token", o->tokens, "token id (repeatable)");
  claim->add_flag("--all", o->all, "every token with something pending");
  claim->add_option("--for", o->address, "pay this L1 address (withdrawFor) instead of the L1 key's");
  l1_flags(claim, true);
  bind(claim, [o] { return run_claim(*o); });

  auto* bal = w->add_subcommand("l1-balance", "L1 balances (ETH, the rollup's ERC-20s) and pending withdrawals of an address");
  bal->add_option("--address", o->address, "L1 address (default: the L1 key's)");
  bal->add_option("--token", o->tokens, "token id (repeatable; default: ETH and every registered ERC-20)");
  l1_flags(bal, false);
  bind(bal, [o] { return run_l1_balance(*o); });
}

}  // namespace zkamm::app
