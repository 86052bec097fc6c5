#pragma once
// A fixed set of threads that each take one complete request from the AcceptLoop's waiting room
// (AcceptLoop::next_request), answer it, and give the connection back (keep-alive) or close it.
// A worker never waits for a client: between requests, and while its client has no room for
// more of an answer, a connection waits in the waiting room, holding no thread.
//
// Why not Poco's TCPServerDispatcher + ThreadPool: in Poco 1.11 TCPServerDispatcher::stop()
// enqueues ONE stop notification, so with two or more workers waiting for work only one wakes;
// the others sleep until their thread idle time runs out, and ThreadPool::joinAll() in stop()
// waits for them: host_stub then hung on SIGTERM after any burst that started a second worker.
// Here stop() wakes every worker (the accept loop's stop reaches every thread waiting on it),
// and an idle worker waits in epoll with no timeout (no idle wake-ups).
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "http/accept_loop.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class ConnectionWorkers {
  public:
    // Takes a turn on the connection (its request, or the rest of its last answer); returns what
    // is left of it: handed back to the source if it is kept or still has bytes to send, closed
    // otherwise. Exceptions it throws are logged, the connection closed, the worker goes on.
    using Serve = std::function<Outstanding(ReadyRequest&)>;

    // `threads` workers (at least 1) are started at once, named `thread_name` (<= 15 chars), and
    // take their requests from `source` (which outlives this object). Throws std::system_error if
    // a thread cannot be started (those started are stopped again, and `source` with them).
    ConnectionWorkers(std::size_t threads, AcceptLoop& source, Serve serve,
                      plugin_api::ILogger& logger, const std::string& thread_name);
    ~ConnectionWorkers();  // stop()
    ConnectionWorkers(const ConnectionWorkers&) = delete;
    ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

    // Stops the source (no request is taken from now on, its waiting connections are closed),
    // shuts down the connections being answered (so a client that does not read its answer
    // cannot delay the stop) and joins every worker. A worker inside the handler finishes it
    // first. Idempotent.
    void stop() noexcept;

  private:
    // The descriptor a worker is answering on (-1: none), for stop(). The worker closes or gives
    // away its connection only after clearing it, under the slot's own mutex, so a descriptor
    // seen here is never one that was closed and reused. One mutex per worker: only that worker
    // and stop() take it, so it never makes two workers wait for each other.
    struct Serving {
        std::mutex mutex;
        int fd = -1;
        bool stopped = false;  // set by stop(): the connection in hand is closed, not kept
    };
    void run(Serving& serving);

    AcceptLoop& source_;
    const Serve serve_;
    plugin_api::ILogger& logger_;
    const std::size_t thread_count_;
    std::unique_ptr<Serving[]> serving_;
    std::vector<std::thread> workers_;
};

}  // namespace orch::host
