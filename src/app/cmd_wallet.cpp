// zkamm wallet: keys, and a JSON-RPC client of `zkamm node` (docs/API.md). Transactions are
// signed locally (tx::sign over the domain the node reports) with the account's next nonce and
// sent with zkamm_sendTransactionSync; the result (soft, or the rejection) is printed as JSON.
#include <cctype>
#include <chrono>
#include <cstdlib>
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
#include "app/l1_options.hpp"
#include "app/wallet_keys.hpp"
#include "app/wallet_l1.hpp"
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
  bool json_output = false;  // --json: failures too are one JSON object on stdout
  // signing
  std::optional<uint64_t> nonce, chain_id;
  std::string rollup;
  bool sign_only = false;
  uint32_t slippage_bps = 50;
  std::string tx_file;
  // import
  std::string import_file, import_env = "ZKAMM_L2_KEY";
};

/// A JSON integer in [0, max] from the node; anything else is a malformed answer.
uint64_t node_uint(const json& v, const char* what, uint64_t max) {
  if (const auto x = rpc::uint_from_json(v, max)) return *x;
  throw rpc::TransportError(std::string("node returned a malformed ") + what);
}

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

/// The signature domain: --chain-id and --rollup (no node needed), or the node's.
tx::Domain domain_of(const WalletOptions& o, rpc::Client* c) {
  if (o.chain_id.has_value() != !o.rollup.empty())
    throw std::invalid_argument("give both --chain-id and --rollup, or neither (the node's domain)");
  if (!o.chain_id) {
    if (!c) throw std::logic_error("domain_of: no node");
    return fetch_domain(*c);
  }
  const auto r = rpc::bytes_from_hex(o.rollup, 20);
  if (!r || r->size() != 20) throw std::invalid_argument("--rollup must be 0x + 40 hex digits");
  tx::Domain dom;
  dom.chain_id = *o.chain_id;
  std::copy(r->begin(), r->end(), dom.rollup.begin());
  return dom;
}

/// Fills the nonce (--nonce, else the account's next one), signs t and sends it; prints the
/// node's answer. --sign-only prints the signed transaction and its hash instead (for `wallet
/// send` or any JSON-RPC client); with --nonce, --chain-id and --rollup it never contacts the node.
int sign_and_send(const WalletOptions& o, const Signer& s, tx::Tx t) {
  const bool offline = o.sign_only && o.nonce && o.chain_id;
  std::unique_ptr<rpc::Client> c;
  if (!offline) c = std::make_unique<rpc::Client>(endpoint(o), std::chrono::milliseconds(o.timeout_ms + 5000));
  const tx::Domain dom = domain_of(o, c.get());
  uint64_t nonce = o.nonce.value_or(0);
  if (c) {
    const json acct = c->call("zkamm_getAccount", json::array({s.account}));
    if (acct.at("pubkey").get<std::string>() != wallet::packed_pubkey_hex(s.key.private_key))
      throw std::invalid_argument("account " + std::to_string(s.account) + " belongs to another key");
    if (!o.nonce) nonce = node_uint(acct.at("nonce"), "nonce", UINT64_MAX);
  }
  if (nonce > UINT32_MAX) throw std::invalid_argument("--nonce must be < 2^32");
  std::visit(
      [&](auto& x) {
        if constexpr (requires { x.nonce; }) x.nonce = static_cast<uint32_t>(nonce);
      },
      t);
  if (!tx::sign(t, s.key.private_key, dom)) throw std::invalid_argument("cannot sign this transaction type");
  if (o.sign_only) {
    const auto h = tx::tx_hash(t);
    std::cout << json{{"hash", rpc::hex0x(h.data(), h.size())}, {"tx", tx::to_json(t)}}.dump(2) << "\n";
    return 0;
  }
  const json res = c->call("zkamm_sendTransactionSync", json::array({tx::to_json(t), o.timeout_ms}));
  std::cout << res.dump(2) << "\n";
  return 0;
}

/// zkamm wallet send: a transaction signed earlier (--sign-only's output, or a bare transaction
/// object), sent with zkamm_sendTransactionSync.
int run_send(const WalletOptions& o) {
  std::ifstream in(o.tx_file);
  if (!in) throw std::invalid_argument("cannot read " + o.tx_file);
  const json j = json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw std::invalid_argument(o.tx_file + ": not a JSON object");
  const json& t = j.contains("tx") ? j.at("tx") : j;
  rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms + 5000));
  std::cout << c.call("zkamm_sendTransactionSync", json::array({t, o.timeout_ms})).dump(2) << "\n";
  return 0;
}

