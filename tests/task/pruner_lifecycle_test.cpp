// The schedule thread: start/stop semantics, and stop() and status() while ssh is running.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "support/event_wait.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using namespace std::chrono_literals;

class LifecycleTest : public TaskTest {
  protected:
    // A fake ssh that starts a grandchild, reports both pids through a FIFO, then blocks.
    void fake_ssh_that_hangs() {
        make_fifo(dir / "started");
        fake_ssh("sleep 300 & echo \"$$ $!\" > '" + (dir / "started").string() + "'\nwait");
    }
    std::pair<pid_t, pid_t> wait_until_ssh_started() {
        const auto line = read_fifo_line(dir / "started", 10s);
        EXPECT_TRUE(line.has_value()) << "the fake ssh never started";
        if (!line) {
            return {0, 0};
        }
        pid_t ssh = 0;
        pid_t grandchild = 0;
        std::sscanf(line->c_str(), "%d %d", &ssh, &grandchild);
        return {ssh, grandchild};
    }
};

TEST_F(LifecycleTest, StartRunsAPruneRightAwayOnItsOwnThread) {
    fake_ssh("echo 'Total reclaimed space: 1kB'");
    auto task = make(config_with_target());
    task->start();
    ASSERT_TRUE(logger.wait_for("reclaimed 1kB", 10s));
    const auto s = status_of(*task);
    EXPECT_EQ(s.at("state").as_string(), "running");
    EXPECT_FALSE(s.at("next_run_ts").is_null());
    task->stop();
    EXPECT_EQ(status_of(*task).at("state").as_string(), "stopped");
}

TEST_F(LifecycleTest, DoubleStartKeepsOneThread) {
    fake_ssh("exit 0");
    auto task = make(config_with_target());
    const int before = thread_count(pruner::kScheduleThreadName);
    task->start();
    task->start();
    EXPECT_EQ(thread_count(pruner::kScheduleThreadName), before + 1);
    task->stop();
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, before), before);
}

TEST_F(LifecycleTest, StopBeforeStartIsHarmlessAndStartStillWorks) {
    fake_ssh("echo 'Total reclaimed space: 2kB'");
    auto task = make(config_with_target());
    task->stop();
    task->stop();
    task->start();
    EXPECT_TRUE(logger.wait_for("reclaimed 2kB", 10s));
    task->stop();
}

TEST_F(LifecycleTest, StopIsIdempotentAndTicksAfterStopDoNothing) {
    fake_ssh("exit 0");
    auto task = make(config_with_target());
    task->start();
    task->stop();
    task->stop();
    std::filesystem::remove(dir / "argv");
    clock->advance(24h);
    task->tick();
    EXPECT_FALSE(ssh_ran());
}

TEST_F(LifecycleTest, StopWhilePruneInFlightReturnsPromptlyAndLeavesNoProcess) {
    fake_ssh_that_hangs();
    auto task = make(config_with_target());
    task->start();
    const auto [ssh_pid, grandchild_pid] = wait_until_ssh_started();
    ASSERT_GT(ssh_pid, 0);

    // status() must answer while ssh runs, and show the prune in flight.
    const auto during = status_of(*task);
    EXPECT_TRUE(during.at("in_flight").as_bool());
    EXPECT_EQ(during.at("state").as_string(), "pruning");

    const auto t0 = std::chrono::steady_clock::now();
    task->stop();
    const auto stop_took = std::chrono::steady_clock::now() - t0;
    // The fake ssh would block for 300 s; anything near that means stop() waited for it.
    EXPECT_LT(stop_took, 5s);
    EXPECT_TRUE(process_gone(ssh_pid));
    EXPECT_TRUE(wait_for_process_exit(grandchild_pid, 5s)) << "grandchild survived stop()";
    const auto after = status_of(*task);
    EXPECT_FALSE(after.at("in_flight").as_bool());
    EXPECT_NE(std::string(after.at("last_error").as_string()).find("cancelled"), std::string::npos);
}

TEST_F(LifecycleTest, StopCancelsAPruneDrivenByTheHostsOwnTick) {
    fake_ssh_that_hangs();
    auto task = make(config_with_target());
    auto ticking = std::async(std::launch::async, [&] { task->tick(); });
    const auto [ssh_pid, grandchild_pid] = wait_until_ssh_started();
    ASSERT_GT(ssh_pid, 0);
    task->stop();
    EXPECT_EQ(ticking.wait_for(5s), std::future_status::ready);
    EXPECT_TRUE(wait_for_process_exit(grandchild_pid, 5s));
}

TEST_F(LifecycleTest, StatusNeverWaitsForTheInFlightPrune) {
    fake_ssh_that_hangs();
    auto task = make(config_with_target());
    task->start();
    wait_until_ssh_started();
    for (int i = 0; i < 100; ++i) {
        auto answer = std::async(std::launch::async, [&] { return task->status(); });
        ASSERT_EQ(answer.wait_for(5s), std::future_status::ready) << "status() blocked";
        EXPECT_NE(answer.get().find("\"in_flight\":true"), std::string::npos);
    }
    task->stop();
}

TEST_F(LifecycleTest, ConcurrentTickWhilePruningIsSkippedNotQueued) {
    fake_ssh_that_hangs();
    auto task = make(config_with_target());
    task->start();
    wait_until_ssh_started();
    clock->advance(24h);
    auto second = std::async(std::launch::async, [&] { task->tick(); });
    EXPECT_EQ(second.wait_for(5s), std::future_status::ready) << "tick() waited for the prune";
    EXPECT_TRUE(logger.contains("a prune is already in flight"));
    task->stop();
}

TEST_F(LifecycleTest, DestructorStopsARunningTask) {
    fake_ssh_that_hangs();
    auto task = make(config_with_target());
    const int before = thread_count(pruner::kScheduleThreadName);
    task->start();
    const auto [ssh_pid, grandchild_pid] = wait_until_ssh_started();
    task.reset();
    EXPECT_EQ(settled_thread_count(pruner::kScheduleThreadName, before), before);
    EXPECT_TRUE(wait_for_process_exit(grandchild_pid, 5s));
    EXPECT_TRUE(process_gone(ssh_pid));
}

}  // namespace
}  // namespace orch::test
