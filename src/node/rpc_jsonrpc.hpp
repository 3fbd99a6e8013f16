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
inline constexpr int kTooLarge = -32004;      ///< request body, batch cost or response size over a limit (HTTP 413 for bodies)
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
  uint64_t connection = 0;     ///< the transport's connection id (0: in-process); per-connection limits
};

/// Bytes of response text held in memory, shared by every connection of a server: responses
/// being assembled (the dispatcher) and written or queued (the transport). A taker that does not
/// fit answers a short error instead, so memory stays bounded whatever clients ask for.
class ByteBudget {
 public:
  explicit ByteBudget(std::size_t limit) : limit_(limit) {}
  /// Takes n bytes; false (nothing taken) when that would pass the limit.
  bool try_take(std::size_t n) noexcept;
  void give(std::size_t n) noexcept { used_.fetch_sub(n, std::memory_order_acq_rel); }
  std::size_t used() const noexcept { return used_.load(std::memory_order_acquire); }
  /// The highest `used` ever seen (tests check the bound).
  std::size_t peak() const noexcept { return peak_.load(std::memory_order_acquire); }
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t limit_;
  std::atomic<std::size_t> used_{0};
  std::atomic<std::size_t> peak_{0};
};

class WorkerPool;

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
  /// The summed MethodCost::units of one payload (a batch of 1,000 cheap calls costs 1,000).
  std::size_t max_batch_cost = 4096;
  /// Bytes of one response (a batch's whole array); over it the payload is answered with one
  /// -32004 error instead.
  std::size_t max_response_bytes = 16 << 20;
};

/// What a method costs. `units`: 1 for a point read or a submit; more for calls whose work or
/// answer grows with the data (they count against DispatcherLimits::max_batch_cost). `heavy`: run
/// on the dispatcher's WorkerPool rather than the calling (I/O) thread. The heavy calls of one
/// payload are one pool job (so a connection's limit counts payloads, not calls), run in slices
/// of at most kHeavySliceUnits units, each slice queued behind the other connections' jobs.
struct MethodCost {
  std::size_t units = 1;
  bool heavy = false;
};
inline constexpr std::size_t kHeavySliceUnits = 256;

class Dispatcher {
 public:
  explicit Dispatcher(DispatcherLimits limits = {}) : limits_(limits) {}
  void add(std::string name, Method m, MethodCost cost = {});
  void add_sync(std::string name, SyncMethod m, MethodCost cost = {});
  /// Heavy methods run on `pool` (kept alive by the dispatcher); without one they run inline.
  /// Precondition: before the first handle().
  void set_pool(std::shared_ptr<WorkerPool> pool) { pool_ = std::move(pool); }
  /// Response bytes being assembled count against `budget` (shared with the transport).
  /// Precondition: before the first handle().
  void set_budget(std::shared_ptr<ByteBudget> budget) { budget_ = std::move(budget); }
  const DispatcherLimits& limits() const noexcept { return limits_; }
  bool has(const std::string& name) const { return methods_.count(name) != 0; }

  /// Handles one JSON-RPC payload (single or batch) and calls `done` once with the response
  /// text, "" when nothing is to be answered (only notifications). Never throws.
  void handle(std::string_view body, const CallContext& ctx, std::function<void(std::string)> done) const noexcept;

  /// A complete error response with id null (for transport-level failures such as HTTP 413).
  static std::string error_response(int code, const std::string& message, const json& data = nullptr);

 private:
  struct Entry {
    Method fn;
    MethodCost cost;
  };
  /// A heavy call kept for the pool.
  struct Deferred {
    const Method* fn;
    json params;
    CallContext ctx;
    Responder r;
    std::size_t units;
  };
  using DeferredList = std::vector<Deferred>;
  /// One request object; `done(response or null for a notification)`. A heavy call is appended
  /// to *defer (when there is a pool) instead of run.
  void call_one(const json& req, const CallContext& ctx, std::function<void(json)> done,
                DeferredList* defer) const noexcept;
  /// Queues a payload's heavy calls as one pool job; on refusal each answers "overloaded".
  void submit_deferred(uint64_t connection, DeferredList list) const noexcept;
  /// Runs calls from `from` on, a slice at a time.
  void run_deferred(uint64_t connection, std::shared_ptr<DeferredList> list, std::size_t from) const noexcept;
  /// The cost units of one request object (1 for anything that is not a known method's call).
  std::size_t cost_of(const json& req) const noexcept;

  DispatcherLimits limits_;
  std::unordered_map<std::string, Entry> methods_;
  std::shared_ptr<WorkerPool> pool_;
  std::shared_ptr<ByteBudget> budget_;
};

/// True when the JSON text's bracket nesting (outside strings) stays <= max_depth.
bool nesting_within(std::string_view text, std::size_t max_depth) noexcept;

/// Parameter access for positional (array) or named (object) params. Throws RpcError
/// (kInvalidParams) when a required one is missing or params has the wrong shape.
const json* param(const json& params, std::size_t pos, const char* name, bool required = true);

}  // namespace zkamm::node::rpc
