// Issue 8: what the outside world (remote stderr/stdout, the environment) can make the task
// show, and the safety switch. Each test here failed before its fix.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <string>

#include <boost/json/parse.hpp>

#include "core/text.hpp"
#include "support/process_probe.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using std::chrono::seconds;

// status() is JSON that a strict parser accepts (Boost.JSON rejects invalid UTF-8) and every
// byte of it is valid UTF-8.
void expect_valid_json_in_utf8(const std::string& status) {
    boost::system::error_code error;
    const auto parsed = boost::json::parse(status, error);
    EXPECT_FALSE(error) << error.message() << ": " << status;
    EXPECT_EQ(pruner::to_valid_utf8(status), status);
    EXPECT_TRUE(parsed.is_object()) << status;
}

TEST_F(TaskTest, Latin1StderrReachesStatusAsValidUtf8) {
    fake_ssh("printf 'Ger\\344t nicht gefunden\\n' >&2; exit 1");
    auto task = make(config_with_target());
    task->tick();
    const std::string status = task->status();
    expect_valid_json_in_utf8(status);
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_error").as_string(), "rc=1: Ger\xEF\xBF\xBDt nicht gefunden");
    for (const auto& line : logger.lines()) {
        EXPECT_EQ(pruner::to_valid_utf8(line), line);
    }
}

TEST_F(TaskTest, AMultiByteCharacterAtByte200IsKeptWholeOrNotAtAll) {
    // 199 ASCII bytes, then U+20AC (3 bytes: E2 82 AC) straddling bytes 200..202.
    fake_ssh("printf '%0199d\\342\\202\\254 and more\\n' 0 >&2; exit 1");
    auto task = make(config_with_target());
    task->tick();
    expect_valid_json_in_utf8(task->status());
    const std::string error(status_of(*task).at("last_error").as_string());
    EXPECT_EQ(error, "rc=1: " + std::string(199, '0') + "\xE2\x82\xAC");  // 200 characters
}

TEST_F(TaskTest, InvalidBytesInTheSshPathReachStatusAsValidUtf8) {
    auto task = [&] {
        pruner::PrunerTaskOptions options;
        options.ssh_executable = (dir / "no\xE4-such-ssh").string();
        options.clock = clock;
        return std::make_unique<pruner::PrunerTask>(
            pruner::ResolvedConfig{config_with_target(), {}, std::nullopt}, logger, notifier,
            options);
    }();
    task->tick();
    expect_valid_json_in_utf8(task->status());
    EXPECT_NE(std::string(status_of(*task).at("last_error").as_string()).find("\xEF\xBF\xBD"),
              std::string::npos);
}

// Issue 8 item 10: three runs of the largest size docker can print saturate the total.
TEST_F(TaskTest, ReclaimedBytesTotalSaturatesInsteadOfWrapping) {
    fake_ssh("echo 'Total reclaimed space: 99999999999YB'");
    auto task = make(config_with_target());
    for (int run = 0; run < 3; ++run) {
        task->tick();
        clock->advance(seconds(3600));
    }
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("successes_total").to_number<std::uint64_t>(), 3U);
    EXPECT_EQ(s.at("reclaimed_bytes_total").to_number<std::uint64_t>(),
              std::numeric_limits<std::uint64_t>::max());
}

