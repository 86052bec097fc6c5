// The waker that lets a Poco server's stop() return without waiting out its 250 ms poll.
#include "services/accept_loop_waker.hpp"

#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

namespace orch::host {
namespace {

// True when a connection arrives on `server` within `timeout_ms`.
bool connection_arrives(Poco::Net::ServerSocket& server, long timeout_ms) {
    if (!server.poll(Poco::Timespan(0, timeout_ms * 1000), Poco::Net::Socket::SELECT_READ)) {
        return false;
    }
    Poco::Net::StreamSocket accepted = server.acceptConnection();
    return true;
}

TEST(AcceptLoopWaker, ConnectsToTheListeningSocketWhileAlive) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    const AcceptLoopWaker waker(server.address());
    EXPECT_TRUE(connection_arrives(server, 5000));
    EXPECT_TRUE(connection_arrives(server, 5000)) << "it keeps waking until destroyed";
}

TEST(AcceptLoopWaker, ReachesAWildcardAddressThroughLoopback) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("0.0.0.0", 0));
    const AcceptLoopWaker waker(server.address());
    EXPECT_TRUE(connection_arrives(server, 5000));
}

TEST(AcceptLoopWaker, StopsConnectingOnceDestroyed) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    { const AcceptLoopWaker waker(server.address()); }
    // Drain what arrived while it lived; after its thread was joined nothing new can arrive.
    while (connection_arrives(server, 0)) {
    }
    EXPECT_FALSE(connection_arrives(server, 50));
}

TEST(AcceptLoopWaker, AClosedSocketIsNoError) {
    Poco::Net::SocketAddress gone;
    {
        Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
        gone = server.address();
    }
    const AcceptLoopWaker waker(gone);  // refused connections are expected and ignored
    SUCCEED();
}

}  // namespace
}  // namespace orch::host
