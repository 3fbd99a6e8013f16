// Node benchmarks: end-to-end in-process throughput of pre-signed swaps (submit -> soft), the
// writer alone (signatures pre-checked), the synced block write (seal latency) by block size, and
// the batch root update (apply + StateTrees::sync) per batch. The throughput runs also report the
// block interval while batches compute their roots on the batch thread.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "hash/eddsa.hpp"
#include "node/node.hpp"
#include "node/store.hpp"
#include "state/commitment.hpp"
#include "tx/encoding.hpp"
#include "tx/execute.hpp"
#include "tx/json.hpp"

namespace zkamm::node {
namespace {

using namespace std::chrono_literals;

constexpr uint32_t kAccounts = 64;

tx::Domain domain() {
  tx::Domain d;
  d.chain_id = 31337;
  d.rollup[19] = 1;
  return d;
}

hash::PrivateKey key(uint32_t i) {
  hash::PrivateKey k{};
  for (std::size_t j = 0; j < k.size(); ++j) k[j] = static_cast<uint8_t>(i * 29 + j + 3);
  return k;
}

std::string genesis() {
  std::string g = R"({"tokens":["0x1111111111111111111111111111111111111111","0x2222222222222222222222222222222222222222"],"accounts":[)";
  for (uint32_t i = 1; i <= kAccounts; ++i) {
    if (i > 1) g += ",";
    const auto k = key(i);
    g += R"({"private_key":")" + tx::to_hex0x(k.data(), k.size()) +
         R"(","balances":{"1":"1000000000000000000000000","2":"1000000000000000000000000"}})";
  }
  g += R"(],"pools":[{"token_a":1,"token_b":2,"amount_a":"1000000000000000000000000","amount_b":"1000000000000000000000000","provider":1}]})";
  return g;
}

/// Pre-signed swaps, round-robin over the accounts (account 1 starts at nonce 2 after genesis).
const std::vector<std::vector<uint8_t>>& presigned(std::size_t n) {
  static std::vector<std::vector<uint8_t>> txs;
  static std::mutex mu;
  std::lock_guard lk(mu);
  if (txs.size() >= n) return txs;
  std::vector<uint32_t> nonce(kAccounts + 1, 0);
  nonce[1] = 2;
  for (std::size_t i = 0; i < txs.size(); ++i) ++nonce[1 + i % kAccounts];
  for (std::size_t i = txs.size(); i < n; ++i) {
    const uint32_t a = 1 + static_cast<uint32_t>(i % kAccounts);
    tx::SwapExactIn s;
    s.account = a;
    s.token_in = (i / kAccounts) % 2 == 0 ? 1 : 2;
    s.token_out = s.token_in == 1 ? 2 : 1;
    s.amount_in = 1000000000 + i;
    s.deadline = UINT64_MAX;
    s.nonce = nonce[a]++;
    tx::Tx t = s;
    if (!tx::sign(t, key(a), domain())) std::abort();
    txs.push_back(tx::encode(t));
  }
  return txs;
}

struct Run {
  std::filesystem::path dir;
  std::unique_ptr<Node> node;
};

Run fresh_node(bool check_signatures, uint32_t batch_slots, uint32_t max_block_txs) {
  static int counter = 0;
  Run r;
  r.dir = std::filesystem::temp_directory_path() / ("zkamm-node-bench-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(counter++));
  std::filesystem::remove_all(r.dir);
  NodeConfig c;
  c.data_dir = r.dir.string();
  c.domain = domain();
  c.batch_slots = batch_slots;
  c.batch_timeout = 1s;
  c.max_block_txs = max_block_txs;
  c.max_pending = 1000000;
  c.max_per_account = 100000;
  c.max_nonce_gap = 100000;
  c.check_signatures = check_signatures;
  r.node = std::make_unique<Node>(c);
  if (!r.node->error().empty()) std::abort();
  if (!r.node->load_genesis_json(genesis()).empty()) std::abort();
  return r;
}

/// Submits `n` pre-signed swaps from `threads` threads (each keeps its accounts' nonce order) and
/// waits until all are soft.
void BM_SoftSwaps(benchmark::State& st, bool check_signatures) {
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  const unsigned threads = static_cast<unsigned>(st.range(1));
  const uint32_t batch_slots = static_cast<uint32_t>(st.range(2));
  const auto& txs = presigned(n);
  double max_interval = 0, sum_interval = 0;
  int64_t intervals = 0, batches = 0, rejected = 0;
  for (auto _ : st) {
    st.PauseTiming();
    Run run = fresh_node(check_signatures, batch_slots, 10000);
    std::mutex mu;
    std::condition_variable cv;
    std::size_t soft = 0;
    std::vector<TimeMs> block_times;
    const uint64_t head0 = run.node->status().head_block;
    run.node->on_block([&](const Block& b) {
      std::lock_guard lk(mu);
      soft += b.txs.size();
      block_times.push_back(b.header.timestamp);
      cv.notify_all();
    });
    const uint64_t batches0 = run.node->status().last_batch;
    std::atomic<int64_t> rej{0};
    st.ResumeTiming();
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        // thread t owns accounts a with (a - 1) % threads == t, so each account's nonces stay in order
        for (std::size_t i = 0; i < n; ++i) {
          if ((i % kAccounts) % threads != t) continue;
          if (!run.node->submit(txs[i]).accepted) ++rej;
        }
      });
    }
    pool.clear();
    {
      std::unique_lock lk(mu);
      cv.wait_for(lk, 120s, [&] { return soft + static_cast<std::size_t>(rej.load()) >= n; });
    }
    st.PauseTiming();
    rejected += rej.load();
    batches += static_cast<int64_t>(run.node->status().last_batch - batches0);
    (void)head0;
    {
      std::lock_guard lk(mu);
      for (std::size_t i = 1; i < block_times.size(); ++i) {
        const double d = static_cast<double>(block_times[i] - block_times[i - 1]);
        max_interval = std::max(max_interval, d);
        sum_interval += d;
        ++intervals;
      }
    }
    run.node.reset();
    std::filesystem::remove_all(run.dir);
    st.ResumeTiming();
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(n));
  st.counters["rejected"] = static_cast<double>(rejected);
  st.counters["batches_during_run"] = static_cast<double>(batches) / static_cast<double>(st.iterations());
  st.counters["block_interval_mean_ms"] = intervals ? sum_interval / static_cast<double>(intervals) : 0;
  st.counters["block_interval_max_ms"] = max_interval;
}
BENCHMARK_CAPTURE(BM_SoftSwaps, verified, true)
    ->Args({8192, 2, 64})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);
