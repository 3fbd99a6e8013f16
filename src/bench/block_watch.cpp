#include "bench/block_watch.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "node/rpc_views.hpp"

namespace zkamm::bench {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using json = nlohmann::json;

struct BlockWatcher::Ws {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws{ioc};
  beast::flat_buffer buf;
  std::thread thread;
  std::function<void(uint64_t)> on_block;

  void read() {
    ws.async_read(buf, [this](beast::error_code ec, std::size_t) {
      if (ec) return;
      const auto text = beast::buffers_to_string(buf.data());
      buf.consume(buf.size());
      const json j = json::parse(text, nullptr, false);
      if (j.is_object() && j.value("method", "") == "zkamm_subscription") {
        const json& r = j["params"]["result"];
        if (r.is_object() && r.contains("number") && r["number"].is_number_unsigned())
          on_block(r["number"].get<uint64_t>());
      }
      read();
    });
  }
};

BlockWatcher::BlockWatcher(node::rpc::Endpoint ep, SteadyClock::time_point t0, uint64_t after_block,
                           const HashIndex& index, SoftStamps& stamps)
    : ep_(std::move(ep)), t0_(t0), next_(after_block + 1), index_(index), stamps_(stamps) {}

BlockWatcher::~BlockWatcher() { stop(); }

int64_t BlockWatcher::now_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - t0_).count();
}

void BlockWatcher::start() {
  client_ = std::make_unique<node::rpc::Client>(ep_, std::chrono::seconds(10));
  ws_ = std::make_unique<Ws>();
  try {
    tcp::resolver resolver(ws_->ioc);
    auto results = resolver.resolve(ep_.host, std::to_string(ep_.port));
    beast::get_lowest_layer(ws_->ws).expires_after(std::chrono::seconds(5));
    beast::get_lowest_layer(ws_->ws).connect(results);
    beast::get_lowest_layer(ws_->ws).expires_never();
    ws_->ws.handshake(ep_.host + ":" + std::to_string(ep_.port), "/ws");
    ws_->ws.write(net::buffer(std::string(R"({"jsonrpc":"2.0","id":1,"method":"zkamm_subscribe","params":["newBlocks"]})")));
    beast::flat_buffer b;
    ws_->ws.read(b);
    const json j = json::parse(beast::buffers_to_string(b.data()), nullptr, false);
    ws_ok_ = j.is_object() && j.contains("result");
  } catch (const std::exception&) {
    ws_ok_ = false;
  }
  if (ws_ok_) {
    ws_->on_block = [this](uint64_t n) {
      const int64_t t = now_ns();
      {
        std::lock_guard lock(mu_);
        events_.emplace_back(n, t);
      }
      cv_.notify_one();
    };
    ws_->read();
    ws_->thread = std::thread([w = ws_.get()] { w->ioc.run(); });
  }
  fetch_thread_ = std::thread([this] { fetcher(); });
}

void BlockWatcher::stop() {
  if (!fetch_thread_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  fetch_thread_.join();
  if (ws_ && ws_->thread.joinable()) {
    net::post(ws_->ioc, [w = ws_.get()] {
      beast::error_code ignored;
      beast::get_lowest_layer(w->ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
      beast::get_lowest_layer(w->ws).close();
    });
    ws_->ioc.stop();
    ws_->thread.join();
  }
}

std::vector<BlockSeen> BlockWatcher::blocks() const {
  std::lock_guard lock(mu_);
  return blocks_;
}

void BlockWatcher::fetch_upto(uint64_t number, int64_t seen_ns) {
  while (next_ <= number) {
    json b;
    try {
      b = client_->call("zkamm_getBlock", json::array({next_, false}));
    } catch (const node::rpc::RpcError&) {
      return;  // not sealed yet (polling) or gone
    } catch (const std::exception&) {
      return;
    }
    BlockSeen s;
    s.number = next_;
    s.seen_ns = seen_ns;
    s.timestamp_ms = b.value("timestamp", uint64_t{0});
    s.tx_count = b.value("tx_count", 0u);
    if (b.contains("transactions") && b["transactions"].is_array()) {
      for (const auto& h : b["transactions"]) {
        if (!h.is_string()) continue;
        const auto hash = node::rpc::hash_from_hex(h.get_ref<const std::string&>());
        if (!hash) continue;
        const auto it = index_.find(*hash);
        if (it == index_.end()) continue;
        int64_t expected = -1;
        if (stamps_.soft_ns[it->second].compare_exchange_strong(expected, seen_ns)) {
          stamps_.block[it->second].store(next_);
          stamps_.count++;
          s.ours++;
        }
      }
    }
    {
      std::lock_guard lock(mu_);
      blocks_.push_back(s);
    }
    ++next_;
  }
}

void BlockWatcher::fetcher() {
  const auto poll_every = std::chrono::milliseconds(ws_ok_ ? 250 : 5);
  for (;;) {
    std::deque<std::pair<uint64_t, int64_t>> ev;
    bool stopping = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, poll_every, [this] { return stop_ || !events_.empty(); });
      ev.swap(events_);
      stopping = stop_;
    }
    for (const auto& [n, t] : ev) fetch_upto(n, t);
    // Polling (no WebSocket, or a lost notification): whatever is sealed now is soft now.
    if (ev.empty()) fetch_upto(UINT64_MAX, now_ns());
    if (stopping) {
      fetch_upto(UINT64_MAX, now_ns());
      return;
    }
  }
}

}  // namespace zkamm::bench
