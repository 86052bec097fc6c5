#include "core/fleet_schedule.hpp"

#include <algorithm>

namespace orch::pruner {

SteadyTime host_due(const PassClock& clock, const PassIntervals& intervals, SteadyTime first_due) {
    // next_pass_due returns its `now` for a schedule that has not run: the stagger's first_due.
    return next_pass_due(clock, intervals, first_due);
}

FleetPick pick_hosts_to_start(std::span<const FleetHostState> hosts, SteadyTime now,
                              std::size_t parallelism) {
    FleetPick pick;
    std::size_t busy = 0;
    std::vector<std::size_t> due;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const FleetHostState& host = hosts[i];
        if (host.in_flight) {
            busy += host.needs_slot ? 1 : 0;
        } else if (host.due <= now) {
            due.push_back(i);
        } else if (!pick.next_wake || host.due < *pick.next_wake) {
            pick.next_wake = host.due;
        }
    }
    std::stable_sort(due.begin(), due.end(),
                     [&](std::size_t a, std::size_t b) { return hosts[a].due < hosts[b].due; });
    std::size_t free_slots = parallelism > busy ? parallelism - busy : 0;
    for (const std::size_t i : due) {
        if (!hosts[i].needs_slot) {
            pick.start.push_back(i);
        } else if (free_slots > 0) {
            --free_slots;
            pick.start.push_back(i);
        } else {
            ++pick.waiting_for_slot;
        }
    }
    return pick;
}

}  // namespace orch::pruner
