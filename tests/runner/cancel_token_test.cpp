#include "runner/cancel_token.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>

#include <chrono>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace orch::pruner {
namespace {

int bytes_waiting(const CancelToken& token) {
    int count = -1;
    EXPECT_EQ(::ioctl(token.fd(), FIONREAD, &count), 0);
    return count;
}

bool readable_now(const CancelToken& token) {
    pollfd fd{token.fd(), POLLIN, 0};
    return ::poll(&fd, 1, 0) == 1 && (fd.revents & POLLIN) != 0;
}

TEST(CancelTokenTest, StartsClear) {
    const CancelToken token;
    EXPECT_FALSE(token.cancelled());
    EXPECT_FALSE(readable_now(token));
}

TEST(CancelTokenTest, CancelIsLevelTriggeredAndIdempotent) {
    CancelToken token;
    token.cancel();
    token.cancel();
    token.cancel();
    EXPECT_TRUE(token.cancelled());
    EXPECT_TRUE(readable_now(token));
    EXPECT_TRUE(readable_now(token));  // still readable: nothing consumed it
    EXPECT_EQ(bytes_waiting(token), 1);
}

TEST(CancelTokenTest, ResetClearsFlagAndFd) {
    CancelToken token;
    token.cancel();
    token.reset();
    EXPECT_FALSE(token.cancelled());
    EXPECT_FALSE(readable_now(token));
    EXPECT_EQ(bytes_waiting(token), 0);
}

TEST(CancelTokenTest, ResetOfAClearTokenIsHarmless) {
    CancelToken token;
    token.reset();
    EXPECT_FALSE(token.cancelled());
    token.cancel();
    EXPECT_TRUE(token.cancelled());
    EXPECT_EQ(bytes_waiting(token), 1);
}

TEST(CancelTokenTest, CancelsAgainAfterReset) {
    CancelToken token;
    token.cancel();
    token.reset();
    token.cancel();
    EXPECT_TRUE(token.cancelled());
    EXPECT_EQ(bytes_waiting(token), 1);
}

TEST(CancelTokenTest, FdIsCloseOnExec) {
    const CancelToken token;
    EXPECT_NE(::fcntl(token.fd(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST(CancelTokenTest, CancelFromAnotherThreadWakesABlockedPoll) {
    CancelToken token;
    std::thread canceller([&] { token.cancel(); });
    pollfd fd{token.fd(), POLLIN, 0};
    // Blocks until the other thread cancels; the 10 s bound only turns a hang into a failure.
    const int ready = ::poll(&fd, 1, 10'000);
    canceller.join();
    EXPECT_EQ(ready, 1);
    EXPECT_TRUE(token.cancelled());
}

TEST(CancelTokenTest, ConcurrentCancelsWriteOneByte) {
    CancelToken token;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] { token.cancel(); });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(bytes_waiting(token), 1);
}

}  // namespace
}  // namespace orch::pruner
