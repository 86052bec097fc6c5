#include "core/schedule.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <limits>

namespace orch::pruner {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Fixed readings instead of a clock: the functions are pure.
const SteadyTime kT0 = SteadyTime{} + hours(1000);

// TC-01: nothing has run yet -> prune now.
TEST(Schedule, FirstTickIsDue) {
    EXPECT_TRUE(is_prune_due(std::nullopt, kT0, seconds(21600)));
    EXPECT_EQ(next_prune_due(std::nullopt, kT0, seconds(21600)), kT0);
}

// TC-02: less than the interval since the last attempt -> skip; at or after it -> prune.
TEST(Schedule, DueExactlyWhenTheIntervalHasElapsed) {
    const seconds interval(21600);
    EXPECT_FALSE(is_prune_due(kT0, kT0, interval));
    EXPECT_FALSE(is_prune_due(kT0, kT0 + interval - milliseconds(1), interval));
    EXPECT_TRUE(is_prune_due(kT0, kT0 + interval, interval));
    EXPECT_TRUE(is_prune_due(kT0, kT0 + interval + hours(100), interval));
}

TEST(Schedule, NextDueIsLastAttemptPlusInterval) {
    EXPECT_EQ(next_prune_due(kT0, kT0 + seconds(5), seconds(60)), kT0 + seconds(60));
    // Independent of `now` once something has run.
    EXPECT_EQ(next_prune_due(kT0, kT0 + hours(10), seconds(60)), kT0 + seconds(60));
}

// Issue 8 item 7: the caller passes when the previous run ENDED. A table of (run start, run
// length, interval) -> when the next run is due and whether a tick at start + interval prunes:
// a run as long as (or longer than) the interval still gets a full interval of rest.
TEST(Schedule, RestIsAFullIntervalAfterTheRunEnds) {
    struct Row {
        seconds run_length;
        seconds interval;
        seconds due_after_start;
    };
    for (const Row& row :
         {Row{seconds(0), seconds(2), seconds(2)}, Row{seconds(1), seconds(2), seconds(3)},
          Row{seconds(2), seconds(2), seconds(4)}, Row{seconds(3), seconds(2), seconds(5)},
          Row{seconds(600), seconds(60), seconds(660)}}) {
        const SteadyTime end = kT0 + row.run_length;
        EXPECT_EQ(next_prune_due(end, end, row.interval), kT0 + row.due_after_start)
            << row.run_length.count() << "s run, interval " << row.interval.count();
        EXPECT_EQ(is_prune_due(end, kT0 + row.interval, row.interval), row.run_length.count() == 0);
        EXPECT_FALSE(is_prune_due(end, end + row.interval - milliseconds(1), row.interval));
        EXPECT_TRUE(is_prune_due(end, end + row.interval, row.interval));
    }
}

TEST(Schedule, NonPositiveIntervalFallsOpen) {
    EXPECT_TRUE(is_prune_due(kT0, kT0, seconds(0)));
    EXPECT_TRUE(is_prune_due(kT0, kT0 + seconds(1), seconds(-5)));
    EXPECT_EQ(next_prune_due(kT0, kT0 + seconds(1), seconds(-5)), kT0);
}

TEST(Schedule, HugeIntervalsSaturateInsteadOfOverflowing) {
    const seconds huge(std::numeric_limits<seconds::rep>::max());
    EXPECT_EQ(next_prune_due(kT0, kT0, huge), SteadyTime::max());
    EXPECT_FALSE(is_prune_due(kT0, kT0 + hours(1'000'000), huge));
    const auto near_end = SteadyTime::max() - seconds(10);
    EXPECT_EQ(next_prune_due(near_end, near_end, seconds(60)), SteadyTime::max());
    EXPECT_EQ(next_prune_due(near_end, near_end, seconds(5)), near_end + seconds(5));
}

TEST(Schedule, WorksBeforeTheClockEpoch) {
    const SteadyTime before = SteadyTime{} - hours(5);
    EXPECT_EQ(next_prune_due(before, before, hours(1)), before + hours(1));
    const seconds largest = std::chrono::duration_cast<seconds>(SteadyTime::duration::max());
    EXPECT_EQ(next_prune_due(before, before, largest),
              before + std::chrono::duration_cast<SteadyTime::duration>(largest));
}

}  // namespace
}  // namespace orch::pruner
