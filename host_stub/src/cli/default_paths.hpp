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

// The install rules' directories: `bin` relative to the prefix; `manifests` and `plugins` relative
// to it or absolute (the manifests' /etc when built for prefix /usr, as GNUInstallDirs does).
struct InstallLayout {
    std::filesystem::path bin;
    std::filesystem::path manifests;
    std::filesystem::path plugins;
};

// Pure: the prefix is `executable`'s directory with `layout.bin` removed, e.g.
// /opt/orch/bin/host_stub -> /opt/orch -> /opt/orch/etc/orchestrator/manifests; an absolute
// directory is taken as it is (/usr/bin/host_stub -> /etc/orchestrator/manifests).
HostPaths default_paths(const std::filesystem::path& executable, const InstallLayout& layout);

// The same with the layout compiled in from CMake (the one the install rules use).
HostPaths default_paths(const std::filesystem::path& executable);

// This process's executable (boost::dll::program_location: /proc/self/exe with symlinks resolved);
// nullopt if unreadable.
std::optional<std::filesystem::path> current_executable();

}  // namespace orch::host
