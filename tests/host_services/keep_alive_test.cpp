// When a client lets its connection stay open after the answer: a table of versions and
// Connection headers.
#include "http/keep_alive.hpp"

#include <gtest/gtest.h>

namespace orch::host {
namespace {

struct Case {
    const char* version;
    const char* connection;
    bool kept;
};

TEST(ClientKeepsConnection, FollowsTheVersionAndTheConnectionTokens) {
    const Case cases[] = {
        {"HTTP/1.1", "", true},
        {"HTTP/1.1", "keep-alive", true},
        {"HTTP/1.1", "close", false},
        {"HTTP/1.1", "Close", false},
        {"HTTP/1.1", " close ", false},
        {"HTTP/1.1", "Upgrade, close", false},
        {"HTTP/1.1", "keep-alive,close", false},  // two Connection headers, joined
        {"HTTP/1.1", "closed", true},             // a token, not a prefix
        {"HTTP/1.1", "TE", true},
        {"HTTP/1.0", "", false},
        {"HTTP/1.0", "keep-alive", true},
        {"HTTP/1.0", "Keep-Alive", true},
        {"HTTP/1.0", "keep-alive, close", false},
        {"HTTP/1.0", "TE", false},
        {"HTTP/0.9", "keep-alive", false},
        {"HTTP/2.0", "", false},
        {"FOO", "keep-alive", false},
        {"", "", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(client_keeps_connection(c.version, c.connection), c.kept)
            << c.version << " with Connection: " << c.connection;
    }
}

}  // namespace
}  // namespace orch::host
