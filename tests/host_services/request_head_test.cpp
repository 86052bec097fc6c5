// When the accept loop may hand a connection to a worker: a table of what clients send.
#include "http/request_head.hpp"

#include <gtest/gtest.h>

#include <string>

namespace orch::host {
namespace {

struct Case {
    const char* name;
    std::string received;
    RequestReadiness expected;
};

TEST(RequestReadiness, WaitsForTheWholeHeadAndAnnouncedBody) {
    using R = RequestReadiness;
    const Case cases[] = {
        {"nothing yet", "", R::kIncomplete},
        {"half a request line", "GET /qu", R::kIncomplete},
        {"head without its blank line", "GET /queue HTTP/1.1\r\nHost: x\r\n", R::kIncomplete},
        {"complete head", "GET /queue HTTP/1.1\r\nHost: x\r\n\r\n", R::kComplete},
        {"HTTP/1.0 without headers", "GET /queue HTTP/1.0\r\n\r\n", R::kComplete},
        {"zero length body", "GET /queue HTTP/1.1\r\nContent-Length: 0\r\n\r\n", R::kComplete},
        {"body announced, not arrived", "GET /queue HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
         R::kIncomplete},
        {"body arrived", "GET /queue HTTP/1.1\r\ncontent-length:  5 \r\n\r\nabcde", R::kComplete},
        {"more than the body (pipelined)", "GET /queue HTTP/1.1\r\nContent-Length: 2\r\n\r\nabGET",
         R::kComplete},
        {"chunked body", "POST /queue HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", R::kRefused},
        {"length not a number", "GET /queue HTTP/1.1\r\nContent-Length: 5x\r\n\r\n", R::kRefused},
        {"negative length", "GET /queue HTTP/1.1\r\nContent-Length: -1\r\n\r\n", R::kRefused},
        {"two different lengths",
         "GET /queue HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", R::kRefused},
        {"body larger than the limit",
         "GET /queue HTTP/1.1\r\nContent-Length: " + std::to_string(kMaxRequestBytes) + "\r\n\r\n",
         R::kRefused},
        {"huge length", "GET /queue HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         R::kRefused},
        {"head larger than the limit without an end", std::string(kMaxRequestBytes + 1, 'a'),
         R::kRefused},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(request_readiness(c.received), c.expected) << c.name;
    }
}

// Where the first request ends, for the worker that reads exactly it: what follows (a pipelined
// next request) stays in the socket.
TEST(RequestFraming, EndsAfterTheHeadAndTheAnnouncedBody) {
    const std::string head = "GET /queue HTTP/1.1\r\nHost: x\r\n\r\n";
    RequestFraming framing = request_framing(head);
    EXPECT_EQ(framing.readiness, RequestReadiness::kComplete);
    EXPECT_EQ(framing.head_bytes, head.size());
    EXPECT_EQ(framing.bytes, head.size());

    framing = request_framing(head + "GET /metrics HTTP/1.1\r\n");
    EXPECT_EQ(framing.readiness, RequestReadiness::kComplete);
    EXPECT_EQ(framing.bytes, head.size());

    const std::string with_body = "POST /queue HTTP/1.1\r\nContent-Length: 3\r\n\r\n";
    framing = request_framing(with_body + "abcGET / HTTP/1.1\r\n\r\n");
    EXPECT_EQ(framing.readiness, RequestReadiness::kComplete);
    EXPECT_EQ(framing.head_bytes, with_body.size());
    EXPECT_EQ(framing.bytes, with_body.size() + 3);

    framing = request_framing(with_body + "ab");
    EXPECT_EQ(framing.readiness, RequestReadiness::kIncomplete);
    EXPECT_EQ(framing.bytes, 0U);
}

}  // namespace
}  // namespace orch::host
