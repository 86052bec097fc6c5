#pragma once
// Accepts connections with no timer, and holds each one until its whole request has arrived.
//
// Poco 1.11's TCPServer polls its listening socket with a fixed 250 ms timeout to look at its
// stop flag: four wake-ups a second in an idle host and up to a quarter second added to every
// stop. This loop blocks in epoll on the socket and a wake pipe instead.
//
// Poco's HTTP workers each own one connection until its request is read: a client that connects
// and sends nothing, or half a request, would hold a worker until a timeout, and a handful of them
// would leave no worker for anyone else. So accepted connections wait here, costing no thread,
// until request_readiness() says the request is complete; only then are they handed to the
// callback (Poco's dispatcher), whose worker reads it without waiting. A connection that does not
// complete its request within `request_timeout` is closed; so is the oldest waiting one when
// kMaxWaitingConnections are waiting and another arrives.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

inline constexpr std::size_t kMaxWaitingConnections = 256;

class AcceptLoop {
  public:
    // The connection is handed over whole: the loop keeps no copy. Poco 1.11 sockets are
    // reference-counted handles without move semantics, and that count lives in uninstrumented
    // Poco code, so a copy released here while a worker uses its own would look like a race to
    // TSan (and a handle shared by two threads is worth avoiding anyway).
    using OnConnection = std::function<void(std::unique_ptr<Poco::Net::StreamSocket>)>;

    // `socket` is listening and outlives this object. Throws std::system_error when no wake
    // pipe or epoll instance can be made.
    AcceptLoop(Poco::Net::ServerSocket& socket, OnConnection on_connection,
               plugin_api::ILogger& logger,
               std::chrono::milliseconds request_timeout = std::chrono::seconds(5));
    ~AcceptLoop();  // stop()
    AcceptLoop(const AcceptLoop&) = delete;
    AcceptLoop& operator=(const AcceptLoop&) = delete;

    void start();  // once; may throw std::system_error if no thread can be started
    // Wakes the loop and joins it; connections still waiting for their request are closed.
    // Idempotent; nothing is accepted after.
    void stop() noexcept;

  private:
    struct Waiting;
    void run() noexcept;
    bool accept_one(Waiting& waiting) noexcept;  // false when accepting failed (then back off)

    Poco::Net::ServerSocket& socket_;
    OnConnection on_connection_;
    plugin_api::ILogger& logger_;
    const std::chrono::milliseconds request_timeout_;
    int wake_read_ = -1;
    int wake_write_ = -1;
    int epoll_ = -1;
    std::thread thread_;
};

}  // namespace orch::host
