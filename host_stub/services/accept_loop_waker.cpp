#include "services/accept_loop_waker.hpp"

#include <chrono>

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/StreamSocket.h>

namespace orch::host {

namespace {

// Often enough that stop() returns within a few milliseconds, rarely enough to cost nothing.
constexpr std::chrono::milliseconds kWakeInterval{5};
constexpr long kConnectTimeoutMicros = 100'000;

Poco::Net::SocketAddress reachable(const Poco::Net::SocketAddress& listening) {
    const Poco::Net::IPAddress& host = listening.host();
    if (!host.isWildcard()) {
        return listening;
    }
    const auto loopback = host.family() == Poco::Net::IPAddress::IPv6
                              ? Poco::Net::IPAddress("::1")
                              : Poco::Net::IPAddress("127.0.0.1");
    return Poco::Net::SocketAddress(loopback, listening.port());
}

}  // namespace

AcceptLoopWaker::AcceptLoopWaker(const Poco::Net::SocketAddress& listening)
    : target_(reachable(listening)), thread_([this] { run(); }) {}

AcceptLoopWaker::~AcceptLoopWaker() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    done_changed_.notify_all();
    thread_.join();
}

void AcceptLoopWaker::run() {
    std::unique_lock lock(mutex_);
    while (!done_) {
        lock.unlock();
        try {
            Poco::Net::StreamSocket socket;
            socket.connect(target_, Poco::Timespan(0, kConnectTimeoutMicros));
            socket.close();
        } catch (...) {
            // Refused or timed out: the accept loop is already gone, nothing to wake.
        }
        lock.lock();
        done_changed_.wait_for(lock, kWakeInterval, [this] { return done_; });
    }
}

}  // namespace orch::host
