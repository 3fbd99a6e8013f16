// zkamm bench on a small in-process node: every report file is written, every sent swap is
// accounted for (soft, rejected or timed out), and the counts agree with what the node itself
// reports (zkamm_status soft_txs delta, zkamm_getTransaction per swap). The node is the oracle
// here: the bench learns soft finality from the newBlocks feed, the node from its own store.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench/bench.hpp"
#include "bench/records.hpp"
#include "bench/resources.hpp"
#include "bench/workload.hpp"
#include "node/node.hpp"
#include "node/rpc_service.hpp"

namespace zkamm::bench {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::size_t lines(const fs::path& p) {
  std::ifstream in(p);
  std::size_t n = 0;
  std::string l;
  while (std::getline(in, l)) ++n;
  return n;
}

BenchConfig small_config(const std::string& name) {
  BenchConfig c;
  c.out_dir = (fs::path(ZKAMM_BINARY_DIR) / "bench-test" / name).string();
  fs::remove_all(c.out_dir);
  c.accounts_per_instance = 2;
  c.swaps_per_account = 5;
  c.batch_slots = 4;
  c.batch_timeout_ms = 200;
  c.block_time_ms = 50;
  c.max_block_txs = 100;
  c.tokens = 3;
  c.soft_timeout_s = 20;
  c.progress = false;
  c.seed = 7;
  return c;
}

TEST(Bench, TableReportAccountsForEverySwap) {
  BenchConfig c = small_config("table");
  c.mode = Mode::kTable;
  c.table_instances = {1, 2};
  std::printf("seed %llu\n", static_cast<unsigned long long>(c.seed));
  const BenchResult r = run(c);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.runs.size(), 2u);
  uint64_t total = 0;
  for (const auto& s : r.runs) {
    EXPECT_EQ(s.sent, uint64_t{s.instances} * 2 * 5) << s.label;
    EXPECT_EQ(s.sent, s.soft + s.rejected + s.timed_out) << s.label;
    EXPECT_EQ(s.soft, s.sent) << s.label << ": honest slippage limits, nothing should fail";
    EXPECT_EQ(s.node_soft_delta, s.soft) << s.label << ": zkamm_status soft_txs delta";
    EXPECT_EQ(s.node_verified, s.sent) << s.label << ": zkamm_getTransaction agrees for every swap";
    EXPECT_GT(s.tps, 0);
    EXPECT_GE(s.soft_max_ms, s.soft_p50_ms);
    total += s.sent;
  }
  const fs::path d = r.report_dir;
  for (const char* f : {"summary.md", "summary.json", "table.csv", "txs.csv", "blocks.csv", "batches.csv", "tps.csv",
                        "cumulative.csv", "latency_cdf.csv", "resources.csv", "reasons.csv", "plots.gp", "tps.png",
                        "cumulative.png", "blocks.png", "latency_cdf.png", "resources.png"}) {
    ASSERT_TRUE(fs::exists(d / f)) << f;
    EXPECT_GT(fs::file_size(d / f), 0u) << f;
  }
  EXPECT_EQ(lines(d / "txs.csv"), total + 1);
  EXPECT_EQ(lines(d / "table.csv"), 3u);
  EXPECT_GE(lines(d / "batches.csv"), 2u);
  const std::string md = read(d / "summary.md");
  EXPECT_NE(md.find("| 1 | 200 | 1 | 200.00 | 10 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 2 | 400 | 2 | 200.00 | 20 |"), std::string::npos) << md;
  EXPECT_NE(md.find("71.43"), std::string::npos);
  const auto j = nlohmann::json::parse(read(d / "summary.json"));
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_EQ(j["runs"][1]["soft"].get<uint64_t>(), 20u);
  EXPECT_EQ(j["runs"][1]["soft_in_blocks"].get<uint64_t>(), 20u);
  // the per-swap file: each soft swap has ordered times and a block
  std::ifstream tx(d / "txs.csv");
  std::string line;
  std::getline(tx, line);
  while (std::getline(tx, line)) {
    EXPECT_NE(line.find(",soft,"), std::string::npos) << line;
  }
}

