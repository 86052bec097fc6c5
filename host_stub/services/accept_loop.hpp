#pragma once
// Accepts connections with no timer. Poco 1.11's TCPServer polls its listening socket with a
// fixed 250 ms timeout to look at its stop flag: four wake-ups a second in an idle host and up
// to a quarter second added to every stop. This loop blocks in poll() on the socket and a wake
// pipe instead, and hands each accepted connection to a callback (Poco's dispatcher).
#include <functional>
#include <thread>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class AcceptLoop {
  public:
    using OnConnection = std::function<void(const Poco::Net::StreamSocket&)>;

    // `socket` is listening and outlives this object. Throws std::system_error when no wake
    // pipe can be made.
    AcceptLoop(Poco::Net::ServerSocket& socket, OnConnection on_connection,
               plugin_api::ILogger& logger);
    ~AcceptLoop();  // stop()
    AcceptLoop(const AcceptLoop&) = delete;
    AcceptLoop& operator=(const AcceptLoop&) = delete;

    void start();          // once; may throw std::system_error if no thread can be started
    void stop() noexcept;  // wakes the loop and joins it; idempotent; nothing is accepted after

  private:
    void run() noexcept;
    bool accept_one() noexcept;  // false when accepting failed (the loop then backs off)

    Poco::Net::ServerSocket& socket_;
    OnConnection on_connection_;
    plugin_api::ILogger& logger_;
    int wake_read_ = -1;
    int wake_write_ = -1;
    std::thread thread_;
};

}  // namespace orch::host
