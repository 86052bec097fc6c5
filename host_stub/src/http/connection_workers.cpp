#include "http/connection_workers.hpp"

#include <pthread.h>

#include <exception>
#include <utility>

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
                                     plugin_api::ILogger& logger, const std::string& thread_name)
    : max_queued_(max_queued), serve_(std::move(serve)), logger_(logger) {
    workers_.reserve(threads == 0 ? 1 : threads);
    try {
        for (std::size_t i = 0; i < workers_.capacity(); ++i) {
            workers_.emplace_back([this](const std::stop_token& stop) { run(stop); });
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

bool ConnectionWorkers::enqueue(std::unique_ptr<Poco::Net::StreamSocket> connection) {
    {
        const std::lock_guard lock(mutex_);
        if (!stopping_ && queue_.size() < max_queued_) {
            queue_.push_back(std::move(connection));
            wake_.notify_one();
            return true;
        }
    }
    close_quietly(*connection);
    return false;
}

void ConnectionWorkers::stop() noexcept {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& socket : queue_) {
            close_quietly(*socket);
        }
        queue_.clear();
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

void ConnectionWorkers::run(const std::stop_token& stop) {
    for (;;) {
        std::unique_ptr<Poco::Net::StreamSocket> connection;
        {
            std::unique_lock lock(mutex_);
            if (!wake_.wait(lock, stop, [this] { return !queue_.empty(); })) {
                return;  // stop requested
            }
            connection = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            serve_(*connection);
        } catch (const std::exception& e) {
            log_noexcept(logger_, LogLevel::kWarning,
                         std::string("HTTP connection failed: ") + e.what());
        } catch (...) {
            log_noexcept(logger_, LogLevel::kWarning,
                         "HTTP connection failed with a non-standard exception");
        }
        close_quietly(*connection);
    }
}

}  // namespace orch::host
