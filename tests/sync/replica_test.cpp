// The L1 replica's engine (issue 16) on synthetic histories (sync/synthetic_history.hpp): every
// batch replayed from its public data alone, roots checked against the stored ones, the state
// and the exit proofs equal to the reference state's, a restart (and a kill -9 of a process in
// the middle of its steps) resumes from the store, an altered byte stops the replica with an
// error naming the batch, and journalled steps can be undone (reorgs).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "node/exit_proof.hpp"
#include "sync/replica.hpp"
#include "sync/synthetic_history.hpp"

namespace zkamm::sync {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  explicit TempDir(const char* tag) : path(fs::temp_directory_path() / (std::string("zkamm-sync-") + tag + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

ChainInfo chain() {
  ChainInfo c;
  c.chain_id = 31337;
  c.rollup[19] = 0x42;
  c.deploy_block = 1;
  c.genesis_root = state::StateTrees::build(state::State{}).root();
  return c;
}

/// Steps of `per` batches each (the first step also registers the tokens).
std::vector<SyncUpdate> steps(const History& h, size_t per, bool journal = false) {
  std::vector<SyncUpdate> out;
  for (size_t i = 0; i < h.batches.size(); i += per) {
    SyncUpdate u;
    if (i == 0) u.tokens = h.tokens;
    for (size_t k = i; k < std::min(h.batches.size(), i + per); ++k) u.batches.push_back(h.batches[k]);
    u.cursor.block = u.batches.back().final_block;
    u.cursor.hash[0] = static_cast<uint8_t>(out.size() + 1);
    u.journal = journal;
    out.push_back(std::move(u));
  }
  return out;
}

std::unique_ptr<Replica> open_bound(const fs::path& dir) {
  std::string err;
  auto r = Replica::open(dir.string(), err);
  EXPECT_NE(r, nullptr) << err;
  if (r) {
    EXPECT_EQ(r->bind(chain()), "");
  }
  return r;
}

void expect_same_state(const Replica& r, const History& h) {
  EXPECT_EQ(r.root(), h.final_root);
  EXPECT_EQ(r.meta().last_batch, h.batches.size());
  for (uint32_t a = 0; a < h.final_state.num_accounts(); ++a) {
    auto acc = r.account(a);
    ASSERT_TRUE(acc.has_value()) << a;
    EXPECT_EQ(*acc, *h.final_state.account(a)) << "account " << a;
  }
  for (const auto& [pair, pool] : h.final_state.pools()) {
    auto p = r.pool(pair.first, pair.second);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(*p, pool);
  }
}

TEST(Replica, RebuildsUniversalAndSwapBatchesAndServesExitProofs) {
  HistoryParams hp;
  hp.accounts = 12;
  hp.swaps = 120;
  hp.slots = 8;
  hp.transfers_every = 3;
  const History h = make_history(hp);
  ASSERT_GT(h.batches.size(), 10u);
  size_t swap_batches = 0;
  for (const auto& b : h.batches) swap_batches += b.kind() == tx::BatchKind::Swap;
  EXPECT_GT(swap_batches, 3u);
  EXPECT_LT(swap_batches, h.batches.size());
  TempDir dir("rebuild");
  auto r = open_bound(dir.path);
  ASSERT_NE(r, nullptr);
  for (const SyncUpdate& u : steps(h, 5)) ASSERT_EQ(r->commit(u), "");
  expect_same_state(*r, h);
  EXPECT_EQ(r->meta().slots_replayed, [&] {
    uint64_t n = 0;
    for (const auto& b : h.batches) {
      const size_t w = b.kind() == tx::BatchKind::Swap ? 10 : 42;
      for (size_t off = 0; off < b.pubdata.size(); off += w) {
        bool zero = true;
        for (size_t i = 0; i < w; ++i) zero = zero && b.pubdata[off + i] == 0;
        n += zero ? 0 : 1;
      }
    }
    return n;
  }());
  // Every balance and LP position has a proof that hashes to the root.
  size_t proofs = 0, lp = 0;
  for (uint32_t a = 1; a < h.final_state.num_accounts(); ++a) {
    for (const auto& [token, amount] : h.final_state.account(a)->balances) {
      if (amount == ff::U256{}) continue;
      const node::ExitProofResult res = r->exit_proof(a, token);
      ASSERT_TRUE(res.ok()) << res.message;
      EXPECT_EQ(res.proof->balance, amount);
      EXPECT_EQ(node::exit_proof_root(*res.proof), h.final_root);
      ++proofs;
      lp += token >= state::kFirstLpToken;
    }
  }
  EXPECT_GT(proofs, 30u);
  EXPECT_EQ(lp, 8u);  // accounts 1..4 in both pools
  EXPECT_EQ(r->exit_proof(99, 1).error, node::ExitProofError::kUnknownAccount);
  // Batch records: what L1 held.
  auto b3 = r->batch(3);
  ASSERT_TRUE(b3.has_value());
  EXPECT_EQ(b3->pubdata, h.batches[2].pubdata);
}

TEST(Replica, ResumesAfterReopenAndAfterAKill) {
  HistoryParams hp;
  hp.accounts = 6;
  hp.swaps = 60;
  hp.slots = 4;
  const History h = make_history(hp);
  const auto all = steps(h, 3);
  ASSERT_GT(all.size(), 4u);
  TempDir dir("resume");
  {
    auto r = open_bound(dir.path);
    ASSERT_NE(r, nullptr);
    ASSERT_EQ(r->commit(all[0]), "");
    ASSERT_EQ(r->commit(all[1]), "");
  }
  // A child process commits two more steps and dies without any clean-up (as with kill -9).
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid == 0) {
    auto r = open_bound(dir.path);
    const bool ok = r && r->commit(all[2]).empty() && r->commit(all[3]).empty();
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto r = open_bound(dir.path);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->meta().last_batch, all[3].batches.back().number);
  EXPECT_EQ(r->meta().cursor.block, all[3].cursor.block);
  for (size_t i = 4; i < all.size(); ++i) ASSERT_EQ(r->commit(all[i]), "");
  expect_same_state(*r, h);
  // A store made for another rollup is refused.
  ChainInfo other = chain();
  other.rollup[0] = 1;
  EXPECT_NE(r->bind(other).find("belongs to rollup"), std::string::npos);
}

TEST(Replica, AnAlteredByteStopsAtTheBatchWithTheRootMismatch) {
  HistoryParams hp;
  hp.accounts = 6;
  hp.swaps = 0;
  hp.slots = 4;
  History h = make_history(hp);
  ASSERT_GE(h.batches.size(), 4u);
  // Batch 2's first deposit: the low byte of its amount (bytes 6..21 of a deposit slot).
  L1Batch& b2 = h.batches[1];
  size_t at = 0;
  while (b2.pubdata[at] != 1) at += 42;
  b2.pubdata[at + 21] ^= 0x01;
  TempDir dir("tamper");
  auto r = open_bound(dir.path);
  ASSERT_NE(r, nullptr);
  const auto all = steps(h, 3);
  const std::string e = r->commit(all[0]);
  EXPECT_NE(e.find("batch 2: root mismatch"), std::string::npos) << e;
  EXPECT_NE(e.find("the contract stored " + fr_hex(h.batches[1].stored_root)), std::string::npos) << e;
  EXPECT_EQ(r->meta().last_batch, 0u) << "nothing of the failed step is kept";
  EXPECT_EQ(r->root(), chain().genesis_root);
  EXPECT_EQ(r->commit(all[1]), e) << "the replica stays stopped";
  EXPECT_EQ(r->status().error, e);
  // A byte that makes the slot unreplayable (an unknown type) names the batch too.
  History h2 = make_history(hp);
  h2.batches[0].pubdata[0] = 0x0b;
  TempDir dir2("tamper2");
  auto r2 = open_bound(dir2.path);
  const std::string e2 = r2->commit(steps(h2, 3)[0]);
  EXPECT_NE(e2.find("batch 1: its public data does not replay"), std::string::npos) << e2;
}

TEST(Replica, JournalledStepsRollBack) {
  HistoryParams hp;
  hp.accounts = 6;
  hp.swaps = 40;
  hp.slots = 4;
  const History h = make_history(hp);
  const auto all = steps(h, 2, true);
  ASSERT_GT(all.size(), 3u);
  TempDir dir("journal");
  auto r = open_bound(dir.path);
  ASSERT_EQ(r->commit(all[0]), "");
  const ff::Fr root1 = r->root();
  const SyncMeta m1 = r->meta();
  ASSERT_EQ(r->commit(all[1]), "");
  ASSERT_EQ(r->commit(all[2]), "");
  ASSERT_EQ(r->rollback_one(), "");
  ASSERT_EQ(r->rollback_one(), "");
  EXPECT_EQ(r->root(), root1);
  EXPECT_EQ(r->meta().last_batch, m1.last_batch);
  EXPECT_EQ(r->meta().cursor.hash, m1.cursor.hash);
  EXPECT_FALSE(r->batch(m1.last_batch + 1).has_value()) << "the undone batches' records are gone";
  for (size_t i = 1; i < all.size(); ++i) ASSERT_EQ(r->commit(all[i]), "");
  expect_same_state(*r, h);
  // A restart keeps the journal.
  r.reset();
  r = open_bound(dir.path);
  ASSERT_EQ(r->rollback_one(), "");
  EXPECT_EQ(r->meta().last_batch, all[all.size() - 2].batches.back().number);
}

TEST(Replica, PendingCommitsPersist) {
  HistoryParams hp;
  hp.accounts = 2;
  hp.swaps = 0;
  hp.slots = 4;
  const History h = make_history(hp);
  TempDir dir("pending");
  {
    auto r = open_bound(dir.path);
    SyncUpdate u;
    u.tokens = h.tokens;
    u.pending_put.push_back(h.batches[0]);
    u.cursor.block = 5;
    ASSERT_EQ(r->commit(u), "");
  }
  auto r = open_bound(dir.path);
  ASSERT_EQ(r->pending().size(), 1u);
  SyncUpdate u;
  u.batches.push_back(r->pending().at(1));
  u.cursor.block = 6;
  ASSERT_EQ(r->commit(u), "");
  EXPECT_TRUE(r->pending().empty());
  EXPECT_EQ(r->meta().last_batch, 1u);
}

}  // namespace
}  // namespace zkamm::sync
