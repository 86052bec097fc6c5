// summarise_fleet: the top level of a fleet's status from its hosts' (issue 11), as a table.
#include "task/fleet_status.hpp"

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

HostStatus host(const std::string& key) {
    HostStatus h;
    h.key = key;
    h.ssh_target = key;
    h.command = "ssh " + key + " docker builder prune";
    return h;
}

HostStatus succeeded(const std::string& key, double run_ts, std::uint64_t reclaimed) {
    HostStatus h = host(key);
    h.last_run_ts = run_ts;
    h.last_success_ts = run_ts;
    h.next_run_ts = run_ts + 3600;
    h.last_reclaimed_bytes = reclaimed;
    h.runs_total = h.successes_total = 1;
    h.reclaimed_bytes_total = reclaimed;
    h.last_exit_code = 0;
    h.disk_free_bytes = 1000;
    return h;
}

HostStatus failed(const std::string& key, double run_ts, const std::string& error) {
    HostStatus h = host(key);
    h.last_run_ts = run_ts;
    h.next_run_ts = run_ts + 3600;
    h.last_error = error;
    h.runs_total = h.failures_total = 1;
    return h;
}

PrunerStatus fleet_of(std::vector<HostStatus> hosts, TaskState state = TaskState::kRunning) {
    PrunerStatus s;
    s.state = state;
    s.hosts = std::move(hosts);
    return s;
}

TEST(FleetSummary, OneHostIsItsOwnStatusVerbatim) {
    const PrunerStatus s = fleet_of({failed("a", 5, "rc=1: boom")});
    const FleetSummary f = summarise_fleet(s);
    EXPECT_EQ(f.top.last_error, "rc=1: boom");
    EXPECT_EQ(f.top.ssh_target, "a");
    EXPECT_EQ(f.top.command, s.hosts[0].command);
    EXPECT_EQ(f.top.next_run_ts, 3605);
    EXPECT_EQ(f.hosts_total, 1U);
    EXPECT_EQ(f.hosts_failing, 1U);
}

TEST(FleetSummary, TheUnlistedNoHostEntryCountsNoHost) {
    PrunerStatus s = fleet_of({HostStatus{}});
    s.listed = false;
    s.hosts[0].last_error = "no ssh host configured";
    s.hosts[0].noop_ticks_total = 2;
    const FleetSummary f = summarise_fleet(s);
    EXPECT_EQ(f.hosts_total, 0U);
    EXPECT_EQ(f.hosts_failing, 0U);
    EXPECT_EQ(f.top.last_error, "no ssh host configured");
    EXPECT_EQ(f.top.noop_ticks_total, 2U);
}

TEST(FleetSummary, SeveralHostsTable) {
    struct Row {
        const char* name;
        std::vector<HostStatus> hosts;
        std::optional<double> last_run_ts;
        std::optional<std::uint64_t> last_reclaimed_bytes;
        std::optional<std::string> last_error;
        std::size_t failing;
        std::uint64_t runs_total;
        std::optional<double> next_run_ts;
    };
    const std::vector<Row> rows{
        {"all ok: latest run, summed reclaim, earliest next",
         {succeeded("a", 10, 100), succeeded("b", 30, 200), succeeded("c", 20, 0)},
         30,
         300,
         std::nullopt,
         0,
         3,
         3610},
        {"one failing: the summary line names it, the others' reclaim stays",
         {succeeded("a", 10, 100), failed("b", 40, "timeout after 600s")},
         40,
         100,
         "1 of 2 hosts failed: b: timeout after 600s",
         1,
         2,
         3610},
        {"two failing, list order",
         {failed("b", 1, "rc=255: no route"), succeeded("a", 2, 5), failed("c", 3, "rc=1: x")},
         3,
         5,
         "2 of 3 hosts failed: b: rc=255: no route; c: rc=1: x",
         2,
         3,
         3601},
        {"none ran yet",
         {host("a"), host("b")},
         std::nullopt,
         std::nullopt,
         std::nullopt,
         0,
         0,
         std::nullopt},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.name);
        const FleetSummary f = summarise_fleet(fleet_of(row.hosts));
        EXPECT_EQ(f.top.last_run_ts, row.last_run_ts);
        EXPECT_EQ(f.top.last_reclaimed_bytes, row.last_reclaimed_bytes);
        EXPECT_EQ(f.top.last_error, row.last_error);
        EXPECT_EQ(f.hosts_failing, row.failing);
        EXPECT_EQ(f.hosts_total, row.hosts.size());
        EXPECT_EQ(f.top.runs_total, row.runs_total);
        EXPECT_EQ(f.top.next_run_ts, row.next_run_ts);
        // What only one host can say is in `hosts`, not at the top.
        EXPECT_FALSE(f.top.ssh_target);
        EXPECT_FALSE(f.top.command);
        EXPECT_FALSE(f.top.last_exit_code);
        EXPECT_FALSE(f.top.disk_free_bytes);
    }
}

TEST(FleetSummary, LabelsFollowTheSummedReclaim) {
    const FleetSummary f = summarise_fleet(
        fleet_of({succeeded("a", 1, 1'000'000'000), succeeded("b", 1, 200'000'000)}));
    EXPECT_EQ(f.top.last_reclaimed, "1.12 GB");
    EXPECT_EQ(f.top.last_reclaimed_human, "1.2GB");
}

TEST(FleetSummary, StateIsPruningWhileAnyHostIsInFlight) {
    const struct {
        TaskState stored;
        bool in_flight;
        TaskState shown;
    } rows[] = {
        {TaskState::kRunning, true, TaskState::kPruning},
        {TaskState::kIdle, true, TaskState::kPruning},
        {TaskState::kRunning, false, TaskState::kRunning},
        {TaskState::kStopped, false, TaskState::kStopped},
        {TaskState::kDisabled, false, TaskState::kDisabled},
    };
    for (const auto& row : rows) {
        HostStatus b = host("b");
        b.in_flight = row.in_flight;
        b.in_flight_since_ts = row.in_flight ? std::optional(7.0) : std::nullopt;
        const FleetSummary f = summarise_fleet(fleet_of({host("a"), b}, row.stored));
        EXPECT_EQ(f.state, row.shown) << to_string(row.stored);
        EXPECT_EQ(f.in_flight_total, row.in_flight ? 1U : 0U);
        EXPECT_EQ(f.top.in_flight, row.in_flight);
        EXPECT_EQ(f.top.in_flight_since_ts, b.in_flight_since_ts);
    }
}

TEST(FleetSummary, CountersSaturateInsteadOfWrapping) {
    HostStatus a = succeeded("a", 1, 1);
    HostStatus b = succeeded("b", 1, 1);
    a.reclaimed_bytes_total = b.reclaimed_bytes_total = UINT64_MAX - 1;
    const FleetSummary f = summarise_fleet(fleet_of({a, b}));
    EXPECT_EQ(f.top.reclaimed_bytes_total, UINT64_MAX);
}

}  // namespace
}  // namespace orch::pruner
