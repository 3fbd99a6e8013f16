#pragma once
// JSON-RPC 2.0 (https://www.jsonrpc.org/specification) over any transport: single and batch
// requests, notifications, id echo and the standard error codes, plus zkamm's application error
// codes (docs/API.md section 2). Methods answer asynchronously through a Responder, so a method
// may wait for the sequencer without holding an I/O thread. Nothing thrown by a method escapes:
// the dispatcher turns every exception into an error response.
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace zkamm::node::rpc {

using json = nlohmann::json;

/// Error codes; -32768..-32000 is reserved by JSON-RPC, zkamm's own codes are -32000..-32099
/// (the "server error" range). Stable: clients match on them.
namespace code {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternal = -32603;
inline constexpr int kRejected = -32000;      ///< the node rejected the transaction: data {code, reason}
inline constexpr int kTimeout = -32001;       ///< a *Sync call did not reach its state in time: data {hash}
inline constexpr int kNotFound = -32002;      ///< unknown transaction, block, batch, account or pool
inline constexpr int kOverloaded = -32003;    ///< too many requests in flight or mempool full; retry later
inline constexpr int kTooLarge = -32004;      ///< request body over the limit (HTTP 413)
inline constexpr int kUnsupported = -32005;   ///< method needs a WebSocket (subscriptions)
}  // namespace code

struct RpcError : std::exception {
  int code = code::kInternal;
  std::string message;
  json data;  ///< null when absent
  RpcError(int c, std::string m, json d = nullptr) : code(c), message(std::move(m)), data(std::move(d)) {}
  const char* what() const noexcept override { return message.c_str(); }
};

/// A WebSocket connection as seen by methods (subscriptions push notifications through it).
class Peer {
 public:
  virtual ~Peer() = default;
  /// Queues a text frame; false when the peer is closed or was dropped for a full queue.
  virtual bool send_text(std::string msg) = 0;
  virtual uint64_t id() const noexcept = 0;
  virtual bool is_open() const noexcept = 0;
};

struct CallContext {
  std::shared_ptr<Peer> peer;  ///< set on WebSocket calls only
};

/// Completes one call exactly once, from any thread; later completions are ignored.
class Responder {
 public:
  using Sink = std::function<void(bool ok, json value)>;  ///< value: result, or an error object
  explicit Responder(Sink sink) : state_(std::make_shared<State>(std::move(sink))) {}
  void ok(json result) const { finish(true, std::move(result)); }
  void fail(const RpcError& e) const;

 private:
  struct State {
    explicit State(Sink s) : sink(std::move(s)) {}
    /// A call dropped without an answer (a lost callback) still answers: internal error.
    ~State();
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    Sink sink;
    std::atomic<bool> done{false};
  };
  void finish(bool ok, json value) const;
  std::shared_ptr<State> state_;
};

using Method = std::function<void(const json& params, const CallContext& ctx, const Responder& r)>;
using SyncMethod = std::function<json(const json& params, const CallContext& ctx)>;

struct DispatcherLimits {
  std::size_t max_batch = 1000;  ///< requests in one batch
  std::size_t max_depth = 64;    ///< JSON nesting depth (a deep body would exhaust the parser's stack)
};

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherLimits limits = {}) : limits_(limits) {}
  void add(std::string name, Method m);
  void add_sync(std::string name, SyncMethod m);
  bool has(const std::string& name) const { return methods_.count(name) != 0; }

  /// Handles one JSON-RPC payload (single or batch) and calls `done` once with the response
  /// text, "" when nothing is to be answered (only notifications). Never throws.
  void handle(std::string_view body, const CallContext& ctx, std::function<void(std::string)> done) const noexcept;

  /// A complete error response with id null (for transport-level failures such as HTTP 413).
  static std::string error_response(int code, const std::string& message, const json& data = nullptr);

 private:
  /// One request object; `done(response or null for a notification)`.
  void call_one(const json& req, const CallContext& ctx, std::function<void(json)> done) const noexcept;

  DispatcherLimits limits_;
  std::unordered_map<std::string, Method> methods_;
};

/// True when the JSON text's bracket nesting (outside strings) stays <= max_depth.
bool nesting_within(std::string_view text, std::size_t max_depth) noexcept;

/// Parameter access for positional (array) or named (object) params. Throws RpcError
/// (kInvalidParams) when a required one is missing or params has the wrong shape.
const json* param(const json& params, std::size_t pos, const char* name, bool required = true);

}  // namespace zkamm::node::rpc
