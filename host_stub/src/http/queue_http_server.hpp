#pragma once
// GET /queue and GET /metrics over HTTP (Poco's HTTP connection on our own small set of workers,
// fed by an AcceptLoop that only hands over connections whose request has fully arrived).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/listen_address.hpp"
#include "metrics/http_request_counters.hpp"
#include "orch/plugin_api/host_services.hpp"

namespace orch::host {

// One request per connection (every answer says "Connection: close"): a connection kept open
// between requests would hold a worker thread, or need a second kind of waiting room.
struct QueueHttpServerOptions {
    int max_threads = 8;  // requests served at once (each already complete when it gets a thread)
    int max_queued = 64;  // complete requests waiting for a thread; beyond that, refused
    // From accepting a connection until its whole request (head and any body) has arrived; then
    // the limit on each read and write of the exchange. A slower client is disconnected.
    std::chrono::milliseconds request_timeout{5'000};
};

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

    // Stops accepting, closes connections still sending their request, aborts those being
    // answered and joins every server thread. Never waits for a client. Idempotent.
    void stop() noexcept;

    // The address actually bound, e.g. "127.0.0.1:43817" or "[::1]:43817".
    std::string bound_address() const;
    std::uint16_t port() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace orch::host
