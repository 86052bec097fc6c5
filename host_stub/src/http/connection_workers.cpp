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

bool ConnectionWorkers::enqueue(ReadyRequest request) {
    {
        const std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_queued_) {
            queue_.push_back(std::move(request));
            request.connection = nullptr;
        }
    }
    if (!request.connection) {
        wake_.notify_one();  // outside the lock: the woken worker does not block on it at once
        return true;
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
    }
    wake_.notify_all();
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
        ReadyRequest request;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) {
                return;
            }
            request = std::move(queue_.front());
            queue_.pop_front();
        }
        {
            const std::lock_guard lock(serving.mutex);
            if (serving.stopped) {
                close_quietly(*request.connection);
                return;
            }
            serving.fd = request.connection->impl()->sockfd();
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
            const std::lock_guard lock(serving.mutex);
            serving.fd = -1;
            keep = keep && !serving.stopped;
        }
        if (keep) {
            keep_(std::move(request.connection));
        } else {
            close_quietly(*request.connection);
        }
    }
}

}  // namespace orch::host