/// amount * (10000 -/+ bps) / 10000, rounded toward the safe side (down for a minimum output,
/// up for a maximum input) without overflowing 128 bits; nullopt above 2^128 - 1.
std::optional<tx::Amount> with_slippage(tx::Amount amount, uint32_t bps, bool up) {
  const tx::Amount q = amount / 10000, r = amount % 10000;
  const tx::Amount delta = q * bps + (r * bps + (up ? 9999 : 0)) / 10000;
  if (!up) return amount - delta;
  if (amount + delta < amount) return std::nullopt;
  return amount + delta;
}

/// --min-out / --max-in when not given: the node's quote (zkamm_quote) less / plus --slippage-bps.
tx::Amount quoted_limit(const WalletOptions& o, uint16_t token_in, uint16_t token_out, bool exact_in, tx::Amount amount) {
  if (o.slippage_bps > 10000) throw std::invalid_argument("--slippage-bps must be 0 .. 10000");
  if (o.sign_only && o.chain_id && o.nonce)
    throw std::invalid_argument(exact_in ? "offline --sign-only needs --min-out" : "offline --sign-only needs --max-in");
  rpc::Client c(endpoint(o), std::chrono::milliseconds(o.timeout_ms));
  json q = {{"token_in", token_in}, {"token_out", token_out}};
  q[exact_in ? "amount_in" : "amount_out"] = tx::amount_to_decimal(amount);
  const json r = c.call("zkamm_quote", q);
  auto quoted = tx::amount_from_decimal(r.at(exact_in ? "amount_out" : "amount_in").get<std::string>());
  if (!quoted) throw rpc::TransportError("the node returned a malformed quote");
  auto limit = with_slippage(*quoted, o.slippage_bps, !exact_in);
  if (!limit) throw std::invalid_argument("the quoted input plus the slippage exceeds 2^128 - 1");
  return *limit;
}

/// Runs a subcommand body and maps its failure to exit code 1 and a message: text on stderr, or
/// with --json one object {"error": {"kind", "message", "code"?, "data"?}} on stdout, so that a
/// script parses stdout whatever happened (docs/WALLET.md "Output and exit codes").
int run_guarded(const std::function<int()>& f, bool json_output) {
  json err;
  try {
    return f();
  } catch (const rpc::RpcError& e) {
    // The node answered with a JSON-RPC error: -32000 is a rejected transaction.
    err = {{"kind", e.code == -32000 ? "rejected" : "rpc"}, {"message", e.message}, {"code", e.code}};
    if (!e.data.is_null()) err["data"] = e.data;
  } catch (const rpc::TransportError& e) {
    err = {{"kind", "unreachable"}, {"message", e.what()}};
  } catch (const WalletError& e) {
    err = {{"kind", e.kind}, {"message", e.what()}};
  } catch (const std::invalid_argument& e) {
    err = {{"kind", "input"}, {"message", e.what()}};
  } catch (const std::exception& e) {
    err = {{"kind", "failed"}, {"message", e.what()}};
  }
  if (json_output) {
    std::cout << json{{"error", err}}.dump(2) << "\n";
    return 1;
  }
  std::cerr << "error: " << err["message"].get<std::string>();
  if (err.contains("code")) std::cerr << " (code " << err["code"] << ")";
  if (err.contains("data")) std::cerr << " " << err["data"].dump();
  std::cerr << "\n";
  return 1;
}

int run_create(const WalletOptions& o) {
  if (o.out.empty()) throw std::invalid_argument("--out FILE is required");
  wallet::KeyFile k{wallet::random_key(), o.account};
  if (auto e = wallet::write_key_file(o.out, k); !e.empty()) throw std::invalid_argument(e);
  std::cout << json{{"key_file", o.out}, {"pubkey", wallet::packed_pubkey_hex(k.private_key)}}.dump(2) << "\n";
  return 0;
}

/// zkamm wallet import: like create, with a known key. The key's text comes from a file or an
/// environment variable (argv is visible to every user of the machine) and is never printed.
int run_import(const WalletOptions& o) {
  std::string text, where;
  if (!o.import_file.empty()) {
    std::ifstream in(o.import_file);
    if (!in) throw std::invalid_argument("cannot read " + o.import_file);
    in >> text;
    where = o.import_file;
  } else {
    const char* v = std::getenv(o.import_env.c_str());
    if (v == nullptr || *v == '\0') throw std::invalid_argument("no key: give --from-file FILE or set " + o.import_env);
    text = v;
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    where = "$" + o.import_env;
  }
  const auto b = rpc::bytes_from_hex(text, 32);
  if (!b || b->size() != 32) throw std::invalid_argument(where + " is not a private key (0x + 64 hex digits)");
  wallet::KeyFile k{{}, o.account};
  std::copy(b->begin(), b->end(), k.private_key.begin());
  if (auto e = wallet::write_key_file(o.out, k); !e.empty()) throw std::invalid_argument(e);
  json j = {{"key_file", o.out}, {"pubkey", wallet::packed_pubkey_hex(k.private_key)}};
  if (o.account) j["account"] = *o.account;
  std::cout << j.dump(2) << "\n";
  return 0;
}

