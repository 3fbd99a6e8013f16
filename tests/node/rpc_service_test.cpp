// The zkamm_* JSON-RPC API end to end: a real Node (temporary RocksDB dir, devnet genesis) behind
// the HTTP server on a free loopback port, driven by rpc::Client. Checks every method's answer,
// that each kind of bad input gets a JSON-RPC error with a stable code and a reason while the
// node's state stays exactly as it was, that a signature made by circomlibjs is accepted
// (tests/tx/oracles/sign_tx.js, the independent oracle), and WebSocket subscriptions.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

#include "common/process.hpp"
#include "common/test_keys.hpp"
#include "hash/eddsa.hpp"
#include "node/node.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_service.hpp"
#include "node/rpc_views.hpp"
#include "node/ws_test_client.hpp"
#include "tx/encoding.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"

namespace zkamm::node::rpc {
namespace {

namespace fs = std::filesystem;

/// Account i (1-based) has test key i.
hash::PrivateKey key_of(uint32_t i) { return zkamm::testing::test_key(i); }

const char* kBalance = "1000000000000000000";     // 1e18 of each token per account
const char* kReserve = "1000000000000000000000";  // 1e21 per pool side

tx::Domain test_domain() {
  tx::Domain d;
  d.chain_id = 31337;
  for (std::size_t i = 0; i < d.rollup.size(); ++i) d.rollup[i] = static_cast<uint8_t>(0xa0 + i);
  return d;
}

class RpcService : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zkamm_rpc_test_" + std::to_string(std::random_device{}()));
    NodeConfig nc;
    nc.data_dir = dir_.string();
    nc.block_time = std::chrono::milliseconds(10);
    nc.batch_slots = 4;
    nc.batch_timeout = std::chrono::milliseconds(100);
    nc.domain = test_domain();
    node_ = std::make_unique<Node>(nc);
    ASSERT_EQ(node_->error(), "");
    json accounts = json::array();
    for (uint32_t i = 1; i <= 3; ++i)
      accounts.push_back({{"private_key", hex0x(key_of(i).data(), 32)},
                          {"balances", {{"0", kBalance}, {"1", kBalance}, {"2", kBalance}}}});
    const json genesis = {
        {"tokens", {"0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222"}},
        {"accounts", accounts},
        {"pools", {{{"token_a", 1}, {"token_b", 2}, {"amount_a", kReserve}, {"amount_b", kReserve}, {"provider", 1}}}}};
    ASSERT_EQ(node_->load_genesis_json(genesis.dump()), "");
    ServiceConfig sc;
    sc.server.port = 0;
    sc.server.body_limit = 64 << 10;
    sc.limits.max_batch = 8;
    service_ = std::make_unique<Service>(*node_, sc);
    std::string err;
    ASSERT_TRUE(service_->start(&err)) << err;
    client_ = std::make_unique<Client>(Endpoint{"127.0.0.1", service_->port()}, std::chrono::seconds(20));
  }
  void TearDown() override {
    client_.reset();
    if (service_) service_->stop();
    service_.reset();
    if (node_) node_->stop();
    node_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  uint32_t nonce_of(uint32_t account) {
    return client_->call("zkamm_getAccount", json::array({account}))["nonce"].get<uint32_t>();
  }

  tx::SwapExactIn swap(uint32_t account, const char* amount_in, const char* min_out = "1") {
    tx::SwapExactIn s;
    s.account = account;
    s.token_in = 1;
    s.token_out = 2;
    s.amount_in = *tx::amount_from_decimal(amount_in);
    s.amount_out_min = *tx::amount_from_decimal(min_out);
    s.deadline = 4'000'000'000ull;
    s.nonce = nonce_of(account);
    return s;
  }

  json signed_json(tx::Tx t, uint32_t key_index) {
    EXPECT_TRUE(tx::sign(t, key_of(key_index), test_domain()));
    return tx::to_json(t);
  }

  /// Sends through zkamm_sendTransactionSync; the error object (or null on success).
  json send_sync_error(const json& tx_json) {
    try {
      client_->call("zkamm_sendTransactionSync", json::array({tx_json, 5000}));
    } catch (const RpcError& e) {
      return json{{"code", e.code}, {"message", e.message}, {"data", e.data}};
    }
    return nullptr;
  }

  fs::path dir_;
  std::unique_ptr<Node> node_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<Client> client_;
};

TEST_F(RpcService, SwapThroughRpcAndEveryReadMethod) {
  EXPECT_EQ(client_->call("zkamm_chainId"), "31337");
  const json dom = client_->call("zkamm_domain");
  EXPECT_EQ(dom["rollup"], hex0x(test_domain().rollup.data(), 20));

  const json quote = client_->call("zkamm_quote", json{{"token_in", 1}, {"token_out", 2}, {"amount_in", "1000000"}});
  const json res = client_->call("zkamm_sendTransactionSync", json::array({signed_json(swap(2, "1000000"), 2)}));
  EXPECT_EQ(res["status"], "soft");
  EXPECT_GE(res["block"].get<uint64_t>(), 1u);
  EXPECT_EQ(res["executed"]["amount_out"], quote["amount_out"]);
  EXPECT_GT(res["times"]["soft"].get<uint64_t>(), 0u);

  const json info = client_->call("zkamm_getTransaction", json::array({res["hash"]}));
  EXPECT_EQ(info["status"], "soft");
  EXPECT_EQ(info["tx"]["type"], "swap_exact_in");

  const json acct = client_->call("zkamm_getAccount", json::array({2}));
  EXPECT_EQ(acct["nonce"], 1);
  EXPECT_EQ(acct["balances"]["1"], "999999999999000000");
  const auto got = *tx::amount_from_decimal(acct["balances"]["2"].get<std::string>());
  EXPECT_EQ(got, *tx::amount_from_decimal(kBalance) + *tx::amount_from_decimal(quote["amount_out"].get<std::string>()));

  const json pool = client_->call("zkamm_getPool", json::array({2, 1}));
  EXPECT_EQ(pool["token0"], 1);
  EXPECT_EQ(pool["reserve0"], "1000000000000001000000");

  const json exact_out = client_->call("zkamm_quote", json{{"token_in", 1}, {"token_out", 2}, {"amount_out", "1000"}});
  EXPECT_EQ(exact_out["exact"], "out");

  const json block = client_->call("zkamm_getBlock", json::array({res["block"], true}));
  bool found = false;
  for (const auto& t : block["transactions"]) found = found || t["hash"] == res["hash"];
  EXPECT_TRUE(found);
  EXPECT_TRUE(client_->call("zkamm_getBlock", json::array({"latest"}))["number"].get<uint64_t>() >= 1);

  const json st = client_->call("zkamm_status");
  EXPECT_GE(st["head_block"].get<uint64_t>(), 1u);
  EXPECT_GE(st["soft_txs"].get<uint64_t>(), 1u);

  // Hex form of the canonical bytes, asynchronous send; then poll until soft.
  tx::Tx t2 = swap(3, "5000");
  ASSERT_TRUE(tx::sign(t2, key_of(3), test_domain()));
  const json pending = client_->call("zkamm_sendTransaction", json::array({hex0x(tx::encode(t2))}));
  EXPECT_EQ(pending["status"], "pending");
  const auto h = tx::tx_hash(t2);
  EXPECT_EQ(pending["hash"], hex0x(h.data(), h.size()));
  std::string status;
  for (int i = 0; i < 500 && status != "soft"; ++i) {
    status = client_->call("zkamm_getTransaction", json::array({pending["hash"]}))["status"];
    if (status != "soft") std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(status, "soft");

  EXPECT_EQ(client_->get("/health").first, 200u);
  const std::string metrics = client_->get("/metrics").second;
  EXPECT_NE(metrics.find("zkamm_txs_accepted_total 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("zkamm_soft_latency_seconds_count"), std::string::npos);
  EXPECT_NE(metrics.find("zkamm_blocks_total"), std::string::npos);
}

TEST_F(RpcService, BadInputGetsAnErrorAndLeavesStateUnchanged) {
  // One good swap first, so that replays have something to replay.
  const json good = signed_json(swap(2, "1000"), 2);
  ASSERT_EQ(client_->call("zkamm_sendTransactionSync", json::array({good}))["status"], "soft");
  ASSERT_TRUE(node_->flush());
  const state::State before = node_->state_copy();
  const uint64_t head_before = node_->status().head_block;

  // Transport- and protocol-level garbage.
  auto raw_code = [&](const std::string& body, unsigned want_status) {
    auto [status, text] = client_->post(body);
    EXPECT_EQ(status, want_status) << body.substr(0, 80);
    const json r = json::parse(text, nullptr, false);
    EXPECT_TRUE(r.is_object()) << text;
    EXPECT_TRUE(r.contains("error")) << text;
    EXPECT_FALSE(r["error"]["message"].get<std::string>().empty());
    return r["error"]["code"].get<int>();
  };
  EXPECT_EQ(raw_code("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", 200), code::kParseError);
  EXPECT_EQ(raw_code(std::string(70 << 10, '['), 413), code::kTooLarge);
  EXPECT_EQ(raw_code("[" + std::string(300, '[') + "]", 200), code::kParseError);
  std::string over = "[";
  for (int i = 0; i < 9; ++i) over += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"zkamm_status"})";
  EXPECT_EQ(raw_code(over + "]", 200), code::kInvalidRequest);

  auto call_code = [&](const std::string& method, const json& params) {
    try {
      client_->call(method, params);
    } catch (const RpcError& e) {
      EXPECT_FALSE(e.message.empty());
      return e.code;
    }
    return 0;
  };
  EXPECT_EQ(call_code("zkamm_nope", json::array()), code::kMethodNotFound);
  EXPECT_EQ(call_code("zkamm_getAccount", json::array({"two"})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_getAccount", json::array({-1})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_getAccount", json::array({1u << 24})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_getAccount", json::array({999})), code::kNotFound);
  EXPECT_EQ(call_code("zkamm_getTransaction", json::array({"0x1234"})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_getTransaction", json::array({"0x" + std::string(64, '0')})), code::kNotFound);
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array({"0xzz"})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array({42})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array()), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array({json{{"type", "swap_exact_in"}, {"account", "2"}}})),
            code::kInvalidParams);
  json amount_as_number = good;
  amount_as_number["amount_in"] = 1000;
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array({amount_as_number})), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_sendTransaction", json::array({"0x0401"})), code::kRejected);  // truncated bytes
  EXPECT_EQ(call_code("zkamm_quote", json{{"token_in", 1}, {"token_out", 2}}), code::kInvalidParams);
  EXPECT_EQ(call_code("zkamm_quote", json{{"token_in", 1}, {"token_out", 3}, {"amount_in", "5"}}), code::kNotFound);
  EXPECT_EQ(call_code("zkamm_subscribe", json::array({"newBlocks"})), code::kUnsupported);

  // Transactions the node must reject, each with its reason.
  struct Case {
    const char* name;
    json tx;
    const char* want;  ///< RejectCode name
  };
  std::vector<Case> cases;
  {
    json bad_sig = signed_json(swap(2, "1000"), 3);  // signed with account 3's key
    cases.push_back({"bad signature", bad_sig, "bad_signature"});
    cases.push_back({"replay", good, ""});  // duplicate or nonce_too_low
    tx::SwapExactIn old = swap(2, "1001");
    old.nonce = 0;
    cases.push_back({"replayed nonce", signed_json(old, 2), "nonce_too_low"});
    tx::SwapExactIn gap = swap(2, "1000");
    gap.nonce += 1000;
    cases.push_back({"gapped nonce", signed_json(gap, 2), "nonce_gap"});
    tx::SwapExactIn expired = swap(2, "1000");
    expired.deadline = 1;
    cases.push_back({"expired deadline", signed_json(expired, 2), "deadline_expired"});
    cases.push_back({"slippage", signed_json(swap(2, "1000", "1000000"), 2), "slippage"});
    cases.push_back({"insufficient balance", signed_json(swap(2, "2000000000000000000"), 2), "insufficient_balance"});
    tx::SwapExactIn nopool = swap(2, "1000");
    nopool.token_out = 0;
    cases.push_back({"unknown pool", signed_json(nopool, 2), "pool_not_found"});
    tx::Transfer unknown;
    unknown.from = 77;
    unknown.to = 1;
    unknown.token = 1;
    unknown.amount = 5;
    cases.push_back({"unknown account", signed_json(unknown, 2), "unknown_account"});
  }
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const json e = send_sync_error(c.tx);
    ASSERT_TRUE(e.is_object());
    EXPECT_EQ(e["code"], code::kRejected);
    EXPECT_FALSE(e["data"]["reason"].get<std::string>().empty() && e["data"]["name"].get<std::string>().empty());
    EXPECT_TRUE(e["data"]["code"].is_number());
    if (*c.want) {
      EXPECT_EQ(e["data"]["name"], c.want) << e.dump();
    }
  }

  ASSERT_TRUE(node_->flush());
  EXPECT_TRUE(node_->state_copy() == before);
  EXPECT_EQ(node_->status().head_block, head_before);
  EXPECT_EQ(client_->get("/health").first, 200u);
  const std::string metrics = client_->get("/metrics").second;
  EXPECT_NE(metrics.find("zkamm_txs_rejected_total{code=\"bad_signature\"} 1"), std::string::npos) << metrics;
}

TEST_F(RpcService, CircomlibjsSignatureIsAccepted) {
  // The oracle signs our JSON form with circomlibjs' signPoseidon over its own packing of M.
  const json unsigned_tx = tx::to_json(swap(3, "123456"));
  const tx::Domain d = test_domain();
  const json req = json::array(
      {{{"tx", unsigned_tx},
        {"domain", {{"chain_id", std::to_string(d.chain_id)}, {"rollup", hex0x(d.rollup.data(), 20)}}},
        {"prv", hex0x(key_of(3).data(), 32)}}});
  const auto oracle = zkamm::testing::run_node_oracle(fs::path(ZKAMM_SOURCE_DIR) / "tests/tx/oracles/sign_tx.js", req);
  ASSERT_TRUE(oracle.ok()) << oracle.cmd;
  ASSERT_FALSE(oracle.answer.is_discarded()) << oracle.out;
  const json& ans = oracle.answer;
  json signed_tx = unsigned_tx;
  signed_tx["signature"] = ans[0]["signature"];
  const json res = client_->call("zkamm_sendTransactionSync", json::array({signed_tx}));
  EXPECT_EQ(res["status"], "soft");
  // And a one-bit change to their signature is refused.
  std::string sig = ans[0]["signature"];
  sig[10] = sig[10] == '0' ? '1' : '0';
  signed_tx["signature"] = sig;
  signed_tx["nonce"] = nonce_of(3);
  EXPECT_EQ(send_sync_error(signed_tx)["code"], code::kRejected);
}

TEST_F(RpcService, WebSocketSubscriptions) {
  zkamm::testing::WsClient ws;
  ASSERT_EQ(ws.connect(service_->port()), std::nullopt);
  auto send = [&](const json& j) { ws.write(j.dump()); };
  auto read = [&]() { return json::parse(ws.read()); };
  send({{"jsonrpc", "2.0"}, {"id", 1}, {"method", "zkamm_subscribe"}, {"params", {"newBlocks"}}});
  const json sub = read();
  ASSERT_TRUE(sub["result"].is_string()) << sub.dump();
  const std::string blocks_id = sub["result"];

  tx::Tx t = swap(2, "777");
  ASSERT_TRUE(tx::sign(t, key_of(2), test_domain()));
  const auto h = tx::tx_hash(t);
  send({{"jsonrpc", "2.0"}, {"id", 2}, {"method", "zkamm_subscribe"}, {"params", {"txStatus", hex0x(h.data(), 32)}}});
  std::string tx_sub;
  for (int i = 0; i < 10 && tx_sub.empty(); ++i) {
    const json m = read();
    if (m.contains("id") && m["id"] == 2) tx_sub = m["result"];
  }
  ASSERT_FALSE(tx_sub.empty());
  client_->call("zkamm_sendTransaction", json::array({tx::to_json(t)}));

  bool saw_block = false, saw_soft = false;
  for (int i = 0; i < 200 && !(saw_block && saw_soft); ++i) {
    const json m = read();
    if (m.value("method", "") != "zkamm_subscription") continue;
    const auto& p = m["params"];
    if (p["subscription"] == blocks_id) {
      EXPECT_GE(p["result"]["number"].get<uint64_t>(), 1u);
      saw_block = true;
    } else if (p["subscription"] == tx_sub && p["result"]["status"] == "soft") {
      EXPECT_EQ(p["result"]["hash"], hex0x(h.data(), 32));
      saw_soft = true;
    }
  }
  EXPECT_TRUE(saw_block);
  EXPECT_TRUE(saw_soft);

  send({{"jsonrpc", "2.0"}, {"id", 3}, {"method", "zkamm_unsubscribe"}, {"params", {blocks_id}}});
  send({{"jsonrpc", "2.0"}, {"id", 4}, {"method", "zkamm_unsubscribe"}, {"params", {blocks_id}}});
  std::map<int, json> answers;
  for (int i = 0; i < 200 && answers.size() < 2; ++i) {
    const json m = read();
    if (m.contains("id")) answers[m["id"].get<int>()] = m["result"];
  }
  EXPECT_EQ(answers[3], true);
  EXPECT_EQ(answers[4], false);
  ws.close();
}

TEST_F(RpcService, WebSocketBlocksResumeFromANumber) {
  // A subscriber that lost its connection (e.g. its node failed over) resumes at a block number:
  // it gets every block from there once, in order, then the new ones.
  const uint64_t head = client_->call("zkamm_status", json::array())["head_block"];
  ASSERT_GE(head, 2u);
  zkamm::testing::WsClient ws;
  ASSERT_EQ(ws.connect(service_->port()), std::nullopt);
  ws.write(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "zkamm_subscribe"},
                {"params", json::array({"newBlocks", {{"from", 2}}})}}
               .dump());
  tx::Tx t = swap(2, "777");
  ASSERT_TRUE(tx::sign(t, key_of(2), test_domain()));
  client_->call("zkamm_sendTransactionSync", json::array({tx::to_json(t)}));
  std::vector<uint64_t> numbers;
  for (int i = 0; i < 200 && (numbers.empty() || numbers.back() <= head); ++i) {
    const json m = json::parse(ws.read());
    if (m.value("method", "") == "zkamm_subscription") numbers.push_back(m["params"]["result"]["number"]);
  }
  ASSERT_FALSE(numbers.empty());
  for (std::size_t i = 0; i < numbers.size(); ++i) EXPECT_EQ(numbers[i], 2 + i);
  EXPECT_GT(numbers.back(), head);
  ws.close();
}

