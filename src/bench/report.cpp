// The report folder: summary.md (the paper's Table 1 beside ours), summary.json, CSVs of every
// series, gnuplot PNGs (docs/BENCH.md lists the files).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "bench/records.hpp"

namespace zkamm::bench {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

/// Table 1 of Gogol et al. (arXiv 2506.00500): instances -> (swaps, time s, TPS).
struct PaperRow {
  uint32_t instances;
  uint32_t swaps;
  double time_s;
  double tps;
};
constexpr PaperRow kPaper[] = {{1, 200, 1, 200.00}, {2, 400, 2, 200.00}, {3, 600, 7, 85.71}, {4, 800, 13, 61.54}, {5, 1000, 14, 71.43}};

std::string fmt(double v, int prec = 2) {
  if (v < 0 || !std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}
std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}
const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kSoft: return "soft";
    case Outcome::kRejected: return "rejected";
    case Outcome::kTimedOut: return "timed_out";
  }
  return "";
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      const auto c = line.find(':');
      return c == std::string::npos ? line : line.substr(c + 2);
    }
  return "unknown CPU";
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", std::gmtime(&t));
  return buf;
}

bool any_hard(const std::vector<RunData>& runs) {
  for (const auto& r : runs)
    if (r.summary.finalized > 0) return true;
  return false;
}

double run_span_s(const RunData& r) {
  double end = 0;
  for (const auto& t : r.txs) end = std::max({end, t.soft_ms, t.accept_ms, t.send_ms});
  return end / 1000.0;
}

}  // namespace

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double pos = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(v.size() - 1);
  return v[static_cast<std::size_t>(std::llround(pos))];
}

GasTable load_gas_table(const std::string& path) {
  GasTable g;
  g.path = path;
  std::ifstream in(path);
  if (!in) return g;
  const json j = json::parse(in, nullptr, false);
  if (!j.is_object() || !j.contains("gas") || !j["gas"].is_object()) return g;
  const json& gas = j["gas"];
  g.swap = gas.value("swap_exact_in", 0.0);
  g.add_liquidity = gas.value("add_liquidity", 0.0);
  g.remove_liquidity = gas.value("remove_liquidity", 0.0);
  g.transfer = gas.value("transfer", 0.0);
  g.date = j.value("date", "");
  g.command = j.value("command", "");
  g.loaded = g.swap > 0;
  return g;
}

namespace {

/// The node process's CPU and memory over the bench (resources.csv's summary).
struct ResourceStats {
  double cpu_avg = 0, cpu_max = 0, rss_max = 0;
};

ResourceStats resource_stats(const ReportInput& in) {
  ResourceStats res;
  for (const auto& r : in.resources) {
    res.cpu_avg += r.cpu_pct;
    res.cpu_max = std::max(res.cpu_max, r.cpu_pct);
    res.rss_max = std::max(res.rss_max, r.rss_mb);
  }
  if (!in.resources.empty()) res.cpu_avg /= static_cast<double>(in.resources.size());
  return res;
}

/// The report folder.
struct ReportDir {
  std::string dir;
  std::string path(const char* name) const { return (fs::path(dir) / name).string(); }
  std::ofstream open(const char* name) const { return std::ofstream(path(name)); }
};

/// table.csv: one row per run (the summary table).
void write_table_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("table.csv");
  f << "run,label,mode,instances,swaps,soft,rejected,timed_out,time_s,tps,peak_tps,gps,offered_rate,soft_p50_ms,"
       "soft_p99_ms,soft_max_ms,node_soft_p50_ms,node_soft_p99_ms,node_soft_delta,node_verified,sign_s,connections,websocket,"
       "committed,proven,finalized,hard_p50_s,hard_p99_s,hard_max_s,hard_time_s,prover_ms,prover_share,prover_share_p50\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const auto& s = runs[i].summary;
    f << i << ',' << s.label << ',' << runs[i].mode << ',' << s.instances << ',' << s.sent << ',' << s.soft << ','
      << s.rejected << ',' << s.timed_out << ',' << fmt(s.time_s, 4) << ',' << fmt(s.tps) << ',' << fmt(s.peak_tps) << ','
      << fmt(s.gps, 0) << ',' << fmt(s.offered_rate) << ',' << fmt(s.soft_p50_ms, 3) << ',' << fmt(s.soft_p99_ms, 3) << ','
      << fmt(s.soft_max_ms, 3) << ',' << fmt(s.node_soft_p50_ms, 1) << ',' << fmt(s.node_soft_p99_ms, 1) << ',' << s.node_soft_delta << ',' << s.node_verified << ',' << fmt(runs[i].sign_s, 3)
      << ',' << runs[i].connections << ',' << (runs[i].websocket ? 1 : 0) << ',' << s.committed << ',' << s.proven << ','
      << s.finalized << ',' << fmt(s.hard_p50_s, 3) << ',' << fmt(s.hard_p99_s, 3) << ',' << fmt(s.hard_max_s, 3) << ','
      << fmt(s.hard_time_s, 3) << ',' << fmt(s.prover_ms, 1) << ',' << fmt(s.prover_share, 4) << ','
      << fmt(s.prover_share_p50, 4) << '\n';
  }
}

