// The check interval next to the prune interval, and what one pass runs: tables.
#include "core/space_schedule.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace orch::pruner {
namespace {

using std::chrono::seconds;

SteadyTime at(long long s) {
    return SteadyTime(seconds(s));
}

struct DueRow {
    bool checks_enabled;
    std::optional<long long> last_probe_end;
    std::optional<long long> last_prune_end;
    long long now;
    PassDue due;
    long long next;
};

TEST(SpaceSchedule, ProbeAndAgePruneKeepTheirOwnIntervals) {
    // check 300 s, prune 3600 s.
    const std::vector<DueRow> rows = {
        {true, std::nullopt, std::nullopt, 1000, {true, true}, 1000},    // nothing ran: both
        {false, std::nullopt, std::nullopt, 1000, {false, true}, 1000},  // checks off: no probe
        {true, 1000, 1000, 1000, {false, false}, 1300},  // just ran: probe first at +300
        {true, 1000, 1000, 1299, {false, false}, 1300},
        {true, 1000, 1000, 1300, {true, false}, 1300},   // the probe is due alone
        {true, 4400, 1000, 4599, {false, false}, 4600},  // the age prune is next (probe: 4700)
        {true, 4300, 1000, 4500, {false, false}, 4600},  // ...the age prune at 4600
        {true, 4300, 1000, 4600, {true, true}, 4600},    // both due, probe late
        {false, std::nullopt, 1000, 4000, {false, false}, 4600},  // checks off: prune only
        {true, std::nullopt, 1000, 1001, {true, false}, 1001},    // never probed: at once
        {true, 1000, std::nullopt, 1001, {false, true}, 1001},
    };
    for (const auto& row : rows) {
        const PassClock clock{
            row.last_probe_end ? std::optional(at(*row.last_probe_end)) : std::nullopt,
            row.last_prune_end ? std::optional(at(*row.last_prune_end)) : std::nullopt};
        const PassIntervals intervals{row.checks_enabled, seconds(300), seconds(3600)};
        EXPECT_EQ(due_now(clock, intervals, at(row.now)), row.due) << "now " << row.now;
        EXPECT_EQ(next_pass_due(clock, intervals, at(row.now)), at(row.next)) << "now " << row.now;
    }
}

TEST(SpaceSchedule, ATriggerWinsOverTheAgePrune) {
    struct Row {
        bool age_due;
        PruneTrigger trigger;
        PassAction action;
    };
    for (const auto& row : std::vector<Row>{
             {false, PruneTrigger::kNone, PassAction::kNone},
             {true, PruneTrigger::kNone, PassAction::kAgePrune},
             {false, PruneTrigger::kPressure, PassAction::kPressurePrune},
             {true, PruneTrigger::kPressure, PassAction::kPressurePrune},
             {false, PruneTrigger::kBudget, PassAction::kPressurePrune},
             {true, PruneTrigger::kBudget, PassAction::kPressurePrune},
         }) {
        EXPECT_EQ(choose_action(row.age_due, row.trigger), row.action)
            << row.age_due << " " << to_string(row.trigger);
    }
}

}  // namespace
}  // namespace orch::pruner
