// The timer-free accept loop behind GET /queue: it hands connections over once their request is
// complete, survives a failing hand-over, and stops at once without a connection to wake it.
#include "http/accept_loop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "support/process_probe.hpp"
#include "support/recording_services.hpp"

namespace orch::host {
namespace {

using namespace std::chrono_literals;

class Accepted {
  public:
    void add() {
        {
            std::lock_guard lock(mutex_);
            ++count_;
        }
        changed_.notify_all();
    }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }
    bool wait_for(int count) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, 10s, [&] { return count_ >= count; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

constexpr std::string_view kRequest = "GET /queue HTTP/1.1\r\nHost: x\r\n\r\n";

// A client that has sent `bytes` (by default a whole request).
Poco::Net::StreamSocket connect_to(const Poco::Net::ServerSocket& server,
                                   std::string_view bytes = kRequest) {
    Poco::Net::StreamSocket client;
    client.connect(server.address());
    if (!bytes.empty()) {
        client.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    }
    return client;
}

TEST(AcceptLoop, HandsEachConnectionToTheCallback) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    Accepted accepted;
    AcceptLoop loop(
        server, [&](std::unique_ptr<Poco::Net::StreamSocket>) { accepted.add(); }, logger);
    loop.start();
    EXPECT_EQ(test::thread_count("queue-accept"), 1);
    auto a = connect_to(server);
    auto b = connect_to(server);
    EXPECT_TRUE(accepted.wait_for(2));
    loop.stop();
    EXPECT_EQ(test::settled_thread_count("queue-accept", 0), 0);
}

TEST(AcceptLoop, StopsWhileIdleWithoutAConnectionToWakeIt) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(
        server, [](std::unique_ptr<Poco::Net::StreamSocket>) {}, logger);
    loop.start();
    loop.stop();  // blocks forever if only a connection could end its poll()
    loop.stop();  // idempotent
    EXPECT_EQ(test::settled_thread_count("queue-accept", 0), 0);
}

TEST(AcceptLoop, AFailedHandOverIsLoggedAndTheLoopGoesOn) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    Accepted accepted;
    bool first = true;
    AcceptLoop loop(
        server,
        [&](std::unique_ptr<Poco::Net::StreamSocket>) {
            if (std::exchange(first, false)) {
                throw std::runtime_error("dispatcher full");
            }
            accepted.add();
        },
        logger);
    loop.start();
    auto a = connect_to(server);
    auto b = connect_to(server);
    EXPECT_TRUE(accepted.wait_for(1));
    EXPECT_TRUE(logger.contains("handing over a connection failed: dispatcher full"));
    loop.stop();
}

TEST(AcceptLoop, HandsOverOnlyOnceTheRequestIsComplete) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    Accepted accepted;
    AcceptLoop loop(
        server, [&](std::unique_ptr<Poco::Net::StreamSocket>) { accepted.add(); }, logger);
    loop.start();
    auto idle = connect_to(server, "");
    auto half = connect_to(server, "GET /queue HTTP/1.1\r\n");
    auto whole = connect_to(server);
    EXPECT_TRUE(accepted.wait_for(1));
    // The rest of the half request arrives in a second piece: now it is handed over too.
    half.sendBytes("Host: x\r\n\r\n", 11);
    EXPECT_TRUE(accepted.wait_for(2));
    loop.stop();
    EXPECT_EQ(accepted.count(), 2);  // the idle one never was
}

TEST(AcceptLoop, NeverStartedStopsCleanly) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(
        server, [](std::unique_ptr<Poco::Net::StreamSocket>) {}, logger);
    loop.stop();
    EXPECT_FALSE(logger.contains("cannot wake"));
}

}  // namespace
}  // namespace orch::host
