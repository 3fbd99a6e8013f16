// A sequencer group of three `zkamm node` processes (own data dirs, quorum soft finality) and an
// etcd, all started by the test on free loopback ports and killed at the end. Under a steady load
// of signed swaps (sent to any member; followers forward), the leader is killed with SIGKILL at
// random moments ten times (the seed is printed; ZKAMM_SEED repeats it): every tx a client heard
// `soft` is soft on every member at the end, the members agree on every block (no fork: one head
// hash, terms never go back along the chain) and on the state. A leader stopped with SIGSTOP
// loses the lead; resumed, it appends nothing (it exits, deposed) and rejoins as a follower. A
// genesis cut short by failovers is completed by the next leaders, each step applied once.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <random>

#include "cluster_test_util.hpp"
#include "node/node_test_util.hpp"
#include "node/rpc_client.hpp"
#include "tx/encoding.hpp"

namespace zkamm::cluster {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
constexpr uint32_t kAccounts = 17;  // 1 provides the pool; the load swaps with 2..17
constexpr tx::Amount kE15 = 1'000'000'000'000'000ull;

using testing::Member;

class Group {
 public:
  explicit Group(const std::filesystem::path& root) : root_(root) {
    std::ofstream(root_ / "genesis.json") << node::testing::test_genesis(kAccounts);
    if (!etcd_.start(root_)) return;
    etcd_ok_ = true;
    members_ = testing::make_members(root_, 3);
    for (auto& m : members_) start(*m);
  }
  bool ok() const { return etcd_ok_; }
  Etcd etcd() const { return Etcd(etcd_.endpoint()); }
  std::vector<std::unique_ptr<Member>>& members() { return members_; }

  void start(Member& m) {
    std::filesystem::create_directories(m.dir);
    const auto& d = node::testing::test_domain();
    m.proc.start({std::string(ZKAMM_BINARY_DIR) + "/src/app/zkamm", "node", "--data-dir", (m.dir / "data").string(),
                  "--rpc-port", std::to_string(m.rpc_port), "--repl-port", std::to_string(m.repl_port), "--rpc-threads",
                  "1", "--verifier-threads", "1", "--group-etcd", etcd_.url(), "--group-id", m.id, "--group-size", "3",
                  "--soft-finality", "quorum", "--chain-id", std::to_string(d.chain_id), "--rollup",
                  node::testing::hex(d.rollup), "--block-time-ms", "10", "--batch-slots", "4", "--min-free-disk-mb", "0",
                  "--genesis", (root_ / "genesis.json").string()},
                 (m.dir / "node.log").string());
    ++m.starts;
  }

  /// The member etcd names leader now, or null.
  Member* leader() { return testing::leader_of(etcd(), members_); }
  int64_t term() {
    const auto kv = etcd().get("/zkamm/group/leader");
    return kv ? kv->create_revision : 0;
  }

  /// Restarts members that ended (a diverged one moved its data dir aside and exited).
  void revive() {
    for (auto& m : members_)
      if (!m->proc.running()) start(*m);
  }

  static std::optional<json> call(const Member& m, const std::string& method, json params,
                                  std::chrono::milliseconds timeout = 2s) {
    try {
      node::rpc::Client c(node::rpc::Endpoint{"127.0.0.1", m.rpc_port}, timeout);
      return c.call(method, std::move(params));
    } catch (const std::exception& e) {
      std::cout << m.id << " " << method << ": " << e.what() << std::endl;
      return std::nullopt;
    }
  }
  static bool pool_ready(const Member& m) {
    try {
      node::rpc::Client c(node::rpc::Endpoint{"127.0.0.1", m.rpc_port}, 2s);
      return c.call("zkamm_getPool", json::array({1, 2})).value("reserve0", "0") != "0";
    } catch (const std::exception&) {
      return false;
    }
  }
  static uint64_t head(const Member& m) {
    const auto s = call(m, "zkamm_status", json::array());
    return s ? s->value("head_block", uint64_t{0}) : 0;
  }

