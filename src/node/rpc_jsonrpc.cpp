#include "node/rpc_jsonrpc.hpp"

#include <mutex>
#include <vector>

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

}  // namespace

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

void Dispatcher::add(std::string name, Method m) { methods_[std::move(name)] = std::move(m); }

void Dispatcher::add_sync(std::string name, SyncMethod m) {
  methods_[std::move(name)] = [m = std::move(m)](const json& p, const CallContext& ctx, const Responder& r) {
    r.ok(m(p, ctx));
  };
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

void Dispatcher::call_one(const json& req, const CallContext& ctx, std::function<void(json)> done) const noexcept {
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
    try {
      it->second(params, ctx, r);
    } catch (const RpcError& e) {
      r.fail(e);
    } catch (const json::exception& e) {
      r.fail(RpcError(code::kInvalidParams, std::string("invalid params: ") + e.what()));
    } catch (const std::exception&) {
      r.fail(RpcError(code::kInternal, "internal error"));
    } catch (...) {
      r.fail(RpcError(code::kInternal, "internal error"));
    }
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
    if (!req.is_array()) {
      call_one(req, ctx, [done](json resp) { done(resp.is_null() ? std::string() : dump(resp)); });
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
    struct Batch {
      std::mutex mu;
      std::vector<json> out;
      std::size_t remaining;
      std::function<void(std::string)> done;
    };
    auto batch = std::make_shared<Batch>();
    batch->out.resize(req.size());
    batch->remaining = req.size();
    batch->done = std::move(done);
    for (std::size_t i = 0; i < req.size(); ++i) {
      call_one(req[i], ctx, [batch, i](json resp) {
        std::unique_lock lock(batch->mu);
        batch->out[i] = std::move(resp);
        if (--batch->remaining != 0) return;
        json arr = json::array();
        for (auto& r : batch->out)
          if (!r.is_null()) arr.push_back(std::move(r));
        lock.unlock();
        batch->done(arr.empty() ? std::string() : dump(arr));
      });
    }
  } catch (...) {
    try {
      done(error_response(code::kInternal, "internal error"));
    } catch (...) {
    }
  }
}

}  // namespace zkamm::node::rpc
