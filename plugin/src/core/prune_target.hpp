#pragma once
// Each docker host's prune, decided once from the configuration: its ssh options, argv and the
// text logs and status show. The task holds one unit per host of the fleet (issue 11). Pure.
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/fleet.hpp"
#include "core/prune_command.hpp"

namespace orch::pruner {

struct PruneTarget {
    SshOptions ssh;
    std::vector<std::string> argv;  // argv[0] is "ssh"; the runner's executable replaces it
    std::string command_text;       // argv shell-quoted, for logs and status
};

// One configured host. Exactly one of: a target; an error (the entry is invalid: ssh is never
// run for it); neither (no host configured: a due tick is a no-op).
struct PruneUnit {
    std::string key;  // FleetHost::key; empty for the no-host unit
    std::optional<PruneTarget> target;
    std::optional<std::string> error;
};

struct PruneUnits {
    std::vector<PruneUnit> units;  // never empty
    // False when the fleet has no host (none configured, or the list was refused whole): the
    // one unit then only records the no-op or the error and is not a host of `hosts`.
    bool listed = true;
};

// ssh's connect timeout is the run's timeout clamped to [1, 30] s: long enough for a slow
// network, never longer than the whole run.
PruneUnits prune_units_for(const Fleet& fleet, const PrunerConfig& config);

}  // namespace orch::pruner
