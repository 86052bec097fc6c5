// SIGINT/SIGTERM read from a signalfd, and the "work done" wake-up, without handlers or sleeps.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <string>
#include <system_error>
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

// The descriptor number of this process's open signalfd, -1 if none.
int signalfd_number() {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        if (std::filesystem::read_symlink(entry.path(), ec).string() == "anon_inode:[signalfd]") {
            return std::stoi(entry.path().filename().string());
        }
    }
    return -1;
}

// What happened to a host started with stdout closed: the signalfd took descriptor 1 and
// ReservedStdout put another file there, so reads failed with EBADF forever at full CPU and no
// signal was ever seen. A descriptor that fails must end the wait with an error instead.
TEST(ShutdownSignals, ABrokenSignalDescriptorIsAnErrorNotASpin) {
    using namespace std::chrono_literals;
    ShutdownSignals signals;
    const int fd = signalfd_number();
    ASSERT_GE(fd, 0);
    const int write_only = open("/dev/null", O_WRONLY | O_CLOEXEC);
    ASSERT_EQ(dup2(write_only, fd), fd);
    close(write_only);

    auto waited = std::async(std::launch::async, [&]() -> std::string {
        try {
            const auto result = signals.wait();
            return result ? "a signal" : "done";
        } catch (const std::system_error& e) {
            return std::string("error: ") + e.what();
        }
    });
    if (waited.wait_for(20s) != std::future_status::ready) {
        signals.notify_done();  // the only way out of the spin
        ADD_FAILURE() << "wait() spun on a broken signal descriptor";
    }
    const std::string outcome = waited.get();
    EXPECT_NE(outcome.find("error: "), std::string::npos) << outcome;
    EXPECT_NE(outcome.find("signalfd"), std::string::npos) << outcome;
}

}  // namespace
}  // namespace orch::host