TEST(Bench, OpenLoopMeasuresFromIntendedTime) {
  BenchConfig c = small_config("open");
  c.mode = Mode::kOpen;
  c.instances = 2;
  c.rate = 100;
  c.duration_s = 0.2;
  c.plots = false;
  const BenchResult r = run(c);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.runs.size(), 1u);
  const auto& s = r.runs[0];
  EXPECT_EQ(s.sent, 20u);
  EXPECT_EQ(s.sent, s.soft + s.rejected + s.timed_out);
  EXPECT_EQ(s.node_soft_delta, s.soft);
  // 20 swaps at 100/s span ~190 ms of intended send times
  std::ifstream tx(fs::path(r.report_dir) / "txs.csv");
  std::string line;
  std::getline(tx, line);
  double last_intended = -1;
  int rows = 0;
  while (std::getline(tx, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    ASSERT_GE(f.size(), 14u);
    const double intended = std::stod(f[9]), send = std::stod(f[10]);
    EXPECT_GE(send + 1.0, intended);  // never sent (much) before its time
    if (rows > 0 && f[1] == "0") {
      EXPECT_GE(intended, last_intended - 1e-6);
    }
    last_intended = f[1] == "0" ? intended : last_intended;
    ++rows;
  }
  EXPECT_EQ(rows, 20);
}

TEST(Bench, RejectsBadTargets) {
  BenchConfig c = small_config("bad");
  c.url = "ftp://nowhere";
  EXPECT_FALSE(run(c).ok);
  c.url = "http://127.0.0.1:1";
  EXPECT_FALSE(run(c).ok);  // no genesis given
  c.genesis_path = "/nonexistent/genesis.json";
  EXPECT_FALSE(run(c).ok);
  BenchConfig z = small_config("zero");
  z.accounts_per_instance = 0;
  EXPECT_FALSE(run(z).ok);
  EXPECT_EQ(run_bench(z), "");
}

