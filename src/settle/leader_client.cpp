#include "settle/leader_client.hpp"

#include <exception>
#include <stdexcept>

#include "node/rpc_client.hpp"
#include "node/rpc_jsonrpc.hpp"

namespace zkamm::settle {

using nlohmann::json;

LeaderClient::LeaderClient(std::vector<std::string> seeds, Transport transport)
    : seeds_(std::move(seeds)), transport_(std::move(transport)) {
  if (seeds_.empty()) throw std::invalid_argument("LeaderClient needs at least one member URL");
  current_ = seeds_.front();
}

LeaderClient::LeaderClient(std::vector<std::string> seeds, std::chrono::milliseconds timeout)
    : LeaderClient(std::move(seeds), Transport{}) {
  transport_ = [this, timeout](const std::string& url, const std::string& method, const json& params) {
    auto& c = clients_[url];
    if (!c) {
      const auto ep = node::rpc::parse_url(url);
      if (!ep) throw std::runtime_error("bad node URL " + url);
      c = std::make_unique<node::rpc::Client>(*ep, timeout);
    }
    try {
      return c->call(method, params);
    } catch (const node::rpc::RpcError&) {
      throw;
    } catch (...) {
      c.reset();  // a fresh connection next time (the member may come back)
      throw;
    }
  };
}

LeaderClient::~LeaderClient() = default;

json LeaderClient::call(const std::string& method, const json& params) {
  std::exception_ptr last;
  for (std::size_t attempt = 0; attempt < seeds_.size() + kMaxHops; ++attempt) {
    const std::string url = current_;
    try {
      return transport_(url, method, params);
    } catch (const node::rpc::RpcError& e) {
      if (e.code != kNotLeaderCode) throw;
      const json* leader = e.data.is_object() && e.data.contains("leader") ? &e.data["leader"] : nullptr;
      if (leader == nullptr || !leader->is_string() || leader->get<std::string>().empty() || *leader == url) throw;
      current_ = leader->get<std::string>();  // the follower names the leader: go there
      ++redirects_;
      last = std::current_exception();
    } catch (const std::exception&) {
      // This member is gone (a dead leader, a member restarting): the next one given.
      last = std::current_exception();
      current_ = seeds_[next_seed_ % seeds_.size()];
      next_seed_ = (next_seed_ + 1) % seeds_.size();
    }
  }
  std::rethrow_exception(last);
}

}  // namespace zkamm::settle
