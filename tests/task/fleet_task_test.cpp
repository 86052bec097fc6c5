// Issue 11: one task prunes a fleet: every host through the real runner and a real fake-ssh
// process, at most `parallelism` ssh processes at once, a hanging host costing only its own
// slot, per-host status under `hosts`, the top level as the aggregate, one notification per
// round, and stop() leaving no process behind.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <sstream>

#include <boost/json/parse.hpp>

#include "core/fleet.hpp"
#include "support/event_wait.hpp"
#include "support/file_wait.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using namespace std::chrono_literals;

class FleetTest : public TaskTest {
  protected:
    // Every fake ssh counts itself in `live` while it runs (under flock, so counts are exact),
    // appends the count it saw at its start to `peaks`, and its target to `ran`. `behaviour`
    // runs in between; "$target" is the ssh destination (the argument after "--").
    void fake_fleet_ssh(const std::string& behaviour) {
        const std::string d = (dir / "").string();
        write_script(dir / "ssh",
                     "#!/bin/sh\n"
                     "target=$(p=; for a in \"$@\"; do [ \"$p\" = -- ] && echo \"$a\" && break; "
                     "p=$a; done)\n"
                     "exec 9>>'" +
                         d +
                         "lock'\n"
                         "flock 9; n=$(( $(cat '" +
                         d + "live' 2>/dev/null || echo 0) + 1 )); echo $n > '" + d +
                         "live'; echo $n >> '" + d + "peaks'; echo \"$target $$\" >> '" + d +
                         "ran'; flock -u 9\n" + behaviour + "\nflock 9; echo $(( $(cat '" + d +
                         "live') - 1 )) > '" + d +
                         "live'; flock -u 9\n"
                         "echo 'Total reclaimed space: 2GB'\n");
    }

    std::unique_ptr<pruner::PrunerTask> make_fleet(const std::string& hosts_json,
                                                   pruner::PrunerConfig config) {
        const auto manifest =
            boost::json::parse(R"({"deploy_ssh_hosts": )" + hosts_json + "}").as_object();
        pruner::Fleet fleet = pruner::resolve_fleet(manifest, {}, config);
        pruner::PrunerTaskOptions options;
        options.ssh_executable = (dir / "ssh").string();
        options.clock = clock;
        return std::make_unique<pruner::PrunerTask>(
            pruner::ResolvedConfig{std::move(config), {}, std::nullopt}, std::move(fleet), logger,
            notifier, options);
    }

    pruner::PrunerConfig fleet_config(long long parallelism) {
        pruner::PrunerConfig c = config_with_target();
        c.ssh_host.clear();
        c.parallelism = parallelism;
        return c;
    }

    static std::string host_names(int n, const std::string& prefix = "h") {
        std::string json = "[";
        for (int i = 1; i <= n; ++i) {
            json += (i > 1 ? ", \"" : "\"") + prefix + std::to_string(i) + "\"";
        }
        return json + "]";
    }

    std::vector<int> peaks() const {
        std::ifstream in(dir / "peaks");
        std::vector<int> out;
        for (int n = 0; in >> n;) {
            out.push_back(n);
        }
        return out;
    }

    std::vector<pid_t> pids_that_ran() const {
        std::ifstream in(dir / "ran");
        std::vector<pid_t> out;
        std::string target;
        for (pid_t pid = 0; in >> target >> pid;) {
            out.push_back(pid);
        }
        return out;
    }
};

const std::string kWaitForRelease =
    "while [ ! -e \"$(dirname \"$0\")/release\" ]; do sleep 0.01; done";

TEST_F(FleetTest, ATickPrunesEveryHostWithAtMostParallelismSshAtOnce) {
    fake_fleet_ssh(kWaitForRelease);
    auto task = make_fleet(host_names(12), fleet_config(3));
    auto ticking = std::async(std::launch::async, [&] { task->tick(); });
    // Three run and wait for the release: the limit is reached before any can finish.
    ASSERT_TRUE(wait_for_file_text(dir / "live", "3", 20s));
    write_script(dir / "release", "");
    ASSERT_EQ(ticking.wait_for(60s), std::future_status::ready);
    const std::vector<int> seen = peaks();
    EXPECT_EQ(seen.size(), 12U);
    EXPECT_EQ(*std::max_element(seen.begin(), seen.end()), 3) << "never more than 3 at once";
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("hosts_total").as_int64(), 12);
    EXPECT_EQ(s.at("hosts_failing").as_int64(), 0);
    EXPECT_EQ(s.at("parallelism").as_int64(), 3);
    EXPECT_EQ(s.at("successes_total").as_int64(), 12);
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 12 * 2'000'000'000ULL);
    EXPECT_TRUE(s.at("last_error").is_null());
    const auto& hosts = s.at("hosts").as_object();
    ASSERT_EQ(hosts.size(), 12U);
    EXPECT_EQ(hosts.at("deploy@h7").at("successes_total").as_int64(), 1);
    EXPECT_EQ(hosts.at("deploy@h7").at("ssh_target").as_string(), "deploy@h7");
    EXPECT_FALSE(hosts.at("deploy@h7").at("next_run_ts").is_null());
}

