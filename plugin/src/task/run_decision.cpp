#include "task/run_decision.hpp"

#include <utility>

#include "core/reclaimed_parser.hpp"
#include "core/saturating.hpp"
#include "core/text.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;

namespace {

std::optional<std::string> some_if(bool present, std::string text) {
    return present ? std::optional<std::string>(std::move(text)) : std::nullopt;
}

std::string reclaimed_text(const std::optional<std::uint64_t>& bytes) {
    return bytes ? human_size(*bytes) + " (" + reclaimed_gib_label(*bytes) + ")" : "unknown";
}

void apply_ran(const RunDecision& d, HostStatus& s) {
    const PruneOutcome& o = d.outcome;
    s.in_flight = false;
    s.in_flight_since_ts.reset();
    s.last_duration_ms = d.duration_ms;
    s.last_exit_code = d.exit_code;
    ++s.runs_total;
    s.run_durations.observe(static_cast<double>(d.duration_ms) / 1000.0);
    if (!o.success) {
        ++s.failures_total;
        s.timeouts_total += d.timed_out ? 1 : 0;
        s.last_error = o.error;
        return;
    }
    ++s.successes_total;
    s.last_error.reset();
    s.last_success_ts = d.times.started_ts;
    s.last_reclaimed_bytes = o.reclaimed_bytes;
    s.last_reclaimed =
        some_if(o.reclaimed_bytes.has_value(), reclaimed_gib_label(o.reclaimed_bytes.value_or(0)));
    s.last_reclaimed_human =
        some_if(o.reclaimed_bytes.has_value(), human_size(o.reclaimed_bytes.value_or(0)));
    s.reclaimed_bytes_total =
        saturating_add(s.reclaimed_bytes_total, o.reclaimed_bytes.value_or(0));
    s.last_note = some_if(!o.note.empty(), o.note);
}

}  // namespace

void RunDecision::apply(HostStatus& s) const {
    s.next_run_ts = times.next_run_ts;
    s.last_run_ts = times.started_ts;
    if (kind != Kind::kRan) {
        s.last_error = error;
        ++(kind == Kind::kInvalidTarget ? s.failures_total : s.noop_ticks_total);
        return;
    }
    apply_ran(*this, s);
}

RunDecision decide_without_target(const std::optional<std::string>& target_error,
                                  const RunTimes& times) {
    RunDecision d;
    d.times = times;
    if (target_error) {
        d.kind = RunDecision::Kind::kInvalidTarget;
        d.error = "ssh not run: invalid config: " + *target_error;
        d.logs.push_back({LogLevel::kError, d.error});
    } else {
        d.error =
            "no ssh host configured (set ORCH_DEPLOY_SSH_HOST or deploy_ssh_host): tick is a no-op";
        d.logs.push_back({LogLevel::kInfo, d.error});
    }
    return d;
}

RunDecision decide_after_run(const PrunerConfig& config, const std::string& ssh_target,
                             const RunResult& run, const RunTimes& times, const std::string& what) {
    RunDecision d;
    d.kind = RunDecision::Kind::kRan;
    d.times = times;
    d.outcome = evaluate_prune_run(run, config.timeout_s);
    d.duration_ms = run.duration.count();
    d.exit_code =
        run.outcome == RunOutcome::kExited ? std::optional<int>(run.exit_code) : std::nullopt;
    d.timed_out = run.outcome == RunOutcome::kTimedOut;
    const PruneOutcome& o = d.outcome;
    if (!o.success) {
        d.logs.push_back({LogLevel::kWarning, "prune failed: " + o.error});
        return d;
    }
    const std::string filter =
        what.empty() ? "until=" + config.until + ", all=" + (config.all ? "true" : "false") : what;
    d.logs.push_back({LogLevel::kInfo, "pruned build cache (" + filter + "): reclaimed " +
                                           reclaimed_text(o.reclaimed_bytes) + " in " +
                                           std::to_string(d.duration_ms) + " ms"});
    if (!o.note.empty()) {
        d.logs.push_back({LogLevel::kWarning, o.note});
    }
    if (should_notify(o.reclaimed_bytes, config.notify_min_gb)) {
        d.notification =
            to_valid_utf8(notification_text(*o.reclaimed_bytes, ssh_target, config.until, what));
    }
    return d;
}

std::string started_text(const PrunerConfig& c, const std::string& target) {
    return "started (interval=" + std::to_string(c.interval_s) + "s, until=" + c.until +
           ", all=" + (c.all ? "true" : "false") + ", timeout=" + std::to_string(c.timeout_s) +
           "s, target=" + target + ")";
}

}  // namespace orch::pruner