/// txs.csv: every swap with its times, outcome and node times.
void write_txs_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("txs.csv");
  f << "run,instance,account,nonce,token_in,token_out,hash,outcome,reason,intended_ms,send_ms,accept_ms,soft_ms,"
       "soft_latency_ms,block,batch,node_status,node_received_ms,node_soft_ms,committed_ms,proven_ms,finalized_ms\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& t : runs[i].txs)
      f << i << ',' << t.instance << ',' << t.account << ',' << t.nonce << ',' << t.token_in << ',' << t.token_out << ','
        << t.hash << ',' << outcome_name(t.outcome) << ',' << csv_escape(t.reason) << ',' << fmt(t.intended_ms, 3) << ','
        << fmt(t.send_ms, 3) << ',' << fmt(t.accept_ms, 3) << ',' << fmt(t.soft_ms, 3) << ','
        << (t.soft_ms >= 0 ? fmt(t.soft_ms - t.intended_ms, 3) : "") << ',' << (t.block ? std::to_string(t.block) : "")
        << ',' << (t.batch ? std::to_string(t.batch) : "") << ',' << t.node_status << ',' << fmt(t.node_received_ms, 0)
        << ',' << fmt(t.node_soft_ms, 0) << ',' << fmt(t.committed_ms, 0) << ',' << fmt(t.proven_ms, 0) << ','
        << fmt(t.finalized_ms, 0) << '\n';
}

/// blocks.csv: every block seen, with its fill.
void write_blocks_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("blocks.csv");
  f << "run,number,seen_s,timestamp_ms,tx_count,ours,fill_pct\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& b : runs[i].blocks)
      f << i << ',' << b.number << ',' << fmt(static_cast<double>(b.seen_ns) / 1e9, 4) << ',' << b.timestamp_ms << ','
        << b.tx_count << ',' << b.ours << ','
        << fmt(runs[i].max_block_txs ? 100.0 * b.tx_count / runs[i].max_block_txs : -1, 3) << '\n';
}

/// batches.csv: every batch with its proving times and L1 gas.
void write_batches_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("batches.csv");
  f << "run,number,slots,used,ours,root_ready,proving_ms,witness_ms,prove_ms,l1_gas,gas_commit,gas_prove,gas_execute,"
       "gas_settle,l1_stage,committed_s,proven_s,finalized_s,kind\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& b : runs[i].batches)
      f << i << ',' << b.number << ',' << b.slots << ',' << b.used << ',' << b.ours << ',' << (b.root_ready ? 1 : 0) << ','
        << fmt(b.proving_ms, 1) << ',' << fmt(b.witness_ms, 1) << ',' << fmt(b.prove_ms, 1) << ',' << fmt(b.l1_gas, 0)
        << ',' << fmt(b.gas_commit, 0) << ',' << fmt(b.gas_prove, 0) << ',' << fmt(b.gas_execute, 0) << ','
        << fmt(b.gas_settle, 0) << ',' << b.l1_stage
        << ',' << fmt(b.committed_ms / 1000.0, 3) << ',' << fmt(b.proven_ms / 1000.0, 3) << ','
        << fmt(b.finalized_ms / 1000.0, 3) << ',' << b.kind << '\n';
}