  /// Waits until every member runs and has the leader's head (bounded); false on timeout.
  bool settle(std::chrono::seconds limit) {
    const auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      revive();
      Member* l = leader();
      if (l != nullptr) {
        const uint64_t h = head(*l);
        bool all = h > 0 && pool_ready(*l);  // genesis done (its last step funds the pool)
        for (auto& m : members_) all = all && m->proc.running() && head(*m) >= h;
        if (all) return true;
      }
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

 private:
  std::filesystem::path root_;
  testing::EtcdProcess etcd_;
  bool etcd_ok_ = false;
  std::vector<std::unique_ptr<Member>> members_;
};

/// Signed swaps from accounts 2..kAccounts, one in flight per account, to a random member with
/// zkamm_sendTransactionSync. A failed send is resent with the same bytes (same nonce) until it
/// is soft or the nonce is taken by it (nonce_too_low / duplicate: it is in the chain).
class Load {
 public:
  Load(Group& g, uint64_t seed, unsigned threads) : g_(g) {
    for (unsigned t = 0; t < threads; ++t) workers_.emplace_back([this, seed, t, threads] { run(seed + t, t, threads); });
  }
  ~Load() { stop(); }
  void stop() {
    stop_ = true;
    for (auto& w : workers_)
      if (w.joinable()) w.join();
  }
  std::vector<std::string> acked() {
    std::lock_guard lk(mu_);
    return acked_;
  }

 private:
  void run(uint64_t seed, unsigned t, unsigned threads) {
    std::mt19937_64 rng(seed);
    std::map<uint32_t, uint32_t> nonce;
    std::vector<uint32_t> mine;
    for (uint32_t a = 2 + t; a <= kAccounts; a += threads) mine.push_back(a);
    std::size_t k = 0;
    while (!stop_) {
      const uint32_t a = mine[k++ % mine.size()];
      const tx::Tx tx = node::testing::swap(a, nonce[a], kE15 + rng() % kE15, 0, UINT64_MAX, a % 2 ? 1 : 2, a % 2 ? 2 : 1);
      const auto bytes = tx::encode(tx);
      const std::string hex = tx::to_hex0x(bytes.data(), bytes.size());
      while (!stop_) {
        auto& members = g_.members();
        const Member& m = *members[rng() % members.size()];
        try {
          node::rpc::Client c(node::rpc::Endpoint{"127.0.0.1", m.rpc_port}, 3s);
          const json r = c.call("zkamm_sendTransactionSync", json::array({hex}));
          if (r.value("status", "") == "soft") {
            std::lock_guard lk(mu_);
            acked_.push_back(r.value("hash", ""));
          }
          ++nonce[a];
          break;
        } catch (const node::rpc::RpcError& e) {
          const std::string name = e.data.is_object() ? e.data.value("name", "") : "";
          if (name == "nonce_too_low" || name == "duplicate") {
            ++nonce[a];
            break;
          }
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(20ms);  // resend the same tx (to another member, maybe)
      }
    }
  }
  Group& g_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<std::string> acked_;
  std::vector<std::thread> workers_;
};

/// Every member has the same head hash, the same pool and accounts, and every acked tx is soft
/// on each; terms never decrease along the chain.
void expect_same_chain(Group& g, const std::vector<std::string>& acked) {
  auto& ms = g.members();
  const auto s0 = Group::call(*ms[0], "zkamm_status", json::array());
  ASSERT_TRUE(s0);
  for (auto& m : ms) {
    const auto s = Group::call(*m, "zkamm_status", json::array());
    ASSERT_TRUE(s) << m->id;
    EXPECT_EQ(s->value("head_block", 0), s0->value("head_block", 0)) << m->id;
    EXPECT_EQ(s->value("head_hash", ""), s0->value("head_hash", "")) << m->id;
    EXPECT_EQ(Group::call(*m, "zkamm_getPool", json::array({1, 2})), Group::call(*ms[0], "zkamm_getPool", json::array({1, 2})));
    for (uint32_t a = 1; a <= kAccounts; ++a)
      EXPECT_EQ(Group::call(*m, "zkamm_getAccount", json::array({a})), Group::call(*ms[0], "zkamm_getAccount", json::array({a})))
          << m->id << " account " << a;
  }
  std::size_t lost = 0;
  for (const auto& h : acked)
    for (auto& m : ms) {
      const auto t = Group::call(*m, "zkamm_getTransaction", json::array({h}));
      if (!t || t->value("status", "") == "pending" || t->value("status", "") == "rejected") ++lost;
    }
  EXPECT_EQ(lost, 0u) << "acknowledged soft txs missing";
  uint64_t prev = 0;
  const uint64_t head = s0->value("head_block", uint64_t{0});
  for (uint64_t n = 1; n <= head; ++n) {
    const auto b = Group::call(*ms[0], "zkamm_getBlock", json::array({n}));
    ASSERT_TRUE(b) << n;
    const uint64_t term = b->value("term", uint64_t{0});
    ASSERT_GE(term, prev) << "block " << n << " goes back to an older term";
    prev = term;
  }
}

TEST(GroupFailover, KillTheLeaderTenTimesUnderLoad) {
  const uint64_t seed = node::testing::test_seed("GroupFailover");
  std::mt19937_64 rng(seed);
  node::testing::TempDir dir;
  Group g(dir.path);
  ASSERT_TRUE(g.ok()) << "etcd did not start (install etcd-server: scripts/install-deps.sh)";
  ASSERT_TRUE(g.settle(60s)) << "the group did not form";
  std::vector<double> failover_ms;
  {
    Load load(g, seed, 4);
    // ZKAMM_FAILOVER_ROUNDS: more rounds for the failover benchmark (bench/scripts/group_goals.sh).
    const int rounds = std::getenv("ZKAMM_FAILOVER_ROUNDS") ? std::atoi(std::getenv("ZKAMM_FAILOVER_ROUNDS")) : 10;
    for (int round = 0; round < rounds; ++round) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 800));
      Member* l = g.leader();
      ASSERT_NE(l, nullptr) << "round " << round;
      const int64_t old_term = g.term();
      const auto t0 = Clock::now();
      l->proc.kill(SIGKILL);
      // A new leader (another member, a higher term) within a bounded time.
      Member* nl = nullptr;
      while (Clock::now() - t0 < 15s) {
        nl = g.leader();
        if (nl != nullptr && nl != l && g.term() > old_term) break;
        std::this_thread::sleep_for(5ms);
      }
      ASSERT_TRUE(nl != nullptr && nl != l) << "round " << round << ": no new leader";
      failover_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      std::cout << "round " << round << ": " << l->id << " killed, " << nl->id << " leads (term " << g.term()
                << ") after " << failover_ms.back() << " ms" << std::endl;
      ASSERT_TRUE(g.settle(60s)) << "round " << round << ": the group did not recover";
    }
    load.stop();
    const auto acked = load.acked();
    std::cout << acked.size() << " txs acknowledged soft" << std::endl;
    EXPECT_GT(acked.size(), 0u);
    ASSERT_TRUE(g.settle(60s));
    std::this_thread::sleep_for(300ms);  // the followers' last blocks
    expect_same_chain(g, acked);
  }
  for (auto& m : g.members()) std::cout << m->id << " started " << m->starts << " times" << std::endl;
  std::sort(failover_ms.begin(), failover_ms.end());
  const auto pct = [&](double q) { return failover_ms[std::min(failover_ms.size() - 1, std::size_t(q * failover_ms.size()))]; };
  std::cout << "failover (kill -9 -> new leader key) ms over " << failover_ms.size() << " rounds: min "
            << failover_ms.front() << ", p50 " << pct(0.5) << ", p99 " << pct(0.99) << ", max " << failover_ms.back()
            << std::endl;
}

