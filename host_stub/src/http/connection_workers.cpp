#include "http/connection_workers.hpp"

#include <pthread.h>
#include <sys/socket.h>

#include <exception>
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

ConnectionWorkers::ConnectionWorkers(std::size_t threads, std::size_t max_queued, Serve serve,
                                     Keep keep, plugin_api::ILogger& logger,
                                     const std::string& thread_name)
    : max_queued_(max_queued),
      serve_(std::move(serve)),
      keep_(std::move(keep)),
      logger_(logger),
      serving_(threads == 0 ? 1 : threads, -1) {
    workers_.reserve(serving_.size());
    try {
        for (std::size_t i = 0; i < serving_.size(); ++i) {
            workers_.emplace_back([this, i](const std::stop_token& stop) { run(stop, i); });
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

bool ConnectionWorkers::enqueue(ReadyRequest request) {
    {
        const std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_queued_) {
            queue_.push_back(std::move(request));
            wake_.notify_one();
            return true;
        }
    }
    close_quietly(*request.connection);
    return false;
}

void ConnectionWorkers::stop() noexcept {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& request : queue_) {
            close_quietly(*request.connection);
        }
        queue_.clear();
        for (const int fd : serving_) {
            if (fd >= 0) {
                ::shutdown(fd, SHUT_RDWR);  // its read or write fails now; the worker closes it
            }
        }
    }
    for (auto& worker : workers_) {
        worker.request_stop();  // wakes a worker waiting on wake_ with its token
    }
    for (auto& worker : workers_) {
        if (worker.joinable()) {
            worker.join();
        }
    }
}

void ConnectionWorkers::run(const std::stop_token& stop, std::size_t index) {
    for (;;) {
        ReadyRequest request;
        {
            std::unique_lock lock(mutex_);
            if (!wake_.wait(lock, stop, [this] { return !queue_.empty(); })) {
                return;  // stop requested
            }
            request = std::move(queue_.front());
            queue_.pop_front();
            serving_[index] = request.connection->impl()->sockfd();
        }
        bool keep = false;
        try {
            keep = serve_(*request.connection, request.bytes);
        } catch (const Poco::Exception& e) {
            log_noexcept(logger_, LogLevel::kWarning, "HTTP connection failed: " + e.displayText());
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kWarning,
                         std::string("HTTP connection failed: ") + e.what());
        } catch (...) {
            log_noexcept(logger_, LogLevel::kWarning,
                         "HTTP connection failed with a non-standard exception");
        }
        {
            const std::lock_guard lock(mutex_);
            serving_[index] = -1;
            keep = keep && !stopping_;
        }
        if (keep) {
            keep_(std::move(request.connection));
        } else {
            close_quietly(*request.connection);
        }
    }
}

}  // namespace orch::host
