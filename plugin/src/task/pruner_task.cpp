#include "task/pruner_task.hpp"

#include <pthread.h>

#include <algorithm>
#include <exception>
#include <utility>

#include "core/fleet_aggregate.hpp"
#include "core/fleet_schedule.hpp"
#include "core/stagger.hpp"
#include "core/text.hpp"
#include "task/prune_metrics.hpp"
#include "task/run_decision.hpp"
#include "task/status_json.hpp"

namespace orch::pruner {

using plugin_api::LogLevel;
using std::chrono::steady_clock;

namespace {

// A wait longer than this is re-evaluated; it also keeps chrono arithmetic far from overflow.
constexpr std::chrono::hours kMaxScheduleWait{24 * 365};
// Per-host config errors logged at construction; the rest are counted (all are in status).
constexpr std::size_t kMaxLoggedHostErrors = 8;

PrunerStatus initial_status(const PrunerConfig& c, const PruneUnits& units,
                            ResolvedConfig& resolved, Fleet& fleet) {
    PrunerStatus s;
    s.enabled = c.enabled;
    s.interval_s = c.interval_s;
    s.until = c.until;
    s.until_configured = c.until_text;
    s.all = c.all;
    s.timeout_s = c.timeout_s;
    s.notify_min_gb = c.notify_min_gb;
    s.check_interval_s = c.check_interval_s;
    s.dry_run = c.dry_run;
    s.parallelism = c.parallelism;
    s.stagger_s = c.stagger_s;
    s.config_warnings = std::move(resolved.warnings);
    std::move(fleet.warnings.begin(), fleet.warnings.end(), std::back_inserter(s.config_warnings));
    s.config_error = resolved.error;
    s.state = c.enabled ? TaskState::kIdle : TaskState::kDisabled;
    s.listed = units.listed;
    s.hosts.reserve(units.units.size());
    for (const PruneUnit& unit : units.units) {
        HostStatus& h = s.hosts.emplace_back();
        h.key = unit.key;
        h.config_error = unit.error;
        if (unit.target) {
            h.ssh_target = unit.target->ssh.target;
            h.command = unit.target->command_text;
        }
    }
    return s;
}

std::string started_target_text(const PruneUnits& units) {
    if (!units.listed) {
        return "none";
    }
    if (units.units.size() == 1) {
        const auto& t = units.units.front().target;
        return t ? t->ssh.target : "none";
    }
    return std::to_string(units.units.size()) + " hosts";
}

}  // namespace

PrunerTask::PrunerTask(ResolvedConfig resolved, plugin_api::ILogger& logger,
                       plugin_api::INotifier& notifier, PrunerTaskOptions options)
    : PrunerTask(resolved, resolve_fleet({}, {}, resolved.config), logger, notifier,
                 std::move(options)) {}

PrunerTask::PrunerTask(ResolvedConfig resolved, Fleet fleet, plugin_api::ILogger& logger,
                       plugin_api::INotifier& notifier, PrunerTaskOptions options)
    : config_(std::move(resolved.config)),
      units_(prune_units_for(fleet, config_)),
      logger_(logger),
      notifier_(notifier),
      options_(std::move(options)),
      pass_context_{
          config_, options_.ssh_executable, options_.search_path, *options_.clock, cancel_,
          *this,   units_.units.size() > 1},
      slots_(units_.units.size(), Slot{{}, options_.clock->steady_now(), false}),
      status_(initial_status(config_, units_, resolved, fleet)) {
    for (const auto& warning : status_.config_warnings) {
        log(LogLevel::kWarning, "config: " + warning);
    }
    if (resolved.error) {
        log(LogLevel::kError, "config: " + *resolved.error);
    }
    std::size_t errors = 0;
    for (const PruneUnit& unit : units_.units) {
        if (unit.error && ++errors <= kMaxLoggedHostErrors) {
            log(LogLevel::kError, "config: " + *unit.error + "; ssh will not be run");
        }
    }
    if (errors > kMaxLoggedHostErrors) {
        log(LogLevel::kError, "config: " + std::to_string(errors - kMaxLoggedHostErrors) +
                                  " more invalid hosts (see their status)");
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
    if (!workers_.empty()) {
        return;  // already running
    }
    cancel_.reset();
    std::vector<std::optional<double>> staggered(slots_.size());
    {
        std::lock_guard fleet(fleet_mutex_);
        const SteadyTime now = options_.clock->steady_now();
        for (std::size_t i = 0; i < slots_.size(); ++i) {
            const auto offset = stagger_offset(i, std::chrono::seconds(config_.stagger_s));
            slots_[i].first_due = now + offset;
            if (offset.count() > 0) {
                staggered[i] = wall_time_of(*options_.clock, slots_[i].first_due);
            }
        }
    }
    update_status([&](PrunerStatus& s) {
        s.state = TaskState::kRunning;
        for (std::size_t i = 0; i < staggered.size(); ++i) {
            s.hosts[i].next_run_ts = staggered[i] ? staggered[i] : s.hosts[i].next_run_ts;
        }
    });
    start_workers(std::clamp<std::size_t>(hosts_needing_ssh(), 1, parallelism()));
    log(LogLevel::kInfo, started_text(config_, started_target_text(units_)));
}

void PrunerTask::start_workers(std::size_t count) {
    try {
        for (std::size_t i = 0; i < count; ++i) {
            workers_.emplace_back([this](std::stop_token stop) { work(std::move(stop), nullptr); });
            // Named before start() returns, so operators (ps, top) and tests see it at once.
            pthread_setname_np(workers_.back().native_handle(), kScheduleThreadName);
        }
    } catch (...) {
        if (workers_.empty()) {
            update_status([](PrunerStatus& s) { s.state = TaskState::kIdle; });
            throw;
        }
        log(LogLevel::kWarning, "could start only " + std::to_string(workers_.size()) + " of " +
                                    std::to_string(count) +
                                    " workers: " + current_exception_text());
    }
}

void PrunerTask::stop() noexcept {
    std::lock_guard life(lifecycle_mutex_);
    cancel_.cancel();  // kills every in-flight ssh, whichever thread runs it; ticks do nothing
    const bool was_running = !workers_.empty();
    for (auto& worker : workers_) {
        worker.request_stop();  // wakes its rest (the condition variable honours the token)
    }
    workers_.clear();  // joins
    {
        // A pass driven by the host's own tick() may still be unwinding: wait for it to finish.
        std::unique_lock fleet(fleet_mutex_);
        changed_.wait(fleet, [this] { return in_flight_count() == 0; });
    }
    flush_round();
    update_status([this](PrunerStatus& s) {
        s.state = config_.enabled ? TaskState::kStopped : TaskState::kDisabled;
        for (HostStatus& h : s.hosts) {
            h.next_run_ts.reset();
        }
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
    if (cancel_.cancelled()) {
        return;  // stopped: ticks do nothing until start()
    }
    try {
        run_round(options_.clock->steady_now());
    } catch (...) {
        log(LogLevel::kError, "tick failed: " + current_exception_text());
    }
}

// The hosts due at `now`, each once, on this thread and up to parallelism - 1 helpers.
void PrunerTask::run_round(SteadyTime now) {
    Round round{now, std::vector<bool>(slots_.size(), false)};
    std::size_t startable = 0;
    {
        std::lock_guard fleet(fleet_mutex_);
        startable = startable_now(now);
        if (startable == 0 && in_flight_count() > 0) {
            log(LogLevel::kDebug, "tick skipped: a prune is already in flight");
        }
    }
    if (startable == 0) {
        return;
    }
    std::vector<std::jthread> helpers;
    const std::size_t threads = std::min(startable, parallelism());
    try {
        while (helpers.size() + 1 < threads) {
            helpers.emplace_back([this, &round](std::stop_token stop) { work(stop, &round); });
        }
    } catch (...) {
        log(LogLevel::kWarning, "tick: fewer threads than hosts due: " + current_exception_text());
    }
    work({}, &round);
    helpers.clear();  // joins
    flush_round();
}

void PrunerTask::work(std::stop_token stop, Round* round) {
    std::unique_lock fleet(fleet_mutex_);
    while (!stop.stop_requested() && !cancel_.cancelled()) {
        const SteadyTime now = round != nullptr ? round->now : options_.clock->steady_now();
        std::optional<SteadyTime> next_wake;
        const std::optional<std::size_t> index = take_due_host(now, round, next_wake);
        if (index) {
            const PassClock clock = slots_[*index].clock;
            fleet.unlock();
            PassReport report = run_host_pass(pass_context_, units_.units[*index], *index, clock);
            fleet.lock();
            finish_host(*index, std::move(report));
            continue;
        }
        if (round != nullptr) {
            return;  // a round starts only what was due when it began
        }
        const std::uint64_t seen = generation_;
        fleet.unlock();
        flush_round();
        fleet.lock();
        const auto rest = next_wake ? std::clamp<steady_clock::duration>(
                                          *next_wake - options_.clock->steady_now(),
                                          steady_clock::duration::zero(), kMaxScheduleWait)
                                    : steady_clock::duration(kMaxScheduleWait);
        // Wakes for a due time, a finished host (a slot free), or stop.
        changed_.wait_for(fleet, stop, rest, [&] { return generation_ != seen; });
    }
}

std::optional<std::size_t> PrunerTask::take_due_host(SteadyTime now, Round* round,
                                                     std::optional<SteadyTime>& next_wake) {
    std::vector<FleetHostState> states(slots_.size());
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        const bool done = round != nullptr && round->started[i];
        states[i] = {
            done ? SteadyTime::max() : pass_due(config_, slots_[i].clock, slots_[i].first_due),
            slots_[i].in_flight, units_.units[i].target.has_value()};
    }
    const FleetPick pick = pick_hosts_to_start(states, now, parallelism());
    next_wake = pick.next_wake;
    if (pick.start.empty()) {
        return std::nullopt;
    }
    const std::size_t index = pick.start.front();
    slots_[index].in_flight = true;
    if (round != nullptr) {
        round->started[index] = true;
    }
    return index;
}

void PrunerTask::finish_host(std::size_t index, PassReport report) {
    slots_[index].clock = report.clock;
    slots_[index].in_flight = false;
    if (report.reclaim) {
        round_.push_back(std::move(*report.reclaim));
    }
    ++generation_;
    changed_.notify_all();
}

std::size_t PrunerTask::startable_now(SteadyTime now) {
    std::size_t due = 0;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        due +=
            !slots_[i].in_flight && pass_due(config_, slots_[i].clock, slots_[i].first_due) <= now;
    }
    return due;
}

std::size_t PrunerTask::in_flight_count() const {
    return static_cast<std::size_t>(
        std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.in_flight; }));
}

