// zkamm wallet: keys, and a JSON-RPC client of `zkamm node` (docs/API.md). Transactions are
// signed locally (tx::sign over the domain the node reports) with the account's next nonce and
// sent with zkamm_sendTransactionSync; the result (soft, or the rejection) is printed as JSON.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/wallet_keys.hpp"
#include "l1/abi.hpp"
#include "l1/bytes.hpp"
#include "l1/key.hpp"
#include "l1/rpc_client.hpp"
#include "l1/sender.hpp"
#include "node/exit_proof.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_views.hpp"
#include "tx/encoding.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"
#include "tx/registration.hpp"

namespace zkamm::app {
namespace {

using nlohmann::json;
namespace rpc = node::rpc;

struct WalletOptions {
  std::string url = "http://127.0.0.1:8545";
  std::string key;
  std::optional<uint32_t> account;
  uint64_t timeout_ms = 10000;
  uint64_t deadline_secs = 600;
  // transaction fields
  uint32_t to = 0;
  uint32_t token = 0, token_in = 0, token_out = 0, token_a = 0, token_b = 0;
  std::string amount, amount_in, amount_out, min_out, max_in, amount_a, amount_b, min_a = "0", min_b = "0", liquidity,
      l1_to;
  std::string hash;
  std::string out;
  // new-genesis
  uint32_t accounts = 4, tokens = 2;
  std::string seed = "devnet", balance = "1000000000000000000000", pool_amount = "1000000000000000000000000";
  std::string keys_dir;
  // exit-proof
  std::string root;
  // exodus-exit
  std::string l1_url = "http://127.0.0.1:8545", l1_key_file;
  std::vector<uint32_t> tokens_list;
  bool all_tokens = false, withdraw = false, activate = false;
  // register
  std::string owner, rollup;
  std::optional<uint64_t> chain_id;
};

tx::Amount amount_or_throw(const std::string& s, const char* what) {
  auto a = tx::amount_from_decimal(s);
  if (!a) throw std::invalid_argument(std::string(what) + ": '" + s + "' is not a decimal amount below 2^128");
  return *a;
}

uint16_t token_or_throw(uint32_t t, const char* what) {
  if (t >= tx::kTokenLimit) throw std::invalid_argument(std::string(what) + " must be < 1024");
  return static_cast<uint16_t>(t);
}

/// The wallet's key and account (flag over key file).
struct Signer {
  wallet::KeyFile key;
  uint32_t account = 0;
};

Signer load_signer(const WalletOptions& o) {
  if (o.key.empty()) throw std::invalid_argument("--key FILE is required");
  std::string err;
  auto k = wallet::read_key_file(o.key, &err);
  if (!k) throw std::invalid_argument(err);
  Signer s{*k, 0};
  if (o.account) s.account = *o.account;
  else if (k->account) s.account = *k->account;
  else throw std::invalid_argument("no account index: give --account N or an \"account\" in the key file");
  return s;
}

rpc::Endpoint endpoint(const WalletOptions& o) {
  auto ep = rpc::parse_url(o.url);
  if (!ep) throw std::invalid_argument("--url must look like http://127.0.0.1:8545");
  return *ep;
}

tx::Domain fetch_domain(rpc::Client& c) {
  const json d = c.call("zkamm_domain");
  tx::Domain dom;
  auto cid = rpc::u64_from_decimal(d.at("chain_id").get<std::string>());
  auto addr = rpc::bytes_from_hex(d.at("rollup").get<std::string>(), 20);
  if (!cid || !addr || addr->size() != 20) throw rpc::TransportError("node returned a malformed domain");
  dom.chain_id = *cid;
  std::copy(addr->begin(), addr->end(), dom.rollup.begin());
  return dom;
}

uint64_t deadline(const WalletOptions& o) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()) +
         o.deadline_secs;
}

/// Fills nonce, signs and sends t; prints the node's answer.
int sign_and_send(const WalletOptions& o, const Signer& s, tx::Tx t) {
  rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms + 5000));
  const tx::Domain dom = fetch_domain(c);
  const json acct = c.call("zkamm_getAccount", json::array({s.account}));
  const auto nonce = acct.at("nonce").get<uint64_t>();
  if (acct.at("pubkey").get<std::string>() != wallet::packed_pubkey_hex(s.key.private_key))
    throw std::invalid_argument("account " + std::to_string(s.account) + " belongs to another key");
  std::visit(
      [&](auto& x) {
        if constexpr (requires { x.nonce; }) x.nonce = static_cast<uint32_t>(nonce);
      },
      t);
  if (!tx::sign(t, s.key.private_key, dom)) throw std::invalid_argument("cannot sign this transaction type");
  const json res = c.call("zkamm_sendTransactionSync", json::array({tx::to_json(t), o.timeout_ms}));
  std::cout << res.dump(2) << "\n";
  return 0;
}

