// Clients that read their answers slowly, or not at all, over real HTTP on loopback: an answer
// the client's socket has no room for waits in the accept loop with its connection, holding no
// worker, and is sent on as the client reads; a client that reads nothing of it for the request
// timeout is closed, and so is one whose answer would pass the bytes the waiting room may hold.
#include <chrono>
#include <cstddef>
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "http/accept_loop.hpp"
#include "http/queue_http_server.hpp"
#include "support/http_client.hpp"
#include "support/recording_services.hpp"

namespace orch::host {
namespace {

using namespace std::chrono_literals;
using plugin_api::LogLevel;
using test::RecordingLogger;
using testing::body_of;
using testing::exchange_on;
using testing::http_request;
using testing::receive_response;
using testing::status_line;
using testing::wait_for_close;

const ListenAddress kLoopbackAnyPort{"127.0.0.1", 0};
const std::string kGetQueue = "GET /queue HTTP/1.1\r\nHost: x\r\n\r\n";

// 16 MiB by default: far more than the server's socket takes at once (the kernel's send buffer
// autotuning stops at 4 MiB, and the client below announces a 4 KiB window), so most of it can
// only go as the client reads. Every byte's value depends on its position, so a lost or
// repeated piece shows in the comparison.
std::string large_page(std::size_t mebibytes = 16) {
    std::string page(mebibytes << 20, '\0');
    for (std::size_t i = 0; i < page.size(); ++i) {
        page[i] = static_cast<char>('a' + (i * 7 + i / 4096) % 26);
    }
    return page;
}

// /queue is the large page, /metrics a small one.
QueueHttpServer::Routes large_queue(const std::string& page) {
    return QueueHttpServer::Routes{[&page] { return page; }, [] { return std::string("m 1\n"); }};
}

// A connection with a small receive window (set before connecting, so it is the one announced)
// that has asked for /queue and reads nothing yet.
Poco::Net::StreamSocket asked_and_not_reading(std::uint16_t port) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
    socket.setReceiveBufferSize(4096);
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(10, 0));
    socket.sendBytes(kGetQueue.data(), static_cast<int>(kGetQueue.size()));
    return socket;
}

// A started server whose /queue is a large page; one worker unless `threads` says otherwise.
struct LargePageServer {
    LargePageServer(std::chrono::milliseconds request_timeout, std::size_t mebibytes = 16,
                    int threads = 1)
        : page(large_page(mebibytes)),
          server(kLoopbackAnyPort, large_queue(page), log, options(request_timeout, threads)) {
        server.start();
    }
    static QueueHttpServerOptions options(std::chrono::milliseconds request_timeout, int threads) {
        QueueHttpServerOptions o;
        o.max_threads = threads;
        o.request_timeout = request_timeout;
        return o;
    }
    int get_metrics() { return http_request("127.0.0.1", server.port(), "GET", "/metrics").status; }

    RecordingLogger log;
    const std::string page;
    QueueHttpServer server;
};

// With one worker, a client that has not read its 16 MiB answer does not hold that worker:
// another client is answered meanwhile (before, the worker sat in its write until the send
// timeout, a minute here, and the other client's request timed out). The slow client then gets
// every byte, and its connection carries its next request.
TEST(QueueHttpSlowReader, AnAnswerWaitingForItsClientHoldsNoWorker) {
    LargePageServer s(60s);
    auto slow = asked_and_not_reading(s.server.port());

    // Two others, one after the other, each needing the one worker once the slow client's
    // answer has been started (requests are taken in arrival order by the single worker).
    for (int i = 0; i < 2; ++i) {
        const auto reply = http_request("127.0.0.1", s.server.port(), "GET", "/metrics");
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.body, "m 1\n");
    }

    const std::string first = receive_response(slow, 60s);
    EXPECT_EQ(status_line(first), "HTTP/1.1 200 OK");
    const std::string body = body_of(first);
    EXPECT_EQ(body.size(), s.page.size());
    EXPECT_TRUE(body == s.page) << "the answer arrived changed";
    EXPECT_EQ(status_line(exchange_on(slow, kGetQueue)), "HTTP/1.1 200 OK");
}

