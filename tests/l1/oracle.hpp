#pragma once
// Test helpers: run foundry's `cast` (offline commands) as an independent oracle, and a seeded
// random generator that prints its seed and accepts ZKAMM_SEED.
#include <array>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>

namespace zkamm::l1::test {

inline std::string cast_path() { return ZKAMM_SOURCE_DIR "/node_modules/@foundry-rs/cast-linux-amd64/bin/cast"; }
inline std::string anvil_path() { return ZKAMM_SOURCE_DIR "/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"; }

/// Concatenation by append: g++ 12 -O3 gives a false -Wrestrict on `"literal" + std::string`.
template <class... A>
std::string concat(const A&... parts) {
  std::string s;
  (s.append(parts), ...);
  return s;
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

/// Runs a shell command and returns its stdout without the trailing newline; nullopt on failure.
inline std::optional<std::string> run_command(const std::string& cmd) {
  FILE* f = popen(concat(cmd, " 2>/dev/null").c_str(), "r");
  if (!f) return std::nullopt;
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), f)) > 0) out.append(buf.data(), n);
  if (pclose(f) != 0) return std::nullopt;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

/// `cast <args>`; args are already quoted.
inline std::optional<std::string> cast(const std::string& args) { return run_command(concat(cast_path(), " ", args)); }

/// A generator seeded from ZKAMM_SEED or the clock; prints the seed so a failure can be replayed.
inline std::mt19937_64 seeded_rng(const char* test_name) {
  uint64_t seed;
  if (const char* s = std::getenv("ZKAMM_SEED")) {
    seed = std::strtoull(s, nullptr, 10);
  } else {
    seed = std::random_device{}() ^ (static_cast<uint64_t>(std::random_device{}()) << 32);
  }
  std::cout << "[ seed ] " << test_name << ": ZKAMM_SEED=" << seed << std::endl;
  return std::mt19937_64(seed);
}

}  // namespace zkamm::l1::test
