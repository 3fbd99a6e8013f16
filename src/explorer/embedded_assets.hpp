#pragma once
// The table that embed_assets.cmake generates (build/.../embedded_assets.cpp): every file of
// src/explorer/assets/ by its name, as bytes in the binary.
#include <span>
#include <string_view>

namespace zkamm::explorer {

struct EmbeddedFile {
  std::string_view name;  ///< file name inside assets/, e.g. "app.js"
  std::string_view data;
};

std::span<const EmbeddedFile> embedded_files() noexcept;

}  // namespace zkamm::explorer