// At least one: a config built by hand (tests, benches) may hold 0; resolve_config allows 1..64.
std::size_t PrunerTask::parallelism() const {
    return static_cast<std::size_t>(std::max(config_.parallelism, 1LL));
}

std::size_t PrunerTask::hosts_needing_ssh() const {
    return static_cast<std::size_t>(std::count_if(units_.units.begin(), units_.units.end(),
                                                  [](const PruneUnit& u) { return u.target; }));
}

// One message per round (issue 11): a round ends when no host is in flight; a fleet that is
// never idle still hears once every host has reported.
void PrunerTask::flush_round() {
    std::vector<ReclaimNotice> batch;
    {
        std::lock_guard fleet(fleet_mutex_);
        if (round_.empty() || (in_flight_count() > 0 && round_.size() < slots_.size())) {
            return;
        }
        batch.swap(round_);
    }
    if (batch.size() == 1) {
        notify_operators(batch.front().text);  // a lone host's message reads as before
        return;
    }
    std::vector<RoundReclaim> reclaims;
    for (const ReclaimNotice& notice : batch) {
        reclaims.push_back({notice.key, notice.reclaimed_bytes});
    }
    if (const auto text = round_notification_text(reclaims, config_.until)) {
        notify_operators(*text);
    }
}

std::string PrunerTask::status() const noexcept {
    try {
        return rendered_status();
    } catch (...) {
        log(LogLevel::kError, "status serialisation failed: " + current_exception_text());
        return config_.enabled ? R"({"enabled":true,"error":"status serialisation failed"})"
                               : R"({"enabled":false,"error":"status serialisation failed"})";
    }
}

