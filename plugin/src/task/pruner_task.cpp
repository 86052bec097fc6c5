#include "task/pruner_task.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/schedule.hpp"
#include "core/space_commands.hpp"
#include "core/text.hpp"
#include "task/prune_metrics.hpp"
#include "task/run_decision.hpp"
#include "task/space_decision.hpp"
#include "task/status_json.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;
using std::chrono::steady_clock;

namespace {

// A wait longer than this is re-evaluated; it also keeps chrono arithmetic far from overflow.
constexpr std::chrono::hours kMaxScheduleWait{24 * 365};

std::string current_exception_text() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown exception";
    }
}

std::optional<std::string> joined(const std::optional<std::string>& a,
                                  const std::optional<std::string>& b) {
    if (a && b) {
        return *a + "; " + *b;
    }
    return a ? a : b;
}

PrunerStatus initial_status(const PrunerConfig& c, const PruneTargetChoice& target,
                            ResolvedConfig& resolved) {
    PrunerStatus s;
    s.enabled = c.enabled;
    s.interval_s = c.interval_s;
    s.until = c.until;
    s.until_configured = c.until_text;
    s.all = c.all;
    s.timeout_s = c.timeout_s;
    s.notify_min_gb = c.notify_min_gb;
    s.config_warnings = std::move(resolved.warnings);
    s.config_error = joined(resolved.error, target.error);
    s.state = c.enabled ? TaskState::kIdle : TaskState::kDisabled;
    s.check_interval_s = c.check_interval_s;
    s.dry_run = c.dry_run;
    if (target.target) {
        s.ssh_target = target.target->ssh.target;
        s.command = target.target->command_text;
    }
    return s;
}

// Wall-clock seconds of steady time `t`, read against the clock's current pair.
double wall_time_of(const Clock& clock, steady_clock::time_point t) {
    const auto offset = t - clock.steady_now();
    return to_unix_seconds(clock.wall_now() +
                           std::chrono::duration_cast<std::chrono::system_clock::duration>(offset));
}

}  // namespace

PrunerTask::PrunerTask(ResolvedConfig resolved, plugin_api::ILogger& logger,
                       plugin_api::INotifier& notifier, PrunerTaskOptions options)
    : config_(std::move(resolved.config)),
      target_(prune_target_for(config_)),
      logger_(logger),
      notifier_(notifier),
      options_(std::move(options)),
      status_(initial_status(config_, target_, resolved)) {
    for (const auto& warning : status_.config_warnings) {
        log(LogLevel::kWarning, "config: " + warning);
    }
    if (resolved.error) {
        log(LogLevel::kError, "config: " + *resolved.error);
    }
    if (target_.error) {
        log(LogLevel::kError, "config: " + *target_.error + "; ssh will not be run");
    }
}

PrunerTask::~PrunerTask() {
    stop();
}

void PrunerTask::start() {
    std::lock_guard life(lifecycle_mutex_);
    if (!config_.enabled) {
        log(LogLevel::kInfo,
            "disabled by the kill-switch (build_cache_prune_enabled=false, or unreadable: see "
            "config_error); not starting");
        return;
    }
    if (thread_.joinable()) {
        return;  // already running
    }
    cancel_.reset();
    update_status([](PrunerStatus& s) { s.state = TaskState::kRunning; });
    try {
        thread_ = std::jthread([this](std::stop_token stop) { run_schedule(std::move(stop)); });
    } catch (...) {
        update_status([](PrunerStatus& s) { s.state = TaskState::kIdle; });
        throw;
    }
    // Named from here, before start() returns, so operators (ps, top) and tests see it at once.
    pthread_setname_np(thread_.native_handle(), kScheduleThreadName);
    const auto& t = target_.target;
    log(LogLevel::kInfo, started_text(config_, t ? std::optional(t->ssh.target) : std::nullopt));
}

void PrunerTask::stop() noexcept {
    std::lock_guard life(lifecycle_mutex_);
    cancel_.cancel();  // kills an in-flight ssh, whichever thread runs it; later ticks do nothing
    const bool was_running = thread_.joinable();
    if (was_running) {
        thread_.request_stop();  // wakes the schedule's rest
        thread_.join();
    }
    // A prune driven by the host's own tick() may still be unwinding: wait for it to finish.
    { std::lock_guard run(run_mutex_); }
    update_status([this](PrunerStatus& s) {
        s.state = config_.enabled ? TaskState::kStopped : TaskState::kDisabled;
        s.next_run_ts.reset();
    });
    if (was_running) {
        log(LogLevel::kInfo, "stopped");
    }
}

