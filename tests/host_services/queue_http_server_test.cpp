// QueueHttpServer over real HTTP on loopback, ephemeral ports.
#include "http/queue_http_server.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <stdexcept>
#include <string>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/http_client.hpp"
#include "support/recording_services.hpp"

namespace orch::host {
namespace {

using namespace std::chrono_literals;
using plugin_api::LogLevel;
using test::RecordingLogger;
using testing::body_of;
using testing::exchange_on;
using testing::header_value;
using testing::http_request;
using testing::HttpReply;
using testing::open_connection;
using testing::raw_exchange;
using testing::receive_response;
using testing::status_line;
using testing::wait_for_close;

const ListenAddress kLoopbackAnyPort{"127.0.0.1", 0};

TEST(QueueHttpServer, PortZeroBindsARealPort) {
    RecordingLogger log;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log);
    EXPECT_NE(server.port(), 0);
    EXPECT_EQ(server.bound_address(), "127.0.0.1:" + std::to_string(server.port()));
}

TEST(QueueHttpServer, GetQueueReturnsTheRenderedJson) {
    RecordingLogger log;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string(R"({"queue":{"n":3}})"); }, log);
    server.start();
    const HttpReply reply = http_request("127.0.0.1", server.port(), "GET", "/queue");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(reply.body, R"({"queue":{"n":3}})");
    EXPECT_EQ(http_request("127.0.0.1", server.port(), "GET", "/queue?x=1").status, 200);
}

TEST(QueueHttpServer, OtherPathsAre404WithAJsonError) {
    RecordingLogger log;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log);
    server.start();
    for (const char* path : {"/", "/queue/", "/status", "/queue/extra"}) {
        const HttpReply reply = http_request("127.0.0.1", server.port(), "GET", path);
        EXPECT_EQ(reply.status, 404) << path;
        EXPECT_EQ(reply.content_type, "application/json") << path;
        EXPECT_EQ(boost::json::parse(reply.body).at("status").as_int64(), 404) << reply.body;
    }
}

TEST(QueueHttpServer, OtherMethodsOnQueueAre405WithAllowGet) {
    RecordingLogger log;
    std::atomic<int> renders{0};
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            ++renders;
            return std::string("{}");
        },
        log);
    server.start();
    for (const char* method : {"POST", "PUT", "DELETE"}) {
        const HttpReply reply = http_request("127.0.0.1", server.port(), method, "/queue");
        EXPECT_EQ(reply.status, 405) << method;
        EXPECT_EQ(reply.allow, "GET") << method;
        EXPECT_NE(boost::json::parse(reply.body).at("error").as_string().find(method),
                  std::string::npos)
            << reply.body;
    }
    EXPECT_EQ(renders.load(), 0);
}

TEST(QueueHttpServer, AThrowingRendererGives500AndTheServerCarriesOn) {
    RecordingLogger log;
    std::atomic<int> calls{0};
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            if (calls++ == 0) {
                throw std::runtime_error("plugin status exploded");
            }
            return std::string(R"({"ok":true})");
        },
        log);
    server.start();
    const HttpReply failed = http_request("127.0.0.1", server.port(), "GET", "/queue");
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(failed.content_type, "application/json");
    EXPECT_EQ(boost::json::parse(failed.body).at("status").as_int64(), 500) << failed.body;
    // The exception text is for the operator's log, not for HTTP clients.
    EXPECT_EQ(failed.body.find("exploded"), std::string::npos) << failed.body;
    EXPECT_TRUE(log.contains(LogLevel::kError, "plugin status exploded")) << log.all_text();

    const HttpReply next = http_request("127.0.0.1", server.port(), "GET", "/queue");
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(next.body, R"({"ok":true})");
}