/// tps.csv: per-interval rates.
void write_tps_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  // per-interval rates: 0.1 s bins for short runs, 1 s bins (the paper's TPS) otherwise
  auto f = d.open("tps.csv");
  f << "run,label,t_s,sent_per_s,soft_per_s,bin_s\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const double span = run_span_s(runs[i]);
    const double bin = span < 10 ? 0.1 : 1.0;
    const std::size_t nb = static_cast<std::size_t>(span / bin) + 1;
    std::vector<uint64_t> sent(nb, 0), soft(nb, 0);
    for (const auto& t : runs[i].txs) {
      if (t.send_ms >= 0) sent[std::min(nb - 1, static_cast<std::size_t>(t.send_ms / 1000.0 / bin))]++;
      if (t.soft_ms >= 0) soft[std::min(nb - 1, static_cast<std::size_t>(t.soft_ms / 1000.0 / bin))]++;
    }
    for (std::size_t b = 0; b < nb; ++b)
      f << i << ',' << runs[i].summary.label << ',' << fmt((static_cast<double>(b) + 0.5) * bin, 3) << ','
        << fmt(static_cast<double>(sent[b]) / bin, 1) << ',' << fmt(static_cast<double>(soft[b]) / bin, 1) << ','
        << bin << '\n';
  }
}

/// cumulative.csv: sent, soft and hard swaps over time.
void write_cumulative_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("cumulative.csv");
  f << "run,label,t_s,sent,soft,hard\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::vector<double> s, so, h;
    for (const auto& t : runs[i].txs) {
      if (t.send_ms >= 0) s.push_back(t.send_ms);
      if (t.soft_ms >= 0) so.push_back(t.soft_ms);
      if (t.finalized_ms >= 0) h.push_back(t.finalized_ms);
    }
    std::sort(s.begin(), s.end());
    std::sort(so.begin(), so.end());
    std::sort(h.begin(), h.end());
    const double span = std::max(run_span_s(runs[i]), h.empty() ? 0.0 : h.back() / 1000.0);
    const int points = 400;
    for (int p = 0; p <= points; ++p) {
      const double tms = span * 1000.0 * p / points;
      const auto count = [&](const std::vector<double>& v) {
        return static_cast<uint64_t>(std::upper_bound(v.begin(), v.end(), tms) - v.begin());
      };
      f << i << ',' << runs[i].summary.label << ',' << fmt(tms / 1000.0, 4) << ',' << count(s) << ',' << count(so) << ','
        << count(h) << '\n';
    }
  }
}

/// latency_cdf.csv: soft and hard latency percentiles.
void write_latency_cdf_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("latency_cdf.csv");
  f << "run,label,pct,soft_ms,hard_ms\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    std::vector<double> soft, hard;
    for (const auto& t : runs[i].txs) {
      if (t.soft_ms >= 0) soft.push_back(t.soft_ms - t.intended_ms);
      if (t.finalized_ms >= 0) hard.push_back(t.finalized_ms - t.intended_ms);
    }
    if (soft.empty()) continue;
    for (int p = 0; p <= 200; ++p) {
      const double pct = p * 0.5;
      f << i << ',' << runs[i].summary.label << ',' << fmt(pct, 1) << ',' << fmt(percentile(soft, pct), 3) << ','
        << (hard.empty() ? std::string() : fmt(percentile(hard, pct), 3)) << '\n';
    }
  }
}

/// resources.csv: the node process's CPU and memory samples.
void write_resources_csv(const ReportDir& d, const ReportInput& in) {
  auto f = d.open("resources.csv");
  f << "t_s,cpu_pct,rss_mb\n";
  for (const auto& r : in.resources) f << fmt(r.t_s, 3) << ',' << fmt(r.cpu_pct, 1) << ',' << fmt(r.rss_mb, 1) << '\n';
}

/// reasons.csv: failure reasons per run.
void write_reasons_csv(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  auto f = d.open("reasons.csv");
  f << "run,label,reason,count\n";
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& [why, n] : runs[i].reasons) f << i << ',' << runs[i].summary.label << ',' << csv_escape(why) << ',' << n << '\n';
}

/// sweep.csv: the open-loop sweep's steps (when there was one).
void write_sweep_csv(const ReportDir& d, const ReportInput& in) {
  if (in.sweep.empty()) return;
  auto f = d.open("sweep.csv");
  f << "rate,achieved_tps,soft_p50_ms,soft_p99_ms,failed,pass\n";
  for (const auto& r : in.sweep)
    f << fmt(r.rate, 1) << ',' << fmt(r.achieved, 1) << ',' << fmt(r.p50, 3) << ',' << fmt(r.p99, 3) << ',' << r.failed
      << ',' << (r.pass ? 1 : 0) << '\n';
}

