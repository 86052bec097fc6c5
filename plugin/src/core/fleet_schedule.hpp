#pragma once
// Which hosts of a fleet to start now, under the parallelism limit (issue 11). Pure: the
// caller passes each host's state and the clock reading.
//
// Design: the task (task/pruner_task) keeps, per host, its schedule and `in_flight`, under one
// lock. Each time a worker is free (start, a host finished, a timer) it calls
// pick_hosts_to_start() and runs the first host picked; an in-flight host holds its slot for
// its whole pass (probe and prune run one after another), so counting in-flight hosts here IS
// the limit on ssh processes. Otherwise it sleeps until next_wake or until a host finishes.
// A host that hangs is in flight until its timeout: it holds its one slot and nothing else.
#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "core/schedule.hpp"
#include "core/space_schedule.hpp"

namespace orch::pruner {

// When a host's next pass is due: its first_due (task start + stagger_offset) for a schedule
// that has not run yet, else by its schedule (space_schedule.hpp: the earlier of the age
// prune's and the probe's). It uses next_pass_due, so the fleet follows the single-host rules
// (non-positive interval due at once, saturation at max()).
SteadyTime host_due(const PassClock& clock, const PassIntervals& intervals, SteadyTime first_due);

struct FleetHostState {
    SteadyTime due;          // host_due(...)
    bool in_flight = false;  // an attempt is running (it holds a slot if it needs one)
    // False for a host that never runs ssh (an invalid entry: it only records its error), so it
    // neither takes nor waits for a slot.
    bool needs_slot = true;
};

struct FleetPick {
    std::vector<std::size_t> start;  // indices of the hosts to start now, in start order
    // The earliest due time in the future (> now) of a host that is neither started nor in
    // flight; nullopt when there is none. Hosts already due but left waiting for a slot are not
    // in it: the caller wakes for them when a running host finishes.
    std::optional<SteadyTime> next_wake;
    std::size_t waiting_for_slot = 0;  // due now, not started: every slot is taken
};

// Starts the due hosts (due <= now, not in flight), earliest due first and ties in list order,
// while slots are free: parallelism minus the in-flight hosts that need a slot. Hosts that do
// not need a slot are always started when due. With every host due at start and parallelism p,
// the first p (in list order) start. parallelism is 1 .. 64 in the config; 0 starts no host
// that needs a slot.
FleetPick pick_hosts_to_start(std::span<const FleetHostState> hosts, SteadyTime now,
                              std::size_t parallelism);

}  // namespace orch::pruner
