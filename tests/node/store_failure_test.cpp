// What the node does when its disk fails it (docs/NODE.md "Failure modes"):
// - a damaged or truncated write-ahead log: RocksDB recovers to an older head without an error;
//   the ACKED high-water mark turns that into a refusal to start that says what was lost, and
//   accept_store_rollback (--accept-rollback) continues from what is left;
// - a damaged ACKED file also refuses without the flag;
// - a damaged trees database (the trees are derived data) is deleted and rebuilt from the state;
// - the disk guard: submit rejects with store_unavailable and /health answers 503 with the reason
//   while free space is under the reserve, and both recover when space returns (free space comes
//   from an injected probe here; tests/node/full_disk_tmpfs.sh runs a real full tmpfs).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "node/node_test_util.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_service.hpp"
#include "node/store.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

using testing::kAccounts;

/// A node with the genesis and `blocks` blocks of one swap each (one WAL: all written in this run).
NodeStatus fill(const NodeConfig& cfg, int blocks) {
  Node n(cfg);
  EXPECT_EQ(n.error(), "");
  EXPECT_EQ(n.load_genesis_json(testing::test_genesis(kAccounts)), "");
  testing::swaps_soft(n, blocks, kAccounts);
  n.stop();
  return n.status();
}

/// The newest write-ahead log file of the block store (not the trees').
fs::path newest_wal(const std::string& dir) {
  fs::path best;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".log" && (best.empty() || e.path().filename() > best.filename())) best = e.path();
  return best;
}

void expect_refusal_then_accept(const NodeConfig& cfg, const NodeStatus& before) {
  uint64_t left_head = 0;
  {
    Node n(cfg);
    const std::string& e = n.error();
    ASSERT_NE(e, "") << "the node started at an older head without a word";
    EXPECT_NE(e.find("--accept-rollback"), std::string::npos) << e;
    EXPECT_NE(e.find("had acknowledged block " + std::to_string(before.head_block)), std::string::npos) << e;
    EXPECT_NE(e.find("soft transactions are gone"), std::string::npos) << e;
    std::cout << "[StoreFailure] refused: " << e << "\n";
    EXPECT_EQ(n.submit(testing::swap(1, 0, 1)).code, RejectCode::kShuttingDown);
  }
  {
    Node again(cfg);  // refusing changed nothing: it refuses again
    EXPECT_NE(again.error(), "");
  }
  {
    auto c = cfg;
    c.accept_store_rollback = true;
    Node n(c);
    ASSERT_EQ(n.error(), "");
    left_head = n.status().head_block;
    EXPECT_LT(left_head, before.head_block);
    EXPECT_LT(n.status().soft_txs, before.soft_txs);
    // It goes on from what is left: new blocks follow the surviving head.
    if (n.status().num_accounts > kAccounts) {
      const auto a1 = n.account(1);
      ASSERT_TRUE(a1);
      const auto info = n.submit_and_wait(testing::swap(1, static_cast<uint32_t>(a1->nonce), 77), 5s);
      EXPECT_EQ(info.status, TxStatus::kSoft) << info.reason;
      EXPECT_EQ(info.block, left_head + 1);
      ++left_head;
    }
    n.stop();
  }
  Node n(cfg);  // the mark moved back with the accepted rollback: a plain start works again
  ASSERT_EQ(n.error(), "");
  EXPECT_EQ(n.status().head_block, left_head);
}

TEST(StoreFailure, TruncatedWalRefusesToStartAndReportsTheLoss) {
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  const NodeStatus before = fill(cfg, 24);
  const fs::path wal = newest_wal(cfg.data_dir);
  ASSERT_FALSE(wal.empty());
  const auto size = fs::file_size(wal);
  fs::resize_file(wal, size * 3 / 4);
  std::cout << "[StoreFailure] truncated " << wal.filename() << " from " << size << " to " << size * 3 / 4
            << " bytes (head was block " << before.head_block << ")\n";
  expect_refusal_then_accept(cfg, before);
}

