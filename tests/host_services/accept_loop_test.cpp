// The timer-free accept loop behind GET /queue: it gives out a connection only once its request
// is complete, takes kept connections back for their next request, and stops at once, waking
// every thread waiting on it, without a connection to wake it.
#include "http/accept_loop.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
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

// Reads exactly the request handed out, as a worker does.
std::string read_request(ReadyRequest& request) {
    std::string bytes(request.bytes, '\0');
    std::size_t read = 0;
    while (read < bytes.size()) {
        const int n = request.connection->receiveBytes(bytes.data() + read,
                                                       static_cast<int>(bytes.size() - read));
        if (n <= 0) {
            break;
        }
        read += static_cast<std::size_t>(n);
    }
    return bytes.substr(0, read);
}

// next_request() on another thread, so that a test that fails cannot hang on it.
std::future<std::optional<ReadyRequest>> next_async(AcceptLoop& loop) {
    return std::async(std::launch::async, [&loop] { return loop.next_request(); });
}

std::optional<ReadyRequest> next_within_10s(AcceptLoop& loop) {
    auto next = next_async(loop);
    if (next.wait_for(10s) != std::future_status::ready) {
        ADD_FAILURE() << "no request handed out within 10 s";
        loop.stop();
    }
    return next.get();
}

TEST(AcceptLoop, HandsOutEachCompleteRequest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.start();
    EXPECT_EQ(test::thread_count("queue-accept"), 1);
    auto a = connect_to(server);
    auto b = connect_to(server);
    for (int i = 0; i < 2; ++i) {
        auto request = next_within_10s(loop);
        ASSERT_TRUE(request);
        EXPECT_EQ(request->bytes, kRequest.size());
        EXPECT_EQ(read_request(*request), kRequest);
    }
    loop.stop();
    EXPECT_EQ(test::settled_thread_count("queue-accept", 0), 0);
}

TEST(AcceptLoop, StopsWhileIdleWithoutAConnectionToWakeIt) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.start();
    loop.stop();  // blocks forever if only a connection could end its epoll_wait()
    loop.stop();  // idempotent
    EXPECT_EQ(test::settled_thread_count("queue-accept", 0), 0);
}

// Every worker waits in next_request(): stop() must reach them all, not just one.
TEST(AcceptLoop, StopWakesEveryThreadWaitingForARequest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.start();
    std::vector<std::future<std::optional<ReadyRequest>>> waiting;
    for (int i = 0; i < 4; ++i) {
        waiting.push_back(next_async(loop));
    }
    loop.stop();
    for (auto& next : waiting) {
        // The 20 s only bound a failing test; a woken thread returns at once.
        ASSERT_EQ(next.wait_for(20s), std::future_status::ready) << "a waiter was not woken";
        EXPECT_FALSE(next.get());
    }
    EXPECT_FALSE(loop.next_request());  // and later calls return at once
}

TEST(AcceptLoop, HandsOutOnlyOnceTheRequestIsComplete) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger, 60s);
    loop.start();
    auto idle = connect_to(server, "");
    auto half = connect_to(server, "GET /half HTTP/1.1\r\n");
    auto whole = connect_to(server, "GET /whole HTTP/1.1\r\n\r\n");
    auto first = next_within_10s(loop);
    ASSERT_TRUE(first);
    EXPECT_EQ(read_request(*first), "GET /whole HTTP/1.1\r\n\r\n");
    // The rest of the half request arrives in a second piece: now it is handed out too.
    half.sendBytes("Host: x\r\n\r\n", 11);
    auto second = next_within_10s(loop);
    ASSERT_TRUE(second);
    EXPECT_EQ(read_request(*second), "GET /half HTTP/1.1\r\nHost: x\r\n\r\n");
    auto third = next_async(loop);  // the idle one never is
    EXPECT_EQ(third.wait_for(0ms), std::future_status::timeout);
    loop.stop();
    EXPECT_FALSE(third.get());
    EXPECT_TRUE(testing::wait_for_close(idle, 20s));  // closed by the stop
}

TEST(AcceptLoop, AnIncompleteRequestIsClosedAtItsDeadline) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger, 200ms);
    loop.start();
    auto waiter = next_async(loop);  // a worker waiting: it peeks at the half request
    auto half = connect_to(server, "GET /half HTTP/1.1\r\n");
    // The deadline is the loop's; the 20 s only bound a failing test.
    EXPECT_TRUE(testing::wait_for_close(half, 20s));
    loop.stop();
    EXPECT_FALSE(waiter.get());
}

// A kept connection waits again (no thread) and is handed out for each next request, also for
// two that arrived together: the second stayed in the socket, as the worker read exactly one.
TEST(AcceptLoop, AKeptConnectionIsHandedOutAgainForEachRequest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.start();
    auto client = connect_to(server);
    const std::string second = "GET /metrics HTTP/1.1\r\n\r\n";
    const std::string third = "GET /third HTTP/1.1\r\n\r\n";
    std::vector<std::string> requests;
    for (int i = 0; i < 3; ++i) {
        auto request = next_within_10s(loop);
        ASSERT_TRUE(request);
        requests.push_back(read_request(*request));
        loop.keep(std::move(request->connection));
        if (i == 0) {
            const std::string both = second + third;
            client.sendBytes(both.data(), static_cast<int>(both.size()));
        }
    }
    loop.stop();
    EXPECT_EQ(requests, (std::vector<std::string>{std::string(kRequest), second, third}));
}

// Connections given back count in the waiting room's cap like new ones: the one waiting longest
// is closed when another arrives past kMaxWaitingConnections.
TEST(AcceptLoop, AKeptConnectionCountsInTheCapAndGoesFirstAsTheOldest) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0), 512);
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger, 60s);
    loop.start();
    auto kept = connect_to(server);
    auto request = next_within_10s(loop);
    ASSERT_TRUE(request);
    read_request(*request);
    loop.keep(std::move(request->connection));
    std::vector<Poco::Net::StreamSocket> idle;
    for (std::size_t i = 0; i < kMaxWaitingConnections - 1; ++i) {
        idle.push_back(connect_to(server, ""));
    }
    EXPECT_FALSE(testing::wait_for_close(kept, 0ms));  // 256 waiting: nobody pushed out yet
    idle.push_back(connect_to(server, ""));
    EXPECT_TRUE(testing::wait_for_close(kept, 20s));
    EXPECT_FALSE(testing::wait_for_close(idle.front(), 0ms));
    loop.stop();
}

TEST(AcceptLoop, AConnectionKeptAfterStopIsClosed) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.start();
    auto client = connect_to(server);
    auto request = next_within_10s(loop);
    ASSERT_TRUE(request);
    loop.stop();
    loop.keep(std::move(request->connection));
    EXPECT_TRUE(testing::wait_for_close(client, 20s));
}

TEST(AcceptLoop, NeverStartedStopsCleanly) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    test::RecordingLogger logger;
    AcceptLoop loop(server, logger);
    loop.stop();
    EXPECT_FALSE(logger.contains("cannot"));
}

}  // namespace
}  // namespace orch::host
