#pragma once
// The build-cache pruner as an IBackgroundTask: a fleet of docker hosts (one by default), each on
// its own schedule, at most `parallelism` of them in flight at once; a status snapshot that never
// waits for a prune, and a stop() that cancels every ssh (issue 11).
//
// Threads: start() starts min(parallelism, hosts) workers. Each takes the next due host under
// the fleet lock (core/fleet_schedule's pick: earliest due first, a slot free), runs its pass
// (task/host_pass) without any lock, and records its schedule. A hanging host holds one worker
// until its timeout and nothing else. tick() runs one round of the hosts due now on up to
// `parallelism` short-lived threads of its own, under the same slot count (so `host_stub --once`
// prunes the whole fleet), and never waits for a host the schedule is running.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "core/fleet.hpp"
#include "core/prune_target.hpp"
#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "runner/cancel_token.hpp"
#include "runner/executable_lookup.hpp"
#include "task/clock.hpp"
#include "task/host_pass.hpp"
#include "task/pruner_status.hpp"

namespace orch::pruner {

// The workers' name, as ps/top and /proc/<pid>/task/*/comm show it (<= 15 chars).
inline constexpr const char* kScheduleThreadName = "cache-pruner";

struct PrunerTaskOptions {
    // Looked up on PATH unless it holds a '/'. Tests point it at a fake ssh script.
    std::string ssh_executable = "ssh";
    std::string search_path = kDefaultSearchPath;  // PATH; make_pruner_task passes the env's
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
};

class PrunerTask final : public plugin_api::IBackgroundTask,
                         public plugin_api::IMetricsSource,
                         private PassSink {
  public:
    // The fleet from resolve_fleet; the first form prunes resolved.config's single host.
    PrunerTask(ResolvedConfig resolved, plugin_api::ILogger& logger,
               plugin_api::INotifier& notifier, PrunerTaskOptions options = {});
    PrunerTask(ResolvedConfig resolved, Fleet fleet, plugin_api::ILogger& logger,
               plugin_api::INotifier& notifier, PrunerTaskOptions options = {});
    ~PrunerTask() override;
    PrunerTask(const PrunerTask&) = delete;
    PrunerTask& operator=(const PrunerTask&) = delete;

    void start() override;
    void stop() noexcept override;
    void tick() noexcept override;
    std::string status() const noexcept override;
    // API 1.1 (orch_metrics): a snapshot taken under the status lock, rendered outside it, so a
    // scrape never waits for a prune. One series per host (prune_metrics.hpp).
    std::string metrics_text() const override;

    PrunerStatus snapshot() const;

  private:
    // One host's place in the schedule; guarded by fleet_mutex_.
    struct Slot {
        PassClock clock;
        SteadyTime first_due;
        bool in_flight = false;
    };
    // The hosts a tick's round may still start (fleet_mutex_): each runs once per round.
    struct Round {
        SteadyTime now;
        std::vector<bool> started;
    };

    void start_workers(std::size_t count);
    void work(std::stop_token stop, Round* round);  // round: a tick's; nullptr: the schedule
    // With fleet_mutex_ held: the next host to run now (marked in flight), if any.
    std::optional<std::size_t> take_due_host(SteadyTime now, Round* round,
                                             std::optional<SteadyTime>& next_wake);
    void finish_host(std::size_t index, PassReport report);  // fleet_mutex_ held
    std::size_t startable_now(SteadyTime now);               // fleet_mutex_ held
    std::size_t in_flight_count() const;                     // fleet_mutex_ held
    void run_round(SteadyTime now);
    void flush_round();  // sends the round's notification once the fleet is idle
    void notify_operators(const std::string& text);
    std::size_t hosts_needing_ssh() const;
    std::size_t parallelism() const;

    // PassSink
    void log(plugin_api::LogLevel level, const std::string& message) const noexcept override;
    void notify_now(const std::string& text) override { notify_operators(text); }
    void update_host(std::size_t index, const std::function<void(HostStatus&)>& change) override;
    bool pressure_unresolved(std::size_t index) const override;

    template <typename Update>
    void update_status(Update&& update) {
        std::lock_guard lk(status_mutex_);
        ++status_generation_;
        update(status_);
    }
    // A text rendered from the status, and the status generation it was rendered from.
    struct RenderedText {
        std::uint64_t generation = ~std::uint64_t{0};
        std::string text;
    };
    std::string rendered_status() const;  // the status JSON, rendered once per change
    std::string render_once(RenderedText& cache, std::string (*render)(const PrunerStatus&)) const;

    const PrunerConfig config_;
    const PruneUnits units_;  // ssh options and argv, built once per host
    plugin_api::ILogger& logger_;
    plugin_api::INotifier& notifier_;
    const PrunerTaskOptions options_;
    const PassContext pass_context_;

    // Lock order: lifecycle_mutex_ -> fleet_mutex_ -> status_mutex_.
    std::mutex lifecycle_mutex_;  // start()/stop(): the workers and the cancel token's reset
    std::mutex fleet_mutex_;      // slots_, round_, generation_
    std::vector<Slot> slots_;
    std::vector<ReclaimNotice> round_;  // reclaims over the threshold since the fleet was idle
    std::uint64_t generation_ = 0;      // bumped when a host finishes: wakes waiting workers
    std::condition_variable_any changed_;
    CancelToken cancel_;  // stop(): kills every in-flight ssh; while set, ticks do nothing
    std::vector<std::jthread> workers_;

    mutable std::mutex status_mutex_;
    PrunerStatus status_;
    // Every change bumps the generation; status() and metrics_text() keep the text of the last
    // one they rendered, so a fleet's 1 MB status is serialised once per change, not once per
    // GET /queue or scrape.
    std::uint64_t status_generation_ = 0;
    mutable RenderedText rendered_status_;   // guarded by status_mutex_
    mutable RenderedText rendered_metrics_;  // guarded by status_mutex_
};

}  // namespace orch::pruner
