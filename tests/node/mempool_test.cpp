// Mempool rules on the Mempool class itself: nonce gaps and their cap, per-account and global
// caps, duplicates, taken nonces, re-parking after a rejection, TTL and deadline expiry.
#include "node/mempool.hpp"

#include <gtest/gtest.h>

namespace zkamm::node {
namespace {

PendingPtr make(uint32_t account, uint32_t nonce, TimeMs received = 1000, uint64_t deadline = UINT64_MAX) {
  auto p = std::make_shared<PendingTx>();
  p->account = account;
  p->nonce = nonce;
  p->received = received;
  p->deadline = deadline;
  p->hash[0] = static_cast<uint8_t>(account);
  p->hash[1] = static_cast<uint8_t>(nonce);
  p->hash[2] = static_cast<uint8_t>(nonce >> 8);
  p->hash[3] = static_cast<uint8_t>(received);
  return p;
}

std::vector<uint32_t> take_nonces(Mempool& m) {
  std::vector<PendingPtr> out;
  m.take_ready(1000, out);
  std::vector<uint32_t> n;
  for (const auto& p : out) n.push_back(p->nonce);
  return n;
}

TEST(Mempool, GapWaitsUntilFilled) {
  Mempool m(MempoolLimits{100, 100, 8});
  EXPECT_EQ(m.insert(make(1, 2), 0), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(1, 1), 0), RejectCode::kNone);
  EXPECT_EQ(m.ready(), 0u);
  EXPECT_EQ(m.insert(make(1, 0), 0), RejectCode::kNone);
  EXPECT_EQ(take_nonces(m), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(Mempool, GapCap) {
  Mempool m(MempoolLimits{100, 100, 8});
  EXPECT_EQ(m.insert(make(1, 7), 0), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(1, 8), 0), RejectCode::kNonceGap);
  EXPECT_EQ(m.insert(make(2, 12), 5), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(2, 13), 5), RejectCode::kNonceGap);
}

TEST(Mempool, NonceTooLowDuplicateAndTaken) {
  Mempool m(MempoolLimits{100, 100, 8});
  EXPECT_EQ(m.insert(make(1, 3), 5), RejectCode::kNonceTooLow);
  auto p = make(1, 5);
  EXPECT_EQ(m.insert(p, 5), RejectCode::kNone);
  EXPECT_EQ(m.insert(p, 5), RejectCode::kDuplicate);
  EXPECT_EQ(m.insert(make(1, 5, 2000), 5), RejectCode::kNonceTaken);  // ready nonce
  EXPECT_EQ(m.insert(make(1, 7), 5), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(1, 7, 2000), 5), RejectCode::kNonceTaken);  // waiting nonce
}

TEST(Mempool, Caps) {
  Mempool m(MempoolLimits{3, 2, 64});
  EXPECT_EQ(m.insert(make(1, 0), 0), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(1, 1), 0), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(1, 2), 0), RejectCode::kAccountQueueFull);
  EXPECT_EQ(m.insert(make(2, 0), 0), RejectCode::kNone);
  EXPECT_EQ(m.insert(make(3, 0), 0), RejectCode::kMempoolFull);
  EXPECT_EQ(m.pending(), 3u);
  // executing frees room
  std::vector<PendingPtr> out;
  m.take_ready(1, out);
  m.on_executed(out[0]);
  EXPECT_EQ(m.insert(make(3, 0), 0), RejectCode::kNone);
}

TEST(Mempool, RejectionReparksLaterNonces) {
  Mempool m(MempoolLimits{100, 100, 64});
  auto a0 = make(1, 0), a1 = make(1, 1), a2 = make(1, 2);
  for (auto& p : {a0, a1, a2}) ASSERT_EQ(m.insert(p, 0), RejectCode::kNone);
  std::vector<PendingPtr> out;
  m.take_ready(10, out);
  ASSERT_EQ(out.size(), 3u);
  m.on_rejected(a0, 0);  // e.g. slippage: nonce 0 is still the account's next
  EXPECT_TRUE(m.park(a1));
  EXPECT_TRUE(m.park(a2));
  EXPECT_EQ(m.ready(), 0u);
  EXPECT_EQ(m.find(a0->hash), nullptr);
  // a replacement for nonce 0 makes 0, 1, 2 ready again, in nonce order
  auto b0 = make(1, 0, 5000);
  ASSERT_EQ(m.insert(b0, 0), RejectCode::kNone);
  EXPECT_EQ(take_nonces(m), (std::vector<uint32_t>{0, 1, 2}));
}

TEST(Mempool, ParkLosesToNewerTxWithSameNonce) {
  Mempool m(MempoolLimits{100, 100, 64});
  auto a0 = make(1, 0), a1 = make(1, 1);
  ASSERT_EQ(m.insert(a0, 0), RejectCode::kNone);
  ASSERT_EQ(m.insert(a1, 0), RejectCode::kNone);
  std::vector<PendingPtr> out;
  m.take_ready(10, out);
  m.on_rejected(a0, 0);
  ASSERT_EQ(m.insert(make(1, 0, 7), 0), RejectCode::kNone);
  ASSERT_EQ(m.insert(make(1, 1, 7), 0), RejectCode::kNone);  // nonce 1 again, newer
  EXPECT_FALSE(m.park(a1));
  EXPECT_EQ(m.find(a1->hash), nullptr);
  EXPECT_EQ(m.pending(), 2u);
}

TEST(Mempool, ExpiryByTtlAndDeadline) {
  Mempool m(MempoolLimits{100, 100, 64});
  auto old = make(1, 1, 100);                 // waiting (gap at 0), received at 100
  auto fresh = make(2, 1, 5000, 10);          // waiting, deadline 10 s
  auto ok = make(3, 1, 5000);
  for (auto& p : {old, fresh, ok}) ASSERT_EQ(m.insert(p, 0), RejectCode::kNone);
  std::vector<std::pair<PendingPtr, RejectCode>> dropped;
  m.expire(/*oldest=*/1000, /*now_s=*/11, dropped);
  ASSERT_EQ(dropped.size(), 2u);
  for (const auto& [p, code] : dropped) {
    if (p == old) EXPECT_EQ(code, RejectCode::kTtlExpired);
    else if (p == fresh) EXPECT_EQ(code, RejectCode::kDeadlineExpired);
    else ADD_FAILURE();
  }
  EXPECT_EQ(m.pending(), 1u);
  EXPECT_EQ(m.find(old->hash), nullptr);
  EXPECT_NE(m.find(ok->hash), nullptr);
}

}  // namespace
}  // namespace zkamm::node