/// summary.json: the runs' figures for scripts.
void write_summary_json(const ReportDir& d, const ReportInput& in, const ResourceStats& res) {
  const auto& runs = in.runs;
  json j;
  j["date"] = utc_now();
  j["target"] = in.target;
  j["node_config"] = in.node_config;
  j["total_s"] = in.total_s;
  j["gas_per_swap"] = in.gas.loaded ? json(in.gas.swap) : json(nullptr);
  json rs = json::array();
  for (const auto& r : runs) {
    const auto& s = r.summary;
    json reasons = json::object();
    for (const auto& [why, n] : r.reasons) reasons[why] = n;
    uint64_t blocks_txs = 0;
    for (const auto& b : r.blocks) blocks_txs += b.ours;
    rs.push_back({{"label", s.label}, {"mode", r.mode}, {"instances", s.instances}, {"sent", s.sent}, {"soft", s.soft},
                  {"rejected", s.rejected}, {"timed_out", s.timed_out}, {"time_s", s.time_s}, {"tps", s.tps},
                  {"peak_tps", s.peak_tps}, {"gps", s.gps}, {"offered_rate", s.offered_rate},
                  {"soft_p50_ms", s.soft_p50_ms}, {"soft_p99_ms", s.soft_p99_ms}, {"soft_max_ms", s.soft_max_ms}, {"node_soft_p50_ms", s.node_soft_p50_ms}, {"node_soft_p99_ms", s.node_soft_p99_ms},
                  {"node_soft_delta", s.node_soft_delta}, {"node_verified", s.node_verified},
                  {"blocks", r.blocks.size()}, {"soft_in_blocks", blocks_txs}, {"batches", r.batches.size()},
                  {"committed", s.committed}, {"proven", s.proven}, {"finalized", s.finalized},
                  {"hard_p50_s", s.hard_p50_s}, {"hard_p99_s", s.hard_p99_s}, {"hard_max_s", s.hard_max_s},
                  {"hard_time_s", s.hard_time_s}, {"prover_ms", s.prover_ms}, {"prover_share", s.prover_share},
                  {"prover_share_p50", s.prover_share_p50}, {"reasons", reasons}});
  }
  j["runs"] = rs;
  if (!in.sweep.empty()) j["sweep_best_rate"] = in.sweep_best;
  j["node_cpu_avg_pct"] = res.cpu_avg;
  j["node_cpu_max_pct"] = res.cpu_max;
  j["node_rss_max_mb"] = res.rss_max;
  std::ofstream(d.path("summary.json")) << j.dump(2) << '\n';
}

/// The report's heading: date, machine, target, workload.
void md_header(std::ostream& md, const ReportInput& in) {
  const BenchConfig& cfg = in.cfg;
  md << "# zkamm bench report\n\n";
  md << "- date: " << utc_now() << "; machine: " << cpu_model() << ", " << std::thread::hardware_concurrency()
     << " hardware threads (load generator and node share them when the node runs in-process)\n";
  md << "- target: " << in.target << "; node: " << in.node_config << "\n";
  md << "- workload: " << cfg.accounts_per_instance << " accounts per instance, up to " << cfg.swaps_per_account
     << " swaps per account (capped at " << cfg.max_swaps_per_run << " swaps per run), " << cfg.conns_per_instance
     << " connection(s) per instance (at most " << cfg.max_connections << "), SwapExactIn over random pools and "
     << "directions, min out = quote x (1 - " << cfg.slippage << "), signed before each run, seed " << cfg.seed << "\n";
  md << "- total bench time " << fmt(in.total_s, 1) << " s\n";
  if (!cfg.note.empty()) md << "- " << cfg.note << "\n";
  md << "\n";
}

