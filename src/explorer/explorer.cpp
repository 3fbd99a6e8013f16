#include "explorer/explorer.hpp"

#include "explorer/embedded_assets.hpp"

namespace zkamm::explorer {
namespace {

std::string_view content_type_of(std::string_view name) noexcept {
  const auto ends = [&](std::string_view ext) {
    return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

}  // namespace

std::optional<Asset> find_asset(std::string_view path) noexcept {
  constexpr std::string_view kPrefix = "/explorer/";
  std::string_view name;
  if (path == "/" || path == "/explorer" || path == kPrefix) {
    name = "index.html";
  } else if (path.size() > kPrefix.size() && path.substr(0, kPrefix.size()) == kPrefix) {
    name = path.substr(kPrefix.size());
  } else {
    return std::nullopt;
  }
  // Exact names from the embedded table only: no file system, so no path traversal.
  for (const EmbeddedFile& f : embedded_files())
    if (f.name == name) return Asset{content_type_of(name), f.data};
  return std::nullopt;
}

}  // namespace zkamm::explorer
