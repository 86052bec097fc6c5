#include "task/fleet_status.hpp"

#include <algorithm>
#include <vector>

#include "core/fleet_aggregate.hpp"
#include "core/reclaimed_parser.hpp"
#include "core/saturating.hpp"
#include "task/prune_outcome.hpp"

namespace orch::pruner {

namespace {

template <typename T, typename Better>
void keep_if(std::optional<T>& best, const std::optional<T>& candidate, Better better) {
    if (candidate && (!best || better(*candidate, *best))) {
        best = candidate;
    }
}

// The several-host top level (see the header's rules).
HostStatus summed(const std::vector<HostStatus>& hosts, const FleetAggregate& aggregate) {
    HostStatus top;
    top.last_run_ts = aggregate.last_run_ts;
    top.last_reclaimed_bytes = aggregate.last_reclaimed_bytes;
    if (aggregate.last_reclaimed_bytes) {
        top.last_reclaimed = reclaimed_gib_label(*aggregate.last_reclaimed_bytes);
        top.last_reclaimed_human = human_size(*aggregate.last_reclaimed_bytes);
    }
    top.last_error = aggregate.last_error;
    for (const HostStatus& h : hosts) {
        top.in_flight = top.in_flight || h.in_flight;
        keep_if(top.in_flight_since_ts, h.in_flight_since_ts, std::less<>());
        keep_if(top.last_success_ts, h.last_success_ts, std::greater<>());
        keep_if(top.next_run_ts, h.next_run_ts, std::less<>());
        top.runs_total = saturating_add(top.runs_total, h.runs_total);
        top.successes_total = saturating_add(top.successes_total, h.successes_total);
        top.failures_total = saturating_add(top.failures_total, h.failures_total);
        top.timeouts_total = saturating_add(top.timeouts_total, h.timeouts_total);
        top.noop_ticks_total = saturating_add(top.noop_ticks_total, h.noop_ticks_total);
        top.reclaimed_bytes_total =
            saturating_add(top.reclaimed_bytes_total, h.reclaimed_bytes_total);
        top.pressure_prunes_total =
            saturating_add(top.pressure_prunes_total, h.pressure_prunes_total);
        top.pressure_unresolved = top.pressure_unresolved || h.pressure_unresolved;
    }
    return top;
}

}  // namespace

FleetSummary summarise_fleet(const PrunerStatus& status) {
    std::vector<HostOutcome> outcomes;
    outcomes.reserve(status.hosts.size());
    for (const HostStatus& h : status.hosts) {
        outcomes.push_back(
            {h.key, h.last_run_ts, h.last_error, h.last_reclaimed_bytes, h.in_flight});
    }
    const FleetAggregate aggregate = aggregate_fleet(outcomes);
    FleetSummary summary;
    summary.top = status.hosts.size() == 1 ? status.hosts.front() : summed(status.hosts, aggregate);
    summary.hosts_total = status.listed ? status.hosts.size() : 0;
    summary.hosts_failing = status.listed ? aggregate.hosts_failing : 0;
    summary.in_flight_total = aggregate.in_flight_total;
    summary.state = status.state;
    const bool active = status.state == TaskState::kIdle || status.state == TaskState::kRunning;
    if (active && summary.in_flight_total > 0) {
        summary.state = TaskState::kPruning;
    }
    return summary;
}

}  // namespace orch::pruner
