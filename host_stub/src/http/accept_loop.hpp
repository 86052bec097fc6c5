#pragma once
// Accepts connections with no timer, and holds each one until its whole next request has
// arrived: both new connections and kept-alive ones between two requests.
//
// Poco 1.11's TCPServer polls its listening socket with a fixed 250 ms timeout to look at its
// stop flag: four wake-ups a second in an idle host and up to a quarter second added to every
// stop. This loop blocks in epoll on the socket and a wake pipe instead.
//
// Poco's HTTP workers each own one connection until its request is read, and with keep-alive
// until the client closes: a client that connects and sends nothing, or half a request, or
// keeps its connection open and idle, would hold a worker until a timeout, and a handful of them
// would leave no worker for anyone else. So connections wait here, costing no thread, until
// request_framing() says their next request is complete; only then are they handed to the
// callback (the workers), whose worker reads exactly that request without waiting. A worker
// that answered and may keep the connection gives it back with keep(): it waits here again.
// A connection that does not complete a request within `request_timeout` of arriving here
// (accepted, or given back) is closed; so is the oldest waiting one when kMaxWaitingConnections
// are waiting and another arrives.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "http/ready_request.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

inline constexpr std::size_t kMaxWaitingConnections = 256;

class AcceptLoop {
  public:
    using OnRequest = std::function<void(ReadyRequest)>;

    // `socket` is listening and outlives this object. `request_timeout` bounds the wait for a
    // complete request (the first, and each next one of a kept-alive connection), and each read
    // and write of an accepted connection. Throws std::system_error when no wake pipe or epoll
    // instance can be made.
    AcceptLoop(Poco::Net::ServerSocket& socket, OnRequest on_request, plugin_api::ILogger& logger,
               std::chrono::milliseconds request_timeout = std::chrono::seconds(5));
    ~AcceptLoop();  // stop()
    AcceptLoop(const AcceptLoop&) = delete;
    AcceptLoop& operator=(const AcceptLoop&) = delete;

    void start();  // once; may throw std::system_error if no thread can be started
    // Wakes the loop and joins it; connections waiting for a request are closed. Idempotent;
    // nothing is accepted or kept after.
    void stop() noexcept;

    // Takes back a connection handed out by this loop, whose request was answered and which
    // stays open: it waits again, with no thread, for its next request. Any thread; closed at
    // once after stop().
    void keep(std::unique_ptr<Poco::Net::StreamSocket> connection) noexcept;

  private:
    class WaitingRoom;
    struct Kept {
        std::unique_ptr<Poco::Net::StreamSocket> connection;
        std::chrono::steady_clock::time_point since;
    };
    void run() noexcept;
    bool accept_one(WaitingRoom& waiting) noexcept;  // false when accepting failed (back off)
    void adopt_kept(WaitingRoom& waiting);           // moves kept_ in; under kept_mutex_
    void wake() noexcept;

    Poco::Net::ServerSocket& socket_;
    OnRequest on_request_;
    plugin_api::ILogger& logger_;
    const std::chrono::milliseconds request_timeout_;
    int wake_read_ = -1;
    int wake_write_ = -1;
    int epoll_ = -1;
    std::thread thread_;

    // Connections given back by workers, until the loop moves them into its waiting room.
    std::mutex kept_mutex_;
    std::vector<Kept> kept_;
    bool stopping_ = false;
    // Set while the loop sleeps with nothing waiting (no deadline to wake it): only then does
    // keep() need to wake it, so that the kept connection's deadline is watched. Otherwise the
    // loop wakes by its nearest deadline, which is never later than a new one.
    bool asleep_without_deadline_ = false;
};

}  // namespace orch::host
