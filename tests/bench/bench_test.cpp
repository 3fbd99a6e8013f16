// zkamm bench on a small in-process node: every report file is written, every sent swap is
// accounted for (soft, rejected or timed out), and the counts agree with what the node itself
// reports (zkamm_status soft_txs delta, zkamm_getTransaction per swap). The node is the oracle
// here: the bench learns soft finality from the newBlocks feed, the node from its own store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench/bench.hpp"
#include "bench/records.hpp"
#include "bench/resources.hpp"
#include "bench/workload.hpp"

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