int run_guarded(const std::function<int()>& f) {
  try {
    return f();
  } catch (const rpc::RpcError& e) {
    std::cerr << "error: " << e.message << " (code " << e.code << ")";
    if (!e.data.is_null()) std::cerr << " " << e.data.dump();
    std::cerr << "\n";
    return 1;
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

int run_create(const WalletOptions& o) {
  if (o.out.empty()) return fail("--out FILE is required");
  wallet::KeyFile k{wallet::random_key(), o.account};
  if (auto e = wallet::write_key_file(o.out, k); !e.empty()) return fail(e);
  std::cout << json{{"key_file", o.out}, {"pubkey", wallet::packed_pubkey_hex(k.private_key)}}.dump(2) << "\n";
  return 0;
}

int run_address(const WalletOptions& o) {
  std::string err;
  auto k = wallet::read_key_file(o.key, &err);
  if (!k) return fail(err);
  const auto pub = hash::eddsa_public_key(k->private_key);
  json j = {{"pubkey", wallet::packed_pubkey_hex(k->private_key)}, {"x", pub.x.to_decimal()}, {"y", pub.y.to_decimal()}};
  if (o.account) j["account"] = *o.account;
  else if (k->account) j["account"] = *k->account;
  std::cout << j.dump(2) << "\n";
  return 0;
}

int run_balances(const WalletOptions& o) {
  uint32_t account = 0;
  if (o.account) account = *o.account;
  else account = load_signer(o).account;
  rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms));
  const json a = c.call("zkamm_getAccount", json::array({account}));
  std::cout << json{{"account", account}, {"nonce", a.at("nonce")}, {"balances", a.at("balances")}}.dump(2) << "\n";
  return 0;
}

int run_status(const WalletOptions& o) {
  rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms));
  std::cout << c.call("zkamm_getTransaction", json::array({o.hash})).dump(2) << "\n";
  return 0;
}

int run_new_genesis(const WalletOptions& o) {
  if (o.out.empty()) return fail("--out FILE is required");
  if (o.accounts == 0 || o.accounts > 1'000'000) return fail("--accounts must be 1 .. 1000000");
  if (o.tokens < 2 || o.tokens > 100) return fail("--tokens must be 2 .. 100");
  (void)amount_or_throw(o.balance, "--balance");
  (void)amount_or_throw(o.pool_amount, "--pool-amount");
  json tokens = json::array();
  for (uint32_t t = 1; t <= o.tokens; ++t) {
    std::array<uint8_t, 20> addr{};
    addr[0] = 0xe2;  // DEVNET ONLY: placeholder L1 addresses 0xe2..00TT
    addr[18] = static_cast<uint8_t>(t >> 8);
    addr[19] = static_cast<uint8_t>(t);
    tokens.push_back(node::rpc::hex0x(addr.data(), addr.size()));
  }
  json balances = json::object();
  for (uint32_t t = 0; t <= o.tokens; ++t) balances[std::to_string(t)] = o.balance;
  json accounts = json::array();
  for (uint32_t i = 1; i <= o.accounts; ++i) {
    const auto prv = wallet::devnet_key(o.seed, i);
    accounts.push_back({{"private_key", node::rpc::hex0x(prv.data(), prv.size())}, {"balances", balances}});
  }
  json pools = json::array();
  for (uint32_t t = 1; t < o.tokens; ++t)
    pools.push_back({{"token_a", t}, {"token_b", t + 1}, {"amount_a", o.pool_amount}, {"amount_b", o.pool_amount},
                     {"provider", 1}});
  const json g = {{"comment", "DEVNET ONLY: private keys are public. zkamm wallet new-genesis --accounts " +
                                  std::to_string(o.accounts) + " --tokens " + std::to_string(o.tokens) + " --seed " +
                                  o.seed},
                  {"tokens", tokens},
                  {"accounts", accounts},
                  {"pools", pools}};
  {
    std::ofstream f(o.out);
    if (!f) return fail("cannot write " + o.out);
    f << g.dump(1) << "\n";
  }
  if (!o.keys_dir.empty()) {
    std::filesystem::create_directories(o.keys_dir);
    for (uint32_t i = 1; i <= o.accounts && i <= 1000; ++i) {
      const std::string path = (std::filesystem::path(o.keys_dir) / ("account-" + std::to_string(i) + ".json")).string();
      std::filesystem::remove(path);
      if (auto e = wallet::write_key_file(path, wallet::KeyFile{wallet::devnet_key(o.seed, i), i}); !e.empty())
        return fail(e);
    }
  }
  std::cout << "wrote " << o.out << ": " << o.accounts << " accounts, " << o.tokens << " tokens, " << pools.size()
            << " pools\n";
  return 0;
}