TEST(StoreFailure, FlippedWalBitsRefuseToStartAndReportTheLoss) {
  const uint64_t seed = zkamm::testing::test_seed("StoreFailure.FlippedWalBits");
  std::mt19937_64 rng(seed);
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  const NodeStatus before = fill(cfg, 24);
  const fs::path wal = newest_wal(cfg.data_dir);
  ASSERT_FALSE(wal.empty());
  const auto size = fs::file_size(wal);
  // One byte's bits flipped in the third quarter: the swaps' synced blocks. (A flip in the last
  // records may hit only the batch records written unsynced at stop, which are not acknowledged:
  // that is no loss, and the node rightly starts; they are recomputed.)
  const auto at = static_cast<std::streamoff>(size / 2 + rng() % (size / 4));
  std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(at);
  f.write(&c, 1);
  f.close();
  std::cout << "[StoreFailure] flipped bits at byte " << at << " of " << size << "\n";
  expect_refusal_then_accept(cfg, before);
}

TEST(StoreFailure, DamagedAckMarkRefusesWithoutTheFlag) {
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  const NodeStatus before = fill(cfg, 3);
  {
    std::ofstream f(cfg.data_dir + "/ACKED", std::ios::binary | std::ios::trunc);
    f << std::string(128, 'z');
  }
  {
    Node n(cfg);
    EXPECT_NE(n.error().find("ACKED"), std::string::npos) << n.error();
    EXPECT_NE(n.error().find("--accept-rollback"), std::string::npos) << n.error();
  }
  {
    auto c = cfg;
    c.accept_store_rollback = true;
    Node n(c);
    ASSERT_EQ(n.error(), "");
    EXPECT_EQ(n.status().head_block, before.head_block) << "nothing was lost, only the mark";
  }
  Node n(cfg);
  EXPECT_EQ(n.error(), "");
}

TEST(StoreFailure, KillNineBetweenBlocksIsNoFalseAlarm) {
  // A restart after kill -9 recovers the WAL up to at least the mark (synced writes only move
  // it); kill -9 durability proper is tests/node/crash_test.cpp, which restarts through the same
  // check five times.
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    Node n(cfg);
    if (!n.error().empty() || !n.load_genesis_json(testing::test_genesis(kAccounts)).empty()) ::_exit(3);
    for (uint32_t i = 0;; ++i) {
      const uint32_t a = 1 + i % kAccounts;
      (void)n.submit_and_wait(testing::swap(a, static_cast<uint32_t>(n.account(a)->nonce), 500 + i), 5s);
    }
  }
  std::this_thread::sleep_for(1500ms);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  EXPECT_GT(n.status().head_block, 0u);
}

void damage_trees_and_expect_a_rebuild(const std::function<void(const fs::path&)>& damage) {
  testing::TempDir dir;
  const auto cfg = testing::test_config(dir.str() + "/db");
  ff::Fr root;
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    ASSERT_EQ(n.load_genesis_json(testing::test_genesis(kAccounts)), "");
    testing::swaps_soft(n, 9, kAccounts);
    n.stop();
    root = n.status().state_root;
    ASSERT_GT(n.status().last_root_batch, 0u);
  }
  damage(fs::path(cfg.data_dir) / "trees");
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "") << "the trees are derived data: a damaged trees database must not stop the start";
    EXPECT_FALSE(n.status().trees_restored);
    EXPECT_EQ(n.status().state_root, root);
    testing::swaps_soft(n, 5, kAccounts, 100);
    n.stop();
  }
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  EXPECT_TRUE(n.status().trees_restored) << "the rebuilt trees were stored";
  EXPECT_EQ(state::StateTrees::build(n.state_copy()).root(), n.status().state_root);
}

TEST(StoreFailure, DamagedTreesCurrentFileIsRebuilt) {
  damage_trees_and_expect_a_rebuild([](const fs::path& trees) {
    std::ofstream(trees / "CURRENT", std::ios::trunc) << "garbage\n";
  });
}

