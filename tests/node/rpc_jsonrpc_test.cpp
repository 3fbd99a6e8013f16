// JSON-RPC 2.0 dispatcher: every rule of https://www.jsonrpc.org/specification section 4-6
// (request validation, notifications, batches, id echo, error codes), plus zkamm's limits (batch
// size, nesting depth) and exception containment. Self-contained: no node, no network.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "node/rpc_jsonrpc.hpp"
#include "node/rpc_views.hpp"
#include "node/rpc_workers.hpp"

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

// Every method's integer params (uint_arg, count_arg) and the wallet's reading of answers go
// through uint_from_json: only integers in [0, max] pass; a float, however large, is refused, not
// converted (json::get<uint32_t> of 6e54 is undefined behaviour, found by fuzz.jsonrpc).
TEST(RpcViews, UintFromJsonTakesOnlyIntegersInRange) {
  using nlohmann::json;
  EXPECT_EQ(uint_from_json(json::parse("0"), 0), 0u);
  EXPECT_EQ(uint_from_json(json::parse("4294967295"), UINT32_MAX), UINT32_MAX);
  EXPECT_EQ(uint_from_json(json::parse("4294967296"), UINT32_MAX), std::nullopt);
  EXPECT_EQ(uint_from_json(json::parse("18446744073709551615"), UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(uint_from_json(json(int64_t{7}), 7), 7u);  // built from a signed int, not parsed
  for (const char* bad : {"-1", "-9223372036854775808", "1.0", "0.5", "6111111111111111111111111111111111111111111111111111111",
                          "1e3", "\"5\"", "true", "null", "[1]", "{}"})
    EXPECT_EQ(uint_from_json(json::parse(bad), UINT64_MAX), std::nullopt) << bad;
  EXPECT_EQ(uint_from_json(json(int64_t{-7}), UINT64_MAX), std::nullopt);
}

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

// Issue 17 item 1: heavy methods run on the worker pool, a payload is priced before it runs, and
// one connection cannot fill the pool or jump ahead of another.
namespace zkamm::node::rpc {
namespace {

/// Heavy calls that wait until the test opens the gate; records the order they ran in.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool open = false;
  std::size_t entered = 0;
  std::vector<std::string> order;
  void wait_open(const std::string& who) {
    std::unique_lock lock(mu);
    order.push_back(who);
    ++entered;
    cv.notify_all();
    cv.wait(lock, [&] { return open; });
  }
  void wait_entered(std::size_t n) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return entered >= n; });
  }
  void release() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

std::string slow_call(int id, const std::string& who) {
  std::string s = R"({"jsonrpc":"2.0","id":)";
  s += std::to_string(id);
  s += R"(,"method":"slow","params":[")";
  s += who;
  s += R"("]})";
  return s;
}

/// The calls as one batch.
std::string batch(std::initializer_list<std::string> calls) {
  std::string b = "[";
  for (const auto& c : calls) {
    if (b.size() > 1) b += ',';
    b += c;
  }
  b += ']';
  return b;
}

std::string batch_of(const std::string& call, int n) {
  std::string b = "[";
  for (int i = 0; i < n; ++i) {
    if (i) b += ',';
    b += call;
  }
  b += ']';
  return b;
}

struct PooledDispatcher {
  Gate gate;
  std::shared_ptr<WorkerPool> pool;
  Dispatcher d;
  PooledDispatcher(WorkerLimits wl, DispatcherLimits dl, std::size_t slow_units)
      : pool(std::make_shared<WorkerPool>(wl)), d(dl) {
    d.set_pool(pool);
    d.add_sync("slow", [this](const json& p, const CallContext&) {
      const std::string who = p.at(0).get<std::string>();
      gate.wait_open(who);
      return json(who);
    }, MethodCost{slow_units, true});
    d.add_sync("ping", [](const json&, const CallContext&) { return json("pong"); });
  }
  ~PooledDispatcher() {
    gate.release();
    pool->stop();
  }
  /// Starts a payload; the future gets its answer.
  std::future<std::string> start(const std::string& body, uint64_t connection) {
    auto p = std::make_shared<std::promise<std::string>>();
    auto f = p->get_future();
    CallContext ctx;
    ctx.connection = connection;
    d.handle(body, ctx, [p](std::string s) { p->set_value(std::move(s)); });
    return f;
  }
};

