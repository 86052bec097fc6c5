#include "core/space_schedule.hpp"

#include <algorithm>

namespace orch::pruner {

PassDue due_now(const PassClock& clock, const PassIntervals& intervals, SteadyTime now) {
    return {intervals.checks_enabled && is_prune_due(clock.last_probe_end, now, intervals.check),
            is_prune_due(clock.last_prune_end, now, intervals.prune)};
}

SteadyTime next_pass_due(const PassClock& clock, const PassIntervals& intervals, SteadyTime now) {
    const SteadyTime prune = next_prune_due(clock.last_prune_end, now, intervals.prune);
    if (!intervals.checks_enabled) {
        return prune;
    }
    return std::min(prune, next_prune_due(clock.last_probe_end, now, intervals.check));
}

PassAction choose_action(bool age_prune_due, PruneTrigger trigger) {
    if (trigger != PruneTrigger::kNone) {
        return PassAction::kPressurePrune;
    }
    return age_prune_due ? PassAction::kAgePrune : PassAction::kNone;
}

}  // namespace orch::pruner
