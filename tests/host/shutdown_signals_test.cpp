// SIGINT/SIGTERM read from a signalfd, and the "work done" wake-up, without handlers or sleeps.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "app/shutdown_signals.hpp"

namespace orch::host {
namespace {

TEST(ShutdownSignals, ReturnsASignalThatArrivedBeforeWaiting) {
    ShutdownSignals signals;
    // raise() targets this thread, which has the signal blocked: it stays pending for wait().
    ASSERT_EQ(raise(SIGTERM), 0);
    EXPECT_EQ(signals.wait(), SIGTERM);
    ASSERT_EQ(raise(SIGINT), 0);
    EXPECT_EQ(signals.wait(), SIGINT);
}

TEST(ShutdownSignals, IsWokenByNotifyDoneFromAnotherThread) {
    ShutdownSignals signals;
    std::thread worker([&] { signals.notify_done(); });
    EXPECT_EQ(signals.wait(), std::nullopt);
    worker.join();
}

TEST(ShutdownSignals, ThreadsCreatedAfterwardsInheritTheBlock) {
    ShutdownSignals signals;
    bool blocked_in_thread = false;
    std::thread([&] {
        sigset_t current;
        pthread_sigmask(SIG_BLOCK, nullptr, &current);
        blocked_in_thread =
            sigismember(&current, SIGTERM) == 1 && sigismember(&current, SIGINT) == 1;
    }).join();
    EXPECT_TRUE(blocked_in_thread);
}

}  // namespace
}  // namespace orch::host