TEST(StoreFailure, GarbledTreesFilesAreRebuilt) {
  const uint64_t seed = zkamm::testing::test_seed("StoreFailure.GarbledTreesFiles");
  damage_trees_and_expect_a_rebuild([seed](const fs::path& trees) {
    std::mt19937_64 rng(seed);
    // Every file RocksDB wrote (manifest, WAL, tables) gets random bytes over its middle.
    for (const auto& e : fs::directory_iterator(trees)) {
      const auto name = e.path().filename().string();
      if (name == "LOCK" || name == "CURRENT" || name == "IDENTITY" || !e.is_regular_file()) continue;
      const auto size = fs::file_size(e.path());
      if (size < 16) continue;
      std::fstream f(e.path(), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(size / 4));
      for (uintmax_t i = size / 4; i < size * 3 / 4; ++i) f.put(static_cast<char>(rng()));
    }
  });
}

TEST(StoreFailure, LowDiskRejectsWithStoreUnavailableAnd503ThenResumes) {
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  auto free = std::make_shared<std::atomic<uint64_t>>(uint64_t{1} << 30);
  cfg.free_disk_probe = [free](const std::string&) -> std::optional<uint64_t> { return free->load(); };
  cfg.min_free_disk_bytes = 64ull << 20;
  cfg.disk_check_interval = 10ms;
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  ASSERT_EQ(n.load_genesis_json(testing::test_genesis(kAccounts)), "");
  rpc::ServiceConfig sc;
  sc.server.port = 0;
  rpc::Service service(n, sc);
  std::string err;
  ASSERT_TRUE(service.start(&err)) << err;
  rpc::Client client(rpc::Endpoint{"127.0.0.1", service.port()}, 10s);
  EXPECT_EQ(client.get("/health").first, 200u);
  testing::swaps_soft(n, 2, kAccounts);

  const auto wait_for = [](const std::function<bool()>& cond) {
    for (int i = 0; i < 500 && !cond(); ++i) std::this_thread::sleep_for(10ms);
    return cond();
  };
  free->store(10ull << 20);
  ASSERT_TRUE(wait_for([&] { return !n.store_problem().empty(); }));
  EXPECT_NE(n.store_problem().find("disk nearly full"), std::string::npos) << n.store_problem();
  const auto a1 = n.account(1);
  const tx::Tx t = testing::swap(1, static_cast<uint32_t>(a1->nonce), 4242);
  const SubmitResult r = n.submit(t);
  EXPECT_FALSE(r.accepted);
  EXPECT_EQ(r.code, RejectCode::kStoreUnavailable);
  EXPECT_EQ(to_string(r.code), "store_unavailable");
  EXPECT_NE(r.reason.find("10 MiB free"), std::string::npos) << r.reason;
  const auto [code, body] = client.get("/health");
  EXPECT_EQ(code, 503u);
  EXPECT_NE(body.find("disk nearly full"), std::string::npos) << body;
  EXPECT_NE(body.find("store_unavailable"), std::string::npos) << body;
  EXPECT_EQ(n.tx_info(r.hash).status, TxStatus::kUnknown) << "a refusal for the disk is no verdict on the tx";

  free->store(100ull << 20);  // over the reserve, under the resume threshold (2 x 64 MiB)
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(n.submit(t).code, RejectCode::kStoreUnavailable) << "no flapping at the threshold";

  free->store(1ull << 30);
  ASSERT_TRUE(wait_for([&] { return n.store_problem().empty(); }));
  EXPECT_EQ(client.get("/health").first, 200u);
  const TxInfo info = n.submit_and_wait(t, 5s);
  EXPECT_EQ(info.status, TxStatus::kSoft) << info.reason;
  service.stop();
}

