// How a `zkamm prover` worker finds a sequencer group's leader (settle/leader_client.hpp): it
// follows a follower's "not the leader" redirect, goes back to the members it was given when the
// member in use is unreachable, gives up a call after a bounded number of members (a redirect
// loop during an election), and passes other errors through untouched. A fake transport stands
// for the members.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "node/rpc_jsonrpc.hpp"
#include "settle/leader_client.hpp"

namespace zkamm::settle::testing {
namespace {

using nlohmann::json;
namespace code = node::rpc::code;

// The group as the worker sees it: each URL is a leader (answers), a follower naming `leader`
// ("" = none known), or down.
struct FakeGroup {
  enum class Role { kLeader, kFollower, kDown };
  struct M {
    Role role = Role::kDown;
    std::string leader;
  };
  std::map<std::string, M> members;
  std::vector<std::string> calls;  // the URLs called, in order

  LeaderClient::Transport transport() {
    return [this](const std::string& url, const std::string& method, const json&) -> json {
      calls.push_back(url);
      const M& m = members[url];
      switch (m.role) {
        case Role::kLeader: return json{{"served_by", url}, {"method", method}};
        case Role::kFollower:
          throw node::rpc::RpcError(kNotLeaderCode, "not the leader",
                                    json{{"leader", m.leader.empty() ? json(nullptr) : json(m.leader)}});
        case Role::kDown: break;
      }
      throw std::runtime_error("connection refused");
    };
  }
  void lead(const std::string& leader) {
    for (auto& [url, m] : members) {
      if (m.role == Role::kDown) continue;
      m.role = url == leader ? Role::kLeader : Role::kFollower;
      m.leader = leader;
    }
  }
};

FakeGroup three() {
  FakeGroup g;
  for (const char* u : {"http://a", "http://b", "http://c"}) g.members[u].role = FakeGroup::Role::kFollower;
  g.lead("http://a");
  return g;
}

TEST(LeaderClient, AFollowersRedirectIsFollowedAndKept) {
  FakeGroup g = three();
  LeaderClient c({"http://b"}, g.transport());
  EXPECT_EQ(c.call("zkamm_proverLease")["served_by"], "http://a");
  EXPECT_EQ(c.current(), "http://a");
  EXPECT_EQ(c.redirects(), 1u);
  g.calls.clear();
  EXPECT_EQ(c.call("zkamm_proverSubmit")["served_by"], "http://a");  // straight to the leader now
  EXPECT_EQ(g.calls, std::vector<std::string>{"http://a"});
}

TEST(LeaderClient, AfterTheLeaderDiesTheMembersGivenLeadToTheNewOne) {
  FakeGroup g = three();
  LeaderClient c({"http://b", "http://c"}, g.transport());
  ASSERT_EQ(c.call("m")["served_by"], "http://a");
  g.members["http://a"].role = FakeGroup::Role::kDown;  // kill -9 of the leader; c is elected
  g.lead("http://c");
  g.calls.clear();
  EXPECT_EQ(c.call("m")["served_by"], "http://c");
  EXPECT_EQ(g.calls, (std::vector<std::string>{"http://a", "http://c"}));  // a: down, next member given: c
  EXPECT_EQ(c.current(), "http://c");
}

TEST(LeaderClient, ASeedThatDiedIsPassedOverForTheNextOne) {
  FakeGroup g = three();
  g.members["http://b"].role = FakeGroup::Role::kDown;
  LeaderClient c({"http://b", "http://c"}, g.transport());
  EXPECT_EQ(c.call("m")["served_by"], "http://a");  // b down -> c -> redirect to a
  EXPECT_EQ(g.calls, (std::vector<std::string>{"http://b", "http://c", "http://a"}));
}

TEST(LeaderClient, DuringAnElectionTheCallFailsWithNotLeaderAndTheNextOneSucceeds) {
  FakeGroup g = three();
  LeaderClient c({"http://b"}, g.transport());
  ASSERT_EQ(c.call("m")["served_by"], "http://a");
  g.members["http://a"].role = FakeGroup::Role::kDown;
  g.members["http://b"].leader = "";  // no leader known yet
  g.members["http://c"].leader = "";
  try {
    c.call("m");
    FAIL() << "a call with no leader known must fail";
  } catch (const node::rpc::RpcError& e) {
    EXPECT_EQ(e.code, kNotLeaderCode);
  }
  EXPECT_EQ(c.current(), "http://b");  // it stays with the live member
  g.lead("http://b");
  EXPECT_EQ(c.call("m")["served_by"], "http://b");
}

TEST(LeaderClient, ARedirectLoopEndsAfterABoundedNumberOfMembers) {
  FakeGroup g = three();
  g.members["http://a"] = {FakeGroup::Role::kFollower, "http://b"};  // stale views: a <-> b
  g.members["http://b"] = {FakeGroup::Role::kFollower, "http://a"};
  LeaderClient c({"http://a"}, g.transport());
  EXPECT_THROW(c.call("m"), node::rpc::RpcError);
  EXPECT_EQ(g.calls.size(), 1 + LeaderClient::kMaxHops);
}

TEST(LeaderClient, AllMembersDownThrowsTheTransportError) {
  FakeGroup g;
  LeaderClient c({"http://a", "http://b"}, g.transport());
  EXPECT_THROW(c.call("m"), std::runtime_error);
  EXPECT_EQ(g.calls.size(), 2 + LeaderClient::kMaxHops);
}

TEST(LeaderClient, OtherErrorsPassThroughWithoutSwitching) {
  LeaderClient c({"http://a", "http://b"}, [](const std::string&, const std::string&, const json&) -> json {
    throw node::rpc::RpcError(code::kInvalidParams, "proof must be a snarkjs proof object");
  });
  try {
    c.call("zkamm_proverSubmit");
    FAIL();
  } catch (const node::rpc::RpcError& e) {
    EXPECT_EQ(e.code, code::kInvalidParams);
  }
  EXPECT_EQ(c.current(), "http://a");
}

}  // namespace
}  // namespace zkamm::settle::testing
