#include "core/fleet_schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "core/stagger.hpp"

namespace orch::pruner {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const SteadyTime kT0 = SteadyTime{} + hours(1000);
using Indices = std::vector<std::size_t>;

FleetHostState due_at(SteadyTime due) {
    return FleetHostState{due, false, true};
}
FleetHostState running() {
    return FleetHostState{kT0, true, true};
}

PassIntervals age_only(seconds interval) {
    return {false, seconds(300), interval};
}

TEST(HostDue, FirstDueUntilItHasRunThenIntervalAfterTheEnd) {
    const PassIntervals every_600 = age_only(seconds(600));
    EXPECT_EQ(host_due({}, every_600, kT0), kT0);
    EXPECT_EQ(host_due({}, every_600, kT0 + seconds(42)), kT0 + seconds(42));
    // The first_due no longer matters once the host has run.
    EXPECT_EQ(host_due({std::nullopt, kT0 + seconds(100)}, every_600, kT0 + seconds(42)),
              kT0 + seconds(700));
    EXPECT_EQ(host_due({std::nullopt, kT0}, age_only(seconds(0)), kT0), kT0);  // falls open
    EXPECT_EQ(host_due({std::nullopt, kT0}, age_only(seconds::max()), kT0),
              SteadyTime::max());  // saturates
}

TEST(HostDue, WithSpaceChecksTheProbesIntervalCountsToo) {
    const PassIntervals checks{true, seconds(300), seconds(3600)};
    EXPECT_EQ(host_due({kT0, kT0}, checks, kT0 - hours(1)), kT0 + seconds(300));
    EXPECT_EQ(host_due({std::nullopt, kT0}, checks, kT0 + seconds(5)), kT0 + seconds(5));
}

// At start every host is due, so `host_stub --once` (one tick) starts the whole fleet when the
// parallelism allows, and the first p in list order otherwise.
TEST(PickHosts, AllDueAtStart) {
    const std::vector<FleetHostState> five(5, due_at(kT0));
    EXPECT_EQ(pick_hosts_to_start(five, kT0, 8).start, (Indices{0, 1, 2, 3, 4}));
    const FleetPick limited = pick_hosts_to_start(five, kT0, 2);
    EXPECT_EQ(limited.start, (Indices{0, 1}));
    EXPECT_EQ(limited.waiting_for_slot, 3U);
    EXPECT_EQ(limited.next_wake, std::nullopt);
}

TEST(PickHosts, StaggeredStartOnlyStartsHostZero) {
    std::vector<FleetHostState> hosts;
    for (std::size_t i = 0; i < 4; ++i) {
        hosts.push_back(
            due_at(host_due({}, age_only(seconds(3600)), kT0 + stagger_offset(i, seconds(600)))));
    }
    const FleetPick pick = pick_hosts_to_start(hosts, kT0, 4);
    EXPECT_EQ(pick.start, Indices{0});
    EXPECT_EQ(pick.next_wake, kT0 + stagger_offset(2, seconds(600)));  // 141.64 s, the next
}

struct Row {
    const char* name;
    std::vector<FleetHostState> hosts;
    SteadyTime now;
    std::size_t parallelism;
    Indices start;
    std::optional<SteadyTime> next_wake;
    std::size_t waiting;
};

TEST(PickHosts, Table) {
    const Row rows[] = {
        {"nothing configured", {}, kT0, 4, {}, std::nullopt, 0},
        {"earliest due first, not list order",
         {due_at(kT0 - seconds(1)), due_at(kT0 - seconds(30)), due_at(kT0 - seconds(10))},
         kT0,
         2,
         {1, 2},
         std::nullopt,
         1},
        {"ties by list order",
         {due_at(kT0 - seconds(5)), due_at(kT0 - seconds(9)), due_at(kT0 - seconds(5)),
          due_at(kT0 - seconds(9))},
         kT0,
         3,
         {1, 3, 0},
         std::nullopt,
         1},
        {"due exactly now counts as due", {due_at(kT0)}, kT0, 1, {0}, std::nullopt, 0},
        {"not due yet: wake at the earliest",
         {due_at(kT0 + seconds(50)), due_at(kT0 + seconds(20))},
         kT0,
         4,
         {},
         kT0 + seconds(20),
         0},
        {"parallelism limit counts the ones in flight",
         {running(), running(), due_at(kT0), due_at(kT0), due_at(kT0)},
         kT0,
         3,
         {2},
         std::nullopt,
         2},
        {"a hanging host holds one slot only",
         {running(), due_at(kT0), due_at(kT0), due_at(kT0 + seconds(5))},
         kT0,
         2,
         {1},
         kT0 + seconds(5),
         1},
        {"in flight hosts are never started again",
         {running(), running()},
         kT0,
         8,
         {},
         std::nullopt,
         0},
        {"all slots taken: nothing starts, the rest wait",
         {running(), running(), due_at(kT0)},
         kT0,
         2,
         {},
         std::nullopt,
         1},
        {"hosts without ssh start when due, without a slot",
         {running(), FleetHostState{kT0, false, false}, due_at(kT0)},
         kT0,
         1,
         {1},
         std::nullopt,
         1},
        {"hosts without ssh in flight do not hold a slot",
         {FleetHostState{kT0, true, false}, due_at(kT0)},
         kT0,
         1,
         {1},
         std::nullopt,
         0},
        {"parallelism 0 starts nothing that needs a slot",
         {due_at(kT0)},
         kT0,
         0,
         {},
         std::nullopt,
         1},
        {"a waiting due host does not make next_wake now",
         {running(), due_at(kT0), due_at(kT0 + seconds(9))},
         kT0,
         1,
         {},
         kT0 + seconds(9),
         1},
    };
    for (const Row& row : rows) {
        const FleetPick pick = pick_hosts_to_start(row.hosts, row.now, row.parallelism);
        EXPECT_EQ(pick.start, row.start) << row.name;
        EXPECT_EQ(pick.next_wake, row.next_wake) << row.name;
        EXPECT_EQ(pick.waiting_for_slot, row.waiting) << row.name;
    }
}

// A round of N hosts at parallelism p where host 0 hangs: driving the picker like the task
// does, the hanging host never holds more than one slot and the others all finish meanwhile.
TEST(PickHosts, AHangingHostDoesNotHoldBackTheRound) {
    const std::size_t n = 10;
    const std::size_t p = 3;
    std::vector<FleetHostState> hosts(n, due_at(kT0));
    std::vector<bool> done(n, false);
    std::size_t waves = 0;
    for (;;) {
        const FleetPick pick = pick_hosts_to_start(hosts, kT0, p);
        for (const std::size_t i : pick.start) {
            hosts[i].in_flight = true;
        }
        std::size_t in_flight = 0;
        for (const auto& h : hosts) {
            in_flight += h.in_flight ? 1 : 0;
        }
        ASSERT_LE(in_flight, p);
        if (pick.start.empty()) {
            break;
        }
        ++waves;
        // Every running host but 0 (hanging) finishes; its next run is an interval away.
        for (std::size_t i = 1; i < n; ++i) {
            if (hosts[i].in_flight) {
                hosts[i] = due_at(kT0 + seconds(3600));
                done[i] = true;
            }
        }
    }
    EXPECT_TRUE(hosts[0].in_flight);
    for (std::size_t i = 1; i < n; ++i) {
        EXPECT_TRUE(done[i]) << i;
    }
    // Wave 1 starts hosts 0, 1, 2; then the others share the two slots 0 leaves: 1 + ceil(7/2).
    EXPECT_EQ(waves, 5U);
}

}  // namespace
}  // namespace orch::pruner
