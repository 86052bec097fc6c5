#include "core/space_policy.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace orch::pruner {
namespace {

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t kGB = 1'000'000'000;

ByteSize bytes(std::uint64_t n) {
    return ByteSize::of_bytes(n);
}
ByteSize percent(std::uint32_t whole) {
    return ByteSize{ByteSize::Kind::kPercent, 0, whole * 1000};
}

ProbeResult disk(std::uint64_t avail, std::uint64_t size, std::uint64_t cache,
                 std::uint64_t reclaimable) {
    return {"/var/lib/docker", avail, size, cache, reclaimable};
}

struct Case {
    const char* name;
    SpaceSettings settings;
    ProbeResult probe;
    std::uint64_t keep;
    PruneTrigger trigger;
    bool below_min_free;
    std::uint64_t shortfall;
};

TEST(DecideSpace, Table) {
    const Case cases[] = {
        {"all off",
         {},
         disk(1, 100 * kGB, 50 * kGB, 50 * kGB),
         50 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"free already fine",
         {bytes(10 * kGB), {}, {}},
         disk(20 * kGB, 100 * kGB, 50 * kGB, 50 * kGB),
         50 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"free exactly min_free",
         {bytes(10 * kGB), {}, {}},
         disk(10 * kGB, 100 * kGB, 50 * kGB, 50 * kGB),
         50 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"pressure frees the deficit",
         {bytes(10 * kGB), {}, {}},
         disk(4 * kGB, 100 * kGB, 50 * kGB, 50 * kGB),
         44 * kGB,
         PruneTrigger::kPressure,
         true,
         0},
        {"percent of the filesystem",
         {percent(10), {}, {}},
         disk(4 * kGB, 100 * kGB, 50 * kGB, 50 * kGB),
         44 * kGB,
         PruneTrigger::kPressure,
         true,
         0},
        {"percent, disk fine",
         {percent(10), {}, {}},
         disk(11 * kGB, 100 * kGB, 50 * kGB, 50 * kGB),
         50 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"deficit larger than the cache: keep 0, not an underflow",
         {bytes(10 * kGB), {}, {}},
         disk(1 * kGB, 100 * kGB, 3 * kGB, 3 * kGB),
         0,
         PruneTrigger::kPressure,
         true,
         6 * kGB},
        {"deficit equal to the cache",
         {bytes(10 * kGB), {}, {}},
         disk(7 * kGB, 100 * kGB, 3 * kGB, 3 * kGB),
         0,
         PruneTrigger::kPressure,
         true,
         0},
        {"reserved floor under pressure",
         {bytes(10 * kGB), {}, bytes(2 * kGB)},
         disk(1 * kGB, 100 * kGB, 3 * kGB, 3 * kGB),
         2 * kGB,
         PruneTrigger::kPressure,
         true,
         8 * kGB},
        {"reserved above the cache: nothing to prune",
         {bytes(10 * kGB), {}, bytes(5 * kGB)},
         disk(1 * kGB, 100 * kGB, 3 * kGB, 3 * kGB),
         3 * kGB,
         PruneTrigger::kNone,
         true,
         9 * kGB},
        {"budget",
         {{}, bytes(20 * kGB), {}},
         disk(50 * kGB, 100 * kGB, 30 * kGB, 30 * kGB),
         20 * kGB,
         PruneTrigger::kBudget,
         false,
         0},
        {"under budget",
         {{}, bytes(20 * kGB), {}},
         disk(50 * kGB, 100 * kGB, 20 * kGB, 20 * kGB),
         20 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"reserved above budget",
         {{}, bytes(20 * kGB), bytes(25 * kGB)},
         disk(50 * kGB, 100 * kGB, 30 * kGB, 30 * kGB),
         25 * kGB,
         PruneTrigger::kBudget,
         false,
         0},
        {"reserved above budget and cache",
         {{}, bytes(20 * kGB), bytes(40 * kGB)},
         disk(50 * kGB, 100 * kGB, 30 * kGB, 30 * kGB),
         30 * kGB,
         PruneTrigger::kNone,
         false,
         0},
        {"both apply, budget lower: pressure wins the name",
         {bytes(10 * kGB), bytes(5 * kGB), {}},
         disk(9 * kGB, 100 * kGB, 30 * kGB, 30 * kGB),
         5 * kGB,
         PruneTrigger::kPressure,
         true,
         0},
        {"both apply, pressure lower",
         {bytes(10 * kGB), bytes(25 * kGB), {}},
         disk(1 * kGB, 100 * kGB, 30 * kGB, 30 * kGB),
         21 * kGB,
         PruneTrigger::kPressure,
         true,
         0},
        {"cache empty under pressure",
         {bytes(10 * kGB), {}, {}},
         disk(1 * kGB, 100 * kGB, 0, 0),
         0,
         PruneTrigger::kNone,
         true,
         9 * kGB},
        {"nothing reclaimable (all in use)",
         {bytes(10 * kGB), {}, {}},
         disk(1 * kGB, 100 * kGB, 5 * kGB, 0),
         5 * kGB,
         PruneTrigger::kNone,
         true,
         9 * kGB},
        {"min_free 100%",
         {percent(100), {}, {}},
         disk(10, 100, 50, 50),
         0,
         PruneTrigger::kPressure,
         true,
         40},
        {"edges: everything UINT64_MAX",
         {bytes(kMax), bytes(kMax), bytes(kMax)},
         disk(kMax, kMax, kMax, kMax),
         kMax,
         PruneTrigger::kNone,
         false,
         0},
        {"edges: min_free max, nothing free, cache max",
         {bytes(kMax), {}, {}},
         disk(0, kMax, kMax, kMax),
         0,
         PruneTrigger::kPressure,
         true,
         0},
        {"edges: min_free max, cache max - 1",
         {bytes(kMax), {}, {}},
         disk(0, kMax, kMax - 1, 1),
         0,
         PruneTrigger::kPressure,
         true,
         1},
        {"edges: all zero",
         {bytes(0), bytes(0), bytes(0)},
         disk(0, 0, 0, 0),
         0,
         PruneTrigger::kNone,
         false,
         0},
        {"edges: percent of a zero-size filesystem is off",
         {percent(10), {}, {}},
         disk(0, 0, 5, 5),
         5,
         PruneTrigger::kNone,
         false,
         0},
        {"edges: max_cache of one byte",
         {{}, bytes(1), {}},
         disk(kMax, kMax, kMax, kMax),
         1,
         PruneTrigger::kBudget,
         false,
         0},
    };
    for (const auto& c : cases) {
        const SpaceDecision d = decide_space(c.settings, c.probe);
        EXPECT_EQ(d.keep_bytes, c.keep) << c.name;
        EXPECT_EQ(d.trigger, c.trigger) << c.name;
        EXPECT_EQ(d.below_min_free, c.below_min_free) << c.name;
        EXPECT_EQ(d.shortfall_after_prune_bytes, c.shortfall) << c.name;
        EXPECT_LE(d.keep_bytes, c.probe.cache_total_bytes) << c.name;
        EXPECT_EQ(d.trigger != PruneTrigger::kNone, d.keep_bytes < c.probe.cache_total_bytes)
            << c.name;
    }
}

TEST(DecideSpace, ReportsTheResolvedSettings) {
    const SpaceDecision d =
        decide_space({percent(10), bytes(20 * kGB), bytes(kGB)}, disk(50, 400'000'000, 30, 30));
    EXPECT_EQ(d.min_free_bytes, 40'000'000U);
    EXPECT_EQ(d.max_cache_bytes, 20 * kGB);
    EXPECT_EQ(d.reserved_bytes, kGB);
    EXPECT_TRUE(d.below_min_free);
    EXPECT_FALSE(d.over_budget);
    const SpaceDecision off = decide_space({}, disk(50, 100, 30, 30));
    EXPECT_EQ(off.min_free_bytes, 0U);
    EXPECT_FALSE(off.max_cache_bytes);
    EXPECT_TRUE(decide_space({{}, bytes(10), {}}, disk(50, 100, 30, 30)).over_budget);
}

TEST(SpaceChecks, OnlyWhenMinFreeOrMaxCache) {
    EXPECT_FALSE(space_checks_enabled({}));
    EXPECT_FALSE(space_checks_enabled({{}, {}, bytes(5)}));  // reserved alone changes nothing
    EXPECT_TRUE(space_checks_enabled({percent(10), {}, {}}));
    EXPECT_TRUE(space_checks_enabled({{}, bytes(5), {}}));
}

TEST(TriggerText, Names) {
    EXPECT_STREQ(to_string(PruneTrigger::kNone), "none");
    EXPECT_STREQ(to_string(PruneTrigger::kBudget), "budget");
    EXPECT_STREQ(to_string(PruneTrigger::kPressure), "pressure");
}

SpaceDecision state(bool below, PruneTrigger trigger) {
    SpaceDecision d;
    d.below_min_free = below;
    d.trigger = trigger;
    return d;
}

TEST(PressureState, Table) {
    struct Step {
        bool was;
        SpaceDecision now;
        PressureTransition expected;
    };
    const Step steps[] = {
        {false, state(false, PruneTrigger::kNone), {false, PressureNotice::kNone}},
        {false, state(false, PruneTrigger::kBudget), {false, PressureNotice::kNone}},
        {false, state(true, PruneTrigger::kPressure), {false, PressureNotice::kNone}},
        {false, state(true, PruneTrigger::kNone), {true, PressureNotice::kEntered}},
        {true, state(true, PruneTrigger::kNone), {true, PressureNotice::kNone}},
        {true, state(true, PruneTrigger::kPressure), {true, PressureNotice::kNone}},
        {true, state(false, PruneTrigger::kNone), {false, PressureNotice::kLeft}},
        {true, state(false, PruneTrigger::kBudget), {false, PressureNotice::kLeft}},
    };
    for (const auto& step : steps) {
        EXPECT_EQ(next_pressure_state(step.was, step.now), step.expected)
            << step.was << " " << step.now.below_min_free << " " << to_string(step.now.trigger);
    }
}

TEST(PressureState, NotifiesOnceOnEnteringAndOnceOnLeaving) {
    // A disk filled by a plain file: the first probe prunes, then the cache is at its floor.
    const SpaceSettings settings{bytes(10 * kGB), {}, {}};
    const ProbeResult sequence[] = {
        disk(5 * kGB, 100 * kGB, 2 * kGB, 2 * kGB),  // pressure prune
        disk(7 * kGB, 100 * kGB, 0, 0),              // unresolved: enter
        disk(7 * kGB, 100 * kGB, 0, 0),              // still
        disk(6 * kGB, 100 * kGB, 1 * kGB, 1 * kGB),  // cache regrew: pruned again, still in
        disk(7 * kGB, 100 * kGB, 0, 0),              // still
        disk(50 * kGB, 100 * kGB, 0, 0),             // file deleted: leave
        disk(50 * kGB, 100 * kGB, 0, 0),
    };
    bool unresolved = false;
    int entered = 0;
    int left = 0;
    for (const auto& probe : sequence) {
        const auto t = next_pressure_state(unresolved, decide_space(settings, probe));
        entered += t.notice == PressureNotice::kEntered ? 1 : 0;
        left += t.notice == PressureNotice::kLeft ? 1 : 0;
        unresolved = t.unresolved;
    }
    EXPECT_EQ(entered, 1);
    EXPECT_EQ(left, 1);
    EXPECT_FALSE(unresolved);
}

}  // namespace
}  // namespace orch::pruner
