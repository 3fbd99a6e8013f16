// libFuzzer target: the JSON-RPC 2.0 request layer (node::rpc::Dispatcher::handle) that every
// HTTP body and WebSocket text message reaches, with methods that read their params the way the
// node's methods do (rpc::param and the rpc_views parsers, tx::from_json). Every body gets an
// answer that is JSON (or "" when it held only notifications), exactly once, and nothing throws.
//
// The WebSocket frame reader is Boost.Beast's (node/http_server.cpp); our code sees only whole
// text messages, which go to this same Dispatcher::handle, so this target covers our side of it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/rpc_jsonrpc.hpp"
#include "node/rpc_views.hpp"
#include "tx/json.hpp"

namespace {

using zkamm::node::rpc::json;
namespace rpc = zkamm::node::rpc;

rpc::Dispatcher make_dispatcher() {
  rpc::Dispatcher d(rpc::DispatcherLimits{.max_batch = 64, .max_depth = 64});
  // Reads every kind of argument the node's methods take, from positional or named params.
  d.add_sync("probe", [](const json& p, const rpc::CallContext&) {
    json out = json::object();
    if (const json* h = rpc::param(p, 0, "hash", false); h && h->is_string())
      out["hash"] = rpc::hash_from_hex(h->get_ref<const std::string&>()).has_value();
    if (const json* b = rpc::param(p, 1, "bytes", false); b && b->is_string()) {
      const auto bytes = rpc::bytes_from_hex(b->get_ref<const std::string&>(), 4096);
      out["bytes"] = bytes ? json(rpc::hex0x(*bytes)) : json(nullptr);
    }
    if (const json* a = rpc::param(p, 2, "amount", false); a && a->is_string())
      out["amount"] = rpc::u256_from_decimal(a->get_ref<const std::string&>()).has_value();
    if (const json* n = rpc::param(p, 3, "number", false); n && n->is_string())
      out["number"] = rpc::u64_from_decimal(n->get_ref<const std::string&>()).value_or(0);
    // A small integer as the node reads one (rpc::uint_from_json, as in uint_arg).
    if (const json* n = rpc::param(p, 4, "index", false)) {
      const auto index = rpc::uint_from_json(*n, UINT32_MAX);
      if (!index) throw rpc::RpcError(rpc::code::kInvalidParams, "index must be an integer between 0 and 4294967295");
      out["index"] = *index;
    }
    return out;
  });
  d.add_sync("sendTransaction", [](const json& p, const rpc::CallContext&) {
    const auto parsed = zkamm::tx::from_json(*rpc::param(p, 0, "tx"));
    if (!parsed.tx) throw rpc::RpcError(rpc::code::kInvalidParams, parsed.error);
    return zkamm::tx::to_json(*parsed.tx);
  });
  d.add("later", [](const json& p, const rpc::CallContext&, const rpc::Responder& r) {
    // Answers through a copy of the responder after the call returned, as the node's async methods do.
    const rpc::Responder copy = r;
    if (p.is_array() && !p.empty()) copy.fail(rpc::RpcError(rpc::code::kNotFound, "not found", p[0]));
    // An empty call drops its responder unanswered: the dispatcher must still answer.
  });
  d.add_sync("throws", [](const json&, const rpc::CallContext&) -> json { throw std::runtime_error("boom"); });
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const rpc::Dispatcher dispatcher = make_dispatcher();
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  int answers = 0;
  std::string answer;
  dispatcher.handle(body, rpc::CallContext{}, [&](std::string text) {
    ++answers;
    answer = std::move(text);
  });
  if (answers != 1) std::abort();
  if (!answer.empty() && json::parse(answer, nullptr, /*allow_exceptions=*/false).is_discarded()) std::abort();
  return 0;
}
