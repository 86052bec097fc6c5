#pragma once
// The metrics' view of the task's status (metrics_text.hpp renders it). Pure; the task calls it
// under its status lock and renders the result outside.
//
// runs_total by result, against the status JSON's counters:
//   success = successes_total
//   timeout = timeouts_total (ssh ran past timeout_s and was killed)
//   failure = failures_total - timeouts_total (exit codes, signals, spawn errors, cancels, and
//             due ticks with an invalid target, which run nothing)
//   noop    = noop_ticks_total (due ticks with no target configured)
// so failures_total in /queue is failure + timeout here.
#include <string_view>

#include "task/metrics_text.hpp"
#include "task/pruner_status.hpp"

namespace orch::pruner {

// One series per host of the fleet, labelled with its key (FleetHost::key: the ssh target, with
// ":<port>" when one is set, or "invalid entry <n>"); the task without any host configured has
// one series labelled "none".
// The `host` label of the task with no host configured (or whose host list was refused).
inline constexpr std::string_view kNoTargetHostLabel = "none";

PruneMetrics prune_metrics_of(const PrunerStatus& status);

}  // namespace orch::pruner