/// ExitProof from zkamm_getExitProof's JSON (node::exit_proof_json); throws on a malformed answer.
node::ExitProof exit_proof_from_json(const json& j) {
  const auto fr = [](const json& v) {
    auto x = ff::Fr::from_decimal(v.get<std::string>());
    if (!x) throw rpc::TransportError("node returned a malformed field element");
    return *x;
  };
  const auto frs = [&](const json& a) {
    std::vector<ff::Fr> v;
    for (const json& x : a) v.push_back(fr(x));
    return v;
  };
  node::ExitProof p;
  p.batch = j.at("batch").get<uint64_t>();
  auto root = rpc::hash_from_hex(j.at("root").get<std::string>());
  auto r = root ? ff::Fr::from_bytes_be(root->data()) : std::nullopt;
  auto bal = rpc::u256_from_decimal(j.at("balance").get<std::string>());
  if (!r || !bal) throw rpc::TransportError("node returned a malformed root or balance");
  p.root = *r;
  p.account = j.at("account").get<uint32_t>();
  p.token = j.at("token").get<uint32_t>();
  p.balance = *bal;
  p.key.x = fr(j.at("pubkey_x"));
  p.key.y = fr(j.at("pubkey_y"));
  p.nonce = j.at("nonce").get<uint64_t>();
  p.balance_path = frs(j.at("balance_path"));
  p.account_path = frs(j.at("account_path"));
  p.pool_root = fr(j.at("pool_root"));
  if (j.contains("pool")) {
    const json& q = j.at("pool");
    node::LpExitData lp;
    lp.pool = q.at("pool").get<uint32_t>();
    const auto leaf = frs(q.at("leaf"));
    if (leaf.size() != 4) throw rpc::TransportError("node returned a malformed pool leaf");
    std::copy(leaf.begin(), leaf.end(), lp.leaf_fields.begin());
    lp.pool_path = frs(q.at("path"));
    lp.pair_root = fr(q.at("pair_root"));
    lp.num_pools = q.at("num_pools").get<uint32_t>();
    p.lp = std::move(lp);
  }
  return p;
}

/// ZkammRollup.exodusExit / exodusExitLp calldata for a proof (docs/CONTRACTS.md).
std::pair<std::string, l1::Bytes> exodus_calldata(const node::ExitProof& p) {
  using l1::abi::Value;
  const auto v = [](const ff::Fr& x) { return Value::uint(x.to_canonical()); };
  const auto list = [&](const std::vector<ff::Fr>& xs) {
    std::vector<Value> items;
    for (const auto& x : xs) items.push_back(v(x));
    return Value::list(std::move(items));
  };
  const Value keys = Value::list({v(p.key.x), v(p.key.y), Value::uint(p.nonce)});
  std::string sig;
  std::vector<Value> args;
  if (p.lp) {
    sig = "exodusExitLp(uint32,uint16,uint128,uint256[3],uint256[],uint256[],uint256[6],uint256[])";
    args = {Value::uint(p.account), Value::uint(p.lp->pool), Value::uint(p.balance), keys, list(p.balance_path),
            list(p.account_path),
            Value::list({v(p.lp->leaf_fields[0]), v(p.lp->leaf_fields[1]), v(p.lp->leaf_fields[2]), v(p.lp->leaf_fields[3]),
                         v(p.lp->pair_root), Value::uint(p.lp->num_pools)}),
            list(p.lp->pool_path)};
  } else {
    sig = "exodusExit(uint32,uint16,uint128,uint256[3],uint256[],uint256[],uint256)";
    args = {Value::uint(p.account), Value::uint(p.token), Value::uint(p.balance), keys, list(p.balance_path),
            list(p.account_path), v(p.pool_root)};
  }
  auto f = l1::abi::parse_function(sig);
  auto data = f ? l1::abi::encode_call(*f, args) : std::nullopt;
  if (!data) throw std::invalid_argument("cannot ABI-encode " + sig);
  return {sig, *data};
}

