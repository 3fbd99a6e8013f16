// Generated fixtures in the repository (contracts/src/generated/*.sol): the C++ encoder writes
// them and forge reads them, so a test checks the committed file is what the encoder writes now.
#pragma once
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

namespace zkamm::testing {

/// Under ZKAMM_UPDATE_FIXTURES=1 rewrites `path` with `want` first; then expects the file to hold
/// exactly `want`. `ctest_regex` names the test that rewrites it, for the failure message.
inline void expect_fixture_file(const std::filesystem::path& path, const std::string& want, const char* ctest_regex) {
  if (const char* u = std::getenv("ZKAMM_UPDATE_FIXTURES"); u != nullptr && std::string(u) == "1") {
    std::ofstream(path) << want;
    std::cout << "rewrote " << path << std::endl;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing: run ZKAMM_UPDATE_FIXTURES=1 ctest -R '" << ctest_regex << "'";
  std::stringstream got;
  got << in.rdbuf();
  EXPECT_EQ(got.str(), want) << path << " differs from what the encoder writes (ZKAMM_UPDATE_FIXTURES=1 to rewrite it, "
                             << "then run e2e.contracts)";
}

}  // namespace zkamm::testing
