#pragma once
// Poco 1.11's TCPServer looks at its stop flag only between 250 ms polls of the listening
// socket, so a plain stop() takes up to a quarter of a second, which is all of host_stub's
// SIGTERM-to-exit time. A connection to the socket ends that poll at once: while this object
// lives, it connects every few milliseconds, so a stop() made meanwhile returns promptly.
#include <condition_variable>
#include <mutex>
#include <thread>

#include <Poco/Net/SocketAddress.h>

namespace orch::host {

class AcceptLoopWaker {
  public:
    // `listening` is the server socket's own address; a wildcard address is reached through the
    // loopback address of its family.
    explicit AcceptLoopWaker(const Poco::Net::SocketAddress& listening);
    ~AcceptLoopWaker();
    AcceptLoopWaker(const AcceptLoopWaker&) = delete;
    AcceptLoopWaker& operator=(const AcceptLoopWaker&) = delete;

  private:
    void run();

    Poco::Net::SocketAddress target_;
    std::mutex mutex_;
    std::condition_variable done_changed_;
    bool done_ = false;
    std::thread thread_;
};

}  // namespace orch::host
