#include "task/pruner_task.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/reclaimed_parser.hpp"
#include "core/saturating.hpp"
#include "core/schedule.hpp"
#include "core/ssh_target.hpp"
#include "core/text.hpp"
#include "runner/process_runner.hpp"
#include "task/prune_outcome.hpp"
#include "task/status_json.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;
using std::chrono::steady_clock;

namespace {

// ssh's own connect timeout: long enough for a slow network, never longer than the whole run.
constexpr long long kMaxConnectTimeoutS = 30;
// A wait longer than this is re-evaluated; it also keeps chrono arithmetic far from overflow.
constexpr std::chrono::hours kMaxScheduleWait{24 * 365};

std::optional<SshOptions> ssh_options_for(const PrunerConfig& c,
                                          std::optional<std::string>& error) {
    if (c.ssh_host.empty()) {
        return std::nullopt;
    }
    SshTargetResult target = make_ssh_target(c.ssh_host, c.ssh_user);
    if (!target.ok) {
        error = target.error;
        return std::nullopt;
    }
    SshOptions ssh;
    ssh.target = target.target;
    ssh.port = c.ssh_port;
    ssh.identity_file = c.ssh_identity_file;
    ssh.known_hosts_file = c.ssh_known_hosts_file;
    ssh.strict_host_key = c.strict_host_key;
    ssh.connect_timeout = std::chrono::seconds(std::clamp(c.timeout_s, 1LL, kMaxConnectTimeoutS));
    return ssh;
}

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

}  // namespace

