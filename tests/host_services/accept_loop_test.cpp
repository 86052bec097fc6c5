// The timer-free accept loop behind GET /queue: it hands connections over once their request is
// complete, survives a failing hand-over, and stops at once without a connection to wake it.
#include "http/accept_loop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/http_client.hpp"
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
        server, [&](ReadyRequest) { accepted.add(); }, logger);
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
        server, [](ReadyRequest) {}, logger);
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
        [&](ReadyRequest) {
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
        server, [&](ReadyRequest) { accepted.add(); }, logger);
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

// A stand-in for a worker: reads exactly the request it is handed (as serve_one_request does)
// and gives the connection back, recording the request.
class KeepingWorker {
  public:
    void serve(AcceptLoop& loop, ReadyRequest request) {
        std::string bytes(request.bytes, '\0');
        std::size_t read = 0;
        while (read < bytes.size()) {
            const int n = request.connection->receiveBytes(bytes.data() + read,
                                                           static_cast<int>(bytes.size() - read));
            ASSERT_GT(n, 0);
            read += static_cast<std::size_t>(n);
        }
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(bytes);
        }
        served_.add();
        loop.keep(std::move(request.connection));
    }
    bool wait_for(int count) { return served_.wait_for(count); }
    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

  private:
    std::mutex mutex_;
    std::vector<std::string> requests_;
    Accepted served_;
};

// A kept connection waits again (no thread) and is handed over for each next request, also for
// two that arrived together: the second stayed in the socket, as the worker read exactly one.
TEST(AcceptLoop, AKeptConnectionIsHandedOverAgainForEachRequest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    KeepingWorker worker;
    std::unique_ptr<AcceptLoop> loop;
    loop = std::make_unique<AcceptLoop>(
        server, [&](ReadyRequest request) { worker.serve(*loop, std::move(request)); }, logger);
    loop->start();
    auto client = connect_to(server);
    ASSERT_TRUE(worker.wait_for(1));
    const std::string second = "GET /metrics HTTP/1.1\r\n\r\n";
    const std::string third = "GET /third HTTP/1.1\r\n\r\n";
    const std::string both = second + third;
    client.sendBytes(both.data(), static_cast<int>(both.size()));
    ASSERT_TRUE(worker.wait_for(3));
    loop->stop();
    EXPECT_EQ(worker.requests(), (std::vector<std::string>{std::string(kRequest), second, third}));
}

// Connections given back count in the waiting room's cap like new ones: the one waiting longest
// is closed when another arrives past kMaxWaitingConnections.
TEST(AcceptLoop, AKeptConnectionCountsInTheCapAndGoesFirstAsTheOldest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0), 512);
    test::RecordingLogger logger;
    KeepingWorker worker;
    std::unique_ptr<AcceptLoop> loop;
    loop = std::make_unique<AcceptLoop>(
        server, [&](ReadyRequest request) { worker.serve(*loop, std::move(request)); }, logger,
        60s);
    loop->start();
    auto kept = connect_to(server);
    ASSERT_TRUE(worker.wait_for(1));
    std::vector<Poco::Net::StreamSocket> idle;
    for (std::size_t i = 0; i < kMaxWaitingConnections - 1; ++i) {
        idle.push_back(connect_to(server, ""));
    }
    EXPECT_FALSE(testing::wait_for_close(kept, 0ms));  // 256 waiting: nobody pushed out yet
    idle.push_back(connect_to(server, ""));
    EXPECT_TRUE(testing::wait_for_close(kept, 20s));
    EXPECT_FALSE(testing::wait_for_close(idle.front(), 0ms));
    loop->stop();
}

TEST(AcceptLoop, AConnectionKeptAfterStopIsClosed) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    std::mutex mutex;
    std::unique_ptr<Poco::Net::StreamSocket> held;
    Accepted accepted;
    AcceptLoop loop(
        server,
        [&](ReadyRequest request) {
            {
                std::lock_guard lock(mutex);
                held = std::move(request.connection);
            }
            accepted.add();
        },
        logger);
    loop.start();
    auto client = connect_to(server);
    ASSERT_TRUE(accepted.wait_for(1));
    loop.stop();
    std::lock_guard lock(mutex);
    loop.keep(std::move(held));
    EXPECT_TRUE(testing::wait_for_close(client, 20s));
}

TEST(AcceptLoop, NeverStartedStopsCleanly) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(
        server, [](ReadyRequest) {}, logger);
    loop.stop();
    EXPECT_FALSE(logger.contains("cannot wake"));
}

}  // namespace
}  // namespace orch::host
