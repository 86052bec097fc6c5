#include "http/connection_workers.hpp"

#include <pthread.h>
#include <sys/socket.h>

#include <exception>
#include <optional>
#include <utility>

#include <Poco/Exception.h>

#include "log/safe_log.hpp"

namespace orch::host {

using plugin_api::LogLevel;

namespace {

void close_quietly(Poco::Net::StreamSocket& socket) noexcept {
    try {
        socket.close();
    } catch (...) {  // already closed or reset by the peer: nothing left to release
    }
}

}  // namespace

ConnectionWorkers::ConnectionWorkers(std::size_t threads, AcceptLoop& source, Serve serve,
                                     plugin_api::ILogger& logger, const std::string& thread_name)
    : source_(source),
      serve_(std::move(serve)),
      logger_(logger),
      thread_count_(threads == 0 ? 1 : threads),
      serving_(std::make_unique<Serving[]>(thread_count_)) {
    workers_.reserve(thread_count_);
    try {
        for (std::size_t i = 0; i < thread_count_; ++i) {
            Serving& serving = serving_[i];
            workers_.emplace_back([this, &serving] { run(serving); });
            pthread_setname_np(workers_.back().native_handle(), thread_name.c_str());
        }
    } catch (...) {
        stop();
        throw;
    }
}

ConnectionWorkers::~ConnectionWorkers() {
    stop();
}

void ConnectionWorkers::stop() noexcept {
    source_.stop();  // every worker waiting for a request returns
    for (std::size_t i = 0; i < workers_.size(); ++i) {
        const std::lock_guard lock(serving_[i].mutex);
        serving_[i].stopped = true;
        if (serving_[i].fd >= 0) {
            ::shutdown(serving_[i].fd, SHUT_RDWR);  // its read or write fails now
        }
    }
    for (auto& worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
}

void ConnectionWorkers::run(Serving& serving) {
    for (;;) {
        std::optional<ReadyRequest> request;
        try {
            request = source_.next_request();
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kError,
                         std::string("/queue worker: waiting for a request failed: ") + e.what() +
                             "; this worker ends");
            return;
        }
        if (!request) {
            return;  // stopped
        }
        {
            const std::lock_guard lock(serving.mutex);
            if (serving.stopped) {
                close_quietly(*request->connection);
                return;
            }
            serving.fd = request->connection->impl()->sockfd();
        }
        Outstanding left;
        try {
            left = serve_(*request);
        } catch (const Poco::Exception& e) {
            log_noexcept(logger_, LogLevel::kWarning, "HTTP connection failed: " + e.displayText());
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kWarning,
                         std::string("HTTP connection failed: ") + e.what());
        } catch (...) {
            log_noexcept(logger_, LogLevel::kWarning,
                         "HTTP connection failed with a non-standard exception");
        }
        bool stopped = false;
        {
            const std::lock_guard lock(serving.mutex);
            serving.fd = -1;
            stopped = serving.stopped;
        }
        if (!stopped && (left.keep || left.pending())) {
            source_.keep(std::move(request->connection), std::move(left));
        } else {
            close_quietly(*request->connection);
        }
    }
}

}  // namespace orch::host
