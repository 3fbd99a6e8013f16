// The etcd JSON gateway client against a real etcd (Debian etcd-server, started by the test):
// leases, compare-and-swap leadership with monotonic revisions (the terms), prefixes; and base64.
#include <gtest/gtest.h>

#include "cluster/etcd.hpp"
#include "cluster_test_util.hpp"
#include "node/node_test_util.hpp"

namespace zkamm::cluster {
namespace {

using namespace std::chrono_literals;

TEST(Base64, RoundTripsEveryLength) {
  std::string s;
  for (int n = 0; n < 40; ++n) {
    EXPECT_EQ(base64_decode(base64_encode(s)), s) << n;
    s.push_back(static_cast<char>(n * 37 + 200));
  }
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_FALSE(base64_decode("Zm9v!"));
  EXPECT_FALSE(base64_decode("Zm=9"));
}

TEST(EtcdTest, LeasesCasAndPrefixes) {
  node::testing::TempDir dir;
  testing::EtcdProcess etcd;
  ASSERT_TRUE(etcd.start(dir.path)) << "etcd did not start (install etcd-server: scripts/install-deps.sh)";
  Etcd e(etcd.endpoint());
  const auto l1 = e.lease_grant(1), l2 = e.lease_grant(5);
  ASSERT_TRUE(l1 && l2) << e.error();
  // Two candidates: only the first creates the key; its create revision is the term.
  const auto won = e.create_if_absent("/g/leader", "a", *l1);
  ASSERT_TRUE(won && *won > 0);
  EXPECT_EQ(e.create_if_absent("/g/leader", "b", *l2), int64_t{0});
  const auto kv = e.get("/g/leader");
  ASSERT_TRUE(kv);
  EXPECT_EQ(kv->value, "a");
  EXPECT_EQ(kv->create_revision, *won);
  EXPECT_EQ(kv->lease, *l1);
  EXPECT_GT(*e.lease_keepalive(*l1), 0);
  // A lease that is not kept alive expires and takes the key with it; the next term is higher.
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(e.lease_keepalive(*l1), int64_t{0});
  EXPECT_FALSE(e.get("/g/leader"));
  EXPECT_EQ(e.error(), "");  // missing, not an error
  const auto next = e.create_if_absent("/g/leader", "b", *l2);
  ASSERT_TRUE(next && *next > *won);
  EXPECT_FALSE(e.delete_if_revision("/g/leader", *won));  // a deposed term cannot resign the new one
  EXPECT_TRUE(e.delete_if_revision("/g/leader", *next));
  ASSERT_TRUE(e.put("/g/heads/x", "3") && e.put("/g/heads/y", "4") && e.put("/g/other", "5"));
  const auto heads = e.get_prefix("/g/heads/");
  ASSERT_TRUE(heads);
  EXPECT_EQ(heads->size(), 2u);
  EXPECT_TRUE(e.lease_revoke(*l2));
  // etcd gone: calls fail with an error
  etcd.child.kill(SIGKILL);
  EXPECT_FALSE(e.get("/g/other"));
  EXPECT_NE(e.error(), "");
}

}  // namespace
}  // namespace zkamm::cluster
