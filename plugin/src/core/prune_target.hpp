#pragma once
// One docker host's prune, decided once from the configuration: its ssh options, argv and the
// text logs and status show. A task holds one today; a fleet would hold one per host. Pure.
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/prune_command.hpp"

namespace orch::pruner {

struct PruneTarget {
    SshOptions ssh;
    std::vector<std::string> argv;  // argv[0] is "ssh"; the runner's executable replaces it
    std::string command_text;       // argv shell-quoted, for logs and status
};

// Exactly one of: a target; an error (the configured host/user is invalid: ssh is never run);
// neither (no host configured: a due tick is a no-op).
struct PruneTargetChoice {
    std::optional<PruneTarget> target;
    std::optional<std::string> error;
};

// ssh's connect timeout is the run's timeout clamped to [1, 30] s: long enough for a slow
// network, never longer than the whole run.
PruneTargetChoice prune_target_for(const PrunerConfig& config);

}  // namespace orch::pruner
