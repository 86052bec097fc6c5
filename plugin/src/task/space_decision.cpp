#include "task/space_decision.hpp"

#include <algorithm>

#include "core/reclaimed_parser.hpp"
#include "core/space_probe.hpp"
#include "core/text.hpp"
#include "core/until.hpp"
#include "task/prune_outcome.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;

namespace {

constexpr long long kMaxProbeTimeoutS = 30;

// Why a run did not give usable stdout, or nullopt when it exited 0.
std::optional<std::string> run_failure(const RunResult& run, long long timeout_s) {
    if (run.outcome == RunOutcome::kExited && run.exit_code == 0) {
        return std::nullopt;
    }
    return evaluate_prune_run(run, timeout_s).error;
}

std::string notice_text(const PrunerConfig& c, const std::string& target, const ProbeResult& p,
                        const SpaceDecision& d, PressureNotice notice) {
    const std::string where = "build cache pruner on " + target + ": ";
    const std::string free_text = human_size(p.fs_avail_bytes) + " free of " +
                                  human_size(p.fs_size_bytes) + " on " + p.docker_root_dir +
                                  ", min_free " + human_size(d.min_free_bytes) + " (" +
                                  to_string(c.min_free) + ")";
    if (notice == PressureNotice::kEntered) {
        return where + "disk still below min_free with no build cache left to prune (" + free_text +
               "; build cache " + human_size(p.cache_total_bytes) + ", " +
               human_size(p.cache_reclaimable_bytes) + " reclaimable, reserved " +
               human_size(d.reserved_bytes) +
               "): the rest is images, containers, volumes, logs or shared cache, which this "
               "plugin never touches";
    }
    return where + "disk back at or above min_free (" + free_text + ")";
}

}  // namespace

SpaceSettings space_settings_of(const PrunerConfig& c) {
    return {c.min_free, c.max_cache, c.reserved};
}

long long probe_timeout_s(const PrunerConfig& config) {
    return std::clamp(config.timeout_s, 1LL, kMaxProbeTimeoutS);
}

ProbeDecision decide_after_probe(const PrunerConfig& config, const std::string& ssh_target,
                                 const RunResult& run, bool was_unresolved, double probe_ts) {
    ProbeDecision d;
    d.probe_ts = probe_ts;
    if (const auto failed = run_failure(run, probe_timeout_s(config))) {
        d.error = "probe: " + *failed;
    } else {
        Result<ProbeResult> parsed = parse_probe_output(run.out.text());
        if (parsed) {
            d.probe = std::move(*parsed);
        } else {
            d.error = "probe: " + parsed.error();
        }
    }
    if (!d.probe) {
        d.error = to_valid_utf8(d.error);
        d.logs.push_back({LogLevel::kWarning, d.error + " (the age prune is not affected)"});
        d.pressure = {was_unresolved, PressureNotice::kNone};  // nothing is known
        return d;
    }
    const ProbeResult& p = *d.probe;
    d.space = decide_space(space_settings_of(config), p);
    d.pressure = next_pressure_state(was_unresolved, *d.space);
    d.logs.push_back(
        {LogLevel::kDebug,
         "probe: " + human_size(p.fs_avail_bytes) + " free of " + human_size(p.fs_size_bytes) +
             ", build cache " + human_size(p.cache_total_bytes) + " (" +
             human_size(p.cache_reclaimable_bytes) + " reclaimable), keep " +
             human_size(d.space->keep_bytes) + ", trigger " + to_string(d.space->trigger)});
    if (d.pressure.notice != PressureNotice::kNone) {
        d.notification =
            to_valid_utf8(notice_text(config, ssh_target, p, *d.space, d.pressure.notice));
        d.logs.push_back(
            {d.pressure.notice == PressureNotice::kEntered ? LogLevel::kWarning : LogLevel::kInfo,
             *d.notification});
    }
    return d;
}

void ProbeDecision::apply(HostStatus& s) const {
    s.last_probe_ts = probe_ts;
    if (!probe) {
        s.last_probe_error = error;
        return;
    }
    s.last_probe_error.reset();
    s.docker_root_dir = to_valid_utf8(probe->docker_root_dir);
    s.disk_free_bytes = probe->fs_avail_bytes;
    s.disk_size_bytes = probe->fs_size_bytes;
    s.build_cache_bytes = probe->cache_total_bytes;
    s.build_cache_reclaimable_bytes = probe->cache_reclaimable_bytes;
    s.min_free_bytes = space->min_free_bytes;
    s.max_cache_bytes = space->max_cache_bytes;
    s.reserved_bytes = space->reserved_bytes;
    s.pressure_unresolved = pressure.unresolved;
}

PreviewDecision decide_after_preview(const PrunerConfig& config, const RunResult& run,
                                     const PreviewRequest& request, const std::string& what) {
    PreviewDecision d;
    if (const auto failed = run_failure(run, config.timeout_s)) {
        d.error = "dry run: preview failed: " + *failed;
    } else if (run.out.truncated()) {
        d.error = "dry run: preview output over " + std::to_string(run.out.head.size()) +
                  " bytes was refused";
    } else {
        const auto parsed = parse_build_cache_records(run.out.text());
        if (parsed) {
            d.preview = preview_prune(*parsed, request);
        } else {
            d.error = "dry run: preview output unreadable: " + parsed.error();
        }
    }
    if (!d.preview) {
        d.error = to_valid_utf8(d.error);
        d.logs.push_back({LogLevel::kWarning, d.error});
        return d;
    }
    d.logs.push_back(
        {LogLevel::kInfo,
         "dry run: " + what + " would reclaim about " + human_size(d.preview->would_reclaim_bytes) +
             " (" + std::to_string(d.preview->would_remove_records) +
             " records; an estimate from docker's rounded sizes); nothing was pruned"});
    return d;
}

void PreviewDecision::apply(HostStatus& s) const {
    if (!preview) {
        s.last_error = error;
        return;
    }
    s.last_error.reset();
    s.would_reclaim_bytes = preview->would_reclaim_bytes;
    s.would_remove_records = preview->would_remove_records;
}

PreviewRequest age_preview_request(const PrunerConfig& config, CacheTime now) {
    return {config.all, go_duration_length(config.until), std::nullopt, now};
}

PreviewRequest pressure_preview_request(std::uint64_t keep_bytes, CacheTime now) {
    return {false, std::nullopt, keep_bytes, now};
}

}  // namespace orch::pruner
