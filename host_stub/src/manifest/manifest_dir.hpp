#pragma once
// Reads the manifest files of a directory: every regular "*.json" file not starting with '.'
// (editor and backup files are not manifests). Sub-directories are not searched.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "manifest/manifest_set.hpp"

namespace orch::host {

struct ManifestDirRead {
    std::optional<std::string> fatal;  // the directory itself is unusable
    std::vector<ManifestFile> files;
    std::vector<ManifestProblem> errors;  // files that could not be read
};

// A manifest is a few hundred bytes; anything this large is a mistake, not a manifest.
inline constexpr std::uintmax_t kMaxManifestBytes = 1024 * 1024;

ManifestDirRead read_manifest_dir(const std::filesystem::path& dir);

// read_manifest_dir() then select_manifests(); read errors join the set's errors.
struct ManifestDirLoad {
    std::optional<std::string> fatal;
    ManifestSet set;
};
ManifestDirLoad load_manifest_dir(const std::filesystem::path& dir);

}  // namespace orch::host
