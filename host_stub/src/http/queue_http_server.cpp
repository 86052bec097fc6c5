#include "http/queue_http_server.hpp"

#include <sched.h>

#include <algorithm>

#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http/accept_loop.hpp"
#include "http/connection_workers.hpp"
#include "http/queue_route.hpp"
#include "http/request_exchange.hpp"
#include "log/safe_log.hpp"
#include "metrics/host_metrics.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;
using Poco::Net::HTTPResponse;

constexpr std::string_view kJson = "application/json";

// The routes of GET /queue and GET /metrics. One instance for all workers: it keeps no state of
// its own between calls (the counters are atomics, the renderers thread-safe).
class QueueRequestHandler final : public RequestHandler {
  public:
    QueueRequestHandler(QueueHttpServer::Routes routes, plugin_api::ILogger& logger)
        : routes_(std::move(routes)), logger_(logger) {}

    Reply answer(const Poco::Net::HTTPRequest& request) const override {
        const std::string& method = request.getMethod();
        const std::string& target = request.getURI();
        const metrics::Route counted_as =
            metrics::route_of(std::string_view(target).substr(0, target.find_first_of("?#")));
        QueueRoute route = route_queue_request(method, target);
        if (route == QueueRoute::kRenderMetrics && !routes_.render_metrics) {
            route = QueueRoute::kNotFound;
        }
        Reply reply;
        switch (route) {
            case QueueRoute::kRenderQueue:
                reply = render("/queue", routes_.render_queue, kJson);
                break;
            case QueueRoute::kRenderMetrics:
                reply = render("/metrics", routes_.render_metrics, metrics::kContentType);
                break;
            case QueueRoute::kNotFound:
                reply = json_reply(HTTPResponse::HTTP_NOT_FOUND, not_found_message());
                break;
            case QueueRoute::kMethodNotAllowed:
                reply = json_reply(
                    HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                    method + " is not allowed on " +
                        std::string(metrics::kRouteLabels[static_cast<std::size_t>(counted_as)]) +
                        "; use GET");
                reply.allow = "GET";
                break;
        }
        count(counted_as, reply.status);
        log_noexcept(logger_, LogLevel::kDebug,
                     method + " " + target + " -> " + std::to_string(reply.status));
        return reply;
    }

    Reply malformed(std::string_view why) const override {
        count(metrics::Route::kOther, HTTPResponse::HTTP_BAD_REQUEST);
        log_noexcept(logger_, LogLevel::kDebug,
                     "malformed HTTP request -> 400: " + std::string(why));
        return json_reply(HTTPResponse::HTTP_BAD_REQUEST, "malformed request: " + std::string(why));
    }

  private:
    std::string not_found_message() const {
        return routes_.render_metrics
                   ? "not found; this server only has GET /queue and GET /metrics"
                   : "not found; this server only has GET /queue";
    }

    Reply render(std::string_view what, const std::function<std::string()>& render_body,
                 std::string_view content_type) const {
        try {
            return Reply{HTTPResponse::HTTP_OK, content_type, render_body()};
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kError,
                         "GET " + std::string(what) + ": rendering failed: " + e.what());
        } catch (...) {
            log_noexcept(
                logger_, LogLevel::kError,
                "GET " + std::string(what) + ": rendering failed with a non-standard exception");
        }
        return json_reply(HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
                          "rendering " + std::string(what) + " failed; see the host log");
    }

    static Reply json_reply(HTTPResponse::HTTPStatus status, std::string_view message) {
        return Reply{status, kJson, json_error_body(static_cast<int>(status), message)};
    }

    // Every answer is counted once, before the bytes go out (a client that is gone by then was
    // still answered).
    void count(metrics::Route route, int status) const {
        if (routes_.counters != nullptr) {
            routes_.counters->count(route, status);
        }
    }

    const QueueHttpServer::Routes routes_;
    plugin_api::ILogger& logger_;
};