/// Table 1: the paper's experiment beside ours.
void md_table1(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  md << "## Table 1: the paper's experiment beside ours\n\n";
  md << "Time = first send to last soft swap; TPS = soft swaps / time; GPS = TPS x the gas of a Uniswap V2 swap on "
        "Ethereum (see below). Paper: Gogol et al., arXiv 2506.00500, Table 1 (ZKsync-stack rollup, 16 cores).\n\n";
  md << "| instances | paper swaps | paper time (s) | paper TPS | swaps | time (s) | TPS | peak TPS (1 s) | GPS (Mgas/s) | "
        "soft p50 / p99 / max (ms) | hard p50 / p99 / max (s) | failed |\n";
  md << "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    const auto& s = r.summary;
    std::string ps = "-", pt = "-", ptps = "-";
    for (const auto& p : kPaper)
      if (p.instances == s.instances && r.mode == "closed") {
        ps = std::to_string(p.swaps);
        pt = fmt(p.time_s, 0);
        ptps = fmt(p.tps);
      }
    if (s.instances > 5 && r.mode == "closed") ptps = "failed (> 5 instances)";
    md << "| " << s.instances << (r.mode == "open" ? " (open loop " + fmt(s.offered_rate, 0) + "/s)" : "") << " | " << ps
       << " | " << pt << " | " << ptps << " | " << s.sent << " | " << fmt(s.time_s, 3) << " | " << fmt(s.tps) << " | "
       << fmt(s.peak_tps) << " | " << (in.gas.loaded ? fmt(s.gps / 1e6, 1) : "n/a") << " | " << fmt(s.soft_p50_ms, 1)
       << " / " << fmt(s.soft_p99_ms, 1) << " / " << fmt(s.soft_max_ms, 1) << " | "
       << (s.finalized ? fmt(s.hard_p50_s, 1) + " / " + fmt(s.hard_p99_s, 1) + " / " + fmt(s.hard_max_s, 1) : "-")
       << " | " << (s.rejected + s.timed_out) << " |\n";
  }
  md << "\nThe paper's headline figures: 71.43 swap TPS sustained (5 instances), peak 98.4 TPS mid-run; soft finality "
        "within 15 s for every swap, median about 2.5 s; hard finality (proof verified on L1) 10 to 20 minutes; the "
        "sequencer became unstable above 5 concurrent instances.\n\n";
}

/// Every swap accounted for, with the failure reasons.
void md_accounting(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  const BenchConfig& cfg = in.cfg;
  md << "## Every swap accounted for\n\n";
  md << "| run | sent | soft | rejected | timed out | node soft txs (zkamm_status delta) | agree with zkamm_getTransaction |\n";
  md << "|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    const auto& s = r.summary;
    md << "| " << s.label << " | " << s.sent << " | " << s.soft << " | " << s.rejected << " | " << s.timed_out << " | "
       << s.node_soft_delta << " | " << (cfg.verify_with_node ? std::to_string(s.node_verified) : "not checked")
       << " |\n";
  }
  bool any_reason = false;
  for (const auto& r : runs)
    for (const auto& [why, n] : r.reasons) {
      if (!any_reason) md << "\nReasons:\n\n";
      any_reason = true;
      md << "- " << r.summary.label << ": " << why << ": " << n << "\n";
    }
}

/// Soft and hard finality per run.
void md_finality(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  md << "\n## Finality\n\n";
  md << "| run | soft | soft p50 / p99 / max (ms) | node soft p50 / p99 (ms) | committed | proven | finalized (hard) | "
        "hard p50 / p99 / max (s) | first send -> last finalized (s) | prover time (s) | prover share (run / per-swap p50) |\n";
  md << "|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    const auto& s = r.summary;
    md << "| " << s.label << " | " << s.soft << " | " << fmt(s.soft_p50_ms, 1) << " / " << fmt(s.soft_p99_ms, 1) << " / "
       << fmt(s.soft_max_ms, 1) << " | " << fmt(s.node_soft_p50_ms, 0) << " / " << fmt(s.node_soft_p99_ms, 0) << " | "
       << s.committed << " | " << s.proven << " | " << s.finalized << " | "
       << (s.finalized ? fmt(s.hard_p50_s, 2) + " / " + fmt(s.hard_p99_s, 2) + " / " + fmt(s.hard_max_s, 2) : "-") << " | "
       << (s.finalized ? fmt(s.hard_time_s, 1) : "-") << " | " << (s.prover_ms > 0 ? fmt(s.prover_ms / 1000.0, 1) : "-")
       << " | "
       << (s.prover_ms > 0 && s.finalized ? fmt(100.0 * s.prover_share, 0) + " % / " + fmt(100.0 * s.prover_share_p50, 0) + " %"
                                           : "-")
       << " |\n";
  }
  md << "\nSoft = the swap's block was sealed (durable), as seen by a client on the newBlocks WebSocket feed, measured "
        "from the intended send time. Node soft = the node's own soft time for the swap (zkamm_getTransaction times.soft, a millisecond wall clock on the same machine) minus the intended send time: the difference to the client-seen figure is the notification path (WebSocket delivery and the bench's own scheduling). Paper: soft <= 15 s (median ~2.5 s), hard 10-20 min. Committed / proven / "
        "finalized are filled when the node reports those times (zkamm_getTransaction times.committed / proven / "
        "finalized); 0 means the node did not report them in this run (no L1 settlement attached). Hard = "
        "finalized: the swap's batch was executed on L1 (its proof verified there), measured from the intended send "
        "time. Prover time = witness + Groth16 prove of the run's batches (when the target reports it, e.g. `zkamm "
        "devnet --once`); run share = prover time / (first send -> last finalized); per-swap share = its batch's "
        "prover time / its hard latency (median).\n\n";
}