void PrunerTask::tick() noexcept {
    if (!config_.enabled) {
        log(LogLevel::kDebug, "tick ignored: disabled by the kill-switch");
        return;
    }
    std::unique_lock run(run_mutex_, std::try_to_lock);
    if (!run.owns_lock()) {
        log(LogLevel::kDebug, "tick skipped: a prune is already in flight");
        return;
    }
    run_if_due();
}

std::string PrunerTask::status() const noexcept {
    try {
        return to_json_text(snapshot());
    } catch (...) {
        log(LogLevel::kError, "status serialisation failed: " + current_exception_text());
        return config_.enabled ? R"({"enabled":true,"error":"status serialisation failed"})"
                               : R"({"enabled":false,"error":"status serialisation failed"})";
    }
}

std::string PrunerTask::metrics_text() const {
    PruneMetrics metrics;
    {
        std::lock_guard lk(status_mutex_);
        metrics = prune_metrics_of(status_);
    }
    return render_metrics_text(metrics);
}

PrunerStatus PrunerTask::snapshot() const {
    std::lock_guard lk(status_mutex_);
    return status_;
}

void PrunerTask::run_schedule(std::stop_token stop) {
    std::unique_lock run(run_mutex_);
    while (!stop.stop_requested()) {
        run_if_due();
        // run_mutex_ is released while resting, so the host's tick() can run a prune meanwhile.
        wake_.wait_for(run, stop, time_until_due(), [] { return false; });
    }
}

// As the original (tick, then wait interval_s): the next age prune is due a full interval after
// this one ENDS, whatever its outcome, so a slow or hanging host always gets its rest; the probe
// keeps its own check interval the same way (core/space_schedule.hpp). While a pass runs the
// next time is unknown, so next_run_ts is null rather than a time in the past.
void PrunerTask::run_if_due() {
    const PassDue due = due_now(pass_clock(), pass_intervals(), options_.clock->steady_now());
    if (cancel_.cancelled() || !due.any()) {
        return;
    }
    try {
        update_status([](PrunerStatus& s) { s.next_run_ts.reset(); });
        std::optional<SpaceDecision> space;
        if (due.probe) {
            space = probe();
        }
        if (cancel_.cancelled()) {
            return;
        }
        const PruneTrigger trigger = space ? space->trigger : PruneTrigger::kNone;
        switch (choose_action(due.age_prune, trigger)) {
            case PassAction::kPressurePrune:
                pressure_prune(trigger, space->keep_bytes);
                break;
            case PassAction::kAgePrune:
                prune();
                break;
            case PassAction::kNone:
                break;
        }
        const double next_ts = wall_time_of(
            *options_.clock, next_prune_due(last_run_end_, options_.clock->steady_now(),
                                            std::chrono::seconds(config_.interval_s)));
        update_status([&](PrunerStatus& s) { s.next_run_ts = next_ts; });
    } catch (...) {
        const std::string error = "internal error during tick: " + current_exception_text();
        log(LogLevel::kError, error);
        const double next_ts = end_run();
        try {
            update_status([&](PrunerStatus& s) {
                s.next_run_ts = next_ts;
                s.last_error = error;
                ++s.failures_total;
            });
        } catch (...) {
            log(LogLevel::kError, "could not record a tick error in status");
        }
    }
}

double PrunerTask::end_run(bool age) {
    const auto end = options_.clock->steady_now();
    if (age) {
        last_run_end_ = end;
    }
    return wall_time_of(*options_.clock, next_prune_due(last_run_end_, end,
                                                        std::chrono::seconds(config_.interval_s)));
}

PassClock PrunerTask::pass_clock() const {
    return {last_probe_end_, last_run_end_};
}

PassIntervals PrunerTask::pass_intervals() const {
    return {space_checks_enabled(space_settings_of(config_)),
            std::chrono::seconds(config_.check_interval_s),
            std::chrono::seconds(config_.interval_s)};
}

// The no-target rule: without a valid target nothing runs (the age prune's pass says why).
std::optional<SpaceDecision> PrunerTask::probe() {
    if (!target_.target) {
        last_probe_end_ = options_.clock->steady_now();
        return std::nullopt;
    }
    std::vector<std::string> argv = build_probe_argv(target_.target->ssh);
    argv.front() = options_.ssh_executable;
    const double probe_ts = to_unix_seconds(options_.clock->wall_now());
    const RunResult run =
        run_process(argv, RunLimits{std::chrono::seconds(probe_timeout_s(config_))}, cancel_);
    last_probe_end_ = options_.clock->steady_now();
    const bool was_unresolved = snapshot().pressure_unresolved;
    const ProbeDecision d =
        decide_after_probe(config_, target_.target->ssh.target, run, was_unresolved, probe_ts);
    update_status([&](PrunerStatus& s) { d.apply(s); });
    for (const auto& line : d.logs) {
        log(line.level, line.text);
    }
    if (d.notification) {
        notify_operators(*d.notification);
    }
    return d.space;
}

