// zkamm rpc-bench: load client for a running `zkamm node` started from a genesis made by
// `zkamm wallet new-genesis`. Signs every swap before the timed window, then sends them over many
// keep-alive connections, either one zkamm_sendTransactionSync per request (latency = soft
// latency) or JSON-RPC batches of zkamm_sendTransaction (throughput; soft counted from the node's
// zkamm_status). Prints throughput and latency percentiles as JSON.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/wallet_keys.hpp"
#include "ff/parallel.hpp"
#include "node/rpc_client.hpp"
#include "node/rpc_views.hpp"
#include "tx/json.hpp"
#include "tx/message.hpp"

namespace zkamm::app {
namespace {

using nlohmann::json;
namespace rpc = node::rpc;
using Clock = std::chrono::steady_clock;

struct BenchOptions {
  std::string url = "http://127.0.0.1:8545";
  std::string genesis;
  std::size_t connections = 64;
  double rate = 0;
  std::size_t count = 10000;
  uint32_t accounts = 0;  ///< 0 = all genesis accounts except the pool provider
  std::size_t batch = 1;  ///< > 1: JSON-RPC batches of zkamm_sendTransaction
  bool sync = true;
  unsigned threads = 1;
  uint32_t token_a = 1, token_b = 2;
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t k = std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

int run_bench(const BenchOptions& o) {
  auto ep = rpc::parse_url(o.url);
  if (!ep) return fail("--url must look like http://127.0.0.1:8545");
  std::ifstream in(o.genesis);
  if (!in) return fail("cannot read genesis " + o.genesis);
  std::stringstream ss;
  ss << in.rdbuf();
  const json g = json::parse(ss.str(), nullptr, false);
  if (g.is_discarded() || !g.contains("accounts")) return fail(o.genesis + ": not a genesis file");
  // Traders: genesis accounts 2.. (account 1 provides liquidity), in index order.
  std::vector<std::pair<uint32_t, hash::PrivateKey>> traders;
  uint32_t index = 0;
  for (const auto& a : g["accounts"]) {
    ++index;
    if (index == 1 || !a.contains("private_key")) continue;
    auto b = rpc::bytes_from_hex(a["private_key"].get<std::string>(), 32);
    if (!b || b->size() != 32) return fail("bad private_key in genesis");
    hash::PrivateKey k{};
    std::copy(b->begin(), b->end(), k.begin());
    traders.emplace_back(index, k);
    if (o.accounts && traders.size() >= o.accounts) break;
  }
  if (traders.empty()) return fail("the genesis has no trader accounts (need at least 2 accounts with keys)");

  rpc::Client client(*ep, std::chrono::seconds(30));
  tx::Domain dom;
  {
    const json d = client.call("zkamm_domain");
    dom.chain_id = *rpc::u64_from_decimal(d.at("chain_id").get<std::string>());
    auto addr = rpc::bytes_from_hex(d.at("rollup").get<std::string>(), 20);
    std::copy(addr->begin(), addr->end(), dom.rollup.begin());
  }
  // Current nonces, fetched with JSON-RPC batches.
  std::vector<uint32_t> nonce(traders.size());
  for (std::size_t i = 0; i < traders.size(); i += 500) {
    json batch = json::array();
    for (std::size_t j = i; j < std::min(traders.size(), i + 500); ++j)
      batch.push_back({{"jsonrpc", "2.0"}, {"id", j}, {"method", "zkamm_getAccount"}, {"params", {traders[j].first}}});
    const json res = json::parse(client.post(batch.dump()).second);
    for (const auto& r : res) {
      if (!r.contains("result")) return fail("zkamm_getAccount failed: " + r.dump());
      nonce[r["id"].get<std::size_t>()] = r["result"]["nonce"].get<uint32_t>();
    }
  }
  const uint64_t deadline =
      static_cast<uint64_t>(
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count()) +
      3600;
  // Swap i: trader i % A, alternating direction so the pool stays balanced; nonces in order.
  std::vector<std::string> txs(o.count);
  std::vector<uint32_t> tx_nonce(o.count);
  {
    std::vector<uint32_t> next = nonce;
    for (std::size_t i = 0; i < o.count; ++i) tx_nonce[i] = next[i % traders.size()]++;
  }
  const auto sign_start = Clock::now();
  std::atomic<bool> sign_ok{true};
  ff::parallel_for_chunks(o.count, [&](std::size_t begin, std::size_t end, unsigned) {
    for (std::size_t i = begin; i < end; ++i) {
      const auto& [account, key] = traders[i % traders.size()];
      tx::SwapExactIn s;
      s.account = account;
      const bool flip = (i / traders.size()) % 2 == 1;
      s.token_in = static_cast<uint16_t>(flip ? o.token_b : o.token_a);
      s.token_out = static_cast<uint16_t>(flip ? o.token_a : o.token_b);
      s.amount_in = 1000000;
      s.amount_out_min = 1;
      s.deadline = deadline;
      s.nonce = tx_nonce[i];
      tx::Tx t = s;
      if (!tx::sign(t, key, dom)) sign_ok = false;
      txs[i] = tx::to_json(t).dump();
    }
  });
  if (!sign_ok) return fail("signing failed");
  const double sign_s = std::chrono::duration<double>(Clock::now() - sign_start).count();

  std::vector<std::string> bodies;
  const std::size_t per = o.sync ? 1 : std::max<std::size_t>(1, o.batch);
  for (std::size_t i = 0; i < o.count; i += per) {
    std::string b;
    if (o.sync) {
      b = R"({"jsonrpc":"2.0","id":)" + std::to_string(i) + R"(,"method":"zkamm_sendTransactionSync","params":[)" +
          txs[i] + "]}";
    } else {
      b = "[";
      for (std::size_t j = i; j < std::min(o.count, i + per); ++j) {
        if (j != i) b += ",";
        b += R"({"jsonrpc":"2.0","id":)" + std::to_string(j) + R"(,"method":"zkamm_sendTransaction","params":[)" +
             txs[j] + "]}";
      }
      b += "]";
    }
    bodies.push_back(std::move(b));
  }
  txs.clear();

  const uint64_t soft_before = client.call("zkamm_status").at("soft_txs").get<uint64_t>();
  // Soft progress, sampled every 2 ms on its own connection.
  std::atomic<bool> sampling{true};
  std::atomic<uint64_t> soft_target{UINT64_MAX};
  std::atomic<double> soft_done_s{0};
  const auto t0 = Clock::now();
  std::thread sampler([&] {
    rpc::Client c(*ep, std::chrono::seconds(10));
    while (sampling) {
      try {
        const uint64_t s = c.call("zkamm_status").at("soft_txs").get<uint64_t>() - soft_before;
        if (s >= soft_target.load()) {
          soft_done_s = std::chrono::duration<double>(Clock::now() - t0).count();
          return;
        }
      } catch (...) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  rpc::LoadConfig lc;
  lc.ep = *ep;
  lc.connections = o.connections;
  lc.rate = o.rate > 0 ? o.rate / static_cast<double>(per) : 0;
  lc.threads = o.threads;
  auto res = rpc::run_load(lc, bodies, true);

  std::map<std::string, std::size_t> errors;
  std::size_t accepted = 0, soft = 0;
  auto tally = [&](const json& r) {
    if (r.contains("result")) {
      ++accepted;
      if (r["result"].value("status", "") == "soft") ++soft;
    } else if (r.contains("error")) {
      const auto& e = r["error"];
      std::string k = std::to_string(e.value("code", 0));
      if (e.contains("data") && e["data"].is_object() && e["data"].contains("name"))
        k += ":" + e["data"]["name"].get<std::string>();
      ++errors[k];
    }
  };
  for (const auto& b : res.bodies) {
    const json r = json::parse(b, nullptr, false);
    if (r.is_array())
      for (const auto& x : r) tally(x);
    else if (r.is_object())
      tally(r);
  }
  soft_target = accepted;
  const auto wait_until = Clock::now() + std::chrono::seconds(60);
  while (soft_done_s.load() == 0 && Clock::now() < wait_until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  sampling = false;
  sampler.join();

  auto lat = res.latency_ms;
  // The p99 of the requests scheduled in each second: shows whether a tail is a start-up
  // transient (the first second's new connections, cold accounts) or spread over the run.
  json p99_by_second = json::array();
  {
    std::vector<std::vector<double>> per_second;
    for (std::size_t i = 0; i < res.latency_ms.size() && i < res.intended_s.size(); ++i) {
      const auto s = static_cast<std::size_t>(std::max(0.0, res.intended_s[i]));
      if (s >= per_second.size()) per_second.resize(s + 1);
      per_second[s].push_back(res.latency_ms[i]);
    }
    for (auto& v : per_second) p99_by_second.push_back(std::round(percentile(v, 99) * 10) / 10);
  }
  json out = {{"mode", o.sync ? "sync" : "batch"},
              {"connections", o.connections},
              {"target_rate", o.rate},
              {"batch", per},
              {"count", o.count},
              {"traders", traders.size()},
              {"sign_seconds", sign_s},
              {"http_requests", res.sent},
              {"http_failed", res.failed},
              {"accepted", accepted},
              {"soft_in_response", soft},
              {"errors", errors},
              {"connect_seconds", res.connect_seconds},
              {"send_seconds", res.seconds},
              {"accepted_per_s", res.seconds > 0 ? static_cast<double>(accepted) / res.seconds : 0},
              {"all_soft_seconds", soft_done_s.load()},
              {"soft_per_s", soft_done_s > 0 ? static_cast<double>(accepted) / soft_done_s.load() : 0},
              {"request_latency_ms",
               {{"p50", percentile(lat, 50)}, {"p90", percentile(lat, 90)}, {"p99", percentile(lat, 99)},
                {"max", lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end())}}},
              {"request_latency_p99_ms_by_second", p99_by_second}};
  std::cout << out.dump(2) << "\n";
  return accepted == o.count ? 0 : 1;
}

}  // namespace

void register_rpc_bench(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<BenchOptions>();
  auto* cmd = app.add_subcommand("rpc-bench", "load a running node with pre-signed swaps over JSON-RPC");
  cmd->add_option("--url", o->url, "node URL");
  cmd->add_option("--genesis", o->genesis, "the node's genesis (zkamm wallet new-genesis): trader keys")->required();
  cmd->add_option("--connections", o->connections, "keep-alive connections");
  cmd->add_option("--rate", o->rate, "target transactions per second (0 = as fast as possible)");
  cmd->add_option("--count", o->count, "swaps to send");
  cmd->add_option("--accounts", o->accounts, "trader accounts to use (0 = all)");
  cmd->add_option("--batch", o->batch, "transactions per JSON-RPC batch (implies --async)");
  cmd->add_flag("!--async", o->sync, "zkamm_sendTransaction instead of zkamm_sendTransactionSync");
  cmd->add_option("--threads", o->threads, "client I/O threads");
  cmd->add_option("--token-a", o->token_a, "pool token a");
  cmd->add_option("--token-b", o->token_b, "pool token b");
  cmd->callback([o, &exit_code] {
    if (o->batch > 1) o->sync = false;
    try {
      exit_code = run_bench(*o);
    } catch (const std::exception& e) {
      exit_code = fail(e.what());
    }
  });
}

}  // namespace zkamm::app
