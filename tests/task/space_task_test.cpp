// Issue 10 wired into the task: the space probe over a fake ssh (a real process that answers with
// docker 20.10's real output, tests/core/fixtures) and the prunes or previews that follow.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/promtool.hpp"
#include "support/temp_dir.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using pruner::ByteSize;
using std::chrono::seconds;

const std::filesystem::path kCoreFixtures = ORCH_CORE_FIXTURES_DIR;
constexpr const char* kPruneOutput = "Total reclaimed space: 5MB";

class SpaceTaskTest : public TaskTest {
  protected:
    void SetUp() override {
        write_script(
            dir / "ssh",
            "#!/bin/sh\nexec '" +
                (std::filesystem::path(ORCH_TEST_FIXTURES_DIR) / "task" / "space_ssh.sh").string() +
                "' '" + dir.path().string() + "' \"$@\"\n");
        answer("probe", read_file(kCoreFixtures / "probe_docker2010.txt"));
        answer("prune", kPruneOutput);
        answer("preview", read_file(kCoreFixtures / "preview_build_cache_2010.json"));
    }

    void answer(const std::string& kind, const std::string& output, int rc = 0) {
        write_file(dir / (kind + ".out"), output);
        write_file(dir / (kind + ".rc"), std::to_string(rc));
    }

    // The remote commands the fake ssh got, in order.
    std::vector<std::string> remote_commands() const {
        std::vector<std::string> lines;
        if (!std::filesystem::exists(dir / "remote_commands")) {
            return lines;
        }
        std::istringstream in(read_file(dir / "remote_commands"));
        for (std::string line; std::getline(in, line);) {
            lines.push_back(line);
        }
        return lines;
    }

    static bool is_probe(const std::string& command) {
        return command.find("@@root") != std::string::npos;
    }

    // Space checks on, with the issue's defaults (min_free 10%).
    pruner::PrunerConfig space_config() {
        auto c = config_with_target();
        c.min_free = pruner::PrunerConfig{}.min_free;
        return c;
    }
};

// "-f --filter until=24h": the age prune's remote command (prune_command.hpp).
bool is_age_prune(const std::string& command) {
    return command.starts_with("docker builder prune -f") &&
           command.find("until=") != std::string::npos &&
           command.find("--keep-storage") == std::string::npos;
}

TEST_F(SpaceTaskTest, NoProbeAtAllWhenMinFreeIsOffAndThereIsNoMaxCache) {
    auto task = make(config_with_target());  // min_free off, max_cache off
    task->tick();
    const auto commands = remote_commands();
    ASSERT_EQ(commands.size(), 1u);
    EXPECT_TRUE(is_age_prune(commands[0])) << commands[0];
    const auto s = status_of(*task);
    EXPECT_TRUE(s.at("last_probe_ts").is_null());
    EXPECT_TRUE(s.at("disk_free_bytes").is_null());
    EXPECT_EQ(s.at("last_trigger").as_string(), "schedule");
}

TEST_F(SpaceTaskTest, ByDefaultTheTickProbesFirstAndWithRoomToSpareRunsTheAgePrune) {
    auto task = make(space_config());
    task->tick();
    const auto commands = remote_commands();
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_TRUE(is_probe(commands[0])) << commands[0];
    EXPECT_TRUE(is_age_prune(commands[1])) << commands[1];
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("docker_root_dir").as_string(), "/tmp/h10core-dockerd.gohZTo/root");
    EXPECT_EQ(s.at("disk_free_bytes").to_number<std::uint64_t>(), 82403508ull * 1024);
    EXPECT_EQ(s.at("disk_size_bytes").to_number<std::uint64_t>(), 264212084ull * 1024);
    EXPECT_EQ(s.at("build_cache_bytes").to_number<std::uint64_t>(), 5'000'000u);
    EXPECT_EQ(s.at("build_cache_reclaimable_bytes").to_number<std::uint64_t>(), 5'000'000u);
    EXPECT_EQ(s.at("min_free_bytes").to_number<std::uint64_t>(), 264212084ull * 1024 / 10);
    EXPECT_TRUE(s.at("last_probe_error").is_null());
    EXPECT_DOUBLE_EQ(s.at("last_probe_ts").as_double(), 1'800'001'000.0);
    EXPECT_EQ(s.at("last_trigger").as_string(), "schedule");
    EXPECT_EQ(s.at("pressure_prunes_total").to_number<std::uint64_t>(), 0u);
    EXPECT_FALSE(s.at("pressure_unresolved").as_bool());
}

