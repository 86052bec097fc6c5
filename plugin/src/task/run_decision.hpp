#pragma once
// What one due tick means once it has ended: the status change, the log lines and the
// notification to hand over (if any). Pure: no threads, clocks or processes; tested as a table.
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "orch/plugin_api/host_services.hpp"
#include "runner/process_runner.hpp"
#include "task/prune_outcome.hpp"
#include "task/pruner_status.hpp"

namespace orch::pruner {

struct RunTimes {
    double started_ts = 0.0;            // unix seconds when the tick began
    std::optional<double> next_run_ts;  // interval_s after the run ended
};

struct LogLine {
    plugin_api::LogLevel level;
    std::string text;
};

struct RunDecision {
    enum class Kind { kNoTarget, kInvalidTarget, kRan };
    Kind kind = Kind::kNoTarget;
    RunTimes times;
    std::string error;     // kNoTarget / kInvalidTarget: what status and the log say
    PruneOutcome outcome;  // kRan
    std::optional<int> exit_code;
    bool timed_out = false;  // kRan: ssh hit timeout_s (a failure, counted apart as well)
    long long duration_ms = 0;
    std::vector<LogLine> logs;
    std::optional<std::string> notification;  // valid UTF-8; handed to the notifier when set

    // The host's status change: counters, last_* fields, next_run_ts, in_flight cleared.
    void apply(HostStatus& s) const;
};

// A due tick without a valid target: `target_error` set means the configured one is invalid.
RunDecision decide_without_target(const std::optional<std::string>& target_error,
                                  const RunTimes& times);

// A due tick that ran ssh against `ssh_target`. `what` names a prune other than the age prune
// in the log and the notification (e.g. "pressure: keep-storage=1000000"); empty: the age prune.
RunDecision decide_after_run(const PrunerConfig& config, const std::string& ssh_target,
                             const RunResult& run, const RunTimes& times,
                             const std::string& what = {});

// The start message: the configuration in force and the target ("none", or "<n> hosts").
std::string started_text(const PrunerConfig& config, const std::string& target);

}  // namespace orch::pruner