/// Blocks and batches: fill, proving time, L1 gas.
void md_blocks(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  md << "## Blocks and batches\n\n";
  md << "| run | blocks | mean txs/block | max txs/block | mean fill (% of " << (runs.empty() ? 0 : runs[0].max_block_txs)
     << ") | batches | mean slots used | proving time (ms, witness + prove) | L1 gas (commit / prove / execute, or one commitProveExecute) |\n";
  md << "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : runs) {
    double sum = 0, mx = 0;
    for (const auto& b : r.blocks) {
      sum += b.tx_count;
      mx = std::max(mx, static_cast<double>(b.tx_count));
    }
    const double mean = r.blocks.empty() ? 0 : sum / static_cast<double>(r.blocks.size());
    double used = 0, prove = 0, gas = 0, gc = 0, gp = 0, ge = 0;
    uint64_t np = 0, ng = 0;
    uint32_t slots = 0;
    for (const auto& b : r.batches) {
      used += b.used;
      slots = b.slots;
      if (b.proving_ms >= 0) prove += b.proving_ms, ++np;
      if (b.l1_gas >= 0) gas += b.l1_gas, gc += b.gas_commit, gp += b.gas_prove, ge += b.gas_execute, ++ng;
    }
    md << "| " << r.summary.label << " | " << r.blocks.size() << " | " << fmt(mean, 1) << " | " << fmt(mx, 0) << " | "
       << (r.max_block_txs ? fmt(100.0 * mean / r.max_block_txs, 2) : "-") << " | " << r.batches.size() << " | "
       << (r.batches.empty() ? std::string("-") : fmt(used / static_cast<double>(r.batches.size()), 1) + " / " + std::to_string(slots))
       << " | " << (np ? fmt(prove / static_cast<double>(np), 0) : "not reported") << " | "
       << (ng == 0 ? std::string("not reported")
           : gc + gp + ge == 0
               ? fmt(gas / static_cast<double>(ng), 0) + " (one commitProveExecute)"
               : fmt(gas / static_cast<double>(ng), 0) + " (" + fmt(gc / static_cast<double>(ng), 0) + " / " +
                     fmt(gp / static_cast<double>(ng), 0) + " / " + fmt(ge / static_cast<double>(ng), 0) + ")")
       << " |\n";
  }
  md << "\nPaper: miniblocks averaged about 9 tx and L1 batches about 31 tx; utilisation swung widely.\n\n";
}

/// Gas per second, the paper's proposed unit.
void md_gas(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  md << "## Gas per second (the paper's proposed unit)\n\n";
  if (in.gas.loaded) {
    md << "Each soft swap is charged what the same swap costs on the real Uniswap V2 contracts on Ethereum: "
       << fmt(in.gas.swap, 0) << " gas (token transfer to the pair + pair.swap, one 21000 intrinsic; v2-core 1.0.1 on "
          "anvil, no router overhead). Other operations: add liquidity "
       << fmt(in.gas.add_liquidity, 0) << ", remove liquidity " << fmt(in.gas.remove_liquidity, 0) << ", transfer "
       << fmt(in.gas.transfer, 0) << ". Table: `" << in.gas.path << "` (" << in.gas.date << ", `" << in.gas.command
       << "`). Ethereum L1 targets 18 Mgas/s (36M gas limit / 12 s / 2).\n\n";
    md << "| run | TPS | GPS (Mgas/s) |\n|---|---|---|\n";
    for (const auto& r : runs)
      md << "| " << r.summary.label << " | " << fmt(r.summary.tps) << " | " << fmt(r.summary.gps / 1e6, 2) << " |\n";
    md << "\n";
  } else {
    md << "No gas table (" << in.gas.path << "): run `node bench/scripts/uniswap_gas.js node_modules "
          "bench/scripts/uniswap_gas.json`.\n\n";
  }
}