TEST(QueueHttpServer, ASlowRequestDoesNotHoldUpOthers) {
    RecordingLogger log;
    std::promise<void> first_entered;
    std::promise<void> release_first;
    std::shared_future<void> released = release_first.get_future().share();
    std::atomic<int> calls{0};
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            if (calls++ == 0) {
                first_entered.set_value();
                // Bounded so a failing test cannot hang the suite.
                if (released.wait_for(20s) != std::future_status::ready) {
                    throw std::runtime_error("never released");
                }
                return std::string(R"({"request":"slow"})");
            }
            return std::string(R"({"request":"fast"})");
        },
        log);
    server.start();

    auto slow = std::async(std::launch::async, [&] {
        return http_request("127.0.0.1", server.port(), "GET", "/queue");
    });
    ASSERT_EQ(first_entered.get_future().wait_for(10s), std::future_status::ready);

    // While the first request is still inside the renderer:
    const HttpReply fast = http_request("127.0.0.1", server.port(), "GET", "/queue");
    EXPECT_EQ(fast.status, 200);
    EXPECT_EQ(fast.body, R"({"request":"fast"})");
    EXPECT_EQ(http_request("127.0.0.1", server.port(), "GET", "/other").status, 404);
    EXPECT_EQ(slow.wait_for(0s), std::future_status::timeout);

    release_first.set_value();
    const HttpReply slow_reply = slow.get();
    EXPECT_EQ(slow_reply.status, 200);
    EXPECT_EQ(slow_reply.body, R"({"request":"slow"})");
}

TEST(QueueHttpServer, StopIsIdempotentAndClosesThePort) {
    RecordingLogger log;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log);
    server.start();
    const std::uint16_t port = server.port();
    ASSERT_EQ(http_request("127.0.0.1", port, "GET", "/queue").status, 200);
    server.stop();
    server.stop();
    EXPECT_EQ(server.bound_address(), "127.0.0.1:" + std::to_string(port));
    EXPECT_THROW(http_request("127.0.0.1", port, "GET", "/queue"), Poco::Exception);
    server.start();  // no restart after stop
    EXPECT_THROW(http_request("127.0.0.1", port, "GET", "/queue"), Poco::Exception);
}

// A client that connects and sends nothing, or half a request, or one byte now and then, must
// not hold one of the few workers: 32 of them (four times the workers) are connected while a
// normal client asks for /queue, and it is answered while they are all still there.
TEST(QueueHttpServer, IdleAndHalfSentClientsDoNotStarveOthers) {
    RecordingLogger log;
    QueueHttpServerOptions options;
    options.request_timeout = 60s;  // they stay for the whole test: nothing times them out
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string(R"({"served":true})"); }, log, options);
    server.start();
    std::vector<Poco::Net::StreamSocket> hostile;
    for (int i = 0; i < 32; ++i) {
        switch (i % 3) {
            case 0:
                hostile.push_back(open_connection(server.port()));
                break;
            case 1:
                hostile.push_back(open_connection(server.port(), "GET /queue HTTP/1.1\r\nHost: x"));
                break;
            default:
                hostile.push_back(open_connection(
                    server.port(), "GET /queue HTTP/1.1\r\nContent-Length: 100\r\n\r\npart"));
                break;
        }
    }
    // Complete requests without a Content-Length: answered at once, never read "to the end".
    std::vector<Poco::Net::StreamSocket> no_length;
    for (int i = 0; i < 8; ++i) {
        no_length.push_back(
            open_connection(server.port(), "POST /queue HTTP/1.1\r\nHost: x\r\n\r\n"));
    }
    for (int round = 0; round < 3; ++round) {
        const HttpReply reply = http_request("127.0.0.1", server.port(), "GET", "/queue");
        EXPECT_EQ(reply.status, 200);
        EXPECT_EQ(reply.body, R"({"served":true})");
    }
    // ... and none of the 32 was answered or closed meanwhile: they were really waiting.
    for (auto& socket : hostile) {
        EXPECT_FALSE(wait_for_close(socket, 0ms));
    }
    for (auto& socket : no_length) {
        // Answered (405), and open for a next request (keep-alive): the body was taken as empty.
        EXPECT_EQ(status_line(receive_response(socket)), "HTTP/1.1 405 Method Not Allowed");
        EXPECT_FALSE(wait_for_close(socket, 0ms));
    }
}

// With Poco 1.11's TCPServerDispatcher a stop() could leave a worker waiting for its idle time (a
// day): IdleAndHalfSentClientsDoNotStarveOthers hung in ThreadPool::joinAll about once in 50
// runs. Here four requests are held inside the handler until all four are served at once, so
// every worker has work behind it and then waits for more when stop() is called.
TEST(QueueHttpServer, StopReturnsAfterEveryWorkerHasServed) {
    RecordingLogger log;
    QueueHttpServerOptions options;
    options.max_threads = 4;
    std::latch all_inside(options.max_threads);
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            all_inside.arrive_and_wait();
            return std::string("{}");
        },
        log, options);
    server.start();
    std::vector<std::future<HttpReply>> replies;
    for (int i = 0; i < options.max_threads; ++i) {
        replies.push_back(std::async(std::launch::async, [&] {
            return http_request("127.0.0.1", server.port(), "GET", "/queue");
        }));
    }
    for (auto& reply : replies) {
        EXPECT_EQ(reply.get().status, 200);
    }
    auto stopped = std::async(std::launch::async, [&] { server.stop(); });
    // The 20 s only bound a failing test; a stop that waits for nothing returns at once.
    ASSERT_EQ(stopped.wait_for(20s), std::future_status::ready) << "stop() hangs";
}

