#include "task/prune_metrics.hpp"

#include <string>

namespace orch::pruner {

namespace {

HostMetrics host_metrics_of(const HostStatus& s) {
    HostMetrics m;
    m.host = s.key.empty() ? std::string(kNoTargetHostLabel) : s.key;
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
    m.filesystem_avail_bytes = s.disk_free_bytes;
    m.filesystem_size_bytes = s.disk_size_bytes;
    m.build_cache_bytes = s.build_cache_bytes;
    m.pressure_prunes_total = s.pressure_prunes_total;
    return m;
}

}  // namespace

PruneMetrics prune_metrics_of(const PrunerStatus& s) {
    PruneMetrics m;
    m.hosts.reserve(s.hosts.size());
    for (const HostStatus& host : s.hosts) {
        m.hosts.push_back(host_metrics_of(host));
    }
    m.until = s.until;
    m.all = s.all;
    m.interval_s = s.interval_s;
    return m;
}

}  // namespace orch::pruner