/// The node process's CPU and memory.
void md_resources(std::ostream& md, const ReportInput& in, const ResourceStats& res) {
  const BenchConfig& cfg = in.cfg;
  md << "## Node resources\n\n";
  if (in.resources.empty())
    md << "Not sampled (pass --node-pid for an external node).\n\n";
  else
    md << "CPU average " << fmt(res.cpu_avg, 0) << " %, max " << fmt(res.cpu_max, 0) << " % (100 % = one core); RSS max "
       << fmt(res.rss_max, 0) << " MiB" << (cfg.url.empty() ? " (in-process: node and load generator together)" : "")
       << ". Series: resources.csv, resources.png.\n\n";
}

/// The open-loop sweep (when there was one).
void md_sweep(std::ostream& md, const ReportInput& in) {
  const BenchConfig& cfg = in.cfg;
  if (in.sweep.empty()) return;
  md << "## Open-loop sweep\n\n";
  md << "Highest rate with p99 soft latency <= " << fmt(cfg.p99_bound_ms, 0) << " ms and no failures: **"
     << fmt(in.sweep_best, 0) << " swaps/s** (" << cfg.instances << " instances, " << fmt(cfg.sweep_step_s, 1)
     << " s per step).\n\n";
  md << "| offered (swaps/s) | achieved soft TPS | p50 (ms) | p99 (ms) | failed | pass |\n|---|---|---|---|---|---|\n";
  for (const auto& r : in.sweep)
    md << "| " << fmt(r.rate, 0) << " | " << fmt(r.achieved, 1) << " | " << fmt(r.p50, 1) << " | " << fmt(r.p99, 1)
       << " | " << r.failed << " | " << (r.pass ? "yes" : "no") << " |\n";
  md << "\n";
}

/// The files of the report.
void md_files(std::ostream& md, const ReportInput& in) {
  const auto& runs = in.runs;
  md << "## Files\n\n"
        "table.csv (this table), txs.csv (every swap: intended/send/accept/soft times, outcome, reason, block, batch, "
        "node times), blocks.csv, batches.csv, tps.csv, cumulative.csv, latency_cdf.csv, resources.csv, reasons.csv"
     << (in.sweep.empty() ? "" : ", sweep.csv") << "; plots: tps.png, cumulative.png, blocks.png, latency_cdf.png, "
     << "resources.png" << (in.sweep.empty() ? "" : ", sweep.png") << (any_hard(runs) ? ", latency_hard_cdf.png" : "")
     << " (plots.gp).\n";
}

/// summary.md: the report people read.
void write_summary_md(const ReportDir& d, const ReportInput& in, const ResourceStats& res) {
  std::ostringstream md;
  md_header(md, in);
  md_table1(md, in);
  md_accounting(md, in);
  md_finality(md, in);
  md_blocks(md, in);
  md_gas(md, in);
  md_resources(md, in, res);
  md_sweep(md, in);
  md_files(md, in);
  std::ofstream(d.path("summary.md")) << md.str();
}

