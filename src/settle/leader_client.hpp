#pragma once
// How `zkamm prover` finds the job board of a sequencer group (docs/NODE.md "The operator in a
// group"): only the leader serves prover jobs; a follower answers zkamm_proverLease and
// zkamm_proverSubmit with -32006 "not the leader" and the leader's URL (data {leader}). A
// LeaderClient calls the member it last found leading; it follows such a redirect, and when the
// member in use cannot be reached (a dead leader) it goes back to the URLs it was given, in
// turn, so a worker pointed at any member keeps working across failovers. Each call tries a
// bounded number of members (redirect loops during an election end); the caller retries later.
// A single node (no group) never redirects, so the client is then a plain JSON-RPC client.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zkamm::node::rpc {
class Client;
}

namespace zkamm::settle {

/// The JSON-RPC error a group follower answers for what only the leader serves (docs/API.md
/// section 2): data {leader: "http://host:port", or null while none is known}.
inline constexpr int kNotLeaderCode = -32006;

class LeaderClient {
 public:
  /// One JSON-RPC call to `url`: the result; throws node::rpc::RpcError for a JSON-RPC error and
  /// any other exception when the member cannot be reached.
  using Transport = std::function<nlohmann::json(const std::string& url, const std::string& method, const nlohmann::json& params)>;

  /// seeds: the members the worker was given (at least one); they are used in this order.
  LeaderClient(std::vector<std::string> seeds, Transport transport);
  /// Over HTTP (node::rpc::Client), one keep-alive connection per member, `timeout` per call.
  LeaderClient(std::vector<std::string> seeds, std::chrono::milliseconds timeout);
  ~LeaderClient();
  LeaderClient(const LeaderClient&) = delete;
  LeaderClient& operator=(const LeaderClient&) = delete;

  /// The method's result from the first member that serves it. Throws the last error when none
  /// did within the attempts: an RpcError other than not-the-leader at once (the member's own
  /// answer), -32006 when a follower knows no leader (an election), the transport's otherwise.
  nlohmann::json call(const std::string& method, const nlohmann::json& params = nlohmann::json::array());
  /// The member the next call goes to first.
  const std::string& current() const noexcept { return current_; }
  /// Redirects followed so far (for the worker's log).
  uint64_t redirects() const noexcept { return redirects_; }

  /// Members one call tries at most beyond the seeds (redirect hops).
  static constexpr std::size_t kMaxHops = 3;

 private:
  std::vector<std::string> seeds_;
  Transport transport_;
  std::string current_;
  std::size_t next_seed_ = 1;  // the seed a transport failure moves to
  uint64_t redirects_ = 0;
  std::map<std::string, std::unique_ptr<node::rpc::Client>> clients_;  // the HTTP transport's
};

}  // namespace zkamm::settle
