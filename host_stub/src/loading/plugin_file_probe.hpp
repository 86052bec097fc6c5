#pragma once
// Judges a plugin file from its bytes before dlopen(): dlopen() already runs the library's
// constructors, so a file that is missing, not a shared object of this machine's kind, or
// without the plugin symbols is refused before any of its code can run.
#include <filesystem>
#include <optional>
#include <string>

namespace orch::host {

// nullopt when `path` is a regular ELF shared object for this machine that exports
// orch_plugin_descriptor and orch_create_task in the "orchplug" section; otherwise what is
// wrong, phrased to follow the path (e.g. "does not exist", "is not an ELF shared object ...").
std::optional<std::string> probe_plugin_file(const std::filesystem::path& path);

}  // namespace orch::host
