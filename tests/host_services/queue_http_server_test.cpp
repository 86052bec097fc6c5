// QueueHttpServer over real HTTP on loopback, ephemeral ports.
#include "services/queue_http_server.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>

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
using testing::http_request;
using testing::HttpReply;

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

TEST(QueueHttpServer, StopWithAnIdleKeepAliveConnectionIsPrompt) {
    RecordingLogger log;
    QueueHttpServerOptions options;
    options.keep_alive_timeout = 60s;
    QueueHttpServer server(
        kLoopbackAnyPort, [] { return std::string("{}"); }, log, options);
    server.start();
    // A client that keeps its connection open after one request.
    Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
    session.setKeepAlive(true);
    Poco::Net::HTTPRequest request("GET", "/queue", Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response).ignore(1 << 20);
    ASSERT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);

    const auto started = std::chrono::steady_clock::now();
    server.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
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

}  // namespace
}  // namespace orch::host
