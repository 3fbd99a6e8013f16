// The batcher's CPU priority: nicer while its backlog is short, normal again when it grows; a
// group's follower waits for a much longer backlog than a leader before it competes with the
// soft path.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "node/batcher_priority.hpp"

namespace {
using zkamm::node::BatcherPriority;

int own_nice() { return ::getpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid))); }

/// Whether this process may take a thread's priority back up (CAP_SYS_NICE or RLIMIT_NICE; root
/// in a container may lack it): tried on a thread of its own.
bool can_raise_priority() {
  bool ok = false;
  std::thread([&ok] {
    const id_t tid = static_cast<id_t>(::syscall(SYS_gettid));
    const int base = ::getpriority(PRIO_PROCESS, tid);
    if (::setpriority(PRIO_PROCESS, tid, base + 1) != 0) return;
    ok = ::setpriority(PRIO_PROCESS, tid, base) == 0;
  }).join();
  return ok;
}

TEST(BatcherPriority, AFollowerRaisesAtHalfTheSheddingLimitALeaderAtSixteen) {
  EXPECT_EQ(BatcherPriority::raise_at(false, 1024), 16u);
  EXPECT_EQ(BatcherPriority::raise_at(true, 1024), 512u);
  // A small shedding limit never puts the follower's bound under the leader's.
  EXPECT_EQ(BatcherPriority::raise_at(true, 8), 16u);
  EXPECT_EQ(BatcherPriority::raise_at(true, 0), 16u);
}

TEST(BatcherPriority, NicerWhileShortNormalAgainOnceTheBacklogReachesTheBound) {
  // On a thread of its own: the priority is per thread and the test must not change the runner's.
  const bool can_raise = can_raise_priority();
  std::thread([can_raise] {
    const int base = own_nice();
    BatcherPriority p(10);
    p.update(0, BatcherPriority::raise_at(true, 1024));
    ASSERT_TRUE(p.lowered());
    EXPECT_EQ(own_nice(), base + 10);
    // A follower's backlog of a leader's bound (and more) keeps it nicer.
    for (uint64_t backlog : {16u, 100u, 511u}) {
      p.update(backlog, BatcherPriority::raise_at(true, 1024));
      EXPECT_TRUE(p.lowered()) << backlog;
      EXPECT_EQ(own_nice(), base + 10) << backlog;
    }
    // Promoted: the leader's bound applies at the next block.
    p.update(16, BatcherPriority::raise_at(false, 1024));
    if (can_raise) {
      EXPECT_FALSE(p.lowered());
      EXPECT_EQ(own_nice(), base);
      // Back to nicer only once the backlog is short again.
      p.update(3, BatcherPriority::raise_at(false, 1024));
      EXPECT_FALSE(p.lowered());
      p.update(2, BatcherPriority::raise_at(false, 1024));
      EXPECT_TRUE(p.lowered());
      EXPECT_EQ(own_nice(), base + 10);
    } else {
      // Without CAP_SYS_NICE the priority cannot come back: it stays nicer (and says so once).
      EXPECT_TRUE(p.lowered());
      EXPECT_EQ(own_nice(), base + 10);
    }
  }).join();
}

TEST(BatcherPriority, ZeroNiceLeavesThePriorityAlone) {
  std::thread([] {
    const int base = own_nice();
    BatcherPriority p(0);
    p.update(0, 16);
    EXPECT_FALSE(p.lowered());
    EXPECT_EQ(own_nice(), base);
  }).join();
}
}  // namespace
