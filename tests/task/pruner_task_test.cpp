// One tick at a time, driven by the test with a manual clock: what a tick runs and records.
#include <gtest/gtest.h>

#include "support/event_wait.hpp"
#include "support/temp_dir.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using std::chrono::seconds;

constexpr const char* kLegacyOutput =
    "echo 'Deleted build cache objects:'; echo 'k3j2h4'; echo; echo 'Total reclaimed space: 30MB'";

TEST_F(TaskTest, NoTargetIsANoOpTickThatSaysSoInStatus) {
    fake_ssh("exit 0");
    auto task = make(pruner::PrunerConfig{});
    task->tick();
    EXPECT_FALSE(ssh_ran());
    const auto s = status_of(*task);
    EXPECT_NE(std::string(s.at("last_error").as_string()).find("no ssh host configured"),
              std::string::npos);
    EXPECT_FALSE(s.at("last_run_ts").is_null());
    EXPECT_EQ(s.at("noop_ticks_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("runs_total").to_number<std::uint64_t>(), 0u);
    EXPECT_EQ(s.at("failures_total").to_number<std::uint64_t>(), 0u);
}

TEST_F(TaskTest, SuccessfulPruneRecordsReclaimedBytes) {
    fake_ssh(kLegacyOutput);
    auto task = make(config_with_target());
    task->tick();
    const auto s = status_of(*task);
    EXPECT_TRUE(s.at("last_error").is_null()) << s;
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 30'000'000u);
    EXPECT_EQ(s.at("last_reclaimed").as_string(), "0.03 GB");
    EXPECT_EQ(s.at("last_reclaimed_human").as_string(), "30MB");
    EXPECT_EQ(s.at("runs_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("successes_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("last_exit_code").as_int64(), 0);
    EXPECT_FALSE(s.at("in_flight").as_bool());
    EXPECT_DOUBLE_EQ(s.at("last_run_ts").as_double(), 1'800'001'000.0);
    EXPECT_TRUE(logger.contains("reclaimed 30MB (0.03 GB)"));
}

TEST_F(TaskTest, RunsExactlyTheBuilderPruneCommandOverSsh) {
    fake_ssh(kLegacyOutput);
    auto config = config_with_target();
    config.until = "168h";
    config.all = true;
    config.ssh_port = 2222;
    auto task = make(config);
    task->tick();
    const std::string argv = read_file(dir / "argv");
    EXPECT_NE(argv.find("BatchMode=yes\n"), std::string::npos) << argv;
    EXPECT_NE(argv.find("StrictHostKeyChecking=accept-new\n"), std::string::npos) << argv;
    EXPECT_NE(argv.find("-p\n2222\n"), std::string::npos) << argv;
    EXPECT_NE(argv.find("--\ndeploy@build-host\ndocker builder prune -f -a --filter "),
              std::string::npos)
        << argv;
    EXPECT_NE(argv.find("until=168h"), std::string::npos) << argv;
    EXPECT_EQ(argv.find("StrictHostKeyChecking=no"), std::string::npos);
    for (const char* forbidden : {"image", "system", "container", "restart", " rm"}) {
        EXPECT_EQ(argv.find(forbidden), std::string::npos) << forbidden;
    }
    EXPECT_NE(std::string(status_of(*task).at("command").as_string()).find("docker builder prune"),
              std::string::npos);
}

TEST_F(TaskTest, FailureRecordsRcAndStderrAndKeepsTheLastReclaimed) {
    fake_ssh(kLegacyOutput);
    auto task = make(config_with_target());
    task->tick();
    fake_ssh("echo 'Error response from daemon: failed to prune build cache' >&2; exit 1");
    clock->advance(seconds(3600));
    task->tick();
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_error").as_string(),
              "rc=1: Error response from daemon: failed to prune build cache");
    EXPECT_EQ(s.at("last_exit_code").as_int64(), 1);
    EXPECT_EQ(s.at("failures_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("successes_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 30'000'000u);
    EXPECT_TRUE(logger.contains("prune failed: rc=1"));
}

TEST_F(TaskTest, SuccessAfterFailureClearsTheError) {
    fake_ssh("echo boom >&2; exit 3");
    auto task = make(config_with_target());
    task->tick();
    EXPECT_FALSE(status_of(*task).at("last_error").is_null());
    fake_ssh(kLegacyOutput);
    clock->advance(seconds(3600));
    task->tick();
    EXPECT_TRUE(status_of(*task).at("last_error").is_null());
}

TEST_F(TaskTest, TimeoutKillsSshAndIsRecorded) {
    fake_ssh("exec sleep 300");
    auto config = config_with_target();
    config.timeout_s = 1;
    auto task = make(config);
    task->tick();
    const auto s = status_of(*task);
    EXPECT_EQ(std::string(s.at("last_error").as_string()).rfind("timeout after 1s", 0), 0u) << s;
    EXPECT_TRUE(s.at("last_exit_code").is_null());
    EXPECT_FALSE(s.at("in_flight").as_bool());
}

TEST_F(TaskTest, MissingSshIsRecorded) {
    auto task = make(config_with_target());  // no script written: the executable is missing
    task->tick();
    const std::string error(status_of(*task).at("last_error").as_string());
    EXPECT_EQ(error.rfind("ssh could not be started", 0), 0u) << error;
}

TEST_F(TaskTest, AntiFrequencyWindowSkipsTicksUntilTheIntervalElapsed) {
    fake_ssh(kLegacyOutput);
    auto task = make(config_with_target());
    task->tick();
    task->tick();
    clock->advance(seconds(3599));
    task->tick();
    EXPECT_EQ(status_of(*task).at("runs_total").to_number<std::uint64_t>(), 1u);
    clock->advance(seconds(1));
    task->tick();
    EXPECT_EQ(status_of(*task).at("runs_total").to_number<std::uint64_t>(), 2u);
}

TEST_F(TaskTest, FailedAttemptsAlsoWaitAFullInterval) {
    fake_ssh("exit 1");
    auto task = make(config_with_target());
    task->tick();
    clock->advance(seconds(10));
    task->tick();
    EXPECT_EQ(status_of(*task).at("runs_total").to_number<std::uint64_t>(), 1u);
}

TEST_F(TaskTest, KillSwitchMeansNoStartAndNoPrune) {
    fake_ssh(kLegacyOutput);
    auto config = config_with_target();
    config.enabled = false;
    auto task = make(config);
    const int threads_before = thread_count(pruner::kScheduleThreadName);
    task->start();
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, threads_before), threads_before);
    task->tick();
    EXPECT_FALSE(ssh_ran());
    const auto s = status_of(*task);
    EXPECT_FALSE(s.at("enabled").as_bool());
    EXPECT_EQ(s.at("state").as_string(), "disabled");
    EXPECT_TRUE(s.at("last_run_ts").is_null());
    EXPECT_TRUE(logger.contains("kill-switch"));
}

TEST_F(TaskTest, InvalidTargetIsAConfigErrorAndSshNeverRuns) {
    fake_ssh(kLegacyOutput);
    auto config = config_with_target();
    config.ssh_host = "-oProxyCommand=touch /tmp/pwned";
    auto task = make(config);
    task->tick();
    EXPECT_FALSE(ssh_ran());
    const auto s = status_of(*task);
    EXPECT_FALSE(s.at("config_error").is_null());
    EXPECT_NE(std::string(s.at("last_error").as_string()).find("deploy_ssh_host"),
              std::string::npos)
        << s;
    EXPECT_TRUE(s.at("command").is_null());
    EXPECT_EQ(s.at("failures_total").to_number<std::uint64_t>(), 1u);
}

TEST_F(TaskTest, ConfigWarningsAreLoggedAndShown) {
    auto task = make(config_with_target(), {"environment ORCH_X: bad"});
    EXPECT_TRUE(logger.contains("environment ORCH_X: bad"));
    EXPECT_EQ(status_of(*task).at("config_warnings").as_array().size(), 1u);
}

TEST_F(TaskTest, NotifiesAtOrAboveTheThreshold) {
    fake_ssh(kLegacyOutput);  // 30 MB = 0.0279 GiB
    auto config = config_with_target();
    config.notify_min_gb = 0.027;
    auto task = make(config);
    task->tick();
    ASSERT_EQ(notifier.messages().size(), 1u);
    EXPECT_NE(notifier.messages()[0].find("0.03 GB (30MB)"), std::string::npos);
    EXPECT_EQ(status_of(*task).at("notifications_total").to_number<std::uint64_t>(), 1u);
}

TEST_F(TaskTest, DoesNotNotifyBelowTheThresholdOrWhenOff) {
    fake_ssh(kLegacyOutput);
    auto config = config_with_target();
    config.notify_min_gb = 0.028;  // 30 MB is 0.0279 GiB
    auto task = make(config);
    task->tick();
    config.notify_min_gb = 0.0;
    auto silent = make(config);
    silent->tick();
    EXPECT_TRUE(notifier.messages().empty());
}

TEST_F(TaskTest, AThrowingNotifierIsLoggedAndSwallowed) {
    fake_ssh(kLegacyOutput);
    auto config = config_with_target();
    config.notify_min_gb = 0.01;
    notifier.throw_on_notify = true;
    auto task = make(config);
    task->tick();
    const auto s = status_of(*task);
    EXPECT_TRUE(s.at("last_error").is_null());
    EXPECT_NE(std::string(s.at("last_notify_error").as_string()).find("notifier exploded"),
              std::string::npos);
    EXPECT_TRUE(logger.contains("notifier failed: notifier exploded"));
    clock->advance(seconds(3600));
    notifier.throw_on_notify = false;
    task->tick();
    EXPECT_EQ(notifier.messages().size(), 1u);
}

TEST_F(TaskTest, UnparseableOutputIsSuccessWithUnknownSize) {
    fake_ssh("echo 'some other output'");
    auto task = make(config_with_target());
    task->tick();
    const auto s = status_of(*task);
    EXPECT_TRUE(s.at("last_error").is_null());
    EXPECT_TRUE(s.at("last_reclaimed_bytes").is_null());
    EXPECT_FALSE(s.at("last_note").is_null());
}

}  // namespace
}  // namespace orch::test
