#pragma once
// Turns a manifest into a created (not started) plugin task, refusing anything that is not a
// compatible plugin before any object of it is created. Each step and its message:
//   manifest api_version the host cannot provide        -> refused before the file is touched
//   file missing / not regular / not ELF / not a shared object / no plugin symbols
//                                                      -> refused before dlopen (no code runs)
//   dlopen error (e.g. an unresolved symbol)           -> dlerror's text
//   descriptor incompatible (layout, API major, newer minor, C++ ABI, Boost version)
//                                                      -> both versions, no factory call
//   descriptor id != manifest id                       -> both ids
//   factory throws or returns null                     -> its message
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "loading/library_registry.hpp"
#include "loading/offered_capabilities.hpp"
#include "manifest/manifest.hpp"
#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

// What the host lends every task it creates. Both outlive every task (see PluginRegistry).
struct PluginServices {
    // A logger for one plugin's messages (the reference host prefixes them with the id).
    std::function<std::unique_ptr<plugin_api::ILogger>(const std::string& plugin_id)> make_logger;
    plugin_api::INotifier* notifier = nullptr;
};

struct LoadedPlugin {
    std::string version;  // the descriptor's plugin_version
    // What the plugin offers beyond IBackgroundTask, limited to what its declared minor can have.
    OfferedCapabilities capabilities;
    // Declared before the task: the task may log until it is destroyed.
    std::unique_ptr<plugin_api::ILogger> logger;
    std::unique_ptr<plugin_api::IBackgroundTask> task;
};

struct LoadResult {
    std::optional<LoadedPlugin> plugin;  // set on success
    std::string error;                   // set on failure: names manifest, file and reason
    std::vector<std::string> warnings;
};

class PluginLoader {
  public:
    // `host_api`: the API this host implements; tests pass a newer one to act as a newer host.
    PluginLoader(std::filesystem::path plugin_dir, LibraryRegistry& libraries,
                 PluginServices services, HostApi host_api = {});

    // Never throws: every failure is a LoadResult with an error.
    LoadResult load(const Manifest& manifest);

    // Where a manifest's library is looked for.
    std::filesystem::path library_path(const Manifest& manifest) const;

  private:
    std::filesystem::path plugin_dir_;
    LibraryRegistry& libraries_;
    PluginServices services_;
    HostApi host_api_;
};

}  // namespace orch::host