TEST(GroupFailover, StoppedLeaderResumedCannotAppend) {
  const uint64_t seed = node::testing::test_seed("GroupStopped");
  node::testing::TempDir dir;
  Group g(dir.path);
  ASSERT_TRUE(g.ok()) << "etcd did not start (install etcd-server: scripts/install-deps.sh)";
  ASSERT_TRUE(g.settle(60s));
  Member* old = g.leader();
  ASSERT_NE(old, nullptr);
  const int64_t old_term = g.term();
  old->proc.signal(SIGSTOP);
  const auto t0 = Clock::now();
  Member* nl = nullptr;
  while (Clock::now() - t0 < 20s) {
    nl = g.leader();
    if (nl != nullptr && nl != old) break;
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(nl != nullptr && nl != old) << "the stopped leader kept the lead";
  const int64_t new_term = g.term();
  EXPECT_GT(new_term, old_term);
  {
    Load load(g, seed, 2);
    std::this_thread::sleep_for(500ms);
    // The old leader wakes up believing it leads; a tx sent to it now must not turn soft there.
    old->proc.signal(SIGCONT);
    const tx::Tx t = node::testing::swap(1, 0, kE15);
    const auto bytes = tx::encode(t);
    const auto r = Group::call(*old, "zkamm_sendTransactionSync", json::array({tx::to_hex0x(bytes.data(), bytes.size())}), 3s);
    EXPECT_FALSE(r && r->value("status", "") == "soft") << "a deposed leader acknowledged a tx";
    const auto until = Clock::now() + 10s;
    while (old->proc.running() && Clock::now() < until) std::this_thread::sleep_for(10ms);
    EXPECT_FALSE(old->proc.running()) << "the deposed leader did not stop";
    std::cout << old->id << " (term " << old_term << ") resumed and exited with status " << old->proc.status()
              << "; " << nl->id << " leads with term " << new_term << std::endl;
    EXPECT_TRUE(old->proc.status() == 75 || old->proc.status() == 76) << old->proc.status();
    std::this_thread::sleep_for(300ms);
    load.stop();
    ASSERT_TRUE(g.settle(60s));  // it rejoins as a follower (after a resync if it had written a block)
    std::this_thread::sleep_for(300ms);
    expect_same_chain(g, load.acked());
  }
  // No block of the old term after the new term's first one (checked by expect_same_chain), and
  // none of the old term on top: the head's term is the new one or later.
  const auto b = Group::call(*nl, "zkamm_getBlock", json::array());
  ASSERT_TRUE(b);
  EXPECT_GE(b->value("term", int64_t{0}), new_term);
}

// A genesis cut short by a failover (issue 23): each leader applies at most 20 steps of the
// genesis (2 tokens, 17 accounts, 36 deposits, a pool: 57 steps) and then ends like a kill -9
// (ZKAMM_FAULT=genesis-cut-20, a test-only hook in src/cluster/member.cpp); the next leader goes
// on from where the replicated blocks end. At the end every member holds the whole genesis,
// each priority op and signed tx applied exactly once.
TEST(GroupFailover, AGenesisCutShortByFailoversIsCompletedOnce) {
  ::setenv("ZKAMM_FAULT", "genesis-cut-20", 1);  // inherited by the members started below
  struct Unset {
    ~Unset() { ::unsetenv("ZKAMM_FAULT"); }
  } unset;
  node::testing::TempDir dir;
  Group g(dir.path);
  ASSERT_TRUE(g.ok()) << "etcd did not start (install etcd-server: scripts/install-deps.sh)";
  ASSERT_TRUE(g.settle(90s)) << "the genesis was not completed";
  std::this_thread::sleep_for(300ms);  // the followers' last blocks
  ASSERT_TRUE(g.settle(30s));
  int cut = 0;
  for (auto& m : g.members()) cut += m->starts - 1;
  std::cout << "the genesis was cut short " << cut << " times" << std::endl;
  EXPECT_GE(cut, 2);
  std::optional<std::string> root;
  for (auto& m : g.members()) {
    const auto s = Group::call(*m, "zkamm_status", json::array());
    ASSERT_TRUE(s) << m->id;
    // 17 creates + 2 x 17 balances + the provider's 2 pool deposits, each once.
    EXPECT_EQ(s->value("next_priority_serial", ""), "53") << m->id;
    EXPECT_EQ(s->value("num_accounts", uint64_t{0}), kAccounts + 1) << m->id;
    if (!root) root = s->value("state_root", "");
    EXPECT_EQ(s->value("state_root", ""), *root) << m->id;
    for (uint32_t i : {1u, 9u, kAccounts}) {
      const auto a = Group::call(*m, "zkamm_getAccount", json::array({i}));
      ASSERT_TRUE(a) << m->id << " account " << i;
      EXPECT_EQ(a->value("nonce", uint64_t{99}), i == 1 ? 2u : 0u) << m->id << " account " << i;  // create_pool, add_liquidity
      const json& b = a->value("balances", json::object());
      // account 1 put 10^21 and 4 * 10^21 into the pool, its genesis deposits included
      EXPECT_EQ(b.value("1", ""), "1000000000000000000000000") << m->id << " account " << i;
      EXPECT_EQ(b.value("2", ""), "1000000000000000000000000") << m->id << " account " << i;
    }
    const auto p = Group::call(*m, "zkamm_getPool", json::array({1, 2}));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->value("reserve0", ""), "1000000000000000000000") << m->id;
    EXPECT_EQ(p->value("reserve1", ""), "4000000000000000000000") << m->id;
  }
}

}  // namespace
}  // namespace zkamm::cluster
