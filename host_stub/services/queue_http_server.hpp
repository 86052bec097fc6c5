#pragma once
// GET /queue over HTTP (Poco::Net::HTTPServer with its own small thread pool).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "orch/plugin_api/host_services.hpp"
#include "services/listen_address.hpp"

namespace orch::host {

struct QueueHttpServerOptions {
    int max_threads = 8;  // connections served at once
    int max_queued = 64;  // accepted connections waiting for a thread; beyond that, refused
    std::chrono::milliseconds keep_alive_timeout{5'000};
};

class QueueHttpServer {
  public:
    // Called on a server thread for every GET /queue, possibly on several threads at once: it
    // must be thread-safe and should only read snapshots. If it throws, that request gets a 500
    // JSON error (the exception text is logged, not sent) and the server carries on.
    using RenderQueueJson = std::function<std::string()>;

    // Binds the socket at once, so bound_address() is known before start(). Throws
    // std::runtime_error naming the address when it cannot listen there.
    QueueHttpServer(const ListenAddress& address, RenderQueueJson render_queue_json,
                    plugin_api::ILogger& logger, QueueHttpServerOptions options = {});
    ~QueueHttpServer();  // stop()
    QueueHttpServer(const QueueHttpServer&) = delete;
    QueueHttpServer& operator=(const QueueHttpServer&) = delete;

    // Starts serving. Calls after the first (or after stop()) do nothing.
    void start();

    // Stops accepting, lets requests in progress finish, closes idle connections and joins every
    // server thread. Idempotent.
    void stop() noexcept;

    // The address actually bound, e.g. "127.0.0.1:43817" or "[::1]:43817".
    std::string bound_address() const;
    std::uint16_t port() const noexcept;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace orch::host
