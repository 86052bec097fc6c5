// Type=notify readiness as systemd sees it: the test owns the AF_UNIX datagram socket that
// NOTIFY_SOCKET names and waits on it (no sleeps); host_stub must say READY=1 only once /queue
// answers, and STOPPING=1 when SIGTERM arrives.
#include <gtest/gtest.h>

#include <csignal>
#include <cstring>
#include <string>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "host/support/host_fixture.hpp"
#include "support/fd_wait.hpp"

namespace orch::test {
namespace {

// A bound datagram socket, as systemd's notify socket is.
class NotifyListener {
  public:
    explicit NotifyListener(const std::filesystem::path& path) : path_(path) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const std::string p = path.string();
        if (fd_ < 0 || p.size() >= sizeof(address.sun_path)) {
            return;
        }
        std::memcpy(address.sun_path, p.c_str(), p.size() + 1);
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the socket API's cast
        bound_ = ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    }
    ~NotifyListener() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
    }
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    bool bound() const { return bound_; }

    // The next datagram, or nullopt when none arrives within `timeout`.
    std::optional<std::string> receive(std::chrono::milliseconds timeout = 20s) {
        if (!wait_readable(fd_, Clock::now() + timeout)) {
            return std::nullopt;
        }
        char buffer[4096];
        const ssize_t n = ::recv(fd_, buffer, sizeof(buffer), MSG_DONTWAIT);
        if (n < 0) {
            return std::nullopt;
        }
        return std::string(buffer, static_cast<std::size_t>(n));
    }

  private:
    std::filesystem::path path_;
    int fd_ = -1;
    bool bound_ = false;
};

class HostReadinessTest : public HostFixture {};

TEST_F(HostReadinessTest, SaysReadyOnceListeningAndStoppingOnSigterm) {
    add_plugin_manifest("recorder_a", "test_plugin_recorder_a");
    NotifyListener listener(dir_ / "notify");
    ASSERT_TRUE(listener.bound()) << std::strerror(errno);

    auto host = start({"--listen", "127.0.0.1:0"}, {{"NOTIFY_SOCKET", (dir_ / "notify").string()}});
    const auto ready = listener.receive();
    ASSERT_EQ(ready, "READY=1") << host->stderr_text();
    // Ready means serving: the listening line is already out and /queue answers now.
    const auto line = host->read_stdout_line();
    ASSERT_TRUE(line) << host->stderr_text();
    const auto port = listening_port(*line);
    ASSERT_TRUE(port) << *line;
    EXPECT_EQ(http_request(*port, "GET", "/queue").status, 200);

    host->send_signal(SIGTERM);
    EXPECT_EQ(listener.receive(), "STOPPING=1") << host->stderr_text();
    EXPECT_EQ(host->wait_exit(), 0) << host->stderr_text();
    EXPECT_EQ(listener.receive(0ms), std::nullopt) << "one READY, one STOPPING, nothing else";
}

TEST_F(HostReadinessTest, AnUnusableNotifySocketIsAWarningNotAStop) {
    auto host = start({"--listen", "127.0.0.1:0"}, {{"NOTIFY_SOCKET", "relative/notify"}});
    const auto line = host->read_stdout_line();
    ASSERT_TRUE(line && listening_port(*line)) << host->stderr_text();
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait_exit(), 0);
    EXPECT_NE(host->stderr_text().find("NOTIFY_SOCKET 'relative/notify': expected an absolute"),
              std::string::npos)
        << host->stderr_text();
}

TEST_F(HostReadinessTest, OnceNeverSaysReady) {
    NotifyListener listener(dir_ / "notify");
    ASSERT_TRUE(listener.bound());
    run_once({{"NOTIFY_SOCKET", (dir_ / "notify").string()}});
    EXPECT_EQ(exit_code_, 0) << stderr_;
    EXPECT_EQ(listener.receive(0ms), std::nullopt);
}

}  // namespace
}  // namespace orch::test
