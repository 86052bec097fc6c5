// decide_after_run / decide_without_target as a table: configuration, run result and times in;
// the status change, the log lines and the notification out. No threads, clocks or processes.
#include "task/run_decision.hpp"

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

using plugin_api::LogLevel;

RunResult exited(int code, std::string out, std::string err = "") {
    RunResult r;
    r.outcome = RunOutcome::kExited;
    r.exit_code = code;
    r.duration = std::chrono::milliseconds(42);
    r.out.head = std::move(out);
    r.out.total_bytes = r.out.head.size();
    r.err.head = std::move(err);
    r.err.total_bytes = r.err.head.size();
    return r;
}

RunResult ended(RunOutcome outcome) {
    RunResult r;
    r.outcome = outcome;
    r.error = "ssh was killed by signal 9";
    return r;
}

PrunerConfig config(double notify_min_gb) {
    PrunerConfig c;
    c.until = "24h";
    c.timeout_s = 600;
    c.notify_min_gb = notify_min_gb;
    return c;
}

struct Row {
    const char* name;
    double notify_min_gb;
    RunResult run;
    bool success;
    std::optional<std::uint64_t> reclaimed;
    std::optional<int> exit_code;
    std::optional<std::string> last_reclaimed;
    bool notifies;
    LogLevel first_log;
};

TEST(RunDecision, AfterARunTable) {
    const std::string summary = "Total reclaimed space: 2.5GB\n";
    const Row rows[] = {
        {"success, above the threshold", 2.0, exited(0, summary), true, 2'500'000'000u, 0,
         "2.33 GB", true, LogLevel::kInfo},
        {"success, below the threshold", 3.0, exited(0, summary), true, 2'500'000'000u, 0,
         "2.33 GB", false, LogLevel::kInfo},
        {"success, threshold off", 0.0, exited(0, summary), true, 2'500'000'000u, 0, "2.33 GB",
         false, LogLevel::kInfo},
        {"success, no summary", 0.001, exited(0, "nothing\n"), true, std::nullopt, 0, std::nullopt,
         false, LogLevel::kInfo},
        {"docker failed", 0.001, exited(1, "", "boom"), false, std::nullopt, 1, std::nullopt, false,
         LogLevel::kWarning},
        {"timed out", 0.001, ended(RunOutcome::kTimedOut), false, std::nullopt, std::nullopt,
         std::nullopt, false, LogLevel::kWarning},
        {"cancelled", 0.001, ended(RunOutcome::kCancelled), false, std::nullopt, std::nullopt,
         std::nullopt, false, LogLevel::kWarning},
        {"signalled", 0.001, ended(RunOutcome::kSignalled), false, std::nullopt, std::nullopt,
         std::nullopt, false, LogLevel::kWarning},
    };
    for (const Row& row : rows) {
        SCOPED_TRACE(row.name);
        const RunDecision d =
            decide_after_run(config(row.notify_min_gb), "ops@build1", row.run, {100.0, 700.0});
        HostStatus s;
        s.in_flight = true;
        s.in_flight_since_ts = 100.0;
        s.reclaimed_bytes_total = 1;
        d.apply(s);
        EXPECT_FALSE(s.in_flight);
        EXPECT_FALSE(s.in_flight_since_ts);
        EXPECT_EQ(s.last_run_ts, 100.0);
        EXPECT_EQ(s.next_run_ts, 700.0);
        EXPECT_EQ(s.runs_total, 1u);
        EXPECT_EQ(s.successes_total, row.success ? 1u : 0u);
        EXPECT_EQ(s.failures_total, row.success ? 0u : 1u);
        // Only a timeout is a timeout; it is one of the failures, not beside them.
        EXPECT_EQ(s.timeouts_total, row.run.outcome == RunOutcome::kTimedOut ? 1u : 0u);
        EXPECT_EQ(s.run_durations.count, 1u);
        EXPECT_DOUBLE_EQ(s.run_durations.sum_seconds,
                         static_cast<double>(row.run.duration.count()) / 1000.0);
        EXPECT_EQ(s.last_error.has_value(), !row.success);
        EXPECT_EQ(s.last_success_ts, row.success ? std::optional(100.0) : std::nullopt);
        EXPECT_EQ(s.last_exit_code, row.exit_code);
        EXPECT_EQ(s.last_reclaimed_bytes, row.reclaimed);
        EXPECT_EQ(s.last_reclaimed, row.last_reclaimed);
        EXPECT_EQ(s.reclaimed_bytes_total, 1 + row.reclaimed.value_or(0));
        EXPECT_EQ(s.last_note.has_value(), row.success && !row.reclaimed);
        EXPECT_EQ(d.notification.has_value(), row.notifies);
        if (d.notification) {
            EXPECT_NE(d.notification->find("2.33 GB (2.5GB) of docker build cache on ops@build1"),
                      std::string::npos)
                << *d.notification;
        }
        ASSERT_FALSE(d.logs.empty());
        EXPECT_EQ(d.logs.front().level, row.first_log);
    }
}

TEST(RunDecision, ADueTickWithoutATarget) {
    struct TargetRow {
        std::optional<std::string> error;
        std::uint64_t failures, noops;
        LogLevel level;
        std::string text;
    } rows[] = {
        {std::nullopt, 0, 1, LogLevel::kInfo, "no ssh host configured"},
        {std::string("deploy_ssh_host: bad"), 1, 0, LogLevel::kError,
         "ssh not run: invalid config: deploy_ssh_host: bad"},
    };
    for (const auto& row : rows) {
        const RunDecision d = decide_without_target(row.error, {5.0, 65.0});
        HostStatus s;
        d.apply(s);
        EXPECT_EQ(s.failures_total, row.failures);
        EXPECT_EQ(s.noop_ticks_total, row.noops);
        EXPECT_EQ(s.runs_total, 0u);
        EXPECT_EQ(s.last_run_ts, 5.0);
        EXPECT_EQ(s.next_run_ts, 65.0);
        ASSERT_TRUE(s.last_error);
        EXPECT_EQ(s.last_error->rfind(row.text, 0), 0u) << *s.last_error;
        ASSERT_EQ(d.logs.size(), 1u);
        EXPECT_EQ(d.logs[0].level, row.level);
        EXPECT_FALSE(d.notification);
    }
}

}  // namespace
}  // namespace orch::pruner
