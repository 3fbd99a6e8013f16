// JSON-RPC 2.0 dispatcher: every rule of https://www.jsonrpc.org/specification section 4-6
// (request validation, notifications, batches, id echo, error codes), plus zkamm's limits (batch
// size, nesting depth) and exception containment. Self-contained: no node, no network.
#include <gtest/gtest.h>

#include <string>

#include "node/rpc_jsonrpc.hpp"

namespace zkamm::node::rpc {
namespace {

Dispatcher make(std::size_t max_batch = 4) {
  Dispatcher d(DispatcherLimits{max_batch, 16});
  d.add_sync("echo", [](const json& p, const CallContext&) { return p; });
  d.add_sync("add", [](const json& p, const CallContext&) {
    const json* a = param(p, 0, "a");
    const json* b = param(p, 1, "b");
    return json(a->get<int64_t>() + b->get<int64_t>());
  });
  d.add_sync("boom", [](const json&, const CallContext&) -> json { throw std::runtime_error("secret detail"); });
  d.add_sync("app_error", [](const json&, const CallContext&) -> json {
    throw RpcError(code::kRejected, "transaction rejected: bad_signature", json{{"code", 5}, {"reason", "x"}});
  });
  d.add("later", [](const json&, const CallContext&, const Responder& r) {
    r.ok("first");
    r.ok("second");  // ignored: a call completes once
  });
  return d;
}

std::string call(const Dispatcher& d, const std::string& body) {
  std::string out = "<not called>";
  d.handle(body, CallContext{}, [&](std::string s) { out = std::move(s); });
  return out;
}

json call_json(const Dispatcher& d, const std::string& body) {
  const std::string s = call(d, body);
  return s.empty() ? json() : json::parse(s);
}

int error_code(const json& r) { return r.at("error").at("code").get<int>(); }

TEST(RpcJsonRpc, SingleCallEchoesIdOfEveryType) {
  const auto d = make();
  for (const std::string id : {"1", "\"abc\"", "null", "-7", "1.5"}) {
    const json r = call_json(d, R"({"jsonrpc":"2.0","id":)" + id + R"(,"method":"add","params":[2,3]})");
    EXPECT_EQ(r["jsonrpc"], "2.0");
    EXPECT_EQ(r["result"], 5);
    EXPECT_EQ(r["id"], json::parse(id));
  }
  EXPECT_EQ(call_json(d, R"({"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1,"b":2}})")["result"], 3);
}

TEST(RpcJsonRpc, ParseErrors) {
  const auto d = make();
  for (const std::string bad : {"", "{", "{\"jsonrpc\":\"2.0\",", "nul", "[1,2", "\x01\x02", "{\"a\":1}}"}) {
    const json r = call_json(d, bad);
    EXPECT_EQ(error_code(r), code::kParseError) << bad;
    EXPECT_TRUE(r["id"].is_null());
  }
  // Nesting beyond the limit is refused before the recursive parser sees it.
  EXPECT_EQ(error_code(call_json(d, std::string(100000, '['))), code::kParseError);
  EXPECT_TRUE(nesting_within(R"({"a":"[[[[[[[[[[[[[[[[[[[["})", 2));
  EXPECT_FALSE(nesting_within("[[[", 2));
}

TEST(RpcJsonRpc, InvalidRequests) {
  const auto d = make();
  const char* cases[] = {
      R"(1)",
      R"("x")",
      R"({"id":1,"method":"add","params":[1,2]})",                  // no jsonrpc
      R"({"jsonrpc":"1.0","id":1,"method":"add","params":[1,2]})",  // wrong version
      R"({"jsonrpc":"2.0","id":1,"method":5})",                     // method not a string
      R"({"jsonrpc":"2.0","id":1})",                                // no method
      R"({"jsonrpc":"2.0","id":1,"method":"add","params":7})",      // params not structured
      R"({"jsonrpc":"2.0","id":{"a":1},"method":"add"})",           // id an object
      R"({"jsonrpc":"2.0","id":[1],"method":"add"})",               // id an array
      R"([])",                                                      // empty batch
  };
  for (const char* c : cases) EXPECT_EQ(error_code(call_json(d, c)), code::kInvalidRequest) << c;
}

TEST(RpcJsonRpc, MethodNotFoundAndInvalidParams) {
  const auto d = make();
  EXPECT_EQ(error_code(call_json(d, R"({"jsonrpc":"2.0","id":1,"method":"nope"})")), code::kMethodNotFound);
  EXPECT_EQ(error_code(call_json(d, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1]})")), code::kInvalidParams);
  // Wrong JSON type inside a method: nlohmann's type_error becomes invalid params, not a crash.
  EXPECT_EQ(error_code(call_json(d, R"({"jsonrpc":"2.0","id":1,"method":"add","params":["x",1]})")),
            code::kInvalidParams);
}

TEST(RpcJsonRpc, ExceptionsAreContainedAndDoNotLeak) {
  const auto d = make();
  const json r = call_json(d, R"({"jsonrpc":"2.0","id":9,"method":"boom"})");
  EXPECT_EQ(error_code(r), code::kInternal);
  EXPECT_EQ(r["id"], 9);
  EXPECT_EQ(r.dump().find("secret"), std::string::npos);
  const json a = call_json(d, R"({"jsonrpc":"2.0","id":9,"method":"app_error"})");
  EXPECT_EQ(error_code(a), code::kRejected);
  EXPECT_EQ(a["error"]["data"]["code"], 5);
  EXPECT_EQ(call_json(d, R"({"jsonrpc":"2.0","id":1,"method":"later"})")["result"], "first");
}

TEST(RpcJsonRpc, NotificationsGetNoResponse) {
  const auto d = make();
  EXPECT_EQ(call(d, R"({"jsonrpc":"2.0","method":"add","params":[1,2]})"), "");
  EXPECT_EQ(call(d, R"({"jsonrpc":"2.0","method":"nope"})"), "");
  EXPECT_EQ(call(d, R"([{"jsonrpc":"2.0","method":"add","params":[1,2]},{"jsonrpc":"2.0","method":"x"}])"), "");
}

TEST(RpcJsonRpc, BatchesKeepOrderSkipNotificationsAndObeyTheLimit) {
  const auto d = make(4);
  const json r = call_json(d, R"([{"jsonrpc":"2.0","id":1,"method":"add","params":[1,1]},
                                  {"jsonrpc":"2.0","method":"add","params":[5,5]},
                                  {"jsonrpc":"2.0","id":"b","method":"nope"},
                                  1])");
  ASSERT_TRUE(r.is_array());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0]["result"], 2);
  EXPECT_EQ(r[0]["id"], 1);
  EXPECT_EQ(error_code(r[1]), code::kMethodNotFound);
  EXPECT_EQ(r[1]["id"], "b");
  EXPECT_EQ(error_code(r[2]), code::kInvalidRequest);
  const json over = call_json(d, R"([{"jsonrpc":"2.0","id":1,"method":"echo"},{"jsonrpc":"2.0","id":2,"method":"echo"},
                                     {"jsonrpc":"2.0","id":3,"method":"echo"},{"jsonrpc":"2.0","id":4,"method":"echo"},
                                     {"jsonrpc":"2.0","id":5,"method":"echo"}])");
  EXPECT_EQ(error_code(over), code::kInvalidRequest);
  EXPECT_EQ(over["error"]["data"]["limit"], 4);
}

}  // namespace
}  // namespace zkamm::node::rpc

namespace zkamm::node::rpc {
namespace {

TEST(RpcJsonRpc, ADroppedCallStillGetsAnAnswer) {
  Dispatcher d;
  d.add("lose", [](const json&, const CallContext&, const Responder&) {});  // never answers
  std::string out;
  d.handle(R"({"jsonrpc":"2.0","id":3,"method":"lose"})", CallContext{}, [&](std::string s) { out = std::move(s); });
  const json r = json::parse(out);
  EXPECT_EQ(r["error"]["code"], code::kInternal);
  EXPECT_EQ(r["id"], 3);
}

}  // namespace
}  // namespace zkamm::node::rpc