void PrunerTask::prune() {
    const RunTimes started{to_unix_seconds(options_.clock->wall_now()), std::nullopt};
    if (!target_.target) {
        const RunDecision d = decide_without_target(target_.error, {started.started_ts, end_run()});
        update_status([&](PrunerStatus& s) { d.apply(s, s.state); });
        for (const auto& line : d.logs) {
            log(line.level, line.text);
        }
        return;
    }
    update_status([](PrunerStatus& s) { s.last_trigger = "schedule"; });
    if (config_.dry_run) {
        preview(age_preview_request(config_, options_.clock->wall_now()),
                "the age prune (" + target_.target->command_text + ")");
        end_run();
        return;
    }
    run_prune(target_.target->argv, target_.target->command_text);
}

void PrunerTask::pressure_prune(PruneTrigger trigger, std::uint64_t keep_bytes) {
    std::vector<std::string> argv = build_pressure_prune_argv(target_.target->ssh, keep_bytes);
    const std::string command_text = describe_argv(argv);
    update_status([&](PrunerStatus& s) { s.last_trigger = to_string(trigger); });
    if (config_.dry_run) {
        preview(pressure_preview_request(keep_bytes, options_.clock->wall_now()),
                std::string("the ") + to_string(trigger) + " prune (" + command_text + ")");
        return;
    }
    run_prune(std::move(argv), command_text,
              std::string(to_string(trigger)) + ": keep-storage=" + std::to_string(keep_bytes));
    update_status([](PrunerStatus& s) { ++s.pressure_prunes_total; });
}

void PrunerTask::run_prune(std::vector<std::string> argv, const std::string& command_text,
                           const std::string& what) {
    const RunTimes started{to_unix_seconds(options_.clock->wall_now()), std::nullopt};
    argv.front() = options_.ssh_executable;
    TaskState state_before = TaskState::kIdle;
    update_status([&](PrunerStatus& s) {
        state_before = std::exchange(s.state, TaskState::kPruning);
        s.in_flight = true;
        s.in_flight_since_ts = started.started_ts;
        s.last_run_ts = started.started_ts;
    });
    log(LogLevel::kInfo, "pruning build cache: " + command_text);
    const RunResult run =
        run_process(argv, RunLimits{std::chrono::seconds(config_.timeout_s)}, cancel_);
    const RunDecision d = decide_after_run(config_, target_.target->ssh.target, run,
                                           {started.started_ts, end_run(what.empty())}, what);
    update_status([&](PrunerStatus& s) { d.apply(s, state_before); });
    for (const auto& line : d.logs) {
        log(line.level, line.text);
    }
    if (d.notification) {
        notify_operators(*d.notification);
    }
}

void PrunerTask::preview(const PreviewRequest& request, const std::string& what) {
    std::vector<std::string> argv = build_preview_argv(target_.target->ssh);
    argv.front() = options_.ssh_executable;
    RunLimits limits{std::chrono::seconds(config_.timeout_s)};
    limits.keep_bytes_per_stream = kMaxPreviewOutputBytes;  // the parser refuses more
    const RunResult run = run_process(argv, limits, cancel_);
    const PreviewDecision d = decide_after_preview(config_, run, request, what);
    update_status([&](PrunerStatus& s) { d.apply(s); });
    for (const auto& line : d.logs) {
        log(line.level, line.text);
    }
}

void PrunerTask::notify_operators(const std::string& text) {
    try {
        // Handed to the host's notifier, which delivers asynchronously (API 1.x): a throw here
        // is a hand-over failure; delivery outcome is the host's (/queue host.notifier).
        notifier_.notify(text);
        update_status([](PrunerStatus& s) {
            ++s.notifications_total;
            s.last_notify_error.reset();
        });
    } catch (...) {
        const std::string error = "notifier failed: " + to_valid_utf8(current_exception_text());
        update_status([&](PrunerStatus& s) { s.last_notify_error = error; });
        log(LogLevel::kWarning, error);
    }
}

void PrunerTask::log(LogLevel level, const std::string& message) const noexcept {
    try {
        logger_.log(level, to_valid_utf8(message));
    } catch (...) {
        // The logger is the only channel for reporting problems; with it failing there is
        // nowhere left to report this one, and the task must keep running.
    }
}

template <typename Update>
void PrunerTask::update_status(Update&& update) {
    std::lock_guard lk(status_mutex_);
    update(status_);
}

steady_clock::duration PrunerTask::time_until_due() const {
    const auto now = options_.clock->steady_now();
    const auto due = next_pass_due(pass_clock(), pass_intervals(), now);
    return std::clamp<steady_clock::duration>(due - now, steady_clock::duration::zero(),
                                              kMaxScheduleWait);
}

}  // namespace orch::pruner
