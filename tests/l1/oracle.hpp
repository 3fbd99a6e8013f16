#pragma once
// Test helpers: run foundry's `cast` (offline commands) as an independent oracle (the seeded
// generator and the process helpers are common/).
#include <optional>
#include <string>

#include "common/process.hpp"
#include "common/seed.hpp"

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

using zkamm::testing::sh_quote;

/// Runs a shell command and returns its stdout without the trailing newline; nullopt on failure.
inline std::optional<std::string> run_command(const std::string& cmd) {
  auto r = zkamm::testing::run_command(concat(cmd, " 2>/dev/null"));
  if (!r.ok()) return std::nullopt;
  return zkamm::testing::chomp(std::move(r.out));
}

/// `cast <args>`; args are already quoted.
inline std::optional<std::string> cast(const std::string& args) { return run_command(concat(cast_path(), " ", args)); }

using zkamm::testing::seeded_rng;

}  // namespace zkamm::l1::test