/// zkamm wallet exit-proof: the node's proof, re-checked here against the root (the contract's
/// computation in C++), with the calldata of the exodus call.
int run_exit_proof(const WalletOptions& o) {
  if (!o.account) throw std::invalid_argument("--account N is required");
  rpc::Client c(endpoint(o), std::chrono::milliseconds(std::max<uint64_t>(o.timeout_ms, 60000)));
  json params = {{"account", *o.account}, {"token", o.token}};
  if (!o.root.empty()) params["root"] = o.root;
  json j = c.call("zkamm_getExitProof", params);
  const node::ExitProof p = exit_proof_from_json(j);
  const auto root = node::exit_proof_root(p);
  if (!root || *root != p.root) throw std::invalid_argument("the node's proof does not hash to its root: do not use it");
  if (!o.root.empty() && rpc::hash_from_hex(o.root)) {
    auto want = ff::Fr::from_bytes_be(rpc::hash_from_hex(o.root)->data());
    if (!want || *want != p.root) throw std::invalid_argument("the node's proof is for another root");
  }
  auto [sig, data] = exodus_calldata(p);
  j["function"] = sig;
  j["calldata"] = l1::to_hex(data);
  std::cout << j.dump(2) << "\n";
  return 0;
}

/// One eth_call to the rollup with a view function "f(args)(T)"; throws with the L1's reason.
l1::abi::Value l1_view(l1::RpcClient& rpc, const l1::Address& to, const char* sig, std::vector<l1::abi::Value> args = {}) {
  auto f = l1::abi::parse_function(sig);
  auto data = f ? l1::abi::encode_call(*f, args) : std::nullopt;
  if (!data) throw std::invalid_argument(std::string("cannot ABI-encode ") + sig);
  l1::CallRequest c;
  c.to = to;
  c.data = *data;
  auto out = rpc.call(c);
  if (!out) throw std::runtime_error(std::string(sig) + ": " + out.error().message);
  auto v = l1::abi::decode_output(*f, *out);
  if (!v || v->size() != 1) throw std::runtime_error(std::string(sig) + ": undecodable answer");
  return (*v)[0];
}

/// The L1 key that pays for the exodus transactions: --l1-key-file (a file holding 0x + 64 hex)
/// or ZKAMM_L1_KEY. Never printed.
l1::PrivateKey l1_key(const WalletOptions& o) {
  std::string text;
  if (!o.l1_key_file.empty()) {
    std::ifstream in(o.l1_key_file);
    if (!in) throw std::invalid_argument("cannot read " + o.l1_key_file);
    in >> text;
  } else if (const char* env = std::getenv("ZKAMM_L1_KEY")) {
    text = env;
  } else {
    throw std::invalid_argument("an L1 key is required: --l1-key-file FILE or ZKAMM_L1_KEY");
  }
  auto k = l1::PrivateKey::from_hex(text);
  if (!k) throw std::invalid_argument("the L1 key is not 0x + 64 hex digits of a valid secp256k1 key");
  return *k;
}