TEST(QueueHttpServer, AClientThatNeverCompletesItsRequestIsDisconnected) {
    RecordingLogger log;
    QueueHttpServerOptions options;
    options.request_timeout = 200ms;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log, options);
    server.start();
    auto idle = open_connection(server.port());
    auto half = open_connection(server.port(), "GET /queue HTTP/1.1\r\n");
    // The deadline is the server's; the 20 s here only bounds a failing test.
    EXPECT_TRUE(wait_for_close(idle, 20s));
    EXPECT_TRUE(wait_for_close(half, 20s));
    EXPECT_EQ(http_request("127.0.0.1", server.port(), "GET", "/queue").status, 200);
}

TEST(QueueHttpServer, StopWithClientsStillSendingIsPrompt) {
    RecordingLogger log;
    QueueHttpServerOptions options;
    options.request_timeout = 60s;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log, options);
    server.start();
    std::vector<Poco::Net::StreamSocket> clients;
    for (int i = 0; i < 16; ++i) {
        clients.push_back(
            open_connection(server.port(), i % 2 == 0 ? "" : "GET /queue HTTP/1.1\r\n"));
    }
    ASSERT_EQ(http_request("127.0.0.1", server.port(), "GET", "/queue").status, 200);

    const auto started = std::chrono::steady_clock::now();
    server.stop();
    // Far below the 60 s a client could otherwise hold a worker; generous for sanitizers.
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    for (auto& socket : clients) {
        EXPECT_TRUE(wait_for_close(socket, 5s));
    }
}

// A body that is itself a request must not be answered as one.
TEST(QueueHttpServer, ARequestBodyIsNeverTakenForTheNextRequest) {
    RecordingLogger log;
    std::atomic<int> renders{0};
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            ++renders;
            return std::string("{}");
        },
        log);
    server.start();
    // The connection stays open after the first answer: the next request on it is the last.
    const std::string smuggled = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
    const std::string response = raw_exchange(
        server.port(),
        "GET /queue HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(smuggled.size()) +
            "\r\n\r\n" + smuggled + "GET /queue HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status_line(response), "HTTP/1.1 200 OK") << response;
    std::size_t answers = 0;
    for (auto at = response.find("HTTP/1."); at != std::string::npos;
         at = response.find("HTTP/1.", at + 1)) {
        ++answers;
    }
    EXPECT_EQ(answers, 2U) << response;
    EXPECT_EQ(response.find("404"), std::string::npos) << response;
    EXPECT_EQ(renders.load(), 2);
}