BENCHMARK_CAPTURE(BM_SoftSwaps, writer_only, false)
    ->Args({8192, 2, 64})
    ->Args({8192, 2, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

/// The synced write that makes a block soft, by block size (block + tx index + 2 account records
/// per tx, like a swap block).
void BM_BlockSeal(benchmark::State& st) {
  const std::size_t n = static_cast<std::size_t>(st.range(0));
  const auto dir = std::filesystem::temp_directory_path() / ("zkamm-node-bench-seal-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::string err;
  auto store = Store::open(dir.string(), err);
  if (!store) std::abort();
  const auto& txs = presigned(std::min<std::size_t>(n, 8192));
  uint64_t number = 0;
  state::Account acc;
  acc.balances[1] = U256{12345, 0, 0, 0};
  acc.balances[2] = U256{67890, 0, 0, 0};
  for (auto _ : st) {
    st.PauseTiming();
    Block b;
    b.header.number = ++number;
    for (std::size_t i = 0; i < n; ++i) {
      auto t = *tx::decode(txs[i % txs.size()]);
      b.txs.push_back(BlockTx{tx::tx_hash(t), t, tx::Executed{1, 2, 0, 0}});
      b.txs.back().hash[0] ^= static_cast<uint8_t>(number);
    }
    b.header.tx_count = static_cast<uint32_t>(n);
    st.ResumeTiming();
    rocksdb::WriteBatch wb;
    for (std::size_t i = 0; i < n; ++i) {
      acc.index = static_cast<uint32_t>(i % 4096);
      Store::put_account(wb, acc);
      Store::put_tx(wb, b.txs[i].hash, TxLocation{number, static_cast<uint32_t>(i), 1, 2, 3});
    }
    Store::put_block(wb, b);
    if (!store->write(wb, true)) std::abort();
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * n));
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_BlockSeal)->Arg(1)->Arg(100)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

/// Batch root update: apply N swaps of distinct accounts on the batch state, then sync the trees.
void BM_BatchRoot(benchmark::State& st) {
  const uint32_t slots = static_cast<uint32_t>(st.range(0));
  state::State s;
  state::TokenId t1 = 0, t2 = 0, lp = 0;
  state::L1Address a1{}, a2{};
  a1[0] = 1;
  a2[0] = 2;
  (void)s.add_token(a1, t1);
  (void)s.add_token(a2, t2);
  const uint32_t accounts = 1024;
  for (uint32_t i = 1; i <= accounts; ++i) {
    state::AccountIndex idx = 0;
    const auto pub = hash::eddsa_public_key(key(i % 8 + 1));
    (void)s.create_account(state::PublicKey{pub.x, pub.y}, idx);
    (void)s.deposit(idx, t1, U256{0, 1000, 0, 0});
    (void)s.deposit(idx, t2, U256{0, 1000, 0, 0});
  }
  (void)s.create_pool(t1, t2, lp);
  state::AddLiquidityReceipt rc;
  (void)s.add_liquidity(1, t1, t2, U256{0, 100, 0, 0}, U256{0, 100, 0, 0}, U256{}, U256{}, rc);
  state::StateTrees trees = state::StateTrees::build(s);
  std::vector<uint32_t> nonce(accounts + 1, 0);
  nonce[1] = static_cast<uint32_t>(s.account(1)->nonce);
  uint32_t next = 0;
  std::vector<tx::Tx> batch;
  for (auto _ : st) {
    // Untimed: execute the batch's swaps (distinct accounts, one pool) on the state.
    st.PauseTiming();
    batch.clear();
    for (uint32_t i = 0; i < slots; ++i) {
      const uint32_t a = 2 + (next++ % (accounts - 1));
      tx::SwapExactIn sw;
      sw.account = a;
      sw.token_in = (next % 2) ? 1 : 2;
      sw.token_out = sw.token_in == 1 ? 2 : 1;
      sw.amount_in = 1000000;
      sw.deadline = UINT64_MAX;
      sw.nonce = nonce[a]++;
      if (!tx::execute(s, sw, domain(), tx::ExecOptions{0, false}).ok()) std::abort();
      batch.push_back(sw);
    }
    st.ResumeTiming();
    // Timed: the tree update of the batch (what apply_batch does after re-executing it).
    state::Touched touched;
    for (const auto& t : batch) tx::collect_touched(s, t, touched);
    trees.sync(s, touched);
    benchmark::DoNotOptimize(trees.root());
  }
  st.SetItemsProcessed(static_cast<int64_t>(st.iterations() * slots));
  st.counters["slots"] = slots;
}
BENCHMARK(BM_BatchRoot)->Arg(4)->Arg(64)->Arg(512)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace zkamm::node
