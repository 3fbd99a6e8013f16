#pragma once
// Runs one of the circomlibjs oracle scripts of tests/tx/oracles: the request goes to the script as
// a JSON file, its answer comes back as JSON on stdout.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace zkamm::tx::testing {

struct NodeOracleRun {
  std::string cmd;
  int rc = -1;          ///< pclose's status; 0 on success
  nlohmann::json answer;  ///< discarded when stdout is not JSON
  std::string out;      ///< stdout as read, for failure messages
};

/// `node script request.json` with `request` written to a temporary file (removed afterwards).
inline NodeOracleRun run_node_oracle(const std::filesystem::path& script, const nlohmann::json& request) {
  static std::atomic<unsigned> counter{0};
  const auto req_path = std::filesystem::temp_directory_path() /
                        ("zkamm_oracle_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".json");
  std::ofstream(req_path) << request.dump();
  NodeOracleRun r;
  r.cmd = "node \"" + script.string() + "\" \"" + req_path.string() + "\"";
  if (FILE* pipe = popen(r.cmd.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) r.out.append(buf, n);
    r.rc = pclose(pipe);
  }
  std::filesystem::remove(req_path);
  r.answer = nlohmann::json::parse(r.out, nullptr, false);
  return r;
}

}  // namespace zkamm::tx::testing
