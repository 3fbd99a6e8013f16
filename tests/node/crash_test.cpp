// kill -9 durability: a child process runs a node under load and appends (with fsync) the hash of
// every tx its on_block callback reports, i.e. only after the block's synced write returned. The
// parent SIGKILLs it at a seeded random moment, then checks that every recorded hash is in the
// reopened store, that the state records equal a replay of the block log, and that a node reopens
// on the crashed directory. Five rounds on the same directory (a crash after a crash recovery).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "node/replay.hpp"
#include "node/store.hpp"
#include "node_test_util.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;

[[noreturn]] void child_main(const NodeConfig& cfg, const std::string& log_path, int ready_fd, uint64_t seed) {
  const int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (fd < 0) ::_exit(2);
  Node n(cfg);
  if (!n.error().empty()) ::_exit(3);
  n.on_block([fd](const Block& b) {
    std::string buf;
    for (const auto& t : b.txs) buf.append(reinterpret_cast<const char*>(t.hash.data()), t.hash.size());
    if (::write(fd, buf.data(), buf.size()) != static_cast<ssize_t>(buf.size())) ::_exit(4);
    ::fsync(fd);
  });
  std::mt19937_64 rng(seed);
  uint32_t nonce[4] = {0, 0, 0, 0};
  for (uint32_t a = 1; a <= 3; ++a) nonce[a] = static_cast<uint32_t>(n.account(a)->nonce);
  const char ok = 1;
  if (::write(ready_fd, &ok, 1) != 1) ::_exit(5);
  for (;;) {
    const uint32_t a = 1 + static_cast<uint32_t>(rng() % 3);
    const bool forward = rng() % 2 == 0;
    const SubmitResult r =
        n.submit(testing::swap(a, nonce[a], 1000 + rng() % 1000000, 0, UINT64_MAX, forward ? 1 : 2, forward ? 2 : 1));
    if (r.accepted) ++nonce[a];
  }
}

TEST(NodeCrash, KillNineKeepsEverySoftTx) {
  const uint64_t seed = zkamm::testing::test_seed("NodeCrash");
  std::mt19937_64 rng(seed);
  testing::TempDir dir;
  auto cfg = testing::test_config(dir.str() + "/db");
  cfg.block_time = 10ms;
  {
    Node n(cfg);
    ASSERT_EQ(n.error(), "");
    ASSERT_EQ(n.load_genesis_json(testing::test_genesis(3)), "");
  }
  const std::string log_path = dir.str() + "/soft.log";
  std::size_t total_checked = 0;
  for (int round = 0; round < 5; ++round) {
    int pipe_fd[2];
    ASSERT_EQ(::pipe(pipe_fd), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(pipe_fd[0]);
      child_main(cfg, log_path, pipe_fd[1], rng());
    }
    ::close(pipe_fd[1]);
    char c = 0;
    ASSERT_EQ(::read(pipe_fd[0], &c, 1), 1) << "child failed to start";
    ::close(pipe_fd[0]);
    // wait (bounded) until this child reported a soft block, so no round is vacuous
    const auto size_at_start = std::filesystem::exists(log_path) ? std::filesystem::file_size(log_path) : 0;
    for (int i = 0; i < 1000; ++i) {
      if (std::filesystem::exists(log_path) && std::filesystem::file_size(log_path) > size_at_start) break;
      std::this_thread::sleep_for(10ms);
    }
    const auto delay = std::chrono::milliseconds(rng() % 400);
    std::this_thread::sleep_for(delay);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);

    std::string err;
    auto store = Store::open(cfg.data_dir, err);
    ASSERT_TRUE(store) << err;
    std::ifstream in(log_path, std::ios::binary);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t n = all.size() / 32;
    for (std::size_t i = 0; i < n; ++i) {
      Hash h;
      std::copy(all.begin() + static_cast<std::ptrdiff_t>(32 * i), all.begin() + static_cast<std::ptrdiff_t>(32 * i + 32),
                h.begin());
      ASSERT_TRUE(store->has_tx(h)) << "round " << round << ": soft tx " << to_hex(h) << " lost (killed after "
                                    << delay.count() << " ms)";
    }
    total_checked = n;
    const auto replayed = replay_blocks(*store, cfg.domain, store->head().head);
    ASSERT_TRUE(replayed) << "round " << round;
    const auto records = load_state(*store);
    ASSERT_TRUE(records);
    EXPECT_EQ(*records, *replayed) << "round " << round;
  }
  std::cout << "[NodeCrash] " << total_checked << " soft txs recorded and found after 5 kills\n";
  // a node reopens on the crashed directory and its batches still check out
  Node n(cfg);
  ASSERT_EQ(n.error(), "");
  EXPECT_EQ(n.submit_and_wait(testing::swap(3, static_cast<uint32_t>(n.account(3)->nonce), 1000), 5s).status,
            TxStatus::kSoft);
  n.stop();
  EXPECT_EQ(n.status().last_root_batch, n.status().last_batch);
  EXPECT_GT(total_checked, 0u);
}

}  // namespace
}  // namespace zkamm::node
