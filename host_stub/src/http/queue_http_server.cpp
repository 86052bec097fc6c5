#include "http/queue_http_server.hpp"

#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "http/accept_loop.hpp"
#include "http/connection_workers.hpp"
#include "http/queue_route.hpp"
#include "http/request_head.hpp"
#include "log/safe_log.hpp"
#include "metrics/host_metrics.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;
using Poco::Net::HTTPResponse;

class QueueRequestHandler final : public Poco::Net::HTTPRequestHandler {
  public:
    QueueRequestHandler(const QueueHttpServer::Routes& routes, plugin_api::ILogger& logger)
        : routes_(routes), logger_(logger) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        // The accept loop only hands over a request whose body has arrived in full and is at
        // most kMaxRequestBytes, so this never waits. Read, the body can never be taken for a
        // next request, and closing the connection does not reset it under the client's feet.
        // Without a Content-Length there is no body (chunked ones are refused before): Poco
        // would read such a stream until the client closes, holding this worker.
        if (request.hasContentLength()) {
            request.stream().ignore(static_cast<std::streamsize>(kMaxRequestBytes));
        }
        const std::string& method = request.getMethod();
        const std::string& target = request.getURI();
        route_ = metrics::route_of(target.substr(0, target.find_first_of("?#")));
        QueueRoute route = route_queue_request(method, target);
        if (route == QueueRoute::kRenderMetrics && !routes_.render_metrics) {
            route = QueueRoute::kNotFound;
        }
        switch (route) {
            case QueueRoute::kRenderQueue:
                render(response, "/queue", routes_.render_queue, "application/json");
                break;
            case QueueRoute::kRenderMetrics:
                render(response, "/metrics", routes_.render_metrics, metrics::kContentType);
                break;
            case QueueRoute::kNotFound:
                send_json(response, HTTPResponse::HTTP_NOT_FOUND,
                          json_error_body(404, not_found_message()));
                break;
            case QueueRoute::kMethodNotAllowed:
                response.set("Allow", "GET");
                send_json(response, HTTPResponse::HTTP_METHOD_NOT_ALLOWED,
                          json_error_body(405, method + " is not allowed on " +
                                                   std::string(route_label()) + "; use GET"));
                break;
        }
        log_noexcept(logger_, LogLevel::kDebug,
                     method + " " + target + " -> " + std::to_string(response.getStatus()));
    }

  private:
    std::string_view route_label() const {
        return metrics::kRouteLabels[static_cast<std::size_t>(route_)];
    }

    std::string not_found_message() const {
        return routes_.render_metrics
                   ? "not found; this server only has GET /queue and GET /metrics"
                   : "not found; this server only has GET /queue";
    }

    void render(Poco::Net::HTTPServerResponse& response, std::string_view what,
                const std::function<std::string()>& render_body, std::string_view content_type) {
        std::string body;
        try {
            body = render_body();
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kError,
                         "GET " + std::string(what) + ": rendering failed: " + e.what());
            send_render_failure(response, what);
            return;
        } catch (...) {
            log_noexcept(
                logger_, LogLevel::kError,
                "GET " + std::string(what) + ": rendering failed with a non-standard exception");
            send_render_failure(response, what);
            return;
        }
        send(response, HTTPResponse::HTTP_OK, content_type, body);
    }

    void send_render_failure(Poco::Net::HTTPServerResponse& response, std::string_view what) {
        send_json(
            response, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR,
            json_error_body(500, "rendering " + std::string(what) + " failed; see the host log"));
    }

    void send_json(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
                   const std::string& body) {
        send(response, status, "application/json", body);
    }

    // Every answer of the handler goes through here, so each is counted once, before the bytes
    // go out (a client that is gone by then was still answered).
    void send(Poco::Net::HTTPServerResponse& response, HTTPResponse::HTTPStatus status,
              std::string_view content_type, const std::string& body) {
        if (routes_.counters != nullptr) {
            routes_.counters->count(route_, static_cast<int>(status));
        }
        response.setStatusAndReason(status);  // setStatus() alone leaves the reason "OK"
        response.setContentType(std::string(content_type));
        response.set("Cache-Control", "no-store");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.sendBuffer(body.data(), body.size());
    }

    const QueueHttpServer::Routes& routes_;
    plugin_api::ILogger& logger_;
    metrics::Route route_ = metrics::Route::kOther;
};

class QueueRequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    QueueRequestHandlerFactory(QueueHttpServer::Routes routes, plugin_api::ILogger& logger)
        : routes_(std::move(routes)), logger_(logger) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new QueueRequestHandler(routes_, logger_);
    }

    // What Poco's HTTPServer::stopAll(true) does: every open connection is shut down, also one
    // in the middle of a request, so no client can delay a stop.
    void abort_connections() { serverStopped(this, true); }

  private:
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

Poco::Net::HTTPServerParams::Ptr server_params(const QueueHttpServerOptions& options) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(false);
    // Poco's default is 60 s per read or write.
    params->setTimeout(Poco::Timespan(
        static_cast<Poco::Timespan::TimeDiff>(options.request_timeout.count()) * 1000));
    return params;
}

}  // namespace

// Poco's HTTPServer is not used as a whole: its TCPServer accept thread wakes every 250 ms, and
// its dispatcher can leave a worker asleep on stop (see connection_workers.hpp). Poco's HTTP
// connection (request parsing, keep-alive rules, the handler factory) serves each request; the
// timer-free AcceptLoop and ConnectionWorkers feed it.
struct QueueHttpServer::Impl {
    Impl(const ListenAddress& address, Routes routes, plugin_api::ILogger& log,
         const QueueHttpServerOptions& options)
        : logger(log),
          socket(bind_socket(address)),
          params(server_params(options)),
          handlers(new QueueRequestHandlerFactory(std::move(routes), log)),
          workers(
              static_cast<std::size_t>(options.max_threads),
              static_cast<std::size_t>(options.max_queued),
              [this](Poco::Net::StreamSocket& connection) {
                  Poco::Net::HTTPServerConnection(connection, params, handlers).run();
              },
              log, "queue-http"),
          accept_loop(
              socket,
              [this](std::unique_ptr<Poco::Net::StreamSocket> connection) {
                  workers.enqueue(std::move(connection));
              },
              log, options.request_timeout) {
        const Poco::Net::SocketAddress address_bound = socket.address();
        bound = ListenAddress{address_bound.host().toString(), address_bound.port()};
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    plugin_api::ILogger& logger;
    Poco::Net::ServerSocket socket;
    Poco::Net::HTTPServerParams::Ptr params;
    Poco::SharedPtr<QueueRequestHandlerFactory> handlers;
    ConnectionWorkers workers;
    AcceptLoop accept_loop;
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
        // As Poco's HTTPServer::stopAll(true): no new connections (and those still sending their
        // request closed), open connections aborted, queued ones closed, every worker joined.
        impl_->accept_loop.stop();
        impl_->handlers->abort_connections();
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