// A client that reads nothing of its answer for the request timeout is closed, and the server
// goes on answering others. (The timeout is also every other client's limit for being taken by
// the one worker, so nobody else asks while the large page is rendered: under the sanitizers
// that can take longer than a short timeout.)
TEST(QueueHttpSlowReader, AClientThatReadsNothingOfItsAnswerIsClosedAfterTheTimeout) {
    LargePageServer s(1s);
    auto slow = asked_and_not_reading(s.server.port());
    // The accept thread closes it at its deadline (the 20 s only bound a failing test) ...
    ASSERT_TRUE(s.log.wait_for(LogLevel::kDebug, "read nothing of its answer, in time", 20s))
        << s.log.all_text();
    // ... so reading now finds what the kernel had taken of the answer, then the close: never
    // the whole page.
    const std::string got = receive_response(slow, 20s);
    EXPECT_LT(body_of(got).size(), s.page.size());
    EXPECT_TRUE(wait_for_close(slow, 20s));
    EXPECT_EQ(s.get_metrics(), 200);
}

// The waiting room holds at most kMaxUnsentBytes (64 MiB) of answers: of a 32 MiB answer it
// holds what the socket did not take at once (28 to 32 MiB), so two slow clients' answers fit
// and a third's does not: it is closed with a warning naming the limit, and the two still get
// all of theirs.
TEST(QueueHttpSlowReader, AnswersPastTheRoomsByteLimitAreRefused) {
    static_assert(kMaxUnsentBytes == std::size_t{64} << 20, "two 32 MiB pages fit, not three");
    LargePageServer s(60s, 32);
    std::vector<Poco::Net::StreamSocket> slow;
    for (int i = 0; i < 2; ++i) {
        slow.push_back(asked_and_not_reading(s.server.port()));
        // Served before the next is asked: the order of the two and the third is fixed.
        EXPECT_EQ(s.get_metrics(), 200);
    }
    auto third = asked_and_not_reading(s.server.port());
    EXPECT_TRUE(wait_for_close(third, 20s)) << s.log.all_text();
    EXPECT_TRUE(s.log.contains(LogLevel::kWarning, "reads its answer too slowly"));
    EXPECT_TRUE(s.log.contains(LogLevel::kWarning, "limit 67108864"));
    for (auto& socket : slow) {
        EXPECT_EQ(body_of(receive_response(socket, 60s)).size(), s.page.size());
    }
}

// stop() does not wait for a client that is not reading its answer: its connection is closed.
TEST(QueueHttpSlowReader, StopClosesAConnectionWaitingToSendItsAnswer) {
    LargePageServer s(60s, 16, /*threads=*/0);  // the default worker count
    auto slow = asked_and_not_reading(s.server.port());
    EXPECT_EQ(s.get_metrics(), 200);
    auto stopped = std::async(std::launch::async, [&] { s.server.stop(); });
    // The 20 s only bound a failing test; a stop that waits for nothing returns at once.
    ASSERT_EQ(stopped.wait_for(20s), std::future_status::ready) << "stop() hangs";
    EXPECT_TRUE(wait_for_close(slow, 20s));
}

TEST(ServingThreads, OnePerCpuFromTwoToEightUnlessConfigured) {
    struct Row {
        int configured;
        int cpus;
        int expected;
    };
    for (const Row& row : {Row{0, 1, 2}, Row{0, 2, 2}, Row{0, 4, 4}, Row{0, 8, 8}, Row{0, 64, 8},
                           Row{1, 64, 1}, Row{16, 2, 16}, Row{-3, 3, 3}}) {
        EXPECT_EQ(serving_threads(row.configured, row.cpus), row.expected)
            << "configured " << row.configured << ", cpus " << row.cpus;
    }
    EXPECT_GE(usable_cpus(), 1);
}

}  // namespace
}  // namespace orch::host
