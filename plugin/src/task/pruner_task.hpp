#pragma once
// The build-cache pruner as an IBackgroundTask: one schedule thread per instance, one prune at a
// time, a status snapshot that never waits for a prune, and a stop() that cancels ssh.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>

#include "core/cache_preview.hpp"
#include "core/config.hpp"
#include "core/prune_target.hpp"
#include "core/space_schedule.hpp"
#include "orch/plugin_api/background_task.hpp"
#include "orch/plugin_api/metrics.hpp"
#include "runner/cancel_token.hpp"
#include "task/clock.hpp"
#include "task/pruner_status.hpp"

namespace orch::pruner {

// The schedule thread's name, as ps/top and /proc/<pid>/task/*/comm show it (<= 15 chars).
inline constexpr const char* kScheduleThreadName = "cache-pruner";

struct PrunerTaskOptions {
    // Looked up on PATH unless it holds a '/'. Tests point it at a fake ssh script.
    std::string ssh_executable = "ssh";
    std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
};

class PrunerTask final : public plugin_api::IBackgroundTask, public plugin_api::IMetricsSource {
  public:
    PrunerTask(ResolvedConfig resolved, plugin_api::ILogger& logger,
               plugin_api::INotifier& notifier, PrunerTaskOptions options = {});
    ~PrunerTask() override;
    PrunerTask(const PrunerTask&) = delete;
    PrunerTask& operator=(const PrunerTask&) = delete;

    void start() override;
    void stop() noexcept override;
    void tick() noexcept override;
    std::string status() const noexcept override;
    // API 1.1 (orch_metrics): a snapshot taken under the status lock, rendered outside it, so a
    // scrape never waits for a prune. Labels: host = the ssh target, or "none" without a valid
    // one (prune_metrics.hpp).
    std::string metrics_text() const override;

    PrunerStatus snapshot() const;

  private:
    void run_schedule(std::stop_token stop);
    // With run_mutex_ held:
    void run_if_due();  // one pass: the probe when due, then the pressure or the age prune
    std::optional<SpaceDecision> probe();  // nullopt: no target, or the probe failed
    void prune();                          // the age prune (trigger "schedule")
    void pressure_prune(PruneTrigger trigger, std::uint64_t keep_bytes);
    // Runs `argv` (argv[0] replaced by the ssh executable) as a prune and records it; `what`
    // empty: it is the age prune, whose end starts its next interval; else it names the prune.
    void run_prune(std::vector<std::string> argv, const std::string& command_text,
                   const std::string& what = {});
    void preview(const PreviewRequest& request, const std::string& what);  // dry run
    double end_run(bool age = true);  // records that a run ended now; returns the next one's time
    PassClock pass_clock() const;
    PassIntervals pass_intervals() const;
    void notify_operators(const std::string& text);
    void log(plugin_api::LogLevel level, const std::string& message) const noexcept;
    template <typename Update>
    void update_status(Update&& update);
    std::chrono::steady_clock::duration time_until_due() const;

    const PrunerConfig config_;
    const PruneTargetChoice target_;  // ssh options and argv, built once
    plugin_api::ILogger& logger_;
    plugin_api::INotifier& notifier_;
    const PrunerTaskOptions options_;

    // Lock order: lifecycle_mutex_ -> run_mutex_ -> status_mutex_.
    std::mutex lifecycle_mutex_;  // start()/stop(): the thread and the cancel token's reset
    std::mutex run_mutex_;        // one prune or probe at a time; guards last_*_end_
    // When the previous run (successful or not) ended: the next is due interval_s later.
    std::optional<std::chrono::steady_clock::time_point> last_run_end_;
    // When the previous space probe ended (issue 10; guarded by run_mutex_ too).
    std::optional<std::chrono::steady_clock::time_point> last_probe_end_;
    std::condition_variable_any wake_;  // the schedule's rest, with run_mutex_ released
    CancelToken cancel_;  // stop(): kills an in-flight ssh; while set, ticks do nothing
    std::jthread thread_;

    mutable std::mutex status_mutex_;
    PrunerStatus status_;
};

}  // namespace orch::pruner
