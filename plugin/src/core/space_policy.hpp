#pragma once
// The space policy (issue 10): from one probe and the operator's budget, how much build cache to
// keep, whether to prune now and why; and the "pressure unresolved" state that notifies once on
// entering and once on leaving.
//
// Design, after BuildKit's calculateKeepBytes (cache/manager.go, BuildKit >= 0.17):
//   keep = cache_total
//   if max_cache:          keep = min(keep, max_cache)
//   if free < min_free:    keep = min(keep, cache_total - (min_free - free)), 0 when the
//                          shortfall exceeds the whole cache (no unsigned underflow)
//   keep = max(keep, reserved)
// and a prune (`docker builder prune -f --keep-storage <keep>`, see space_commands.hpp) is due
// when keep < cache_total and docker reports something reclaimable (with 0 reclaimable every
// record is in use, and a prune could free nothing, only repeat every check).
// - cache_total is docker's Build Cache Size, the sum of the unshared records: the same total
//   BuildKit's keep-storage compares against (pruneOnce sums DiskUsage records with !Shared).
// - free is df's Available (space_probe.hpp says why); min_free in % resolves against df's total.
// - Trigger name when both apply: "pressure" wins, whichever term set keep. A disk below
//   min_free is what an operator must hear about; an over-budget cache on a healthy disk is not.
// - The age-based prune (trigger "schedule") is the task's business and is not decided here.
//
// Wiring (for the task): when space_checks_enabled(settings), each check runs build_probe_argv
// (space_commands.hpp) with its own short timeout and parses stdout with parse_probe_output. A
// failed probe sets last_probe_error, leaves the pressure state alone, and the age prune runs
// as today. A good one gives decide_space(); next_pressure_state() updates pressure_unresolved
// and says when to notify. With a trigger, the task runs build_pressure_prune_argv(ssh,
// keep_bytes) at once (last_trigger = to_string(trigger)), or in dry run lists the cache with
// build_preview_argv and reports preview_prune({all = false, no until, keep = keep_bytes}).
// Without one, the age prune keeps its schedule (dry run: preview_prune({all, until =
// go_duration_length(until), no keep})).
#include <cstdint>
#include <optional>

#include "core/byte_size.hpp"
#include "core/space_probe.hpp"

namespace orch::pruner {

// The three settings of issue 10 as configured (parse_byte_size results).
struct SpaceSettings {
    ByteSize min_free;   // bytes or percent; off = no pressure trigger
    ByteSize max_cache;  // bytes only; off = no cap
    ByteSize reserved;   // bytes only; off = 0

    friend bool operator==(const SpaceSettings&, const SpaceSettings&) = default;
};

// Whether the probe has to run at all: min_free or max_cache is on. With both off the plugin
// behaves exactly as the original (no probe, age prune only).
bool space_checks_enabled(const SpaceSettings& settings);

enum class PruneTrigger { kNone, kBudget, kPressure };

// "none", "budget", "pressure" (the last two are status last_trigger values).
const char* to_string(PruneTrigger trigger);

struct SpaceDecision {
    // The settings resolved against this probe (status min_free_bytes, max_cache_bytes,
    // reserved_bytes). min_free_bytes is 0 when off; max_cache_bytes nullopt when off.
    std::uint64_t min_free_bytes = 0;
    std::optional<std::uint64_t> max_cache_bytes;
    std::uint64_t reserved_bytes = 0;

    std::uint64_t keep_bytes = 0;  // what --keep-storage gets; == cache_total when no prune
    PruneTrigger trigger = PruneTrigger::kNone;
    bool below_min_free = false;  // fs_avail < min_free_bytes at this probe
    bool over_budget = false;     // cache_total > max_cache_bytes
    // How far below min_free the disk would still be if the prune freed all it is asked to
    // (cache_total - keep): > 0 predicts pressure_unresolved. 0 when not below min_free.
    std::uint64_t shortfall_after_prune_bytes = 0;

    friend bool operator==(const SpaceDecision&, const SpaceDecision&) = default;
};

// The policy. Pure, total (any numbers, including 0 and UINT64_MAX), never throws.
SpaceDecision decide_space(const SpaceSettings& settings, const ProbeResult& probe) noexcept;

// "pressure_unresolved": the disk is below min_free and the plugin has nothing left to prune
// (the decision is kNone: the cache is at its floor, reserved holds it there, or nothing is
// reclaimable). Entered on such a probe; left only when the disk is back at or above min_free
// (or min_free is turned off), so a host that hovers under min_free while its cache regrows and
// is pruned again does not notify on every check.
enum class PressureNotice { kNone, kEntered, kLeft };

struct PressureTransition {
    bool unresolved = false;                        // the new state (status pressure_unresolved)
    PressureNotice notice = PressureNotice::kNone;  // notify operators when not kNone

    friend bool operator==(const PressureTransition&, const PressureTransition&) = default;
};

// Call once per *successful* probe with its decision; a failed probe leaves the state as it was
// (nothing is known). kEntered exactly when the state goes false -> true, kLeft when true ->
// false.
PressureTransition next_pressure_state(bool was_unresolved, const SpaceDecision& now) noexcept;

}  // namespace orch::pruner
