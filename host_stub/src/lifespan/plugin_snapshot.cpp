#include "lifespan/plugin_snapshot.hpp"

namespace orch::host {

const char* to_string(PluginState state) {
    switch (state) {
        case PluginState::kDisabled:
            return "disabled";
        case PluginState::kFailed:
            return "failed";
        case PluginState::kLoaded:
            return "loaded";
        case PluginState::kRunning:
            return "running";
        case PluginState::kStopped:
            return "stopped";
    }
    return "unknown";
}

}  // namespace orch::host
