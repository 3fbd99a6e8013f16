#pragma once
// The web explorer's assets (src/explorer/assets/: one page, its script and style sheet),
// compiled into the binary at build time (embed_assets.cmake), so `zkamm node`, `zkamm devnet`
// and `zkamm sync` serve the explorer from any folder and offline: no CDN, no files to install.
// The page talks to the same port's JSON-RPC (POST /) and WebSocket (/ws); see docs/EXPLORER.md.
#include <optional>
#include <string_view>

namespace zkamm::explorer {

struct Asset {
  std::string_view content_type;
  std::string_view body;
};

/// The asset served at an HTTP path: "/" and "/explorer/" are the page, "/explorer/<file>" its
/// files. nullopt for any other path (so the server's other GET routes and its 404 stay as they are).
std::optional<Asset> find_asset(std::string_view path) noexcept;

}  // namespace zkamm::explorer