TEST_F(FleetTest, AHangingHostHoldsOneSlotUntilItsTimeoutAndTheOthersAllRun) {
    fake_fleet_ssh("case \"$target\" in *@h2) sleep 300 & wait ;; esac");
    auto config = fleet_config(2);
    config.timeout_s = 1;
    auto task = make_fleet(host_names(6), config);
    task->tick();
    const auto s = status_of(*task);
    const auto& hosts = s.at("hosts").as_object();
    for (const char* ok : {"deploy@h1", "deploy@h3", "deploy@h4", "deploy@h5", "deploy@h6"}) {
        EXPECT_EQ(hosts.at(ok).at("successes_total").as_int64(), 1) << ok;
    }
    EXPECT_EQ(hosts.at("deploy@h2").at("timeouts_total").as_int64(), 1);
    EXPECT_EQ(s.at("hosts_failing").as_int64(), 1);
    const std::string error(s.at("last_error").as_string());
    EXPECT_EQ(error.rfind("1 of 6 hosts failed: deploy@h2: ", 0), 0U) << error;
    const std::vector<int> seen = peaks();
    EXPECT_LE(*std::max_element(seen.begin(), seen.end()), 2);
}

TEST_F(FleetTest, OneNotificationPerRoundNamesEveryHostOverTheThreshold) {
    fake_fleet_ssh("");
    auto config = fleet_config(4);
    config.notify_min_gb = 1;
    auto task = make_fleet(host_names(3), config);
    task->tick();
    const auto messages = notifier.messages();
    ASSERT_EQ(messages.size(), 1U);
    for (const char* host : {"deploy@h1 2GB", "deploy@h2 2GB", "deploy@h3 2GB"}) {
        EXPECT_NE(messages[0].find(host), std::string::npos) << messages[0];
    }
    EXPECT_NE(messages[0].find("6GB of docker build cache on 3 hosts"), std::string::npos)
        << messages[0];
    EXPECT_EQ(status_of(*task).at("notifications_total").as_int64(), 1);
}

TEST_F(FleetTest, AnInvalidEntryIsThatHostsErrorAndTheOthersArePruned) {
    fake_fleet_ssh("");
    auto task = make_fleet(R"(["h1", "bad;rm", {"host": "h3", "port": 2222}])", fleet_config(4));
    task->tick();
    const auto s = status_of(*task);
    const auto& hosts = s.at("hosts").as_object();
    EXPECT_EQ(hosts.at("deploy@h1").at("successes_total").as_int64(), 1);
    EXPECT_EQ(hosts.at("deploy@h3:2222").at("successes_total").as_int64(), 1);
    const auto& bad = hosts.at("invalid entry 2");
    EXPECT_EQ(bad.at("runs_total").as_int64(), 0);
    EXPECT_FALSE(bad.at("config_error").is_null());
    EXPECT_EQ(std::string(bad.at("last_error").as_string()).rfind("ssh not run: invalid config", 0),
              0U);
    EXPECT_EQ(s.at("hosts_failing").as_int64(), 1);
    EXPECT_EQ(pids_that_ran().size(), 2U);
}

TEST_F(FleetTest, StopWithEveryWorkerInFlightLeavesNoSshProcess) {
    fake_fleet_ssh(kWaitForRelease);
    auto task = make_fleet(host_names(8), fleet_config(4));
    const int before = thread_count(pruner::kScheduleThreadName);
    task->start();
    // Settled: a thread of an earlier test may still be leaving /proc (see process_probe.hpp).
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, before + 4), before + 4);
    ASSERT_TRUE(wait_for_file_text(dir / "live", "4", 20s));
    EXPECT_EQ(status_of(*task).at("in_flight_total").as_int64(), 4);
    task->stop();
    for (const pid_t pid : pids_that_ran()) {
        EXPECT_TRUE(wait_for_process_exit(pid, 5s)) << pid;
    }
    EXPECT_EQ(pids_that_ran().size(), 4U) << "nothing starts once stop() began";
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, before), before);
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("in_flight_total").as_int64(), 0);
    EXPECT_EQ(s.at("state").as_string(), "stopped");
}

TEST_F(FleetTest, StaggerSpreadsTheFirstAttemptsAfterStart) {
    fake_fleet_ssh("");
    auto config = fleet_config(4);
    config.stagger_s = 3600;
    auto task = make_fleet(host_names(3), config);
    task->start();
    ASSERT_TRUE(wait_for_file_text(dir / "ran", "deploy@h1", 20s));
    // The manual clock stands still: hosts 2 and 3 stay due later, their time in status.
    const auto s = status_of(*task);
    const auto& hosts = s.at("hosts").as_object();
    const double now = pruner::to_unix_seconds(clock->wall_now());
    for (const char* later : {"deploy@h2", "deploy@h3"}) {
        EXPECT_EQ(hosts.at(later).at("runs_total").as_int64(), 0) << later;
        const double due = hosts.at(later).at("next_run_ts").as_double();
        EXPECT_GT(due, now) << later;
        EXPECT_LT(due, now + 3600) << later;
    }
    task->stop();
}

TEST_F(FleetTest, TheSingleHostKeyIsAFleetOfOneThatReadsAsBefore) {
    fake_fleet_ssh("");
    auto task = make(config_with_target());
    task->tick();
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("hosts_total").as_int64(), 1);
    EXPECT_EQ(s.at("ssh_target").as_string(), "deploy@build-host");
    EXPECT_EQ(s.at("last_reclaimed_bytes").to_number<std::uint64_t>(), 2'000'000'000ULL);
    const auto& host = s.at("hosts").as_object().at("deploy@build-host").as_object();
    for (const char* key : {"last_run_ts", "last_reclaimed_bytes", "last_error", "next_run_ts",
                            "runs_total", "last_duration_ms", "command"}) {
        EXPECT_EQ(host.at(key), s.at(key)) << key;
    }
}

}  // namespace
}  // namespace orch::test
