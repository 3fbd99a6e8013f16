// The explorer's embedded assets: the build step put every file of src/explorer/assets/ into the
// binary byte for byte, and find_asset maps exactly the explorer's paths to them (nothing else:
// no other route is shadowed, no path reaches the file system).
#include "explorer/explorer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "explorer/embedded_assets.hpp"

namespace zkamm::explorer {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Explorer, EmbedsEveryAssetByteForByte) {
  const std::filesystem::path dir = std::filesystem::path(ZKAMM_SOURCE_DIR) / "src/explorer/assets";
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    ++files;
    const std::string name = e.path().filename().string();
    auto a = find_asset("/explorer/" + name);
    ASSERT_TRUE(a) << name;
    EXPECT_EQ(a->body, read_file(e.path())) << name;
  }
  EXPECT_EQ(embedded_files().size(), files);
  EXPECT_GE(files, 3u);
}

TEST(Explorer, MapsOnlyTheExplorersPaths) {
  for (const char* p : {"/", "/explorer", "/explorer/", "/explorer/index.html"}) {
    auto a = find_asset(p);
    ASSERT_TRUE(a) << p;
    EXPECT_EQ(a->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(a->body.substr(0, 15), "<!doctype html>");
  }
  EXPECT_EQ(find_asset("/explorer/app.js")->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(find_asset("/explorer/style.css")->content_type, "text/css; charset=utf-8");
  for (const char* p : {"/health", "/metrics", "/ws", "/index.html", "/app.js", "/explorer/../explorer/app.js",
                        "/explorer/./app.js", "/explorer//app.js", "/explorer/app.js/", "/explorer/nothing.js", "",
                        "/explorerapp.js"})
    EXPECT_FALSE(find_asset(p)) << p;
}

}  // namespace
}  // namespace zkamm::explorer