/// zkamm wallet exodus-exit: in exodus mode, proves each balance of the account (--token, or
/// every non-zero one with --all) against L1's lastExecutedRoot with the proofs of a node or a
/// `zkamm sync` replica (re-checked here), and sends exodusExit / exodusExitLp from any L1
/// account (the contract credits the account's L1 owner). --activate first freezes the rollup
/// when a priority op is overdue; --withdraw then pays the owner what was credited (withdrawFor).
int run_exodus_exit(const WalletOptions& o) {
  if (!o.account) throw std::invalid_argument("--account N is required");
  rpc::Client c(endpoint(o), std::chrono::milliseconds(std::max<uint64_t>(o.timeout_ms, 60000)));
  const tx::Domain dom = fetch_domain(c);
  l1::Address rollup{};
  std::copy(dom.rollup.begin(), dom.rollup.end(), rollup.begin());
  auto l1 = l1::RpcClient::create(o.l1_url, std::chrono::seconds(30));
  if (!l1) throw std::invalid_argument("--l1 must look like http://127.0.0.1:8545");
  auto chain = l1->chain_id();
  if (!chain) throw std::runtime_error("eth_chainId: " + chain.error().message);
  if (*chain != dom.chain_id)
    throw std::invalid_argument("the L1 is chain " + std::to_string(*chain) + ", the node's rollup is on chain " + std::to_string(dom.chain_id));
  l1::TxSender sender(*l1, l1_key(o), *chain);
  using l1::abi::Value;
  json out = {{"account", *o.account}, {"rollup", l1::to_checksum_address(rollup)}, {"exits", json::array()}};
  const auto send = [&](const char* what, l1::Bytes data) {
    l1::TxRequest r;
    r.to = rollup;
    r.data = std::move(data);
    auto rc = sender.send_and_wait(r);
    if (!rc) throw std::runtime_error(std::string(what) + ": " + rc.error().message);
    return json{{"tx", l1::to_hex(rc->transaction_hash)}, {"gas", rc->gas_used}};
  };
  const auto call_data = [](const char* sig, std::vector<Value> args) {
    auto f = l1::abi::parse_function(sig);
    return *l1::abi::encode_call(*f, args);
  };
  if (l1_view(*l1, rollup, "exodusMode()(bool)").word == ff::U256{}) {
    if (!o.activate) throw std::invalid_argument("the rollup is not in exodus mode (--activate freezes it once a priority op is overdue)");
    out["activate"] = send("activateExodus", call_data("activateExodus()", {}));
  }
  const ff::U256 root_word = l1_view(*l1, rollup, "lastExecutedRoot()(uint256)").word;
  const auto root = ff::Fr::from_canonical(root_word);
  if (!root) throw std::runtime_error("lastExecutedRoot is not a field element");
  uint8_t rb[32];
  root->to_bytes_be(rb);
  const std::string root_hex = rpc::hex0x(rb, 32);
  out["root"] = root_hex;
  std::vector<uint32_t> tokens = o.tokens_list;
  if (o.all_tokens) {
    const json acct = c.call("zkamm_getAccount", json::array({*o.account}));
    for (auto it = acct.at("balances").begin(); it != acct.at("balances").end(); ++it)
      if (it.value().get<std::string>() != "0") tokens.push_back(static_cast<uint32_t>(std::stoul(it.key())));
  }
  if (tokens.empty()) throw std::invalid_argument("give --token T (repeatable) or --all");
  const Value owner = l1_view(*l1, rollup, "owner(uint32)(address)", {Value::uint(*o.account)});
  std::set<uint32_t> credited;
  for (uint32_t t : tokens) {
    const uint16_t token = token_or_throw(t, "--token");
    json e = {{"token", token}};
    if (l1_view(*l1, rollup, "exited(uint32,uint16)(bool)", {Value::uint(*o.account), Value::uint(token)}).word != ff::U256{}) {
      e["skipped"] = "already exited";
      out["exits"].push_back(e);
      continue;
    }
    json j = c.call("zkamm_getExitProof", json{{"account", *o.account}, {"token", token}, {"root", root_hex}});
    const node::ExitProof p = exit_proof_from_json(j);
    const auto r = node::exit_proof_root(p);
    if (!r || *r != *root) throw std::runtime_error("token " + std::to_string(token) + ": the proof does not hash to lastExecutedRoot");
    auto [sig, data] = exodus_calldata(p);
    e["balance"] = ff::to_decimal(p.balance);
    e["function"] = sig.substr(0, sig.find('('));
    e.update(send(sig.c_str(), data));
    if (p.lp) {
      const auto pair = p.lp->leaf_fields[0].to_canonical()[0];
      credited.insert(static_cast<uint32_t>(pair & 1023));
      credited.insert(static_cast<uint32_t>(pair >> 10));
    } else {
      credited.insert(token);
    }
    out["exits"].push_back(e);
  }
  if (o.withdraw) {
    json w = json::array();
    for (uint32_t t : credited) {
      const ff::U256 due = l1_view(*l1, rollup, "pendingWithdrawals(address,uint16)(uint256)", {owner, Value::uint(t)}).word;
      if (due == ff::U256{}) continue;
      json x = send("withdrawFor", call_data("withdrawFor(address,uint16)", {owner, Value::uint(t)}));
      x["token"] = t;
      x["amount"] = ff::to_decimal(due);
      w.push_back(x);
    }
    out["withdrawals"] = w;
  }
  std::cout << out.dump(2) << "\n";
  return 0;
}