// A real full disk: run by tests/node/full_disk_tmpfs.sh (it mounts a small tmpfs, which needs
// root, and names it in ZKAMM_FULL_DISK_DIR). The guard is off so RocksDB itself meets ENOSPC.
TEST(StoreFailureManual, DISABLED_RealFullDiskStopsCleanlyAndResumes) {
  const char* root = std::getenv("ZKAMM_FULL_DISK_DIR");
  ASSERT_NE(root, nullptr) << "run tests/node/full_disk_tmpfs.sh";
  auto cfg = testing::test_config(std::string(root) + "/db");
  cfg.min_free_disk_bytes = 0;
  cfg.disk_check_interval = 100ms;
  const fs::path filler = fs::path(root) / "filler";
  const auto fill_disk = [&] {
    std::ofstream f(filler, std::ios::binary | std::ios::app);
    const std::string chunk(1 << 16, 'f');
    while (f.write(chunk.data(), static_cast<std::streamsize>(chunk.size())) && f.flush()) {
    }
  };
  std::vector<Hash> soft;
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    ASSERT_EQ(n.load_genesis_json(testing::test_genesis(kAccounts)), "");
  }
  // Full but for 256 KiB: RocksDB preallocates its WAL (35 MiB) when it can, which would take
  // minutes of swaps to use up; on a nearly full disk it cannot, and the WAL meets ENOSPC soon.
  const fs::path slack = fs::path(root) / "slack";
  std::ofstream(slack, std::ios::binary) << std::string(256 << 10, 's');
  fill_disk();
  fs::remove(slack);
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    std::cout << "[full disk] started with " << fs::space(root).available << " bytes available\n";
    // Keep submitting until a write fails; nothing that is not durable may be reported soft.
    const auto t0 = std::chrono::steady_clock::now();
    uint32_t i = 0;
    while (n.store_problem().empty() && std::chrono::steady_clock::now() - t0 < 30s) {
      const uint32_t a = 1 + i % kAccounts;
      const TxInfo info = n.submit_and_wait(testing::swap(a, static_cast<uint32_t>(n.account(a)->nonce), 900 + i++), 2s);
      if (info.status == TxStatus::kSoft) soft.push_back(info.hash);
    }
    ASSERT_NE(n.store_problem(), "") << "the disk never filled up";
    std::cout << "[full disk] " << soft.size() << " swaps soft, then: " << n.store_problem() << "\n";
    const SubmitResult r = n.submit(testing::swap(1, static_cast<uint32_t>(n.account(1)->nonce) + 1, 1));
    EXPECT_EQ(r.code, RejectCode::kStoreUnavailable) << r.reason;
    std::this_thread::sleep_for(3s);  // the old node aborted 1-1.5 s after the disk filled
    fs::remove(filler);
    const auto t1 = std::chrono::steady_clock::now();
    bool back = false;
    while (!back && std::chrono::steady_clock::now() - t1 < 30s) {
      std::this_thread::sleep_for(100ms);
      back = n.store_problem().empty();
    }
    ASSERT_TRUE(back) << "space returned but the node did not resume: " << n.store_problem();
    std::cout << "[full disk] resumed "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t1).count()
              << " ms after the space returned\n";
    for (uint32_t k = 0; k < 8; ++k) {
      const uint32_t a = 1 + k % kAccounts;
      const TxInfo info = n.submit_and_wait(testing::swap(a, static_cast<uint32_t>(n.account(a)->nonce), 3000 + k), 5s);
      ASSERT_EQ(info.status, TxStatus::kSoft) << info.reason;
      soft.push_back(info.hash);
    }
    n.stop();
  }
  fill_disk();
  {
    Node n(cfg);  // starting on a full disk: a clear error, no abort
    std::cout << "[full disk] start on a full disk: " << n.error() << "\n";
    EXPECT_NE(n.error(), "");
  }
  fs::remove(filler);
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  for (const Hash& h : soft) EXPECT_EQ(n.tx_info(h).status >= TxStatus::kSoft, true) << to_hex(h);
  std::cout << "[full disk] all " << soft.size() << " soft swaps found after the restart\n";
}

}  // namespace
}  // namespace zkamm::node
