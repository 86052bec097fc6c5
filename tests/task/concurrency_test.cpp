// Many threads reading status() while ticks run and start()/stop() race: run under TSan in CI.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "task_fixture.hpp"

namespace orch::test {
namespace {

TEST_F(TaskTest, StatusTickStartAndStopFromManyThreads) {
    fake_ssh("echo 'Total reclaimed space: 1kB'");
    auto task = make(config_with_target());
    constexpr int kLifecycleRounds = 40;
    constexpr int kTicks = 40;
    std::atomic<bool> done{false};
    std::atomic<long> statuses{0};

    std::vector<std::thread> readers;
    for (int i = 0; i < 4; ++i) {
        readers.emplace_back([&] {
            while (!done.load()) {
                const std::string s = task->status();
                ASSERT_EQ(s.front(), '{');
                ++statuses;
            }
        });
    }
    std::thread ticker([&] {
        for (int i = 0; i < kTicks; ++i) {
            clock->advance(std::chrono::hours(2));
            task->tick();
        }
    });
    std::thread lifecycle([&] {
        for (int i = 0; i < kLifecycleRounds; ++i) {
            task->start();
            task->stop();
        }
    });
    ticker.join();
    lifecycle.join();
    done = true;
    for (auto& r : readers) {
        r.join();
    }
    task->stop();

    // Whatever the race did, the task still works afterwards: one more start prunes again.
    int reclaimed_before = 0;
    for (const auto& line : logger.lines()) {
        reclaimed_before += line.find("reclaimed 1kB") != std::string::npos ? 1 : 0;
    }
    clock->advance(std::chrono::hours(2));
    task->start();
    EXPECT_TRUE(logger.wait_for("reclaimed 1kB", std::chrono::seconds(10), reclaimed_before + 1));
    task->stop();

    const auto s = status_of(*task);
    EXPECT_GT(statuses.load(), 0);
    EXPECT_FALSE(s.at("in_flight").as_bool());
    EXPECT_EQ(s.at("state").as_string(), "stopped");
    // Every run that started also finished and was counted exactly once.
    EXPECT_EQ(s.at("runs_total").to_number<std::uint64_t>(),
              s.at("successes_total").to_number<std::uint64_t>() +
                  s.at("failures_total").to_number<std::uint64_t>());
    EXPECT_GE(s.at("runs_total").to_number<std::uint64_t>(), 1u);
}

}  // namespace
}  // namespace orch::test
