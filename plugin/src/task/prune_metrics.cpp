#include "task/prune_metrics.hpp"

#include <string>

namespace orch::pruner {

PruneMetrics prune_metrics_of(const PrunerStatus& s) {
    PruneMetrics m;
    m.host = s.ssh_target ? *s.ssh_target : std::string(kNoTargetHostLabel);
    m.runs_success = s.successes_total;
    m.runs_timeout = s.timeouts_total;
    // timeouts_total only ever grows with failures_total; the guard keeps a counter from
    // wrapping should that ever break.
    m.runs_failure = s.failures_total >= s.timeouts_total ? s.failures_total - s.timeouts_total : 0;
    m.runs_noop = s.noop_ticks_total;
    m.reclaimed_bytes_total = s.reclaimed_bytes_total;
    m.duration = s.run_durations;
    m.last_run_ts = s.last_run_ts;
    m.last_success_ts = s.last_success_ts;
    m.in_flight = s.in_flight;
    m.until = s.until;
    m.all = s.all;
    m.interval_s = s.interval_s;
    return m;
}

}  // namespace orch::pruner
