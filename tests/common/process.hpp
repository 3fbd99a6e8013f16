#pragma once
// Running the oracle tools (node scripts, foundry's cast, snarkjs) from tests: a command's stdout
// and exit status, shell quoting, and `node script request.json` for the JSON-in, JSON-out
// oracle scripts under tests/*/oracles/.
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

namespace zkamm::testing {

struct CommandRun {
  std::string cmd;
  int status = -1;  ///< pclose's status (0: exit code 0); -1 when the command could not start
  std::string out;  ///< everything it printed on stdout
  bool ok() const noexcept { return status == 0; }
};

/// Runs cmd with /bin/sh and collects its stdout (stderr passes through).
inline CommandRun run_command(std::string cmd) {
  CommandRun r;
  r.cmd = std::move(cmd);
  if (FILE* pipe = ::popen(r.cmd.c_str(), "r")) {
    std::array<char, 4096> buf;
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) r.out.append(buf.data(), n);
    r.status = ::pclose(pipe);
  }
  return r;
}

/// Single-quotes an argument for /bin/sh.
inline std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

/// s without its trailing newlines.
inline std::string chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

struct NodeOracleRun : CommandRun {
  nlohmann::json answer;  ///< stdout as JSON; discarded when it is not JSON
};

/// `node script request.json` with `request` written to a temporary file (removed afterwards).
inline NodeOracleRun run_node_oracle(const std::filesystem::path& script, const nlohmann::json& request) {
  static std::atomic<unsigned> counter{0};
  const auto req_path = std::filesystem::temp_directory_path() /
                        ("zkamm_oracle_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".json");
  std::ofstream(req_path) << request.dump();
  NodeOracleRun r;
  static_cast<CommandRun&>(r) = run_command("node " + sh_quote(script.string()) + " " + sh_quote(req_path.string()));
  std::filesystem::remove(req_path);
  r.answer = nlohmann::json::parse(r.out, nullptr, false);
  return r;
}

}  // namespace zkamm::testing