PrunerTask::PrunerTask(ResolvedConfig resolved, plugin_api::ILogger& logger,
                       plugin_api::INotifier& notifier, PrunerTaskOptions options)
    : config_(std::move(resolved.config)),
      logger_(logger),
      notifier_(notifier),
      options_(std::move(options)) {
    ssh_ = ssh_options_for(config_, target_error_);
    const std::optional<std::string> config_error = std::move(resolved.error);

    status_.enabled = config_.enabled;
    status_.interval_s = config_.interval_s;
    status_.until = config_.until;
    status_.until_configured = config_.until_text;
    status_.all = config_.all;
    status_.timeout_s = config_.timeout_s;
    status_.notify_min_gb = config_.notify_min_gb;
    status_.config_warnings = std::move(resolved.warnings);
    status_.config_error = joined(config_error, target_error_);
    status_.state = config_.enabled ? TaskState::kIdle : TaskState::kDisabled;
    if (ssh_) {
        status_.ssh_target = ssh_->target;
        command_text_ = describe_argv(build_prune_argv(*ssh_, config_.until, config_.all));
        status_.command = command_text_;
    }

    for (const auto& warning : status_.config_warnings) {
        log(LogLevel::kWarning, "config: " + warning);
    }
    if (config_error) {
        log(LogLevel::kError, "config: " + *config_error);
    }
    if (target_error_) {
        log(LogLevel::kError, "config: " + *target_error_ + "; ssh will not be run");
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
    {
        std::lock_guard lk(schedule_mutex_);
        stop_requested_ = false;
    }
    cancel_.reset();
    update_status([](PrunerStatus& s) { s.state = TaskState::kRunning; });
    try {
        thread_ = std::thread([this] { run_schedule(); });
    } catch (...) {
        update_status([](PrunerStatus& s) { s.state = TaskState::kIdle; });
        throw;
    }
    // Named from here, before start() returns, so operators (ps, top) and tests see it at once.
    pthread_setname_np(thread_.native_handle(), kScheduleThreadName);
    log(LogLevel::kInfo, "started (interval=" + std::to_string(config_.interval_s) + "s, until=" +
                             config_.until + ", all=" + (config_.all ? "true" : "false") +
                             ", timeout=" + std::to_string(config_.timeout_s) +
                             "s, target=" + (ssh_ ? ssh_->target : std::string("none")) + ")");
}

void PrunerTask::stop() noexcept {
    std::lock_guard life(lifecycle_mutex_);
    {
        std::lock_guard lk(schedule_mutex_);
        stop_requested_ = true;
    }
    wake_.notify_all();
    cancel_.cancel();  // kills an in-flight ssh, whichever thread runs it
    const bool was_running = thread_.joinable();
    if (was_running) {
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
    try {
        tick_once();
    } catch (...) {
        const std::string error = "internal error during tick: " + current_exception_text();
        log(LogLevel::kError, error);
        try {
            update_status([&](PrunerStatus& s) {
                s.last_error = error;
                ++s.failures_total;
            });
        } catch (...) {
            log(LogLevel::kError, "could not record a tick error in status");
        }
    }
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

PrunerStatus PrunerTask::snapshot() const {
    std::lock_guard lk(status_mutex_);
    return status_;
}

void PrunerTask::run_schedule() {
    for (;;) {
        tick();
        std::chrono::steady_clock::duration wait{};
        {
            std::lock_guard run(run_mutex_);
            const auto now = options_.clock->steady_now();
            const auto due = next_prune_due(last_run_end_, now, interval());
            wait = std::clamp<steady_clock::duration>(due - now, steady_clock::duration::zero(),
                                                      kMaxScheduleWait);
        }
        std::unique_lock lk(schedule_mutex_);
        if (wake_.wait_for(lk, wait, [this] { return stop_requested_; })) {
            return;
        }
    }
}

void PrunerTask::tick_once() {
    if (!config_.enabled) {
        log(LogLevel::kDebug, "tick ignored: disabled by the kill-switch");
        return;
    }
    std::unique_lock run(run_mutex_, std::try_to_lock);
    if (!run.owns_lock()) {
        log(LogLevel::kDebug, "tick skipped: a prune is already in flight");
        return;
    }
    {
        std::lock_guard lk(schedule_mutex_);
        if (stop_requested_) {
            return;
        }
    }
    const auto now = options_.clock->steady_now();
    if (!is_prune_due(last_run_end_, now, interval())) {
        return;
    }
    // As the original (tick, then wait interval_s): the next run is due a full interval after
    // this one ENDS, whatever its outcome, so a slow or hanging host always gets its rest. While
    // it runs the next time is unknown, so next_run_ts is null rather than a time in the past.
    // prune() sets both in the status update that ends the run (see end_run()).
    update_status([](PrunerStatus& s) { s.next_run_ts.reset(); });
    try {
        prune();
    } catch (...) {
        const auto next_ts = end_run();
        update_status([&](PrunerStatus& s) { s.next_run_ts = next_ts; });
        throw;
    }
}

std::optional<double> PrunerTask::end_run() {
    const auto end = options_.clock->steady_now();
    last_run_end_ = end;
    return wall_time_of(next_prune_due(last_run_end_, end, interval()));
}

void PrunerTask::prune() {
    const double started_ts = to_unix_seconds(options_.clock->wall_now());
    if (!ssh_) {
        if (target_error_) {
            const std::string error = "ssh not run: invalid config: " + *target_error_;
            const auto next_ts = end_run();
            update_status([&](PrunerStatus& s) {
                s.next_run_ts = next_ts;
                s.last_run_ts = started_ts;
                s.last_error = error;
                ++s.failures_total;
            });
            log(LogLevel::kError, error);
        } else {
            const std::string error =
                "no ssh host configured (set ORCH_DEPLOY_SSH_HOST or deploy_ssh_host): "
                "tick is a no-op";
            const auto next_ts = end_run();
            update_status([&](PrunerStatus& s) {
                s.next_run_ts = next_ts;
                s.last_run_ts = started_ts;
                s.last_error = error;
                ++s.noop_ticks_total;
            });
            log(LogLevel::kInfo, error);
        }
        return;
    }

    std::vector<std::string> argv = build_prune_argv(*ssh_, config_.until, config_.all);
    argv.front() = options_.ssh_executable;
    TaskState state_before = TaskState::kIdle;
    update_status([&](PrunerStatus& s) {
        state_before = s.state;
        s.state = TaskState::kPruning;
        s.in_flight = true;
        s.in_flight_since_ts = started_ts;
        s.last_run_ts = started_ts;
    });
    log(LogLevel::kInfo, "pruning build cache: " + command_text_);

    RunLimits limits;
    limits.timeout = std::chrono::seconds(config_.timeout_s);
    const RunResult run = run_process(argv, limits, cancel_);
    const PruneOutcome outcome = evaluate_prune_run(run, config_.timeout_s);

    const auto next_ts = end_run();
    update_status([&](PrunerStatus& s) {
        s.next_run_ts = next_ts;
        if (s.state == TaskState::kPruning) {
            s.state = state_before;
        }
        s.in_flight = false;
        s.in_flight_since_ts.reset();
        s.last_duration_ms = run.duration.count();
        s.last_exit_code =
            run.outcome == RunOutcome::kExited ? std::optional<int>(run.exit_code) : std::nullopt;
        ++s.runs_total;
        if (outcome.success) {
            ++s.successes_total;
            s.last_error.reset();
            s.last_success_ts = started_ts;
            s.last_reclaimed_bytes = outcome.reclaimed_bytes;
            s.last_reclaimed =
                outcome.reclaimed_bytes
                    ? std::optional<std::string>(reclaimed_gib_label(*outcome.reclaimed_bytes))
                    : std::nullopt;
            s.last_reclaimed_human =
                outcome.reclaimed_bytes
                    ? std::optional<std::string>(human_size(*outcome.reclaimed_bytes))
                    : std::nullopt;
            s.reclaimed_bytes_total =
                saturating_add(s.reclaimed_bytes_total, outcome.reclaimed_bytes.value_or(0));
            s.last_note =
                outcome.note.empty() ? std::nullopt : std::optional<std::string>(outcome.note);
        } else {
            ++s.failures_total;
            s.last_error = outcome.error;
        }
    });

    if (!outcome.success) {
        log(LogLevel::kWarning, "prune failed: " + outcome.error);
        return;
    }
    log(LogLevel::kInfo,
        "pruned build cache (until=" + config_.until + ", all=" + (config_.all ? "true" : "false") +
            "): reclaimed " +
            (outcome.reclaimed_bytes ? human_size(*outcome.reclaimed_bytes) + " (" +
                                           reclaimed_gib_label(*outcome.reclaimed_bytes) + ")"
                                     : std::string("unknown")) +
            " in " + std::to_string(run.duration.count()) + " ms");
    if (!outcome.note.empty()) {
        log(LogLevel::kWarning, outcome.note);
    }
    if (should_notify(outcome.reclaimed_bytes, config_.notify_min_gb)) {
        notify_operators(*outcome.reclaimed_bytes);
    }
}

void PrunerTask::notify_operators(std::uint64_t reclaimed_bytes) {
    try {
        // Handed to the host's notifier, which delivers asynchronously (API 1.x): a throw here
        // is a hand-over failure; delivery outcome is the host's (/queue host.notifier).
        notifier_.notify(
            to_valid_utf8(notification_text(reclaimed_bytes, ssh_->target, config_.until)));
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

std::chrono::seconds PrunerTask::interval() const {
    return std::chrono::seconds(config_.interval_s);
}

std::optional<double> PrunerTask::wall_time_of(steady_clock::time_point t) const {
    const auto offset = t - options_.clock->steady_now();
    return to_unix_seconds(options_.clock->wall_now() +
                           std::chrono::duration_cast<std::chrono::system_clock::duration>(offset));
}

}  // namespace orch::pruner
