// Issue 8 item 7: the next prune is due a full interval after the previous one ENDED (as the
// original's "tick, then wait interval_s"), and next_run_ts never lies in the past: it is null
// while a prune runs and end + interval once it has ended.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>

#include "support/event_wait.hpp"
#include "task_fixture.hpp"

namespace orch::test {
namespace {

using namespace std::chrono_literals;

class RestTest : public TaskTest {
  protected:
    // A fake ssh that says it started, then waits until the test lets it finish.
    void fake_ssh_held_by_the_test() {
        make_fifo(dir / "started");
        make_fifo(dir / "release");
        fake_ssh("echo started > '" + (dir / "started").string() + "'\nread line < '" +
                 (dir / "release").string() + "'\necho 'Total reclaimed space: 1kB'");
    }
    void release_ssh() { std::ofstream(dir / "release") << "go\n"; }
};

TEST_F(RestTest, ARunAsLongAsTheIntervalStillGetsAFullIntervalOfRest) {
    fake_ssh_held_by_the_test();
    auto config = config_with_target();
    config.interval_s = 2;
    auto task = make(config);
    auto ticking = std::async(std::launch::async, [&] { task->tick(); });
    ASSERT_TRUE(read_fifo_line(dir / "started", 10s).has_value()) << "the fake ssh never started";

    // In flight: no promise of a next time that would already be in the past when it ends.
    const auto during = status_of(*task);
    EXPECT_TRUE(during.at("in_flight").as_bool());
    EXPECT_TRUE(during.at("next_run_ts").is_null()) << during;

    clock->advance(3s);  // the run takes longer than the interval
    release_ssh();
    ASSERT_EQ(ticking.wait_for(10s), std::future_status::ready);
    const auto after = status_of(*task);
    // ManualClock: wall = 1'800'000'000 + steady seconds; the run started at 1000, ended at 1003.
    EXPECT_DOUBLE_EQ(after.at("last_run_ts").as_double(), 1'800'001'000.0);
    EXPECT_DOUBLE_EQ(after.at("next_run_ts").as_double(), 1'800'001'005.0) << after;
    EXPECT_EQ(after.at("runs_total").to_number<std::uint64_t>(), 1U);

    // Start + interval has long passed, but the rest after the end has not.
    std::filesystem::remove(dir / "argv");
    clock->advance(1s);
    task->tick();
    EXPECT_FALSE(ssh_ran()) << "pruned again without a full interval of rest";
    EXPECT_EQ(status_of(*task).at("runs_total").to_number<std::uint64_t>(), 1U);

    clock->advance(1s);  // end + interval
    auto second = std::async(std::launch::async, [&] { task->tick(); });
    ASSERT_TRUE(read_fifo_line(dir / "started", 10s).has_value()) << "the second run never came";
    release_ssh();
    ASSERT_EQ(second.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(status_of(*task).at("runs_total").to_number<std::uint64_t>(), 2U);
}

TEST_F(RestTest, AFailedRunAlsoRestsAFullIntervalFromItsEnd) {
    fake_ssh_held_by_the_test();
    fake_ssh("echo started > '" + (dir / "started").string() + "'\nread line < '" +
             (dir / "release").string() + "'\nexit 1");
    auto config = config_with_target();
    config.interval_s = 10;
    auto task = make(config);
    auto ticking = std::async(std::launch::async, [&] { task->tick(); });
    ASSERT_TRUE(read_fifo_line(dir / "started", 10s).has_value());
    clock->advance(7s);
    release_ssh();
    ASSERT_EQ(ticking.wait_for(10s), std::future_status::ready);
    const auto after = status_of(*task);
    EXPECT_EQ(after.at("failures_total").to_number<std::uint64_t>(), 1U);
    EXPECT_DOUBLE_EQ(after.at("next_run_ts").as_double(), 1'800'001'017.0) << after;
    std::filesystem::remove(dir / "argv");
    clock->advance(9s);
    task->tick();
    EXPECT_FALSE(ssh_ran());
}

}  // namespace
}  // namespace orch::test