TEST(QueueHttpServer, StatusLinesCarryTheStandardReasonPhrases) {
    RecordingLogger log;
    std::atomic<bool> fail{false};
    QueueHttpServer server(
        kLoopbackAnyPort,
        [&] {
            if (fail.load()) {
                throw std::runtime_error("render failed");
            }
            return std::string("{}");
        },
        log);
    server.start();
    const auto first_line = [&](const std::string& request) {
        auto connection = open_connection(server.port());
        return status_line(exchange_on(connection, request));
    };
    EXPECT_EQ(first_line("GET /queue HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 200 OK");
    EXPECT_EQ(first_line("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"), "HTTP/1.1 404 Not Found");
    EXPECT_EQ(first_line("POST /queue HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
              "HTTP/1.1 405 Method Not Allowed");
    fail.store(true);
    EXPECT_EQ(first_line("GET /queue HTTP/1.1\r\nHost: x\r\n\r\n"),
              "HTTP/1.1 500 Internal Server Error");
}

TEST(QueueHttpServer, ListensOnIpv6Loopback) {
    RecordingLogger log;
    std::unique_ptr<QueueHttpServer> server;
    try {
        server = std::make_unique<QueueHttpServer>(
            ListenAddress{"::1", 0}, [] { return std::string("{}"); }, log);
    } catch (const std::runtime_error& e) {
        GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
    }
    server->start();
    EXPECT_EQ(server->bound_address(), "[::1]:" + std::to_string(server->port()));
    EXPECT_EQ(http_request("::1", server->port(), "GET", "/queue").status, 200);
}

TEST(QueueHttpServer, AnAddressInUseIsAClearError) {
    RecordingLogger log;
    QueueHttpServer first(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log);
    const ListenAddress taken{"127.0.0.1", first.port()};
    try {
        QueueHttpServer second(
            taken, [] { return std::string("{}"); }, log);
        FAIL() << "a second server bound " << taken.to_string();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot listen on " + taken.to_string()),
                  std::string::npos)
            << e.what();
    }
}

// The count of (route, code) in a snapshot.
std::uint64_t counted(const metrics::HttpRequestCounters& counters, metrics::Route route,
                      int code) {
    const metrics::HttpRequestCounts counts = counters.snapshot();
    const auto& row = counts.by_route_code[static_cast<std::size_t>(route)];
    for (std::size_t i = 0; i < metrics::kCountedCodes.size(); ++i) {
        if (metrics::kCountedCodes[i] == code) {
            return row[i];
        }
    }
    return row.back();
}

TEST(QueueHttpServer, GetMetricsServesTheExpositionTextAndNamesBothRoutesIn404) {
    RecordingLogger log;
    metrics::HttpRequestCounters counters;
    QueueHttpServer server(
        kLoopbackAnyPort,
        QueueHttpServer::Routes{[] { return std::string("{}"); },
                                [] { return std::string("# metrics\nx 1\n"); }, &counters},
        log);
    server.start();
    const HttpReply reply = http_request("127.0.0.1", server.port(), "GET", "/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_EQ(reply.body, "# metrics\nx 1\n");
    EXPECT_EQ(http_request("127.0.0.1", server.port(), "GET", "/metrics?x=1").status, 200);

    const HttpReply wrong = http_request("127.0.0.1", server.port(), "POST", "/metrics");
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.allow, "GET");
    EXPECT_NE(wrong.body.find("POST is not allowed on /metrics; use GET"), std::string::npos)
        << wrong.body;
    const HttpReply missing = http_request("127.0.0.1", server.port(), "GET", "/nope");
    EXPECT_EQ(missing.status, 404);
    EXPECT_NE(missing.body.find("GET /queue and GET /metrics"), std::string::npos) << missing.body;
}

TEST(QueueHttpServer, WithoutAMetricsRendererMetricsIsNotFound) {
    RecordingLogger log;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log);
    server.start();
    const HttpReply reply = http_request("127.0.0.1", server.port(), "GET", "/metrics");
    EXPECT_EQ(reply.status, 404);
    EXPECT_NE(reply.body.find("only has GET /queue\""), std::string::npos) << reply.body;
}

TEST(QueueHttpServer, EveryResponseIsCountedByRouteAndCode) {
    RecordingLogger log;
    metrics::HttpRequestCounters counters;
    std::atomic<bool> fail_queue{false};
    QueueHttpServer server(kLoopbackAnyPort,
                           QueueHttpServer::Routes{[&] {
                                                       if (fail_queue) {
                                                           throw std::runtime_error("broken");
                                                       }
                                                       return std::string("{}");
                                                   },
                                                   [] {
                                                       throw std::runtime_error("no metrics");
                                                       return std::string();
                                                   },
                                                   &counters},
                           log);
    server.start();
    const std::uint16_t port = server.port();
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/queue").status, 200);
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/queue?x").status, 200);
    EXPECT_EQ(http_request("127.0.0.1", port, "DELETE", "/queue").status, 405);
    fail_queue = true;
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/queue").status, 500);
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/metrics").status, 500);
    EXPECT_EQ(http_request("127.0.0.1", port, "PUT", "/metrics").status, 405);
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/secret/path").status, 404);
    EXPECT_EQ(http_request("127.0.0.1", port, "GET", "/").status, 404);

    using metrics::Route;
    EXPECT_EQ(counted(counters, Route::kQueue, 200), 2U);
    EXPECT_EQ(counted(counters, Route::kQueue, 405), 1U);
    EXPECT_EQ(counted(counters, Route::kQueue, 500), 1U);
    EXPECT_EQ(counted(counters, Route::kMetrics, 500), 1U);
    EXPECT_EQ(counted(counters, Route::kMetrics, 405), 1U);
    EXPECT_EQ(counted(counters, Route::kMetrics, 200), 0U);
    EXPECT_EQ(counted(counters, Route::kOther, 404), 2U);
}

}  // namespace
}  // namespace orch::host
