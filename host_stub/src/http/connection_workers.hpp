#pragma once
// A fixed set of threads that each serve one complete request handed over by the AcceptLoop,
// then give the connection back (keep-alive) or close it. A worker never waits for a client:
// between requests a connection waits in the accept loop, holding no thread.
//
// Why not Poco's TCPServerDispatcher + ThreadPool: in Poco 1.11 TCPServerDispatcher::stop()
// enqueues ONE stop notification, so with two or more workers waiting for work only one wakes;
// the others sleep until their thread idle time runs out (a day here, so that an idle host never
// wakes), and ThreadPool::joinAll() in stop() waits for them: host_stub then hangs on SIGTERM
// after any burst that started a second worker. Here stop() wakes every worker, and a worker
// waiting for work waits on a condition variable with no timeout (no idle wake-ups).
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Net/StreamSocket.h>

#include "http/ready_request.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class ConnectionWorkers {
  public:
    // Serves the one request of `bytes` waiting on the connection; true when the connection may
    // carry another request. Exceptions it throws are logged, the connection closed, the worker
    // goes on.
    using Serve = std::function<bool(Poco::Net::StreamSocket&, std::size_t bytes)>;
    // Takes a connection that stays open after its request (back to the accept loop's waiting
    // room). Must not throw.
    using Keep = std::function<void(std::unique_ptr<Poco::Net::StreamSocket>)>;

    // `threads` workers (at least 1) are started at once and named `thread_name` (<= 15 chars).
    // At most `max_queued` requests wait for a worker; more are refused (closed).
    ConnectionWorkers(std::size_t threads, std::size_t max_queued, Serve serve, Keep keep,
                      plugin_api::ILogger& logger, const std::string& thread_name);
    ~ConnectionWorkers();  // stop()
    ConnectionWorkers(const ConnectionWorkers&) = delete;
    ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

    // Queues a request for the next free worker. False (and the connection closed) when the
    // queue is full or the workers are stopped.
    bool enqueue(ReadyRequest request);

    // Closes the connections still queued (unanswered), shuts down those being answered (so a
    // client that does not read its answer cannot delay the stop), wakes every worker and joins
    // them. A worker inside the handler finishes it first. Idempotent.
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

    const std::size_t max_queued_;
    const Serve serve_;
    const Keep keep_;
    plugin_api::ILogger& logger_;
    std::mutex mutex_;
    // A plain condition variable on mutex_ (std::condition_variable_any with a stop token would
    // take a second, internal mutex on every wait and notify).
    std::condition_variable wake_;
    std::deque<ReadyRequest> queue_;
    bool stopping_ = false;
    const std::size_t thread_count_;
    std::unique_ptr<Serving[]> serving_;
    std::vector<std::thread> workers_;
};

}  // namespace orch::host
