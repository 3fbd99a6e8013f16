#include "node/rpc_jsonrpc.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include "node/rpc_workers.hpp"

namespace zkamm::node::rpc {

namespace {

json error_object(int c, const std::string& message, const json& data) {
  json e = {{"code", c}, {"message", message}};
  if (!data.is_null()) e["data"] = data;
  return e;
}

json response(const json& id, bool ok, json value) {
  json r = {{"jsonrpc", "2.0"}};
  r[ok ? "result" : "error"] = std::move(value);
  r["id"] = id;
  return r;
}

std::string dump(const json& j) {
  // Replace invalid UTF-8 instead of throwing: method results may echo user strings.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// Runs a method, turning whatever it throws into the call's error.
void run_method(const Method& fn, const json& params, const CallContext& ctx, const Responder& r) noexcept {
  try {
    fn(params, ctx, r);
  } catch (const RpcError& e) {
    r.fail(e);
  } catch (const json::exception& e) {
    r.fail(RpcError(code::kInvalidParams, std::string("invalid params: ") + e.what()));
  } catch (...) {
    r.fail(RpcError(code::kInternal, "internal error"));
  }
}

std::string too_large_response(std::size_t limit) {
  return dump(response(nullptr, false,
                       error_object(code::kTooLarge,
                                    "response exceeds " + std::to_string(limit) + " bytes: ask for less per request",
                                    json{{"limit", limit}})));
}

}  // namespace

bool ByteBudget::try_take(std::size_t n) noexcept {
  std::size_t cur = used_.load(std::memory_order_acquire);
  do {
    if (n > limit_ || cur > limit_ - n) return false;
  } while (!used_.compare_exchange_weak(cur, cur + n, std::memory_order_acq_rel));
  std::size_t peak = peak_.load(std::memory_order_acquire);
  while (cur + n > peak && !peak_.compare_exchange_weak(peak, cur + n, std::memory_order_acq_rel)) {
  }
  return true;
}

void Responder::finish(bool ok, json value) const {
  if (state_->done.exchange(true)) return;
  try {
    state_->sink(ok, std::move(value));
  } catch (...) {
    // The transport's completion must not throw; nothing sensible is left to do here.
  }
}

Responder::State::~State() {
  if (done.exchange(true)) return;
  try {
    sink(false, error_object(code::kInternal, "internal error: the call was dropped", nullptr));
  } catch (...) {
  }
}

void Responder::fail(const RpcError& e) const { finish(false, error_object(e.code, e.message, e.data)); }

void Dispatcher::add(std::string name, Method m, MethodCost cost) {
  methods_[std::move(name)] = Entry{std::move(m), cost};
}

void Dispatcher::add_sync(std::string name, SyncMethod m, MethodCost cost) {
  add(std::move(name),
      [m = std::move(m)](const json& p, const CallContext& ctx, const Responder& r) { r.ok(m(p, ctx)); }, cost);
}

std::size_t Dispatcher::cost_of(const json& req) const noexcept {
  if (!req.is_object()) return 1;
  auto m = req.find("method");
  if (m == req.end() || !m->is_string()) return 1;
  auto it = methods_.find(m->get_ref<const std::string&>());
  return it == methods_.end() ? 1 : std::max<std::size_t>(1, it->second.cost.units);
}

std::string Dispatcher::error_response(int c, const std::string& message, const json& data) {
  return dump(response(nullptr, false, error_object(c, message, data)));
}

bool nesting_within(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

const json* param(const json& params, std::size_t pos, const char* name, bool required) {
  const json* found = nullptr;
  if (params.is_array()) {
    if (pos < params.size()) found = &params[pos];
  } else if (params.is_object()) {
    auto it = params.find(name);
    if (it != params.end()) found = &*it;
  } else if (!params.is_null()) {
    throw RpcError(code::kInvalidParams, "params must be an array or an object");
  }
  if (found && found->is_null()) found = nullptr;
  if (!found && required)
    throw RpcError(code::kInvalidParams, std::string("missing parameter '") + name + "' (position " +
                                             std::to_string(pos) + ")");
  return found;
}

void Dispatcher::submit_deferred(uint64_t connection, DeferredList list) const noexcept {
  if (list.empty()) return;
  auto shared = std::make_shared<DeferredList>(std::move(list));
  WorkerPool::Submit sub = WorkerPool::Submit::kStopped;
  try {
    sub = pool_->submit(connection, [this, connection, shared] { run_deferred(connection, shared, 0); });
  } catch (...) {
  }
  if (sub == WorkerPool::Submit::kOk) return;
  const RpcError e =
      sub == WorkerPool::Submit::kConnectionFull
          ? RpcError(code::kOverloaded, "too many heavy requests in flight on this connection; retry later",
                     json{{"limit", pool_->limits().per_connection}})
      : sub == WorkerPool::Submit::kPoolFull
          ? RpcError(code::kOverloaded, "too many heavy requests in flight; retry later",
                     json{{"limit", pool_->limits().max_queued}})
          : RpcError(code::kInternal, "node is shutting down");
  for (auto& d : *shared) d.r.fail(e);
}

void Dispatcher::run_deferred(uint64_t connection, std::shared_ptr<DeferredList> list, std::size_t from) const noexcept {
  std::size_t spent = 0, i = from;
  for (; i < list->size() && spent < kHeavySliceUnits; ++i) {
    Deferred& d = (*list)[i];
    run_method(*d.fn, d.params, d.ctx, d.r);
    spent += d.units;
    d.params = json();
  }
  if (i == list->size()) return;
  // The next slice waits behind every other connection's queued job. Refused only when the
  // pool stops: the remaining Responders then answer "dropped" as they die.
  try {
    (void)pool_->submit(connection, [this, connection, list, i] { run_deferred(connection, list, i); }, true);
  } catch (...) {
  }
}

void Dispatcher::call_one(const json& req, const CallContext& ctx, std::function<void(json)> done,
                          DeferredList* defer) const noexcept {
  json id = nullptr;
  bool notification = false;
  try {
    if (!req.is_object()) {
      done(response(nullptr, false, error_object(code::kInvalidRequest, "request must be an object", nullptr)));
      return;
    }
    auto id_it = req.find("id");
    notification = id_it == req.end();
    if (!notification) {
      if (!id_it->is_string() && !id_it->is_number() && !id_it->is_null()) {
        done(response(nullptr, false, error_object(code::kInvalidRequest, "id must be a string, number or null", nullptr)));
        return;
      }
      id = *id_it;
    }
    auto fail_now = [&](int c, const std::string& m) {
      done(notification ? json() : response(id, false, error_object(c, m, nullptr)));
    };
    auto ver = req.find("jsonrpc");
    if (ver == req.end() || !ver->is_string() || ver->get_ref<const std::string&>() != "2.0")
      return fail_now(code::kInvalidRequest, "jsonrpc must be \"2.0\"");
    auto m = req.find("method");
    if (m == req.end() || !m->is_string()) return fail_now(code::kInvalidRequest, "method must be a string");
    auto p = req.find("params");
    static const json kNoParams = json::array();
    const json& params = p == req.end() ? kNoParams : *p;
    if (!params.is_array() && !params.is_object())
      return fail_now(code::kInvalidRequest, "params must be an array or an object");
    auto it = methods_.find(m->get_ref<const std::string&>());
    if (it == methods_.end()) return fail_now(code::kMethodNotFound, "method not found");

    Responder r([done, id, notification](bool ok, json value) {
      done(notification ? json() : response(id, ok, std::move(value)));
    });
    const Entry& entry = it->second;
    if (!entry.cost.heavy || !pool_ || !defer) return run_method(entry.fn, params, ctx, r);
    // For the pool: copies of what it reads (the request dies with handle()).
    defer->push_back(Deferred{&entry.fn, params, ctx, std::move(r), std::max<std::size_t>(1, entry.cost.units)});
  } catch (...) {
    try {
      done(notification ? json() : response(id, false, error_object(code::kInternal, "internal error", nullptr)));
    } catch (...) {
    }
  }
}

void Dispatcher::handle(std::string_view body, const CallContext& ctx,
                        std::function<void(std::string)> done) const noexcept {
  try {
    if (!nesting_within(body, limits_.max_depth)) {
      done(error_response(code::kParseError, "JSON nested deeper than " + std::to_string(limits_.max_depth)));
      return;
    }
    json req = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (req.is_discarded()) {
      done(error_response(code::kParseError, "parse error: not valid JSON"));
      return;
    }
    const std::size_t max_bytes = limits_.max_response_bytes;
    DeferredList defer;
    if (!req.is_array()) {
      call_one(
          req, ctx,
          [done, max_bytes](json resp) {
            if (resp.is_null()) return done(std::string());
            std::string out = dump(resp);
            done(out.size() > max_bytes ? too_large_response(max_bytes) : std::move(out));
          },
          &defer);
      submit_deferred(ctx.connection, std::move(defer));
      return;
    }
    if (req.empty()) {
      done(error_response(code::kInvalidRequest, "empty batch"));
      return;
    }
    if (req.size() > limits_.max_batch) {
      done(error_response(code::kInvalidRequest,
                          "batch of " + std::to_string(req.size()) + " requests exceeds the limit of " +
                              std::to_string(limits_.max_batch),
                          json{{"limit", limits_.max_batch}}));
      return;
    }
    // Priced before anything runs: a batch of heavy calls is refused whole, not half-served.
    std::size_t cost = 0;
    for (const json& r : req) cost += cost_of(r);
    if (cost > limits_.max_batch_cost) {
      done(error_response(code::kTooLarge,
                          "batch costs " + std::to_string(cost) + " units, over the limit of " +
                              std::to_string(limits_.max_batch_cost) + ": split it (docs/API.md, method costs)",
                          json{{"cost", cost}, {"limit", limits_.max_batch_cost}}));
      return;
    }
    // Each answer is kept as text as soon as it comes (one JSON tree at a time, never the
    // batch's), its bytes counted against the response limit and the shared budget; past
    // either, the parts are freed and the batch is answered with one short error.
    struct Batch {
      std::mutex mu;
      std::vector<std::string> out;
      std::size_t remaining;
      std::size_t bytes = 0;
      bool over = false;
      std::shared_ptr<ByteBudget> budget;
      std::size_t max_bytes = 0;
      std::function<void(std::string)> done;
    };
    auto batch = std::make_shared<Batch>();
    batch->out.resize(req.size());
    batch->remaining = req.size();
    batch->budget = budget_;
    batch->max_bytes = max_bytes;
    batch->done = std::move(done);
    for (std::size_t i = 0; i < req.size(); ++i) {
      call_one(req[i], ctx, [batch, i](json resp) {
        std::string text = resp.is_null() ? std::string() : dump(resp);
        resp = json();
        text.shrink_to_fit();  // dump() grows by doubling: the budget counts what is really held
        std::unique_lock lock(batch->mu);
        if (!batch->over && !text.empty()) {
          const std::size_t n = text.size() + 1;  // and its comma
          if (batch->bytes + n > batch->max_bytes || (batch->budget && !batch->budget->try_take(n))) {
            batch->over = true;
            if (batch->budget) batch->budget->give(batch->bytes);
            batch->bytes = 0;
            std::vector<std::string>().swap(batch->out);
          } else {
            batch->bytes += n;
            batch->out[i] = std::move(text);
          }
        }
        if (--batch->remaining != 0) return;
        lock.unlock();
        if (batch->over) return batch->done(too_large_response(batch->max_bytes));
        std::string arr;
        arr.reserve(batch->bytes + 2);
        for (auto& r : batch->out) {
          if (r.empty()) continue;
          arr += arr.empty() ? '[' : ',';
          arr += r;
          std::string().swap(r);
        }
        if (!arr.empty()) arr += ']';
        const std::size_t taken = batch->bytes;
        batch->done(std::move(arr));
        if (batch->budget) batch->budget->give(taken);
      }, &defer);
    }
    submit_deferred(ctx.connection, std::move(defer));
  } catch (...) {
    try {
      done(error_response(code::kInternal, "internal error"));
    } catch (...) {
    }
  }
}

}  // namespace zkamm::node::rpc
