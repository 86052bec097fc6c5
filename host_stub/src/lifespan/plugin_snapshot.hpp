#pragma once
// What the host knows about one plugin at one moment: the input of GET /queue.
#include <optional>
#include <string>

namespace orch::host {

enum class PluginState {
    kDisabled,  // the manifest says enabled=false: never loaded
    kFailed,    // refused at load, or start() threw; see the error
    kLoaded,    // task created, not started (also --once, which ticks without starting)
    kRunning,   // start() returned
    kStopped,   // stop() returned
};

struct PluginSnapshot {
    std::string id;
    std::string queue_key;
    std::string version;  // the descriptor's; empty when the library was never read
    bool required = false;
    PluginState state = PluginState::kLoaded;
    std::string error;                       // empty unless failed
    std::optional<std::string> status_text;  // the task's status(); nullopt without a task
};

}  // namespace orch::host