/// plots.gp, and the PNGs when cfg.plots (gnuplot); "" or the error.
std::string write_plots(const ReportDir& d, const ReportInput& in) {
  const auto& runs = in.runs;
  const BenchConfig& cfg = in.cfg;
  std::ostringstream gp;
  std::string labels;
  for (const auto& r : runs) labels += (labels.empty() ? "" : " ") + r.summary.label;
  const std::size_t n = runs.size();
  gp << "# generated by zkamm bench; run: gnuplot plots.gp (in this folder)\n"
        "set terminal pngcairo size 1100,650 noenhanced\n"
        "set datafile separator ','\n"
        "set key outside right top\n"
        "set grid\n"
        "labels = '"
     << labels << "'\n"
     << "N = " << n << "\n";
  gp << "set output 'tps.png'\nset title 'Soft-finalized swaps per second (solid) and sent per second (dashed)'\n"
        "set xlabel 'time since run start (s)'\nset ylabel 'swaps/s'\n"
        "plot for [k=0:N-1] 'tps.csv' skip 1 using 3:($1==k ? $5 : 1/0) with lines lw 2 lc k+1 title word(labels,k+1), "
        "for [k=0:N-1] 'tps.csv' skip 1 using 3:($1==k ? $4 : 1/0) with lines dt 2 lc k+1 notitle\n";
  gp << "set output 'cumulative.png'\nset title 'Cumulative swaps: sent (dashed), soft (solid), hard (dotted)'\n"
        "set ylabel 'swaps'\n"
        "plot for [k=0:N-1] 'cumulative.csv' skip 1 using 3:($1==k ? $5 : 1/0) with lines lw 2 lc k+1 title word(labels,k+1), "
        "for [k=0:N-1] 'cumulative.csv' skip 1 using 3:($1==k ? $4 : 1/0) with lines dt 2 lc k+1 notitle, "
        "for [k=0:N-1] 'cumulative.csv' skip 1 using 3:($1==k ? $6 : 1/0) with lines dt 3 lw 2 lc k+1 notitle\n";
  gp << "set output 'blocks.png'\nset title 'Block utilisation (txs per block, % of max_block_txs)'\n"
        "set ylabel 'fill (%)'\n"
        "plot for [k=0:N-1] 'blocks.csv' skip 1 using 3:($1==k ? $7 : 1/0) with linespoints pt 7 ps 0.5 lc k+1 title word(labels,k+1)\n";
  bool any_soft = false;
  for (const auto& r : runs) any_soft = any_soft || r.summary.soft > 0;
  if (any_soft)
    gp << "set output 'latency_cdf.png'\nset title 'Soft-finality latency CDF (from intended send time)'\n"
        "set xlabel 'latency (ms)'\nset ylabel 'percent of swaps'\nset logscale x\nset key right bottom inside\n"
        "plot for [k=0:N-1] 'latency_cdf.csv' skip 1 using ($1==k ? $4 : 1/0):3 with lines lw 2 lc k+1 title word(labels,k+1)\n"
        "unset logscale x\nset key outside right top\n";
  if (any_hard(runs))
    gp << "set output 'latency_hard_cdf.png'\nset title 'Hard-finality latency CDF (intended send -> batch executed on L1)'\n"
        "set xlabel 'latency (s)'\nset ylabel 'percent of swaps'\nset key right bottom inside\n"
        "plot for [k=0:N-1] 'latency_cdf.csv' skip 1 using ($1==k && strlen(strcol(5)) > 0 ? $5 / 1000.0 : 1/0):3 with lines lw 2 "
        "lc k+1 title word(labels,k+1)\n"
        "set key outside right top\n";
  if (!in.resources.empty())
    gp << "set output 'resources.png'\nset title 'Node process CPU and memory'\nset xlabel 'time since bench start (s)'\n"
        "set ylabel 'CPU (%, 100 = one core)'\nset y2label 'RSS (MiB)'\nset y2tics\n"
        "plot 'resources.csv' skip 1 using 1:2 with lines lw 2 title 'CPU %', '' skip 1 using 1:3 axes x1y2 with lines lw 2 title 'RSS MiB'\n"
        "unset y2tics\nunset y2label\n";
  if (!in.sweep.empty())
    gp << "set output 'sweep.png'\nset title 'Open-loop sweep: p99 soft latency vs offered rate'\n"
          "set xlabel 'offered rate (swaps/s)'\nset ylabel 'ms'\nset logscale x\n"
          "plot 'sweep.csv' skip 1 using 1:4 with linespoints lw 2 pt 7 title 'p99', '' skip 1 using 1:3 with linespoints "
          "lw 2 pt 7 title 'p50'\n";
  std::ofstream(d.path("plots.gp")) << gp.str();
  if (cfg.plots) {
    const std::string cmd = "cd '" + d.dir + "' && gnuplot plots.gp > gnuplot.log 2>&1";
    if (std::system(cmd.c_str()) != 0) return "gnuplot failed (see " + d.path("gnuplot.log") + ")";
  }
  return "";
}

}  // namespace

std::string write_report(const std::string& dir, const ReportInput& in) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return "cannot create " + dir + ": " + ec.message();
  const ReportDir d{dir};
  write_table_csv(d, in);
  write_txs_csv(d, in);
  write_blocks_csv(d, in);
  write_batches_csv(d, in);
  write_tps_csv(d, in);
  write_cumulative_csv(d, in);
  write_latency_cdf_csv(d, in);
  write_resources_csv(d, in);
  write_reasons_csv(d, in);
  write_sweep_csv(d, in);
  const ResourceStats res = resource_stats(in);
  write_summary_json(d, in, res);
  write_summary_md(d, in, res);
  return write_plots(d, in);
}

}  // namespace zkamm::bench