// Hard finality through the node's RPC (URL mode): a stand-in for the L1 pipeline marks every
// recorded batch committed, proven, then finalized (Node::set_batch_l1_status, as the devnet's
// L1 sender does); the bench must wait for it and report every soft swap finalized, with the
// batch figures it was given. The node's zkamm_getTransaction is the oracle for the status.
TEST(Bench, WaitsForHardFinalityThroughTheNode) {
  BenchConfig c = small_config("hard");
  const fs::path dir = c.out_dir;
  fs::create_directories(dir);
  node::NodeConfig nc;
  nc.data_dir = (dir / "node-data").string();
  nc.block_time = std::chrono::milliseconds(50);
  nc.batch_slots = 4;
  nc.batch_timeout = std::chrono::milliseconds(200);
  nc.domain.chain_id = 31337;
  node::Node node(nc);
  ASSERT_EQ(node.error(), "");
  const std::string genesis = make_genesis_json(c.seed, 2, 2);
  ASSERT_EQ(node.load_genesis_json(genesis), "");
  std::ofstream(dir / "genesis.json") << genesis;
  node::rpc::ServiceConfig sc;
  sc.server.host = "127.0.0.1";
  sc.server.port = 0;
  node::rpc::Service service(node, sc);
  std::string err;
  ASSERT_TRUE(service.start(&err)) << err;
  std::atomic<bool> stop{false};
  std::thread l1([&] {  // the stand-in L1: each recorded batch goes committed -> proven -> finalized
    uint64_t done = 0;
    while (!stop.load()) {
      const uint64_t last = node.status().last_root_batch;
      for (uint64_t b = done + 1; b <= last; ++b) {
        const auto now = static_cast<node::TimeMs>(
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
        EXPECT_TRUE(node.set_batch_l1_status(b, node::TxStatus::kCommitted, now));
        EXPECT_TRUE(node.set_batch_l1_status(b, node::TxStatus::kProven, now + 1));
        EXPECT_TRUE(node.set_batch_l1_status(b, node::TxStatus::kFinalized, now + 2));
        done = b;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  c.url = "http://127.0.0.1:" + std::to_string(service.port());
  c.genesis_path = (dir / "genesis.json").string();
  c.mode = Mode::kClosed;
  c.instances = 1;
  c.swaps_per_account = 3;
  c.hard_timeout_s = 30;
  c.batch_figures = [](uint64_t, BatchFigures& f) {
    f.witness_ms = 10, f.prove_ms = 90, f.gas_commit = 1, f.gas_prove = 2, f.gas_execute = 3;
    return true;
  };
  const BenchResult r = run(c);
  stop = true;
  l1.join();
  service.stop();
  node.stop();
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.runs.size(), 1u);
  const auto& s = r.runs[0];
  EXPECT_EQ(s.sent, 6u);
  EXPECT_EQ(s.soft, s.sent);
  EXPECT_EQ(s.node_verified, s.sent) << "zkamm_getTransaction reports every swap finalized";
  EXPECT_EQ(s.finalized, s.soft);
  EXPECT_EQ(s.committed, s.soft);
  EXPECT_EQ(s.proven, s.soft);
  EXPECT_GT(s.hard_p50_s, 0);
  EXPECT_GE(s.hard_max_s, s.hard_p99_s);
  EXPECT_GE(s.hard_p99_s, s.hard_p50_s);
  EXPECT_GT(s.prover_ms, 0);
  EXPECT_GT(s.prover_share, 0);
  EXPECT_TRUE(fs::exists(dir / "latency_hard_cdf.png"));
  const std::string batches = read(dir / "batches.csv");
  EXPECT_NE(batches.find(",100.0,10.0,90.0,6,1,2,3,,finalized,"), std::string::npos) << batches;
  std::ifstream tx(dir / "txs.csv");
  std::string line;
  std::getline(tx, line);
  int rows = 0;
  while (std::getline(tx, line)) {
    EXPECT_NE(line.find(",finalized,"), std::string::npos) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 6);
}

TEST(BenchWorkload, GenesisRoundTripAndKeys) {
  EXPECT_EQ(derive_key(1, 5), derive_key(1, 5));
  EXPECT_NE(derive_key(1, 5), derive_key(1, 6));
  EXPECT_NE(derive_key(1, 5), derive_key(2, 5));
  const std::string g = make_genesis_json(3, 4, 3);
  std::string err;
  const auto v = read_genesis(g, &err);
  ASSERT_TRUE(v) << err;
  ASSERT_EQ(v->accounts.size(), 4u);  // the pool provider (account 1) is not a bench account
  EXPECT_EQ(v->accounts[0].index, 2u);
  EXPECT_EQ(v->accounts[0].key, derive_key(3, 2));
  EXPECT_EQ(v->pools.size(), 3u);
  EXPECT_FALSE(read_genesis("[1]", &err));
  EXPECT_FALSE(read_genesis(R"({"accounts":[{"private_key":"0x12","balances":{}}]})", &err));
}

TEST(BenchWorkload, GenesisExplicitAccountNumbers) {
  // zkamm devnet's key file: accounts registered on L1 get their contract-assigned numbers
  const std::string g = R"({"accounts":[{"account":7,"private_key":"0x)" + std::string(64, '1') +
                        R"(","balances":{"1":"5"}},{"account":9,"private_key":"0x)" + std::string(64, '2') +
                        R"(","balances":{"1":"5"}}],"pools":[{"token_a":1,"token_b":2}]})";
  std::string err;
  const auto v = read_genesis(g, &err);
  ASSERT_TRUE(v) << err;
  ASSERT_EQ(v->accounts.size(), 2u);
  EXPECT_EQ(v->accounts[0].index, 7u);
  EXPECT_EQ(v->accounts[1].index, 9u);
  ASSERT_EQ(v->pools.size(), 1u);
  for (const char* bad : {"0", "-1", "\"7\"", "16777216"}) {
    const std::string b = R"({"accounts":[{"account":)" + std::string(bad) + R"(,"private_key":"0x)" + std::string(64, '1') +
                          R"(","balances":{}}]})";
    EXPECT_FALSE(read_genesis(b, &err)) << bad;
  }
}

