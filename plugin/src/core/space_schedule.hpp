#pragma once
// One pass of the task (issue 10): the space probe's check interval next to the age prune's
// interval, and what a pass runs. Pure: callers pass the clock readings in.
//
// Design: the two schedules are independent (each counts from the end of its own last run, as
// schedule.hpp), so the age prune keeps its interval whatever the probes find. A pass probes
// first when the probe is due; a pressure/budget trigger then wins over a due age prune (space
// first), which stays due and runs on the next pass (the schedule thread's next pass is at once).
#include <chrono>
#include <optional>

#include "core/schedule.hpp"
#include "core/space_policy.hpp"

namespace orch::pruner {

struct PassClock {
    std::optional<SteadyTime> last_probe_end;  // nullopt: never probed
    std::optional<SteadyTime> last_prune_end;  // the age prune's; nullopt: never run
};

struct PassIntervals {
    bool checks_enabled = false;  // space_checks_enabled(): false = never probe
    std::chrono::seconds check{300};
    std::chrono::seconds prune{21600};
};

struct PassDue {
    bool probe = false;
    bool age_prune = false;

    bool any() const { return probe || age_prune; }
    friend bool operator==(const PassDue&, const PassDue&) = default;
};

// What is due at `now`.
PassDue due_now(const PassClock& clock, const PassIntervals& intervals, SteadyTime now);

// When the next pass is due: the earlier of the two schedules (`now` when one is due now).
SteadyTime next_pass_due(const PassClock& clock, const PassIntervals& intervals, SteadyTime now);

enum class PassAction { kNone, kPressurePrune, kAgePrune };

// After the probe (trigger kNone when it did not run or failed): a trigger runs the pressure
// prune, else a due age prune runs.
PassAction choose_action(bool age_prune_due, PruneTrigger trigger);

}  // namespace orch::pruner