// The web explorer (docs/EXPLORER.md) on the RPC port: GET / is the page, /explorer/<file> its
// assets, anything else stays 404, and JSON-RPC on POST / is unchanged beside it.
TEST_F(RpcService, ServesTheExplorerBesideJsonRpc) {
  const auto page = client_->get("/");
  EXPECT_EQ(page.first, 200u);
  EXPECT_NE(page.second.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(page.second.find("/explorer/app.js"), std::string::npos);
  EXPECT_EQ(client_->get("/explorer/app.js").first, 200u);
  EXPECT_EQ(client_->get("/explorer/style.css").first, 200u);
  EXPECT_EQ(client_->get("/explorer/").second, page.second);
  EXPECT_EQ(client_->get("/explorer/nothing.js").first, 404u);
  EXPECT_EQ(client_->get("/explorer/../metrics").first, 404u);
  EXPECT_EQ(client_->get("/index.html").first, 404u);
  EXPECT_EQ(client_->call("zkamm_chainId"), "31337");
  EXPECT_EQ(client_->get("/health").first, 200u);
}

// The explorer's read methods: lists newest first, every pool, a pool's recent swaps, the live
// figures; and what a layer above the node adds through ExplorerHooks.
TEST_F(RpcService, ExplorerReadMethods) {
  const json res = client_->call("zkamm_sendTransactionSync", json::array({signed_json(swap(2, "1000000"), 2)}));
  ASSERT_EQ(res["status"], "soft");
  ASSERT_TRUE(node_->flush());

  const json blocks = client_->call("zkamm_getBlocks", json::array({3}));
  ASSERT_TRUE(blocks.is_array());
  ASSERT_FALSE(blocks.empty());
  EXPECT_LE(blocks.size(), 3u);
  EXPECT_EQ(blocks[0]["number"], node_->status().head_block);
  for (std::size_t i = 1; i < blocks.size(); ++i)
    EXPECT_EQ(blocks[i]["number"].get<uint64_t>() + 1, blocks[i - 1]["number"].get<uint64_t>());
  const json older = client_->call("zkamm_getBlocks", json{{"count", 1}, {"before", blocks[0]["number"]}});
  ASSERT_EQ(older.size(), 1u);
  EXPECT_EQ(older[0]["number"].get<uint64_t>() + 1, blocks[0]["number"].get<uint64_t>());

  const json pools = client_->call("zkamm_getPools");
  ASSERT_EQ(pools.size(), 1u);
  EXPECT_EQ(pools[0]["id"], 0);
  EXPECT_EQ(pools[0]["lp_token"], 512);
  const json swaps = client_->call("zkamm_getPoolSwaps", json::array({2, 1}));
  ASSERT_EQ(swaps.size(), 1u);
  EXPECT_EQ(swaps[0]["hash"], res["hash"]);
  EXPECT_EQ(swaps[0]["amount_in"], "1000000");
  EXPECT_EQ(swaps[0]["amount_out"], res["executed"]["amount_out"]);
  EXPECT_EQ(swaps[0]["account"], 2);

  const json m = client_->call("zkamm_metrics");
  EXPECT_GE(m["soft_txs"].get<uint64_t>(), 1u);
  EXPECT_GT(m["soft_tps"].get<double>(), 0.0);  // the swap was sealed within the window
  EXPECT_EQ(m["soft_latency_ms"]["count"], 1);
  EXPECT_GE(m["block_fill"]["blocks"].get<uint64_t>(), 1u);
  EXPECT_TRUE(m["settle"].is_null());  // a bare node: no prover, no L1

  // Wait for the batch timeout to close the swap's batch, the last one: genesis's batches close
  // before it, so "some batch exists" would race with the swap's.
  json swap_batch;
  for (int i = 0; i < 500; ++i) {
    swap_batch = client_->call("zkamm_getTransaction", json::array({res["hash"]}))["batch"];
    if (!swap_batch.is_null() && node_->status().last_batch >= swap_batch.get<uint64_t>()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(swap_batch.is_null());
  ASSERT_EQ(node_->status().last_batch, swap_batch.get<uint64_t>());
  const json batches = client_->call("zkamm_getBatches", json::array({32}));
  ASSERT_FALSE(batches.empty());
  EXPECT_EQ(batches[0]["number"], swap_batch);
  EXPECT_EQ(batches.back()["number"], 1);
  EXPECT_TRUE(batches[0]["settle"].is_null());

  EXPECT_THROW(client_->call("zkamm_getBlocks", json::array({33})), RpcError);  // over the list cap
  EXPECT_THROW(client_->call("zkamm_getPoolSwaps", json::array({1, 1})), RpcError);

  // A second service over the same node, with the hooks a settlement layer sets.
  ServiceConfig sc;
  sc.server.port = 0;
  Service hooked(*node_, sc);
  ExplorerHooks hooks;
  hooks.batch = [](uint64_t n) { return json{{"prove_ms", 10 * n}}; };
  hooks.metrics = [] { return json{{"prover_queue", 7}}; };
  hooked.set_explorer_hooks(hooks);
  std::string err;
  ASSERT_TRUE(hooked.start(&err)) << err;
  Client c2(Endpoint{"127.0.0.1", hooked.port()}, std::chrono::seconds(20));
  EXPECT_EQ(c2.call("zkamm_metrics")["settle"]["prover_queue"], 7);
  EXPECT_EQ(c2.call("zkamm_getBatches", json::array({1}))[0]["settle"]["prove_ms"], 10 * node_->status().last_batch);
  EXPECT_EQ(c2.call("zkamm_getBatch", json::array({1}))["settle"]["prove_ms"], 10);
  hooked.stop();
}

}  // namespace
}  // namespace zkamm::node::rpc