/// zkamm wallet register: the key's signature that lets `owner` register it on L1
/// (docs/TRANSACTIONS.md section 3.4) and the calldata of registerAccount and
/// registerAndDepositETH, for any L1 wallet to send from `owner`. The domain is --chain-id and
/// --rollup, or the node's (zkamm_domain) when they are not both given.
int run_register(const WalletOptions& o) {
  std::string err;
  auto k = wallet::read_key_file(o.key, &err);
  if (!k) throw std::invalid_argument(err);
  const auto owner = rpc::bytes_from_hex(o.owner, 20);
  if (!owner || owner->size() != 20) throw std::invalid_argument("--owner must be 0x + 40 hex digits");
  tx::Domain dom;
  if (o.chain_id && !o.rollup.empty()) {
    const auto r = rpc::bytes_from_hex(o.rollup, 20);
    if (!r || r->size() != 20) throw std::invalid_argument("--rollup must be 0x + 40 hex digits");
    dom.chain_id = *o.chain_id;
    std::copy(r->begin(), r->end(), dom.rollup.begin());
  } else if (o.chain_id || !o.rollup.empty()) {
    throw std::invalid_argument("give both --chain-id and --rollup, or neither (the node's domain)");
  } else {
    rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms));
    dom = fetch_domain(c);
  }
  tx::L1Address who{};
  std::copy(owner->begin(), owner->end(), who.begin());
  const auto pub = hash::eddsa_public_key(k->private_key);
  const auto sig = tx::sign_registration(k->private_key, dom, who);
  using l1::abi::Value;
  const auto v = [](const ff::Fr& x) { return Value::uint(x.to_canonical()); };
  const std::vector<Value> args = {v(pub.x), v(pub.y), v(sig.r8.x), v(sig.r8.y), Value::uint(sig.s)};
  const auto calldata = [&](const char* f) {
    auto fn = l1::abi::parse_function(f);
    auto data = fn ? l1::abi::encode_call(*fn, args) : std::nullopt;
    if (!data) throw std::invalid_argument(std::string("cannot ABI-encode ") + f);
    return l1::to_hex(*data);
  };
  const json j = {{"owner", rpc::hex0x(who.data(), who.size())},
                  {"chain_id", std::to_string(dom.chain_id)},
                  {"rollup", rpc::hex0x(dom.rollup.data(), dom.rollup.size())},
                  {"pubkey", wallet::packed_pubkey_hex(k->private_key)},
                  {"x", pub.x.to_decimal()},
                  {"y", pub.y.to_decimal()},
                  {"message", tx::registration_message(dom, who).to_decimal()},
                  {"r8x", sig.r8.x.to_decimal()},
                  {"r8y", sig.r8.y.to_decimal()},
                  {"s", ff::to_decimal(sig.s)},
                  {"register_account", {{"function", tx::kRegisterAccountFunction}, {"calldata", calldata(tx::kRegisterAccountFunction)}}},
                  {"register_and_deposit_eth",
                   {{"function", tx::kRegisterAndDepositEthFunction},
                    {"calldata", calldata(tx::kRegisterAndDepositEthFunction)}}}};
  std::cout << j.dump(2) << "\n";
  return 0;
}

}  // namespace

