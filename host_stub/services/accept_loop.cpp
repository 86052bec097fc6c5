#include "services/accept_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <exception>
#include <string>
#include <system_error>
#include <utility>

#include <Poco/Exception.h>

#include "services/safe_log.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;

// After a failed accept (e.g. out of descriptors) the socket stays readable: pause this long
// before trying again rather than spinning. It is the only timed wait, and only after an error.
constexpr int kBackoffAfterAcceptErrorMs = 100;

}  // namespace

AcceptLoop::AcceptLoop(Poco::Net::ServerSocket& socket, OnConnection on_connection,
                       plugin_api::ILogger& logger)
    : socket_(socket), on_connection_(std::move(on_connection)), logger_(logger) {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe2 for the accept loop");
    }
    wake_read_ = fds[0];
    wake_write_ = fds[1];
}

AcceptLoop::~AcceptLoop() {
    stop();
    ::close(wake_read_);
    ::close(wake_write_);
}

void AcceptLoop::start() {
    if (!thread_.joinable()) {
        thread_ = std::thread([this] { run(); });
        pthread_setname_np(thread_.native_handle(), "queue-accept");  // for ps, top and tests
    }
}

void AcceptLoop::stop() noexcept {
    const char byte = 1;
    // A full pipe already holds a wake-up; any other failure would leave the loop asleep, so
    // it is logged (join would then wait for the next connection).
    if (::write(wake_write_, &byte, 1) < 0 && errno != EAGAIN) {
        log_noexcept(logger_, LogLevel::kError,
                     std::string("/queue accept loop: cannot wake it: ") + std::strerror(errno));
    }
    if (thread_.joinable()) {
        thread_.join();
    }
}

void AcceptLoop::run() noexcept {
    const int listen_fd = socket_.impl()->sockfd();
    for (;;) {
        std::array<pollfd, 2> fds{pollfd{listen_fd, POLLIN, 0}, pollfd{wake_read_, POLLIN, 0}};
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            log_noexcept(logger_, LogLevel::kError,
                         std::string("/queue accept loop: poll failed: ") + std::strerror(errno) +
                             "; no more connections are accepted");
            return;
        }
        if (fds[1].revents != 0) {
            return;  // stop(): connections still in the backlog are refused with the socket
        }
        if (fds[0].revents != 0 && !accept_one()) {
            pollfd wake{wake_read_, POLLIN, 0};
            if (::poll(&wake, 1, kBackoffAfterAcceptErrorMs) > 0) {
                return;
            }
        }
    }
}

bool AcceptLoop::accept_one() noexcept {
    try {
        Poco::Net::StreamSocket connection = socket_.acceptConnection();
        connection.setNoDelay(true);  // as Poco's own TCPServer does: small JSON replies
        on_connection_(connection);
        return true;
    } catch (const Poco::Exception& e) {
        log_noexcept(logger_, LogLevel::kWarning,
                     "/queue accept loop: accepting a connection failed: " + e.displayText());
    } catch (const std::exception& e) {
        log_noexcept(logger_, LogLevel::kWarning,
                     std::string("/queue accept loop: accepting a connection failed: ") + e.what());
    } catch (...) {
        log_noexcept(logger_, LogLevel::kWarning,
                     "/queue accept loop: accepting a connection failed");
    }
    return false;
}

}  // namespace orch::host
