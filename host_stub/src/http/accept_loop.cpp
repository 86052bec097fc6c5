#include "http/accept_loop.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <map>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <Poco/Exception.h>

#include "http/request_head.hpp"
#include "log/safe_log.hpp"

namespace orch::host {

namespace {

using plugin_api::LogLevel;
using Clock = std::chrono::steady_clock;

// After a failed accept (e.g. out of descriptors) the socket stays readable: pause this long
// before trying again rather than spinning. It is the only fixed timed wait, and only after an
// error; the other timeout is the nearest request deadline, and none while nobody is waiting.
constexpr int kBackoffAfterAcceptErrorMs = 100;

// epoll tags of the two fixed descriptors; a waiting connection is tagged with its descriptor.
constexpr std::uint64_t kListenTag = ~std::uint64_t{0};
constexpr std::uint64_t kWakeTag = ~std::uint64_t{0} - 1;

[[noreturn]] void throw_errno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void watch(int epoll, int fd, std::uint32_t events, std::uint64_t tag) {
    epoll_event event{};
    event.events = events;
    event.data.u64 = tag;
    if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) {
        throw_errno("epoll_ctl for the accept loop");
    }
}

}  // namespace

struct AcceptLoop::Waiting {
    struct Connection {
        Poco::Net::StreamSocket socket;
        Clock::time_point deadline;
    };
    std::map<int, Connection> by_fd;  // destroyed (closed) when the loop ends

    std::map<int, Connection>::iterator oldest() {
        return std::min_element(by_fd.begin(), by_fd.end(), [](const auto& a, const auto& b) {
            return a.second.deadline < b.second.deadline;
        });
    }

    // A poll timeout: until the nearest deadline, -1 (none) while nobody waits.
    int timeout_ms() {
        if (by_fd.empty()) {
            return -1;
        }
        const auto left = oldest()->second.deadline - Clock::now();
        const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
        return static_cast<int>(std::clamp<long long>(ms, 0, 60'000));
    }

    std::size_t close_expired() {
        const auto now = Clock::now();
        return std::erase_if(by_fd,
                             [now](const auto& entry) { return entry.second.deadline <= now; });
    }
};

AcceptLoop::AcceptLoop(Poco::Net::ServerSocket& socket, OnConnection on_connection,
                       plugin_api::ILogger& logger, std::chrono::milliseconds request_timeout)
    : socket_(socket),
      on_connection_(std::move(on_connection)),
      logger_(logger),
      request_timeout_(request_timeout) {
    std::array<int, 2> fds{};
    if (::pipe2(fds.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
        throw_errno("pipe2 for the accept loop");
    }
    wake_read_ = fds[0];
    wake_write_ = fds[1];
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    try {
        if (epoll_ < 0) {
            throw_errno("epoll_create1 for the accept loop");
        }
        watch(epoll_, socket_.impl()->sockfd(), EPOLLIN, kListenTag);
        watch(epoll_, wake_read_, EPOLLIN, kWakeTag);
    } catch (...) {
        if (epoll_ >= 0) {
            ::close(epoll_);
        }
        ::close(wake_read_);
        ::close(wake_write_);
        throw;
    }
}

AcceptLoop::~AcceptLoop() {
    stop();
    ::close(epoll_);
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
    Waiting waiting;
    std::vector<char> peeked(kMaxRequestBytes + 1);
    std::array<epoll_event, 64> events{};
    for (;;) {
        const int ready = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                                       waiting.timeout_ms());
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            log_noexcept(logger_, LogLevel::kError,
                         std::string("/queue accept loop: epoll_wait failed: ") +
                             std::strerror(errno) + "; no more connections are accepted");
            return;
        }
        bool can_accept = false;
        for (int i = 0; i < ready; ++i) {
            const std::uint64_t tag = events[static_cast<std::size_t>(i)].data.u64;
            if (tag == kWakeTag) {
                return;  // stop(): waiting connections and the backlog are closed
            }
            if (tag == kListenTag) {
                can_accept = true;
                continue;
            }
            const int fd = static_cast<int>(tag);
            const auto found = waiting.by_fd.find(fd);
            if (found == waiting.by_fd.end()) {
                continue;
            }
            // Edge-triggered: this event means new bytes (or a hang-up). Peeking leaves them for
            // the worker's HTTP parser.
            ssize_t n = -1;
            do {
                n = ::recv(fd, peeked.data(), peeked.size(), MSG_PEEK | MSG_DONTWAIT);
            } while (n < 0 && errno == EINTR);
            if (n < 0 && errno == EAGAIN) {
                continue;
            }
            RequestReadiness readiness = RequestReadiness::kRefused;  // EOF or a socket error
            if (n > 0) {
                readiness =
                    request_readiness(std::string_view(peeked.data(), static_cast<std::size_t>(n)));
            }
            const bool hung_up = (events[static_cast<std::size_t>(i)].events &
                                  (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
            if (readiness == RequestReadiness::kIncomplete && !hung_up) {
                continue;
            }
            ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
            auto connection = std::make_unique<Poco::Net::StreamSocket>(found->second.socket);
            waiting.by_fd.erase(found);
            if (readiness == RequestReadiness::kComplete) {
                try {
                    on_connection_(std::move(connection));
                } catch (const std::exception& e) {
                    log_noexcept(logger_, LogLevel::kWarning,
                                 std::string("/queue accept loop: handing over a connection "
                                             "failed: ") +
                                     e.what());
                }
            }
        }
        if (const std::size_t expired = waiting.close_expired(); expired > 0) {
            log_noexcept(logger_, LogLevel::kDebug,
                         "/queue: closed " + std::to_string(expired) +
                             " connection(s) that sent no complete request in time");
        }
        if (can_accept && !accept_one(waiting)) {
            pollfd wake{wake_read_, POLLIN, 0};
            if (::poll(&wake, 1, kBackoffAfterAcceptErrorMs) > 0) {
                return;
            }
        }
    }
}

bool AcceptLoop::accept_one(Waiting& waiting) noexcept {
    try {
        Poco::Net::StreamSocket connection = socket_.acceptConnection();
        connection.setNoDelay(true);  // as Poco's own TCPServer does: small JSON replies
        if (waiting.by_fd.size() >= kMaxWaitingConnections) {
            waiting.by_fd.erase(waiting.oldest());  // closing it also leaves the epoll set
            log_noexcept(logger_, LogLevel::kDebug,
                         "/queue: too many connections without a complete request; closed the "
                         "one waiting longest");
        }
        const int fd = connection.impl()->sockfd();
        // Edge-triggered, so bytes that are only peeked at do not wake the loop again; bytes
        // that arrived before this call are reported by the next epoll_wait.
        watch(epoll_, fd, EPOLLIN | EPOLLRDHUP | EPOLLET, static_cast<std::uint64_t>(fd));
        waiting.by_fd.emplace(
            fd, Waiting::Connection{std::move(connection), Clock::now() + request_timeout_});
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
