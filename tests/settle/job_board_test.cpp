// The lease rules of the proof job board: lowest batch first, a job whose worker dies (its lease
// runs out) is handed out again, an invalid proof reopens the job, the first valid proof wins,
// and unknown leases are refused.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "settle/job_board.hpp"

namespace zkamm::settle::testing {
namespace {

using namespace std::chrono_literals;

std::vector<uint8_t> bytes(uint8_t v) { return std::vector<uint8_t>(8, v); }

TEST(JobBoard, LeasesLowestBatchFirstAndEachOnce) {
  JobBoard board(10s, [](uint64_t, const snark::Proof&) { return true; });
  board.post(3, bytes(3));
  board.post(1, bytes(1));
  board.post(2, bytes(2));
  board.post(1, bytes(9));  // a repost is ignored
  auto a = board.lease("a");
  auto b = board.lease("b");
  auto c = board.lease("c");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->batch, 1u);
  EXPECT_EQ((*a->witness)[0], 1);
  EXPECT_EQ(b->batch, 2u);
  EXPECT_EQ(c->batch, 3u);
  EXPECT_NE(a->lease_id, b->lease_id);
  EXPECT_FALSE(board.lease("d").has_value());
  EXPECT_EQ(board.stats().leased, 3u);
}

TEST(JobBoard, ADeadWorkersJobIsHandedOutAgain) {
  JobBoard board(50ms, [](uint64_t, const snark::Proof&) { return true; });
  board.post(1, bytes(1));
  auto dead = board.lease("dies");
  ASSERT_TRUE(dead.has_value());
  EXPECT_FALSE(board.lease("other").has_value());  // still leased
  auto again = board.lease("other", 2s);           // waits for the lease to run out
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->batch, 1u);
  EXPECT_NE(again->lease_id, dead->lease_id);
  EXPECT_EQ(board.stats().expired, 1u);
  EXPECT_EQ(board.submit(again->lease_id, JobResult{}), SubmitOutcome::kAccepted);
  // The first worker comes back late: its proof is no longer needed.
  EXPECT_EQ(board.submit(dead->lease_id, JobResult{}), SubmitOutcome::kAlreadyDone);
  EXPECT_TRUE(board.wait_result(1, 0ms).has_value());
}

TEST(JobBoard, AnInvalidProofReopensTheJob) {
  std::atomic<bool> valid{false};
  JobBoard board(10s, [&](uint64_t, const snark::Proof&) { return valid.load(); });
  board.post(5, bytes(5));
  auto l1 = board.lease("liar");
  ASSERT_TRUE(l1.has_value());
  EXPECT_EQ(board.submit(l1->lease_id, JobResult{}), SubmitOutcome::kInvalidProof);
  EXPECT_FALSE(board.wait_result(5, 0ms).has_value());
  auto l2 = board.lease("honest");
  ASSERT_TRUE(l2.has_value());
  EXPECT_EQ(l2->batch, 5u);
  valid = true;
  EXPECT_EQ(board.submit(l2->lease_id, JobResult{}), SubmitOutcome::kAccepted);
  EXPECT_EQ(board.stats().rejected, 1u);
  EXPECT_EQ(board.stats().done, 1u);
}

TEST(JobBoard, AnExpiredLeasesValidProofStillCounts) {
  JobBoard board(20ms, [](uint64_t, const snark::Proof&) { return true; });
  board.post(1, bytes(1));
  auto slow = board.lease("slow");
  ASSERT_TRUE(slow.has_value());
  std::this_thread::sleep_for(40ms);
  EXPECT_EQ(board.submit(slow->lease_id, JobResult{}), SubmitOutcome::kAccepted);
  EXPECT_FALSE(board.lease("late").has_value());
}

TEST(JobBoard, UnknownLeasesAndClosedBoardsAreRefused) {
  JobBoard board(10s, [](uint64_t, const snark::Proof&) { return true; });
  EXPECT_EQ(board.submit(42, JobResult{}), SubmitOutcome::kUnknownLease);
  board.post(1, bytes(1));
  std::thread waiter([&] { EXPECT_FALSE(board.wait_result(1, 10s).has_value()); });
  std::this_thread::sleep_for(20ms);
  board.close();
  waiter.join();
  EXPECT_FALSE(board.lease("x").has_value());
}

TEST(JobBoard, WaitResultWakesWhenAWorkerSubmits) {
  JobBoard board(10s, [](uint64_t, const snark::Proof&) { return true; });
  board.post(7, bytes(7));
  std::thread worker([&] {
    auto l = board.lease("w", 1s);
    ASSERT_TRUE(l.has_value());
    JobResult r;
    r.worker = "w";
    EXPECT_EQ(board.submit(l->lease_id, r), SubmitOutcome::kAccepted);
  });
  auto res = board.wait_result(7, 10s);
  worker.join();
  ASSERT_TRUE(res.has_value());
  EXPECT_EQ(res->worker, "w");
}

}  // namespace
}  // namespace zkamm::settle::testing

namespace zkamm::settle::testing {
namespace {

// A sequencer group's failover: a worker proved a batch on a lease of the old leader's board and
// offers the proof to the new leader's board, which never handed out that lease id (or handed
// the same id out for another batch). Named with its batch, the proof is checked and taken for
// that batch; a bad one changes nothing for the worker that holds the current lease.
TEST(JobBoard, AProofOnAnEarlierBoardsLeaseIsTakenForTheBatchItNames) {
  std::atomic<bool> valid{false};
  JobBoard board(10s, [&](uint64_t batch, const snark::Proof&) { return valid.load() && batch == 2; });
  board.post(1, bytes(1));
  board.post(2, bytes(2));
  auto current = board.lease("here");  // batch 1, lease id 1
  ASSERT_TRUE(current.has_value());
  ASSERT_EQ(current->batch, 1u);

  // Without a batch, an unknown lease is refused as before; a batch never posted likewise.
  EXPECT_EQ(board.submit(77, JobResult{}), SubmitOutcome::kUnknownLease);
  EXPECT_EQ(board.submit(77, JobResult{}, 9), SubmitOutcome::kUnknownLease);
  // Lease id 1 of the old board was for batch 2; here it is batch 1's: an invalid proof for
  // batch 2 is refused and batch 1's lease stays with its worker.
  EXPECT_EQ(board.submit(current->lease_id, JobResult{}, 2), SubmitOutcome::kInvalidProof);
  EXPECT_EQ(board.stats().leased, 1u);
  valid = true;
  EXPECT_EQ(board.submit(current->lease_id, JobResult{}, 2), SubmitOutcome::kAccepted);
  EXPECT_TRUE(board.wait_result(2, 0ms).has_value());
  EXPECT_FALSE(board.wait_result(1, 0ms).has_value());
  EXPECT_EQ(board.submit(55, JobResult{}, 2), SubmitOutcome::kAlreadyDone);
  // The lease of this board, named with its own batch, works as always.
  valid = false;
  EXPECT_EQ(board.submit(current->lease_id, JobResult{}, 1), SubmitOutcome::kInvalidProof);
  EXPECT_EQ(board.stats().open, 1u);  // the current lease's bad proof reopens its job
}

}  // namespace
}  // namespace zkamm::settle::testing
