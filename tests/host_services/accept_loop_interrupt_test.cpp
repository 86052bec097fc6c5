// Shutting a listening socket down wakes a poll on it at once and refuses new connections.
#include "services/accept_loop_interrupt.hpp"

#include <gtest/gtest.h>

#include <future>

#include <Poco/Net/StreamSocket.h>

namespace orch::host {
namespace {

TEST(AcceptLoopInterrupt, WakesAPollThatNoConnectionWouldEnd) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    // Without the interrupt this poll would only end by timing out after 30 s and return false.
    auto polled = std::async(std::launch::async, [&] {
        return server.poll(Poco::Timespan(30, 0), Poco::Net::Socket::SELECT_READ);
    });
    interrupt_accept_loop(server);
    EXPECT_TRUE(polled.get());
    EXPECT_THROW(server.acceptConnection(), Poco::Exception) << "nothing may be accepted";
}

TEST(AcceptLoopInterrupt, NewConnectionsAreRefused) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    const Poco::Net::SocketAddress address = server.address();
    interrupt_accept_loop(server);
    Poco::Net::StreamSocket client;
    EXPECT_THROW(client.connect(address), Poco::Exception);
}

TEST(AcceptLoopInterrupt, AClosedSocketIsNoError) {
    Poco::Net::ServerSocket server(Poco::Net::SocketAddress("127.0.0.1", 0));
    server.close();
    EXPECT_NO_THROW(interrupt_accept_loop(server));
}

}  // namespace
}  // namespace orch::host