TEST_F(SpaceTaskTest, UnderPressureThePressurePruneRunsAtOnceWithKeepStorageDigitsAndNeverA) {
    auto config = space_config();
    config.min_free = ByteSize::of_bytes(100'000'000'000);  // more than the 84 GB free
    config.all = true;                                      // -a belongs to the age prune only
    auto task = make(config);
    task->tick();
    const auto commands = remote_commands();
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_TRUE(is_probe(commands[0]));
    // The shortfall (~15.6 GB) exceeds the whole 5 MB cache: keep 0.
    EXPECT_EQ(commands[1], "docker builder prune -f --keep-storage 0");
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_trigger").as_string(), "pressure");
    EXPECT_EQ(s.at("pressure_prunes_total").to_number<std::uint64_t>(), 1u);
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 5'000'000u);
    EXPECT_TRUE(logger.contains("pruned build cache (pressure: keep-storage=0): reclaimed 5MB"))
        << logger.all_text();

    // The age prune stayed due: the next pass (no probe due yet) runs it, with -a and until.
    task->tick();
    const auto after = remote_commands();
    ASSERT_EQ(after.size(), 3u);
    EXPECT_TRUE(is_age_prune(after[2])) << after[2];
    EXPECT_NE(after[2].find(" -a "), std::string::npos) << after[2];
}

// Issue 12's disk gauges: the last good probe's figures and the pressure prunes, per host, the
// same numbers as the status; the page passes the real promtool.
TEST_F(SpaceTaskTest, MetricsCarryTheProbesFiguresAndThePressurePrunes) {
    auto config = space_config();
    config.min_free = ByteSize::of_bytes(100'000'000'000);
    auto task = make(config);
    const std::string before = task->metrics_text();
    EXPECT_EQ(before.find("build_cache_prune_filesystem_avail_bytes{"), std::string::npos)
        << "no figure before a probe";
    task->tick();
    const std::string page = task->metrics_text();
    const std::string host = R"({host="deploy@build-host"} )";
    for (const std::string& line :
         {"build_cache_prune_filesystem_avail_bytes" + host + std::to_string(82403508ull * 1024),
          "build_cache_prune_filesystem_size_bytes" + host + std::to_string(264212084ull * 1024),
          "build_cache_prune_build_cache_bytes" + host + "5000000",
          "build_cache_prune_pressure_prunes_total" + host + "1"}) {
        EXPECT_NE(page.find("\n" + line + "\n"), std::string::npos) << line << "\n" << page;
    }
    const test::PromtoolResult checked = test::promtool_check_metrics(page);
    EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n" << page;
}

TEST_F(SpaceTaskTest, OverBudgetThePruneKeepsMaxCache) {
    auto config = config_with_target();  // min_free off
    config.max_cache = ByteSize::of_bytes(1'000'000);
    auto task = make(config);
    task->tick();
    const auto commands = remote_commands();
    ASSERT_EQ(commands.size(), 2u);
    EXPECT_TRUE(is_probe(commands[0]));
    EXPECT_EQ(commands[1], "docker builder prune -f --keep-storage 1000000");
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("last_trigger").as_string(), "budget");
    EXPECT_EQ(s.at("max_cache_bytes").to_number<std::uint64_t>(), 1'000'000u);
}

TEST_F(SpaceTaskTest, AFailedProbeIsRecordedAndNeverBlocksTheAgePrune) {
    struct Case {
        std::string output;
        int rc;
        std::string error_part;
    };
    for (const auto& c : std::vector<Case>{
             {read_file(kCoreFixtures / "probe_no_daemon.txt"), 0, "docker info"},
             {"", 255, "probe: "},
             {"@@root\n/var/lib/docker\n@@rc 0\n@@df\n", 0, "probe"},  // truncated
         }) {
        std::filesystem::remove(dir / "remote_commands");
        answer("probe", c.output, c.rc);
        auto task = make(space_config());
        task->tick();
        const auto commands = remote_commands();
        ASSERT_EQ(commands.size(), 2u) << c.output;
        EXPECT_TRUE(is_age_prune(commands[1])) << commands[1];
        const auto s = status_of(*task);
        ASSERT_TRUE(s.at("last_probe_error").is_string()) << s;
        EXPECT_NE(std::string(s.at("last_probe_error").as_string()).find(c.error_part),
                  std::string::npos)
            << s.at("last_probe_error");
        EXPECT_TRUE(s.at("disk_free_bytes").is_null());
        EXPECT_FALSE(s.at("last_probe_ts").is_null());
        EXPECT_TRUE(s.at("last_error").is_null()) << s;  // the age prune succeeded
        EXPECT_EQ(s.at("last_trigger").as_string(), "schedule");
    }
}

