#pragma once
// What one space probe and one dry-run preview mean once they have ended (issue 10): the status
// change, the log lines and the notification to hand over. Pure: no threads, clocks or
// processes; tested as tables. The policy itself is core/space_policy.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/cache_preview.hpp"
#include "core/config.hpp"
#include "core/space_policy.hpp"
#include "runner/process_runner.hpp"
#include "task/pruner_status.hpp"
#include "task/run_decision.hpp"

namespace orch::pruner {

// The configured budget (min_free, max_cache, reserved) as the policy takes it.
SpaceSettings space_settings_of(const PrunerConfig& config);

// The probe's own short timeout: the run's timeout, at most 30 s (the probe takes well under a
// second; a hung docker must not hold the run lock for a whole prune timeout).
long long probe_timeout_s(const PrunerConfig& config);

struct ProbeDecision {
    double probe_ts = 0.0;
    std::optional<ProbeResult> probe;    // a good probe
    std::optional<SpaceDecision> space;  // with probe: decide_space's answer
    std::string error;                   // a failed probe: last_probe_error
    PressureTransition pressure;         // with probe: the new pressure_unresolved
    std::vector<LogLine> logs;
    std::optional<std::string> notification;  // valid UTF-8; on entering/leaving the state

    // The trigger for this pass (kNone after a failed probe).
    PruneTrigger trigger() const { return space ? space->trigger : PruneTrigger::kNone; }
    void apply(HostStatus& s) const;
};

// A finished probe run against `ssh_target`; `was_unresolved` is the status' pressure state.
ProbeDecision decide_after_probe(const PrunerConfig& config, const std::string& ssh_target,
                                 const RunResult& run, bool was_unresolved, double probe_ts);

struct PreviewDecision {
    std::optional<PreviewResult> preview;  // set when the records were read
    std::string error;                     // otherwise: why not (status last_error)
    std::vector<LogLine> logs;

    void apply(HostStatus& s) const;
};

// A finished dry-run preview (`docker system df -v`), evaluated with `request` (the prune that
// was not run; `what` names it in the log, e.g. "pressure prune --keep-storage 0").
PreviewDecision decide_after_preview(const PrunerConfig& config, const RunResult& run,
                                     const PreviewRequest& request, const std::string& what);

// The age prune a dry run previews: {all, until, no keep}.
PreviewRequest age_preview_request(const PrunerConfig& config, CacheTime now);

// The pressure prune a dry run previews: {all = false, no until, keep}.
PreviewRequest pressure_preview_request(std::uint64_t keep_bytes, CacheTime now);

}  // namespace orch::pruner