void register_wallet(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<WalletOptions>();
  auto* w = app.add_subcommand("wallet", "keys and transactions against a zkamm node (JSON-RPC)");
  w->require_subcommand(1);
  auto net = [o](CLI::App* c, bool needs_key) {
    c->add_option("--url", o->url, "node JSON-RPC URL (default http://127.0.0.1:8545)");
    auto* k = c->add_option("--key", o->key, "key file (zkamm wallet create)");
    if (needs_key) k->required();
    c->add_option("--account", o->account, "account index (default: the key file's)");
    c->add_option("--timeout-ms", o->timeout_ms, "wait at most this long for soft finality");
  };
  auto with_deadline = [o](CLI::App* c) {
    c->add_option("--deadline-secs", o->deadline_secs, "deadline = now + this (default 600)");
  };
  auto bind = [&exit_code](CLI::App* c, std::function<int()> f) {
    c->callback([f, &exit_code] { exit_code = run_guarded(f); });
  };

  auto* create = w->add_subcommand("create", "new Baby Jubjub key file (mode 0600; the key is never printed)");
  create->add_option("--out", o->out, "key file to create")->required();
  create->add_option("--account", o->account, "account index to record in the file");
  bind(create, [o] { return run_create(*o); });

  auto* address = w->add_subcommand("address", "public key of a key file");
  address->add_option("--key", o->key, "key file")->required();
  address->add_option("--account", o->account, "account index");
  bind(address, [o] { return run_address(*o); });

  auto* balances = w->add_subcommand("balances", "nonce and balances of an account");
  net(balances, false);
  bind(balances, [o] { return run_balances(*o); });

  auto* status = w->add_subcommand("status", "finality status of a transaction");
  status->add_option("HASH", o->hash, "transaction hash (0x...)")->required();
  status->add_option("--url", o->url, "node JSON-RPC URL");
  bind(status, [o] { return run_status(*o); });

  auto* transfer = w->add_subcommand("transfer", "send tokens to another account");
  net(transfer, true);
  transfer->add_option("--to", o->to, "recipient account")->required();
  transfer->add_option("--token", o->token, "token id")->required();
  transfer->add_option("--amount", o->amount, "amount (decimal)")->required();
  bind(transfer, [o] {
    const Signer s = load_signer(*o);
    tx::Transfer t;
    t.from = s.account;
    t.to = o->to;
    t.token = token_or_throw(o->token, "--token");
    t.amount = amount_or_throw(o->amount, "--amount");
    return sign_and_send(*o, s, t);
  });

  auto* swap = w->add_subcommand("swap", "Uniswap V2 swap: --amount-in X --min-out Y, or --amount-out X --max-in Y");
  net(swap, true);
  with_deadline(swap);
  swap->add_option("--in", o->token_in, "token sold")->required();
  swap->add_option("--out", o->token_out, "token bought")->required();
  swap->add_option("--amount-in", o->amount_in, "exact input amount");
  swap->add_option("--min-out", o->min_out, "minimum output (slippage bound) for --amount-in");
  swap->add_option("--amount-out", o->amount_out, "exact output amount");
  swap->add_option("--max-in", o->max_in, "maximum input for --amount-out");
  bind(swap, [o] {
    const Signer s = load_signer(*o);
    if (!o->amount_in.empty() == !o->amount_out.empty())
      throw std::invalid_argument("give exactly one of --amount-in (with --min-out) or --amount-out (with --max-in)");
    if (!o->amount_in.empty()) {
      tx::SwapExactIn t;
      t.account = s.account;
      t.token_in = token_or_throw(o->token_in, "--in");
      t.token_out = token_or_throw(o->token_out, "--out");
      t.amount_in = amount_or_throw(o->amount_in, "--amount-in");
      t.amount_out_min = amount_or_throw(o->min_out.empty() ? "0" : o->min_out, "--min-out");
      t.deadline = deadline(*o);
      return sign_and_send(*o, s, t);
    }
    if (o->max_in.empty()) throw std::invalid_argument("--amount-out needs --max-in");
    tx::SwapExactOut t;
    t.account = s.account;
    t.token_in = token_or_throw(o->token_in, "--in");
    t.token_out = token_or_throw(o->token_out, "--out");
    t.amount_out = amount_or_throw(o->amount_out, "--amount-out");
    t.amount_in_max = amount_or_throw(o->max_in, "--max-in");
    t.deadline = deadline(*o);
    return sign_and_send(*o, s, t);
  });

  auto* create_pool = w->add_subcommand("create-pool", "create the pool of a token pair");
  net(create_pool, true);
  create_pool->add_option("--token-a", o->token_a, "token")->required();
  create_pool->add_option("--token-b", o->token_b, "token")->required();
  bind(create_pool, [o] {
    const Signer s = load_signer(*o);
    tx::CreatePool t;
    t.account = s.account;
    t.token_a = token_or_throw(o->token_a, "--token-a");
    t.token_b = token_or_throw(o->token_b, "--token-b");
    return sign_and_send(*o, s, t);
  });

  auto* add = w->add_subcommand("add-liquidity", "Router02.addLiquidity");
  net(add, true);
  with_deadline(add);
  add->add_option("--token-a", o->token_a, "token")->required();
  add->add_option("--token-b", o->token_b, "token")->required();
  add->add_option("--amount-a", o->amount_a, "amount of token a desired")->required();
  add->add_option("--amount-b", o->amount_b, "amount of token b desired")->required();
  add->add_option("--min-a", o->min_a, "minimum of token a");
  add->add_option("--min-b", o->min_b, "minimum of token b");
  bind(add, [o] {
    const Signer s = load_signer(*o);
    tx::AddLiquidity t;
    t.account = s.account;
    t.token_a = token_or_throw(o->token_a, "--token-a");
    t.token_b = token_or_throw(o->token_b, "--token-b");
    t.amount_a_desired = amount_or_throw(o->amount_a, "--amount-a");
    t.amount_b_desired = amount_or_throw(o->amount_b, "--amount-b");
    t.amount_a_min = amount_or_throw(o->min_a, "--min-a");
    t.amount_b_min = amount_or_throw(o->min_b, "--min-b");
    t.deadline = deadline(*o);
    return sign_and_send(*o, s, t);
  });

  auto* remove = w->add_subcommand("remove-liquidity", "Router02.removeLiquidity");
  net(remove, true);
  with_deadline(remove);
  remove->add_option("--token-a", o->token_a, "token")->required();
  remove->add_option("--token-b", o->token_b, "token")->required();
  remove->add_option("--liquidity", o->liquidity, "LP tokens to burn")->required();
  remove->add_option("--min-a", o->min_a, "minimum of token a");
  remove->add_option("--min-b", o->min_b, "minimum of token b");
  bind(remove, [o] {
    const Signer s = load_signer(*o);
    tx::RemoveLiquidity t;
    t.account = s.account;
    t.token_a = token_or_throw(o->token_a, "--token-a");
    t.token_b = token_or_throw(o->token_b, "--token-b");
    t.liquidity = amount_or_throw(o->liquidity, "--liquidity");
    t.amount_a_min = amount_or_throw(o->min_a, "--min-a");
    t.amount_b_min = amount_or_throw(o->min_b, "--min-b");
    t.deadline = deadline(*o);
    return sign_and_send(*o, s, t);
  });

  auto* withdraw = w->add_subcommand("withdraw", "move tokens to an L1 address (claimable once the batch is final)");
  net(withdraw, true);
  withdraw->add_option("--token", o->token, "token id")->required();
  withdraw->add_option("--amount", o->amount, "amount")->required();
  withdraw->add_option("--to", o->l1_to, "L1 address 0x + 40 hex")->required();
  bind(withdraw, [o] {
    const Signer s = load_signer(*o);
    tx::Withdraw t;
    t.account = s.account;
    t.token = token_or_throw(o->token, "--token");
    t.amount = amount_or_throw(o->amount, "--amount");
    auto a = rpc::bytes_from_hex(o->l1_to, 20);
    if (!a || a->size() != 20) throw std::invalid_argument("--to must be 0x + 40 hex digits");
    std::copy(a->begin(), a->end(), t.l1_address.begin());
    return sign_and_send(*o, s, t);
  });

  auto* exit_proof = w->add_subcommand(
      "exit-proof", "exodus: Merkle proof of a balance (LP token 512+p: exodusExitLp) + calldata, from a node or a `zkamm sync` replica");
  exit_proof->add_option("--url", o->url, "node or replica JSON-RPC URL");
  exit_proof->add_option("--account", o->account, "account index")->required();
  exit_proof->add_option("--token", o->token, "token id (512 + pool for an LP position)")->required();
  exit_proof->add_option("--root", o->root, "state root to prove against (L1 lastExecutedRoot, 0x + 64 hex); default: last batch");
  bind(exit_proof, [o] { return run_exit_proof(*o); });

  auto* exodus = w->add_subcommand(
      "exodus-exit", "exodus: prove balances against L1's lastExecutedRoot and send exodusExit / exodusExitLp on L1");
  exodus->add_option("--url", o->url, "node or `zkamm sync` replica JSON-RPC URL (proofs and the rollup's domain)");
  exodus->add_option("--l1", o->l1_url, "Ethereum JSON-RPC URL")->capture_default_str();
  exodus->add_option("--l1-key-file", o->l1_key_file, "file with the paying L1 key (0x + 64 hex; default: $ZKAMM_L1_KEY)");
  exodus->add_option("--account", o->account, "account index")->required();
  exodus->add_option("--token", o->tokens_list, "token id (512 + pool for an LP position); repeatable");
  exodus->add_flag("--all", o->all_tokens, "every non-zero balance and LP position of the account");
  exodus->add_flag("--activate", o->activate, "first call activateExodus when the rollup is not frozen yet");
  exodus->add_flag("--withdraw", o->withdraw, "then pay the account's L1 owner what the exits credited (withdrawFor)");
  bind(exodus, [o] { return run_exodus_exit(*o); });

  auto* reg = w->add_subcommand(
      "register", "L1 registration: the key's signature for an owner address and the registerAccount calldata");
  reg->add_option("--key", o->key, "key file")->required();
  reg->add_option("--owner", o->owner, "the L1 address that will send the registration (0x + 40 hex)")->required();
  reg->add_option("--chain-id", o->chain_id, "L1 chain id (with --rollup; default: the node's domain)");
  reg->add_option("--rollup", o->rollup, "ZkammRollup address (with --chain-id)");
  reg->add_option("--url", o->url, "node JSON-RPC URL, asked for the domain when --chain-id/--rollup are not given");
  bind(reg, [o] { return run_register(*o); });

  auto* gen = w->add_subcommand("new-genesis", "DEVNET ONLY: a genesis with N funded accounts (keys inside)");
  gen->add_option("--out", o->out, "genesis JSON to write")->required();
  gen->add_option("--accounts", o->accounts, "funded accounts (indices 1..N; account 1 provides the pools)");
  gen->add_option("--tokens", o->tokens, "ERC-20 tokens 1..T (pools T1/T2, T2/T3, ...)");
  gen->add_option("--balance", o->balance, "balance of every token (and ETH) per account");
  gen->add_option("--pool-amount", o->pool_amount, "reserve of each token per pool");
  gen->add_option("--seed", o->seed, "key derivation seed");
  gen->add_option("--keys-dir", o->keys_dir, "also write key files account-I.json (first 1000 accounts)");
  bind(gen, [o] { return run_new_genesis(*o); });
}

}  // namespace zkamm::app