// Issue 8 item 4: an unreadable kill switch, read the way the plugin reads it, never prunes and
// never starts the schedule thread; status says why.
TEST_F(TaskTest, GarbageKillSwitchNeverRunsSsh) {
    fake_ssh("echo 'Total reclaimed space: 1kB'");
    pruner::PrunerTaskOptions options;
    options.ssh_executable = (dir / "ssh").string();
    options.clock = clock;
    const pruner::ResolvedConfig resolved = pruner::resolve_config(
        boost::json::object{},
        {{"ORCH_BUILD_CACHE_PRUNE_ENABLED", "garbage"}, {"ORCH_DEPLOY_SSH_HOST", "build-host"}});
    pruner::PrunerTask task(resolved, logger, notifier, options);
    const int threads_before = thread_count(pruner::kScheduleThreadName);
    task.start();
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, threads_before), threads_before);
    task.tick();
    clock->advance(seconds(100'000));
    task.tick();
    EXPECT_FALSE(ssh_ran());
    const auto s = status_of(task);
    EXPECT_FALSE(s.at("enabled").as_bool());
    EXPECT_EQ(s.at("state").as_string(), "disabled");
    EXPECT_NE(std::string(s.at("config_error").as_string())
                  .find("environment ORCH_BUILD_CACHE_PRUNE_ENABLED: invalid value \"garbage\""),
              std::string::npos)
        << s;
    EXPECT_TRUE(logger.contains("the task is disabled until this is fixed"));
    task.stop();
}

// Issue 8 item 12: notify_min_gb is GiB, last_reclaimed the original's "x.xx GB" label, docker's
// own form in last_reclaimed_human.
TEST_F(TaskTest, NotifyThresholdIsGibAndLabelsAreTheOriginals) {
    fake_ssh("echo 'Total reclaimed space: 1GB'");  // 10^9 bytes = 0.93 GiB
    auto config = config_with_target();
    config.notify_min_gb = 1;
    auto task = make(config);
    task->tick();
    EXPECT_TRUE(notifier.messages().empty()) << "1GB is less than 1 GiB";
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_reclaimed").as_string(), "0.93 GB");
    EXPECT_EQ(s.at("last_reclaimed_human").as_string(), "1GB");
}

TEST_F(TaskTest, NotifiesAtOneGibWithBothForms) {
    fake_ssh("echo 'Total reclaimed space: 1.2GB'");  // 1.12 GiB
    auto config = config_with_target();
    config.notify_min_gb = 1;
    auto task = make(config);
    task->tick();
    ASSERT_EQ(notifier.messages().size(), 1U);
    EXPECT_NE(notifier.messages()[0].find("1.12 GB (1.2GB)"), std::string::npos)
        << notifier.messages()[0];
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_reclaimed").as_string(), "1.12 GB");
    EXPECT_EQ(s.at("last_reclaimed_human").as_string(), "1.2GB");
    EXPECT_EQ(s.at("notifications_total").to_number<std::uint64_t>(), 1U);
}

TEST_F(TaskTest, ZeroReclaimedIsLabelledAndUnknownIsNull) {
    fake_ssh("echo 'Total reclaimed space: 0B'");
    auto task = make(config_with_target());
    task->tick();
    EXPECT_EQ(status_of(*task).at("last_reclaimed").as_string(), "0.00 GB");
    EXPECT_EQ(status_of(*task).at("last_reclaimed_human").as_string(), "0B");
    fake_ssh("echo 'no summary'");
    clock->advance(seconds(3600));
    task->tick();
    EXPECT_TRUE(status_of(*task).at("last_reclaimed").is_null());
    EXPECT_TRUE(status_of(*task).at("last_reclaimed_human").is_null());
}

// Issue 8 item 13: an env file's `ORCH_DEPLOY_SSH_HOST="h1 "` prunes h1, with a warning.
TEST_F(TaskTest, HostWithSurroundingWhitespaceIsStrippedAndUsed) {
    fake_ssh("echo 'Total reclaimed space: 1kB'");
    pruner::PrunerTaskOptions options;
    options.ssh_executable = (dir / "ssh").string();
    options.clock = clock;
    pruner::PrunerTask task(
        pruner::resolve_config(boost::json::object{},
                               {{"ORCH_DEPLOY_SSH_HOST", "h1 "}, {"ORCH_DEPLOY_SSH_USER", " u"}}),
        logger, notifier, options);
    task.tick();
    ASSERT_TRUE(ssh_ran());
    EXPECT_NE(read_file(dir / "argv").find("--\nu@h1\n"), std::string::npos)
        << read_file(dir / "argv");
    const auto s = status_of(task);
    EXPECT_TRUE(s.at("config_error").is_null());
    EXPECT_EQ(s.at("config_warnings").as_array().size(), 2U);
}

}  // namespace
}  // namespace orch::test
