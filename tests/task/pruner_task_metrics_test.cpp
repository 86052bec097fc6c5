// The task's metrics_text() (API 1.1) after real runs of a fake ssh: success, failure, timeout
// and no-target ticks, each counted under its result, the durations observed, the counters
// agreeing with the status JSON, and every page accepted by the real `promtool check metrics`.
#include <string>

#include "support/promtool.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using std::chrono::seconds;

constexpr const char* kPrunedOutput =
    "echo 'Deleted build cache objects:'; echo 'k3j2h4'; echo; echo 'Total reclaimed space: 30MB'";

bool has_line(const std::string& page, const std::string& line) {
    return ("\n" + page).find("\n" + line + "\n") != std::string::npos;
}

void expect_promtool_clean(const std::string& page) {
    const PromtoolResult r = promtool_check_metrics(page);
    EXPECT_EQ(r.exit_code, 0) << r.output << "\n--- page ---\n" << page;
}

std::string runs(const std::string& host, const std::string& result, int count) {
    return "build_cache_prune_runs_total{host=\"" + host + "\",result=\"" + result + "\"} " +
           std::to_string(count);
}

TEST_F(TaskTest, MetricsCountSuccessFailureAndTimeoutApartAndAgreeWithStatus) {
    auto config = config_with_target();
    config.timeout_s = 1;
    auto task = make(config);
    const std::string host = "deploy@build-host";

    std::string page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_TRUE(has_line(page, runs(host, "success", 0))) << page;
    EXPECT_TRUE(has_line(page, "build_cache_prune_in_flight{host=\"" + host + "\"} 0")) << page;

    fake_ssh(kPrunedOutput);
    task->tick();
    page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_TRUE(has_line(page, runs(host, "success", 1))) << page;
    EXPECT_TRUE(
        has_line(page, "build_cache_prune_reclaimed_bytes_total{host=\"" + host + "\"} 30000000"))
        << page;
    EXPECT_TRUE(has_line(
        page, "build_cache_prune_last_success_timestamp_seconds{host=\"" + host + "\"} 1800001000"))
        << page;

    clock->advance(seconds(3600));
    fake_ssh("echo 'permission denied' >&2; exit 1");
    task->tick();
    page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_TRUE(has_line(page, runs(host, "failure", 1))) << page;
    EXPECT_TRUE(has_line(page, runs(host, "timeout", 0))) << page;

    clock->advance(seconds(3600));
    fake_ssh("exec sleep 300");
    task->tick();
    page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_TRUE(has_line(page, runs(host, "success", 1))) << page;
    EXPECT_TRUE(has_line(page, runs(host, "failure", 1))) << page;
    EXPECT_TRUE(has_line(page, runs(host, "timeout", 1))) << page;
    EXPECT_TRUE(has_line(page, runs(host, "noop", 0))) << page;
    // Three runs observed; the timeout took at least its 1 s limit, so the first bucket (le=1)
    // holds at most the two quick ones.
    EXPECT_TRUE(
        has_line(page, "build_cache_prune_run_duration_seconds_count{host=\"" + host + "\"} 3"))
        << page;
    EXPECT_TRUE(has_line(
        page, "build_cache_prune_run_duration_seconds_bucket{host=\"" + host + "\",le=\"+Inf\"} 3"))
        << page;

    // /queue's failures_total is failure + timeout; timeouts_total is the timeout share.
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("failures_total").to_number<std::uint64_t>(), 2U);
    EXPECT_EQ(s.at("timeouts_total").to_number<std::uint64_t>(), 1U);
    EXPECT_EQ(s.at("successes_total").to_number<std::uint64_t>(), 1U);
}

TEST_F(TaskTest, MetricsOfATaskWithoutTargetCountNoopsUnderHostNone) {
    fake_ssh("exit 0");
    auto task = make(pruner::PrunerConfig{});
    task->tick();
    const std::string page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_FALSE(ssh_ran());
    EXPECT_TRUE(has_line(page, runs("none", "noop", 1))) << page;
    EXPECT_TRUE(has_line(page, runs("none", "success", 0))) << page;
    EXPECT_TRUE(has_line(page, "build_cache_prune_run_duration_seconds_count{host=\"none\"} 0"))
        << page;
}

// An invalid host is labelled by its place in the list (FleetHost::key), never by its text.
TEST_F(TaskTest, MetricsOfAnInvalidTargetCountItsTicksAsFailuresUnderItsEntry) {
    fake_ssh("exit 0");
    auto config = config_with_target();
    config.ssh_host = "-oProxyCommand=evil";
    auto task = make(config);
    task->tick();
    const std::string page = task->metrics_text();
    expect_promtool_clean(page);
    EXPECT_FALSE(ssh_ran());
    EXPECT_TRUE(has_line(page, runs("invalid entry 1", "failure", 1))) << page;
    EXPECT_EQ(page.find("evil"), std::string::npos) << page;
}

}  // namespace
}  // namespace orch::test
