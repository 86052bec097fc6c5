#pragma once
// A fixed set of threads that serve complete requests handed over by the AcceptLoop.
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

#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

class ConnectionWorkers {
  public:
    // Serves one connection to its end; exceptions it throws are logged, the worker goes on.
    using Serve = std::function<void(Poco::Net::StreamSocket&)>;

    // `threads` workers (at least 1) are started at once and named `thread_name` (<= 15 chars).
    // At most `max_queued` connections wait for a worker; more are refused (closed).
    ConnectionWorkers(std::size_t threads, std::size_t max_queued, Serve serve,
                      plugin_api::ILogger& logger, const std::string& thread_name);
    ~ConnectionWorkers();  // stop()
    ConnectionWorkers(const ConnectionWorkers&) = delete;
    ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

    // Queues a connection for the next free worker. False (and the connection closed) when the
    // queue is full or the workers are stopped.
    bool enqueue(std::unique_ptr<Poco::Net::StreamSocket> connection);

    // Closes the connections still queued (unanswered), wakes every worker and joins them. A
    // worker in the middle of a connection finishes it first: the caller aborts those before.
    // Idempotent.
    void stop() noexcept;

  private:
    void run(const std::stop_token& stop);

    const std::size_t max_queued_;
    const Serve serve_;
    plugin_api::ILogger& logger_;
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::deque<std::unique_ptr<Poco::Net::StreamSocket>> queue_;
    bool stopping_ = false;
    std::vector<std::jthread> workers_;
};

}  // namespace orch::host
