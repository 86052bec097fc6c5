#pragma once
// The build-cache pruner as an IBackgroundTask: one schedule thread per instance, one prune at a
// time, a status snapshot that never waits for a prune, and a stop() that cancels ssh.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/config.hpp"
#include "core/prune_command.hpp"
#include "orch/plugin_api/background_task.hpp"
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

class PrunerTask final : public plugin_api::IBackgroundTask {
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

    PrunerStatus snapshot() const;

  private:
    void run_schedule();
    void tick_once();
    // Records that the run ended now (the schedule rests from here); returns next_run_ts.
    std::optional<double> end_run();
    void prune();
    void notify_operators(std::uint64_t reclaimed_bytes);
    void log(plugin_api::LogLevel level, const std::string& message) const noexcept;
    template <typename Update>
    void update_status(Update&& update);
    std::chrono::seconds interval() const;
    std::optional<double> wall_time_of(std::chrono::steady_clock::time_point t) const;

    const PrunerConfig config_;
    std::optional<std::string> target_error_;  // an invalid ssh target: ssh is never run
    std::optional<SshOptions> ssh_;            // set when a valid target is configured
    std::string command_text_;                 // the argv for logs, when ssh_ is set
    plugin_api::ILogger& logger_;
    plugin_api::INotifier& notifier_;
    const PrunerTaskOptions options_;

    // Lock order: lifecycle_mutex_ -> run_mutex_ -> schedule_mutex_ -> status_mutex_.
    std::mutex lifecycle_mutex_;  // start()/stop()
    std::mutex run_mutex_;        // one prune at a time; guards last_run_end_
    // When the previous run (successful or not) ended: the next is due interval_s later.
    std::optional<std::chrono::steady_clock::time_point> last_run_end_;
    std::mutex schedule_mutex_;  // guards stop_requested_ for the schedule wait
    std::condition_variable wake_;
    bool stop_requested_ = false;
    CancelToken cancel_;
    std::thread thread_;

    mutable std::mutex status_mutex_;
    PrunerStatus status_;
};

}  // namespace orch::pruner
