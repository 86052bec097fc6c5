#pragma once
// The top level of the status block for a fleet (issue 11): the per-host statuses summed up.
// Pure; status_json.cpp and the metrics call it on a snapshot.
//
// Rules (README "Status"):
// - One host (or none: the unlisted no-op entry): the top level is that host's status verbatim,
//   so a single-host configuration reads exactly as before the fleet existed.
// - Several: the seed's keys follow aggregate_fleet (last_run_ts the latest attempt,
//   last_reclaimed_bytes the sum of the hosts' last successful prunes, last_error null or
//   "k of n hosts failed: ..."); counters are sums; in_flight is any host's, in_flight_since_ts
//   the earliest; last_success_ts the latest; next_run_ts the earliest due host (null while
//   none is known); pressure_unresolved any host's. What only one host can say (target,
//   command, exit code, duration, note, disk figures, last trigger, previews) is null at the top
//   level and shown per host in `hosts`.
#include <cstddef>

#include "task/pruner_status.hpp"

namespace orch::pruner {

struct FleetSummary {
    HostStatus top;
    std::size_t hosts_total = 0;  // listed hosts
    std::size_t hosts_failing = 0;
    std::size_t in_flight_total = 0;
    TaskState state = TaskState::kIdle;  // kPruning while any host prunes (from idle/running)
};

FleetSummary summarise_fleet(const PrunerStatus& status);

}  // namespace orch::pruner