// Self-generated data (no node): the report's hard-finality columns, batch figures and plots.
TEST(BenchReport, HardFinalityColumnsAndPlots) {
  BenchConfig c = small_config("report-hard");
  RunData rd;
  rd.mode = "closed";
  rd.max_block_txs = 100;
  rd.summary.label = "closed-1";
  rd.summary.instances = 1;
  for (int i = 0; i < 4; ++i) {
    TxRecord t;
    t.hash = "0x" + std::string(63, '0') + std::to_string(i);
    t.intended_ms = t.send_ms = 10.0 * i;
    t.accept_ms = t.send_ms + 1;
    t.soft_ms = t.send_ms + 30;
    t.committed_ms = 4000 + 1000.0 * i;
    t.proven_ms = t.committed_ms + 100;
    t.finalized_ms = t.proven_ms + 100;
    t.outcome = Outcome::kSoft;
    t.batch = 1 + static_cast<uint64_t>(i / 2);
    rd.txs.push_back(t);
  }
  for (uint64_t b = 1; b <= 2; ++b) {
    BlockSeen bs;
    bs.number = b;
    bs.seen_ns = static_cast<int64_t>(b) * 30'000'000;
    bs.tx_count = bs.ours = 2;
    rd.blocks.push_back(bs);
  }
  for (uint64_t b = 1; b <= 2; ++b) {
    BatchRecord br;
    br.number = b;
    br.slots = br.used = br.ours = 2;
    br.witness_ms = 100;
    br.prove_ms = 1900;
    br.proving_ms = 2000;
    br.gas_commit = 60000, br.gas_prove = 250000, br.gas_execute = 40000, br.l1_gas = 350000;
    br.l1_stage = "finalized";
    rd.batches.push_back(br);
  }
  auto& s = rd.summary;
  s.sent = s.soft = 4;
  s.finalized = s.committed = s.proven = 4;
  s.hard_p50_s = 5.2, s.hard_p99_s = 7.2, s.hard_max_s = 7.2, s.hard_time_s = 7.2;
  s.prover_ms = 4000, s.prover_share = 4000 / 7200.0, s.prover_share_p50 = 0.4;
  std::vector<RunData> runs{rd};
  ReportInput in{c, runs, {}, {}, 0, GasTable{}, "test", "test", 1.0};
  fs::create_directories(c.out_dir);
  ASSERT_EQ(write_report(c.out_dir, in), "");
  const fs::path d = c.out_dir;
  for (const char* f : {"latency_hard_cdf.png", "cumulative.png", "latency_cdf.png", "batches.csv"}) {
    ASSERT_TRUE(fs::exists(d / f)) << f;
    EXPECT_GT(fs::file_size(d / f), 0u) << f;
  }
  const std::string md = read(d / "summary.md");
  EXPECT_NE(md.find("5.20 / 7.20 / 7.20"), std::string::npos) << md;
  EXPECT_NE(md.find("56 % / 40 %"), std::string::npos) << md;
  EXPECT_NE(md.find("350000 (60000 / 250000 / 40000)"), std::string::npos) << md;
  const std::string batches = read(d / "batches.csv");
  EXPECT_NE(batches.find("2000.0,100.0,1900.0,350000,60000,250000,40000,,finalized"), std::string::npos) << batches;
  const std::string cum = read(d / "cumulative.csv");
  EXPECT_NE(cum.find(",4,4,4\n"), std::string::npos) << "the cumulative series ends with every swap hard";
  const auto j = nlohmann::json::parse(read(d / "summary.json"));
  EXPECT_EQ(j["runs"][0]["finalized"].get<uint64_t>(), 4u);

  // Batches settled by one commitProveExecute each: the total, and no commit/prove/execute split.
  for (auto& br : runs[0].batches) {
    br.gas_commit = br.gas_prove = br.gas_execute = 0;
    br.gas_settle = br.l1_gas = 280000;
  }
  const fs::path d2 = d / "one-transaction";
  fs::create_directories(d2);
  const ReportInput in2{c, runs, {}, {}, 0, GasTable{}, "test", "test", 1.0};
  ASSERT_EQ(write_report(d2.string(), in2), "");
  EXPECT_NE(read(d2 / "summary.md").find("280000 (one commitProveExecute)"), std::string::npos);
  EXPECT_NE(read(d2 / "batches.csv").find("1900.0,280000,0,0,0,280000,finalized"), std::string::npos) << read(d2 / "batches.csv");
}

TEST(BenchReport, PercentileAndGasTable) {
  std::vector<double> v{5, 1, 4, 2, 3};
  EXPECT_EQ(percentile(v, 0), 1);
  EXPECT_EQ(percentile(v, 50), 3);
  EXPECT_EQ(percentile(v, 100), 5);
  std::vector<double> e;
  EXPECT_EQ(percentile(e, 50), 0);
  const GasTable g = load_gas_table(std::string(ZKAMM_SOURCE_DIR) + "/bench/scripts/uniswap_gas.json");
  ASSERT_TRUE(g.loaded);
  // a Uniswap V2 swap (transfer + pair.swap) costs tens of thousands of gas, below the ~100-130k of
  // a router swap quoted in the paper's notes
  EXPECT_GT(g.swap, 50000);
  EXPECT_LT(g.swap, 130000);
  EXPECT_FALSE(load_gas_table("/nonexistent.json").loaded);
  double cpu = 0, rss = 0;
  ASSERT_TRUE(read_proc(0, cpu, rss));
  EXPECT_GT(rss, 0);
  EXPECT_FALSE(read_proc(-5, cpu, rss));
}

}  // namespace
}  // namespace zkamm::bench
