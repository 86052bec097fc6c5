#pragma once
// GET /queue and GET /metrics over HTTP/1.1 with keep-alive: an AcceptLoop holds connections,
// without a thread, until a request has fully arrived; one of a small set of workers takes it,
// answers it (Poco's parser reads the head) and gives the connection back to the loop.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/listen_address.hpp"
#include "metrics/http_request_counters.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

// Connections are kept open between requests (HTTP/1.1 keep-alive) without holding a thread:
// between two requests a connection waits in the accept loop, and a worker only ever serves one
// complete request and gives the connection back.
struct QueueHttpServerOptions {
    // Requests served at once; 0 (the default): serving_threads(0, usable_cpus()). A worker
    // never waits for a client (a request is complete when it gets one, and an answer the client
    // has no room for waits without it), so workers beyond the CPUs would only queue for them,
    // and the queueing is the tail latency: with eight workers on two CPUs, p99 under wrk was
    // 4 to 8 ms, with two 2.6 to 4 ms at the same throughput (bench/RESULTS.md, 3m).
    int max_threads = 0;
    // From accepting a connection, or answering its last request, until its next request (head
    // and any body) has all arrived; then the limit on each read and write of the exchange. A
    // slower or idle client is disconnected.
    std::chrono::milliseconds request_timeout{5'000};
};

// The workers to start: `configured` when above 0, else one per usable CPU, at least 2 (one
// request rendering a large page never holds up all the others) and at most 8.
int serving_threads(int configured, int usable_cpus) noexcept;
// The CPUs this process may run on (its affinity mask, so `taskset` and cpusets count); at
// least 1.
int usable_cpus() noexcept;

class QueueHttpServer {
  public:
    // Called on a server thread for every GET /queue, possibly on several threads at once: it
    // must be thread-safe and should only read snapshots. If it throws, that request gets a 500
    // JSON error (the exception text is logged, not sent) and the server carries on.
    using RenderQueueJson = std::function<std::string()>;
    // The same for every GET /metrics (Prometheus text exposition 0.0.4); a throw is a 500.
    using RenderMetricsText = std::function<std::string()>;

    // What the server serves. Without render_metrics, /metrics is 404 like any unknown path.
    // `counters` (owned by the caller, outliving the server) counts every response the handler
    // sends, by route and code, 404/405/500 included.
    struct Routes {
        RenderQueueJson render_queue;
        RenderMetricsText render_metrics = {};
        metrics::HttpRequestCounters* counters = nullptr;
    };

    // Binds the socket at once, so bound_address() is known before start(). Throws
    // std::runtime_error naming the address when it cannot listen there.
    QueueHttpServer(const ListenAddress& address, Routes routes, plugin_api::ILogger& logger,
                    QueueHttpServerOptions options = {});
    // Only GET /queue, nothing counted.
    QueueHttpServer(const ListenAddress& address, RenderQueueJson render_queue_json,
                    plugin_api::ILogger& logger, QueueHttpServerOptions options = {});
    ~QueueHttpServer();  // stop()
    QueueHttpServer(const QueueHttpServer&) = delete;
    QueueHttpServer& operator=(const QueueHttpServer&) = delete;

    // Starts serving. Calls after the first (or after stop()) do nothing.
    void start();

    // Stops accepting, closes connections still sending their request or idle between two,
    // aborts those being answered and joins every server thread. Never waits for a client.
    // Idempotent.
    void stop() noexcept;

    // The address actually bound, e.g. "127.0.0.1:43817" or "[::1]:43817".
    std::string bound_address() const;
    std::uint16_t port() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace orch::host