// A fleet's page is rendered once per status change, as the status is (render_once).
std::string PrunerTask::metrics_text() const {
    return render_once(rendered_metrics_, [](const PrunerStatus& status) {
        return render_metrics_text(prune_metrics_of(status));
    });
}

std::string PrunerTask::rendered_status() const {
    return render_once(rendered_status_,
                       [](const PrunerStatus& status) { return to_json_text(status); });
}

// Never stale: the text is reused only while the generation it was rendered from is current.
// Rendering happens outside the lock, on a snapshot, so a scrape or a prune never waits on it.
std::string PrunerTask::render_once(RenderedText& cache,
                                    std::string (*render)(const PrunerStatus&)) const {
    std::uint64_t generation = 0;
    PrunerStatus copy;
    {
        std::lock_guard lk(status_mutex_);
        if (cache.generation == status_generation_) {
            return cache.text;
        }
        generation = status_generation_;
        copy = status_;
    }
    std::string text = render(copy);
    std::lock_guard lk(status_mutex_);
    if (generation == status_generation_) {
        cache.text = text;
        cache.generation = generation;
    }
    return text;
}

PrunerStatus PrunerTask::snapshot() const {
    std::lock_guard lk(status_mutex_);
    return status_;
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

void PrunerTask::update_host(std::size_t index, const std::function<void(HostStatus&)>& change) {
    std::lock_guard lk(status_mutex_);
    ++status_generation_;
    change(status_.hosts[index]);
}

bool PrunerTask::pressure_unresolved(std::size_t index) const {
    std::lock_guard lk(status_mutex_);
    return status_.hosts[index].pressure_unresolved;
}

}  // namespace orch::pruner