TEST_F(SpaceTaskTest, DryRunNeverRunsAPruneAndReportsWhatItWouldFree) {
    for (const bool pressure : {true, false}) {
        std::filesystem::remove(dir / "remote_commands");
        auto config = space_config();
        config.dry_run = true;
        config.all = true;
        if (pressure) {
            config.min_free = ByteSize::of_bytes(100'000'000'000);
        }
        auto task = make(config);
        task->tick();
        task->tick();
        clock->advance(seconds(3600));
        task->tick();
        const auto commands = remote_commands();
        ASSERT_FALSE(commands.empty());
        for (const auto& command : commands) {
            EXPECT_EQ(command.find("prune"), std::string::npos) << command;
        }
        const auto s = status_of(*task);
        EXPECT_TRUE(s.at("dry_run").as_bool());
        ASSERT_FALSE(s.at("would_reclaim_bytes").is_null()) << s;
        EXPECT_GT(s.at("would_remove_records").to_number<std::uint64_t>(), 0u) << s;
        EXPECT_EQ(s.at("pressure_prunes_total").to_number<std::uint64_t>(), 0u);
        EXPECT_EQ(s.at("runs_total").to_number<std::uint64_t>(), 0u);
        EXPECT_EQ(s.at("last_trigger").as_string(), pressure ? "pressure" : "schedule");
        EXPECT_TRUE(logger.contains("an estimate from docker's rounded sizes"));
    }
}

TEST_F(SpaceTaskTest, PressureUnresolvedNotifiesOnceOnEnteringAndOnceOnLeaving) {
    const std::string empty_cache = read_file(kCoreFixtures / "probe_empty_cache.txt");
    answer("probe", empty_cache);  // 82 GB free, no build cache left
    auto config = space_config();
    config.min_free = ByteSize::of_bytes(100'000'000'000);
    config.interval_s = 86400;
    auto task = make(config);
    for (int check = 0; check < 3; ++check) {
        task->tick();
        clock->advance(seconds(config.check_interval_s));
    }
    EXPECT_TRUE(status_of(*task).at("pressure_unresolved").as_bool());
    ASSERT_EQ(notifier.messages().size(), 1u);
    EXPECT_NE(notifier.messages()[0].find("below min_free"), std::string::npos)
        << notifier.messages()[0];

    std::string roomy = empty_cache;  // the same disk with 200 GB available
    roomy.replace(roomy.find("82365356"), 8, "195312500");
    answer("probe", roomy);
    for (int check = 0; check < 3; ++check) {
        task->tick();
        clock->advance(seconds(config.check_interval_s));
    }
    EXPECT_FALSE(status_of(*task).at("pressure_unresolved").as_bool());
    ASSERT_EQ(notifier.messages().size(), 2u);
    EXPECT_NE(notifier.messages()[1].find("back at or above min_free"), std::string::npos)
        << notifier.messages()[1];
    for (const auto& command : remote_commands()) {
        EXPECT_EQ(command.find("--keep-storage"), std::string::npos) << command;
    }
}

TEST_F(SpaceTaskTest, TheProbeKeepsItsCheckIntervalAndTheAgePruneItsOwn) {
    auto config = space_config();  // check 300 s, prune 3600 s
    auto task = make(config);
    task->tick();                  // probe + age prune
    task->tick();                  // nothing due
    clock->advance(seconds(300));  // probe only
    task->tick();
    clock->advance(seconds(3300));  // both
    task->tick();
    std::vector<char> kinds;
    for (const auto& command : remote_commands()) {
        kinds.push_back(is_probe(command) ? 'p' : is_age_prune(command) ? 'a' : '?');
    }
    EXPECT_EQ(std::string(kinds.begin(), kinds.end()), "pappa");  // probe+age, -, probe, probe+age
}

TEST_F(SpaceTaskTest, StatusHasEveryIssueKeyAndIsValidJson) {
    auto task = make(space_config());
    for (const bool after_tick : {false, true}) {
        if (after_tick) {
            task->tick();
        }
        const auto s = status_of(*task);  // parses, or throws
        for (const char* key :
             {"docker_root_dir", "disk_free_bytes", "disk_size_bytes", "build_cache_bytes",
              "build_cache_reclaimable_bytes", "last_probe_ts", "last_probe_error",
              "min_free_bytes", "max_cache_bytes", "reserved_bytes", "check_interval_s",
              "last_trigger", "pressure_prunes_total", "pressure_unresolved", "dry_run",
              "would_reclaim_bytes", "would_remove_records"}) {
            EXPECT_TRUE(s.contains(key)) << key;
        }
        EXPECT_EQ(s.at("check_interval_s").as_int64(), 300);
        EXPECT_FALSE(s.at("dry_run").as_bool());
    }
}

TEST_F(SpaceTaskTest, WithoutATargetNoProbeRuns) {
    auto config = pruner::PrunerConfig{};  // min_free 10%, no host
    auto task = make(config);
    task->tick();
    EXPECT_TRUE(remote_commands().empty());
    const auto s = status_of(*task);
    EXPECT_TRUE(s.at("last_probe_ts").is_null());
    EXPECT_EQ(s.at("noop_ticks_total").to_number<std::uint64_t>(), 1u);
}

}  // namespace
}  // namespace orch::test
