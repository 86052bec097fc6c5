#include "task/host_pass.hpp"

#include <exception>
#include <utility>
#include <vector>

#include "core/fleet_schedule.hpp"
#include "core/space_commands.hpp"
#include "core/text.hpp"
#include "task/run_decision.hpp"
#include "task/space_decision.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;
using std::chrono::steady_clock;

namespace {

PassIntervals intervals_of(const PrunerConfig& c) {
    return {space_checks_enabled(space_settings_of(c)), std::chrono::seconds(c.check_interval_s),
            std::chrono::seconds(c.interval_s)};
}

// One pass of one host; lives for the pass only.
class HostPass {
  public:
    HostPass(const PassContext& context, const PruneUnit& unit, std::size_t index, PassClock clock)
        : c_(context), unit_(unit), index_(index) {
        report_.clock = clock;
    }

    PassReport run() {
        try {
            run_due();
        } catch (...) {
            record_internal_error();
        }
        return std::move(report_);
    }

  private:
    // As the original (tick, then wait interval_s): the next age prune is due a full interval
    // after this one ENDS, whatever its outcome; the probe keeps its own check interval the
    // same way. While the pass runs next_run_ts is null rather than a time in the past.
    void run_due() {
        const PassDue due = due_now(report_.clock, intervals_of(c_.config), now());
        if (c_.cancel.cancelled() || !due.any()) {
            return;
        }
        update([](HostStatus& s) { s.next_run_ts.reset(); });
        std::optional<SpaceDecision> space;
        if (due.probe) {
            space = probe();
        }
        if (c_.cancel.cancelled()) {
            return;
        }
        const PruneTrigger trigger = space ? space->trigger : PruneTrigger::kNone;
        switch (choose_action(due.age_prune, trigger)) {
            case PassAction::kPressurePrune:
                pressure_prune(trigger, space->keep_bytes);
                break;
            case PassAction::kAgePrune:
                age_prune();
                break;
            case PassAction::kNone:
                break;
        }
        const double next_ts = next_due_ts();
        update([&](HostStatus& s) { s.next_run_ts = next_ts; });
    }

    void record_internal_error() {
        const std::string error = "internal error during tick: " + current_exception_text();
        log(LogLevel::kError, error);
        end_run();
        try {
            const double next_ts = next_due_ts();
            update([&](HostStatus& s) {
                s.next_run_ts = next_ts;
                s.last_error = error;
                ++s.failures_total;
            });
        } catch (...) {
            log(LogLevel::kError, "could not record a tick error in status");
        }
    }

    // The no-target rule: without a valid target nothing runs (the age prune's pass says why).
    std::optional<SpaceDecision> probe() {
        if (!unit_.target) {
            report_.clock.last_probe_end = now();
            return std::nullopt;
        }
        const double probe_ts = to_unix_seconds(c_.clock.wall_now());
        const RunResult run = run_ssh(build_probe_argv(unit_.target->ssh),
                                      RunLimits{std::chrono::seconds(probe_timeout_s(c_.config))});
        report_.clock.last_probe_end = now();
        const ProbeDecision d = decide_after_probe(c_.config, unit_.target->ssh.target, run,
                                                   c_.sink.pressure_unresolved(index_), probe_ts);
        update([&](HostStatus& s) { d.apply(s); });
        log_all(d.logs);
        if (d.notification) {
            c_.sink.notify_now(*d.notification);
        }
        return d.space;
    }

    void age_prune() {
        if (!unit_.target) {
            const double started_ts = to_unix_seconds(c_.clock.wall_now());
            end_run();
            const RunDecision d = decide_without_target(unit_.error, {started_ts, next_due_ts()});
            update([&](HostStatus& s) { d.apply(s); });
            log_all(d.logs);
            return;
        }
        update([](HostStatus& s) { s.last_trigger = "schedule"; });
        if (c_.config.dry_run) {
            preview(age_preview_request(c_.config, c_.clock.wall_now()),
                    "the age prune (" + unit_.target->command_text + ")");
            end_run();
            return;
        }
        run_prune(unit_.target->argv, unit_.target->command_text);
    }

