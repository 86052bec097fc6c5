#pragma once
// What the host knows about one plugin at one moment: the input of GET /queue.
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace orch::host {

enum class PluginState {
    kDisabled,  // the manifest says enabled=false: never loaded
    kFailed,    // refused at load, or start() threw; see the error
    kLoaded,    // task created, not started (also --once, which ticks without starting)
    kRunning,   // start() returned
    kStopped,   // stop() returned
};

// Each state's name, indexed by PluginState: GET /queue's "state" and orch_host_plugins' label.
inline constexpr std::array<std::string_view, 5> kPluginStateNames{"disabled", "failed", "loaded",
                                                                   "running", "stopped"};

constexpr std::string_view plugin_state_name(PluginState state) {
    return kPluginStateNames.at(static_cast<std::size_t>(state));
}

struct PluginSnapshot {
    std::string id;
    std::string queue_key;
    std::string version;  // the descriptor's; empty when the library was never read
    bool required = false;
    PluginState state = PluginState::kLoaded;
    std::string error;                       // empty unless failed
    std::optional<std::string> status_text;  // the task's status(); nullopt without a task

    bool operator==(const PluginSnapshot&) const = default;
};

}  // namespace orch::host