int run_address(const WalletOptions& o) {
  std::string err;
  auto k = wallet::read_key_file(o.key, &err);
  if (!k) throw std::invalid_argument(err);
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
  if (o.out.empty()) throw std::invalid_argument("--out FILE is required");
  if (o.accounts == 0 || o.accounts > 1'000'000) throw std::invalid_argument("--accounts must be 1 .. 1000000");
  if (o.tokens < 2 || o.tokens > 100) throw std::invalid_argument("--tokens must be 2 .. 100");
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
    if (!f) throw std::invalid_argument("cannot write " + o.out);
    f << g.dump(1) << "\n";
  }
  if (!o.keys_dir.empty()) {
    std::filesystem::create_directories(o.keys_dir);
    for (uint32_t i = 1; i <= o.accounts && i <= 1000; ++i) {
      const std::string path = (std::filesystem::path(o.keys_dir) / ("account-" + std::to_string(i) + ".json")).string();
      std::filesystem::remove(path);
      if (auto e = wallet::write_key_file(path, wallet::KeyFile{wallet::devnet_key(o.seed, i), i}); !e.empty())
        throw std::invalid_argument(e);
    }
  }
  if (o.json_output)
    std::cout << json{{"genesis", o.out}, {"accounts", o.accounts}, {"tokens", o.tokens}, {"pools", pools.size()}}.dump(2) << "\n";
  else
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
  p.batch = node_uint(j.at("batch"), "batch", UINT64_MAX);
  auto root = rpc::hash_from_hex(j.at("root").get<std::string>());
  auto r = root ? ff::Fr::from_bytes_be(root->data()) : std::nullopt;
  auto bal = rpc::u256_from_decimal(j.at("balance").get<std::string>());
  if (!r || !bal) throw rpc::TransportError("node returned a malformed root or balance");
  p.root = *r;
  p.account = static_cast<uint32_t>(node_uint(j.at("account"), "account", UINT32_MAX));
  p.token = static_cast<uint32_t>(node_uint(j.at("token"), "token", UINT32_MAX));
  p.balance = *bal;
  p.key.x = fr(j.at("pubkey_x"));
  p.key.y = fr(j.at("pubkey_y"));
  p.nonce = node_uint(j.at("nonce"), "nonce", UINT64_MAX);
  p.balance_path = frs(j.at("balance_path"));
  p.account_path = frs(j.at("account_path"));
  p.pool_root = fr(j.at("pool_root"));
  if (j.contains("pool")) {
    const json& q = j.at("pool");
    node::LpExitData lp;
    lp.pool = static_cast<uint32_t>(node_uint(q.at("pool"), "pool", UINT32_MAX));
    const auto leaf = frs(q.at("leaf"));
    if (leaf.size() != 4) throw rpc::TransportError("node returned a malformed pool leaf");
    std::copy(leaf.begin(), leaf.end(), lp.leaf_fields.begin());
    lp.pool_path = frs(q.at("path"));
    lp.pair_root = fr(q.at("pair_root"));
    lp.num_pools = static_cast<uint32_t>(node_uint(q.at("num_pools"), "pool count", UINT32_MAX));
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
  std::string err;
  auto k = load_l1_key(L1KeyOptions{o.l1_key_file, "ZKAMM_L1_KEY"}, &err);
  if (!k) throw std::invalid_argument(err);
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
    if (!needs_key) return;
    c->add_option("--nonce", o->nonce, "use this nonce (default: the account's next one)");
    c->add_flag("--sign-only", o->sign_only, "print the signed transaction and its hash; send nothing (`wallet send`)");
    c->add_option("--chain-id", o->chain_id, "signature domain: L1 chain id (with --rollup; default: the node's)");
    c->add_option("--rollup", o->rollup, "signature domain: rollup address (with --chain-id)");
  };
  auto with_deadline = [o](CLI::App* c) {
    c->add_option("--deadline-secs", o->deadline_secs, "deadline = now + this (default 600)");
  };
  const WalletBind bind = [o, &exit_code](CLI::App* c, std::function<int()> f) {
    c->add_flag("--json", o->json_output, "print failures as JSON on stdout too (exit code 1)");
    c->callback([o, f, &exit_code] { exit_code = run_guarded(f, o->json_output); });
  };

  auto* create = w->add_subcommand("create", "new Baby Jubjub key file (mode 0600; the key is never printed)");
  create->add_option("--out", o->out, "key file to create")->required();
  create->add_option("--account", o->account, "account index to record in the file");
  bind(create, [o] { return run_create(*o); });

  auto* imp = w->add_subcommand(
      "import", "key file (mode 0600) from a known private key read from a file or an environment variable, never argv");
  imp->add_option("--out", o->out, "key file to create")->required();
  imp->add_option("--from-file", o->import_file, "file holding the private key (0x + 64 hex digits)");
  imp->add_option("--from-env", o->import_env, "else the environment variable holding it")->capture_default_str();
  imp->add_option("--account", o->account, "account index to record in the file");
  bind(imp, [o] { return run_import(*o); });

  auto* send = w->add_subcommand("send", "send a transaction signed with --sign-only");
  send->add_option("FILE", o->tx_file, "--sign-only's output (or a transaction object)")->required();
  send->add_option("--url", o->url, "node JSON-RPC URL");
  send->add_option("--timeout-ms", o->timeout_ms, "wait at most this long for soft finality");
  bind(send, [o] { return run_send(*o); });

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

  auto* swap = w->add_subcommand("swap", "Uniswap V2 swap: --amount-in X [--min-out Y], or --amount-out X [--max-in Y] (default: quote -/+ --slippage-bps)");
  net(swap, true);
  with_deadline(swap);
  swap->add_option("--in", o->token_in, "token sold")->required();
  swap->add_option("--out", o->token_out, "token bought")->required();
  swap->add_option("--amount-in", o->amount_in, "exact input amount");
  swap->add_option("--min-out", o->min_out, "minimum output (slippage bound) for --amount-in");
  swap->add_option("--amount-out", o->amount_out, "exact output amount");
  swap->add_option("--max-in", o->max_in, "maximum input for --amount-out");
  swap->add_option("--slippage-bps", o->slippage_bps,
                   "without --min-out / --max-in: the node's quote less / plus this many basis points")
      ->capture_default_str();
  bind(swap, [o] {
    const Signer s = load_signer(*o);
    if (!o->amount_in.empty() == !o->amount_out.empty())
      throw std::invalid_argument("give exactly one of --amount-in or --amount-out");
    if (!o->amount_in.empty()) {
      tx::SwapExactIn t;
      t.account = s.account;
      t.token_in = token_or_throw(o->token_in, "--in");
      t.token_out = token_or_throw(o->token_out, "--out");
      t.amount_in = amount_or_throw(o->amount_in, "--amount-in");
      t.amount_out_min = o->min_out.empty() ? quoted_limit(*o, t.token_in, t.token_out, true, t.amount_in)
                                            : amount_or_throw(o->min_out, "--min-out");
      t.deadline = deadline(*o);
      return sign_and_send(*o, s, t);
    }
    tx::SwapExactOut t;
    t.account = s.account;
    t.token_in = token_or_throw(o->token_in, "--in");
    t.token_out = token_or_throw(o->token_out, "--out");
    t.amount_out = amount_or_throw(o->amount_out, "--amount-out");
    t.amount_in_max = o->max_in.empty() ? quoted_limit(*o, t.token_in, t.token_out, false, t.amount_out)
                                        : amount_or_throw(o->max_in, "--max-in");
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

  auto* gen = w->add_subcommand("new-genesis", "DEVNET ONLY: a genesis with N funded accounts (keys inside)");
  gen->add_option("--out", o->out, "genesis JSON to write")->required();
  gen->add_option("--accounts", o->accounts, "funded accounts (indices 1..N; account 1 provides the pools)");
  gen->add_option("--tokens", o->tokens, "ERC-20 tokens 1..T (pools T1/T2, T2/T3, ...)");
  gen->add_option("--balance", o->balance, "balance of every token (and ETH) per account");
  gen->add_option("--pool-amount", o->pool_amount, "reserve of each token per pool");
  gen->add_option("--seed", o->seed, "key derivation seed");
  gen->add_option("--keys-dir", o->keys_dir, "also write key files account-I.json (first 1000 accounts)");
  bind(gen, [o] { return run_new_genesis(*o); });

  register_wallet_l1(w, bind);
}

}  // namespace zkamm::app