TEST(RpcJsonRpc, HeavyCallsRunOnThePoolNotOnTheCaller) {
  PooledDispatcher pd(WorkerLimits{1, 4, 16}, DispatcherLimits{}, 1);
  // handle() returns while the heavy call waits on the pool: the caller (an I/O thread) is free.
  auto heavy = pd.start(slow_call(1, "a"), 1);
  pd.gate.wait_entered(1);
  EXPECT_EQ(heavy.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  // Cheap calls of the same and other connections are answered inline meanwhile.
  auto cheap = pd.start(R"({"jsonrpc":"2.0","id":2,"method":"ping"})", 1);
  ASSERT_EQ(cheap.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(json::parse(cheap.get())["result"], "pong");
  pd.gate.release();
  EXPECT_EQ(json::parse(heavy.get())["result"], "a");
}

TEST(RpcJsonRpc, BatchOverTheCostLimitIsRefusedWholeBeforeAnythingRuns) {
  DispatcherLimits dl;
  dl.max_batch_cost = 100;
  PooledDispatcher pd(WorkerLimits{1, 4, 16}, dl, 50);
  const std::string over = batch({slow_call(1, "a"), slow_call(2, "b"), slow_call(3, "c")});
  const json r = json::parse(pd.start(over, 1).get());
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["error"]["code"], code::kTooLarge);
  EXPECT_EQ(r["error"]["data"]["cost"], 150);
  EXPECT_EQ(r["error"]["data"]["limit"], 100);
  EXPECT_EQ(pd.gate.entered, 0u);  // nothing ran
  pd.gate.release();
  const json ok = json::parse(pd.start(batch({slow_call(1, "a"), slow_call(2, "b")}), 1).get());
  ASSERT_TRUE(ok.is_array());
  EXPECT_EQ(ok[1]["result"], "b");
}

TEST(RpcJsonRpc, OneConnectionCannotQueueMoreThanItsShareOfHeavyCalls) {
  PooledDispatcher pd(WorkerLimits{1, 1, 16}, DispatcherLimits{}, 1);
  auto first = pd.start(slow_call(1, "a"), 7);
  pd.gate.wait_entered(1);
  const json refused = json::parse(pd.start(slow_call(2, "a2"), 7).get());  // answered at once
  EXPECT_EQ(refused["error"]["code"], code::kOverloaded);
  EXPECT_EQ(refused["error"]["data"]["limit"], 1);
  auto other = pd.start(slow_call(3, "b"), 8);  // another connection still gets its place
  EXPECT_EQ(other.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  pd.gate.release();
  EXPECT_EQ(json::parse(first.get())["result"], "a");
  EXPECT_EQ(json::parse(other.get())["result"], "b");
}

TEST(RpcJsonRpc, ALongHeavyBatchYieldsToOtherConnectionsBetweenSlices) {
  // One worker; each call costs a whole slice. Connection 1's batch of three starts first, yet
  // connection 2's call runs right after the batch's first slice, not after all three.
  PooledDispatcher pd(WorkerLimits{1, 4, 16}, DispatcherLimits{}, kHeavySliceUnits);
  auto whole = pd.start(batch({slow_call(1, "a1"), slow_call(2, "a2"), slow_call(3, "a3")}), 1);
  pd.gate.wait_entered(1);
  auto single = pd.start(slow_call(4, "b1"), 2);
  pd.gate.release();
  EXPECT_EQ(json::parse(single.get())["result"], "b1");
  const json r = json::parse(whole.get());
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2]["result"], "a3");
  EXPECT_EQ(pd.gate.order, (std::vector<std::string>{"a1", "b1", "a2", "a3"}));
}

TEST(RpcJsonRpc, ABatchWhoseAnswerOutgrowsTheLimitGetsOneShortError) {
  DispatcherLimits dl;
  dl.max_response_bytes = 10'000;
  Dispatcher d(dl);
  auto budget = std::make_shared<ByteBudget>(1 << 20);
  d.set_budget(budget);
  d.add_sync("big", [](const json&, const CallContext&) { return json(std::string(4000, 'x')); });
  const std::string big = R"({"jsonrpc":"2.0","id":1,"method":"big"})";
  const std::string small_batch = batch_of(big, 2), big_batch = batch_of(big, 3);
  EXPECT_EQ(json::parse(call(d, small_batch)).size(), 2u);
  const std::string out = call(d, big_batch);
  EXPECT_LT(out.size(), 300u);
  EXPECT_EQ(error_code(json::parse(out)), code::kTooLarge);
  EXPECT_EQ(budget->used(), 0u);  // every part given back
  EXPECT_LE(budget->peak(), 10'000u);
  // The shared budget caps the bytes of every response being assembled together.
  auto tight = std::make_shared<ByteBudget>(6'000);
  Dispatcher d2;
  d2.set_budget(tight);
  d2.add_sync("big", [](const json&, const CallContext&) { return json(std::string(4000, 'x')); });
  EXPECT_EQ(error_code(json::parse(call(d2, small_batch))), code::kTooLarge);
  EXPECT_EQ(tight->used(), 0u);
}

}  // namespace
}  // namespace zkamm::node::rpc
