#pragma once
// Where an installed host_stub finds its manifests and plugins: relative to its own prefix, so a
// tree installed anywhere (`cmake --install build --prefix P`) runs without arguments.
#include <filesystem>
#include <optional>
#include <string>

namespace orch::host {

struct HostPaths {
    std::filesystem::path manifests;
    std::filesystem::path plugins;
};

// Pure: the prefix is `executable`'s directory with the install bin dir removed, e.g.
// /opt/orch/bin/host_stub -> /opt/orch -> /opt/orch/share/orchestrator/manifests. The relative
// directories are the ones the install rules use (compiled in from CMake).
HostPaths default_paths(const std::filesystem::path& executable);

// This process's executable, from /proc/self/exe (symlinks resolved); nullopt if unreadable.
std::optional<std::filesystem::path> current_executable();

}  // namespace orch::host