    void pressure_prune(PruneTrigger trigger, std::uint64_t keep_bytes) {
        std::vector<std::string> argv = build_pressure_prune_argv(unit_.target->ssh, keep_bytes);
        const std::string command_text = describe_argv(argv);
        update([&](HostStatus& s) { s.last_trigger = to_string(trigger); });
        if (c_.config.dry_run) {
            preview(pressure_preview_request(keep_bytes, c_.clock.wall_now()),
                    std::string("the ") + to_string(trigger) + " prune (" + command_text + ")");
            return;
        }
        run_prune(std::move(argv), command_text,
                  std::string(to_string(trigger)) + ": keep-storage=" + std::to_string(keep_bytes));
        update([](HostStatus& s) { ++s.pressure_prunes_total; });
    }

    // `what` empty: the age prune, whose end starts its next interval; else it names the prune.
    void run_prune(std::vector<std::string> argv, const std::string& command_text,
                   const std::string& what = {}) {
        const double started_ts = to_unix_seconds(c_.clock.wall_now());
        update([&](HostStatus& s) {
            s.in_flight = true;
            s.in_flight_since_ts = started_ts;
            s.last_run_ts = started_ts;
        });
        log(LogLevel::kInfo, "pruning build cache: " + command_text);
        const RunResult run =
            run_ssh(std::move(argv), RunLimits{std::chrono::seconds(c_.config.timeout_s)});
        if (what.empty()) {
            end_run();
        }
        const RunDecision d = decide_after_run(c_.config, unit_.target->ssh.target, run,
                                               {started_ts, next_due_ts()}, what);
        update([&](HostStatus& s) { d.apply(s); });
        log_all(d.logs);
        if (d.notification && d.outcome.reclaimed_bytes) {
            report_.reclaim = ReclaimNotice{unit_.key, *d.outcome.reclaimed_bytes, *d.notification};
        }
    }

    void preview(const PreviewRequest& request, const std::string& what) {
        RunLimits limits{std::chrono::seconds(c_.config.timeout_s)};
        limits.keep_bytes_per_stream = kMaxPreviewOutputBytes;  // the parser refuses more
        const RunResult run = run_ssh(build_preview_argv(unit_.target->ssh), limits);
        const PreviewDecision d = decide_after_preview(c_.config, run, request, what);
        update([&](HostStatus& s) { d.apply(s); });
        log_all(d.logs);
    }

    RunResult run_ssh(std::vector<std::string> argv, const RunLimits& limits) {
        argv.front() = c_.ssh_executable;
        return run_process(argv, c_.search_path, limits, c_.cancel);
    }

    SteadyTime now() const { return c_.clock.steady_now(); }
    void end_run() { report_.clock.last_prune_end = now(); }
    double next_due_ts() const {
        return wall_time_of(c_.clock, next_prune_due(report_.clock.last_prune_end, now(),
                                                     std::chrono::seconds(c_.config.interval_s)));
    }

    void update(const std::function<void(HostStatus&)>& change) {
        c_.sink.update_host(index_, change);
    }
    void log(LogLevel level, const std::string& message) const noexcept {
        if (!c_.name_hosts) {
            c_.sink.log(level, message);
            return;
        }
        try {
            c_.sink.log(level, unit_.key + ": " + message);
        } catch (...) {
            c_.sink.log(level, message);  // no memory for the prefix: the message still counts
        }
    }
    void log_all(const std::vector<LogLine>& lines) const {
        for (const auto& line : lines) {
            log(line.level, line.text);
        }
    }

    const PassContext& c_;
    const PruneUnit& unit_;
    const std::size_t index_;
    PassReport report_;
};

}  // namespace

PassReport run_host_pass(const PassContext& context, const PruneUnit& unit, std::size_t index,
                         PassClock clock) {
    return HostPass(context, unit, index, clock).run();
}

SteadyTime pass_due(const PrunerConfig& config, const PassClock& clock, SteadyTime first_due) {
    return host_due(clock, intervals_of(config), first_due);
}

}  // namespace orch::pruner
