#include "cli/default_paths.hpp"

#include <system_error>

#include <boost/dll/runtime_symbol_info.hpp>

#ifndef ORCH_BIN_INSTALL_DIR
#error "ORCH_BIN_INSTALL_DIR must come from CMake (CMAKE_INSTALL_BINDIR)"
#endif
#ifndef ORCH_PLUGIN_INSTALL_DIR
#error "ORCH_PLUGIN_INSTALL_DIR must come from CMake"
#endif
#ifndef ORCH_MANIFEST_INSTALL_DIR
#error "ORCH_MANIFEST_INSTALL_DIR must come from CMake"
#endif

namespace orch::host {

namespace fs = std::filesystem;

HostPaths default_paths(const fs::path& executable, const InstallLayout& layout) {
    fs::path prefix = executable.parent_path();
    for (const auto& component : layout.bin) {
        if (!component.empty()) {
            prefix = prefix.parent_path();
        }
    }
    // operator/ with an absolute right-hand side yields it unchanged.
    return HostPaths{prefix / layout.manifests, prefix / layout.plugins};
}

HostPaths default_paths(const fs::path& executable) {
    return default_paths(executable, InstallLayout{ORCH_BIN_INSTALL_DIR, ORCH_MANIFEST_INSTALL_DIR,
                                                   ORCH_PLUGIN_INSTALL_DIR});
}

std::optional<fs::path> current_executable() {
    std::error_code ec;
    fs::path exe = boost::dll::program_location(ec);
    if (ec) {
        return std::nullopt;
    }
    return exe;
}

}  // namespace orch::host
