#include "core/space_policy.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace orch::pruner {

bool space_checks_enabled(const SpaceSettings& settings) {
    return !settings.min_free.is_off() || !settings.max_cache.is_off();
}

const char* to_string(PruneTrigger trigger) {
    return enum_name<PruneTrigger::kPressure>(trigger, {"none", "budget", "pressure"});
}

SpaceDecision decide_space(const SpaceSettings& settings, const ProbeResult& probe) noexcept {
    SpaceDecision d;
    const std::uint64_t total = probe.cache_total_bytes;
    const std::uint64_t free = probe.fs_avail_bytes;
    d.min_free_bytes = resolve_byte_size(settings.min_free, probe.fs_size_bytes);
    if (!settings.max_cache.is_off()) {
        d.max_cache_bytes = resolve_byte_size(settings.max_cache, probe.fs_size_bytes);
    }
    d.reserved_bytes = resolve_byte_size(settings.reserved, probe.fs_size_bytes);

    std::uint64_t keep = total;
    if (d.max_cache_bytes) {
        d.over_budget = total > *d.max_cache_bytes;
        keep = std::min(keep, *d.max_cache_bytes);
    }
    std::uint64_t deficit = 0;
    if (d.min_free_bytes > 0 && free < d.min_free_bytes) {
        d.below_min_free = true;
        deficit = d.min_free_bytes - free;  // > 0, no underflow: free < min_free
        keep = std::min(keep, deficit >= total ? 0 : total - deficit);
    }
    keep = std::max(keep, d.reserved_bytes);
    d.keep_bytes = std::min(keep, total);  // reserved above the cache keeps all of it

    if (d.keep_bytes < total && probe.cache_reclaimable_bytes > 0) {
        d.trigger = d.below_min_free ? PruneTrigger::kPressure : PruneTrigger::kBudget;
    } else {
        d.keep_bytes = total;
    }
    if (d.below_min_free) {
        const std::uint64_t freed = total - d.keep_bytes;
        d.shortfall_after_prune_bytes = deficit > freed ? deficit - freed : 0;
    }
    return d;
}

PressureTransition next_pressure_state(bool was_unresolved, const SpaceDecision& now) noexcept {
    bool unresolved = was_unresolved;
    if (!now.below_min_free) {
        unresolved = false;
    } else if (now.trigger == PruneTrigger::kNone) {
        unresolved = true;
    }
    PressureNotice notice = PressureNotice::kNone;
    if (unresolved != was_unresolved) {
        notice = unresolved ? PressureNotice::kEntered : PressureNotice::kLeft;
    }
    return {unresolved, notice};
}

}  // namespace orch::pruner