Poco::Net::ServerSocket bind_socket(const ListenAddress& address) {
    try {
        // Not ServerSocket(SocketAddress): in Poco 1.11 that also sets SO_REUSEPORT, so a second
        // host on the same port would bind "successfully" and silently share the traffic.
        Poco::Net::ServerSocket socket;
        socket.bind(Poco::Net::SocketAddress(address.host, address.port), /*reuseAddress=*/true,
                    /*reusePort=*/false);
        socket.listen();
        return socket;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + address.to_string() + ": " +
                                 e.displayText());
    }
}

}  // namespace

int serving_threads(int configured, int usable_cpus) noexcept {
    return configured > 0 ? configured : std::clamp(usable_cpus, 2, 8);
}

int usable_cpus() noexcept {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) != 0) {
        return 1;
    }
    return std::max(1, CPU_COUNT(&set));
}

// Poco's HTTPServer is not used as a whole: its TCPServer accept thread wakes every 250 ms, its
// dispatcher can leave a worker asleep on stop (see connection_workers.hpp), and its
// HTTPServerConnection keeps a worker for a kept-alive connection's whole life, waiting for the
// next request. Here the timer-free AcceptLoop holds connections between requests, and each
// worker takes one complete request, serves it (take_turn: Poco's HTTPRequest parses
// the head) and gives the connection back, with whatever of the answer its socket had no room for.
struct QueueHttpServer::Impl {
    Impl(const ListenAddress& address, Routes routes, plugin_api::ILogger& log,
         const QueueHttpServerOptions& options)
        : logger(log),
          socket(bind_socket(address)),
          handler(std::move(routes), log),
          accept_loop(socket, log, options.request_timeout),
          workers(
              static_cast<std::size_t>(serving_threads(options.max_threads, usable_cpus())),
              accept_loop, [this](ReadyRequest& ready) { return take_turn(ready, handler); }, log,
              "queue-http") {
        const Poco::Net::SocketAddress address_bound = socket.address();
        bound = ListenAddress{address_bound.host().toString(), address_bound.port()};
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    plugin_api::ILogger& logger;
    Poco::Net::ServerSocket socket;
    const QueueRequestHandler handler;
    AcceptLoop accept_loop;     // the waiting room the workers take requests from
    ConnectionWorkers workers;  // stopped (and so the loop) before the loop is destroyed
    std::mutex state_mutex;
    bool started = false;
    bool stopped = false;
    ListenAddress bound;  // kept, as the socket's own address is gone once it is closed
};

QueueHttpServer::QueueHttpServer(const ListenAddress& address, Routes routes,
                                 plugin_api::ILogger& logger, QueueHttpServerOptions options)
    : impl_(std::make_unique<Impl>(address, std::move(routes), logger, options)) {}

QueueHttpServer::QueueHttpServer(const ListenAddress& address, RenderQueueJson render_queue_json,
                                 plugin_api::ILogger& logger, QueueHttpServerOptions options)
    : QueueHttpServer(address, Routes{std::move(render_queue_json)}, logger, options) {}

QueueHttpServer::~QueueHttpServer() {
    stop();
}

void QueueHttpServer::start() {
    const std::lock_guard lock(impl_->state_mutex);
    if (impl_->started || impl_->stopped) {
        return;
    }
    impl_->accept_loop.start();
    impl_->started = true;
}

void QueueHttpServer::stop() noexcept {
    const std::lock_guard lock(impl_->state_mutex);
    if (impl_->stopped) {
        return;
    }
    impl_->stopped = true;
    try {
        // No new connections; those waiting for a request (new or kept-alive) closed, and every
        // worker waiting for one woken; those being answered shut down; every thread joined.
        impl_->workers.stop();
        impl_->socket.close();
    } catch (const std::exception& e) {
        log_noexcept(impl_->logger, LogLevel::kWarning,
                     std::string("/queue server: error while stopping: ") + e.what());
    }
}

std::string QueueHttpServer::bound_address() const {
    return impl_->bound.to_string();
}

std::uint16_t QueueHttpServer::port() const noexcept {
    return impl_->bound.port;
}

}  // namespace orch::host
